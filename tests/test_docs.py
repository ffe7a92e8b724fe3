"""The docs stay true: the README's command list names real commands and options, the docs' links resolve."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.core import TyperGroup
from typer.testing import CliRunner

from outrider.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = sorted([README, *(ROOT / "docs").glob("*.md")])
# Paths the docs name that the program writes at run time (not files of the repository).
WRITTEN_AT_RUN_TIME = {"var/demo-logins.json", "test-output/web/"}
# The one place beside the repository the docs may name: the shared material some tests read (conftest).
BESIDE_THE_REPOSITORY = {"../shared"}


# --- the README's command list ------------------------------------------------------------------------


def _fenced_lines(text: str) -> list[str]:
    lines, inside = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            inside = not inside
        elif inside:
            lines.append(line)
    return lines


def _segments(line: str) -> list[str]:
    """A command line without its comment, cut at the ` | ` that separate commands (not inside [...])."""
    line = re.sub(r"\s+#\s.*$", "", line)
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(line):
        depth += {"[": 1, "]": -1}.get(ch, 0)
        if depth == 0 and line.startswith(" | ", i):
            parts.append(line[start:i])
            start = i + 3
    parts.append(line[start:])
    return [p.strip() for p in parts if p.strip()]


def _names(token: str) -> list[str]:
    return [n for n in token.strip("[]").split("|") if n]


Found = list[tuple[tuple[str, ...], list[str]]]


def _sub(group: TyperGroup, name: str) -> Any:
    """The command ``name`` of ``group``, as the command line finds it (the root imports it on demand)."""
    return group.get_command(typer.Context(group), name)


def _walk(group: TyperGroup, words: list[str], path: tuple[str, ...]) -> Found:
    """Every command the words name below ``group`` (alternatives a|b expand), with the words left over."""
    if words:
        names = _names(words[0])
        if names and all(_sub(group, n) is not None for n in names):
            found: Found = []
            for name in names:
                command = _sub(group, name)
                if isinstance(command, TyperGroup):
                    found += _walk(command, words[1:], (*path, name))
                else:
                    found.append(((*path, name), words[1:]))
            return found
    return [(path, words)]


def _command(root: TyperGroup, path: tuple[str, ...]) -> Any:
    command: Any = root
    for name in path:
        assert isinstance(command, TyperGroup)
        command = _sub(command, name)
    return command


def readme_commands() -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(command path, options shown) for every command of the README's command lines."""
    root = typer.main.get_command(app)
    assert isinstance(root, TyperGroup)
    found: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    for line in _fenced_lines(README.read_text(encoding="utf-8")):
        if not line.startswith("outrider "):
            continue
        group_path: tuple[str, ...] = ()
        for n, segment in enumerate(_segments(line)):
            words = segment.split()[1:] if n == 0 else segment.split()
            # A later segment is a sibling command: the nearest group above the first that names it.
            bases = [group_path[:i] for i in range(len(group_path), -1, -1)] if n else [()]
            for base in bases:
                group = _command(root, base)
                assert isinstance(group, TyperGroup)
                walked = _walk(group, words, base)
                if all(path != base for path, _ in walked):
                    break
            for path, rest in walked:
                assert path != base, f"README: no command for {segment!r} (in {line!r})"
                options = re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", " ".join(rest))
                found.append((path, tuple(options)))
                group_path = path[:-1]
    return found


COMMANDS = readme_commands()


def test_the_readme_lists_commands() -> None:
    groups = {path[0] for path, _ in COMMANDS}
    assert {"db", "demo", "movements", "registry", "audit", "intel", "protocols", "worker"} <= groups
    assert len(COMMANDS) > 60


@pytest.mark.parametrize(("path", "options"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_readme_command_exists_with_its_options(path: tuple[str, ...], options: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    command = _command(typer.main.get_command(app), path)  # type: ignore[arg-type]
    known = {opt for p in command.params for opt in (*p.opts, *p.secondary_opts)}
    missing = sorted(set(options) - known)
    assert not missing, f"outrider {' '.join(path)} has no {', '.join(missing)}"
    for option in options:
        assert option in result.output


def test_the_parser_refuses_a_command_or_option_that_does_not_exist() -> None:
    root = typer.main.get_command(app)
    assert isinstance(root, TyperGroup)
    assert _walk(root, ["movements", "teleport"], ()) == [(("movements",), ["teleport"])]
    (path, rest), *_ = _walk(root, ["movements", "board", "--colour"], ())
    known = {opt for p in _command(root, path).params for opt in p.opts}
    assert path == ("movements", "board") and "--colour" not in known and rest == ["--colour"]


# --- links and paths in the docs ----------------------------------------------------------------------


def _tracked() -> set[str]:
    listed = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    # Files just added and not yet committed count too (the test runs before the commit).
    return set(listed) | {str(p.relative_to(ROOT)) for p in (ROOT / "src").rglob("*") if p.is_file()}


def _anchors(markdown: str) -> set[str]:
    """GitHub's anchors of a document's headings."""
    anchors = set()
    for heading in re.findall(r"^#+\s+(.*)$", markdown, flags=re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        anchors.add(slug)
    return anchors


def _resolves(reference: str, files: set[str]) -> bool:
    top = reference.split("/", 1)[0]
    if (ROOT / top).exists() and top not in ("..", "."):
        return (ROOT / reference).exists()
    # A path inside the package, named from its domain (`movements/service.py`, `locale/ur/...`).
    return any(
        f == reference or f.endswith("/" + reference.rstrip("/")) or f"/{reference}" in f for f in files
    )


@pytest.mark.parametrize("doc", DOCS, ids=[d.name for d in DOCS])
def test_links_and_paths_in_the_docs_resolve_inside_the_repository(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    files = _tracked()
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue  # another site
        path, _, anchor = target.partition("#")
        linked = (doc.parent / path).resolve() if path else doc
        outside = not linked.exists() or ROOT not in (linked, *linked.parents)
        no_anchor = anchor and linked.suffix == ".md" and anchor not in _anchors(linked.read_text("utf-8"))
        if outside or no_anchor:
            broken.append(target)
    for span in re.findall(r"`([^`\s]+)`", text):
        is_path = re.fullmatch(r"\.{0,2}/?[\w.-]+(/[\w.-]+)+/?", span) and not span.startswith("/")
        if not is_path or span in WRITTEN_AT_RUN_TIME | BESIDE_THE_REPOSITORY:
            continue
        named_file = re.search(r"\.(py|md|json|ya?ml|mjs|po|pot|csv|html|toml|ini)$", span) or span.endswith(
            "/"
        )
        if span.startswith("..") or (named_file and not _resolves(span, files)):
            broken.append(span)
    assert not broken, f"{doc.name} names what is not in the repository: {broken}"
