"""Victim counts (killed, wounded, by nationality) from event text; attackers excluded."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from outrider.intel.numbers import parse_number
from outrider.intel.toll_words import (
    ALONG_WITH,
    ALSO,
    ALSO_END,
    APPOSITIVE,
    ATTRIBUTIVE,
    AUXILIARY,
    CORRECTED_ZERO,
    DIED_AFTER,
    IN_CARE,
    NAMED,
    NO_SUBJECT_END,
    NONE_OF,
    NOW_NUMBER,
    OTHER,
    OTHERS,
    PARTITIVE,
    RANGE,
    REVISED,
    STILL_TREATED,
    SUBSET,
    TOLD_BEFORE,
    TOLL,
    WOUNDED_COUNT,
    ZERO_ALL,
    ZERO_KILLED,
    before_aside,
    before_names,
    contains,
    demonym_first,
    last_clause,
    merged,
    zero_wounded,
)
from outrider.intel.toll_words import firm as _firm
from outrider.intel.victim_groups import ATTACKERS, by_nationality, components, rest_local

KILL_ACTIVE = re.compile(
    r"\b(?:(?:killed|died),?\s+along with|killing|martyring"
    r"|(?<!was )(?<!were )(?<!been )(?<!also )killed|shooting dead"
    r"|(?<!was )(?<!were )(?<!been )shot dead|claimed the lives of|left|massacre of"
    # "resulting in the death of two police officials", "took the lives of", "took 27 lives"
    r"|(?:resulting in|result(?:ed)? in|caus(?:ed|ing)|led to) the deaths? of|took the lives of"
    r"|took(?= [\w-]+ lives\b))\s+"
    r"(?=(?P<obj>[^.;:]{1,120}))",
    re.I,
)
# a headline's "Gunmen kill seven passengers": only when no other figure is stated (it rounds, abridges)
KILL_HEADLINE = re.compile(r"\b(?<!to )kills?\s+(?=(?P<obj>[^.;:]{1,120}))", re.I)
KILL_PASSIVE = re.compile(
    r"\s+(?:were|was|have been|had been|are|been)?\s*(?:shot and )?"  # "a guard was shot and killed"
    r"(?:killed|dead|died|lost (?:their|his|her) li(?:ves|fe)|perished|martyred"
    r"|embraced (?:martyrdom|shahadat))\b",
    re.I,
)
WOUND_ACTIVE = re.compile(
    r"\b(?:wounding|injuring|(?<=and )wounded|(?<=and )injured"
    # "a blast wounded the leader and ten other people": the simple past with its object
    r"|(?<=\w )(?<!was )(?<!were )(?<!been )(?<!are )(?<!is )(?<!be )(?<!the )(?<! a )(?<! an )(?<!also )"
    r"(?:wounded|injured)(?= \w)"
    # "shot dead a guard, injured two others": the next verb of a list, its object a count
    r"|(?<=\w, )(?:wounded|injured)(?= (?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|several)\b))"
    r"\s+(?=(?P<obj>[^.;:]{1,120}))",
    re.I,
)
WOUND_PASSIVE = re.compile(
    r"\s+(?:were|was|have been|had been|are)?\s*(?:shot and )?(?:wounded|injured|hurt"
    r"|(?:sustained|suffered|received) (?:an? )?(?:\w+ )?(?:injur(?:y|ies)|wounds?)"
    r"|(?:being )?treated for (?:their |his |her )?(?:wounds|injuries)"
    # "six other people ... were being treated", "thirteen others remain under treatment": the wounded
    r"|(?<=were )being treated|(?<=was )being treated|(?<=are )being treated"
    r"|remain(?:ed|s)? under treatment)\b",
    re.I,
)
# "the victims were three Ukrainians, two Chinese citizens and a Nepali": the dead listed by nationality
VICTIMS_WERE = re.compile(
    r"\b(?:the )?(?:victims|dead|deceased|those killed)\s+(?:were|included)\s+(?P<obj>[^.;]{1,240})"
    # "among the dead was a Chinese citizen and an Afghan employee", "Two Afghans were among the dead"
    r"|\bamong the (?:dead|victims|deceased)\s+(?:was|were)\s+(?P<obj2>[^.;]{1,240})"
    r"|(?:^|[.;]\s*)(?P<obj3>[^.;]{1,120}?)\s+(?:was|were)\s+among the (?:dead|victims|deceased)\b",
    re.I,
)
# "four people, including two guards", "two hikers - a woman from ... and a man from ...": the victims named
BREAKDOWN = re.compile(
    r",?\s*\b(?:including|among them|of whom|among whom)\b|\s+[-\u2013\u2014]+\s+"
    r"|,\s*(?=[\w-]+\s+of\s+(?:them|whom)\b)"  # "three people, two of them Chinese": a part, not more victims
    r"|\s*\((?=[^()]{1,160}\))",  # "four people (three Chinese engineers and a driver)": the same four
    re.I,
)
MODIFIER = re.compile(r"\b(at least|more than|over|about|nearly|roughly|some|around|up to)\s*$", re.I)


@dataclass(frozen=True)
class Casualties:
    """Victim counts as the text states them; None when not stated."""

    killed: int | None = None
    wounded: int | None = None
    killed_by_nationality: dict[str, int] = field(default_factory=dict)
    wounded_by_nationality: dict[str, int] = field(default_factory=dict)


Found = list[tuple[int, int, dict[str, int], bool]]  # (offset, total, by nationality, firm)


def _figure(
    text: str, active: re.Pattern[str], passive: re.Pattern[str], toll: re.Pattern[str] | None = None
) -> tuple[int, dict[str, int]] | None:
    """The first firm figure the text states (``toll``: "the death toll at 44" counts among them)."""
    found = _active_figures(text, active) + _passive_figures(text, passive)
    if toll is not None:
        for m in toll.finditer(text):
            parts = components(m.group("obj"))
            if parts:
                found.append((m.start(), parts[0][0], {}, _firm(m.group("obj"))))
    if not found:
        return None
    found.sort(key=lambda f: (not f[3], f[0]))  # "dozens dead" only when no firm figure is given
    total, detail = found[0][1], found[0][2]
    # "an attack that killed two Chinese citizens ... Two Chinese citizens and one Afghan employee were
    # killed": the first figure counted only the foreigners, a later one the same foreigners and the rest
    whole = next((f for f in found[1:] if f[3] and contains(f[2], detail) and f[1] > total), None)
    # "one Chinese national was injured ... at least 10 people, including Pakistani passers-by, were injured"
    whole = whole or next((f for f in found[1:] if f[3] and f[1] > total and _mixed(text, f)), None)
    if detail and "" not in detail and whole is not None:
        total, detail = whole[1], whole[2]
    elif whole is None:
        total, detail = _and_also(text, found, total, detail)
    # a headline's "two police officers and two visa seekers killed" names no nationality; the body's
    # "two police officers and two Pakistani civilians" does: the same toll, broken down
    detail = detail or next((d for _, n, d, _ in found[1:] if n == total and d), {})
    return total, detail


def _and_also(text: str, found: Found, total: int, detail: dict[str, int]) -> tuple[int, dict[str, int]]:
    """The first figure and the victims told after it as "also" killed ("One Chinese citizen was killed ...
    Two Pakistani police officers also lost their lives"): one toll, its parts told apart."""
    first = found[0][0]
    for offset, n, by, is_firm in found[1:]:
        before = text[max(0, offset - 80) : offset]
        # "three people, including two Chinese ... A driver was also wounded": counted; "five people,
        # including two soldiers, were killed ... Three civilians were also killed": the rest of the five
        told = "" in detail or (n < total and any(f[1] == found[0][1] and _mixed(text, f) for f in found))
        if is_firm and offset > first and not told and ALSO.search(before) and not TOLD_BEFORE.search(before):
            total, detail = total + n, merged(detail, total, by, n)
    return total, detail


def _mixed(text: str, figure: tuple[int, int, dict[str, int], bool]) -> bool:
    """A figure of people "including" others, broken down by no count: every victim, not a part of them."""
    return (
        not figure[2]
        and re.search(r"\bpeople,?\s+including\b", text[max(0, figure[0] - 100) : figure[0]]) is not None
    )


def _active_figures(text: str, active: re.Pattern[str]) -> Found:
    """Figures after an active verb: "killing four people, including two guards"."""
    found: Found = []
    for m in active.finditer(text):
        before = re.split(r"[.;]", text[max(0, m.start() - 80) : m.start()])[-1]
        if CLAIMED.search(before):
            continue  # "the group said its fighters had killed a dozen soldiers": a claim, not the toll
        obj = OBJECT_END.split(WORKING_ON.sub("", m.group("obj")), maxsplit=1)[0]
        # "four people, including two guards": the part after "including" breaks the total down
        split = BREAKDOWN.search(obj)
        head, breakdown = (obj[: split.start()], obj[split.end() :]) if split else (obj, "")
        parts = components(head)
        if parts:
            total = sum(n for n, _ in parts) + _one_more(head, parts, before + m.group(0), active)
            # "killing five people including the bomber": the attacker is no victim
            total -= int(bool(breakdown) and ONE_ATTACKER.match(breakdown) is not None and total > 1)
            detail = rest_local(by_nationality(components(breakdown)), total) if breakdown else {}
            found.append((m.start(), total, detail or by_nationality(parts), _firm(head)))
    return found


# where an active verb's object ends: "killing two guards when ...", "..., a senior officer said"
OBJECT_END = re.compile(
    r"\b(?:before|after|when|while|as|in|on|near|most of|mostly)\b"
    r"|\band\s+(?:wound|injur|hurt|left)\w*|\bat\b(?! least)"
    # "..., a senior officer said": the attribution, not more victims
    r"|,?\s+(?:[\w-]+\s+){0,4}?(?:said|says|told|added|reported)\b"
    # "shot dead a guard, injured two others and set fire to six vehicles": the next verb's object
    r"|,\s+(?:wounded|injured)\b|(?:,|\band)\s+(?:set|torched|burn[td]|took|abducted|kidnapped|looted"
    r"|snatched|damaged|destroyed|blew|fled|escaped)\b"
)
# "five Chinese engineers working on the dam and their driver": what the victims did, not where the attack was
WORKING_ON = re.compile(
    r"\b(?:working|employed|travelling|traveling|heading|deployed|stationed|posted)\s+(?:on|at|for|in|to|with)\s+"
    r"(?:the\s+|a\s+)?(?:[\w-]+\s+){0,4}?(?=and\b|,)",
    re.I,
)
BOMBER_AFTER = re.compile(
    r",?\s*including\s+(?:the\s+|a\s+)?(?:suicide\s+)?(?:bomber|attacker|assailant)\b", re.I
)
ONE_ATTACKER = re.compile(r"\s*(?:the|a)\s+(?:suicide\s+)?(?:bomber|attacker|assailant|gunman)\b", re.I)
# "the group said it had killed", "claiming to have killed": the attackers' own count
CLAIMED = re.compile(
    r"\b(?:claim\w*|said|says|saying)\s+(?:that\s+)?(?:it|they|its|their)\b[^.;,]{0,30}$"
    r"|\bclaim\w*\s+to\s+have\s*$",
    re.I,
)


def _one_more(head: str, parts: list[tuple[int, str]], before: str, active: re.Pattern[str]) -> int:
    """1 for the victim a report names before "N others" or "his wife" ("killing the mayor and six others",
    "wounding the dentist and his wife"; "wounding the governor in the arm and injuring nine others"), or
    who died "along with thirteen other men"."""
    if len(parts) != 1:
        return 0
    if ALONG_WITH.search(before) and OTHER.match(parts[0][1]):
        return 1
    named = OTHERS.match(head)
    if named is not None:
        return int(bool(named["first"].strip()) and not components(named["first"]))
    if not parts[0][1].lower().startswith("others"):
        return 0
    earlier = list(active.finditer(before))  # the same verb of harm just before, naming its victim
    return int(bool(earlier) and not components(before[earlier[-1].end() :].split(" and ")[0]))


def _passive_figures(text: str, passive: re.Pattern[str]) -> Found:
    """Figures before a passive verb: "three Chinese engineers were killed"."""
    found: Found = []
    for m in passive.finditer(text):
        window = _subject(text, m.start())
        if not window.strip() or NO_SUBJECT_END.search(window) or ATTRIBUTIVE.match(text, m.end()):
            continue  # "killed 17 and wounded ...": an active verb; "Since 2017, 20 were killed": a sum
        if not AUXILIARY.match(m.group(0)) and DIED_AFTER.match(text, m.end()):
            continue  # "a guard injured in the blast died": one who died, not among the wounded
        if re.search(r"\b(?:a|an|the)\s*$", window, re.I):
            continue  # "after a wounded customs inspector died": an adjective, not a passive verb
        if SUBSET.search(window):
            continue  # "three constables were among the wounded", "a dozen of the most critically hurt"
        # "two policemen were martyred and a worker was injured": the subject follows the other verb
        window = re.split(
            r"\b(?:killed|martyred|died|dead|perished|wounded|injured|hurt|succumbed"
            r"|embraced (?:shahadat|martyrdom)|lost (?:their|his|her) li(?:ves?|fe))\b"
            r"(?:\s+and\b)?",
            window,
        )[-1]
        inc = re.search(
            r"(?P<total>[\w-]+)\s+(?:people|persons|others|victims)?\s*,?\s*including\s+(?P<parts>.*)$",
            window,
        )
        # "two Chinese nationals among 3 killed": the total after "among", its part before
        inc = inc or re.search(
            r"(?P<parts>.*?)\s+among\s+(?:the\s+)?(?P<total>[\w-]+)\s*(?:people|persons)?\s*$", window
        )
        if inc and parse_number(inc["total"]) is not None:
            total = parse_number(inc["total"]) or 0
            total -= int(ONE_ATTACKER.match(inc["parts"]) is not None and total > 1)  # "including the bomber"
            found.append(
                (m.start(), total, rest_local(by_nationality(components(inc["parts"])), total), True)
            )
            continue
        window = re.split(r"\b(?:killed|killing|left|leaving|wounding|injuring)\b", window)[-1]
        appos = APPOSITIVE.search(window) or NAMED.search(window)
        window = before_names(window, appos, components) if appos else before_aside(window, components)
        subj = last_clause(window)
        # "two soldiers and eight militants were killed": the victims of a subject that names both
        if (ATTACKERS.search(subj) and not re.search(r"\band\b", subj)) or PARTITIVE.fullmatch(subj):
            continue  # "four of them were killed": a part of a group told before, often the attackers
        if NONE_OF.search(subj):
            found.append((m.start(), 0, {}, True))  # "none of the 22 crew was injured": nobody
            continue
        parts = components(subj)
        if parts:
            total = sum(n for n, _ in parts)
            # "12 dead, including the bomber": the attacker counted in the figure is no victim
            total -= int(total > 1 and BOMBER_AFTER.match(text, m.end()) is not None)
            detail = rest_local(by_nationality(components(appos.group(0))), total) if appos else {}
            detail = detail or _bracketed(text, m.end(), total)
            found.append((m.start(), total, detail or by_nationality(parts), _firm(subj)))
    return found


ASIDE = re.compile(r"\([^()]*\)")
PART_OF = re.compile(r"\b(?P<part>[\w-]+)\s+of\s+the\s+(?P<whole>[\w-]+)\s*$", re.I)


def _subject(text: str, verb: int) -> str:
    """The words before a passive verb where its subject is: up to 100 characters, within the sentence."""
    window = text[max(0, verb - 100) : verb]
    # "a guard and a cook, were also"; "| PD 4 / Shahr-e Naw | ... | 0 killed": a table's cell ends it
    # "08:31 One person killed": a clock's minutes go with its colon, no victims
    window = ALSO_END.sub("", re.split(r"[.;:|](?:(?<=\d[:.])\d+\b)?", window)[-1])
    # "four were killed (two foreigners, a driver and an escort) and six injured": the aside is no subject
    window = ASIDE.sub(" ", window)
    part = PART_OF.search(window)  # "five of the six injured remain": the six are the wounded
    if part and parse_number(part["part"]) is not None and parse_number(part["whole"]) is not None:
        window = window[: part.start()] + part["whole"]
    return window


BRACKETED = re.compile(r"\s*\((?P<parts>[^()]{1,160})\)")


def _bracketed(text: str, end: int, total: int) -> dict[str, int]:
    """The victims of a figure broken down in brackets after its verb ("04 killed (02 Chinese nationals,
    01 driver, 01 FC)"), by nationality, when the parts do not outnumber the figure."""
    told = BRACKETED.match(text, end)
    parts = components(told["parts"]) if told else []
    if not parts or sum(n for n, _ in parts) > total:
        return {}
    return rest_local(by_nationality(parts), total)


def _breakdown(text: str, total: int) -> dict[str, int]:
    """A revised toll's victims by nationality: those of a figure of the same total ("killed a Chinese
    national and two Afghans" beside "the toll rose to three"), else an earlier figure's breakdown and the
    dead it did not count, of no stated nationality ("killing two Chinese technicians and their Pakistani
    driver ... the escort died of his wounds, taking the toll to four": 2 CN and 2 of the country)."""
    found = _active_figures(text, KILL_ACTIVE) + _passive_figures(text, KILL_PASSIVE)
    same = next((d for _, n, d, _ in found if n == total and d), None)
    if same is not None:
        return same
    part = next((d for _, n, d, _ in found if d and "" not in d and n < total), {})
    rest = total - sum(part.values())
    return {**part, "": rest} if part and rest > 0 else part


def _still_number(still: re.Match[str]) -> int | None:
    """The count of the wounded who remain ("the other two injured ...", "the second injured man": one)."""
    if still.groupdict().get("one"):
        return 1
    told = still.groupdict().get("n") or still.groupdict().get("n2")
    return parse_number(told) if told else None


def casualties(text: str, listing: str = "", newest_first: bool = False) -> Casualties:
    """Killed and wounded victims stated in the text (first firm figure; attackers excluded); the dead
    listed by nationality in ``listing`` (the text when not given) break the toll down; ``newest_first``: the
    text tells a live page's updates latest first, so a figure told before a revised toll is later than it."""
    text = demonym_first(RANGE.sub(lambda m: m["low"] or m["low2"], text))  # "between 20 and 25": the lowest
    killed = _figure(text, KILL_ACTIVE, KILL_PASSIVE, TOLL)
    revised = REVISED.search(text)
    if revised and newest_first and _figure(text[: revised.start()], KILL_ACTIVE, KILL_PASSIVE, TOLL):
        revised = None  # "11:48 pm: ... the toll at 44 ... 6:15 pm: the toll has risen to 35": the 44 stands
    if revised:  # an explicitly revised official toll supersedes earlier figures
        parts = components(
            revised["obj"] or revised["obj2"] or revised["obj3"] or revised["obj4"] or revised["obj5"]
        )
        if parts:
            killed = (parts[0][0], _breakdown(text, parts[0][0]))
    if killed is None:
        toll = TOLL.search(text)
        if toll:
            parts = components(toll.group("obj"))
            killed = (parts[0][0], {}) if parts else None
    if killed is None:
        killed = _figure(text, KILL_HEADLINE, re.compile(r"(?!x)x"))
    wounded = _figure(text, WOUND_ACTIVE, WOUND_PASSIVE, WOUNDED_COUNT)
    now = NOW_NUMBER.search(text)  # "the injured now number four": a count of the wounded, told alone
    still = STILL_TREATED.search(text) or now
    # "the second injured soldier is recovering", "the other two injured ...": the rest of a count told before
    rest = still is not None and re.search(r"\b(?:other|second|third|fourth)\b", still.group(0), re.I)
    if (wounded is not None or now or rest) and still and (n := _still_number(still)):
        # "The other three injured, two Chinese engineers and a driver, are out of danger": by nationality
        wounded = (n, rest_local(by_nationality(components(still.groupdict().get("parts") or "")), n))
    if wounded is None and (care := IN_CARE.search(text)) and (n := parse_number(care["n"])):
        wounded = (n, {})  # "Two constables are still in hospital": no other count of the wounded told
    none_hurt = bool(ZERO_ALL.search(text) or (killed is wounded is None and ZERO_ALL.search(listing)))
    if killed is not None and (listed := VICTIMS_WERE.search(listing or text)):
        # "the victims were three Ukrainians, a Nepali, ...": a breakdown the toll's own words lack
        by = by_nationality(components(listed["obj"] or listed["obj2"] or listed["obj3"]))
        if by and (not killed[1] or "" in killed[1]) and sum(by.values()) <= killed[0]:
            killed = (killed[0], by)
    k = killed[0] if killed else (0 if ZERO_KILLED.search(text) or none_hurt else None)
    w = wounded[0] if wounded else (0 if zero_wounded(text) or none_hurt else None)
    w = 0 if CORRECTED_ZERO.search(text) and not k else w
    return Casualties(k, w, killed[1] if killed else {}, wounded[1] if wounded else {})
