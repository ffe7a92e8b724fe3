"""docs/governance.md's "who can do what" table agrees with the policy, cell by cell."""

from __future__ import annotations

from pathlib import Path

from outrider.access.policy import Caller
from outrider.governance import rules
from outrider.governance.rules import Founding

DOC = Path(__file__).resolve().parents[2] / "docs" / "governance.md"
FOUNDING = Founding(host_org_id=1, partner_org_id=2, other_partner_ids=frozenset({5}))


def _caller(org: int, kind: str, role: str) -> Caller:
    return Caller(
        user_id=org * 100, organization_id=org, org_kind=kind, country="CN", roles=frozenset({role})
    )


COLUMNS = {
    "founding host admin": _caller(1, "host_security", "admin"),
    "founding host duty officer": _caller(1, "host_security", "duty_officer"),
    "founding partner admin": _caller(2, "partner_government", "admin"),
    "founding partner liaison": _caller(2, "partner_government", "liaison"),
    "recognised partner liaison": _caller(5, "partner_government", "liaison"),
    "other host-security admin": _caller(4, "host_security", "admin"),
    "other partner-government admin": _caller(6, "partner_government", "admin"),
    "company admin": _caller(3, "company", "admin"),
    "auditor": _caller(1, "host_security", "auditor"),
}


def _table() -> tuple[list[str], dict[str, list[str]]]:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Who can do what", 1)[1].split("\n## ", 1)[0]
    lines = [ln.strip() for ln in section.splitlines() if ln.strip().startswith("|")]
    cells = [[c.strip() for c in ln.strip("|").split("|")] for ln in lines]
    header, rows = cells[0], cells[2:]
    return header[1:], {r[0]: r[1:] for r in rows}


def test_the_table_names_every_action_and_column() -> None:
    columns, rows = _table()
    assert columns == list(COLUMNS)
    assert set(rows) == set(rules.ACTIONS)
    assert all(len(v) == len(columns) for v in rows.values())


def test_every_cell_matches_the_policy() -> None:
    columns, rows = _table()
    wrong = []
    for action, cells in rows.items():
        decide = rules.ACTIONS[action]
        for column, cell in zip(columns, cells, strict=True):
            assert cell in ("yes", "no"), (action, column, cell)
            if decide(COLUMNS[column], FOUNDING) is not (cell == "yes"):
                wrong.append(f"{action} / {column}: doc says {cell}")
    assert not wrong, wrong
