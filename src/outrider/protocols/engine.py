"""Evaluate a compiled protocol against a movement's facts for a phase: values in, an Evaluation out."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import cel

from outrider.protocols.document import ProtocolDocument, Rule, canonical_bytes
from outrider.protocols.expressions import compile_checked
from outrider.protocols.facts import DEFAULT_SCHEMA, FactSchema, MovementFacts
from outrider.protocols.loader import LoadedProtocol

Outcome = Literal["pass", "fail", "not_applicable", "error"]
EvalPhase = Literal["plan", "execution", "departure"]
# The combined program returns one of these, so a rule costs one CEL call instead of two.
_NOT_APPLICABLE, _PASS, _FAIL = 2, 1, 0
_OUTCOMES: dict[int, Outcome] = {_NOT_APPLICABLE: "not_applicable", _PASS: "pass", _FAIL: "fail"}


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A rule with one combined program and the facts it reads."""

    rule: Rule
    program: cel.Program
    reads: tuple[str, ...]
    heads: tuple[str, ...]
    simple: bool


@dataclass(frozen=True, slots=True)
class CompiledProtocol:
    """A protocol compiled once, evaluated many times."""

    document: ProtocolDocument
    hash: str
    applies_to: cel.Program
    applies_reads: tuple[str, ...]
    rules: tuple[CompiledRule, ...]
    plan_rules: tuple[CompiledRule, ...]
    execution_rules: tuple[CompiledRule, ...]
    departure_rules: tuple[CompiledRule, ...] = ()

    def for_phase(self, phase: EvalPhase) -> tuple[CompiledRule, ...]:
        """The rules that run in `phase` (its own and those of both phases), in document order.

        Departure rules run only at departure and route clearance: they read what holds at that moment."""
        if phase == "departure":
            return self.departure_rules
        return self.plan_rules if phase == "plan" else self.execution_rules


@dataclass(frozen=True, slots=True)
class RuleResult:
    """The outcome of one rule, with the facts it read (the evidence)."""

    rule_id: str
    outcome: Outcome
    severity: str
    facts_read: tuple[tuple[str, Any], ...]
    message: str = ""


@dataclass(frozen=True, slots=True)
class Evaluation:
    """A protocol evaluated on one facts snapshot for one phase."""

    protocol_id: str
    protocol_version: int
    protocol_hash: str
    facts_hash: str
    phase: EvalPhase
    applicable: bool
    results: tuple[RuleResult, ...]

    @property
    def blocking_failures(self) -> tuple[str, ...]:
        """Ids of blocking rules that failed or could not be evaluated (an error never passes)."""
        return tuple(
            r.rule_id for r in self.results if r.severity == "blocking" and r.outcome in ("fail", "error")
        )

    @property
    def warnings(self) -> tuple[str, ...]:
        """Ids of warning rules that failed or could not be evaluated."""
        return tuple(
            r.rule_id for r in self.results if r.severity == "warning" and r.outcome in ("fail", "error")
        )

    @property
    def passed(self) -> bool:
        """True when no blocking rule failed."""
        return not self.blocking_failures


def compile_protocol(loaded: LoadedProtocol, schema: FactSchema = DEFAULT_SCHEMA) -> CompiledProtocol:
    """Compile every expression once; the loader has already validated them."""
    applies = compile_checked(loaded.document.applies_to, schema)
    rules = []
    for rule in loaded.document.rules:
        when = compile_checked(rule.when, schema)
        require = compile_checked(rule.require, schema)
        reads = tuple(dict.fromkeys(when.reads + require.reads))
        if rule.when.strip() == "true":
            source = f"({rule.require}) ? {_PASS} : {_FAIL}"
        else:
            source = f"!({rule.when}) ? {_NOT_APPLICABLE} : (({rule.require}) ? {_PASS} : {_FAIL})"
        heads = tuple(dict.fromkeys(p.partition(".")[0] for p in reads))
        rules.append(CompiledRule(rule, cel.compile(source), reads, heads, heads == reads))
    plan = tuple(r for r in rules if r.rule.phase in ("plan", "both"))
    execution = tuple(r for r in rules if r.rule.phase in ("execution", "both"))
    departure = tuple(r for r in rules if r.rule.phase == "departure")
    return CompiledProtocol(
        loaded.document, loaded.hash, applies.program, applies.reads, tuple(rules), plan, execution, departure
    )


def facts_hash(variables: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of the facts snapshot."""
    return hashlib.sha256(canonical_bytes(dict(variables))).hexdigest()


def _value(variables: Mapping[str, Any], path: str) -> Any:
    head, _, rest = path.partition(".")
    value = variables.get(head)
    if rest and isinstance(value, Mapping):
        return value.get(rest)
    return None if rest else value


def _context(variables: Mapping[str, Any], reads: tuple[str, ...]) -> dict[str, Any]:
    return {h: variables.get(h) for h in dict.fromkeys(p.partition(".")[0] for p in reads)}


def evaluate(
    compiled: CompiledProtocol, facts: MovementFacts | Mapping[str, Any], phase: EvalPhase
) -> Evaluation:
    """Evaluate the rules of `phase` (and of both phases) on the facts."""
    variables = facts.to_variables() if isinstance(facts, MovementFacts) else facts
    try:
        applicable = compiled.applies_to.execute(_context(variables, compiled.applies_reads)) is True
    except Exception:  # any failure of applies_to: we cannot exclude the movement
        applicable = True
    results: list[RuleResult] = []
    if applicable:
        for item in compiled.for_phase(phase):
            # Only the facts a rule reads are passed: the library converts every variable it is given.
            ctx = {h: variables.get(h) for h in item.heads}
            if item.simple:
                read = tuple(ctx.items())
                unknown = None in ctx.values()
            else:
                read = tuple((p, _value(variables, p)) for p in item.reads)
                unknown = any(v is None for _, v in read)
            if unknown:
                # A fact not known yet (actual facts before arrival): the rule cannot apply.
                results.append(
                    RuleResult(item.rule.id, "not_applicable", item.rule.severity, read, "fact unknown")
                )
                continue
            try:
                code = item.program.execute(ctx)
                results.append(RuleResult(item.rule.id, _OUTCOMES[code], item.rule.severity, read))
            except Exception as exc:  # a rule's run-time error is an outcome, not a crash
                results.append(RuleResult(item.rule.id, "error", item.rule.severity, read, str(exc)[:200]))
    return Evaluation(
        protocol_id=compiled.document.id,
        protocol_version=compiled.document.version,
        protocol_hash=compiled.hash,
        facts_hash=facts_hash(variables),
        phase=phase,
        applicable=applicable,
        results=tuple(results),
    )
