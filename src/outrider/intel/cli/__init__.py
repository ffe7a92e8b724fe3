"""`outrider intel`: extract incidents from reports (no database), or ingest, list and review them."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import Progress, TaskID

from outrider.console import AsOpt, JsonOpt, emit, err, fail, friendly, is_ci, out, session_as
from outrider.db import utcnow
from outrider.intel import dataset_import, gold, report_files, service
from outrider.intel import ingest as ingesting
from outrider.intel.actors import ActorRegistry
from outrider.intel.cli.reads import date_option, reads_app
from outrider.intel.cli.review import actors_app, review_app
from outrider.intel.cooperation import reports as coop_reports
from outrider.intel.dataset_rows import DatasetRecord, RowDropped, RowError
from outrider.intel.datasets import FORMATS, DatasetFile, DatasetFormatError
from outrider.intel.pipeline import DocumentResult, extract_documents, link_events
from outrider.intel.schemas import IngestOutcome

app = typer.Typer(help="Intelligence: reports, incidents, events, actors.")
app.add_typer(reads_app)
app.add_typer(review_app, name="review")
app.add_typer(actors_app, name="actors")
CHUNK = 100  # reports per transaction of `intel ingest`


@app.callback()
def _group() -> None:
    """Intelligence: reports, incidents, events, actors."""


PublishedOpt = Annotated[str | None, typer.Option("--published", help="publication date YYYY-MM-DD")]


@app.command()
def extract(
    paths: Annotated[
        list[str], typer.Argument(help="report files or folders (.txt, .html, RSS/Atom), - for stdin")
    ],
    jsonl: Annotated[bool, typer.Option("--jsonl", help="one JSON object per incident")] = False,
    documents: Annotated[bool, typer.Option("--documents", help="one JSON object per document")] = False,
    published: PublishedOpt = None,
    cooperation: Annotated[
        bool, typer.Option("--cooperation", help="cooperation commitments instead of incidents")
    ] = False,
) -> None:
    """Extract incidents (or cooperation commitments) from reports; per-file errors go to stderr, exit 1 if
    any file failed."""
    pub = date_option("--published", published, code=1)
    if cooperation:
        raise typer.Exit(coop_reports.print_cooperation(report_files.extract_inputs(paths), pub, jsonl))
    ok: list[DocumentResult] = []
    failed = 0
    for res in extract_documents(report_files.extract_inputs(paths), pub):
        if res.error:
            failed += 1
            err.print(f"[red]error:[/red] {res.doc_id}: {res.error}", highlight=False, soft_wrap=True)
        else:
            ok.append(res)
    linked = link_events(ok)
    if documents:
        for record in gold.documents(ok, linked):
            gold.write_line(record)
    else:
        for inc in linked:
            if jsonl:
                gold.write_line(gold.gold_record(inc))
            else:
                sys.stdout.write(gold.summary_line(inc))
    if failed:
        raise typer.Exit(1)


# ---------------------------------------------------------------- stored intelligence


@app.command()
@friendly
def ingest(
    paths: Annotated[
        list[str], typer.Argument(help="report files or folders (.txt, .html, .htm, feeds), - for stdin")
    ],
    published: PublishedOpt = None,
    reextract: Annotated[
        bool, typer.Option("--reextract", help="extract stored reports again (analyst decisions are kept)")
    ] = False,
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Store reports, extract their incidents and link them to events; exit 1 if any input failed."""
    pub = date_option("--published", published)
    entries = report_files.collect(paths)
    if not entries:
        raise fail("no report files found", code=2)
    outcomes: list[IngestOutcome] = []
    with Progress(disable=as_json or is_ci(), console=err, transient=True) as progress:
        task = progress.add_task("ingesting", total=len(entries))
        for start in range(0, len(entries), CHUNK):
            items = _read(entries[start : start + CHUNK], outcomes, progress, task)
            if not items:
                continue
            with session_as(as_user) as (session, caller):
                now = utcnow()
                stored = ingesting.ingest(
                    session, caller=caller, items=items, now=now, published=pub, reextract=reextract
                )
                outcomes.extend(stored)
            progress.advance(task, len(items))
    failed = [o for o in outcomes if o.status == "error"]
    emit(outcomes, as_json, lambda: _ingested(outcomes, failed))
    if failed:
        raise typer.Exit(1)


def _read(
    entries: list[Path | str], outcomes: list[IngestOutcome], progress: Progress, task: TaskID
) -> list[ingesting.IngestItem]:
    """The entries' bytes as ingest items; an unreadable entry is an error outcome at once."""
    items: list[ingesting.IngestItem] = []
    for entry in entries:
        item = report_files.ingest_item(entry)
        if isinstance(item, str):
            name = str(entry)
            outcomes.append(IngestOutcome(source=name, doc_id=Path(name).stem, status="error", error=item))
            progress.advance(task)
        else:
            items.append(item)
    return items


def _ingested(outcomes: list[IngestOutcome], failed: list[IngestOutcome]) -> None:
    for o in failed:
        err.print(f"[red]error:[/red] {o.source}: {o.error}", highlight=False, soft_wrap=True)
    counts = {
        k: sum(o.status == k for o in outcomes) for k in ("stored", "reextracted", "duplicate", "error")
    }
    incidents = sum(o.incidents for o in outcomes)
    out.print(
        f"{counts['stored']} stored, {counts['reextracted']} re-extracted, {counts['duplicate']} already "
        f"stored, {counts['error']} failed; {incidents} incident(s)",
        highlight=False,
    )


class _Rows:
    """A data-set file's rows as they are read: records pass on, bad rows go to stderr, drops are counted."""

    def __init__(self, path: Path, lines: Iterable[bytes], fmt: str | None) -> None:
        self.path, self.lines, self.read = path, lines, 0
        self.bad = self.parsed = 0
        self.dropped: dict[str, int] = {}
        self.data = DatasetFile(self._metered(), fmt)

    def _metered(self) -> Iterator[bytes]:
        for line in self.lines:
            self.read += len(line)  # bytes read, for the progress bar
            yield line

    def records(self, registry: ActorRegistry, countries: list[str], tick: Any) -> Iterator[DatasetRecord]:
        """The file's records; every 500 rows ``tick`` is told how many bytes are read."""
        for n, row in enumerate(self.data.rows(actors=registry, countries=countries)):
            if n % 500 == 0:
                tick(self.read)
            if isinstance(row, RowError):
                self.bad += 1
                err.print(
                    f"{self.path.name}:{row.line}: {row.reason}",
                    highlight=False,
                    markup=False,
                    soft_wrap=True,
                )
            elif isinstance(row, RowDropped):
                self.dropped[row.reason] = self.dropped.get(row.reason, 0) + 1
            else:
                self.parsed += 1
                yield row


@app.command("import")
@friendly
def import_dataset(
    file: Annotated[str, typer.Argument(help="a GTD or ACLED export (CSV)")],
    fmt: Annotated[
        str | None, typer.Option("--format", help="gtd or acled (default: told from the header)")
    ] = None,
    countries: Annotated[
        list[str] | None,
        typer.Option("--country", help="keep only this country (ISO 3166-1 alpha-2); repeat"),
    ] = None,
    as_json: bool = JsonOpt,
    as_user: str | None = AsOpt,
) -> None:
    """Import a public incident data set, one transaction for the file; bad rows go to stderr.

    Exit 2 when the file is not a GTD or ACLED export, 1 when every row was bad."""
    if fmt is not None and fmt.lower() not in FORMATS:
        raise fail(f"--format: gtd or acled, not {fmt!r}", code=2)
    wanted = [c.strip().upper() for c in countries or []]
    for code in wanted:
        if len(code) != 2 or not code.isalpha():
            raise fail(f"--country: an ISO 3166-1 alpha-2 code such as PK, not {code!r}", code=2)
    path = Path(file)
    with path.open("rb") as handle:
        try:
            rows = _Rows(path, handle, fmt.lower() if fmt else None)
        except DatasetFormatError as exc:
            raise fail(f"{path.name}: {exc}", code=2) from None
        with Progress(disable=as_json or is_ci(), console=err, transient=True) as progress:
            task = progress.add_task(f"importing {rows.data.format.upper()}", total=path.stat().st_size)
            with session_as(as_user) as (session, caller):
                records = rows.records(
                    service.registry(session), wanted, lambda n: progress.update(task, completed=n)
                )
                result = dataset_import.import_dataset(
                    session, caller=caller, records=records, dataset=rows.data.format, now=utcnow()
                )
    _imported(path, rows, result, as_json)
    if rows.bad and not rows.parsed and not sum(rows.dropped.values()):
        raise typer.Exit(1)


def _imported(path: Path, rows: _Rows, result: dataset_import.ImportResult, as_json: bool) -> None:
    filtered = sum(rows.dropped.values())
    summary = {
        "file": path.name,
        "format": rows.data.format,
        "imported": result.imported,
        "skipped": result.skipped,
        "doubtful": result.doubtful,
        "bad": rows.bad,
        "filtered_out": filtered,
        "filtered": dict(sorted(rows.dropped.items())),
    }
    reasons = ", ".join(f"{k}: {v}" for k, v in sorted(rows.dropped.items()))
    line = (
        f"{result.imported} imported, {result.skipped} already present (skipped), {rows.bad} bad, "
        f"{filtered} filtered out{f' ({reasons})' if reasons else ''}"
        + (f"; {result.doubtful} doubtful (in the review queue)" if result.doubtful else "")
    )
    emit(summary, as_json, lambda: out.print(line, highlight=False, markup=False, soft_wrap=True))
