"""The publication date of a report: stamps, datelines, bylines, headings and page banners. Pure."""

from __future__ import annotations

import re
from datetime import date, timedelta
from itertools import pairwise

from outrider.intel.dates import MONTH_NAME, BannerDay, month_number, parse_date_text
from outrider.intel.gazetteer import find_places, lookup
from outrider.intel.periods import period_end
from outrider.intel.record_header import record_day
from outrider.intel.solar import solar_dated

# "Site updated: 11 April 2026" is the site's stamp (RENDER), not the article's
STAMP = re.compile(r"\b(?<!site )(?:published|updated|posted)(?:\s+on)?\s*:?\s*(?P<rest>.+)$", re.I)
# a form's or a notice's own date field: "Dated: 19-01-2031", "No. 41/B    Dated Quetta, the 10th May, 2031",
# "Week 17 | Issued 28 April 2031", "Release date: 2031-06-13", "Date of issue: ...", "Date: 24 June 2026 |
# From: ...", "digest - sent
# 22-03-2031 07:00": at a line's start or after a separator (a column gap, a bar, a dash), not "his letter
# dated ..." inside a sentence; its day must follow within a place's name; a wire's closing "(Filed at 13:05
# PKT, 10 March 2031)"; a report's "Generated:" or "Compiled:" stamp (a page's "Page generated" is a render),
# a collection's "Collected from <its source>, <day>"
LABELLED = re.compile(
    # "(issued 4 May 2026)"; "... Jamali Report time: 07:00 PKT, ...": a capitalised label and its colon
    r"(?:^\(?|\(|\s{2,}|[|–—-]\s*|\.\s+|\s(?=(?-i:[A-Z][a-z]+(?:\s[a-z]+)?):))"
    # "Issued at the family home in Dera Ghazi Khan, Sunday, 16 November 2031": the place of issue, its day
    r"(?:dated|issued(?:\s+on|\s+(?:at|in|from)\s+[^,:|]{1,50},)?|sent(?:\s+on)?|filed(?:\s+on|\s+at)?"
    # "Date of judgment: 14.10.2026", "Date of order: ...": a court's or an office's own act, not the
    # "Date of institution" or "Date of hearing" before it
    r"|released(?:\s+on)?|(?:release|issue)\s+date"
    r"|date\s+of\s+(?:issue|report|release|judge?ment|order|decision|announcement|submission)"
    r"|date\s+and\s+time\s+of\s+report"
    # "Air date: Sunday, 11 January 2032", "Report time: 07:00 PKT, ...", "| Recorded Friday 3 April 2026"
    r"|(?:air\s+)?date(?=\s*:)|report\s+time|recorded(?:\s+on)?|broadcast(?:\s+on)?"
    # "Report No. RJP/67/2026     Generated: 09-03-2026 08:12", "Report compiled: 03/03/2026": a report's own
    r"|(?:report\s+)?(?:generated|compiled)(?:\s+on)?"
    # "Collected from the account's timeline, Tuesday 16 September 2031, in the order posted": a feed's posts
    r"|collected(?:\s+on|\s+from\s+[^,:|]{1,40},)?)"
    r"\s*+:?\s*+(?P<rest>.+)$",
    re.I,
)
DATELINE = re.compile(
    # "Peshawar, October 24, 2031 (Agency): ...": a town's name in capitals, or as a name with its year's date
    r"^(?:[A-Z][A-Z/ .'-]{2,40}"
    r"|(?!(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b)[A-Z][a-z]+(?: [A-Z][a-z]+){0,2}"
    r"(?=,\s+(?:[A-Z][a-z]{2,8}\.? \d{1,2},?|\d{1,2} [A-Z][a-z]{2,8}\.?,?) (?:19|20)\d\d))"
    r"(?:,\s+[A-Z][a-z]+)?"
    # "TANK (Our Correspondent), July 4, 2031: ...": the desk or agency between the town and the date
    r"(?:\s+\([^()]{1,40}\)(?=,))?"
    # "LANDI KOTAL, Pakistan (AP) - Saturday, Nov. 30, 2031 - ...": a wire's agency and weekday first
    # "ISLAMABAD: February 17, 2031" on a line of its own: the desk's town, a colon, the day
    r"(?:\s+\([A-Z][\w.]*\)\s+[-–—]\s+(?:[A-Z][a-z]+day,\s+)?|,\s+|:\s+(?=[^:]{8,20}$))"
    # "Karachi, 19 June 2031: The cabinet ...", "KASHGAR, 14 March 2031 (Agency) - ...": the day first
    r"(?P<rest>(?:[A-Z][a-z]{2,8}\.? \d|\d{1,2} [A-Z][a-z]{2,8}\.?,? (?:19|20)\d\d)[^-–—(]{0,30}?)"
    # "KASHMORE / LARKANA, March 14, 2031 (Staff Reporter)": a dateline on a line of its own
    r"(?:\s*\([^)]*\))?\s*(?:[-–—:]\s*|$)"
)
# "DUSHANBE, 13.06.2031 /Agency/. In the evening ...": a town in capitals and a day in figures
NUMERIC_DATELINE = re.compile(r"^[A-Z][A-Z .'-]{2,30},\s+(?P<rest>\d{1,2}([./-])\d{1,2}\2(?:19|20)\d\d)\b")
# "By A. Writer | April 26, 2023 | 7 min read": the byline's date is the publication's
BYLINE = re.compile(r"^By\s+[^|\n]{2,80}?\s*[|·•]\s*(?P<rest>.+)$")
# "New Delhi, Nov 7, 2022 | Updated 10:45 IST": a place and a full date heading the article
PLACE_DATE = re.compile(
    r"^(?!(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b)[A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,2},\s+"
    r"(?P<rest>[A-Z][a-z]{2,8}\.? \d{1,2},? (?:19|20)\d\d)\s*(?:[|–—-]|$)"
)
STAMP_TIME = re.compile(r"\b\d{1,2}:\d\d\b")
# a news portal's stamp over its article: "2026-02-11 16:35:08  Source: CNA  Editor: Zhou Yiman"
SOURCE_STAMP = re.compile(r"^(?P<rest>(?:19|20)\d\d-\d\d-\d\d)\s+\d{1,2}:\d\d(?::\d\d)?\s+Source\s*:")
# a date beside its author, or beside the document's own number ("Policy Brief No. 41 | 14 April 2031",
# "Issue 12", "Vol. 3"): the document's date, whatever years its body looks back on
# "Issue Brief | 20 January 2031", "Press Release | ...": a paper's own kind beside its date
AUTHOR = re.compile(
    r"\|\s*(?:Author|Written by|Reporter)\s*:|\b(?:No|Vol|Issue)\.?\s*\d+\b"
    r"|\b(?:issue|policy|research) brief\b|\bpress release\b",
    re.I,
)


def find_published(lines: list[str], body_years: set[int]) -> tuple[date | None, bool]:
    """Return (publication date, stated_in_text) from stamps, datelines, or a header date."""
    for line in lines[:40]:
        m = STAMP.search(line)
        if m:  # "posted 3 Sep 2031 (archived copy; archive date 2031-12-01)": the stamp's own date first
            head = m["rest"][:40]  # close to the stamp word: not "posted at X ... on 8 May" in a sentence
            d = parse_date_text(head.split("(")[0]) or parse_date_text(head)
            if d:
                return d, True
    # a notice's or petition's date field, at its head or among its closing lines
    for line in lines[:40] + lines[-4:]:
        if (m := LABELLED.search(line.strip())) is not None and (d := parse_date_text(m["rest"][:40])):
            return d, True
    for line in lines[:40]:
        s = line.strip()
        m = DATELINE.match(s) or BYLINE.match(s) or PLACE_DATE.match(s) or NUMERIC_DATELINE.match(s)
        m = m or SOURCE_STAMP.match(s)
        if m:
            d = parse_date_text(m["rest"])
            if d:
                return d, True
    for byline, line in pairwise(lines[:41]):
        # "By our Staff Reporter" then "July 1, 2020" on a line of its own: the article's date
        if (
            byline.strip().startswith("By ")
            and len(line.strip()) <= 30
            and (d := parse_date_text(line.strip()))
        ):
            return d, True
    day = _banner_date(lines, body_years)
    # "Issue: Saturday, 9 Hamal 1410": a header dated by the solar hijri calendar only
    day = day or next((d for line in lines[:6] if (d := solar_dated(line)) is not None), None)
    return day, day is not None


def _banner_date(lines: list[str], body_years: set[int]) -> date | None:
    """A header line's date ("Sunday, 21 September 2031", "OUTLET | Peshawar | Thursday, ..."), unless it is
    the page's render date: beside a weather widget, or later than every year the body states on a page that
    shows its furniture (a "Breaking:" ticker, a breadcrumb, login) without labels of the article's own."""
    # "Page generated 14/08/2031 09:12", "Retrieved on ...": the page's render stamp is no banner line
    banner = [ln for ln in lines[:12] if not RENDER.match(ln.strip())][:6]
    if any(WEATHER.search(ln) for ln in banner):
        return None  # a weather widget beside the date: the page's render date, not publication
    furnished = any(FURNITURE.search(ln) for ln in lines[:8])
    # "EDITORIAL" over "The Courier | Saturday, August 9, 2031": the outlet's date over its own piece
    piece = any(PIECE.fullmatch(ln.strip()) for ln in banner[:3])
    for line in banner:
        s = line.strip()
        if FILE_NUMBER.fullmatch(s):
            continue  # "No. 5/14/2026-CSW": a file number whose figures read as a day
        headed = piece and len(s) <= 80 and len(_parts(s)) == 2
        # "A newsletter for ... | Issue No. 37 | 10 September 2026": a date beside the document's number
        numbered = AUTHOR.search(s) is not None and HEADER_DATE.search(s) is not None
        # "[TRANSCRIPT - ..., THURSDAY 13 AUGUST 2026]": an editor's note of the record, no render stamp
        bracketed = (
            (note := record_day(s)) is not None and not RENDER.search(s) and bool(parse_date_text(note))
        )
        if (len(s) <= 40 or headed or numbered or bracketed or _masthead(s) or _dated_header(s)) and (
            d := parse_date_text(s)
        ) is not None:
            # a stamp with its time of day, "18.11.2024 19:35", a date beside its author, edition or number,
            # or an outlet's header naming its town, "OUTLET | Quetta | Tuesday, 24 June 2031", is its own
            own = (
                headed
                or bracketed
                or STAMP_TIME.search(s)
                or AUTHOR.search(s)
                or _outlet_and_town(s)
                or any(_issued_in(p) for p in _parts(s))
            )
            # a page telling its story as the day's news ("yesterday", "on Tuesday") under the banner is the
            # banner's day's, whatever older years its background names, unless it shows the furniture
            if body_years and max(body_years) < d.year and not own and _render_date(lines, d, furnished):
                continue  # the site's render date: a later line may give the article's own
            return d
    return None


# a header's date between its separators: "Fact-check | 6 August 2031 | Reading time 4 min",
# "Tuesday, August 18, 2031 | Safar 4, 1448 AH", "Original date line: Gwadar, Thursday, 31 July 2031",
# "Friday, April 25, 2031 - Shawwal 26, 1446", "Programme: Evening Bulletin, 8:00 pm, 11 June 2031"
HEADER_DATE = re.compile(
    r"(?:^|[|/:,–—·•-])\s*+(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
    rf"(?:(?i:{MONTH_NAME})\s+\d{{1,2}},?|\d{{1,2}}\s+(?i:{MONTH_NAME}),?)\s+(?:19|20)\d\d\s*+(?=[|/,–—·•(-]|$)"
)
# a label of the outlet's own: a number, a word in lower case, or a section of the paper ("Sunday Magazine")
OWN_LABEL = re.compile(r"\d|(?:^|\s)[a-z]|\b(?:Magazine|Supplement|Features?|Weekend|Edition)\b")
HEADER_LABEL = re.compile(r"\s*+[|/,:–—·•]\s*+|\s+-\s+")


def _dated_header(line: str) -> bool:
    """Whether a header line is one full date among short labels (a weekday, a town, the outlet, a section,
    the page, a time of day, a second calendar's date), each set off by | / , : or a dash: no sentence."""
    if len(line) > 100 or SITE_CHROME.search(line) or (m := HEADER_DATE.search(line)) is None:
        return False
    labels = [p for p in HEADER_LABEL.split(line[: m.start()] + " | " + line[m.end() :]) if p.strip()]
    if any(len(p.split()) > 4 or p.rstrip().endswith(".") for p in labels):
        return False
    # a name alone beside the date ("The Courier | Saturday, 9 August 2031") may be the site's render banner
    return len(labels) >= 2 or any(OWN_LABEL.search(p) for p in labels)


# a letter's or a minute's file number alone on its line ("No. 5/14/2026-CSW", "Ref: 12/03/2031/HD",
# "No. 12/3/2026-Security(CPEC)")
FILE_NUMBER = re.compile(r"(?:No|Ref|File\s+No)\.?\s*:?\s*[\w/.()-]+", re.I)
PIECE = re.compile(r"(?:editorial|opinion|comment|analysis|column|op-ed|leader)\s*:?", re.I)
RENDER = re.compile(
    r"site\s+updated|(?:page\s+)?(?:generated|rendered|printed|retrieved|accessed|downloaded|captured"
    r"|archived|cached|scraped)"
    r"(?:\s+(?:on|at))?\b",
    re.I,
)
NEWS_DAY = re.compile(
    r"\b(?:yesterday|today|last night"
    r"|(?:on|late on|early on)\s+(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)\b",
    re.I,
)


# "Washington/Islamabad, Aug 4: The ...", "SUKKUR, Pakistan, Aug 4 (Agency) - ...": a dateline, no year
YEARLESS_DATELINE = re.compile(
    rf"^[A-Z][\w/ .'-]{{2,40}}(?:,\s+[A-Z][\w.'-]+(?: [A-Z][\w.'-]+)?)?,\s+(?P<mon>{MONTH_NAME})\s+"
    r"(?P<day>\d{1,2})\s*(?:\([^)]{1,30}\)\s*)?[:\-–—]",
    re.I,
)


# "DUSHANBE, 12 October (NAT-Info). — ...", "QUETTA, March 14: ...": a desk's town in capitals and its day
DESK_DAY = re.compile(
    rf"^[A-Z][A-Z/ .'-]{{2,30}}(?:,\s+[A-Z][a-z]+)?,\s+(?i:{MONTH_NAME}\s+\d{{1,2}}|\d{{1,2}}\s+{MONTH_NAME})"
    r"\s*(?:\([^()]{1,30}\)\.?\s*)?[:\-–—]"
)


def without_dateline(line: str) -> str:
    """The line with its dateline blanked, with its year or without: it states publication, not an event
    (the same length keeps offsets)."""
    line = DATELINE.sub(lambda m: " " * len(m.group(0)), line, count=1)
    return DESK_DAY.sub(lambda m: " " * len(m.group(0)), line, count=1)


def yearless_dateline(lines: list[str]) -> tuple[int, int] | None:
    """The month and day of a dateline that leaves out its year, in the report's first lines."""
    for line in lines[:8]:
        m = YEARLESS_DATELINE.match(line.strip())
        if m is not None and (month := month_number(m["mon"])) is not None and 1 <= int(m["day"]) <= 31:
            return month, int(m["day"])
    return None


# how many days a wire's dateline may fall before the page's date and still be told by it
DATELINE_LAG = 3


def dateline_day(lines: list[str], page: date) -> date | None:
    """The day of a dateline without its year ("SUKKUR, Pakistan, March 14 (Agency) - ...") on a page dated
    otherwise: in the page date's year, or the year before when that day would come after the page's date;
    None without such a dateline or when it falls within a few days before the page's date (the page's)."""
    month_day = yearless_dateline(lines)
    if month_day is None:
        return None
    try:
        day = date(page.year, *month_day)
        day = day if day <= page else date(page.year - 1, *month_day)
    except ValueError:
        return None
    return day if page - day > timedelta(days=DATELINE_LAG) else None


def _render_date(lines: list[str], day: date, furnished: bool) -> bool:
    """Whether a banner's day, later than every year the body names, is the page's render date: not when
    the lead opens on a dateline of the banner's month and day ("Washington, Aug 4: ..."), nor, on a page
    without the site's furniture, when it tells its story by a day counted from its own ("yesterday")."""
    lead = [ln for ln in lines[:12] if len(ln.split()) >= 12][:2]
    for ln in lead:
        m = YEARLESS_DATELINE.match(ln)
        if m and (month_number(m["mon"]), int(m["day"])) == (day.month, day.day):
            return False
    return furnished or not any(NEWS_DAY.search(ln) for ln in lead)


# a site's furniture in a page's first lines: a news ticker, a breadcrumb ("Home > Pakistan"), its login
FURNITURE = re.compile(
    r"^(?:breaking|latest|trending|just in)\b\s*:|\w\s+[>»]\s+\w"
    r"|\b(?:log\s?in|sign\s?in|subscribe|e-?paper)\b",
    re.I,
)


# the site's furniture beside a date: the page's render date ("Friday, 7 May 2032 | Login | Subscribe")
SITE_CHROME = re.compile(
    r"\b(?:log\s?in|sign\s?in|sign\s?up|subscribe|e-?paper|today'?s paper|menu|search|register)\b"
    # the site's sections between bars: "Sunday, December 6, 2026 | Home | Balochistan | ... | Contact"
    r"|[|·•]\s*(?:home|contact(?:\s+us)?)\s*(?:[|·•]|$)",
    re.I,
)
# "Rawalpindi - November 14, 2025" closing a press release's header line, "AFP - Quetta (AFP) - Jun 14, 2024"
# closing a wire's: the place and date of issue
ISSUED_AT = re.compile(
    # "HANDOUT No. 77            Quetta, 19 June 2031" ("Quetta, the 5th September 2031"): the place of issue
    # after a wide gap
    rf"(?:\s[-–—]\s+|\s{{3,}}[A-Z][a-z]+(?: [A-Z][a-z]+)?,\s+)"
    rf"(?:(?i:{MONTH_NAME})\s+\d{{1,2}},?|(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+(?i:{MONTH_NAME}),?)\s+(?:19|20)\d\d\s*$"
)


ARTICLE_LABEL = re.compile(
    r"\b(?:author|by|edition|correspondent|desk|bureau|reporter|staff|brief|release|no\.|round-?up|digest"
    r"|bulletin|transcript|broadcast)",
    re.I,
)


def _masthead(line: str) -> bool:
    """A header line of short labels around one full date, without the site's furniture: the outlet, its
    town, an edition, an author ("THE DAILY POST | Karachi | Thursday, March 20, 2031"), or the place of
    issue of a press release or a wire ("No PR-21/2031     Rawalpindi - November 14, 2031",
    "AFP - Quetta (AFP) - Jun 14, 2031")."""
    if len(line) > 100 or SITE_CHROME.search(line):
        return False
    if ISSUED_AT.search(line):
        return True
    parts = _parts(line)
    if len(parts) >= 2 and any(_issued_in(p) for p in parts):
        return True
    dated = [p for p in parts if parse_date_text(p) is not None]
    if len(parts) < 2 or len(dated) != 1 or any(len(p) > 60 for p in parts):
        return False
    # an article's own labels (its town, author, edition, desk, a station named by its place, a time of day),
    # not only the site's name beside a date: "THE POST | Friday, 7 May 2032" may be the page's render date
    # "Weekly round-up | Saturday edition, July 26, 2031": a label beside the date or within its part
    return STAMP_TIME.search(line) is not None or any(
        ARTICLE_LABEL.search(p) or (p not in dated and (lookup(p) is not None or find_places(p)))
        for p in parts
    )


# "OUTLET | Town | date", "Town, Province - date - Outlet (edition)": a header's labels
PART = re.compile(r"\s*\|\s*|\s+[-–—]\s+")


def _parts(line: str) -> list[str]:
    return [p.strip() for p in PART.split(line) if p.strip()]


# "OUTLET (English edition) | KASHMORE, 13 March 2031": the town the report was filed from, then its date
ISSUED_IN = re.compile(
    rf"^(?P<towns>[A-Z][\w'-]+(?:[ /]+[A-Z][\w'-]+){{0,3}}),\s+"
    rf"(?:\d{{1,2}}\s+(?i:{MONTH_NAME})|(?i:{MONTH_NAME})\.?\s+\d{{1,2}},?)\s+(?:19|20)\d\d\b"
)


def _issued_in(part: str) -> bool:
    """Whether a header's dated label opens with the town (or towns) the report was filed from."""
    m = ISSUED_IN.match(part)
    if m is None:
        return False
    towns = [t.strip() for t in m["towns"].split("/")]
    return all((p := lookup(t.title())) is not None and p.name is not None for t in towns)


def _outlet_and_town(line: str) -> bool:
    """Whether a header's labels beside its date name an outlet and the town it reports from: a page's
    render banner names the site and the day ("18.11.2031 | Quetta" is a banner too)."""
    labels = [p for p in _parts(line) if parse_date_text(p) is None]
    town = [p for p in labels if any(not h.is_region and h.place.name for h in find_places(p))]
    return bool(town) and len(labels) >= 2


def find_page_bound(lines: list[str]) -> date | None:
    """A short banner date that is not the publication (render or scrape date), or a header that dates the
    report to its month only ("Issue Brief No. 12 | April 2031": the month's last day): an upper bound."""
    for line in lines[:6]:
        s = line.strip()
        if (end := period_end(s)) is not None:
            return end
        if len(s) <= 60 and (d := parse_date_text(s)) is not None:
            return d if _render_marked(lines) else BannerDay(d.year, d.month, d.day)
        if (m := HEADER_MONTH.search(s)) is not None and (month := month_number(m["mon"])) is not None:
            following = date(int(m["y"]) + month // 12, month % 12 + 1, 1)
            return following - timedelta(days=1)
    return None


def _render_marked(lines: list[str]) -> bool:
    """Whether a page's first lines show the marks of a render date: a weather widget, the site's menus or
    ticker, or a retrieval stamp ("Retrieved: 14 September 2031")."""
    head = [ln.strip() for ln in lines[:8]]
    return any(
        RENDER.match(ln) or FURNITURE.search(ln) or SITE_CHROME.search(ln) or WEATHER.search(ln)
        for ln in head
    )


WEATHER = re.compile(r"\b-?\d{1,2}(?:\.\d)?\s?°?\s?C\b|°")


# "Policy Brief No. 12 | April 2031", "December 2031" alone: a header dated to its month
HEADER_MONTH = re.compile(rf"(?:^|[|•·]\s*)(?P<mon>{MONTH_NAME})\s+(?P<y>(?:19|20)\d\d)\s*$", re.I)


ONLY_A_DATE = re.compile(r"[\w ,.]+")


# "Monday, April 13, 2026 | Last updated 09:40 PST", "DAILY X · Saturday, February 7, 2026 · Page 2"
MASTHEAD_SEP = re.compile(r"\s+[|·•]\s+")
BARE_TIME = re.compile(r"\d{1,2}[:.]\d\d(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*[A-Z]{2,4})?")


def page_date_line(line: str, day: date | None) -> bool:
    """Whether a line is the page's date ("Tuesday, May 2, 2031" under the title), the publication's, alone or
    among a masthead's fields ("| Last updated 09:40 PST", "· Page 2"): no heading of an item below it (a
    post's stamp, its date beside a bare time of day or a handle, is not)."""
    if day is None:
        return False
    parts = MASTHEAD_SEP.split(line.strip())
    dated = [p for p in parts if ONLY_A_DATE.fullmatch(p) is not None and parse_date_text(p) == day]
    return len(dated) == 1 and not any(
        BARE_TIME.fullmatch(p) or p.startswith(("@", "#")) for p in parts if p not in dated
    )
