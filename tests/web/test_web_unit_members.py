"""An escort unit's members on its registry page: listed for readers, added and removed by its force's
writers (never oneself), a refused change shown beside the field with nothing written, each change audited."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from test_web_registry_access import headers, host_unit

from outrider import db
from outrider.audit.models import AuditRecord
from outrider.registry.models import UnitMember


def _members(unit: int) -> list[int]:
    with db.transaction() as session:
        return list(session.scalars(select(UnitMember.user_id).where(UnitMember.unit_id == unit)))


def _post(client: TestClient, world: Any, who: str, path: str, data: dict[str, str]) -> Any:
    return client.post(path, data=data, headers=headers(world, who, change=True), follow_redirects=False)


def test_the_units_force_adds_and_removes_members_on_its_page(client: TestClient, world: Any) -> None:
    unit = host_unit(client, world)
    page = f"/registry/escort-units/{unit}"
    duty = client.get(page, headers=headers(world, "duty")).text
    assert 'id="member-add"' in duty
    offered = duty[duty.index('id="member-user"') : duty.index("</select>", duty.index('id="member-user"'))]
    assert "(analyst)" in offered and "(admin)" in offered and "(duty)" not in offered  # never oneself
    analyst_id = str(world["analyst"].user_id)
    added = _post(client, world, "duty", f"{page}/members", {"user_id": analyst_id})
    assert added.status_code == 303 and added.headers["location"] == f"{page}?done=member_added"
    assert _members(unit) == [world["analyst"].user_id]
    shown = client.get(added.headers["location"], headers=headers(world, "duty")).text
    assert 'id="member-done"' in shown and '<td class="mono">analyst</td>' in shown
    # Readers see the list without the form; a second add of the same user is refused beside the field.
    reader = client.get(page, headers=headers(world, "analyst")).text
    assert '<td class="mono">analyst</td>' in reader and 'id="member-add"' not in reader
    again = _post(client, world, "admin", f"{page}/members", {"user_id": analyst_id})
    assert (
        again.status_code == 409
        and 'id="member-user-error"' in again.text
        and "already a member" in again.text
    )
    assert 'aria-invalid="true"' in again.text
    mine = _post(client, world, "duty", f"{page}/members", {"user_id": str(world["duty"].user_id)})
    assert mine.status_code == 403 and _members(unit) == [world["analyst"].user_id]
    removed = _post(client, world, "admin", f"{page}/members/{analyst_id}/remove", {})
    assert removed.status_code == 303 and _members(unit) == []
    gone = _post(client, world, "admin", f"{page}/members/{analyst_id}/remove", {})
    assert gone.status_code == 404 and 'id="member-user-error"' in gone.text
    with db.transaction() as session:
        actions = session.scalars(
            select(AuditRecord.action).where(AuditRecord.action.contains("member")).order_by(AuditRecord.seq)
        ).all()
    assert actions[-2:] == ["registry.unit.member_added", "registry.unit.member_removed"]
