"""CEL expressions of protocols: hostile-input limits, static fact references, type checking, compiling.

The chosen library is ``common-expression-language`` (module ``cel``); see docs/protocols.md for the
measurement against ``cel-python``. That library has no static type checker, so types are checked by
evaluating each expression on sample values of every declared fact type and reporting
"no such overload" errors, after a static check that every referenced fact path exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import cel

from outrider.protocols.facts import SAMPLES, FactSchema

MAX_EXPRESSION_CHARS = 1000
MAX_NESTING = 16
MAX_NUMBER_DIGITS = 18
MAX_STRING_LITERAL = 256
# Nested comprehensions multiply: three over 160-element literals already take seconds.
MAX_COMPREHENSIONS = 2

_STRING = re.compile(r"""(?:[rRbB]{0,2})("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')""")
_NUMBER = re.compile(r"(?<![\w.])\d[\d.eExXa-fA-F_+-]*")
_PATH = re.compile(r"(?<![\w.])([A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*)(\s*\()?")
_BOUND = re.compile(r"\.\s*(?:all|exists|exists_one|map|filter)\s*\(\s*([A-Za-z_]\w*)")
_KEYWORDS = frozenset({"true", "false", "null", "in"})


class ExpressionError(ValueError):
    """An expression is rejected; `kind` is limit, syntax, unknown_fact, unknown_function or type."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True, slots=True)
class CheckedExpression:
    """A compiled expression with the fact paths it reads."""

    source: str
    program: cel.Program
    reads: tuple[str, ...]


def _strip_strings(source: str) -> str:
    """Replace string literals by empty ones, rejecting literals over the limit."""

    def repl(match: re.Match[str]) -> str:
        if len(match.group(1)) - 2 > MAX_STRING_LITERAL:
            raise ExpressionError("limit", f"string literal longer than {MAX_STRING_LITERAL} characters")
        return '""'

    return _STRING.sub(repl, source)


def check_limits(source: str) -> str:
    """Reject hostile input cheaply before the parser sees it; return the source without string literals."""
    if len(source) > MAX_EXPRESSION_CHARS:
        raise ExpressionError("limit", f"expression longer than {MAX_EXPRESSION_CHARS} characters")
    bare = _strip_strings(source)
    depth = deepest = 0
    for char in bare:
        if char in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]}":
            depth -= 1
    # Unary operator chains (!!!!x, ----x) nest in the parser's tree as deeply as parentheses do.
    squeezed = re.sub(r"\s+", "", bare)
    runs = max((len(m.group(0)) for m in re.finditer(r"[!-]+", squeezed)), default=0)
    if deepest > MAX_NESTING or runs > MAX_NESTING:
        raise ExpressionError("limit", f"expression nested deeper than {MAX_NESTING} levels")
    if len(_BOUND.findall(bare)) > MAX_COMPREHENSIONS:
        raise ExpressionError(
            "limit", f"more than {MAX_COMPREHENSIONS} comprehension macros (all, exists, map...)"
        )
    for match in _NUMBER.finditer(bare):
        if len(match.group(0)) > MAX_NUMBER_DIGITS:
            raise ExpressionError("limit", f"numeric literal longer than {MAX_NUMBER_DIGITS} digits")
    return bare


def fact_paths(bare: str) -> list[str]:
    """Return the fact paths an expression (without string literals) reads, in order of appearance."""
    bound = set(_BOUND.findall(bare))
    paths: list[str] = []
    for match in _PATH.finditer(bare):
        parts = [p.strip() for p in match.group(1).split(".")]
        if match.group(2):  # a call: the last segment is a function or method name
            parts = parts[:-1]
        if not parts or parts[0] in _KEYWORDS or parts[0] in bound:
            continue
        path = ".".join(parts)
        if path not in paths:
            paths.append(path)
    return paths


def _resolve(paths: list[str], schema: FactSchema) -> tuple[str, ...]:
    reads: list[str] = []
    for path in paths:
        head = path.split(".")[0]
        if head in schema.facts:
            # Members of a top-level fact (a clearance's fields) are that fact's own structure.
            if head not in reads:
                reads.append(head)
            continue
        if head in schema.namespaces:
            parts = path.split(".")
            name = ".".join(parts[:2])
            if schema.lookup(name) is None:
                raise ExpressionError("unknown_fact", f"unknown fact {name!r}")
            if name not in reads:
                reads.append(name)
            continue
        raise ExpressionError("unknown_fact", f"unknown fact {path!r}")
    return tuple(reads)


def _sample_contexts(schema: FactSchema) -> list[dict[str, Any]]:
    """Two consistent sample worlds (all 'first' and all 'second' samples) cover both branches of &&/||."""
    worlds: list[dict[str, Any]] = []
    for pick in (0, 1):
        world: dict[str, Any] = {n: SAMPLES[s.type][pick] for n, s in schema.facts.items()}
        for ns, members in schema.namespaces.items():
            world[ns] = {n: SAMPLES[s.type][pick] for n, s in members.items()}
        worlds.append(world)
    return worlds


def compile_checked(source: str, schema: FactSchema) -> CheckedExpression:
    """Limit-check, compile, resolve fact references and type-check one boolean expression."""
    if not source.strip():
        raise ExpressionError("syntax", "empty expression")
    bare = check_limits(source)
    try:
        program = cel.compile(source)
    except (ValueError, RuntimeError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else "syntax error"
        raise ExpressionError("syntax", first) from exc
    reads = _resolve(fact_paths(bare), schema)
    for world in _sample_contexts(schema):
        try:
            result = program.execute(world)
        except TypeError as exc:
            raise ExpressionError("type", str(exc).split(". ")[0]) from exc
        except KeyError as exc:
            raise ExpressionError("unknown_fact", f"unknown field {exc}") from exc
        except (ArithmeticError, IndexError):
            continue  # a run-time condition of these samples (1/0, empty list), not a type error
        except RuntimeError as exc:
            message = str(exc).splitlines()[0] if str(exc) else "evaluation error"
            if message.startswith("Undefined variable or function"):
                # Variables were resolved statically above, so this names an unknown function.
                raise ExpressionError("unknown_function", message.split(". ")[0]) from exc
            continue  # a function refusing a sample value (int(""), ...) is a run-time condition
        except Exception as exc:  # the library's other errors: refuse rather than guess
            raise ExpressionError("type", str(exc).splitlines()[0] if str(exc) else repr(exc)) from exc
        if not isinstance(result, bool):
            raise ExpressionError("type", f"expression must be a boolean, got {type(result).__name__}")
    return CheckedExpression(source, program, reads)
