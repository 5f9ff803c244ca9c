"""How figures are read (tests/data/rules/quantities.yaml)."""

from __future__ import annotations

from typing import Any

import pytest

from kzdata.rules.lexicon import lexicon
from kzdata.rules.quantities import find_figures
from kzdata.rules.text import tokenize
from tests.rules_support import cases

QUANTITIES = cases("quantities.yaml")


@pytest.mark.parametrize("case", QUANTITIES["cases"], ids=[c["text"] for c in QUANTITIES["cases"]])
def test_figure(case: dict[str, Any]) -> None:
    figures = find_figures(tokenize(case["text"]), lexicon())
    if "figure" in case:
        assert figures == []
        return
    assert figures, case["text"]
    figure = figures[0]
    assert (figure.amount, figure.qualifier.value) == (case["amount"], case["qualifier"])
    assert (figure.low, figure.high) == (case.get("low"), case.get("high"))


def test_dates_are_skipped() -> None:
    tokens = tokenize("January 10 and 12 people")
    figures = find_figures(tokens, lexicon(), skip=frozenset({0, 1}))
    assert [f.amount for f in figures] == [12]
