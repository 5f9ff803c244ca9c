"""Extraction quality against the hand-made gold set: a regression gate, and the CLI."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from kzdata.build.evaluate import NUMERIC, TARGETS, EvaluationReport, evaluate, score
from kzdata.build.gold import GoldArticle, GoldClaim, load_gold
from kzdata.cli.render import json_text
from kzdata.errors import InputError, UsageError
from kzdata.records import ids
from kzdata.records.models import Claim, Span, Value
from kzdata.records.vocab import Method, Predicate, Qualifier, Unit

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "data" / "gold"
ARTICLES = ROOT / "seeds" / "articles"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kzdata", "evaluate", *args], capture_output=True, text=True, cwd=ROOT, check=False
    )


@pytest.fixture(scope="module")
def seeds_report() -> EvaluationReport:
    return evaluate(GOLD, ARTICLES)


def test_seed_extraction_meets_the_numeric_targets(seeds_report: EvaluationReport) -> None:
    numeric = seeds_report.numeric
    assert numeric.gold >= 20  # every seed figure is annotated
    assert numeric.recall >= TARGETS["recall"]
    assert numeric.precision >= TARGETS["precision"]
    assert numeric.claimant_accuracy >= TARGETS["claimant_accuracy"]
    assert seeds_report.meets_targets
    assert numeric.dated >= 5
    assert numeric.stated_on_accuracy is not None
    assert numeric.stated_on_accuracy >= 0.85


def test_every_numeric_predicate_is_scored_on_its_own(seeds_report: EvaluationReport) -> None:
    scored = {s.predicate: s for s in seeds_report.scores}
    for predicate in NUMERIC:
        assert scored[predicate.value].gold > 0
        assert scored[predicate.value].recall is not None


def test_gold_quotes_match_the_articles_at_their_spans() -> None:
    gold = load_gold(GOLD, ARTICLES)
    assert sorted(a.article for a in gold) == sorted(p.name for p in ARTICLES.glob("*.txt"))
    for article in gold:
        text = (ARTICLES / article.article).read_text(encoding="utf-8")
        for claim in article.claims:
            assert text[claim.span[0] : claim.span[1]] == claim.quote


def test_gold_claimants_use_canonical_actor_names() -> None:
    actors = yaml.safe_load((ROOT / "kzdata" / "rules" / "data" / "actors.yaml").read_text(encoding="utf-8"))
    known = {raw["name"] for raw in actors["actors"]}
    for article in load_gold(GOLD, ARTICLES):
        named = {c.claimant for c in article.claims} | {n for c in article.claims for n in c.relayed_by}
        named.discard(None)
        for name in named:
            assert name in known or name in article.actors, (article.article, name)


def _claim(predicate: Predicate, amount: int, claimant: str | None, start: int) -> Claim:
    source = "src-" + "0" * 12
    return Claim(
        record_type="claim",
        id=ids.claim_id(source, start, start + 5, predicate.value),
        source_id=source,
        claimant_id=claimant,
        predicate=predicate,
        quote="quote",
        span=Span(start=start, end=start + 5),
        value=Value(amount=amount, unit=Unit.PEOPLE, qualifier=Qualifier.EXACT),
        method=Method.RULE,
        confidence=0.9,
    )


def _gold(predicate: Predicate, amount: int, claimant: str | None) -> GoldClaim:
    return GoldClaim(predicate, "quote", (0, 5), claimant, amount, Qualifier.EXACT, Unit.PEOPLE)


def test_score_counts_facts_once_and_checks_claimants() -> None:
    gold = [
        GoldArticle(
            "a.txt",
            Path("a.yaml"),
            (
                _gold(Predicate.KILLED, 164, "Ministry of Health of Kazakhstan"),
                _gold(Predicate.KILLED, 164, "Ministry of Health of Kazakhstan"),  # repeated: one fact
                _gold(Predicate.DETAINED, 5800, None),
                _gold(Predicate.INJURED, 1300, "Kassym-Jomart Tokayev"),
            ),
            {},
        ),
    ]
    predicted = {
        "a.txt": [
            _claim(Predicate.KILLED, 164, "act-ministry-of-health-of-kazakhstan", 0),
            _claim(Predicate.DETAINED, 5800, "act-government-of-kazakhstan", 10),  # wrong claimant
            _claim(Predicate.DETAINED, 8, None, 20),  # not in gold
        ]
    }
    report = score(gold, predicted)
    numeric = report.numeric
    assert (numeric.gold, numeric.predicted, numeric.matched, numeric.claimant_correct) == (3, 3, 2, 1)
    assert numeric.precision == pytest.approx(2 / 3, abs=1e-4)
    assert numeric.recall == pytest.approx(2 / 3, abs=1e-4)
    assert numeric.claimant_accuracy == 0.5
    assert not report.meets_targets
    assert [(f.predicate, f.value) for f in report.misses] == [("injured", "1300")]
    assert [(f.predicate, f.value) for f in report.false_positives] == [("detained", "8")]
    assert [(f.expected, f.got) for f in report.claimant_errors] == [([None], ["act-government-of-kazakhstan"])]


def test_stated_on_is_scored_where_the_gold_dates_a_fact() -> None:
    dated = GoldClaim(
        Predicate.KILLED, "q", (0, 1), None, 164, Qualifier.EXACT, Unit.PEOPLE, stated_on=date(2022, 1, 9)
    )
    undated = GoldClaim(Predicate.DETAINED, "q", (0, 1), None, 5800, Qualifier.EXACT, Unit.PEOPLE)
    gold = [GoldArticle("a.txt", Path("a.yaml"), (dated, undated), {})]
    right = _claim(Predicate.KILLED, 164, None, 0).model_copy(update={"stated_on": date(2022, 1, 9)})
    predicted = {"a.txt": [right, _claim(Predicate.DETAINED, 5800, None, 10)]}
    assert (score(gold, predicted).numeric.dated, score(gold, predicted).numeric.dated_correct) == (1, 1)
    wrong = right.model_copy(update={"stated_on": date(2022, 1, 10)})
    report = score(gold, {"a.txt": [wrong]})
    assert report.numeric.stated_on_accuracy == 0.0
    assert [(f.expected, f.got) for f in report.date_errors] == [(["2022-01-09"], ["2022-01-10"])]


def test_missing_directories_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        evaluate(tmp_path / "nope", ARTICLES)
    with pytest.raises(InputError, match="no gold files"):
        evaluate(tmp_path, ARTICLES)


def test_cli_text_report_exits_0_on_the_seeds() -> None:
    result = run()
    assert result.returncode == 0, result.stderr
    assert "numeric" in result.stdout
    assert "targets" in result.stdout and ": met" in result.stdout


def test_cli_json_is_the_library_report(seeds_report: EvaluationReport) -> None:
    result = run("--format", "json")
    assert result.returncode == 0, result.stderr
    assert result.stdout == json_text(seeds_report.to_dict())
    assert json.loads(result.stdout)["meets_targets"] is True


def test_cli_exits_1_when_the_targets_are_missed(tmp_path: Path) -> None:
    name = "002_3306cdd0fdd95139.yaml"
    data = yaml.safe_load((GOLD / name).read_text(encoding="utf-8"))
    for claim in data["claims"]:
        if claim.get("value"):
            claim["value"]["amount"] += 1  # figures the article does not state
    (tmp_path / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = run("--gold", str(tmp_path))
    assert result.returncode == 1
    assert "NOT met" in result.stdout


def test_cli_exits_2_on_bad_input(tmp_path: Path) -> None:
    assert run("--gold", str(tmp_path / "missing")).returncode == 2
    assert run("--format", "xml").returncode == 2
    shutil.copy(GOLD / "004_fd595f87dceb385c.yaml", tmp_path)
    broken = tmp_path / "004_fd595f87dceb385c.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("span: [", "span: [1", 1), encoding="utf-8")
    result = run("--gold", str(tmp_path))
    assert result.returncode == 2
    assert "quote differs" in result.stderr
    assert "Traceback" not in result.stderr
