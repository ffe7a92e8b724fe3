"""Held-out folds of a gold corpus, by event: every document whose main story is one event lands in one fold.

Extraction is judged on reports the repository does not contain, so its figures are also measured on a fold
of the development corpus that a change was not written from. A document is grouped by its main-story event
(the `event_key` of its `main_story` records); a document without a main story (opinion, court, exercise)
is a group of its own. Groups go to folds in the order of a hash of their key (stable, not alphabetical, so
neighbouring event names do not cluster), each to the fold with the fewest gold incident records so far.
Background mentions of an event can still sit in another fold: they are the passing kind every new report has.
Cooperation gold (`read_coop_gold`) is split by commitment: documents sharing any `commitment_key` are one
group (`connected`), so a commitment never has reports on both sides of a split.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class GoldDoc:
    """What the split needs of one gold file."""

    path: Path  # the gold `.json`; its report is the `.txt` beside it
    doc_id: str
    main_events: tuple[str, ...]
    records: int


def read_gold(dirs: Iterable[Path]) -> list[GoldDoc]:
    """The incident gold files of these folders (`NNN.json`, not the cooperation gold), sorted by path."""
    docs: list[GoldDoc] = []
    for folder in dirs:
        for path in sorted(folder.glob("*.json")):
            if path.name.endswith(".coop.json"):
                continue
            data = json.loads(path.read_text(encoding="utf-8"))
            incidents = data.get("incidents") or []
            mains = sorted({str(i["event_key"]) for i in incidents if i.get("main_story")})
            docs.append(GoldDoc(path, str(data.get("doc_id") or path.stem), tuple(mains), len(incidents)))
    return sorted(docs, key=lambda d: str(d.path))


def read_coop_gold(dirs: Iterable[Path]) -> list[GoldDoc]:
    """The cooperation gold files of these folders (`NNN.coop.json`): a document's keys are its commitments'
    `commitment_key`s, its weight its required records plus one (so documents without cooperation, scored for
    false positives, spread across the folds too)."""
    docs: list[GoldDoc] = []
    for folder in dirs:
        for path in sorted(folder.glob("*.coop.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            records = data.get("cooperation") or []
            keys = sorted({str(r["commitment_key"]) for r in records})
            required = sum(bool(r.get("required", True)) for r in records)
            docs.append(GoldDoc(path, str(data.get("doc_id") or path.stem), tuple(keys), required + 1))
    return sorted(docs, key=lambda d: str(d.path))


def connected(docs: Iterable[GoldDoc]) -> Callable[[GoldDoc], str]:
    """A grouping that keeps together every document sharing any key with another (connected components):
    a commitment reported in three documents puts all three, and whatever else they report, in one group."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for doc in docs:
        for other in doc.main_events[1:]:
            a, b = sorted((find(doc.main_events[0]), find(other)))
            parent[b] = a
    return lambda doc: find(doc.main_events[0]) if doc.main_events else f"doc:{doc.doc_id}"


def group_key(doc: GoldDoc) -> str:
    """The group a document belongs to: its first main-story event, else the document alone."""
    return doc.main_events[0] if doc.main_events else f"doc:{doc.doc_id}"


def _order(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def split(
    docs: Iterable[GoldDoc], k: int = 4, key: Callable[[GoldDoc], str] = group_key
) -> list[list[GoldDoc]]:
    """``k`` folds; documents of one group (by default one main-story event) together, gold records balanced
    across folds."""
    if k < 2:
        raise ValueError("a split needs at least two folds")
    groups: dict[str, list[GoldDoc]] = defaultdict(list)
    for doc in docs:
        groups[key(doc)].append(doc)
    folds: list[list[GoldDoc]] = [[] for _ in range(k)]
    weight = [0] * k
    # the heaviest groups first, so the balance does not hinge on the last few; ties in hash order
    for name in sorted(groups, key=lambda g: (-sum(d.records for d in groups[g]), _order(g))):
        i = min(range(k), key=lambda j: (weight[j], len(folds[j]), j))
        folds[i].extend(groups[name])
        weight[i] += sum(d.records for d in groups[name])
    return [sorted(f, key=lambda d: str(d.path)) for f in folds]
