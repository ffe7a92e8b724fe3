"""Alert titles and the protocol gate's timeline notes in the reader's language: the cordon detectors' own
titles read back and translated, any title of a template read back whole (hypothesis), a title no template
matches shown as stored, a redacted title kept redacted, a person's note kept as written."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from outrider.cordon import rules as cordon_rules
from outrider.cordon.zones import Zone
from outrider.web import alert_titles, i18n
from outrider.web.alert_titles import TITLES, alert_title, system_note
from outrider.web.vocabulary import VOCABULARIES

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


# --- alert titles ---------------------------------------------------------------------------------------


def _zone(due: tuple[datetime, ...] = ()) -> Zone:
    return Zone("z1", "outer", "site:1", None, site_id="1", movements_due=due)


def test_the_cordon_detectors_titles_are_translated() -> None:
    cfg = cordon_rules.Config()
    now = datetime(2026, 11, 24, 7, 30, tzinfo=UTC)
    start = (now - timedelta(minutes=44)).timestamp()
    dwell = cordon_rules.dwell_alert(cfg, _zone(), "LEA-123", now, (start, now.timestamp(), 5), 2, False)
    due = cordon_rules.dwell_alert(
        cfg, _zone((now + timedelta(minutes=20),)), "LEA-123", now, (start, now.timestamp(), 5), 3, False
    )
    loiter = cordon_rules.loiter_alert(_zone(), "LEA-123", now, 4)
    recon = cordon_rules.recon_alert(cfg, "LEA-123", now, [("site:1", 0.0), ("site:2", 1.0), ("site:3", 2.0)])
    zh, ur = i18n.translations("zh-Hans").gettext, i18n.translations("ur").gettext
    for alert in (dwell, due, loiter, recon):
        kind = f"cordon_{alert.kind}"
        assert alert_title(str, kind, alert.title) == alert.title  # English: as the detector wrote it
        for gettext in (zh, ur):
            shown = alert_title(gettext, kind, alert.title)
            assert shown != alert.title and "LEA-123" in shown, (kind, shown)
    assert "44" in alert_title(zh, "cordon_dwell", dwell.title)
    assert alert_title(zh, "cordon_dwell", due.title).endswith("一次受保护行程即将到来")


SAFE = st.text(st.characters(categories=("L", "N"), include_characters="-@/"), min_size=1, max_size=20)


@given(kind=st.sampled_from(sorted(TITLES)), data=st.data())
def test_a_title_is_read_back_by_its_template_and_translated_whole(kind: str, data: Any) -> None:
    templates = TITLES[kind]
    wording = data.draw(st.sampled_from(templates.wordings))
    values: dict[str, str] = {}
    labelled: dict[str, str] = {}  # in English, a vocabulary's word is shown by its label
    for name in PLACEHOLDER.findall(wording):
        if name in templates.terms:
            words = VOCABULARIES[templates.terms[name][0]]
            member = data.draw(st.sampled_from(words.members))
            values[name], labelled[name] = member.replace("_", " "), str(words.label(member))
        else:
            values[name] = labelled[name] = data.draw(SAFE)
    title = wording % values
    assert alert_title(str, kind, title) == wording % labelled
    zh = i18n.translations("zh-Hans").gettext
    shown = alert_title(zh, kind, title)
    assert shown != title
    for name, value in values.items():
        if name not in templates.terms:
            assert value in shown


def test_an_unknown_kind_or_wording_shows_the_stored_title() -> None:
    zh = i18n.translations("zh-Hans").gettext
    assert alert_title(zh, "some_new_kind", "Something happened") == "Something happened"
    assert alert_title(zh, "movement_overdue", "MOV-1 is late") == "MOV-1 is late"


def test_the_gates_notes_in_the_timeline_are_translated_and_a_persons_note_kept() -> None:
    ur = i18n.translations("ur").gettext
    passed = system_note(ur, "protocol_checked", "no protocol is in force on 2026-11-24; the gate passes")
    assert passed.startswith("2026-11-24 ") and "the gate" not in passed
    refused = "the route clearance refused by the agreed protocol; the movement did not move on"
    assert "راستے کی کلیئرنس" in system_note(ur, "protocol_checked", refused)
    assert system_note(ur, "incident", "shots fired near the gate") == "shots fired near the gate"
    zh = i18n.translations("zh-Hans").gettext
    who = (
        "a duty officer or administrator of Special Protection Unit: "
        "resolve the alert or record an override with a reason"
    )
    assert system_note(zh, "who_can_clear", who).startswith("Special Protection Unit 的值班官员")
    assert system_note(zh, "who_can_clear", "both parties, by a joint waiver") == "双方通过联合豁免"
    released = system_note(
        zh, "itinerary_note", "on the need-to-know list; released at 2026-11-24T05:30:00+00:00"
    )
    assert released == "在知情名单上；2026-11-24T05:30:00+00:00 起可查阅"
    lacking = system_note(
        zh, "waiver_problem", "waiver lacks approval of host-security-force, partner-government"
    )
    assert lacking == "豁免尚缺 东道国安全部队, 伙伴国政府 的批准", lacking


def test_a_redacted_title_stays_redacted_in_translation() -> None:
    zh = i18n.translations("zh-Hans").gettext
    redacted = (
        f"waiver of escort-ratio withdrawn for {alert_titles.HIDDEN_MOVEMENT}: re-check before it moves"
    )
    shown = alert_title(zh, "protocol_waiver_withdrawn", redacted)
    assert "一次受保护行程" in shown and "escort-ratio" in shown and "MOV-" not in shown
