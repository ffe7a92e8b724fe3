"""The one CSV writer: what a spreadsheet would run is written as text, and no cell can start a row."""

from __future__ import annotations

import csv
import io

import pytest

from outrider import csv_cells

TRICKS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


@pytest.mark.parametrize("text", TRICKS)
def test_a_formula_start_gets_a_leading_quote(text: str) -> None:
    assert csv_cells.inert(text) == "'" + text


@pytest.mark.parametrize("text", ["", "MOV-1", "a=b", "'=already", " =spaced", "3-2", "汉字", "اردو"])
def test_other_text_is_left_alone(text: str) -> None:
    assert csv_cells.inert(text) == text


def test_a_table_reads_back_with_every_trick_inert_and_numbers_untouched() -> None:
    rows = [{"name": t, "n": -3, "x": -33.9, "flag": None} for t in TRICKS]
    text = csv_cells.table(["name", "n", "x", "flag", "missing"], rows)
    back = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [r["name"] for r in back] == ["'" + t for t in TRICKS]
    assert {(r["n"], r["x"], r["flag"], r["missing"]) for r in back} == {("-3", "-33.9", "", "")}


def test_a_carriage_return_inside_a_cell_cannot_start_a_row_of_its_own() -> None:
    # unquoted, "x\r=cmd" would end the row at the \r and start a new one whose first cell runs
    text = csv_cells.table(["a", "b"], [{"a": "x\r=cmd()", "b": "y\n@SUM(A1)"}])
    assert text == 'a,b\r\n"x\r=cmd()","y\n@SUM(A1)"\r\n'
    assert list(csv.reader(io.StringIO(text, newline=""))) == [["a", "b"], ["x\r=cmd()", "y\n@SUM(A1)"]]
