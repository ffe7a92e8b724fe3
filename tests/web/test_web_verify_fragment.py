"""The auditor's verify verdict names a record only when the problem has one (key history, witness)."""

from __future__ import annotations

import pytest

from outrider.audit.chain import Verdict
from outrider.web.templating import environment


@pytest.mark.parametrize("lang", ["en", "zh_Hans", "ur"])
def test_a_problem_without_a_record_names_none(lang: str) -> None:
    verdict = Verdict(False, 0, 0, "", 0, None, "the newest key is not the server key")
    html = environment(lang).get_template("fragments/verify.html").render(v=verdict)
    assert "None" not in html and "the newest key is not the server key" in html
    if lang == "en":
        assert "The chain is broken:" in html


@pytest.mark.parametrize("lang", ["en", "zh_Hans", "ur"])
def test_a_problem_at_a_record_names_it(lang: str) -> None:
    verdict = Verdict(False, 7, 6, "ab", 1, 7, "record 7 was changed")
    html = environment(lang).get_template("fragments/verify.html").render(v=verdict)
    assert "7" in html and "None" not in html
