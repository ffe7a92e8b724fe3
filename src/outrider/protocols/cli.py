"""`outrider protocols`: validate protocol documents and show the default protocol (no database needed)."""

from __future__ import annotations

import sys
from importlib.resources import files
from pathlib import Path
from typing import Annotated

import typer

from outrider.console import JsonOpt, err, out, print_json
from outrider.errors import InvalidInput
from outrider.protocols.loader import load_protocol

app = typer.Typer(
    help="Protocols as code: validate documents, show the default protocol.", no_args_is_help=True
)


@app.command("validate")
def validate(
    file: Annotated[Path, typer.Argument(help="a protocol document (YAML)", exists=True, dir_okay=False)],
    as_json: bool = JsonOpt,
) -> None:
    """Check a document: YAML, schema, limits, CEL syntax, facts and types; exit 1 listing every problem."""
    try:
        loaded = load_protocol(file.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        err.print(f"{file.name}: not UTF-8 text", highlight=False)
        raise typer.Exit(1) from None
    except InvalidInput as exc:
        if as_json:
            print_json({"valid": False, "problems": exc.errors})
        else:
            for problem in exc.errors:
                where = f"line {problem.get('line')}" if problem.get("line") else "document"
                rule = f" rule {problem['rule']}" if problem.get("rule") else ""
                err.print(
                    f"{file.name}: {where}{rule}: {problem['kind']}: {problem['message']}", highlight=False
                )
        raise typer.Exit(1) from None
    doc = loaded.document
    if as_json:
        print_json(
            {
                "valid": True,
                "id": doc.id,
                "version": doc.version,
                "hash": loaded.hash,
                "rules": len(doc.rules),
                "parties": list(doc.parties),
            }
        )
    else:
        out.print(f"{doc.id} version {doc.version}: {len(doc.rules)} rules, valid; hash {loaded.hash}")


@app.command("default")
def default() -> None:
    """Print the default protocol shipped with Outrider (YAML)."""
    sys.stdout.write(files("outrider.protocols").joinpath("data/default.yaml").read_text("utf-8"))
