"""The minutes signed by both parties, on SQLite and PostgreSQL: one party alone never approves, signed
minutes are frozen, a new revision needs both signatures again, and minutes altered in storage after the
signatures show as tampered on read. The canonical form and its hash are also checked as a pure core."""

from __future__ import annotations

from typing import Any

import pytest
from committee_scene import NOW, add_item, current_hash, hold, make_scene, register_key, sign, write
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select, update

from outrider import db
from outrider.audit.models import AuditRecord
from outrider.committee import meetings, minutes, minutes_signing, reading
from outrider.committee import schemas as s
from outrider.committee.models import MinutesSection
from outrider.errors import Conflict, Forbidden, InvalidInput, RuleViolation


def _read(scene: Any, who: str = "admin") -> s.MeetingRead:
    with db.transaction() as session:
        meeting, seat = meetings.meeting_and_seat(session, scene.as_(who), scene.meeting)
        return reading.meeting_read(session, caller=scene.as_(who), meeting=meeting, seat=seat, now=NOW)


def test_both_parties_sign_the_same_hash_and_the_minutes_freeze(world: Any) -> None:
    scene = make_scene(world)
    item = add_item(scene)
    write(scene, "The host reported the checks at the outer ring.", item)
    with pytest.raises(Conflict, match="not been held"):
        sign(scene, "admin")
    hold(scene)
    first = current_hash(scene)
    # a stale hash, another's key, a signature of something else, a user who signs for no party
    with pytest.raises(RuleViolation):
        sign(scene, "admin", digest="0" * 64)
    register_key(scene, "embassy_admin")
    with pytest.raises(Forbidden, match="not a registered signing key of yours"):
        sign(scene, "admin", key_of="embassy_admin")
    with pytest.raises(Forbidden, match="chair or an administrator"):
        sign(scene, "analyst", key_of="admin")
    assert sign(scene, "admin") == "host"
    with pytest.raises(Conflict, match="already signed"):
        sign(scene, "admin")
    after_one = _read(scene)
    assert after_one.status is s.MeetingStatus.held  # one party alone never approves
    assert not after_one.minutes.approved and after_one.minutes.awaiting == [s.Party.partner]
    with pytest.raises(Conflict, match="frozen"):
        write(scene, "A late addition.")  # the host's signature would no longer name the minutes
    assert sign(scene, "embassy_admin") == "partner"
    done = _read(scene, "liaison")
    assert done.status is s.MeetingStatus.minutes_approved and done.minutes.approved
    assert done.minutes.minutes_hash == first and not done.minutes.tampered
    assert {(a.party, a.signature_verified) for a in done.minutes.approvals} == {
        (s.Party.host, True),
        (s.Party.partner, True),
    }
    with pytest.raises(Conflict):
        add_item(scene)
    with pytest.raises(Conflict, match="already approved"):
        sign(scene, "embassy_admin")
    with db.transaction() as session:
        actions = set(
            session.scalars(select(AuditRecord.action).where(AuditRecord.action.like("committee.%")))
        )
    assert {"committee.sign_minutes", "committee.approve_minutes"} <= actions


def test_minutes_altered_in_storage_show_as_tampered_and_a_revision_is_signed_again(world: Any) -> None:
    scene = make_scene(world)
    write(scene, "Agreed to meet monthly.")
    hold(scene)
    sign(scene, "admin")
    sign(scene, "embassy_admin")
    with db.transaction() as session:  # behind the service's back
        session.execute(update(MinutesSection).values(text="Agreed to meet yearly."))
    seen = _read(scene)
    assert seen.minutes.tampered and not seen.minutes.approved
    assert seen.minutes.minutes_hash != seen.minutes.approvals[0].minutes_hash
    with pytest.raises(Conflict, match="signed and frozen"):
        write(scene, "Another.")
    with db.transaction() as session:
        minutes.revise(
            session, caller=scene.as_("analyst"), meeting_id=scene.meeting, reason="corrected", now=NOW
        )
    write(scene, "Agreed to meet every two months.", position=1)
    reopened = _read(scene)
    assert reopened.minutes.revision == 2 and reopened.minutes.approvals == []
    assert reopened.status is s.MeetingStatus.held and not reopened.minutes.tampered
    sign(scene, "embassy_admin")
    assert not _read(scene).minutes.approved
    with db.transaction() as session:  # altered between the two signatures: nobody signs on top of it
        session.execute(update(MinutesSection).values(text="Agreed to meet never."))
    with pytest.raises(Conflict, match="no longer match"):
        sign(scene, "admin")
    with db.transaction() as session:  # put back as signed: the hash is what the partner signed again
        session.execute(update(MinutesSection).values(text="Agreed to meet every two months."))
    sign(scene, "admin")
    assert _read(scene).minutes.approved


def test_a_chair_signs_with_a_key_of_their_own_and_nobody_with_another_s(world: Any) -> None:
    scene = make_scene(world)
    write(scene, "Noted.")
    hold(scene)
    register_key(scene, "embassy_admin")
    with pytest.raises(Forbidden):  # the liaison chairs for the partner, but the key is the admin's
        sign(scene, "liaison", key_of="embassy_admin")
    with pytest.raises(Forbidden, match="chair"):  # a member who does not chair registers no key
        register_key(scene, "duty")
    key, public = scene.signing["embassy_admin"]
    digest = current_hash(scene)
    with pytest.raises(InvalidInput, match="signature"), db.transaction() as session:
        minutes.sign(
            session,
            caller=scene.as_("embassy_admin"),
            meeting_id=scene.meeting,
            minutes_hash=digest,
            public_key=public,
            signature=key.sign(b"something else").hex(),
            now=NOW,
        )
    assert sign(scene, "liaison") == "partner"  # the chair's own key (not an administrator's)
    assert sign(scene, "admin") == "host"


# --- the pure core ---------------------------------------------------------------------------------

_text = st.text(max_size=40)
_entries = st.lists(st.fixed_dictionaries({"position": st.integers(1, 9), "text": _text}), max_size=4)


@given(sections=_entries, changed=_text)
def test_any_change_of_any_text_changes_the_hash(sections: list[dict[str, Any]], changed: str) -> None:
    doc = {"revision": 1, "agenda": [], "sections": sections, "outcomes": []}
    digest = minutes_signing.minutes_hash(doc)
    assert minutes_signing.minutes_hash(dict(doc)) == digest  # deterministic
    for i, entry in enumerate(sections):
        if entry["text"] == changed:
            continue
        other = [*sections[:i], {**entry, "text": changed}, *sections[i + 1 :]]
        assert minutes_signing.minutes_hash({**doc, "sections": other}) != digest
        # a reader who sees only the text's hash computes the same minutes hash
        hashed = [
            *sections[:i],
            {"position": entry["position"], "text_sha256": minutes_signing.text_hash(entry["text"])},
            *sections[i + 1 :],
        ]
        assert minutes_signing.minutes_hash({**doc, "sections": hashed}) == digest


def test_standing_needs_both_valid_signatures_of_the_current_hash() -> None:
    h = "a" * 64
    sign = minutes_signing.Signed
    assert minutes_signing.standing(h, [sign("host", h, True)]).awaiting == ("partner",)
    assert minutes_signing.standing(h, [sign("host", h, True), sign("partner", h, True)]).approved
    stale = minutes_signing.standing(h, [sign("host", h, True), sign("partner", "b" * 64, True)])
    assert stale.tampered and not stale.approved
    forged = minutes_signing.standing(h, [sign("host", h, True), sign("partner", h, False)])
    assert forged.tampered and not forged.approved
