"""`outrider share feed write|verify`: a feed written from a bundle verifies, a tampered one is refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any as World  # the suite's `world` fixture (tests/conftest.py)

from typer.testing import CliRunner

from outrider.cli import app as root_app
from outrider.protocols import keys
from outrider.sharing import feeds
from outrider.sharing.cli_feed import app

runner = root = CliRunner()
BUNDLE = {
    "type": "bundle",
    "id": "bundle--5d0c",
    "objects": [{"id": "incident--1", "type": "incident"}, {"id": "sighting--2", "type": "sighting"}],
}


def test_write_then_verify_and_refuse_a_tampered_feed(tmp_path: Path) -> None:
    pem, public = keys.generate_pem()
    other_pem, other_public = keys.generate_pem()
    (tmp_path / "key.pem").write_bytes(pem)
    (tmp_path / "host.pub").write_text(public.hex(), encoding="ascii")
    (tmp_path / "bundle.json").write_text(json.dumps(BUNDLE), encoding="utf-8")
    feed = tmp_path / "feed"
    party = ["--party", "Host Protection Unit", "--key", str(tmp_path / "key.pem"), "--sequence", "3"]
    written = runner.invoke(
        app, ["write", str(feed), "--objects", str(tmp_path / "bundle.json"), *party, "--json"]
    )
    assert written.exit_code == 0, written.output
    summary = json.loads(written.stdout)
    assert summary["objects"] == 2 and summary["fingerprint"] == keys.fingerprint(public)

    trust = ["--trust", f"Host Protection Unit={tmp_path / 'host.pub'}"]
    verified = runner.invoke(app, ["verify", str(feed), *trust, "--out", str(tmp_path / "o.json"), "--json"])
    assert verified.exit_code == 0, verified.output
    assert json.loads(verified.stdout)["sequence"] == 3
    assert json.loads((tmp_path / "o.json").read_text(encoding="utf-8")) == BUNDLE["objects"]

    replayed = runner.invoke(app, ["verify", str(feed), *trust, "--after", "3"])
    assert replayed.exit_code == 1 and "replayed feed" in replayed.stderr
    stranger = runner.invoke(
        app, ["verify", str(feed), "--trust", f"Host Protection Unit={other_public.hex()}"]
    )
    assert stranger.exit_code == 1 and "not trusted for 'Host Protection Unit'" in stranger.stderr
    assert other_pem != pem
    (feed / "sighting--2.json").write_text('{"id":"sighting--2","type":"report"}', encoding="utf-8")
    tampered = runner.invoke(app, ["verify", str(feed), *trust])
    assert tampered.exit_code == 1 and "sighting--2.json': its SHA-256 differs" in tampered.stderr
    bad = runner.invoke(app, ["verify", str(feed), "--trust", "no-party-given"])
    assert bad.exit_code == 2 and "PARTY=PUBLIC_KEY" in bad.stderr


def test_write_for_a_partner_releases_under_its_policy_then_signs(world: World, tmp_path: Path) -> None:
    pem, public = keys.generate_pem()
    (tmp_path / "key.pem").write_bytes(pem)
    key = ["--key", str(tmp_path / "key.pem")]
    partner = ["--partner", "Partner Embassy"]
    none = runner.invoke(app, ["write", str(tmp_path / "f0"), *key, *partner, "--as", "analyst"])
    assert (
        none.exit_code == 1 and "no release policy agreed" in none.stderr and not (tmp_path / "f0").exists()
    )
    terms = tmp_path / "terms.json"
    terms.write_text(
        json.dumps({"max_marking": "TLP:GREEN", "object_types": ["actor"], "fields": {"actor": "*"}})
    )
    made = json.loads(
        root.invoke(
            root_app, ["share", "policy", "propose", *partner, str(terms), "--as", "admin", "--json"]
        ).stdout
    )
    for who in ("admin", "embassy_admin"):
        agreed = root.invoke(
            root_app,
            ["share", "policy", "approve", str(made["id"]), "--hash", made["payload_hash"], "--as", who],
        )
        assert agreed.exit_code == 0, agreed.output
    actor = json.loads(
        root.invoke(
            root_app, ["intel", "actors", "add", "Front A", "--kind", "group", "--as", "analyst", "--json"]
        ).stdout
    )
    marked = [
        "share",
        "mark",
        "actor",
        str(actor["id"]),
        "TLP:CLEAR",
        "--reason",
        "public",
        "--as",
        "analyst",
    ]
    assert root.invoke(root_app, marked).exit_code == 0
    for who in ("coord", "other_coord", "duty", "auditor"):  # not the host's analysts, not the partner
        refused = runner.invoke(app, ["write", str(tmp_path / who), *key, *partner, "--as", who])
        assert refused.exit_code == 1 and "only the host's analysts export" in refused.stderr, who
        assert not (tmp_path / who).exists()
    done = runner.invoke(
        app, ["write", str(tmp_path / "feed"), *key, *partner, "--sequence", "2", "--as", "analyst"]
    )
    assert done.exit_code == 0, done.output
    feed = feeds.verify_feed(tmp_path / "feed", trusted_keys={"Host Protection Unit": [public]})
    assert [o["name"] for o in feed.objects if o["type"] == "threat-actor"] == ["Front A"]
    both = runner.invoke(
        app, ["write", str(tmp_path / "g"), *key, *partner, "--objects", "x.json", "--as", "analyst"]
    )
    assert both.exit_code == 2 and "not both" in both.stderr
    full = runner.invoke(app, ["write", str(tmp_path / "feed"), *key, *partner, "--as", "analyst"])
    assert full.exit_code == 2 and "must be empty" in full.stderr
