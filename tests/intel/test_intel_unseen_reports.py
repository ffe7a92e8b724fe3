"""Rules written from reports the extractor had not seen (blind set a, issue 20), on sentences of our own."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from outrider.intel.cleaning import clean_text
from outrider.intel.dates import WEEKDAYS, resolve_event_date
from outrider.intel.extract import build_incidents
from outrider.intel.gazetteer import find_places
from outrider.intel.published import find_published

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
        # the site's name alone beside a date may be the page's render date
        ("THE RIVER GAZETTE ONLINE | Thursday, 19 June 2031", None),
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


# --- small towns and villages (the lower-trust tail) --------------------------------------------------


def _places(sentence: str) -> list[tuple[str | None, str | None, bool]]:
    return [(h.place.name, h.place.admin1, h.place.lat is not None) for h in find_places(sentence)]


@pytest.mark.parametrize(
    ("sentence", "want"),
    [
        # a GeoNames town under 15,000 people after a locative, with its coordinates and province
        ("Gunmen opened fire on a van near Hazro, killing two.", [("Hazro City", "Punjab", True)]),
        # another spelling GeoNames gives for a town
        ("A bomb went off near Memola, wounding a guard.", [("Maimola", "Khyber Pakhtunkhwa", True)]),
        # the district written right after a small town is where it lies, not a second site
        ("A bomb went off in Hazro, Attock district.", [("Hazro City", "Punjab", True)]),
        # a name the gazetteer lacks, told as a village of a district: placed in that district's province
        (
            "Gunmen raided the village of Zarkhel in Kurram district.",
            [("Zarkhel", "Khyber Pakhtunkhwa", False)],
        ),
        ("A mine exploded near Zarkhel, Kurram district.", [("Zarkhel", "Khyber Pakhtunkhwa", False)]),
        # a personal name is a village only when the text says so
        ("Gunmen raided the village of Hassan in Attock district.", [("Hassan", "Punjab", False)]),
    ],
)
def test_small_towns_named_as_places(sentence: str, want: list[tuple[str, str, bool]]) -> None:
    assert _places(sentence) == want


@pytest.mark.parametrize(
    "sentence",
    [
        "Hazro said the gunmen had fled.",  # no locative: a name, not a place
        "Constable Hazro was shot.",  # after a title
        "Police searched near Hazro Khan's house.",  # part of a longer name
        "Fighters came from the village of Hazro.",  # where the attackers came from
        "The ministers held talks in Doha.",  # a world capital, not a village of the region
        "A bomb went off in Hassan.",  # a personal name without the strongest cue
        "Gunmen fired near Zarkhel.",  # an unknown name without a district or province after it
        "The town's police station was attacked in March.",
    ],
)
def test_small_towns_kept_out(sentence: str) -> None:
    assert [p for p in _places(sentence) if p[0] not in (None,)] == []


def test_a_small_town_in_another_province_is_not_that_town() -> None:
    # "near X in Sindh" where GeoNames' X lies in Punjab: the text's X, in Sindh, without coordinates
    assert _places("A blast near Hazro in Sindh killed two.") == [("Hazro", "Sindh", False)]


def test_an_attack_at_a_small_town_is_placed_there() -> None:
    (inc,) = _incidents(
        "Van attacked\n\nGunmen opened fire on a van near Hazro on Tuesday, killing two guards."
    )
    assert (inc["city"], inc["admin1"], inc["date"]) == ("Hazro City", "Punjab", "2031-06-17")


# --- where and when, told another way -------------------------------------------------------------------


def test_the_dateline_town_places_an_attack_whose_clauses_name_no_town() -> None:
    text = (
        "Market blast\n\nSUKKUR: Four people were killed when a bomb fitted to a bicycle exploded in the "
        "crowded grain market of Qasimabad yesterday."
    )
    (inc,) = _incidents(text)
    assert (inc["city"], inc["date"]) == ("Sukkur", "2031-06-18")


def test_the_dateline_town_gives_way_to_the_town_the_attack_names() -> None:
    (inc,) = _incidents(
        "Van attacked\n\nQUETTA: Gunmen opened fire on a van in Turbat on Tuesday, killing two."
    )
    assert inc["city"] == "Turbat"


def test_a_wire_header_closing_with_its_date_is_the_publication() -> None:
    lines = ["Train bombed", "WIRE - Sukkur (Pakistan) (WIRE) - Jun 19, 2031", "A bomb exploded."]
    assert find_published(lines, set()) == (date(2031, 6, 19), True)


def test_a_train_is_hit_where_the_text_says_it_was() -> None:
    (inc,) = _incidents("Train bombed\n\nA bomb struck the Jaffar Express near Sibi on Tuesday, killing two.")
    assert (inc["city"], inc["target_type"]) == ("Sibi", "transport")


@pytest.mark.parametrize(
    "sentence",
    [
        "The two men had sheltered the bomber for a week before the attack on the depot in Sukkur.",
        "They had hidden the bomber in a house a week before the March 3 attack on the depot in Sukkur.",
    ],
)
def test_a_duration_or_a_dated_attack_is_no_date_counted_from_the_main_event(sentence: str) -> None:
    from outrider.intel.event_dates import relative_to

    assert relative_to(sentence, date(2031, 3, 3)) is None


def test_a_month_in_a_sentence_about_last_year_is_that_month_of_last_year() -> None:
    got = resolve_event_date(
        "In October, fighters rammed a truck into a camp, the worst strike last year.", PUB
    )
    assert (got.value, got.precision) == (date(2030, 10, 1), "month")


@pytest.mark.parametrize(
    "sentence",
    [
        "Sukkur has seen a surge in militant attacks since the ceasefire ended in November 2029.",
        "Sukkur has seen a decline in large attacks since the army took control in August 2029.",
    ],
)
def test_a_trend_of_attacks_is_no_attack(sentence: str) -> None:
    assert _incidents(f"Security review\n\nOfficials met to review guard rosters. {sentence}") == []


def test_the_provincial_capital_is_the_seat_of_the_province_named_before() -> None:
    text = (
        "Officer shot\n\nGunmen shot dead a police officer in Turbat, Balochistan, on Tuesday. "
        "It was the second targeted attack on a police officer in the provincial capital this month. "
        "On June 2, a constable was wounded when gunmen fired at him outside his house in the Zarghun area."
    )
    assert [(i["city"], i["date"]) for i in _incidents(text)] == [
        ("Turbat", "2031-06-17"),
        ("Quetta", "2031-06-02"),
    ]


def test_a_road_named_by_its_two_ends_is_not_the_site() -> None:
    text = "Convoy hit\n\nA bomber rammed a convoy on the Sibi-Quetta highway near the town of Mach."
    assert [i["city"] for i in _incidents(text)] == ["Mach"]
    alone = "Convoy hit\n\nA bomber rammed a convoy on the Sibi-Quetta highway on Tuesday."
    assert [i["city"] for i in _incidents(alone)] in (["Sibi"], ["Quetta"])


def test_a_date_beside_the_document_s_number_is_its_own_whatever_years_it_looks_back_on() -> None:
    lines = ["INSTITUTE OF STUDIES", "Policy Brief No. 7 | 19 June 2031", "Ten years of attacks"]
    assert find_published(lines, {2021, 2027}) == (date(2031, 6, 19), True)


# --- weapons and targets ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "A sticky bomb attached to a van exploded in Sukkur, killing one.",
        "A bomb fitted to a parked motorcycle exploded in a market in Sukkur, killing four.",
        "A landmine blast killed two shepherds near Sukkur.",
    ],
)
def test_planted_bombs_are_ieds(text: str) -> None:
    from outrider.intel.classify import classify

    assert classify(text)["weapon"] == "ied"


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("Gunmen attacked a Levies post outside Kharan, killing four.", "police"),
        ("Seven died in the attack on a police training school in Sukkur.", "police"),
        ("Rockets struck the port in Gwadar, wounding two.", "transport"),
        ("A suicide bomber blew himself up at the general bus stand in Sukkur.", "transport"),
        ("A bomb hit a bus carrying employees of the ministry in Sukkur.", "government"),
        ("A bomb exploded in a vegetable market near the University Town area of Sukkur.", "civilians"),
    ],
)
def test_targets_told_another_way(text: str, target: str) -> None:
    from outrider.intel.classify import classify

    assert classify(text)["target_type"] == target


@pytest.mark.parametrize(
    ("text", "attack"),
    [
        ("Militants blew up a gas pipeline near Sui, cutting supply to three districts.", "facility_attack"),
        ("Militants blew up two electricity transmission towers near Sibi.", "facility_attack"),
        ("A bomb under a gas pipeline killed two guards near Sui.", "bombing"),  # people hurt: a bombing
    ],
)
def test_sabotage_without_victims_is_a_facility_attack(text: str, attack: str) -> None:
    from outrider.intel.classify import classify

    assert classify(text)["attack_type"] == attack


def test_the_dateline_town_does_not_place_an_attack_of_months_before() -> None:
    text = (
        "Compensation approved\n\nSUKKUR: The cabinet on Friday approved compensation for the families of "
        "the workers killed in the attack on a bus of the Indus power project last July."
    )
    assert _incidents(text) == []


# --- dates relative to the report's day (the publication is a Thursday, 19 June 2031) -------------------


@pytest.mark.parametrize(
    ("sentence", "want", "precision"),
    [
        ("Gunmen attacked the post late on Sunday night.", date(2031, 6, 15), "day"),
        ("Gunmen attacked the post overnight, police said.", date(2031, 6, 18), "day"),
        ("Gunmen attacked the post last night.", date(2031, 6, 18), "day"),
        ("A bomb went off this morning near the depot.", date(2031, 6, 19), "day"),
        ("A bomb exploded on the 14th near the depot.", date(2031, 6, 14), "day"),
        ("A bomb exploded on the 24th near the depot.", date(2031, 5, 24), "day"),  # not yet come: last month
        ("A bomb exploded near the depot last week.", date(2031, 6, 12), "month"),
        ("A bomb exploded near the depot earlier this month.", date(2031, 6, 1), "month"),
        ("A bomb exploded near the depot on March 3.", date(2031, 3, 3), "day"),
        ("A bomb exploded near the depot on the 16th of June.", date(2031, 6, 16), "day"),
        ("A bomb exploded near the depot on the 3rd of March 2029.", date(2029, 3, 3), "day"),
        ("Gunmen attacked the post late Saturday, police said.", date(2031, 6, 14), "day"),
        ("Monday's attack on the depot killed four.", date(2031, 6, 16), "day"),
        ("A bomb exploded near the depot last Saturday, the 7th.", date(2031, 6, 7), "day"),
        ("Gunmen attacked the post on Tuesday the 10th.", date(2031, 6, 10), "day"),
        ("A bomb exploded near the depot on the night of the 9th.", date(2031, 6, 9), "day"),
    ],
)
def test_relative_dates(sentence: str, want: date, precision: str) -> None:
    got = resolve_event_date(sentence, PUB)
    assert (got.value, got.precision) == (want, precision)


@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2090, 12, 31)), st.sampled_from(WEEKDAYS))
def test_a_weekday_is_the_latest_such_day_on_or_before_the_report(published: date, weekday: str) -> None:
    got = resolve_event_date(f"Gunmen stormed a depot on {weekday.title()}.", published)
    assert got.value is not None and got.precision == "day"
    assert 0 <= (published - got.value).days <= 6 and WEEKDAYS[got.value.weekday()] == weekday


def test_reconciliation_takes_a_linked_day_but_keeps_what_the_report_itself_says() -> None:
    # GOLD-SCHEMA: `date` is the event's true date, `date_precision` what THIS report expresses; a day
    # another report gives fills the date, and the record still says its own report told only the month
    from outrider.intel.linking import reconcile

    month = {"doc_id": "a", "date": "2031-05-01", "date_precision": "month", "city": "Sukkur"}
    day = {"doc_id": "b", "date": "2031-05-23", "date_precision": "day", "city": "Sukkur"}
    out = reconcile([month, day], [0, 0])
    assert (out[0]["date"], out[0]["date_precision"]) == ("2031-05-23", "month")


@pytest.mark.parametrize(
    ("text", "killed", "by_nationality"),
    [
        ("Two Chinese nationals among 3 killed in Sukkur attack.", 3, {"CN": 2, "": 1}),
        ("Three Chinese among 12 killed in Sukkur blast.", 12, {"CN": 3, "": 9}),
    ],
)
def test_a_part_among_the_dead_is_a_breakdown_not_a_sum(text: str, killed: int, by_nationality: dict) -> None:
    from outrider.intel.casualties import casualties

    got = casualties(text)
    assert (got.killed, got.killed_by_nationality) == (killed, by_nationality)


def test_a_headline_s_place_the_body_also_places_is_a_town_of_the_report() -> None:
    text = (
        "Zarkhel blast toll rises to four\n\nQUETTA: The toll from Tuesday's bomb attack on a van near "
        "Zarkhel in Balochistan's north rose to four on Wednesday, officials said."
    )
    (inc,) = _incidents(text)
    assert (inc["city"], inc["admin1"], inc["date"]) == ("Zarkhel", "Balochistan", "2031-06-17")


@pytest.mark.parametrize(
    "head",
    [
        "Suicide attack toll rises to four",  # a common word before the attack
        "Chinese attack victims mourned",  # a demonym
        "Zarkhel blast toll rises to four",  # but the body never places it
    ],
)
def test_a_headline_word_is_no_town_without_the_body_placing_it(head: str) -> None:
    from outrider.intel.gazetteer import known_name
    from outrider.intel.untold_towns import told_in_headline

    body = "QUETTA: The toll from Tuesday's suicide attack on a van rose to four, Chinese officials said."
    assert told_in_headline((head, body), known_name) == {}


def test_where_and_when_a_victim_died_is_not_the_attack_s() -> None:
    text = (
        "Toll rises to five\n\nSUKKUR: The toll from the bomb attack on the police station rose to five "
        "after a wounded constable died at the Combined Military Hospital in Karachi on Wednesday."
    )
    (inc,) = _incidents(text)
    assert inc["city"] == "Sukkur" and inc["date"] != "2031-06-18"


def test_a_suicide_bomber_on_foot_wears_a_vest() -> None:
    from outrider.intel.classify import classify

    on_foot = classify("A suicide bomber and two gunmen attacked the police station in Sukkur.")
    assert (on_foot["attack_type"], on_foot["weapon"]) == ("bombing", "suicide_vest")
    assert classify("A suicide bomber rammed a car into the gate in Sukkur.")["weapon"] == "vbied"


def test_a_visit_to_the_wounded_is_no_attack() -> None:
    text = (
        "Visit\n\nThe consul general in Sukkur visited the injured workers at the hospital on Wednesday, "
        "officials said."
    )
    assert _incidents(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Seven people were killed and between 20 and 25 others injured when a bomb exploded in Sukkur.",
        "Seven people were killed and 20 to 25 others injured when a bomb exploded in Sukkur.",
        "Seven people were killed and 20-25 others injured when a bomb exploded in Sukkur.",
    ],
)
def test_a_range_of_victims_is_its_lowest_number(text: str) -> None:
    from outrider.intel.casualties import casualties

    assert (casualties(text).killed, casualties(text).wounded) == (7, 20)


def test_a_pipeline_is_a_business_target() -> None:
    from outrider.intel.classify import classify

    text = "Militants planted explosives under the gas pipeline, Levies officials said; two guards were hurt."
    assert classify(text)["target_type"] == "business"


@pytest.mark.parametrize(
    "lead",
    [
        "ISLAMABAD (Reuters) - A bomb exploded at a checkpoint near Hazro on Tuesday, killing two soldiers.",
        "KARACHI, Pakistan (AP) — A bomb exploded at a checkpoint near Hazro on Tuesday, killing two.",
    ],
)
def test_a_wire_dateline_is_where_the_report_was_filed(lead: str) -> None:
    assert [i["city"] for i in _incidents(f"Checkpoint bombed\n\n{lead}")] == ["Hazro City"]


def test_a_wire_dateline_places_an_attack_whose_clauses_name_no_town() -> None:
    lead = "KARACHI, Pakistan (AP) — Gunmen attacked a bus carrying workers on Tuesday, killing two."
    assert [i["city"] for i in _incidents(f"Bus attacked\n\n{lead}")] == ["Karachi"]


def test_a_vehicle_ploughed_into_a_crowd_is_an_attack_where_the_crowd_was() -> None:
    lead = "Three people were killed when a vehicle ploughed into a crowd at a market in Sukkur on Tuesday."
    assert [(i["city"], i["killed"]) for i in _incidents(f"Market\n\n{lead}")] == [("Sukkur", 3)]


def test_martyring_counts_the_dead() -> None:
    from outrider.intel.casualties import casualties

    assert casualties("A roadside bomb hit a vehicle near Sukkur, martyring three soldiers.").killed == 3


@pytest.mark.parametrize("verb", ["embraced martyrdom", "embraced shahadat"])
def test_embraced_martyrdom_counts_the_dead(verb: str) -> None:
    from outrider.intel.casualties import casualties

    assert casualties(f"Three soldiers {verb} when militants attacked their post near Sukkur.").killed == 3


UNDATED_WITH_COMMENTS = (
    "VALLEY NEWS | Home > Sindh\n\nGuard killed in Sukkur\n\nSUKKUR: A guard was shot dead when gunmen "
    "opened fire on a depot in Sukkur on Thursday, police said.\n\nComments\nAmina · 2 days ago\nSo sad.\n"
    "Bilal · 21 Jun 2031\nRest in peace.\nSara · 28 Jun 2031\nWhen will this end?\n"
)


def test_the_earliest_reader_comment_dates_an_undated_report_s_weekday() -> None:
    from outrider.intel.cleaning import clean_text as clean
    from outrider.intel.pipeline import TextInput, extract_documents

    assert clean(UNDATED_WITH_COMMENTS).extra == {"first_comment": "2031-06-21"}
    (res,) = list(extract_documents([TextInput("r1", UNDATED_WITH_COMMENTS)]))
    assert res.published is None
    (inc,) = res.incidents
    assert (inc["city"], inc["date"], inc["date_basis"]) == ("Sukkur", "2031-06-19", "reader comments")


def test_once_victims_are_broken_down_by_nationality_the_other_dead_are_the_country_s() -> None:
    text = (
        "Convoy bombed\n\nA roadside bomb struck a convoy near Sukkur on Tuesday, killing two policemen and "
        "wounding five other people, including three Chinese nationals."
    )
    (inc,) = _incidents(text)
    assert (inc["killed"], inc["killed_by_nationality"]) == (2, {"PK": 2})
    plain = "Post attacked\n\nGunmen attacked a police post near Sukkur on Tuesday, killing two policemen."
    assert _incidents(plain)[0]["killed_by_nationality"] == {}


def test_a_toll_of_the_foreigners_gives_way_to_the_whole_toll_that_contains_it() -> None:
    from outrider.intel.casualties import casualties

    text = (
        "The ministry condemned the attack on a company camp that killed two Chinese citizens. "
        "Two Chinese citizens and one Afghan guard were killed and four people were injured."
    )
    got = casualties(text)
    assert (got.killed, got.killed_by_nationality) == (3, {"CN": 2, "AF": 1})
    # a later figure of other victims is no whole toll
    other = casualties("A blast killed two Chinese engineers. Three policemen were killed in another town.")
    assert other.killed == 2


def test_a_train_comes_before_the_pipelines_a_report_lists_as_past_targets() -> None:
    from outrider.intel.classify import classify

    text = (
        "A bomb exploded under a passenger train near Sibi. Militants have targeted the railway line, "
        "gas pipelines and power pylons."
    )
    assert classify(text)["target_type"] == "transport"


def test_two_weekdays_two_days_apart_are_two_attacks() -> None:
    text = (
        "Two attacks in Sukkur\n\nGunmen attacked a police post in Sukkur on Monday, killing two policemen. "
        "On Wednesday, a bomb exploded near a market in Sukkur, killing three people."
    )
    got = [(i["date"], i["attack_type"], i["killed"]) for i in _incidents(text)]
    assert got == [("2031-06-16", "armed_assault", 2), ("2031-06-18", "bombing", 3)]
    # a night that runs into the next day is one attack
    one = "Depot\n\nGunmen stormed a depot in Sukkur late on Tuesday. The siege ended on Wednesday."
    assert len(_incidents(one)) == 1


def test_an_attack_days_before_the_main_one_is_another_attack() -> None:
    text = (
        "Blast\n\nA bomb exploded near a market in Sukkur on Wednesday, killing three people. It came two "
        "days after gunmen attacked a police post in the city, killing two policemen."
    )
    got = [(i["date"], i["attack_type"], i["killed"]) for i in _incidents(text)]
    assert got == [("2031-06-18", "bombing", 3), ("2031-06-16", "armed_assault", 2)]


@pytest.mark.parametrize(
    ("lead", "attack"),
    [
        ("Unidentified men shot at a police van near Sukkur on Monday, wounding two.", "armed_assault"),
        ("Two engineers were kidnapped near Sukkur on Monday, officials said.", "hostage_taking"),
        ("Unidentified men set fire to a girls' school in Sukkur on Monday night.", "facility_attack"),
    ],
)
def test_attack_verbs_without_an_attacker_noun(lead: str, attack: str) -> None:
    assert [(i["city"], i["attack_type"]) for i in _incidents(f"Attack\n\n{lead}")] == [("Sukkur", attack)]


def test_a_timed_device_is_no_suicide_attack() -> None:
    from outrider.intel.classify import classify

    assert (
        classify("A bomb exploded in a market in Sukkur. It was a timed device, police said.")["suicide"]
        is False
    )
