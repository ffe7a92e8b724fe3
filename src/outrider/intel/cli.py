"""`outrider intel`: extract incidents from report files (no database)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from outrider.console import err, fail
from outrider.intel.pipeline import DocumentResult, TextInput, extract_documents, link_events

app = typer.Typer(help="Intelligence: reports, incidents, events, actors.")


@app.callback()
def _group() -> None:
    """Intelligence: reports, incidents, events, actors."""


GOLD_FIELDS = (
    "required",
    "date",
    "date_precision",
    "country",
    "admin1",
    "city",
    "location_text",
    "lat",
    "lon",
    "attack_type",
    "weapon",
    "suicide",
    "target_type",
    "killed",
    "wounded",
    "killed_by_nationality",
    "wounded_by_nationality",
    "perpetrator",
    "claimed",
    "main_story",
)


def _inputs(paths: list[str]) -> Iterator[Path | TextInput]:
    for p in paths:
        if p == "-":
            yield TextInput("stdin", sys.stdin.read())
        else:
            yield Path(p)


def _line(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="report files (.txt, .html, RSS/Atom) or - for stdin")],
    jsonl: Annotated[bool, typer.Option("--jsonl", help="one JSON object per incident")] = False,
    documents: Annotated[bool, typer.Option("--documents", help="one JSON object per document")] = False,
    published: Annotated[str | None, typer.Option("--published", help="publication date YYYY-MM-DD")] = None,
) -> None:
    """Extract incidents from reports; per-file errors go to stderr, exit 1 if any file failed."""
    pub: date | None = None
    if published:
        try:
            pub = date.fromisoformat(published)
        except ValueError:
            raise fail(f"--published: not a date (YYYY-MM-DD): {published!r}") from None
    ok: list[DocumentResult] = []
    failed = 0
    for res in extract_documents(_inputs(paths), pub):
        if res.error:
            failed += 1
            err.print(f"[red]error:[/red] {res.doc_id}: {res.error}", highlight=False, soft_wrap=True)
        else:
            ok.append(res)
    linked = link_events(ok)
    if documents:
        by_doc: dict[str, list[dict[str, Any]]] = {}
        for inc in linked:
            by_doc.setdefault(inc["doc_id"], []).append(_gold(inc))
        for res in ok:
            _line(
                {
                    "doc_id": res.doc_id,
                    "published": res.published.isoformat() if res.published else None,
                    "title": res.title,
                    "incidents": by_doc.get(res.doc_id, []),
                }
            )
    else:
        for inc in linked:
            if jsonl:
                _line(_gold(inc))
            else:
                sys.stdout.write(
                    f"{inc['doc_id']}\t{inc.get('date')}\t{inc.get('city') or inc.get('admin1')}\t"
                    f"{inc['attack_type']}\tkilled={inc.get('killed')}\t{inc.get('perpetrator') or '-'}\n"
                )
    if failed:
        raise typer.Exit(1)


def _gold(inc: dict[str, Any]) -> dict[str, Any]:
    out = {"doc_id": inc["doc_id"], "event_id": inc.get("event_id")}
    out.update({k: inc.get(k) for k in GOLD_FIELDS})
    out["date_basis"] = inc.get("date_basis")  # how the year was found when the text does not write it
    out["evidence"] = inc.get("evidence")
    return out
