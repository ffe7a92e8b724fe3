"""Sums of money in text: "$1.25 million", "Rs2.5 crore", "55 million yuan", "two million dollars".

A sum needs a currency, before or after the number; scale words (million, crore, lakh, billion) multiply.
Word numbers are read by `intel.numbers`, the one reader of numbers in words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from outrider.intel.cooperation.lexicon import LEXICON
from outrider.intel.cooperation.parties import find_parties
from outrider.intel.numbers import NUMBER_RE, parse_number

_SCALES = "|".join(sorted(LEXICON.scales, key=len, reverse=True))
_BEFORE = "|".join(p.pattern for p, _ in LEXICON.currency_before)
# "$5-7 million", "Rs 5 to 7 crore": a range, read as its lower bound with the scale after the upper one;
# "a 60-million-yuan grant": a sum written as one hyphenated word; "Rs 95 crores": a scale in the plural
SUM = re.compile(
    rf"(?P<cur>{_BEFORE})?\s?(?P<num>\d[\d,]*(?:\.\d+)?|{NUMBER_RE.pattern})"
    r"(?:\s?(?:-|–|to)\s?\d[\d,]*(?:\.\d+)?(?=[\s-]?(?:" + _SCALES + r")\b))?"
    rf"(?:[\s-]?(?P<scale>{_SCALES})s?\b)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Money:
    """A sum: its value in units of the currency, the ISO 4217 code, and where the text says it."""

    amount: float
    currency: str
    start: int
    end: int
    share: bool = False  # a tranche or instalment of a larger sum


# "the first tranche of $4 million", "in two instalments of Rs50 million": a part paid of a whole
TRANCHE = re.compile(r"\b(?:tranches?|instal?ments?)\s+(?:of\s+)?(?:about\s+|some\s+)?$", re.I)
# "$4 million of a $12 million grant": the part, the whole after it
# (or "RMB 45 million (about Rs1.8 billion) of the RMB 120 million grant": its conversion between them)
OF_WHOLE = re.compile(
    r"(?:\s*\([^()]{1,40}\))?\s+(?:out\s+)?of\s+(?:an?|the)\s+(?:total\s+(?:of\s+)?)?$", re.I
)
TRANCHE_REACH = 30


def shares_marked(text: str, money: list[Money]) -> list[Money]:
    """The sums of a sentence, each marked when it is a tranche or instalment of a larger sum."""
    out = []
    for m in money:
        whole = any(OF_WHOLE.fullmatch(text, m.end, o.start) for o in money if o.start > m.end)
        share = whole or TRANCHE.search(text, max(0, m.start - TRANCHE_REACH), m.start) is not None
        out.append(Money(m.amount, m.currency, m.start, m.end, share))
    return out


def _value(number: str) -> float | None:
    digits = number.replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", digits):
        return float(digits)
    words = parse_number(number)
    return float(words) if words else None


def _currency_before(token: str | None) -> str | None:
    if not token:
        return None
    return next((code for rx, code in LEXICON.currency_before if rx.fullmatch(token)), None)


# any currency at all: a sentence without one has no sum (the full reader is kept for those that do)
_CURRENCIES = [
    *(p.pattern for p, _ in LEXICON.currency_before),
    *(p.pattern for p, _ in LEXICON.currency_after),
]
ANY_CURRENCY = re.compile(rf"(?<![A-Za-z])(?:{'|'.join(_CURRENCIES)})", re.IGNORECASE)


WORD_GAP = re.compile(r"\s*(?:and\s+)?")
BIG = 1_000_000  # a sum's first part in words with its own scale ("one million", "two billion")


def find_money(text: str) -> list[Money]:
    """Every sum of money in text, in order."""
    if ANY_CURRENCY.search(text) is None:
        return []
    found: list[Money] = []
    told_again = -1  # where the last conversion skipped ends
    head: tuple[float, int, int] | None = None  # "one million" before "five hundred thousand dollars"
    for m in SUM.finditer(text):
        value = _value(m["num"])
        if value is None or not value:
            continue
        scale = m["scale"]
        code = _currency_before(m["cur"])
        end = m.end()
        if code is None:
            after = next(((rx, c) for rx, c in LEXICON.currency_after if rx.match(text, m.end())), None)
            if after is None:
                whole = value * LEXICON.scales[scale.lower()] if scale else value
                head = (whole, m.start(), m.end()) if whole >= BIG else None
                continue  # "5 m" with no currency is a length, "40 officers" a head count
            code, end = after[1], after[0].match(text, m.end()).end()  # type: ignore[union-attr]
        if scale:
            value *= LEXICON.scales[scale.lower()]
        start = m.start()
        if head is not None and value < head[0] and WORD_GAP.fullmatch(text, head[2], start):
            value, start = head[0] + value, head[1]  # "one million five hundred thousand dollars"
        head = None
        if found and (
            _restated(text, found[-1], code, m.start())
            or (
                code != found[-1].currency
                and told_again >= 0
                and CHAINED.fullmatch(text, told_again, m.start())
            )
        ):
            told_again = end
            continue  # "80 million yuan ($11 million)": the same sum in another currency
        found.append(Money(value, code, start, end))
        told_again = -1
    return found


# "80 million yuan ($11 million)", "Rs420 million (about $1.5 million)", "120 million yuan, equal to about
# 1.5 billion rupees": the sum told again in another currency, a conversion and no sum of its own
RESTATED = re.compile(
    r"\s*(?:\(\s*(?:(?:about|around|roughly|approximately|approx\.|nearly|some|over|almost|or|i\.e\.,?"
    r"|equal to|equivalent to|the equivalent of)\s+)*"
    r"|,?\s+(?:or\s+)?(?:equal to|equivalent to|the equivalent of|equalling|or about|or roughly|or around"
    r"|or nearly|or some|about|around|roughly|approximately|nearly)\s+"
    r"(?:about\s+|around\s+|roughly\s+|nearly\s+)?"
    # "equal to about four billion sixty crore rupees": number words the reader leaves before the sum
    r"(?:[a-z]+\s*){0,3})",
    re.I,
)


# "80 million yuan (Rs3.2 billion or $11 million)", "(about Rs3.2 billion) ($11 million)": a second conversion
# (inside the brackets still, or in brackets of its own just after)
CHAINED = re.compile(r"(?:\s*(?:,|or|/)|\s*\)\s*\()\s*(?:about\s+|around\s+|roughly\s+|some\s+)?")


def _restated(text: str, before: Money, code: str, start: int) -> bool:
    """Whether a sum just after another one restates it in another currency."""
    return code != before.currency and RESTATED.fullmatch(text, before.end, start) is not None


MONEY_REACH = 60
# "each of the two engineers will receive Rs14 million": a share of the sum for each receiver
EACH_RECEIVES = re.compile(
    r"\beach\s+(?:of\s+(?:the\s+)?(?:[\w-]+\s+){1,3}?)?(?:will\s+|would\s+|shall\s+|is\s+to\s+|are\s+to\s+)?"
    r"(?:receive|get|be\s+paid|be\s+given)\s+(?:about\s+|some\s+)?$",
    re.I,
)
# "$500,000 for each family", "Rs5 million each": the sum each receiver gets
PER_HEAD = re.compile(r"\s+(?:for each|per|to each|each|apiece)\b", re.I)


def per_head(text: str, money: Money) -> bool:
    """Whether a sum is what each receiver gets (a share), not the whole."""
    if PER_HEAD.match(text, money.end):
        return True
    return EACH_RECEIVES.search(text, max(0, money.start - MONEY_REACH), money.start) is not None


# "extend Pakistan $5 million", "Rs 50 million to the Punjab government": the state a sum is handed to
HANDED_TO = re.compile(r"^\s+(?:[\w-]+\s+){0,3}?to\s+(?:the\s+)?$", re.I)
TO_FAMILIES = re.compile(r"\bto\s+(?:the\s+)?(?:[\w-]+\s+)?(?:families|heirs|next of kin|widows)\b", re.I)
GIVEN_STATE = re.compile(r"\s+(?:an?\s+)?(?:[\w-]+\s+)?$")


def money_given(text: str, valued_kinds: tuple[str, ...]) -> list[Money]:
    """Sums given, extended, paid or approved in a sentence ("will extend Pakistan $2 million"), unless the
    sentence says they buy something of the valued kinds (equipment, a force, training: then they are its
    value or cost); cash handed to a state's body for a purpose named after it ("Rs 2.5 crore to the Sindh
    police for the protection of ...") is still given."""
    given = [
        m
        for m in find_money(text)
        if LEXICON.transfer.search(text[max(0, m.start - MONEY_REACH) : m.start])
        and not EACH_RECEIVES.search(text, max(0, m.start - MONEY_REACH), m.start)
    ]
    if not given:
        return []
    valued = [v.start() for k in valued_kinds for v in LEXICON.kinds[k].finditer(text)]
    return [m for m in given if not valued or _cash_to_a_state(text, m, min(valued))]


def _cash_to_a_state(text: str, money: Money, purpose: int) -> bool:
    """Whether a sum is handed to a state (named after the giving verb and before the purpose it serves)."""
    if purpose < money.end:
        return False  # "equipment worth $5 million": the sum is the thing's value
    if TO_FAMILIES.search(text, money.end, purpose):
        return True  # "cheques of Rs10 million to the families of the two Special Protection Unit constables"
    for h in find_parties(text):
        if money.end <= h.start < purpose and HANDED_TO.match(text[money.end : h.start]):
            return True
        verb = LEXICON.transfer.search(text, max(0, h.start - 30), h.start)
        if verb and h.end <= money.start and GIVEN_STATE.fullmatch(text[h.end : money.start]):
            return True
    return False
