"""Who keeps and reads the call directory, as pure decisions: never another organisation's, the joint
default policy changed by nobody through them, deny unless a role allows."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from outrider.access import policy
from outrider.access.policy import Caller

ROLES = ["admin", "coordinator", "duty_officer", "liaison", "auditor", "analyst"]
callers = st.builds(
    lambda roles, kind, org: Caller(
        user_id=1, organization_id=org, org_kind=kind, country="PK", roles=frozenset(roles)
    ),
    st.sets(st.sampled_from(ROLES)),
    st.sampled_from(["host_security", "partner_government", "company", "other"]),
    st.integers(1, 4),
)


@given(callers, st.integers(1, 4))
def test_nobody_keeps_or_reads_another_organisations_directory(caller: Caller, org: int) -> None:
    keeps = policy.may_manage_rosters(caller, organization_id=org)
    writes = policy.may_manage_call_policies(caller, organization_id=org)
    reads = policy.may_read_call_directory(caller, organization_id=org)
    if org != caller.organization_id:
        assert not keeps and not writes and not reads
        return
    assert writes == ("admin" in caller.roles)
    assert keeps == (
        "admin" in caller.roles or (caller.org_kind == "host_security" and "duty_officer" in caller.roles)
    )
    assert reads == bool(caller.roles & {"admin", "coordinator", "duty_officer"})
    assert (not writes or reads) and (not keeps or reads)  # who keeps it also reads it


@given(callers)
def test_the_joint_default_is_read_by_alert_readers_and_written_by_nobody(caller: Caller) -> None:
    assert not policy.may_manage_call_policies(caller, organization_id=None)
    assert policy.may_read_call_directory(caller, organization_id=None) == policy.may_read_alerts(caller)
