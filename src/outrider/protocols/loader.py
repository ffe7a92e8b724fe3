"""Load a protocol YAML document and validate everything, reporting each problem with rule id and line."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from typing import Any, NoReturn

import yaml
from pydantic import ValidationError

from outrider.errors import InvalidInput
from outrider.protocols.document import ProtocolDocument, document_hash
from outrider.protocols.expressions import ExpressionError, compile_checked
from outrider.protocols.facts import DEFAULT_SCHEMA, FactSchema

MAX_DOCUMENT_BYTES = 256 * 1024


@dataclass(frozen=True, slots=True)
class Problem:
    """One validation problem: where (rule id, line, field) and what."""

    kind: str
    message: str
    line: int | None = None
    rule: str | None = None
    field: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return the problem as the `errors` item of an InvalidInput."""
        return {
            "kind": self.kind,
            "message": self.message,
            "line": self.line,
            "rule": self.rule,
            "field": self.field,
        }

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "document"
        rule = f" rule {self.rule}" if self.rule else ""
        field = f" {self.field}" if self.field else ""
        return f"{where}{rule}{field}: {self.message}"


@dataclass(frozen=True, slots=True)
class LoadedProtocol:
    """A validated document with its hash."""

    document: ProtocolDocument
    hash: str


def _raise(problems: list[Problem]) -> NoReturn:
    detail = f"protocol invalid ({len(problems)} problem{'s' * (len(problems) > 1)}): {problems[0]}"
    raise InvalidInput(detail, errors=[p.as_dict() for p in problems])


def _node_at(node: yaml.Node, loc: tuple[Any, ...]) -> yaml.Node:
    """Follow a pydantic error location into the YAML node tree, as deep as it goes."""
    for key in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(key, str):
            found = [v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key]
            if not found:
                return node
            node = found[0]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            return node
    return node


def _parse(text: str) -> tuple[yaml.Node, Any]:
    if len(text.encode("utf-8")) > MAX_DOCUMENT_BYTES:
        _raise([Problem("limit", f"document larger than {MAX_DOCUMENT_BYTES} bytes")])
    try:
        # Aliases are refused: protocols do not need them and they are the billion-laughs vector.
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                line = event.start_mark.line + 1 if event.start_mark else None
                _raise([Problem("yaml", "YAML aliases are not allowed", line)])
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                _raise([Problem("yaml", "empty document")])
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        _raise([Problem("yaml", f"YAML syntax: {exc.problem or exc}", mark.line + 1 if mark else None)])
    except yaml.YAMLError as exc:
        _raise([Problem("yaml", f"YAML error: {exc}")])
    return node, data


def _rule_id(data: Any, index: int) -> str | None:
    try:
        value = data["rules"][index]["id"]
    except (KeyError, IndexError, TypeError):
        return None
    return value if isinstance(value, str) else None


def load_protocol(text: str, schema: FactSchema = DEFAULT_SCHEMA) -> LoadedProtocol:
    """Parse and validate a protocol document; raise InvalidInput listing every problem."""
    node, data = _parse(text)
    if not isinstance(data, dict):
        _raise([Problem("schema", "the document must be a mapping", node.start_mark.line + 1)])
    try:
        document = ProtocolDocument.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            rule = (
                _rule_id(data, loc[1])
                if len(loc) > 1 and loc[0] == "rules" and isinstance(loc[1], int)
                else None
            )
            line = _node_at(node, loc).start_mark.line + 1
            field = ".".join(str(p) for p in loc) or None
            problems.append(Problem("schema", err["msg"], line, rule, field))
        _raise(problems)
    problems = []
    checks: list[tuple[str | None, str, str, tuple[Any, ...]]] = [
        (None, "applies_to", document.applies_to, ("applies_to",))
    ]
    for index, item in enumerate(document.rules):
        for name in ("when", "require"):
            checks.append((item.id, name, getattr(item, name), ("rules", index, name)))
    for rule_id, field, source, loc in checks:
        try:
            compile_checked(source, schema)
        except ExpressionError as exc:
            line = _node_at(node, loc).start_mark.line + 1
            problems.append(Problem(exc.kind, str(exc), line, rule_id, field))
    if problems:
        _raise(problems)
    return LoadedProtocol(document, document_hash(document))


def load_default_protocol(schema: FactSchema = DEFAULT_SCHEMA) -> LoadedProtocol:
    """Load the protocol shipped with the package."""
    return load_protocol(files("outrider.protocols").joinpath("data/default.yaml").read_text("utf-8"), schema)
