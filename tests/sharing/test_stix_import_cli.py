"""`outrider share import`, `share ceiling` and `share feed import`: a partner's bundle or verified feed in,
one line on error, a replayed, tampered or untrusted feed refused whole."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any as World  # the suite's `world` fixture (tests/conftest.py)

from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner, Result

from outrider import db
from outrider.audit.models import AuditRecord
from outrider.cli import app
from outrider.intel.models import IntelEvent
from outrider.protocols import keys
from outrider.sharing import feeds
from outrider.sharing.markings import Tlp
from partner_bundles import bundle, ident

runner = CliRunner()
PARTNER = "Partner Embassy"


def _share(*args: str) -> Result:
    return runner.invoke(app, ["share", *args])


def _events() -> set[str | None]:
    with Session(db.get_engine()) as session:
        return set(session.scalars(select(IntelEvent.stix_id)))


def test_share_import_a_bundle(world: World, tmp_path: Path) -> None:
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle(second_event=Tlp.red)), encoding="utf-8")
    refused = _share("import", str(path), "--partner", PARTNER, "--as", "liaison")
    assert refused.exit_code == 1 and "only the host's analysts" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    done = _share("import", str(path), "--partner", PARTNER, "--as", "analyst")
    assert done.exit_code == 0, done.output
    assert "bundle.json from Partner Embassy:" in done.stdout and "rejected" in done.stdout
    assert f"rejected {ident('event', 12)}: marked TLP:RED" in done.stdout
    again = json.loads(_share("import", str(path), "--partner", PARTNER, "--as", "analyst", "--json").stdout)
    assert {o["outcome"] for o in again["objects"] if o["kind"]} == {"unchanged"}
    path.write_text("{not json", encoding="utf-8")
    broken = _share("import", str(path), "--partner", PARTNER, "--as", "analyst")
    assert broken.exit_code == 1 and "not valid JSON" in broken.stderr


def _feed(tmp_path: Path, name: str, sequence: int, pem: bytes, **kwargs: Tlp) -> Path:
    directory = tmp_path / name
    (tmp_path / "key.pem").write_bytes(pem)
    key = keys.read_private_key(tmp_path / "key.pem")
    objects = bundle(**kwargs)["objects"]
    created = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
    feeds.write_feed(directory, objects, party=PARTNER, key=key, created=created, sequence=sequence)
    return directory


def test_share_feed_import_verifies_and_refuses_a_replay(world: World, tmp_path: Path) -> None:
    pem, public = keys.generate_pem()
    trust = ["--trust", f"{PARTNER}={public.hex()}"]
    feed = _feed(tmp_path, "feed3", 3, pem)
    stranger = _share(
        "feed", "import", str(feed), "--trust", f"{PARTNER}={keys.generate_pem()[1].hex()}", "--as", "analyst"
    )
    assert stranger.exit_code == 1 and "not trusted" in stranger.stderr and not _events() - {None}
    done = _share("feed", "import", str(feed), *trust, "--as", "analyst", "--json")
    assert done.exit_code == 0, done.output
    answer = json.loads(done.stdout)
    assert answer["sequence"] == 3 and answer["rejected"] == 0
    assert ident("event", 11) in _events()
    replay = _share("feed", "import", str(feed), *trust, "--as", "analyst")
    assert (
        replay.exit_code == 1
        and "replayed feed: sequence 3 of 'Partner Embassy' is not after 3" in replay.stderr
    )
    older = _share("feed", "import", str(_feed(tmp_path, "feed2", 2, pem)), *trust, "--as", "analyst")
    assert older.exit_code == 1 and "replayed feed" in older.stderr
    tampered = _feed(tmp_path, "feed5", 5, pem)
    victim = tampered / feeds.file_name(ident("event", 11))
    victim.write_text(victim.read_text(encoding="utf-8").replace("Karachi", "Lahore"), encoding="utf-8")
    refused = _share("feed", "import", str(tampered), *trust, "--as", "analyst")
    assert refused.exit_code == 1 and "SHA-256 differs" in refused.stderr

    # TLP:RED comes in only once the host's administrator raised the partner's ceiling to it
    red = _feed(tmp_path, "feed4", 4, pem, second_event=Tlp.red)
    assert _share("ceiling", "--partner", PARTNER, "TLP:RED", "--as", "analyst").exit_code == 1
    raised = _share("ceiling", "--partner", PARTNER, "TLP:RED", "--as", "admin", "--json")
    assert raised.exit_code == 0 and json.loads(raised.stdout)["last_sequence"] == 3
    with Session(db.get_engine()) as session:
        audited = session.scalars(select(AuditRecord).where(AuditRecord.action == "sharing.ceiling")).one()
        assert audited.details == {"from": "TLP:AMBER+STRICT", "to": "TLP:RED"}
    taken = json.loads(_share("feed", "import", str(red), *trust, "--as", "analyst", "--json").stdout)
    assert taken["rejected"] == 0 and ident("event", 12) in _events()
