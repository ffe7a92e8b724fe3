"""Reports of kinds the extractor had not met (issue 20, tenth round), on texts of our own."""

from datetime import date

from outrider.intel.cleaning import clean_text
from outrider.intel.extract import build_incidents
from outrider.intel.mentions import sentences

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
