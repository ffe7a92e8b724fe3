"""What a partner sent TLP:AMBER+STRICT stays within the receiving organisation: released to no other
partner, whatever that partner's policy allows (it left before the fix), on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

import partner_bundles
from outrider.sharing.markings import Tlp

S = "/api/v1/sharing"


def test_a_partners_strict_import_is_released_to_no_one(client: TestClient, world: Any) -> None:
    sent = partner_bundles.bundle(second_event=Tlp.amber_strict)
    imported = client.post(
        f"{S}/import?partner_org_id={world.orgs['acme']}", json=sent, headers=world["analyst"].headers
    )
    assert imported.status_code == 200, imported.text
    partner_bundles.agree_red_policy(client, world)  # everything up to TLP:RED to the embassy
    export = client.post(
        f"{S}/export", json={"partner_org_id": world.orgs["embassy"]}, headers=world["analyst"].headers
    )
    assert export.status_code == 200, export.text
    ids = {o["id"] for o in export.json()["objects"]}
    assert partner_bundles.ident("event", 11) in ids  # the partner's GREEN event goes on
    assert partner_bundles.ident("event", 12) not in ids  # its STRICT one stays with the receiver
