"""What `make run` does, as a user would: migrate, load the demo, serve, sign in, read sites."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "outrider", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_upgrade_demo_serve_health_and_sites(tmp_path: Path) -> None:
    env = {**os.environ, "OUTRIDER_DATA_DIR": str(tmp_path / "var"), "OUTRIDER_ENV": "development"}
    env.pop("OUTRIDER_DATABASE_URL", None)
    assert _cli(env, "db", "upgrade").returncode == 0
    loaded = _cli(env, "demo", "load", "--if-empty", "--json")
    assert loaded.returncode == 0, loaded.stderr
    users = {u["username"]: u for u in json.loads(loaded.stdout)["users"]}
    assert (tmp_path / "var" / "outrider.db").exists()
    logins = tmp_path / "var" / "demo-logins.json"
    assert oct(logins.stat().st_mode & 0o777) == "0o600"
    # a second `make run` keeps the data and shows the same logins
    again = _cli(env, "demo", "load", "--if-empty", "--json")
    assert json.loads(again.stdout)["loaded"] is False
    assert {u["username"] for u in json.loads(again.stdout)["users"]} == set(users)

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "outrider", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                health = httpx.get(f"{base}/api/v1/health", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            raise AssertionError("the server did not answer")
        assert health.json()["status"] == "ok"
        assert health.json()["database"] == "sqlite"
        signed = httpx.post(
            f"{base}/api/v1/auth/token",
            data={"username": "duty", "password": users["duty"]["password"]},
            timeout=10,
        )
        assert signed.status_code == 200, signed.text
        token = signed.json()["access_token"]
        sites = httpx.get(
            f"{base}/api/v1/sites", headers={"Authorization": f"Bearer {token}"}, timeout=10
        ).json()
        names = {s["name"] for s in sites["items"]}
        assert "Jinnah International Airport" in names and "Dasu Hydropower Project" in names
        openapi = httpx.get(f"{base}/api/v1/openapi.json", timeout=10).json()
        assert "/api/v1/sites" in openapi["paths"]
    finally:
        server.terminate()
        server.wait(timeout=20)
