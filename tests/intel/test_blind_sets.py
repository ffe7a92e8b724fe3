"""The extractors on the blind sets of corpus/blind/ (reports and gold written by someone who had not read the
rules), scored by the shared scorers: the figures docs/intel.md and docs/cooperation-extraction.md report,
held as floors (rounded down). Sets c, x, z, ab, ag and ah are the judges: read their figures, not their
errors (g and j were judges until the fifth round opened them for development, h and k until the sixth, m
and n until the seventh, o and p until the eighth, q and e until the ninth, s and t until the tenth, u and v
until the eleventh, l and r until the twelfth, w and y until the thirteenth, aa and i until the
fourteenth, ac and ad until the fifteenth, ae and af until the sixteenth; set p tells no commitment between
Pakistan and China, so its PK,CN floor is nought)."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from outrider.intel.cooperation import link_commitments
from outrider.intel.cooperation.reports import extract_files
from outrider.intel.pipeline import extract_documents, link_events
from shared_material import shared_dir

BLIND = Path(__file__).resolve().parents[2] / "corpus" / "blind"
# set: (incident detection F1, cooperation F1, cooperation F1 with --parties PK,CN)
FLOORS = {
    "a": (0.98, 1.00, 1.00),
    "aa": (0.92, 0.78, 0.76),
    "ab": (0.84, 0.73, 0.71),
    "ac": (0.93, 0.59, 0.59),
    "ad": (0.88, 0.47, 0.47),
    "ae": (0.93, 0.69, 0.69),
    "af": (0.92, 0.66, 0.75),
    "ag": (0.83, 0.61, 0.61),
    "ah": (0.74, 0.75, 0.74),
    "b": (0.98, 0.89, 0.90),
    "c": (0.77, 0.77, 0.76),
    "d": (0.97, 0.98, 1.00),
    "e": (0.93, 0.75, 0.73),
    "f": (1.00, 0.92, 0.92),
    "g": (0.87, 0.69, 0.70),
    "h": (0.90, 0.74, 0.73),
    "i": (0.91, 0.85, 0.84),
    # j's cooperation lost a record in the eighth round (a report naming one state is read with the state
    # its towns are in: j's Sukkur report now gives two wrong records) while judge e rose by 0.06
    "j": (0.93, 0.49, 0.52),
    "k": (0.91, 0.75, 0.70),
    "l": (0.97, 0.68, 0.65),
    "m": (0.96, 0.66, 0.66),
    "n": (0.88, 0.65, 0.76),
    "o": (0.89, 0.72, 0.72),
    "p": (0.88, 0.69, 0.00),
    "q": (0.87, 0.79, 0.79),
    "r": (0.96, 0.66, 0.70),
    "s": (0.92, 0.75, 0.74),
    "t": (0.85, 0.66, 0.84),
    "u": (0.89, 0.62, 0.64),
    # v's ticker (a line a time-stamped item) lost its one record in the eleventh round: the cooperation
    # reader had joined its lines as one wrapped paragraph, which the cleaning step's rule does not
    "v": (0.91, 0.67, 0.58),
    "w": (0.85, 0.64, 0.69),
    "x": (0.85, 0.59, 0.00),  # x names no Pakistani-Chinese commitment
    "y": (0.96, 0.84, 0.84),
    "z": (0.88, 0.64, 0.62),
}


def _scored(tool: str, gold: Path, rows: list[dict[str, Any]], *extra: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "pred.jsonl"
        pred.write_text("".join(json.dumps(r, default=str) + "\n" for r in rows), encoding="utf-8")
        scorer = shared_dir() / "tools" / tool
        cmd = [sys.executable, str(scorer), str(gold), str(pred), "--json", *extra]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    result: dict[str, Any] = json.loads(out)
    return result


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_incident_extraction_on_a_blind_set(name: str) -> None:
    folder = BLIND / name / "incidents"
    texts = sorted(folder.glob("*.txt"))
    ids = {p.stem: json.loads(p.with_suffix(".json").read_text(encoding="utf-8"))["doc_id"] for p in texts}
    linked = link_events(list(extract_documents(texts)))
    rows = [dict(i, doc_id=ids.get(i["doc_id"], i["doc_id"])) for i in linked]
    got = _scored("score_incidents.py", folder, rows)
    assert got["documents"] == 24 and not got["unknown_doc_ids"]
    assert got["f1"] >= FLOORS[name][0], (got["precision"], got["recall"], got["f1"])


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_cooperation_extraction_on_a_blind_set(name: str) -> None:
    folder = BLIND / name / "coop"
    records = [r for _, recs in extract_files(sorted(folder.glob("*.txt"))) for r in recs]
    rows = [r.to_json() for r in link_commitments(records)]
    every = _scored("score_cooperation.py", folder, rows)
    both = _scored("score_cooperation.py", folder, rows, "--parties", "PK,CN")
    assert every["f1"] >= FLOORS[name][1] and both["f1"] >= FLOORS[name][2], (every["f1"], both["f1"])
