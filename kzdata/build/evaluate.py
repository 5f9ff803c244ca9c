"""Extraction quality: the rules' claims against the hand-made gold set.

A *fact* is what the evaluation counts, once per article however often the text repeats it:

- numeric claims: (article, predicate, value amount), so "164 killed" in one article is one
  fact; a vague or range figure (amount null) is the fact (article, predicate, null);
- arrest, release, resignation, appointment, order_given: (article, predicate, subject);
- characterization: (article, predicate, claimant); internet_shutdown: (article, predicate).

Per predicate: precision = matched / predicted facts, recall = matched / gold facts,
claimant accuracy = share of matched facts where a predicted claimant is one the gold set
gives for that fact (null = the outlet), and stated_on accuracy = share of matched facts
the gold set dates where a predicted stated_on is one the gold set gives. ``numeric`` pools
the predicates detained, killed, injured and troops_deployed, the ones the targets in
:data:`TARGETS` apply to.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from kzdata.build.gold import GoldArticle, load_gold
from kzdata.errors import UsageError
from kzdata.extract import extract_article
from kzdata.records.models import Claim
from kzdata.records.vocab import Predicate

NUMERIC = (Predicate.DETAINED, Predicate.KILLED, Predicate.INJURED, Predicate.TROOPS_DEPLOYED)
TARGETS = {"recall": 0.95, "precision": 0.9, "claimant_accuracy": 0.9}
_SUBJECT_PREDICATES = frozenset(
    {Predicate.ARREST, Predicate.RELEASE, Predicate.RESIGNATION, Predicate.APPOINTMENT, Predicate.ORDER_GIVEN}
)

FactKey = tuple[str, str, object]


@dataclass(frozen=True)
class Score:
    """Counts and ratios for one predicate (or the pooled numeric predicates)."""

    predicate: str
    gold: int
    predicted: int
    matched: int
    claimant_correct: int
    dated: int = 0
    dated_correct: int = 0
    precision: float | None = field(init=False)
    recall: float | None = field(init=False)
    claimant_accuracy: float | None = field(init=False)
    stated_on_accuracy: float | None = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "precision", _ratio(self.matched, self.predicted))
        object.__setattr__(self, "recall", _ratio(self.matched, self.gold))
        object.__setattr__(self, "claimant_accuracy", _ratio(self.claimant_correct, self.matched))
        object.__setattr__(self, "stated_on_accuracy", _ratio(self.dated_correct, self.dated))


@dataclass(frozen=True)
class Finding:
    """A fact the rules missed, invented, or attributed to the wrong claimant."""

    article: str
    predicate: str
    value: str
    quote: str
    expected: list[str | None] = field(default_factory=list)
    got: list[str | None] = field(default_factory=list)


@dataclass(frozen=True)
class EvaluationReport:
    """The whole evaluation: scores per predicate, pooled numeric score, and the findings."""

    articles: list[str]
    scores: list[Score]
    numeric: Score
    targets: dict[str, float]
    misses: list[Finding]
    false_positives: list[Finding]
    claimant_errors: list[Finding]
    date_errors: list[Finding] = field(default_factory=list)

    @property
    def meets_targets(self) -> bool:
        """True when the pooled numeric score reaches every target."""
        return all((getattr(self.numeric, name) or 0.0) >= bar for name, bar in self.targets.items())

    def to_dict(self) -> dict[str, object]:
        """The report as plain JSON-ready data (what ``--format json`` prints)."""
        data = asdict(self)
        data["meets_targets"] = self.meets_targets
        return data


def _ratio(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def fact_key(
    article: str, predicate: Predicate, *, amount: object, subject: str | None, claimant: str | None, numeric: bool
) -> FactKey:
    """The fact a claim states (see the module docstring)."""
    if numeric:
        return (article, predicate.value, amount)
    if predicate in _SUBJECT_PREDICATES:
        return (article, predicate.value, subject)
    if predicate is Predicate.CHARACTERIZATION:
        return (article, predicate.value, claimant)
    return (article, predicate.value, None)


@dataclass
class _Side:
    claimants: dict[FactKey, set[str | None]] = field(default_factory=lambda: defaultdict(set))
    quotes: dict[FactKey, str] = field(default_factory=dict)
    stated: dict[FactKey, set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(self, key: FactKey, claimant: str | None, quote: str, stated_on: date | None) -> None:
        self.claimants[key].add(claimant)
        self.quotes.setdefault(key, quote)
        if stated_on is not None:
            self.stated[key].add(stated_on.isoformat())


def _gold_side(articles: Iterable[GoldArticle]) -> _Side:
    side = _Side()
    for article in articles:
        for claim in article.claims:
            key = fact_key(
                article.article,
                claim.predicate,
                amount=claim.amount,
                subject=claim.subject_id,
                claimant=claim.claimant_id,
                numeric=claim.numeric,
            )
            side.add(key, claim.claimant_id, claim.quote, claim.stated_on)
    return side


def _predicted_side(predicted: dict[str, list[Claim]]) -> _Side:
    side = _Side()
    for article, claims in predicted.items():
        for claim in claims:
            amount = claim.value.amount if claim.value else None
            key = fact_key(
                article,
                claim.predicate,
                amount=amount,
                subject=claim.subject_id,
                claimant=claim.claimant_id,
                numeric=claim.value is not None,
            )
            side.add(key, claim.claimant_id, claim.quote, claim.stated_on)
    return side


def _finding(
    key: FactKey,
    quote: str,
    expected: set[str] | set[str | None] | None = None,
    got: set[str] | set[str | None] | None = None,
) -> Finding:
    return Finding(key[0], key[1], str(key[2]), quote, sorted(expected or (), key=str), sorted(got or (), key=str))


def score(gold: list[GoldArticle], predicted: dict[str, list[Claim]]) -> EvaluationReport:
    """Compare predicted claims (by article file name) with the gold set."""
    g, p = _gold_side(gold), _predicted_side(predicted)
    matched = set(g.claimants) & set(p.claimants)
    correct = {k for k in matched if g.claimants[k] & p.claimants[k]}
    dated = {k for k in matched if g.stated[k]}
    dated_correct = {k for k in dated if g.stated[k] & p.stated[k]}
    predicates = sorted({k[1] for k in g.claimants} | {k[1] for k in p.claimants})

    def count(keys: set[FactKey], names: set[str]) -> int:
        return sum(1 for k in keys if k[1] in names)

    def make(name: str, names: set[str]) -> Score:
        return Score(
            name,
            count(set(g.claimants), names),
            count(set(p.claimants), names),
            count(matched, names),
            count(correct, names),
            count(dated, names),
            count(dated_correct, names),
        )

    return EvaluationReport(
        articles=[a.article for a in gold],
        scores=[make(name, {name}) for name in predicates],
        numeric=make("numeric", {x.value for x in NUMERIC}),
        targets=dict(TARGETS),
        misses=[_finding(k, g.quotes[k]) for k in sorted(set(g.claimants) - matched, key=str)],
        false_positives=[_finding(k, p.quotes[k]) for k in sorted(set(p.claimants) - matched, key=str)],
        claimant_errors=[
            _finding(k, g.quotes[k], g.claimants[k], p.claimants[k]) for k in sorted(matched - correct, key=str)
        ],
        date_errors=[
            _finding(k, g.quotes[k], g.stated[k], p.stated[k]) for k in sorted(dated - dated_correct, key=str)
        ],
    )


def _extract_dir(articles_dir: Path, names: Iterable[str]) -> dict[str, list[Claim]]:
    """The claims :func:`kzdata.extract.extract_article` (the build's code path) finds in each article."""
    return {name: [r for r in extract_article(articles_dir / name) if isinstance(r, Claim)] for name in names}


def evaluate(gold_dir: Path, articles_dir: Path) -> EvaluationReport:
    """Run the rules on every article of the gold set and score them against it."""
    for label, directory in (("gold", gold_dir), ("articles", articles_dir)):
        if not directory.is_dir():
            raise UsageError(f"{directory}: no such {label} directory", f"pass --{label} DIR")
    gold = load_gold(gold_dir, articles_dir)
    return score(gold, _extract_dir(articles_dir, [a.article for a in gold]))
