"""The access policy as pure decisions: deny unless allowed."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from outrider.access.policy import Caller, RecordKind, alert_scope, may_read_alert, may_write, read_scope

ROLES = ["admin", "coordinator", "duty_officer", "liaison", "analyst", "auditor"]
KINDS = ["host_security", "partner_government", "company", "other"]


def caller(
    kind: str = "company", roles: tuple[str, ...] = ("coordinator",), org: int = 1, country: str = "CN"
) -> Caller:
    return Caller(user_id=1, organization_id=org, org_kind=kind, country=country, roles=frozenset(roles))


def test_company_sees_only_its_own_records() -> None:
    for kind in RecordKind:
        scope = read_scope(caller(), kind)
        assert not scope.everything
        assert scope.allows(organization_id=1)
        assert not scope.allows(organization_id=2, nationality="CN")


def test_host_security_sees_all_sites_units_vehicles_but_not_persons() -> None:
    host = caller("host_security", ("duty_officer",))
    assert read_scope(host, RecordKind.site).everything
    assert read_scope(host, RecordKind.unit).everything
    assert read_scope(host, RecordKind.vehicle).everything
    assert not read_scope(host, RecordKind.person).allows(organization_id=9, nationality="PK")


def test_partner_government_sees_its_own_nationals_only() -> None:
    embassy = caller("partner_government", ("liaison",), org=5, country="CN")
    scope = read_scope(embassy, RecordKind.person)
    assert scope.allows(organization_id=9, nationality="CN")
    assert not scope.allows(organization_id=9, nationality="TR")
    assert not read_scope(embassy, RecordKind.site).allows(organization_id=9)


def test_units_are_written_by_host_security_only() -> None:
    assert may_write(caller("host_security", ("duty_officer",)), RecordKind.unit, owner_organization_id=1)
    assert not may_write(caller("company", ("admin",)), RecordKind.unit, owner_organization_id=1)


@given(
    kind=st.sampled_from(KINDS),
    roles=st.frozensets(st.sampled_from(ROLES)),
    record=st.sampled_from(list(RecordKind)),
    owner=st.integers(1, 3),
)
def test_nobody_writes_another_organisations_records(
    kind: str, roles: frozenset[str], record: RecordKind, owner: int
) -> None:
    c = Caller(user_id=1, organization_id=1, org_kind=kind, country="PK", roles=roles)
    if owner != 1:
        assert not may_write(c, record, owner_organization_id=owner)
    if not roles & {"admin", "coordinator", "duty_officer"}:
        assert not may_write(c, record, owner_organization_id=1)


@given(
    kind=st.sampled_from(KINDS),
    roles=st.frozensets(st.sampled_from(ROLES)),
    owner=st.none() | st.integers(1, 3),
)
def test_alert_reading_needs_a_reader_role(kind: str, roles: frozenset[str], owner: int | None) -> None:
    c = Caller(user_id=1, organization_id=1, org_kind=kind, country="PK", roles=roles)
    allowed = may_read_alert(c, organization_id=owner)
    if not roles & {"admin", "coordinator", "duty_officer", "liaison", "auditor"}:
        assert not allowed
    elif kind != "host_security" and "auditor" not in roles:
        assert allowed == (owner == 1)
        assert not alert_scope(c).everything
    else:
        assert allowed
