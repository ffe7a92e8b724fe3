"""The minutes of a committee meeting as one signed text: canonical JSON, its SHA-256, each party's
Ed25519 signature of it, and whether the stored minutes still match what both signed (pure core).

Every free text (an agenda item's text, a section, an outcome) enters the canonical form as its own
SHA-256, not verbatim: a signer who may not read a restricted item still computes the same minutes hash
from what they see, and any change to any text changes the hash all the same.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from outrider.audit.canonical_form import canonical_json
from outrider.signatures import ed25519_valid

FORMAT = "outrider.committee.minutes/1"
# The prefix keeps a minutes signature from passing for a protocol or governance signature, and back.
PREFIX = b"outrider.committee.minutes.v1:"
PARTIES = ("host", "partner")
TEXT_FIELDS = ("agenda", "sections", "outcomes")


def text_hash(text: str) -> str:
    """SHA-256 (hex) of one text of the minutes, UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sealed(minutes: Mapping[str, Any]) -> dict[str, Any]:
    """The minutes with each entry's ``text`` replaced by ``text_sha256`` (an entry already holding only
    its hash, as a reader off a restricted item sees it, is kept)."""
    out = {k: v for k, v in minutes.items() if k not in TEXT_FIELDS}
    for name in TEXT_FIELDS:
        entries: list[dict[str, Any]] = []
        for entry in minutes.get(name, ()):
            e = {k: v for k, v in entry.items() if k != "text"}
            if "text" in entry:
                e["text_sha256"] = text_hash(str(entry["text"]))
            entries.append(e)
        out[name] = entries
    out["format"] = FORMAT
    return out


def canonical(minutes: Mapping[str, Any]) -> bytes:
    """The canonical bytes of the minutes (the audit chain's canonical JSON of the sealed form)."""
    return canonical_json(sealed(minutes)).encode("utf-8")


def minutes_hash(minutes: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical minutes: what each party signs."""
    return hashlib.sha256(canonical(minutes)).hexdigest()


def signing_message(digest: str) -> bytes:
    """The bytes a party's signer signs: the prefix and the minutes hash (ASCII hex)."""
    return PREFIX + digest.encode("ascii")


def verify(public_key: bytes, digest: str, signature: bytes) -> bool:
    """True when ``signature`` is the key's Ed25519 signature of the minutes with this hash."""
    return ed25519_valid(public_key, signing_message(digest), signature)


@dataclass(frozen=True, slots=True)
class Signed:
    """One party's stored approval of a revision: the hash it signed, and whether its signature verifies."""

    party: str
    minutes_hash: str
    signature_ok: bool


@dataclass(frozen=True, slots=True)
class Standing:
    """Where the minutes of one revision stand against the hash of what is stored now."""

    current_hash: str
    approved_by: tuple[str, ...]  # parties whose valid signature names the current hash
    awaiting: tuple[str, ...]  # parties still to sign the current hash
    tampered: bool  # a party signed this revision, but what is stored no longer hashes to what it signed

    @property
    def approved(self) -> bool:
        """Both parties signed exactly the minutes as stored."""
        return not self.awaiting and not self.tampered


def standing(current_hash: str, signed: Sequence[Signed]) -> Standing:
    """The approval of one revision: approved when both parties' valid signatures name the current hash;
    tampered when any stored signature names another hash (or no longer verifies)."""
    good = {s.party for s in signed if s.signature_ok and s.minutes_hash == current_hash}
    tampered = any(not s.signature_ok or s.minutes_hash != current_hash for s in signed)
    return Standing(
        current_hash=current_hash,
        approved_by=tuple(p for p in PARTIES if p in good),
        awaiting=tuple(p for p in PARTIES if p not in good),
        tampered=tampered,
    )
