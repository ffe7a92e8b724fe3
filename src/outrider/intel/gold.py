"""The gold output format: incidents as `intel extract` prints them (JSON Lines in the gold-schema names).

The field list derives from the one list of an incident's fields (`events.INCIDENT_FIELDS`): the
report's own flags last, the way the gold files of the evaluation corpus write them.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from typing import Any

from outrider.intel.events import INCIDENT_FIELDS
from outrider.intel.pipeline import DocumentResult

GOLD_FIELDS = (*(f for f in INCIDENT_FIELDS if f not in ("main_story", "date_basis")), "main_story")


def gold_record(inc: dict[str, Any]) -> dict[str, Any]:
    """One linked incident in the gold-schema names, with how its date was found and its evidence."""
    out = {"doc_id": inc["doc_id"], "event_id": inc.get("event_id")}
    out.update({k: inc.get(k) for k in GOLD_FIELDS})
    out["date_basis"] = inc.get("date_basis")  # how the year was found when the text does not write it
    out["evidence"] = inc.get("evidence")
    return out


def documents(
    results: Iterable[DocumentResult], linked: Iterable[dict[str, Any]]
) -> Iterator[dict[str, Any]]:
    """One record per document: its publication date, title and gold-format incidents."""
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for inc in linked:
        by_doc.setdefault(inc["doc_id"], []).append(gold_record(inc))
    for res in results:
        yield {
            "doc_id": res.doc_id,
            "published": res.published.isoformat() if res.published else None,
            "title": res.title,
            "incidents": by_doc.get(res.doc_id, []),
        }


def summary_line(inc: dict[str, Any]) -> str:
    """One linked incident as a tab-separated line for people: document, date, place, type, toll, actor."""
    return (
        f"{inc['doc_id']}\t{inc.get('date')}\t{inc.get('city') or inc.get('admin1')}\t"
        f"{inc['attack_type']}\tkilled={inc.get('killed')}\t{inc.get('perpetrator') or '-'}\n"
    )


def write_line(obj: dict[str, Any]) -> None:
    """Write one JSON Lines record to standard output."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
