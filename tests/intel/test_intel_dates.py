from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from outrider.intel.dates import WEEKDAYS, parse_date_text, resolve_event_date
from outrider.intel.event_dates import relative_to
from outrider.intel.published import find_published


def test_stamp_beats_banner() -> None:
    lines = ["DAILY LANTERN", "Friday, June 7, 2030", "Storm hits coast", "Posted on: June 5, 2030 08:10"]
    assert find_published(lines, set()) == (date(2030, 6, 5), True)


def test_dateline_is_publication() -> None:
    lines = ["Bridge bombed", "MULTAN, Pakistan, Feb 2, 2029 (Wire) - A bomb destroyed a bridge on Monday."]
    assert find_published(lines, set())[0] == date(2029, 2, 2)


def test_weather_banner_is_not_publication() -> None:
    lines = ["THE VALLEY TIMES", "Monday, 3 March 2031 | 18 C Sukkur", "Blast at market"]
    assert find_published(lines, set()) == (None, False)


def test_banner_later_than_body_years_is_rejected() -> None:
    assert find_published(["Sunday, 1 June 2031", "Old story"], {2027, 2028}) == (None, False)


def test_unknown_stays_unknown() -> None:
    assert resolve_event_date("Gunmen attacked a checkpoint.", None).value is None
    assert resolve_event_date("Gunmen attacked a checkpoint on Tuesday.", None).precision == "unknown"


def test_month_without_year_goes_back() -> None:
    got = resolve_event_date("the raid on the depot in November", date(2030, 2, 10))
    assert (got.value, got.precision) == (date(2029, 11, 1), "month")


def test_last_month_and_explicit() -> None:
    assert resolve_event_date("a blast last month", date(2030, 1, 15)).value == date(2029, 12, 1)
    assert resolve_event_date("on 4 July 2026 a bomb", None).value == date(2026, 7, 4)
    assert parse_date_text("2024-13-40") is None


def test_relative_to_anchor() -> None:
    got = relative_to("two months after a convoy was ambushed", date(2030, 5, 20))
    assert got is not None and (got.value, got.precision) == (date(2030, 3, 1), "month")


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 1, 1)), st.sampled_from(WEEKDAYS))
def test_weekday_resolves_within_the_past_week(ref: date, weekday: str) -> None:
    got = resolve_event_date(f"Militants struck on {weekday.title()} night.", ref)
    assert got.value is not None and got.precision == "day"
    assert timedelta(0) <= ref - got.value <= timedelta(days=6)
    assert WEEKDAYS[got.value.weekday()] == weekday


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 1, 1)))
def test_written_dates_parse_back(d: date) -> None:
    text = f"{d.strftime('%B')} {d.day}, {d.year}"
    assert parse_date_text(text) == d


def test_a_day_in_figures_dates_the_sentence_it_is_told_in() -> None:
    pub = date(2031, 8, 5)
    told = resolve_event_date(
        "On the night between 03.08.2031 and 04.08.2031, gunmen attacked the post.", pub
    )
    assert (told.value, told.precision) == (date(2031, 8, 3), "day")
    assert resolve_event_date("On 2031/07/30 a bomb went off near the market.", pub).value == date(
        2031, 7, 30
    )
    assert resolve_event_date("FIR No. 318/31 was registered under sections 302/324.", pub).value is None


def test_a_listed_item_opening_on_its_day_and_month_in_figures_is_dated_by_them() -> None:
    pub = date(2031, 2, 4)
    item = resolve_event_date("2. 13/01 — Lahore: gunmen fired on a police van; two killed.", pub)
    assert (item.value, item.precision) == (date(2031, 1, 13), "day")
    assert resolve_event_date("- 28/12: a bomb went off at a market in Lahore.", pub).value == date(
        2030, 12, 28
    )
    # figures inside a sentence are no day: "3/4 escaped", "4/5 of the crew"
    assert resolve_event_date("Gunmen attacked the post; 3/4 escaped towards the hills.", pub).value is None


def test_a_span_of_days_after_an_attack_is_no_date_counted_from_it() -> None:
    # "remained shut for two days after saboteurs blew up": how long, even when cut before "two days"
    before = "Gas supply remained suspended for "
    assert relative_to("two days after saboteurs blew up the pipeline", date(2031, 3, 3), before) is None
    got = relative_to("two days after saboteurs blew up the pipeline", date(2031, 3, 3), "Gunmen struck ")
    assert got is not None and got.value == date(2031, 3, 1)


def test_a_stamp_with_its_time_of_day_may_write_its_year_in_two_figures() -> None:
    pub = date(2031, 3, 22)
    told = resolve_event_date("[21-03-31 07:52 PM] FLASH: a blast was heard near the bazaar.", pub)
    assert (told.value, told.precision) == (date(2031, 3, 21), "day")
    assert parse_date_text("03/14/31 14:30 - gunmen fired on a post") == date(2031, 3, 14)
    assert parse_date_text("2031-03-21T19:58 - CODE RED declared") == date(2031, 3, 21)
    # two-figure years without a time of day are no date: a score, a section, a range
    assert parse_date_text("the team won 3-1-20 and section 12.5.31 applies") is None


def test_a_day_told_with_last_year_and_a_year_ago_tonight() -> None:
    pub = date(2031, 4, 23)
    got = resolve_event_date("The school was torched on the night of April 23 last year.", pub)
    assert (got.value, got.precision) == (date(2030, 4, 23), "day")
    assert resolve_event_date("A bomb hit a bus on 5 December last year.", pub).value == date(2030, 12, 5)
    tonight = resolve_event_date("A year ago tonight, gunmen set a school on fire.", pub)
    assert (tonight.value, tonight.precision) == (date(2030, 4, 23), "day")
