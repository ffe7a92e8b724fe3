"""Numbered groups of victims in a phrase ("two Chinese engineers and their driver") and their nationality."""

from __future__ import annotations

import re

from outrider.intel.lexicon import nationalities
from outrider.intel.numbers import NUMBER_RE, parse_number
from outrider.intel.toll_words import PERSON_ONE

ATTACKERS = re.compile(
    r"(?i)\b(attackers?|militants?|gunmen|bombers?|assailants?|terrorists?|insurgents?|hijackers?|fighters?|"
    r"rebels?|suspects?)\b"
)
NOT_PEOPLE = re.compile(
    r"(?i)^(years?|months?|days?|hours?|minutes?|km|kilometres?|miles?|kg|kilograms?|per ?cent|%|p\.?m|a\.?m|"
    r"times|billion|million|dollars|rupees|floors?|storeys?|metres?|meters?|feet|o'clock|percent|hrs|hr|h|z|gmt"
    r"|utc|pkt|local time|nm|nautical|(?:jan|febr)uary|march|april|june|july|august|(?:sept|nov|dec)ember"
    r"|october)\b"  # "(1000 hrs) reported", "at 2240Z": times; "on 23 June 2017, days before Eid, killed"
)
AGE = re.compile(
    r"(?i)(?:\baged|\b(?:boy|girl|man|woman|child|son|daughter)s?\s+of)(?:\s+(?:about|around|some))?\s+$"
)
# "UPDATE 1", "Rescue 1122" (an emergency service's name): a label's number, no victims
LABEL = re.compile(r"(?i)\b(?:update|entry|sheet|week|phase|item|serial|section|rescue)\s+$")
NATIONALITY = nationalities()  # data/lexicon.json: a pattern of demonyms per ISO code
NATIONALITY_WORDS = {code: re.compile(rf"\b(?:{pat})\b", re.I) for code, pat in NATIONALITY.items()}
# "a Lithuanian", "a Nepali Sherpa", "the Pakistani": one person named by a demonym at the end of a list item
ONE_OF_A_NATION = re.compile(
    rf"\b(?:a|an|the|one)\s+(?:{'|'.join(NATIONALITY.values())})(?:\s+[A-Z][\w-]+)?(?=\s*(?:,|;|\band\b|\.|$|\bin\b))",
    re.I,
)

# "four people, one of them a Chinese national": the "one" is the person named right after it
ONE_OF_THEM = re.compile(r"(?i)\s+of\s+(?:them|whom)(?:\s+(?:was|is))?\s+")


def components(phrase: str) -> list[tuple[int, str]]:
    """(count, noun words) for each numbered group in a phrase, attackers and non-people skipped."""
    out: list[tuple[int, int, str]] = []  # (offset, count, noun): in the phrase's order
    ones = [(m.start(), m.end()) for m in PERSON_ONE.finditer(phrase)]
    ones += [
        (m.start(), m.end())
        for m in ONE_OF_A_NATION.finditer(phrase)
        if not any(s <= m.start() < e for s, e in ones)
    ]
    out.extend((s, 1, phrase[s:e]) for s, e in ones)
    starts = {s for s, _ in ones}
    for m in NUMBER_RE.finditer(phrase):
        token = m.group(0)
        if token.lower() in ("a", "an", "no", "none") or re.fullmatch(r"(19|20)\d\d", token):
            continue
        if any(s <= m.start() < e for s, e in ones) or LABEL.search(phrase, 0, m.start()):
            continue  # "one soldier" is counted once, as a person
        if token.lower() == "one" and (of := ONE_OF_THEM.match(phrase, m.end())) and of.end() in starts:
            continue  # "one of them a Chinese national": the person after it is the one
        if re.fullmatch(r"[A-Za-z]-", phrase[max(0, m.start() - 2) : m.start()]):
            continue  # "I-10 Markaz", "the M-8": a sector or a road, not victims
        if AGE.search(phrase, max(0, m.start() - 30), m.start()):
            continue  # "a boy of about ten", "a man aged 40": an age, not more victims
        # "no one was killed", "none of the guards": nobody, not one
        n = 0 if token.split()[0].lower() in ("no", "none") else parse_number(token)
        if n is None:
            continue
        rest = phrase[m.end() :]
        if rest.startswith((":", "-year", "-month")):
            continue  # ages and durations, not head counts
        words = re.split(r"\s+(?:and|,|plus|including|among|of whom|who)\b|[,(]", rest, maxsplit=1)[0]
        noun = " ".join(words.split()[:5])
        if NOT_PEOPLE.match(noun.strip().lstrip("-")) or ATTACKERS.search(noun):
            continue
        out.append((m.start(), n, noun))
    return [(n, noun) for _, n, noun in sorted(out)]


# police, soldiers, guards, "locals" name no nationality: of the incident's country (Afghan police in Kabul),
# counted under "" until `home_country` folds them in, only when the text breaks victims down by nationality
def by_nationality(parts: list[tuple[int, str]]) -> dict[str, int]:
    """Counts per nationality; victims of no stated nationality go under "" (the incident's country)."""
    by: dict[str, int] = {}
    for n, noun in parts:
        code = next((c for c, rx in NATIONALITY_WORDS.items() if rx.search(noun)), "")
        by[code] = by.get(code, 0) + n
    return by if set(by) - {""} else {}


def rest_local(by: dict[str, int], total: int) -> dict[str, int]:
    """Victims a foreigners-only breakdown leaves out ("three people, including two Chinese") are locals,
    of the incident's country; a breakdown that already names local police or soldiers stays partial."""
    if by and not set(by) & {"", "PK"} and total > sum(by.values()):
        return {**by, "": total - sum(by.values())}
    return by


def home_country(by: dict[str, int], country: str) -> dict[str, int]:
    """Fold victims of unstated nationality into the country where the incident happened."""
    out = {k: v for k, v in by.items() if k}
    if "" in by:
        out[country] = out.get(country, 0) + by[""]
    return out
