"""`outrider share feed write|verify`: a feed written from a bundle verifies, a tampered one is refused."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from outrider.protocols import keys
from outrider.sharing.cli_feed import app

runner = CliRunner()
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
