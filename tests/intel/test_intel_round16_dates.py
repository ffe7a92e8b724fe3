"""Dates of found incidents (issue 20, sixteenth round), on texts of our own."""

from datetime import date

from outrider.intel.cleaning import clean_text
from outrider.intel.dates import HeadedDay, headed, resolve_event_date
from outrider.intel.extract import build_incidents

PUB = date(2031, 6, 19)  # a Thursday


def _records(text: str, published: date | None = PUB) -> list[tuple[object, ...]]:
    got = build_incidents(clean_text(text).lines, published)
    return [(r["city"], r["date"], r["date_precision"]) for r in got]


def test_a_paragraph_headed_by_its_year_dates_the_months_and_days_it_writes_without_one() -> None:
    text = (
        "The same road, year after year\n\n"
        "Here is my list, by year.\n\n"
        "2027. On 11 August a suicide bomber rammed a car into a bus of engineers near Dalbandin. The BLA "
        "claimed it.\n\n"
        "2029. In April, a car bomb exploded in the car park of the Serena Hotel in Quetta, killing five. "
        "In August, a bomber blew himself up beside a convoy on the East Bay Expressway in Gwadar.\n\n"
        "2031. In March, gunmen attacked a Levies post in Surab, killing two.\n"
    )
    assert _records(text) == [
        ("Dalbandin", "2027-08-11", "day"),
        ("Quetta", "2029-04-01", "month"),
        ("Gwadar", "2029-08-01", "month"),
        ("Surab", "2031-03-01", "month"),
    ]
    # without the heading, the months are the latest before the report
    assert _records(text.replace("2029. In April", "In April"))[1] == ("Quetta", "2031-04-01", "month")


def test_a_heading_year_leaves_what_counts_from_the_publication_to_it() -> None:
    day = headed(PUB, 2027)
    assert isinstance(day, HeadedDay)
    assert (day, day.heading) == (PUB, 2027)
    assert resolve_event_date("In April a bomb went off in Quetta.", day).value == date(2027, 4, 1)
    assert resolve_event_date("On 3 May a bomb went off in Quetta.", day).value == date(2027, 5, 3)
    # "last month", "two years ago", a weekday: counted from the publication, whatever the heading
    assert resolve_event_date("Last month a bomb went off in Quetta.", day).value == date(2031, 5, 1)
    assert resolve_event_date("Two years ago a bomb went off in Quetta.", day).value == date(2029, 1, 1)
    assert resolve_event_date("On Tuesday a bomb went off in Quetta.", day).value == date(2031, 6, 17)
    # a heading of the report's own year or a later one changes nothing
    assert headed(PUB, 2031) is PUB
    assert headed(PUB, 2032) is PUB
    assert headed(None, 2027) is None


def test_a_month_written_with_its_year_beside_the_place_beats_a_relative_date_of_another_clause() -> None:
    text = (
        "Trains resume\n\n"
        "The line has been hit often. Gunmen seized the same train in the pass a year ago, and a suicide "
        "bombing at Quetta railway station in November 2029 killed at least 26 people.\n"
    )
    assert _records(text) == [("Quetta", "2029-11-01", "month")]
    # a relative date in the place's own clause stays the date
    alone = text.replace(" in November 2029", " a year ago").replace(" in the pass a year ago", "")
    assert _records(alone) == [("Quetta", "2030-01-01", "year")]


def test_one_sentence_under_two_headings_takes_each_heading_year() -> None:
    # a HeadedDay equals its plain day: the heading year must still tell two readings of one sentence apart
    said = "In April, a bomb killed two guards at a toll plaza."
    first = resolve_event_date(said, HeadedDay(2026, 6, 1, 2018)).value
    second = resolve_event_date(said, HeadedDay(2026, 6, 1, 2021)).value
    assert (first, second) == (date(2018, 4, 1), date(2021, 4, 1))
