"""A report's tables read row by row, each row written as a line item the grammar reads. Pure.

"| 12 Aug | Zhob / Appozai checkpost | Armed attack on Levies post | 3 Levies | 2 Levies, 1 civilian | TTP |"
under a header "| Date | Place | Nature of incident | Killed | Injured | Claimed by |" says its tolls and its
claim only by the column it stands in. The row is written as a listing's line ("12 Aug | Zhob / Appozai
checkpost | Armed attack on Levies post; 3 Levies killed; 2 Levies and 1 civilian injured; claimed by TTP."),
so that `items` heads it by its date and place and the casualty and claim grammar reads its cells. The header
and its rule line go; a row whose cells do not line up with the header stays as it was.
"""

from __future__ import annotations

import re

from outrider.intel.gazetteer import find_places
from outrider.intel.month_names import MONTH_TITLES

ROW = re.compile(r"^\s*\|(?P<cells>.*)\|\s*$")
# a row written without its outer bars ("1 | 02-03 | Lower Dir (Timergara) | ... | 1 | 0 | None"): four cells
# or more, read as a table only under a header with a count column whose next line has as many cells
BARE = re.compile(r"^(?P<cells>[^|]+(?:\s\|\s[^|]*){3,})$")
RULE = re.compile(r"^\s*\|?(?:\s*:?-{2,}:?\s*\|)+(?:\s*:?-{2,}:?\s*)?$")
SERIAL = re.compile(r"(?:s\.?\s*no\.?|sr\.?(?:\s*no\.?)?|no\.?|#|serial)", re.I)
# a count column's header ("Killed", "Dead", "K", "Injured (civilians)", "WIA") and the word its cells take
COUNT_HEADS = (
    (re.compile(r"(?:killed|dead|deaths?|fatalities|martyred|k|kia)\b", re.I), "killed"),
    (re.compile(r"(?:injured|wounded|hurt|w|wia)\b", re.I), "injured"),
)
# a column that tells the toll in words ("0 killed, 2 WIA"): a table of incidents, not of arrests or plans
TOLL_HEAD = re.compile(r"casualties|losses|toll", re.I)
CLAIM_HEAD = re.compile(r"claim(?:ed)?(?:\s+by)?\b", re.I)
# a date column's day and month in figures under a heading that tells the month's year ("02-03": 2 March)
DATE_HEAD = re.compile(r"date", re.I)
DAY_MONTH = re.compile(r"(?P<d>\d{1,2})[-./](?P<m>\d{1,2})")
EMPTY = re.compile(r"[-–—]*|n/?a|not known|unknown", re.I)
NONE = re.compile(r"nil|none|no|0+", re.I)
AND = re.compile(r"\s*[,+&]\s*")  # "2 Levies, 1 civilian": both counted
# "5 (incl. 2 Chinese nationals)": a total and a part of it, not two counts
INCLUDING = re.compile(r"(?P<n>\d+)\s*\((?:incl\.?|including)\s+(?P<part>[^()]+)\)", re.I)
# a column of the district a row lies in, and one of the spot within it: a spot the gazetteer knows says where
DISTRICT_HEAD = re.compile(r"district|tehsil|division|county|admin\s*2", re.I)
SPOT_HEAD = re.compile(r"location|locality|place|site|spot|town|village|area|city", re.I)


def _cells(line: str, bare: bool = False) -> list[str] | None:
    m = ROW.match(line) or (BARE.match(line) if bare else None)
    return [c.strip() for c in m["cells"].split("|")] if m else None


def _district(cell: str) -> str:
    """A district column's cell with its noun when only the noun makes its name a place ("Tank (Kot Azam)":
    "Tank district (Kot Azam)"; a word alone, "Tank" is no town)."""
    name, bracket, rest = cell.partition(" (")
    if find_places(name) or not find_places(f"{name} district"):
        return cell
    return f"{name} district{bracket}{rest}"


def _day(cell: str) -> str:
    """A date cell's day and month in figures as words ("02-03" -> "2 March"): the day comes first, as the
    region writes it, unless only the other order is a date ("12-25")."""
    m = DAY_MONTH.fullmatch(cell)
    if m is None:
        return cell
    day, month = int(m["d"]), int(m["m"])
    if month > 12 >= day:
        day, month = month, day
    return f"{day} {MONTH_TITLES[month - 1]}" if 1 <= month <= 12 and 1 <= day <= 31 else cell


def _count(word: str, cell: str) -> str | None:
    """A count cell as the grammar reads it: "3 Levies" -> "3 Levies killed", "Nil" -> "no one killed"."""
    if EMPTY.fullmatch(cell):
        return None
    if NONE.fullmatch(cell):
        return f"no one {word}"
    if m := INCLUDING.fullmatch(cell):
        return f"{m['n']} {word} ({m['part']} among them)"
    return f"{AND.sub(' and ', cell)} {word}"


def _claim(cell: str) -> str | None:
    if EMPTY.fullmatch(cell):
        return None
    return "no claim" if NONE.fullmatch(cell) else f"claimed by {cell}"


def _count_word(name: str) -> str | None:
    """The word a count column's cells take: "Killed (civilians)" -> "killed"."""
    name = name.split("(")[0].strip()
    return next((word for pattern, word in COUNT_HEADS if pattern.fullmatch(name)), None)


def _tolls(header: list[str]) -> bool:
    """Whether a table's header has a column for its rows' tolls: a table of incidents."""
    return any(_count_word(name) or TOLL_HEAD.fullmatch(name.split("(")[0].strip()) for name in header)


def _spot_told(header: list[str], cells: list[str]) -> bool:
    """Whether a row's spot column names a place the gazetteer knows: then its district column goes
    unsaid ("| District | Location |" with "Qilla Abdullah | Chaman town" is at Chaman, in the district)."""
    return any(
        SPOT_HEAD.fullmatch(name.strip()) and any(not h.is_region for h in find_places(cell))
        for name, cell in zip(header, cells, strict=True)
    )


def _row(header: list[str], cells: list[str]) -> str:
    """A row's cells as one line: the cells before its first count as a listing's head and telling, then
    each count and claim as a clause of its own."""
    head: list[str] = []
    clauses: list[str] = []
    spot = _spot_told(header, cells)
    for name, cell in zip(header, cells, strict=True):
        word = _count_word(name)
        if SERIAL.fullmatch(name) or not cell or (spot and DISTRICT_HEAD.fullmatch(name.strip())):
            continue
        if word is not None:
            said = _count(word, cell)
        elif CLAIM_HEAD.fullmatch(name):
            said = _claim(cell)
        elif TOLL_HEAD.fullmatch(name.split("(")[0].strip()):
            said = None if EMPTY.fullmatch(cell) else cell
            word = "toll"
        else:
            said = _day(cell) if DATE_HEAD.fullmatch(name) else cell.rstrip(".")
            said = _district(said) if DISTRICT_HEAD.match(name.strip()) else said
        if said is not None:
            (clauses if clauses or word is not None else head).append(said)
    if all(
        NONE.fullmatch(c) or EMPTY.fullmatch(c) for n, c in zip(header, cells, strict=True) if _count_word(n)
    ):
        # "Demonstration | 0 | 0": a row with no toll says nothing by its zeros (an arrest, a protest)
        clauses = [c for c in clauses if not c.startswith("no one ")]
    text = " | ".join(head)
    return f"{text}; {'; '.join(clauses)}." if clauses else f"{text}."


def spell_tables(text: str) -> str:
    """The text with each table that has a header and a rule line written as one line per row; so is a
    table written without bars at its edges or a rule, under a header with a count column."""
    lines = text.splitlines()
    out: list[str] = []
    header: list[str] | None = None
    bare = False
    for k, line in enumerate(lines):
        cells = _cells(line, bare)
        if RULE.match(line) and header is not None:
            continue
        if cells is not None and k + 1 < len(lines) and RULE.match(lines[k + 1]):
            header, bare = (cells if _tolls(cells) else None), False
            if header is not None:
                continue
        if cells is None and header is None and k + 1 < len(lines):
            cells, below = _cells(line, True), _cells(lines[k + 1], True)
            if cells is not None and below is not None and len(below) == len(cells) and _tolls(cells):
                header, bare = cells, True
                continue
        if cells is None or header is None or len(cells) != len(header):
            header = header if cells is not None else None
            out.append(line)
            continue
        out.append(_row(header, cells))
    return "\n".join(out)
