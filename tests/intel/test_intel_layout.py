"""The intelligence package as the house wants it: one list of incident fields, one re-dating rule, short
parts."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

from outrider.intel import events, gold, ingest, pipeline, redating
from outrider.intel.pipeline import TextInput, extract_documents
from outrider.intel.schemas import IncidentEdit

INTEL = Path(pipeline.__file__).parent


def test_event_and_gold_fields_derive_from_the_one_list_of_incident_fields() -> None:
    # the gold output keeps the order the evaluation corpus writes (the report's own flags last)
    legacy = "required date date_precision country admin1 city location_text lat lon attack_type weapon"
    legacy += " suicide target_type killed wounded killed_by_nationality wounded_by_nationality"
    assert tuple(f"{legacy} perpetrator claimed main_story".split()) == gold.GOLD_FIELDS
    assert set(gold.GOLD_FIELDS) | {"date_basis"} == set(events.INCIDENT_FIELDS)
    assert events.EVENT_FIELDS == (
        "date",
        "date_precision",
        "country",
        "admin1",
        "city",
        "location_text",
        "lat",
        "lon",
        "attack_type",
        "weapon",
        "suicide",
        "target_type",
        "killed",
        "wounded",
        "perpetrator",
        "claimed",
    )


def test_an_analyst_clears_only_the_values_an_incident_may_lack() -> None:
    assert IncidentEdit.nullable == {
        "date",
        "country",
        "admin1",
        "city",
        "location_text",
        "lat",
        "lon",
        "suicide",
        "killed",
        "wounded",
        "perpetrator",
        "claimed",
    }


def test_the_pipeline_and_ingest_re_date_by_the_one_rule() -> None:
    assert pipeline.redate is redating.redate and ingest.redate is redating.redate
    assert pipeline.awaits_day is redating.awaits_day and ingest.awaits_day is redating.awaits_day


UNDATED = (
    "Turbat bank raid: suspects named\n\nPolice named four suspects over Sunday's raid on a bank in "
    "Turbat, in which three guards were killed."
)


def test_an_undated_report_is_re_dated_on_its_event_s_day() -> None:
    (res,) = list(extract_documents([TextInput("weekly", UNDATED)]))
    assert res.published is None and redating.awaits_day(res)
    (inc,) = redating.redate(res, date(2034, 3, 12))
    # "Sunday's raid", counted back from the day another report gives the event
    assert (inc["doc_id"], inc["city"], inc["date"]) == ("weekly", "Turbat", "2034-03-12")
    dated = "Published: 14 March 2034\n\n" + UNDATED
    (res,) = list(extract_documents([TextInput("wire", dated)]))
    assert not redating.awaits_day(res)


def test_no_function_of_intelligence_is_over_60_lines_and_no_module_over_400() -> None:
    long_functions, long_modules = [], []
    for path in sorted(INTEL.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        if source.count("\n") > 400:
            long_modules.append(path.name)
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                if node.end_lineno - node.lineno + 1 > 60:
                    long_functions.append(f"{path.name}:{node.lineno} {node.name}")
    assert long_functions == [] and long_modules == []
