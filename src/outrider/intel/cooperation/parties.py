"""States named in text: countries, capitals standing for their governments ("Beijing", "Islamabad"),
demonyms ("Chinese nationals"), state bodies (a province's police, an army's press wing), and officials'
titles with their country ("the Chinese ambassador"). Militant groups and companies are never parties."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from outrider.intel.cooperation.lexicon import LEXICON
from outrider.intel.gazetteer import find_places

# "met in Dushanbe", "forces in Afghanistan": a place; "close to the border with Afghanistan": a neighbour
PLACE_BEFORE = re.compile(r"\b(?:in|at|near|outside|inside|across)\s+(?:the\s+)?$", re.I)
BORDER_BEFORE = re.compile(r"\b(?:border(?:s|ing)?(?: with)?|frontier with)\s+(?:the\s+)?$", re.I)
# "the Tajik-Afghan border", "the Pakistan-Afghanistan frontier": a border named by its two sides; the sides'
# own forces ("Tajik border guards") are parties
BORDER_NAME = re.compile(
    r"(?:-[A-Z][\w]+)?\s+(?:border|frontier)\b(?!\s+(?:troops|guards|police|forces?|units?|officials))"
)
# "the roads to the Uzbek and Tajik borders", "on the Afghan border": where; "Afghan border commissioners" who
DEMONYM_BORDER = re.compile(
    r"(?:\s+and\s+[A-Z][\w]+)?\s+(?:border|frontier)s?"
    r"(?=\s*(?:[,.;:)]|$)|\s+(?:of|with|at|in|near|and|to|from|areas?|regions?|crossings?|districts?|zones?)\b)"
)
PAIR_BEFORE = re.compile(r"[A-Z][\w]+-$")
# "in the Pakistan–China–Afghanistan Trilateral Dialogue": the first of states named together, not a place
COMPOUND = re.compile(r"[-–][A-Z]")
# "China's nationals", "Pakistan’s police": a state's possessive qualifies a noun as its demonym does
POSSESSIVE = re.compile(r"['’]s\b")
COMMENTATORS = re.compile(
    r"(?:\s+[\w-]+){0,2}?\s+(?:analysts|observers|commentators|media|newspapers|sources)\b"
    r"|\s+(?:Ocean|Sea|Subcontinent|Peninsula)\b"  # "the Indian Ocean": a place, not a state
)


@dataclass(frozen=True)
class PartyHit:
    """A state named at a character span; ``demonym`` when named by its adjective."""

    code: str
    start: int
    end: int
    demonym: bool = False
    locative: bool = False  # "in Afghanistan", "met in Dushanbe": where something is, maybe not who acts


def find_parties(text: str) -> list[PartyHit]:
    """Every state named in text, in order; spans inside a non-party name (a group, a company) are skipped."""
    blocked = [(m.start(), m.end()) for m in LEXICON.not_party.finditer(text)]
    hits: list[PartyHit] = []
    taken: list[tuple[int, int]] = []
    for code, rx in LEXICON.parties.items():
        demonym = LEXICON.demonyms.get(code)
        capital = LEXICON.capitals.get(code)
        for m in rx.finditer(text):
            if any(a <= m.start() < b for a, b in blocked) or _shouted_word(text, m):
                continue
            before = text[max(0, m.start() - 24) : m.start()]
            is_demonym = bool(demonym and demonym.fullmatch(m.group(0)))
            if BORDER_BEFORE.search(before) and not is_demonym:
                continue  # "the border with Afghanistan"; "the border with Russian help" is another matter
            if BORDER_NAME.match(text, m.end()) and (
                PAIR_BEFORE.search(before) or text[m.end() : m.end() + 1] == "-"
            ):
                continue
            if is_demonym and COMMENTATORS.match(text, m.end()):
                continue  # "Indian defence analysts said", "the Indian Ocean": no party
            locative = (
                not is_demonym and bool(PLACE_BEFORE.search(before)) and not COMPOUND.match(text, m.end())
            ) or bool(is_demonym and DEMONYM_BORDER.match(text, m.end()))
            if locative and capital is not None and capital.fullmatch(m.group(0)):
                continue  # "met in Islamabad": a venue (the gazetteer's business), not a party
            owner = None if is_demonym else POSSESSIVE.match(text, m.end())
            end = owner.end() if owner else m.end()
            hits.append(PartyHit(code, m.start(), end, is_demonym or owner is not None, locative))
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[PartyHit] = []
    for h in hits:
        if any(a <= h.start < b for a, b in taken):
            continue  # "Islamic Republic of Pakistan" is one name, not two
        kept.append(h)
        taken.append((h.start, h.end))
    return kept


# "3. WHO PROTECTS US": a state's name that is also an English word is the word in a line written in capitals
WORD_NAMES = {"US"}


def _shouted_word(text: str, m: re.Match[str]) -> bool:
    """Whether a name that is also a word ("US") stands in a line with no lower-case letter."""
    if m.group(0) not in WORD_NAMES:
        return False
    start = text.rfind("\n", 0, m.start()) + 1
    end = text.find("\n", m.end())
    return not any(c.islower() for c in text[start : end if end >= 0 else len(text)])


def main_parties(hits: list[PartyHit], headline: str = "") -> tuple[str, ...]:
    """The two states a document names most (its pair), most named first; fewer when it names fewer. A
    headline that names two states ("China, Pakistan navies wrap up drill") names the pair, however often a
    third state's observers speak in the report."""
    counts = Counter(h.code for h in hits)
    top = tuple(code for code, _ in counts.most_common(2))
    named = {h.code for h in find_parties(headline)}
    if len(named) == 2 and set(top) != named:
        return tuple(sorted(named, key=lambda code: -counts[code]))
    return top


PLACES_FOR_PARTNER = 3  # "Gwadar", "Balochistan", "Turbat": a report set in one state's towns, thrice or more


def placed_pair(pair: tuple[str, ...], text: str) -> tuple[str, ...]:
    """A report naming one state only ("donated by China for the New Gwadar airport") tells its acts with the
    state whose towns and provinces it is set in: that state, named most often by its places (thrice or more,
    more than the named state's own), completes the pair."""
    if len(pair) != 1:
        return pair
    counts = Counter(hit.place.country for hit in find_places(text) if hit.place.country)
    home = counts.pop(pair[0], 0)
    place, n = max(counts.items(), key=lambda kv: kv[1], default=(None, 0))
    if place is None or n < PLACES_FOR_PARTNER or n <= home:
        return pair
    return (pair[0], place)
