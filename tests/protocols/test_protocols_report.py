"""The compliance report's numbers against a hand-counted fixture, and its JSON, CSV, HTML and PDF forms."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from outrider.protocols.report import EvaluationRecord, build_report, to_html, to_json
from outrider.protocols.report_csv import to_csv
from outrider.protocols.report_pdf import to_pdf

H1 = "a" * 64
FACTS = {"escort_units": 0, "escort_vehicles": 0, "vehicles": 1, "same_hour_uses_7d": 1}


def _r(rule: str, outcome: str, severity: str = "blocking", **read: Any) -> dict[str, Any]:
    return {"rule_id": rule, "outcome": outcome, "severity": severity, "message": "", "facts_read": read}


def _rec(
    n: int, at: datetime, movement: int, trigger: str, passed: bool, results: list[dict[str, Any]], **kw: Any
) -> EvaluationRecord:
    values: dict[str, Any] = {
        "evaluation_id": n,
        "at": at,
        "movement_id": movement,
        "movement_reference": f"MOV-{movement}",
        "organization_id": 3,
        "protocol_id": "default-protection",
        "protocol_version": 1,
        "protocol_hash": H1,
        "phase": "execution" if trigger == "arrive" else "plan",
        "trigger": trigger,
        "passed": passed,
        "results": tuple(results),
        "waived": (),
        "facts_hash": f"{n:064x}",
        "facts": FACTS,
    }
    values.update(kw)
    return EvaluationRecord(**values)


# Hand-counted: 5 evaluations of 3 movements from January to March; see the expectations below.
RECORDS = [
    _rec(
        1,
        datetime(2026, 1, 10, 9, tzinfo=UTC),
        1,
        "submit",
        False,
        [
            _r("escort-ratio", "fail", escort_units=0, escort_vehicles=0, vehicles=1),
            _r("route-variation", "pass", same_route_uses_7d=0),
            _r("departure-time-varied", "fail", "warning", same_hour_uses_7d=1),
        ],
    ),
    _rec(
        2,
        datetime(2026, 1, 11, 9, tzinfo=UTC),
        1,
        "approve",
        False,
        [
            _r("escort-ratio", "fail", escort_units=0, escort_vehicles=0, vehicles=1),
            _r("route-variation", "pass"),
            _r("departure-time-varied", "pass", "warning"),
        ],
        waived=("escort-ratio",),
    ),
    _rec(
        3,
        datetime(2026, 2, 5, 9, tzinfo=UTC),
        2,
        "submit",
        True,
        [
            _r("escort-ratio", "pass"),
            _r("route-variation", "pass"),
            _r("departure-time-varied", "pass", "warning"),
        ],
    ),
    _rec(
        4,
        datetime(2026, 2, 20, 9, tzinfo=UTC),
        2,
        "arrive",
        False,
        [
            _r("persons-counted-at-arrival", "fail", persons_counted_at_arrival=2, protected_persons=3),
            _r("checkin-gap", "pass"),
            _r("no-long-unplanned-stop", "not_applicable"),
        ],
    ),
    _rec(
        5,
        datetime(2026, 3, 3, 9, tzinfo=UTC),
        3,
        "submit",
        False,
        [_r("escort-ratio", "pass"), _r("route-variation", "error")],
        facts=None,
        movement_reference="<script>alert(1)</script>",
    ),
]
TITLES = {"escort-ratio": "At least one escort unit"}


def _report(end: date = date(2026, 3, 31)) -> Any:
    return build_report(
        RECORDS,
        start=date(2026, 1, 1),
        end=end,
        generated_at=datetime(2026, 4, 1, tzinfo=UTC),
        titles=TITLES,
        organization="Acme Hydro",
        protocol_id="default-protection",
    )


def test_numbers_match_the_hand_count() -> None:
    report = _report(end=date(2026, 4, 30))
    assert (report.evaluations, report.movements, report.passed, report.failed) == (5, 3, 1, 4)
    assert report.pass_rate == 0.2
    assert dict(report.by_trigger) == {"approve": 1, "arrive": 1, "submit": 3}
    rules = {r.rule_id: r for r in report.rules}
    expected = {
        # rule: (applied, passed, failed, errors, not applicable, waived, pass rate)
        "escort-ratio": (4, 2, 2, 0, 0, 1, 0.5),
        "route-variation": (4, 3, 0, 1, 0, 0, 0.75),
        "departure-time-varied": (3, 2, 1, 0, 0, 0, 0.6667),
        "persons-counted-at-arrival": (1, 0, 1, 0, 0, 0, 0.0),
        "checkin-gap": (1, 1, 0, 0, 0, 0, 1.0),
        "no-long-unplanned-stop": (0, 0, 0, 0, 1, 0, None),
    }
    for rule, numbers in expected.items():
        r = rules[rule]
        assert (
            r.evaluated,
            r.passed,
            r.failed,
            r.errors,
            r.not_applicable,
            r.waived,
            r.pass_rate,
        ) == numbers, rule
    assert [r.rule_id for r in report.rules][-1] == "departure-time-varied"  # warnings listed after blocking
    assert [
        (m.month, m.evaluations, m.passed, m.failed, m.violations, m.pass_rate) for m in report.months
    ] == [
        ("2026-01", 2, 0, 2, 3, 0.0),
        ("2026-02", 2, 1, 1, 1, 0.5),
        ("2026-03", 1, 0, 1, 1, 0.0),
        ("2026-04", 0, 0, 0, 0, None),
    ]
    assert [(v.evaluation_id, v.rule_id, v.outcome, v.waived) for v in report.violations] == [
        (1, "escort-ratio", "fail", False),
        (1, "departure-time-varied", "fail", False),
        (2, "escort-ratio", "fail", True),
        (4, "persons-counted-at-arrival", "fail", False),
        (5, "route-variation", "error", False),
    ]
    first = report.violations[0]
    assert first.facts_read == {"escort_units": 0, "escort_vehicles": 0, "vehicles": 1}
    assert first.facts == FACTS and first.protocol_hash == H1 and first.facts_hash == f"{1:064x}"
    assert report.violations[-1].facts is None and report.violations[-1].facts_read is None
    assert report.evidence_withheld == 1


def test_json_and_csv_carry_the_same_numbers() -> None:
    report = _report()
    body = to_json(report)
    assert body["evaluations"] == 5 and body["period_from"] == "2026-01-01"
    assert body["violations"][0]["at"] == "2026-01-10T09:00:00+00:00"
    assert [m["month"] for m in body["months"]] == ["2026-01", "2026-02", "2026-03"]
    rows = list(csv.DictReader(io.StringIO(to_csv(report))))
    sections: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        sections.setdefault(row["section"], []).append(row)
    assert sections["summary"][0]["evaluations"] == "5" and sections["summary"][0]["pass_rate"] == "0.2"
    escort = next(r for r in sections["rule"] if r["rule_id"] == "escort-ratio")
    assert (escort["evaluated"], escort["passed"], escort["failed"], escort["pass_rate"]) == (
        "4",
        "2",
        "2",
        "0.5",
    )
    assert [r["violations"] for r in sections["month"]] == ["3", "1", "1"]
    assert len(sections["violation"]) == 5
    assert (
        sections["violation"][0]["protocol_hash"] == H1
        and '"vehicles": 1' in sections["violation"][0]["facts"]
    )
    assert sections["violation"][-1]["facts"] == ""


def test_a_reference_a_spreadsheet_would_run_as_a_formula_is_written_as_text() -> None:
    # CSV injection: a movement's reference is typed by a user; a spreadsheet must show it, not run it
    tricks = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]
    at = datetime(2026, 1, 10, 9, tzinfo=UTC)
    fail = [_r("escort-ratio", "fail")]
    records = [_rec(i, at, i, "submit", False, fail, movement_reference=t) for i, t in enumerate(tricks, 10)]
    report = build_report(
        records, start=date(2026, 1, 1), end=date(2026, 1, 31), generated_at=datetime(2026, 2, 1, tzinfo=UTC)
    )
    rows = list(csv.DictReader(io.StringIO(to_csv(report), newline="")))
    written = [r["movement_reference"] for r in rows if r["section"] in ("violation", "refusal")]
    assert written and set(written) <= {"'" + t for t in tricks}
    assert {r["movement_reference"] for r in rows if r["section"] == "violation"} == {"'" + t for t in tricks}
    assert all(r["pass_rate"] in ("", "0.0") for r in rows)  # numbers are left alone


def test_html_is_escaped_and_self_contained() -> None:
    page = to_html(_report())
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "escort-ratio" in page and "50.0 %" in page and H1 in page and "<svg" in page
    assert "evidence withheld" in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")


def test_pdf_renders_with_the_numbers_and_evidence() -> None:
    data = to_pdf(_report())
    assert data.startswith(b"%PDF-") and data == to_pdf(_report())  # the same report, the same bytes
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    flat = " ".join(text.split())
    assert "Protocol compliance report" in flat
    assert "Period 2026-01-01 to 2026-03-31" in flat and "organisation Acme Hydro" in flat
    for rule in ("escort-ratio", "route-variation", "persons-counted-at-arrival", "departure-time-varied"):
        assert rule in flat
    assert "Pass rate 20.0 %" in flat and "50.0 %" in flat and "75.0 %" in flat
    assert "2026-02" in flat and "n=2 50.0 %" in flat  # the chart's labels
    assert H1 in flat and f"{4:064x}" in flat  # protocol and facts hashes: the evidence
    assert "waived jointly" in flat and "evidence withheld" in flat
    assert "persons_counted_at_arrival = 2" in flat


def test_an_empty_period_renders() -> None:
    report = build_report(
        [], start=date(2026, 5, 1), end=date(2026, 5, 31), generated_at=datetime(2026, 6, 1, tzinfo=UTC)
    )
    assert report.evaluations == 0 and report.pass_rate is None and len(report.months) == 1
    text = PdfReader(io.BytesIO(to_pdf(report))).pages[0].extract_text()
    assert "No violation in this period." in text
    assert "No violation" in to_html(report)


_OUTCOME = st.sampled_from(["pass", "fail", "error", "not_applicable"])
_RESULT = st.builds(
    lambda rule, outcome: _r(rule, outcome, "warning" if rule == "w" else "blocking"),
    st.sampled_from(["a", "b", "w"]),
    _OUTCOME,
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 89),
            st.integers(1, 4),
            st.lists(_RESULT, max_size=4, unique_by=lambda r: r["rule_id"]),
        ),
        max_size=25,
    )
)
def test_counts_are_consistent(items: list[tuple[int, int, list[dict[str, Any]]]]) -> None:
    start = date(2026, 1, 1)
    records = [
        _rec(
            n,
            datetime(2026, 1, 1, 12, tzinfo=UTC) + timedelta(days=day),
            movement,
            "submit",
            not any(r["outcome"] in ("fail", "error") and r["severity"] == "blocking" for r in results),
            results,
        )
        for n, (day, movement, results) in enumerate(items)
    ]
    report = build_report(
        records, start=start, end=date(2026, 3, 31), generated_at=datetime(2026, 4, 1, tzinfo=UTC)
    )
    results = [r for rec in records for r in rec.results]
    assert sum(m.evaluations for m in report.months) == report.evaluations == len(records)
    assert report.passed + report.failed == len(records)
    assert sum(r.evaluated + r.not_applicable for r in report.rules) == len(results)
    assert len(report.violations) == sum(m.violations for m in report.months)
    assert len(report.violations) == sum(1 for r in results if r["outcome"] in ("fail", "error"))
    for rule in report.rules:
        assert rule.evaluated == rule.passed + rule.failed + rule.errors
        assert rule.pass_rate is None or 0.0 <= rule.pass_rate <= 1.0
    rows = list(csv.DictReader(io.StringIO(to_csv(report))))
    assert len([r for r in rows if r["section"] == "violation"]) == len(report.violations)
