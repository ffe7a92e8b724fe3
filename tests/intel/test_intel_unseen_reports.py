"""Rules written from reports the extractor had not seen (blind set a, issue 20), on sentences of our own."""

from datetime import date

import pytest

from outrider.intel.cleaning import clean_text
from outrider.intel.dates import find_published, resolve_event_date
from outrider.intel.extract import build_incidents

PUB = date(2031, 6, 19)  # a Thursday


def _incidents(text: str, published: date | None = PUB) -> list[dict[str, object]]:
    return build_incidents(clean_text(text).lines, published)


# --- publication dates in a page's header -------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "want"),
    [
        ("THE RIVER GAZETTE | Sukkur | Thursday, June 19, 2031", date(2031, 6, 19)),
        ("Thursday, 19 June 2031 | Author: Nasreen Baig", date(2031, 6, 19)),
        ("No PR-77/2031-PR                          Gilgit - June 19, 2031", date(2031, 6, 19)),
        ("Thursday, 19 June 2031 | Login | Subscribe | Urdu", None),
        ("Thursday, 19 June 2031 | E-Paper | Sign In", None),
    ],
)
def test_a_masthead_line_dates_the_article_and_site_furniture_does_not(line: str, want: date | None) -> None:
    assert find_published(["THE RIVER GAZETTE", line, "Depot raided in Sukkur"], set())[0] == want


def test_a_date_beside_its_author_stands_even_when_the_body_names_only_older_years() -> None:
    lines = ["Outlet", "Depot raided", "Thursday, 19 June 2031 | Author: Nasreen Baig"]
    assert find_published(lines, {2027}) == (date(2031, 6, 19), True)
    # without the author it is judged as any banner: later than every year of the body, a render date
    banner = ["Outlet", "Depot raided", "THE GAZETTE | Thursday, 19 June 2031"]
    assert find_published(banner, {2027})[0] is None


# --- weekdays -----------------------------------------------------------------------------------------


def test_the_weekday_that_names_the_attack_beats_the_day_of_what_followed() -> None:
    got = resolve_event_date("The toll from Monday's bomb attack rose to four on Wednesday night.", PUB)
    assert (got.value, got.precision) == (date(2031, 6, 16), "day")


def test_a_weekday_of_the_report_s_own_day_is_that_day() -> None:
    got = resolve_event_date("Gunmen stormed a depot in Sukkur on Thursday, police said.", PUB)
    assert got.value == PUB
