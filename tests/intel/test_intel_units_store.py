"""Pure pieces behind storage: language, event values, matching a stored incident, the actor registry."""

from __future__ import annotations

from outrider.intel import actors
from outrider.intel.language import detect_language
from outrider.intel.linking import best_match, event_values


def test_language_from_script_and_common_words() -> None:
    assert (
        detect_language("The convoy was attacked on the road to the port, and the police said that it was")
        == "en"
    )
    assert detect_language("کراچی میں ہونے والے دھماکے میں دو غیر ملکی انجینئر ہلاک ہو گئے ہیں") == "ur"
    assert detect_language("卡拉奇机场附近发生爆炸，造成两名中国公民死亡，另有多人受伤。") == "zh"
    assert detect_language("Le convoi a été attaqué sur la route du port par des hommes armés qui") == "fr"
    assert detect_language("1234 5678 ---") == "und"


def _inc(**kw: object) -> dict[str, object]:
    base: dict[str, object] = {"country": "PK", "admin1": "Sindh", "city": None, "date": None}
    base.update(kw)
    return base


def test_event_values_most_specific_place_earliest_precise_date_latest_toll() -> None:
    members = [
        _inc(city=None, date="2024-10-01", date_precision="month", killed=2, published="2024-10-07"),
        _inc(
            city="Karachi",
            lat=24.9,
            lon=67.1,
            date="2024-10-06",
            date_precision="day",
            killed=None,
            published="2024-10-08",
        ),
        _inc(
            city="Karachi",
            lat=24.9,
            lon=67.1,
            date="2024-10-07",
            date_precision="day",
            killed=3,
            published="2024-10-09",
            attack_type="bombing",
        ),
    ]
    got = event_values(members)
    assert (got["city"], got["date"], got["date_precision"], got["killed"]) == (
        "Karachi",
        "2024-10-06",
        "day",
        3,
    )
    assert got["attack_type"] == "bombing"


def test_event_values_keep_a_lower_official_toll_when_it_is_the_latest() -> None:
    members = [_inc(killed=5, published="2024-01-02"), _inc(killed=3, published="2024-01-05")]
    assert event_values(members)["killed"] == 3


def test_best_match_needs_compatible_date_place_and_kind() -> None:
    new = _inc(doc_id="n", city="Hyderabad", date="2024-05-02", date_precision="day", attack_type="bombing")
    stored = [
        _inc(doc_id="a", city="Hyderabad", date="2024-05-20", date_precision="day", attack_type="bombing"),
        _inc(
            doc_id="b", city="Hyderabad", date="2024-05-03", date_precision="day", attack_type="armed_assault"
        ),
        _inc(doc_id="c", city="Hyderabad", date="2024-05-01", date_precision="day", attack_type="bombing"),
    ]
    assert best_match(new, stored) == 2
    assert best_match(new, stored[:2]) is None
    undated = _inc(doc_id="u", city="Hyderabad", attack_type="bombing")
    assert best_match(undated, stored) == 0  # the first most alike dated record at the same town


def test_registry_in_force_is_scoped() -> None:
    custom = actors.ActorRegistry([actors.ActorEntry("Harbour Front", "group", ("HFX",))])
    assert actors.canonical("HFX") is None
    with actors.using(custom):
        assert actors.canonical("hfx") == "Harbour Front"
        assert [h.name for h in actors.find_actors("The HFX said so")] == ["Harbour Front"]
        assert actors.find_actors("the hfx said so") == []  # short acronyms must be upper case
    assert actors.canonical("BLA") == "Balochistan Liberation Army"
