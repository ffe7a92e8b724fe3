"""The months' names and spellings reports write, and their numbers. Pure."""

from __future__ import annotations

# each month's spellings, in order
MONTH_SPELLINGS = (
    "january jan|february feb|march mar|april apr|may|june jun|july jul|august aug|september sep sept"
    "|october oct|november nov|december dec"
)
MONTHS = {m: i + 1 for i, names in enumerate(MONTH_SPELLINGS.split("|")) for m in names.split()}
# the months' names as a report spells them out: "January" ... "December"
MONTH_TITLES = tuple(names.split()[0].capitalize() for names in MONTH_SPELLINGS.split("|"))
MONTH_NAME = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)


def month_number(token: str) -> int | None:
    """Map a month name or abbreviation to its number."""
    return MONTHS.get(token.lower().rstrip("."))
