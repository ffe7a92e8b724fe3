"""The witness beside the signing key: only moves forward, and an unreadable one is never "no witness"."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from outrider.audit import chain, witness
from outrider.settings import get_settings

KEY = chain.private_key_from_seed(b"w" * 32)
T0 = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def own_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("OUTRIDER_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def head(seq: int) -> chain.Checkpoint:
    return chain.sign_head(KEY, seq=seq, hash_=f"{seq:064x}", prev_seq=seq - 1, at=T0)


def test_the_witness_only_moves_forward() -> None:
    identity = witness.database_identity(make_url("postgresql+psycopg://app:secret@db:5432/outrider"))
    assert identity == "postgresql://db:5432/outrider"  # neither the role nor the password
    assert witness.read(identity) is None
    witness.write(identity, head(5))
    witness.write(identity, head(3))  # a slower process, committing an older head
    seen = witness.read(identity)
    assert seen is not None and seen.seq == 5 and seen.source == "witness"
    witness.write(identity, head(9))
    assert (witness.read(identity) or head(0)).seq == 9


def test_each_database_has_its_own_witness(tmp_path: Path) -> None:
    a = witness.database_identity(make_url(f"sqlite:///{tmp_path / 'a.db'}"))
    b = witness.database_identity(make_url(f"sqlite:///{tmp_path / 'b.db'}"))
    witness.write(a, head(4))
    assert witness.read(b) is None
    assert witness.database_identity(make_url("sqlite://")) is None  # in memory: nothing to witness


def test_an_unreadable_witness_fails_verification() -> None:
    identity = "sqlite:///somewhere.db"
    witness.write(identity, head(2))
    path = next((get_settings().data_dir / witness.WITNESS_DIR).glob("*.json"))
    path.write_text("{not json", encoding="utf-8")
    seen = witness.read(identity)
    assert seen is not None and seen.seq > 2**40
    v = chain.verify([], [seen], trusted_public_key=chain.public_key_b64(KEY))
    assert not v.ok and "witness" in (v.problem or "")
