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

from kzdata.build.evaluate import NUMERIC, TARGETS, EvaluationReport, evaluate, family, overlap, score
from kzdata.build.gold import GoldArticle, GoldClaim, load_gold
from kzdata.cli.render import evaluation, json_text
from kzdata.errors import InputError, UsageError
from kzdata.records import ids
from kzdata.records.models import Claim, Span, Value
from kzdata.records.vocab import Method, Predicate, Qualifier, Status, Unit

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "data" / "gold"
ARTICLES = ROOT / "seeds" / "articles"
CASES = ROOT / "tests" / "data" / "evaluate"


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


# --- span overlap, claimant families, relays, status (tests/data/evaluate/) ---------------


def actor(name: str | None) -> str | None:
    return ids.actor_id(name) if name else None


def _value(raw: dict[str, object] | None) -> Value | None:
    if not raw:
        return None
    return Value(amount=raw["amount"], unit=Unit(raw["unit"]), qualifier=Qualifier(raw["qualifier"]))


def _predicted(path: Path, text: str) -> list[Claim]:
    """The claims of a ``predicted.yaml`` case file, located in the article by their quote."""
    source = "src-" + "0" * 12
    claims = []
    for raw in yaml.safe_load(path.read_text(encoding="utf-8")):
        start = text.index(raw["quote"])
        end = start + len(raw["quote"])
        claims.append(
            Claim(
                record_type="claim",
                id=ids.claim_id(source, start, end, raw["predicate"]),
                source_id=source,
                claimant_id=actor(raw.get("claimant")),
                relayed_by=[ids.actor_id(name) for name in raw.get("relayed_by") or ()],
                subject_id=actor(raw.get("subject")),
                predicate=Predicate(raw["predicate"]),
                value=_value(raw.get("value")),
                stated_on=raw.get("stated_on"),
                quote=raw["quote"],
                span=Span(start=start, end=end),
                method=Method.RULE,
                confidence=0.9,
                status=Status(raw.get("status", "reported")),
            )
        )
    return claims


@pytest.fixture(scope="module")
def case_report() -> EvaluationReport:
    gold = load_gold(CASES / "gold", CASES / "articles")
    text = (CASES / "articles" / "metrics.txt").read_text(encoding="utf-8")
    return score(gold, {"metrics.txt": _predicted(CASES / "predicted.yaml", text)})


def _expected() -> list[tuple[str, str, object]]:
    data = yaml.safe_load((CASES / "expected.yaml").read_text(encoding="utf-8"))
    return [(name, path, value) for name, figures in data.items() for path, value in figures.items()]


@pytest.mark.parametrize(("name", "path", "value"), _expected(), ids=str)
def test_case_figures(case_report: EvaluationReport, name: str, path: str, value: object) -> None:
    data = case_report.to_dict()
    pooled = {"numeric": data["numeric"], "all": data["overall"], "named_arrests": data["named_arrests"]}
    scores: dict[str, object] = {s["predicate"]: s for s in data["scores"]}  # type: ignore[attr-defined,index]
    found: object = pooled.get(name) or scores[name]
    for part in path.split("."):
        assert isinstance(found, dict)
        found = found[part]
    assert found == (pytest.approx(value, abs=1e-4) if isinstance(value, float) else value), (name, path)


def test_case_findings_name_the_relay_status_and_family(case_report: EvaluationReport) -> None:
    assert [(f.predicate, f.expected, f.got) for f in case_report.relay_errors] == [
        ("troops_deployed", ["act-reuters"], ["act-agence-france-presse"])
    ]
    assert [(f.predicate, f.expected, f.got) for f in case_report.status_errors] == [
        ("killed", ["retracted"], ["reported"])
    ]
    assert case_report.family_errors == []  # the interior minister speaks for the interior ministry
    assert [(f.predicate, f.got) for f in case_report.claimant_errors] == [("detained", ["act-yerlan-turgumbayev"])]


def test_overlap_is_the_share_of_the_gold_span() -> None:
    assert overlap((0, 10), (5, 20)) == 0.5
    assert overlap((0, 10), (0, 10)) == 1.0
    assert overlap((0, 10), (10, 20)) == 0.0
    assert overlap((5, 5), (0, 10)) == 0.0


def test_span_pairs_are_one_to_one_and_prefer_the_same_fact() -> None:
    """Two figures quoted in one sentence: each prediction pairs with the gold claim of its value."""
    gold = [
        GoldArticle(
            "a.txt", Path("a.yaml"), (_gold(Predicate.DETAINED, 9900, None), _gold(Predicate.DETAINED, 7939, None)), {}
        )
    ]
    predicted = {"a.txt": [_claim(Predicate.DETAINED, 7939, None, 0), _claim(Predicate.DETAINED, 9900, None, 0)]}
    span = score(gold, predicted).numeric.span
    assert (span.gold, span.predicted, span.matched_03, span.matched_08) == (2, 2, 2, 2)
    one = score(gold, {"a.txt": predicted["a.txt"][:1]}).numeric.span
    assert (one.matched_03, one.recall_03, one.precision_03) == (1, 0.5, 1.0)


def test_span_pairs_need_the_same_predicate_and_enough_overlap() -> None:
    gold = [GoldArticle("a.txt", Path("a.yaml"), (_gold(Predicate.KILLED, 164, None),), {})]  # span (0, 5)
    assert score(gold, {"a.txt": [_claim(Predicate.INJURED, 164, None, 0)]}).overall.span.matched_03 == 0
    assert score(gold, {"a.txt": [_claim(Predicate.KILLED, 164, None, 4)]}).numeric.span.matched_03 == 0  # 0.2
    assert score(gold, {"a.txt": [_claim(Predicate.KILLED, 164, None, 3)]}).numeric.span.matched_03 == 1  # 0.4


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Ministry of Internal Affairs of Kazakhstan", "Yerlan Turgumbayev"),
        ("Ministry of Internal Affairs of Kazakhstan", "Almaty Police Department"),
        ("Prosecutor General's Office of Kazakhstan", "Almaty Regional Prosecutor's Office"),
        ("Prosecutor General's Office of Kazakhstan", "Office of the Prosecutor General of Kazakhstan"),
        ("Kassym-Jomart Tokayev", "Office of the President of Kazakhstan"),
        ("Ministry of Health of Kazakhstan", "Azhar Giniyat"),
    ],
)
def test_a_body_and_those_who_speak_for_it_are_one_family(one: str, other: str) -> None:
    assert family(ids.actor_id(one)) == family(ids.actor_id(other))


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Government of Kazakhstan", "Ministry of Internal Affairs of Kazakhstan"),  # no reaching up
        ("Kassym-Jomart Tokayev", "Government of Kazakhstan"),
        ("Reuters", "Agence France-Presse"),  # unknown to families.yaml: each its own family
        ("Ministry of Health of Kazakhstan", None),  # the outlet is a family of its own
    ],
)
def test_other_actors_are_other_families(one: str, other: str | None) -> None:
    assert family(ids.actor_id(one)) != family(ids.actor_id(other) if other else None)
    assert family(None) == "outlet" and family("act-somebody") == "act-somebody"


def test_gold_reads_status_and_rejects_an_unknown_one(tmp_path: Path) -> None:
    claims = load_gold(CASES / "gold", CASES / "articles")[0].claims
    assert [c.status for c in claims if c.predicate is Predicate.KILLED] == [Status.RETRACTED]
    assert {c.status for c in claims if c.predicate is not Predicate.KILLED} == {Status.REPORTED}
    text = (CASES / "gold" / "metrics.yaml").read_text(encoding="utf-8").replace("status: retracted", "status: gone")
    (tmp_path / "metrics.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="claim 2"):
        load_gold(tmp_path, CASES / "articles")


def test_text_report_shows_fact_and_span_columns(case_report: EvaluationReport) -> None:
    text = evaluation(case_report)
    header = text.splitlines()[0].split()
    for column in ("P", "R", "claim", "stated", "F1@.3", "F1@.8", "strict", "lenient", "relay", "status"):
        assert column in header
    rows = {line.split()[0]: line.split() for line in text.splitlines()[1:] if "|" in line}
    assert rows["detained"][-6:] == ["1.00", "1.00", "0.00", "1.00", "-", "-"]
    assert rows["killed"][-6:] == ["1.00", "0.00", "1.00", "1.00", "-", "0.00"]
    assert {"numeric", "all", "named_arrests"} <= set(rows)
    assert "wrong relay: metrics.txt troops_deployed 2030" in text
    assert "wrong status: metrics.txt killed 164" in text


def test_cli_json_reports_span_figures_per_predicate() -> None:
    result = run("--gold", str(CASES / "gold"), "--articles", str(CASES / "articles"), "--format", "json")
    data = json.loads(result.stdout)
    for entry in [*data["scores"], data["numeric"], data["overall"], data["named_arrests"]]:
        assert {"f1_03", "f1_08", "claimant_strict_accuracy", "claimant_lenient_accuracy"} <= set(entry["span"])
        assert {"relay_accuracy", "status_accuracy", "precision_03", "recall_08"} <= set(entry["span"])
    assert {"family_errors", "relay_errors", "status_errors"} <= set(data)
