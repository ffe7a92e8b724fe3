"""Reports of kinds the extractor had not met (issue 20, tenth round), on texts of our own."""

from datetime import date

from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents
from outrider.intel.sentence_split import sentences

PUB = date(2031, 6, 19)  # a Thursday


def _records(text: str) -> list[dict[str, object]]:
    return build_incidents(clean_text(text).lines, PUB)


def test_a_titles_full_stop_ends_no_sentence() -> None:
    line = "A shopkeeper, Mr. Ali Khan, was shot in Bannu. Dr. Aslam treated him."
    said = [s for _, s, _ in sentences((line,))]
    assert said == ["A shopkeeper, Mr. Ali Khan, was shot in Bannu.", "Dr. Aslam treated him."]


def test_a_victim_named_with_his_title_keeps_the_attacks_place_and_date() -> None:
    text = (
        "Press release\n\n"
        "Troops raided a hideout near Kohat on Tuesday. The men held were involved in:\n"
        "a. The bombing of a police van near Hangu on 2 May 2031, in which two constables were martyred.\n"
        "b. The target killing of a college lecturer, Mr. Karim Dad, in Bannu in April 2031."
    )
    records = [(r["city"], str(r["date"])[:7], r["target_type"]) for r in _records(text)]
    assert ("Bannu", "2031-04", "education") in records


def test_one_sentence_telling_two_background_attacks_by_their_own_times_tells_two() -> None:
    text = (
        "Order under section 144\n\n"
        "WHEREAS a police van was blown up by a roadside bomb near Bannu on 3rd April 2030, killing two "
        "constables, and on the first day of the fair last year unknown persons hurled a grenade at a police "
        "picket in Bannu, injuring two constables;"
    )
    records = [(r["city"], r["date"], r["date_precision"]) for r in _records(text)]
    assert records == [("Bannu", "2030-04-03", "day"), ("Bannu", "2030-01-01", "year")]


def test_a_logs_clock_times_and_labels_are_no_head_counts() -> None:
    text = (
        "FLASH REPORT - UPDATE 2\n\n"
        "At 0810 hrs a suicide bomber rammed a car into a staff van in Quetta. "
        "UPDATE 1 (1000 hrs) reported two killed. Revised at 1500 hrs: at least three killed, five wounded."
    )
    [record] = _records(text)
    assert record["killed"] in (2, 3) and record["wounded"] == 5


def test_an_attack_told_before_a_habit_in_the_same_sentence_is_an_attack() -> None:
    text = (
        "Flash report\n\n"
        "A bomb wounded four policemen in Quetta on Tuesday. "
        "The group has also claimed last month's bus bombing in Kohat, and staff should expect further "
        "attacks on government offices."
    )
    records = [(r["city"], str(r["date"])[:7]) for r in _records(text)]
    assert records == [("Quetta", "2031-06"), ("Kohat", "2031-05")]
