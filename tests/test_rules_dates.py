"""Date phrases resolved against the publication date (tests/data/rules/dates.yaml)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from kzdata.rules.dates import find_dates
from kzdata.rules.lexicon import lexicon
from kzdata.rules.text import tokenize
from tests.rules_support import cases

DATES = cases("dates.yaml")


@pytest.mark.parametrize("case", DATES["cases"], ids=[c["text"] for c in DATES["cases"]])
def test_date_phrase(case: dict[str, Any]) -> None:
    found = find_dates(tokenize(case["text"]), lexicon(), DATES["published"], case.get("context"))
    if case["date"] is None:
        assert found == []
        return
    assert len(found) == 1
    assert found[0].value == case["date"]
    assert found[0].precision.value == case.get("precision", "day")


def test_dates_without_publication_date_need_a_year() -> None:
    found = find_dates(tokenize("on January 10 and on 7 January 2022 and on Sunday"), lexicon(), None)
    assert [d.value for d in found] == [None, date(2022, 1, 7), None]


def test_impossible_dates_are_not_resolved() -> None:
    found = find_dates(tokenize("on February 30"), lexicon(), date(2022, 3, 1))
    assert [d.value for d in found] == [None]
