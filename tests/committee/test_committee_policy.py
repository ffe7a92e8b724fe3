"""The committee's need-to-know decisions as properties (no database): deny unless a seat allows, a
restricted item only for those it names, keeping records and signing never without reading, and the
minutes' approval only with both parties' valid signatures of the hash as stored."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from outrider.committee import access, minutes_signing

PARTIES = st.sampled_from([None, "host", "partner"])
seats = st.builds(
    access.Seat,
    user_id=st.integers(1, 6),
    member_party=PARTIES,
    member_role=st.sampled_from([None, "chair", "member", "secretariat"]),
    admin_party=PARTIES,
    auditor=st.booleans(),
).filter(lambda s: (s.member_party is None) == (s.member_role is None))
restrictions = st.one_of(st.none(), st.lists(st.integers(1, 6), max_size=4))


@given(seat=seats, restricted=restrictions)
def test_nothing_is_read_kept_or_signed_without_a_seat(
    seat: access.Seat, restricted: list[int] | None
) -> None:
    readable = access.may_read(seat)
    assert readable == (seat.member or seat.admin_party is not None or seat.auditor)
    if access.may_read_item(seat, restricted):
        assert readable and (restricted is None or seat.user_id in restricted)
    elif readable:
        assert restricted is not None and seat.user_id not in restricted
    for allowed in (access.may_edit(seat), access.may_comment(seat), bool(access.signing_parties(seat))):
        assert readable or not allowed
    assert not access.may_edit(seat) or seat.member_role in ("chair", "secretariat")
    for party in access.signing_parties(seat):  # only for one's own party
        assert party in (seat.member_party if seat.member_role == "chair" else None, seat.admin_party)
    if seat.auditor and not seat.member and seat.admin_party is None:
        assert not (access.may_edit(seat) or access.may_comment(seat) or access.signing_parties(seat))


signed = st.lists(
    st.builds(
        minutes_signing.Signed,
        party=st.sampled_from(["host", "partner"]),
        minutes_hash=st.sampled_from(["a" * 64, "b" * 64]),
        signature_ok=st.booleans(),
    ),
    max_size=3,
    unique_by=lambda s: s.party,
)


@given(entries=signed)
def test_minutes_are_approved_only_by_both_valid_signatures_of_the_stored_hash(
    entries: list[minutes_signing.Signed],
) -> None:
    standing = minutes_signing.standing("a" * 64, entries)
    valid = {e.party for e in entries if e.signature_ok and e.minutes_hash == "a" * 64}
    assert standing.approved == (valid == {"host", "partner"})
    assert set(standing.awaiting) == {"host", "partner"} - valid
    assert standing.tampered == (len(valid) < len(entries))
