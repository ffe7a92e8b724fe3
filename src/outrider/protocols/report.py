"""The compliance report: counts, pass rates per rule, every violation with its evidence, monthly trend.

Values in, values out: the service hands over the stored evaluations of a period; this module counts
them and renders JSON and HTML (`report_csv` renders the CSV table, `report_pdf` the printable PDF).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from outrider.languages import LANGUAGES, RTL_LANGUAGES, words
from outrider.protocols.report_words import HTML_WORDS, WORDS
from outrider.shapes import read_of

FAILED = frozenset({"fail", "error"})


@dataclass(frozen=True, slots=True)
class EvaluationRecord:
    """One stored evaluation as the report reads it; facts are None where the evidence is withheld."""

    evaluation_id: int
    at: datetime
    movement_id: int
    movement_reference: str
    organization_id: int
    protocol_id: str
    protocol_version: int
    protocol_hash: str
    phase: str
    trigger: str
    passed: bool
    results: tuple[Mapping[str, Any], ...]
    waived: tuple[str, ...]
    facts_hash: str
    facts: Mapping[str, Any] | None
    blocking: tuple[str, ...] = ()
    overridden: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Refusal:
    """A transition the gate refused (approval, clearance or departure): counted apart, not as a failure."""

    evaluation_id: int
    at: datetime
    movement_id: int
    movement_reference: str
    protocol_id: str
    trigger: str
    rules: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RuleStats:
    """How one rule fared: outcomes counted over the evaluations in which it ran."""

    rule_id: str
    title: str
    severity: str
    evaluated: int
    passed: int
    failed: int
    errors: int
    not_applicable: int
    waived: int
    pass_rate: float | None  # passed / (passed + failed + errors); None when it never applied
    overridden: int = 0


@dataclass(frozen=True, slots=True)
class MonthStats:
    """One month of the trend."""

    month: str
    evaluations: int
    passed: int
    failed: int
    violations: int
    pass_rate: float | None


@dataclass(frozen=True, slots=True)
class Violation:
    """A rule that failed (or could not be evaluated) in one evaluation, with its evidence."""

    evaluation_id: int
    at: datetime
    movement_id: int
    movement_reference: str
    protocol_id: str
    protocol_version: int
    protocol_hash: str
    phase: str
    trigger: str
    rule_id: str
    title: str
    severity: str
    outcome: str
    waived: bool
    facts_hash: str
    facts_read: Mapping[str, Any] | None
    facts: Mapping[str, Any] | None
    overridden: bool = False


@dataclass(frozen=True, slots=True)
class ComplianceReport:
    """The report of a period, optionally for one organisation and one protocol."""

    period_from: date
    period_to: date
    organization: str | None
    protocol_id: str | None
    generated_at: datetime
    evaluations: int
    movements: int
    passed: int
    failed: int
    pass_rate: float | None
    by_trigger: Mapping[str, int]
    protocol_versions: tuple[str, ...]
    rules: tuple[RuleStats, ...]
    months: tuple[MonthStats, ...]
    violations: tuple[Violation, ...]
    evidence_withheld: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)
    # Left out of the figures above, counted by why: previews, refused transitions, superseded checks.
    checks_stored: int = 0
    previews: int = 0
    refusals: tuple[Refusal, ...] = ()
    superseded: int = 0
    # Facts left out of this reader's evidence (the route risk, outside the holder's organisation).
    facts_withheld: tuple[str, ...] = ()


def _rate(good: int, total: int) -> float | None:
    return round(good / total, 4) if total else None


def months_between(start: date, end: date) -> list[str]:
    """Every month from start to end inclusive, as YYYY-MM."""
    out = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def build_report(
    records: Iterable[EvaluationRecord],
    *,
    start: date,
    end: date,
    generated_at: datetime,
    titles: Mapping[str, str] | None = None,
    organization: str | None = None,
    protocol_id: str | None = None,
) -> ComplianceReport:
    """Count the evaluations of a period: per rule, per month, and list every violation."""
    titles = titles or {}
    items = sorted(records, key=lambda r: (r.at, r.evaluation_id))
    outcomes: dict[str, Counter[str]] = {}
    severities: dict[str, str] = {}
    waived_counts: Counter[str] = Counter()
    overridden_counts: Counter[str] = Counter()
    months: dict[str, Counter[str]] = {m: Counter() for m in months_between(start, end)}
    violations: list[Violation] = []
    for rec in items:
        month = months.setdefault(f"{rec.at.year:04d}-{rec.at.month:02d}", Counter())
        month["evaluations"] += 1
        month["passed" if rec.passed else "failed"] += 1
        for result in rec.results:
            rule = str(result["rule_id"])
            outcome = str(result["outcome"])
            outcomes.setdefault(rule, Counter())[outcome] += 1
            severities.setdefault(rule, str(result["severity"]))
            if outcome not in FAILED:
                continue
            waived = rule in rec.waived
            waived_counts[rule] += waived
            overridden_counts[rule] += rule in rec.overridden
            month["violations"] += 1
            # The violation carries its evaluation's fields (same names) and the rule's outcome.
            violations.append(
                read_of(
                    Violation,
                    rec,
                    rule_id=rule,
                    title=titles.get(rule, ""),
                    severity=str(result["severity"]),
                    outcome=outcome,
                    waived=waived,
                    overridden=rule in rec.overridden,
                    facts_read=dict(result.get("facts_read") or {}) if rec.facts is not None else None,
                )
            )
    rules = []
    for rule, counts in sorted(outcomes.items(), key=lambda kv: (severities[kv[0]] != "blocking", kv[0])):
        ran = counts["pass"] + counts["fail"] + counts["error"]
        rules.append(
            RuleStats(
                rule_id=rule,
                title=titles.get(rule, ""),
                severity=severities[rule],
                evaluated=ran,
                passed=counts["pass"],
                failed=counts["fail"],
                errors=counts["error"],
                not_applicable=counts["not_applicable"],
                waived=waived_counts[rule],
                pass_rate=_rate(counts["pass"], ran),
                overridden=overridden_counts[rule],
            )
        )
    trend = tuple(
        MonthStats(
            m,
            c["evaluations"],
            c["passed"],
            c["failed"],
            c["violations"],
            _rate(c["passed"], c["evaluations"]),
        )
        for m, c in sorted(months.items())
    )
    passed = sum(1 for r in items if r.passed)
    return ComplianceReport(
        period_from=start,
        period_to=end,
        organization=organization,
        protocol_id=protocol_id,
        generated_at=generated_at,
        evaluations=len(items),
        movements=len({r.movement_id for r in items}),
        passed=passed,
        failed=len(items) - passed,
        pass_rate=_rate(passed, len(items)),
        by_trigger=dict(sorted(Counter(r.trigger for r in items).items())),
        protocol_versions=tuple(
            sorted({f"{r.protocol_id} v{r.protocol_version} {r.protocol_hash}" for r in items})
        ),
        rules=tuple(rules),
        months=trend,
        violations=tuple(violations),
        evidence_withheld=len({r.evaluation_id for r in items if r.facts is None}),
    )


# --- renderers --------------------------------------------------------------------------------------


def to_json(report: ComplianceReport) -> dict[str, Any]:
    """The report as JSON-ready values (dates and times in ISO 8601)."""
    return json.loads(json.dumps(asdict(report), default=_iso, ensure_ascii=False))  # type: ignore[no-any-return]


def _iso(value: Any) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


_ENV = Environment(
    loader=PackageLoader("outrider.protocols", "templates"), autoescape=select_autoescape(("html",))
)


def percent(value: float | None) -> str:
    """A rate as a percentage, or a dash when nothing was counted."""
    return "–" if value is None else f"{value * 100:.1f} %"


def to_html(report: ComplianceReport, *, lang: str = "en") -> str:
    """A self-contained HTML page (no scripts, no external assets) with an SVG trend chart; headings in
    ``lang`` (en, zh-Hans, ur: right to left); values print as written."""
    lang = lang if lang in LANGUAGES else "en"
    width = max(1, len(report.months))
    bars = [
        {
            "x": 40 + i * (560 / width),
            "w": max(4.0, 560 / width - 6),
            "h": 0 if m.pass_rate is None else 160 * m.pass_rate,
            "label": m.month,
            "rate": percent(m.pass_rate),
            "n": m.evaluations,
        }
        for i, m in enumerate(report.months)
    ]
    w = words({**WORDS, **HTML_WORDS}, lang)
    return _ENV.get_template("report.html").render(
        r=report, bars=bars, percent=percent, dumps=json.dumps, w=w, lang=lang, rtl=lang in RTL_LANGUAGES
    )
