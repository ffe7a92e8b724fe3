"""Phase 2 rules: page-date bounds, dates re-resolved after linking, named services, GeoNames long tail."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from outrider.intel.cleaning import clean_text
from outrider.intel.dates import MONTHS, BannerDay, resolve_event_date
from outrider.intel.extract import build_incidents
from outrider.intel.gazetteer import find_places
from outrider.intel.pipeline import TextInput, extract_documents, link_events
from outrider.intel.published import find_page_bound

MONTH_NAMES = [m for m in MONTHS if len(m) > 3 and m != "may"]


def test_page_bound_is_the_banner_date() -> None:
    lines = ["THE RIVER POST", "Wednesday, 2 February 2033 | 11 C Sukkur", "Bridge guards reinforced"]
    assert find_page_bound(lines) == date(2033, 2, 2)
    assert find_page_bound(["No date here", "Nor here"]) is None


def test_month_this_year_lies_before_the_page_bound() -> None:
    got = resolve_event_date("In October this year, gunmen raided a depot.", None, bound=date(2033, 2, 2))
    assert (got.value, got.precision, got.basis) == (date(2032, 10, 1), "month", "page-date bound")
    same_year = resolve_event_date("In January, a bomb hit a depot.", None, bound=date(2033, 2, 2))
    assert same_year.value == date(2033, 1, 1)


def test_publication_beats_the_bound() -> None:
    got = resolve_event_date("In October, gunmen raided a depot.", date(2031, 12, 1), bound=date(2033, 2, 2))
    assert (got.value, got.basis) == (date(2031, 10, 1), "publication")


def test_weekday_is_not_resolved_against_a_bound() -> None:
    # a render date says nothing about which Tuesday the report meant
    assert resolve_event_date("a blast on Tuesday", None, bound=date(2033, 2, 2)).value is None


def test_day_without_year_is_the_latest_on_or_before_the_bound() -> None:
    got = resolve_event_date(
        "On the morning of 14 March, a bomb hit a convoy.", None, bound=date(2033, 3, 27)
    )
    assert (got.value, got.precision, got.basis) == (date(2033, 3, 14), "day", "page-date bound")
    later = resolve_event_date("On 28 March, a bomb hit a convoy.", None, bound=date(2033, 3, 27))
    assert later.value == date(2032, 3, 28)  # no tolerance above a bound
    may = resolve_event_date(
        "The driver was killed on 14 May when a bomb went off.", None, bound=date(2033, 5, 31)
    )
    assert may.value == date(2033, 5, 14)  # "may" the verb has no day before it
    assert resolve_event_date("The 14 may be freed soon.", None, bound=date(2033, 5, 31)).value is None


def test_weekday_counts_back_from_a_banner_without_render_marks() -> None:
    plain = find_page_bound(["THE RIVER POST", "Wednesday, 2 February 2033", "Depot raided"])
    assert isinstance(plain, BannerDay)
    got = resolve_event_date("Gunmen raided a depot on Tuesday night.", None, bound=plain)
    assert (got.value, got.basis) == (date(2033, 2, 1), "page-date bound")
    for marked in ("Wednesday, 2 February 2033 | 11 C Sukkur", "Retrieved: 2 February 2033"):
        bound = find_page_bound(["THE RIVER POST", marked, "Home | City | Sports", "Depot raided"])
        assert bound == date(2033, 2, 2) and not isinstance(bound, BannerDay)


@given(st.sampled_from(MONTH_NAMES), st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
def test_bounded_month_never_after_the_bound(month: str, bound: date) -> None:
    got = resolve_event_date(f"In {month.title()} this year a convoy was attacked.", None, bound=bound)
    assert got.value is not None and got.value <= bound
    assert (bound.year - got.value.year) in (0, 1)


def test_undated_report_records_how_the_date_was_found() -> None:
    text = (
        "THE RIVER POST\nWednesday, 2 February 2033 | 11 C Sukkur\n\nTalks on bridge security\n\n"
        "Officials met to review guard rosters. In October this year, a roadside bomb killed four "
        "workers near Khairpur as their van crossed the canal bridge."
    )
    (res,) = list(extract_documents([TextInput("r1", text)]))
    assert res.published is None
    (inc,) = res.incidents
    assert inc["date"] == "2032-10-01" and inc["date_basis"] == "page-date bound"


def _report(doc_id: str, body: str) -> TextInput:
    return TextInput(doc_id, body)


def test_dates_re_resolved_after_linking() -> None:
    dated = _report(
        "wire",
        "Gunmen storm bank in Turbat\n\nPublished: 14 March 2034\n\nGunmen stormed a bank in Turbat on "
        "12 March 2034, killing three guards. The Balochistan Liberation Army claimed the raid.",
    )
    undated = _report(
        "weekly",
        "Turbat bank raid: suspects named\n\nPolice named four suspects over Sunday's raid on a bank in "
        "Turbat, in which three guards were killed. Investigators said the same group had bombed a "
        "lorry near Kharan in December, killing two drivers.",
    )
    results = list(extract_documents([dated, undated]))
    assert results[1].published is None
    merged = link_events(results)
    weekly = [i for i in merged if i["doc_id"] == "weekly"]
    by_city = {i["city"]: i for i in weekly}
    assert by_city["Turbat"]["date"] == "2034-03-12"
    # "in December", resolved on the linked event's day rather than left undated
    assert by_city["Kharan"]["date"] == "2033-12-01"
    assert by_city["Kharan"]["date_basis"] == "linked event"
    turbat = {i["event_id"] for i in merged if i["city"] == "Turbat"}
    assert len(turbat) == 1


def test_named_service_in_a_generic_context_is_an_event() -> None:
    lines = clean_text(
        "Envoys discuss sanctions\n\nPublished: 3 May 2035\n\nThe envoys cited the hijacking of the Jaffar "
        "Express in January, in which 12 passengers died, along with a wave of attacks on police posts."
    ).lines
    (inc,) = build_incidents(lines, date(2035, 5, 3))
    assert inc["admin1"] == "Balochistan" and inc["date"] == "2035-01-01" and inc["killed"] == 12


def test_unknown_named_service_without_place_is_not_an_event() -> None:
    lines = clean_text(
        "Envoys discuss sanctions\n\nPublished: 3 May 2035\n\nThe envoys cited the bombing of the Golden "
        "Arrow Express in January, along with a wave of attacks on police posts."
    ).lines
    assert build_incidents(lines, date(2035, 5, 3)) == []


def test_long_tail_towns_from_geonames() -> None:
    got = {h.place.name: h.place for h in find_places("Blasts hit Zhob, Shikarpur and Mazar-e Sharif.")}
    assert got["Zhob"].admin1 == "Balochistan" and got["Zhob"].country == "PK"
    assert got["Shikarpur"].admin1 == "Sindh"
    assert got["Mazar-e Sharif"].country == "AF" and got["Mazar-e Sharif"].lat is not None


def test_diacritics_and_curated_priority() -> None:
    (hit,) = find_places("A car bomb exploded in Kandahār city.")
    assert hit.place.name == "Kandahar" and hit.place.admin1 == "Kandahar"  # the curated entry, not GeoNames


def test_long_tail_guards() -> None:
    assert find_places("Tank crews and Model Town residents gathered.") == []  # common words
    assert find_places("The group has issued statements threatening Tehran.") == []  # a capital as actor
    assert [h.place.name for h in find_places("A bomb went off in Tehran.")] == ["Tehran"]
    assert find_places("Buses bound for Larkana were stopped.") == []  # destination of travel


def test_long_tail_town_yields_an_incident() -> None:
    lines = clean_text(
        "Grenade attack in Zhob\n\nPublished: 9 June 2036\n\nAttackers threw a grenade at a police van in "
        "Zhob on Sunday, wounding three constables."
    ).lines
    (inc,) = build_incidents(lines, date(2036, 6, 9))
    assert (inc["city"], inc["admin1"], inc["date"]) == ("Zhob", "Balochistan", "2036-06-08")


def test_the_same_group_is_the_main_event_group() -> None:
    lines = clean_text(
        "Gunmen raid depot in Turbat\n\nPublished: 2 April 2036\n\nGunmen raided a fuel depot in Turbat on "
        "Monday, killing two guards. The Balochistan Liberation Army claimed the raid. Police said the same "
        "outfit had also claimed the bombing of a pipeline near Kharan in February."
    ).lines
    by_city = {i["city"]: i for i in build_incidents(lines, date(2036, 4, 2))}
    assert by_city["Kharan"]["perpetrator"] == "Balochistan Liberation Army"
    assert by_city["Kharan"]["claimed"] is True
