"""The protocol document: metadata, applicability and rules, and its canonical SHA-256 hash."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Severity = Literal["blocking", "warning"]
# "departure" rules are checked when the route is cleared and when the convoy leaves (the moment to hold it).
Phase = Literal["plan", "execution", "both", "departure"]
# Who may override a failed blocking rule alone, with a reason, for one movement (agreed in the document).
Overrider = Literal["host_duty_officer"]
_ID = r"^[a-z][a-z0-9_.-]{0,63}$"


class Rule(BaseModel):
    """One agreed rule: when `when` holds, `require` must hold."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str = Field(pattern=_ID)
    title: str = Field(min_length=1, max_length=200)
    rationale: str = Field(min_length=1, max_length=4000)
    when: str = "true"
    require: str
    severity: Severity
    phase: Phase
    override: Overrider | None = None

    @model_validator(mode="after")
    def _overridable(self) -> Rule:
        if self.override is not None and self.severity != "blocking":
            raise ValueError(f"rule {self.id}: only a blocking rule can name who overrides it")
        return self


class ProtocolDocument(BaseModel):
    """A versioned protocol agreed between parties."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str = Field(pattern=_ID)
    title: str = Field(min_length=1, max_length=200)
    version: int = Field(ge=1)
    parties: tuple[str, ...] = Field(min_length=2, max_length=8)
    effective_from: date
    effective_to: date | None = None
    applies_to: str = "true"
    rules: tuple[Rule, ...] = Field(min_length=1, max_length=200)

    @model_validator(mode="after")
    def _consistent(self) -> ProtocolDocument:
        if len(set(self.parties)) != len(self.parties):
            raise ValueError("parties must be distinct")
        if self.effective_to is not None and self.effective_to <= self.effective_from:
            raise ValueError("effective_to must be after effective_from")
        ids = [r.id for r in self.rules]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate rule ids: {', '.join(duplicates)}")
        return self


def canonical_bytes(value: Any) -> bytes:
    """Canonical JSON: sorted keys, no insignificant whitespace, UTF-8, ISO dates."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def document_hash(document: ProtocolDocument) -> str:
    """SHA-256 (hex) of the document's canonical form; comments and YAML layout do not change it."""
    data = document.model_dump(mode="json")
    for rule in data["rules"]:
        # A rule without an override hashes as it did before rules could name one.
        if rule.get("override") is None:
            rule.pop("override", None)
    return hashlib.sha256(canonical_bytes(data)).hexdigest()
