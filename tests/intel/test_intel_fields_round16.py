"""Fields of incidents found (issue 20, round 16): whose site was attacked, told by who used or ran it."""

import pytest

from outrider.intel.casualties import casualties
from outrider.intel.classify import classify
from outrider.intel.tables import spell_tables
from outrider.intel.toll_words import spelled_out


@pytest.mark.parametrize(
    ("text", "target"),
    [
        # the foreign people a lodging was used by, whatever their trade
        (
            "Armed men stormed a guesthouse used by Chinese businessmen in Kabul, killing three people.",
            "foreign_workers",
        ),
        ("Gunmen attacked a guesthouse used by local traders, killing three people.", "business"),
        # foreign staff named by their trade or by their country's full name
        ("Gunmen attacked a road camp, wounding two Chinese specialists.", "foreign_workers"),
        (
            "One citizen of the People's Republic of China was killed in a drone attack on a company's camp.",
            "foreign_workers",
        ),
        ("A bomb went off at a company's camp, wounding two citizens of the town.", "business"),
        # a site a foreign company runs, or a camp or compound of a foreign company or contractor
        ("Armed men stormed a foreign-operated gold-mining camp and beat workers.", "foreign_workers"),
        (
            "A device went off at the gate of a compound of a Chinese power-line contractor, wounding three.",
            "foreign_workers",
        ),
        ("A device went off at the gate of a compound of a local contractor, wounding three.", "business"),
        # the restaurant a foreigner runs stays a business
        ("A grenade was thrown into a Chinese-run restaurant, wounding two waiters.", "business"),
        # the police post guarding a foreign contractor's camp was the target
        (
            "Militants attacked the police post guarding the camp of a Chinese contractor, killing two.",
            "police",
        ),
    ],
)
def test_whose_site_was_attacked(text: str, target: str) -> None:
    assert classify(text)["target_type"] == target


@pytest.mark.parametrize(
    ("text", "target"),
    [
        # people hurt with no role told, cyclists, a money changer: civilians (a last class: any site wins)
        ("A device hidden in a handcart went off near the square, wounding six people.", "civilians"),
        ("Four foreign cyclists were killed when a car rammed them on the road.", "civilians"),
        ("A magnetic bomb attached to the car of a money changer exploded.", "civilians"),
        ("A bomb went off outside a police station, wounding six people.", "police"),
        # power lines and their towers are the operator's business
        ("Three towers of the 500 kV transmission line were brought down by explosive charges.", "business"),
        ("Explosives brought down two electricity towers near the grid.", "business"),
    ],
)
def test_the_last_classes_people_and_power_lines(text: str, target: str) -> None:
    assert classify(text)["target_type"] == target


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        # a revised toll told with what it counts between "the toll" and its figure
        (
            "A constable injured in the blast died on Monday, raising the death toll from the attack on a"
            " police patrol to two.",
            2,
        ),
        ("A wounded soldier succumbed overnight, raising the number of martyrs to three.", 3),
        ("Gunmen killed one guard. A second died in hospital, pushing the toll to two.", 2),
        # raising a question is no toll
        ("Gunmen killed one guard, raising the question of who guards the camp to the minister.", 1),
    ],
)
def test_a_toll_raised_to_its_figure(text: str, killed: int) -> None:
    assert casualties(spelled_out(text)).killed == killed


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("Militants attempted to attack a security forces' post near Jandola at night.", "military"),
        ("Gunmen attacked the security forces post on the highway at night.", "military"),
        ("Gunmen attacked a police post on the highway at night.", "police"),
    ],
)
def test_a_security_forces_post_is_military(text: str, target: str) -> None:
    assert classify(text)["target_type"] == target


def test_a_count_cell_with_a_part_included_is_one_total() -> None:
    table = (
        "| Date | Province | Description | Killed | Injured |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| 18 March | Kabul | Armed attack on a guesthouse | 5 (incl. 2 Chinese nationals)"
        " | 9 (incl. 3 Chinese nationals) |"
    )
    line = spell_tables(table).splitlines()[0]
    got = casualties(spelled_out(line))
    assert (got.killed, got.wounded, got.killed_by_nationality["CN"]) == (5, 9, 2)


@pytest.mark.parametrize(
    ("text", "target"),
    [
        # a company's cargo on the road: the company's business is the target
        ("Gunmen ambushed a convoy of trucks carrying copper concentrate from the mine.", "business"),
        ("Armed men hijacked a container truck carrying telecom equipment for a contractor.", "business"),
        # trucks with no owner told, or carrying a public project's materials, stay transport
        ("Five trucks carrying cement for a road construction project were set ablaze.", "transport"),
        ("Gunmen set fire to five trucks on the highway.", "transport"),
    ],
)
def test_a_company_cargo_is_a_business_target(text: str, target: str) -> None:
    assert classify(text)["target_type"] == target
