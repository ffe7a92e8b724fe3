"""Reports that tell many incidents, one item each (issue 20, round 5), on texts of our own: a dataset's
notable incidents, a timeline, a table written as lines, a situation report, an alert feed, a round-up; and a
place told as an area of another."""

from datetime import date

import pytest

from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents
from outrider.intel.gazetteer import Place
from outrider.intel.items import find_items, part_date
from outrider.intel.mentions import ATTACK, mentions_of, site_hits

PUB = date(2031, 6, 19)  # a Thursday


def _incidents(text: str, published: date | None = PUB) -> list[tuple[str | None, str | None]]:
    return [(i["date"], i["city"]) for i in build_incidents(clean_text(text).lines, published)]


@pytest.mark.parametrize(
    ("part", "want"),
    [
        ("03/05", date(2031, 5, 3)),  # the day first, the year the report's
        ("14-05-2030", date(2030, 5, 14)),
        ("12 May", date(2031, 5, 12)),
        ("2031-06-02", date(2031, 6, 2)),
        ("Tuesday", date(2031, 6, 17)),
    ],
)
def test_a_heads_part_that_is_a_date(part: str, want: date) -> None:
    when = part_date(part, PUB)
    assert when is not None and when.value == want


@pytest.mark.parametrize(
    "part", ["Militant attacks recorded", "Gunmen fired on a bus near the bazaar", "31/31"]
)
def test_a_heads_part_that_is_no_date(part: str) -> None:
    assert part_date(part, PUB) is None


def test_the_day_comes_second_when_an_item_says_so() -> None:
    lines = (
        "Notes",
        "1. 05/03 - Turbat: gunmen fired on a bus.",
        "2. 05/14 - Kech: a bomb went off at a shop.",
    )
    assert [i.when.value for i in find_items(lines, PUB)] == [date(2031, 5, 3), date(2031, 5, 14)]


DATASET = """Monthly Security Note
Reporting period: May 2031

Key figures
- Militant attacks recorded: 44 (April 2031: 39)
- Injured: 87

Notable incidents
1. 03/05 — Turbat: a hand grenade was thrown at the city police station. No casualties.
2. 11/05 — Turbat: gunmen on motorcycles fired on a police van; 2 police killed.
3. 20/05 — Khuzdar: a bomb planted on a motorcycle went off in the main bazaar; 1 killed, 6 injured.

Trends
Balochistan saw a rise in attacks using grenades, mostly in Turbat and Khuzdar.
"""


def test_each_numbered_item_is_an_incident_of_its_own_day_and_place() -> None:
    assert _incidents(DATASET) == [
        ("2031-05-03", "Turbat"),
        ("2031-05-11", "Turbat"),
        ("2031-05-20", "Khuzdar"),
    ]


TIMELINE = """Timeline: attacks on the highway

Tuesday's bombing near Dasu, in which two workers were killed, is the latest of several. Here are the others.

March 2029 — Bisham
A suicide bomber rammed a car into a convoy of engineers near the town. Six people were killed.

October 2030 — Quetta
Gunmen stormed a hotel where foreign engineers were staying. Three guards were killed.

What has been done
The province raised a new force to guard the projects.
"""


def test_a_timelines_dated_headings_each_head_one_incident() -> None:
    assert _incidents(TIMELINE) == [
        ("2031-06-17", "Dasu"),
        ("2029-03-01", "Bisham"),
        ("2030-10-01", "Quetta"),
    ]


TABLE = """Quarterly review
Table 2: selected incidents (date | place | description | killed / injured)
02-04-2031 | Sukkur | low-intensity blast damaged the railway track near the station | 0 / 0
17-05-2031 | near Larkana | gunmen fired at a police post on the bypass and fled | 1 / 2
"""

SITREP = """WEEKLY SITUATION REPORT
2. SIGNIFICANT INCIDENTS
2.1 Ghotki. On 12.06.2031 at 0300 hrs, miscreants damaged a gas pipeline by planting an explosive device.
2.2 Jacobabad. On 14.06.2031 at 2015 hrs, a police mobile was hit by an IED. Two policemen were martyred.
3. POLICE ACTIONS
3.1 Joint operation in the katcha area: five dacoits killed in an encounter.
"""

ALERTS = """Traveller alerts
-------------
ALERT 31-0602 | SEVERITY: HIGH | 02 Jun 2031
Location: Chilas, Gilgit-Baltistan (Karakoram Highway)
What happened: Gunmen opened fire on a passenger coach late at night. Five killed.
-------------
ALERT 31-0610 | SEVERITY: MEDIUM | 10 Jun 2031
Location: Turbat, Balochistan
What happened: A grenade was thrown at a bank; two guards were wounded.
"""


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (TABLE, [("2031-04-02", "Sukkur"), ("2031-05-17", "Larkana")]),
        (SITREP, [("2031-06-12", "Ghotki"), ("2031-06-14", "Jacobabad")]),
        (ALERTS, [("2031-06-02", "Chilas"), ("2031-06-10", "Turbat")]),
    ],
)
def test_rows_numbered_paragraphs_and_alerts_are_items(text: str, want: list[tuple[str, str]]) -> None:
    assert _incidents(text) == want


def test_a_bulletins_update_of_the_same_town_and_day_is_no_new_incident() -> None:
    text = """Live page
@Desk · Jun 17, 2031 · 7:40 PM
KHARAN: Rockets fired at the FC headquarters in Kharan this evening. Reports of injuries.
@Desk · Jun 17, 2031 · 10:12 PM
KHARAN update: officials say a woman was injured when a rocket hit her house in Kharan.
@Desk · Jun 18, 2031 · 9:00 AM
WASHUK: Gunmen opened fire on a Levies post in Washuk early this morning, killing one.
"""
    assert _incidents(text, None) == [("2031-06-17", "Kharan"), ("2031-06-18", "Washuk")]


def test_one_item_alone_is_no_listing() -> None:
    assert find_items(("Title", "12 May - Turbat: gunmen fired on a bus and fled."), PUB) == []


def test_a_pages_header_line_is_no_item() -> None:
    lines = ("Title", "Sunday, 6 May 2031 | Home > Live > Security", "Sunday, 6 May 2031 | Login | Subscribe")
    assert find_items(lines, PUB) == []


@pytest.mark.parametrize(
    ("sentence", "want"),
    [
        # the area the gazetteer knows: there
        ("Gunmen fired on a van in the Rohri area of Sukkur district on Monday.", "Rohri"),
        # an area it does not know: the town or district it lies in
        ("A bomb went off in the Qalandarabad Bala area of Sukkur tehsil on Monday.", "Sukkur"),
    ],
)
def test_an_area_of_a_town_is_sited_at_the_area_when_known(sentence: str, want: str) -> None:
    told = {"Qalandarabad Bala": Place("Qalandarabad Bala", "Sindh", "PK", None, None)}  # told, not known
    assert next(h.place.name for h in site_hits(sentence, told) if not h.is_region) == want


def test_a_road_named_after_a_town_gives_way_to_the_town_it_passes() -> None:
    told = {"Qazbaro": Place("Qazbaro", "Khyber Pakhtunkhwa", "PK", None, None)}
    sentence = "Gunmen attacked the post on Qazbaro road near Mardan on Monday."
    assert [h.place.name for h in site_hits(sentence, told) if not h.is_region] == ["Mardan"]
    alone = "Gunmen attacked a van on the Qazbaro road on Monday."
    assert [h.place.name for h in site_hits(alone, told) if not h.is_region] == ["Qazbaro"]


def test_damage_done_by_planting_a_device_is_an_attack_cue() -> None:
    assert ATTACK.search("miscreants damaged a pipeline by planting an explosive device")
    # devices planted during an assault tell no attack of their own (the assault's words do)
    assert not ATTACK.search("they had planted explosive devices at the entry points")


def test_rockets_or_shells_fired_at_a_camp_is_an_attack_cue() -> None:
    assert ATTACK.search("unknown persons fired rockets at a camp of a company")
    assert ATTACK.search("militants fired two mortar shells at the post")


def test_two_attacks_each_with_its_own_year_in_one_sentence_are_two() -> None:
    text = (
        "Convoy bombed near Dasu\n\nA bomb struck a convoy near Dasu on Tuesday, killing two workers. "
        "In May 2027, a bus carrying workers to the same project was hit by a bomb, killing nine people, "
        "and in August 2029 five engineers died when a bomber rammed their car near Bisham."
    )
    got = _incidents(text)
    # the place the second attack's words name is not the first's
    assert ("2029-08-01", "Bisham") in got and ("2027-05-01", "Bisham") not in got


def test_a_forwarded_messages_header_is_no_item() -> None:
    # the message's "Date:" line between "From:" and "Subject:" heads the message, not an incident
    lines = (
        "FW: advisory",
        "From: Regional Desk",
        "Date: Tue, 10 Jun 2031 09:12",
        "Subject: ADVISORY 07/31 - IED ON STAFF BUS, TURBAT",
        "Classification: internal. Distribution: site leads.",
        "- Casualties (official, as of 9 Jun): 2 guards killed; 3 wounded.",
    )
    assert find_items(lines, PUB) == []


def test_a_figures_as_of_day_is_not_its_items_day() -> None:
    lines = (
        "Summary",
        "- 8 Jun - Kharan: gunmen fired on a bus and fled.",
        "- Casualties (official, as of 9 Jun): two guards killed and three wounded in the blast.",
        "- 12 Jun - Turbat: a bomb went off near a police van.",
    )
    assert [i.when.value for i in find_items(lines, PUB)] == [date(2031, 6, 8), date(2031, 6, 12)]


@pytest.mark.parametrize(
    ("sentence", "town"),
    [
        # a town set beside the site's name, in a clause of its own, is the attack's town
        ("They confessed to the attack on the police post at Zarbakhel, Turbat on 9 June 2031.", "Turbat"),
        ("Two guards were hurt in the attack on Police Station Zarbakhel, Bannu, on 02-06-2031.", "Bannu"),
    ],
)
def test_a_town_set_beside_the_sites_name_places_the_attack(sentence: str, town: str) -> None:
    assert [m.place.name if m.place else None for m in mentions_of(sentence, 0, PUB, False)] == [town]


def test_a_toll_clause_tells_the_attack_of_the_placed_clause_before_it() -> None:
    sentence = (
        "On 9 March a remote-controlled device struck a lorry carrying engineers of a dam near Mardan, "
        "killing a soldier and injuring three people."
    )
    assert [m.place.name for m in mentions_of(sentence, 0, date(2031, 3, 20), False) if m.place] == ["Mardan"]
