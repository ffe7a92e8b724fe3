"""Held-out folds of a gold corpus, by event: every document whose main story is one event lands in one fold.

Extraction is judged on reports the repository does not contain, so its figures are also measured on a fold
of the development corpus that a change was not written from. A document is grouped by its main-story event
(the `event_key` of its `main_story` records); a document without a main story (opinion, court, exercise)
is a group of its own. Groups go to folds in the order of a hash of their key (stable, not alphabetical, so
neighbouring event names do not cluster), each to the fold with the fewest gold incident records so far.
Background mentions of an event can still sit in another fold: they are the passing kind every new report has.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
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


def group_key(doc: GoldDoc) -> str:
    """The group a document belongs to: its first main-story event, else the document alone."""
    return doc.main_events[0] if doc.main_events else f"doc:{doc.doc_id}"


def _order(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def split(docs: Iterable[GoldDoc], k: int = 4) -> list[list[GoldDoc]]:
    """``k`` folds; documents of one main-story event together, gold records balanced across folds."""
    if k < 2:
        raise ValueError("a split needs at least two folds")
    groups: dict[str, list[GoldDoc]] = defaultdict(list)
    for doc in docs:
        groups[group_key(doc)].append(doc)
    folds: list[list[GoldDoc]] = [[] for _ in range(k)]
    weight = [0] * k
    # the heaviest groups first, so the balance does not hinge on the last few; ties in hash order
    for key in sorted(groups, key=lambda g: (-sum(d.records for d in groups[g]), _order(g))):
        i = min(range(k), key=lambda j: (weight[j], len(folds[j]), j))
        folds[i].extend(groups[key])
        weight[i] += sum(d.records for d in groups[key])
    return [sorted(f, key=lambda d: str(d.path)) for f in folds]
