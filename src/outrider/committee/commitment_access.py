"""Who may read and change commitments, as a pure core: deny unless allowed.

The committee is the two founding parties' business. Every user of the host-security or the partner
organisation that founded the joint arrangement reads its commitments, and so do auditors; companies and
organisations party to nothing learn nothing of them (404 for one commitment, 403 for a list). A party
acts through the roles that decide for it (host administrators and duty officers, partner administrators
and liaisons, as in governance) and through the commitment's owner on its side; each party assesses only
for itself. The secretariat (the founding parties' administrators) decides on proposals from the news.
"""

from __future__ import annotations

from dataclasses import dataclass

from outrider.access.policy import Caller
from outrider.committee.ladder import Party
from outrider.governance.rules import HOST_APPROVERS, PARTNER_APPROVERS, Founding

DECIDERS = {Party.host: HOST_APPROVERS, Party.partner: PARTNER_APPROVERS}
SECRETARIAT = frozenset({"admin"})
# Who reads news reports for cooperation: the secretariat and the host's intelligence analysts.
NEWS_READERS = frozenset({"admin", "analyst"})


@dataclass(frozen=True, slots=True)
class Owners:
    """The owner users of one commitment, one on each side (either may be unset)."""

    host: int | None = None
    partner: int | None = None

    def of(self, party: Party) -> int | None:
        """The owner on ``party``'s side."""
        return self.host if party is Party.host else self.partner


def party_of(caller: Caller, founding: Founding | None) -> Party | None:
    """The founding party whose organisation the caller belongs to, if any."""
    if founding is None:
        return None
    if caller.organization_id == founding.host_org_id:
        return Party.host
    if caller.organization_id == founding.partner_org_id:
        return Party.partner
    return None


def may_read(caller: Caller, founding: Founding | None) -> bool:
    """Users of the founding parties' organisations, and auditors."""
    return party_of(caller, founding) is not None or "auditor" in caller.roles


def may_act_for(caller: Caller, founding: Founding | None, party: Party, owners: Owners = Owners()) -> bool:
    """The roles deciding for ``party`` in its organisation, or the commitment's owner on its side."""
    if party_of(caller, founding) is not party:
        return False
    return bool(caller.roles & DECIDERS[party]) or caller.user_id == owners.of(party)


def may_write(caller: Caller, founding: Founding | None, owners: Owners = Owners()) -> bool:
    """Record or move a commitment: either party acting through its deciding roles or its owner."""
    return any(may_act_for(caller, founding, p, owners) for p in Party)


def may_assess(caller: Caller, founding: Founding | None, party: Party, owners: Owners) -> bool:
    """Only ``party`` assesses for itself: a partner administrator never assesses for the host."""
    return may_act_for(caller, founding, party, owners)


def may_decide_proposals(caller: Caller, founding: Founding | None, *, seated: bool = False) -> bool:
    """The secretariat: the founding parties' administrators, and the users of a founding party seated on
    a committee as its secretariat (``seated``)."""
    return party_of(caller, founding) is not None and (seated or bool(caller.roles & SECRETARIAT))


def may_read_news(caller: Caller, founding: Founding | None, *, seated: bool = False) -> bool:
    """Read a stored report for cooperation: the secretariat and the host's analysts."""
    party = party_of(caller, founding)
    if party is None:
        return False
    if may_decide_proposals(caller, founding, seated=seated):
        return True
    return party is Party.host and "analyst" in caller.roles


def owner_may_own(user_org_id: int, founding: Founding, party: Party) -> bool:
    """An owner on ``party``'s side is a user of that party's organisation."""
    wanted = founding.host_org_id if party is Party.host else founding.partner_org_id
    return user_org_id == wanted
