"""Extraction quality on held-out sets A and B: regression floors, not targets.

Set B (``tests/data/heldout_b/``) is BLIND: written and annotated by someone who never read
the rules, and evaluated once, by the lead, after the last rule change of the session that
wrote it (numeric: precision 0.97, recall 0.82, claimant 0.85; all predicates: precision
0.84, recall 0.63, claimant 0.85). Its floors sit just under that single measurement. It
must not be used to develop rules; if it is, a set C must replace it (see its README).

Set A (``tests/data/heldout/``) HAS NOW BEEN USED FOR DEVELOPMENT: the failure classes
found on it (figures outside the main clause, claimants that are not a speech verb's
subject, characterizations and orders beyond "called"/"ordered", ...) were fixed with
general rules, so it is no longer held out. The floors below guard that work; the honest
held-out figure comes from set B (``tests/data/heldout_b/``), written by someone else.
Measured after the set-A rule work: numeric precision 1.00, recall 1.00, claimant 0.85;
all predicates precision 0.90, recall 0.82, claimant 0.89. After the second round (statement
subjects, appointments, title/republic/group claimants, key-event lists, carried dates):
numeric precision 1.00, recall 1.00, claimant 0.95; all predicates precision 0.99, recall
0.95, claimant 0.97.

The six articles of ``tests/data/heldout/`` were written in outlet styles the rules were
not developed against and annotated by hand before the rules ever ran on them. The floors
below sit slightly under what was measured at commit 188571f (numeric: precision 1.00,
recall 0.72, claimant 0.72; all predicates: precision 0.86, recall 0.56, claimant 0.74).
``boilerplate.yaml`` lists headlines, captions, link lists and footers that must yield no
claim. A rule change that loses ground on unseen text fails here;
a rule change that gains ground should raise the floors. Never tune a rule to a sentence
of these articles: it would stop being held out.

After the issue-12 rule work (relay chains, pronoun speakers, local bodies, custody
outcomes, named arrests), set B measured numeric precision 0.97, recall 0.90, claimant
0.97; all predicates precision 0.87, recall 0.72, claimant 0.95.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kzdata import sources
from kzdata.build.evaluate import EvaluationReport, Score, evaluate
from kzdata.records.models import Claim
from kzdata.rules import extract

ROOT = Path(__file__).resolve().parent.parent
SETS = {"A": ROOT / "tests" / "data" / "heldout", "B": ROOT / "tests" / "data" / "heldout_b"}
NUMERIC_FLOOR = {
    "A": {"precision": 0.97, "recall": 0.97, "claimant_accuracy": 0.92},
    "B": {"precision": 0.95, "recall": 0.88, "claimant_accuracy": 0.94},
}
OVERALL_FLOOR = {
    "A": {"precision": 0.96, "recall": 0.92, "claimant_accuracy": 0.95},
    "B": {"precision": 0.85, "recall": 0.70, "claimant_accuracy": 0.92},
}
MIN_NUMERIC_FACTS = 40  # the floors mean nothing if a gold set shrinks


@pytest.fixture(scope="module", params=sorted(SETS))
def heldout(request: pytest.FixtureRequest) -> tuple[str, EvaluationReport]:
    name = str(request.param)
    return name, evaluate(SETS[name] / "gold", SETS[name] / "articles")


def _pooled(scores: list[Score]) -> Score:
    return Score(
        "all",
        sum(s.gold for s in scores),
        sum(s.predicted for s in scores),
        sum(s.matched for s in scores),
        sum(s.claimant_correct for s in scores),
    )


def test_every_heldout_article_is_annotated_and_catalogued(heldout: tuple[str, EvaluationReport]) -> None:
    name, report = heldout
    articles = SETS[name] / "articles"
    names = sorted(p.name for p in articles.glob("*.txt"))
    assert len(names) == 6
    assert sorted(report.articles) == names
    for article in names:
        assert sources.find_catalogue(articles / article) == (SETS[name] / "sources.toml").resolve()
        listed = sources.listed_metadata(articles / article)
        assert listed is not None and listed.published is not None, article


MEASURES = ["claimant_accuracy", "precision", "recall"]


@pytest.mark.parametrize("measure", MEASURES)
def test_numeric_claims_stay_above_the_heldout_floor(heldout: tuple[str, EvaluationReport], measure: str) -> None:
    name, report = heldout
    assert report.numeric.gold >= MIN_NUMERIC_FACTS
    value = getattr(report.numeric, measure)
    assert value is not None and value >= NUMERIC_FLOOR[name][measure], (name, measure, value)


@pytest.mark.parametrize("measure", MEASURES)
def test_all_predicates_stay_above_the_heldout_floor(heldout: tuple[str, EvaluationReport], measure: str) -> None:
    name, report = heldout
    value = getattr(_pooled(report.scores), measure)
    assert value is not None and value >= OVERALL_FLOOR[name][measure], (name, measure, value)


def _boilerplate_cases() -> list[object]:
    cases: list[object] = []
    for name, folder in sorted(SETS.items()):
        data = yaml.safe_load((folder / "boilerplate.yaml").read_text(encoding="utf-8"))
        for article, entries in data.items():
            for entry in entries:
                marks = [pytest.mark.xfail(reason=entry["known_leak"], strict=True)] if "known_leak" in entry else []
                case_id = f"{name}:{article}:{entry['excerpt'][:30]}"
                cases.append(pytest.param(folder / "articles" / article, entry["excerpt"], marks=marks, id=case_id))
    return cases


@pytest.fixture(scope="module")
def extracted() -> dict[Path, list[Claim]]:
    out = {}
    for folder in SETS.values():
        for path in sorted((folder / "articles").glob("*.txt")):
            doc = sources.parse(path, listed=sources.listed_metadata(path))
            out[path] = [r for r in extract(doc) if isinstance(r, Claim)]
    return out


@pytest.mark.parametrize(("article", "excerpt"), _boilerplate_cases())
def test_boilerplate_yields_no_claim(extracted: dict[Path, list[Claim]], article: Path, excerpt: str) -> None:
    text = article.read_text(encoding="utf-8")
    start = text.find(excerpt)
    assert start >= 0 and text.find(excerpt, start + 1) < 0, "the excerpt must occur once in the article"
    end = start + len(excerpt)
    leaked = [c.quote for c in extracted[article] if c.span.start < end and start < c.span.end]
    assert leaked == []
