"""The protocol document: metadata, applicability and rules, and its canonical SHA-256 hash."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Severity = Literal["blocking", "warning"]
Phase = Literal["plan", "execution", "both"]
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
    return hashlib.sha256(canonical_bytes(document.model_dump(mode="json"))).hexdigest()
