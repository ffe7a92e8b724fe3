"""Need-to-know of the joint committee's records: who reads a committee's meetings, who writes them, who
signs the minutes for a party, who reads a restricted agenda item.

- A committee and its meetings are read by its members, by the administrators of the two founding
  parties (they name the members and may sign the minutes for their party) and by auditors (read only).
  Anyone else, companies and organisations party to nothing included, is told the committee does not
  exist (404), as for another organisation's records.
- Chairs and the secretariat (of either party) keep the records: meetings, agenda, attendance, minutes,
  outcomes. Every member comments on the items they may read. Nothing in the committee commands units.
- A restricted agenda item's text, minutes and outcomes are read only by the members it names (its
  title stays on the agenda). Every showing of a restricted item's contents is audited.
- The minutes are signed for a party by that party's chair or an administrator of that founding party,
  each with their own registered, unrevoked signing key.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from outrider.access.policy import Caller
from outrider.committee.models import Committee
from outrider.errors import Forbidden, NotFound
from outrider.governance import rules
from outrider.governance import service as governance_service

EDITOR_ROLES = frozenset({"chair", "secretariat"})
FORMER = "former"  # a member taken off the committee (kept: past attendance names the row)


@dataclass(frozen=True, slots=True)
class Seat:
    """What a caller is to one committee."""

    user_id: int
    member_party: str | None = None  # host | partner when the caller sits on the committee
    member_role: str | None = None  # chair | member | secretariat
    admin_party: str | None = None  # host | partner for an administrator of that founding party
    auditor: bool = False

    @property
    def member(self) -> bool:
        return self.member_party is not None


def seat_of(session: Session, caller: Caller, committee: Committee) -> Seat:
    """The caller's seat on the committee (membership, founding administrator, auditor)."""
    founding = governance_service.founding_of(session)
    admin = rules.founding_party(caller, founding)
    row = next((m for m in committee.members if m.user_id == caller.user_id and m.role != FORMER), None)
    return Seat(
        user_id=caller.user_id,
        member_party=row.party if row else None,
        member_role=row.role if row else None,
        admin_party=admin.value if admin else None,
        auditor="auditor" in caller.roles,
    )


def may_read(seat: Seat) -> bool:
    """Members, the founding parties' administrators and auditors read the committee's records."""
    return seat.member or seat.admin_party is not None or seat.auditor


def may_edit(seat: Seat) -> bool:
    """Chairs and the secretariat keep the meetings' records."""
    return seat.member_role in EDITOR_ROLES


def may_comment(seat: Seat) -> bool:
    """Every member comments (partner members read and comment)."""
    return seat.member


def may_manage_members(seat: Seat, party: str) -> bool:
    """An administrator of a founding party names that party's members."""
    return seat.admin_party == party


def may_sign_for(seat: Seat, party: str) -> bool:
    """The party's chair, or an administrator of that founding party, signs the minutes for it."""
    return (seat.member_role == "chair" and seat.member_party == party) or seat.admin_party == party


def signing_parties(seat: Seat) -> list[str]:
    """The parties the caller may sign the minutes for."""
    return [p for p in ("host", "partner") if may_sign_for(seat, p)]


def may_read_item(seat: Seat, restricted_to: Iterable[int] | None) -> bool:
    """An unrestricted item is read by every reader of the committee; a restricted one by those it names."""
    if not may_read(seat):
        return False
    return restricted_to is None or seat.user_id in set(restricted_to)


def readable(session: Session, caller: Caller, committee_id: int) -> tuple[Committee, Seat]:
    """The committee and the caller's seat; NotFound when the caller may not read it."""
    committee = session.get(Committee, committee_id)
    if committee is None:
        raise NotFound(f"committee {committee_id} not found")
    seat = seat_of(session, caller, committee)
    if not may_read(seat):
        raise NotFound(f"committee {committee_id} not found")
    return committee, seat


def require_editor(seat: Seat) -> None:
    """Forbidden unless the caller is a chair or of the secretariat."""
    if not may_edit(seat):
        raise Forbidden("only the committee's chairs and secretariat keep its meeting records")
