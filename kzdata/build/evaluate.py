"""Extraction quality: the rules' claims against the hand-made gold set.

Two matchings are scored side by side.

**Facts** — what the evaluation has always counted, once per article however often the text
repeats it:

- numeric claims: (article, predicate, value amount), so "164 killed" in one article is one
  fact; a vague or range figure (amount null) is the fact (article, predicate, null);
- arrest, release, resignation, appointment, order_given: (article, predicate, subject);
- characterization: (article, predicate, claimant); internet_shutdown: (article, predicate).

Per predicate: precision = matched / predicted facts, recall = matched / gold facts,
claimant accuracy = share of matched facts where a predicted claimant is one the gold set
gives for that fact (null = the outlet), and stated_on accuracy = share of matched facts
the gold set dates where a predicted stated_on is one the gold set gives.

**Spans** — claims matched one to one, as quotation-attribution work scores them: a predicted
claim and a gold claim of the same article and predicate are a candidate pair when their
character spans overlap by at least 0.3 of the gold span (overlap / gold length). Pairs are
taken greedily, the largest overlap first (ties: same fact first, then text order), each claim
in at most one pair. Precision, recall and F1 are reported at 0.3 (``*_03``) and 0.8
(``*_08``); the 0.8 pairs are the 0.3 pairs that overlap by 0.8 or more. Over the 0.3 pairs:

- claimant strict = same claimant id (null = the outlet is a value like any other);
- claimant lenient = same organisation family (:data:`FAMILIES`, ``families.yaml``: a body
  with the people who speak for it; an actor listed nowhere is its own family);
- relay = same set of relay ids, over the pairs where gold or prediction has a relay;
- status = same status, over the pairs where gold or prediction is retracted.

Gold claims (and predictions) repeated at the same span with the same fact count once.
``numeric`` pools the predicates detained, killed, injured and troops_deployed, the ones the
targets in :data:`TARGETS` apply to; ``all`` pools every predicate; ``named_arrests`` is the
arrest facts (and claims) with a named subject.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from fnmatch import fnmatchcase
from functools import cache
from pathlib import Path

import yaml

from kzdata.build.gold import GoldArticle, load_gold
from kzdata.errors import UsageError
from kzdata.extract import extract_article
from kzdata.records import ids
from kzdata.records.models import Claim
from kzdata.records.vocab import Predicate, Status

NUMERIC = (Predicate.DETAINED, Predicate.KILLED, Predicate.INJURED, Predicate.TROOPS_DEPLOYED)
TARGETS = {"recall": 0.95, "precision": 0.9, "claimant_accuracy": 0.9}
OVERLAPS = (0.3, 0.8)
FAMILIES = Path(__file__).with_name("families.yaml")
OUTLET = "outlet"
_SUBJECT_PREDICATES = frozenset(
    {Predicate.ARREST, Predicate.RELEASE, Predicate.RESIGNATION, Predicate.APPOINTMENT, Predicate.ORDER_GIVEN}
)

FactKey = tuple[str, str, object]
Selector = Callable[[FactKey], bool]


def _ratio(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def _f1(matched: int, gold: int, predicted: int) -> float | None:
    return _ratio(2 * matched, gold + predicted)


@dataclass(frozen=True)
class SpanScore:
    """Span-overlap matching of one predicate (or pool): counts, P/R/F1 and pair accuracies."""

    gold: int = 0
    predicted: int = 0
    matched_03: int = 0
    matched_08: int = 0
    claimant_strict: int = 0
    claimant_lenient: int = 0
    relayed: int = 0
    relay_correct: int = 0
    retracted: int = 0
    status_correct: int = 0
    precision_03: float | None = field(init=False)
    recall_03: float | None = field(init=False)
    f1_03: float | None = field(init=False)
    precision_08: float | None = field(init=False)
    recall_08: float | None = field(init=False)
    f1_08: float | None = field(init=False)
    claimant_strict_accuracy: float | None = field(init=False)
    claimant_lenient_accuracy: float | None = field(init=False)
    relay_accuracy: float | None = field(init=False)
    status_accuracy: float | None = field(init=False)

    def __post_init__(self) -> None:
        for suffix, matched in (("03", self.matched_03), ("08", self.matched_08)):
            object.__setattr__(self, f"precision_{suffix}", _ratio(matched, self.predicted))
            object.__setattr__(self, f"recall_{suffix}", _ratio(matched, self.gold))
            object.__setattr__(self, f"f1_{suffix}", _f1(matched, self.gold, self.predicted))
        object.__setattr__(self, "claimant_strict_accuracy", _ratio(self.claimant_strict, self.matched_03))
        object.__setattr__(self, "claimant_lenient_accuracy", _ratio(self.claimant_lenient, self.matched_03))
        object.__setattr__(self, "relay_accuracy", _ratio(self.relay_correct, self.relayed))
        object.__setattr__(self, "status_accuracy", _ratio(self.status_correct, self.retracted))


@dataclass(frozen=True)
class Score:
    """Fact counts and ratios for one predicate (or a pool), with its span-overlap score."""

    predicate: str
    gold: int
    predicted: int
    matched: int
    claimant_correct: int
    dated: int = 0
    dated_correct: int = 0
    span: SpanScore = field(default_factory=SpanScore)
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
    """A fact the rules missed, invented, or got wrong (claimant, date, relay, status)."""

    article: str
    predicate: str
    value: str
    quote: str
    expected: list[str | None] = field(default_factory=list)
    got: list[str | None] = field(default_factory=list)


@dataclass(frozen=True)
class EvaluationReport:
    """The whole evaluation: scores per predicate, pooled scores, and the findings."""

    articles: list[str]
    scores: list[Score]
    numeric: Score
    targets: dict[str, float]
    misses: list[Finding]
    false_positives: list[Finding]
    claimant_errors: list[Finding]
    date_errors: list[Finding] = field(default_factory=list)
    overall: Score = field(default_factory=lambda: Score("all", 0, 0, 0, 0))
    named_arrests: Score = field(default_factory=lambda: Score("named_arrests", 0, 0, 0, 0))
    family_errors: list[Finding] = field(default_factory=list)
    relay_errors: list[Finding] = field(default_factory=list)
    status_errors: list[Finding] = field(default_factory=list)

    @property
    def meets_targets(self) -> bool:
        """True when the pooled numeric score reaches every target."""
        return all((getattr(self.numeric, name) or 0.0) >= bar for name, bar in self.targets.items())

    def to_dict(self) -> dict[str, object]:
        """The report as plain JSON-ready data (what ``--format json`` prints)."""
        data = asdict(self)
        data["meets_targets"] = self.meets_targets
        return data


# --- organisation families ----------------------------------------------------------------


def _actor_key(name: str) -> str:
    return name if name.startswith("act-") else ids.actor_id(name)


@cache
def _families() -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    data = yaml.safe_load(FAMILIES.read_text(encoding="utf-8"))
    members: dict[str, str] = {}
    patterns: list[tuple[str, str]] = []
    for family, raw in data["families"].items():
        members.update({_actor_key(name): family for name in raw.get("members") or ()})
        patterns.extend((glob, family) for glob in raw.get("patterns") or ())
    return members, tuple(patterns)


def family(actor: str | None) -> str:
    """The organisation family of an actor id (:data:`FAMILIES`); null is the outlet's."""
    if actor is None:
        return OUTLET
    members, patterns = _families()
    if actor in members:
        return members[actor]
    return next((name for glob, name in patterns if fnmatchcase(actor, glob)), actor)


# --- facts --------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class _Item:
    """One claim as both matchings see it."""

    key: FactKey
    span: tuple[int, int]
    claimant: str | None
    relays: frozenset[str]
    status: Status
    quote: str
    stated_on: date | None


@dataclass
class _Side:
    claimants: dict[FactKey, set[str | None]] = field(default_factory=lambda: defaultdict(set))
    quotes: dict[FactKey, str] = field(default_factory=dict)
    stated: dict[FactKey, set[str]] = field(default_factory=lambda: defaultdict(set))
    items: dict[tuple[FactKey, tuple[int, int]], _Item] = field(default_factory=dict)

    def add(self, item: _Item) -> None:
        self.claimants[item.key].add(item.claimant)
        self.quotes.setdefault(item.key, item.quote)
        if item.stated_on is not None:
            self.stated[item.key].add(item.stated_on.isoformat())
        self.items.setdefault((item.key, item.span), item)


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
            side.add(
                _Item(key, claim.span, claim.claimant_id, claim.relay_ids, claim.status, claim.quote, claim.stated_on)
            )
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
            span = (claim.span.start, claim.span.end)
            relays = frozenset(claim.relayed_by)
            side.add(_Item(key, span, claim.claimant_id, relays, claim.status, claim.quote, claim.stated_on))
    return side


# --- span overlap -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Pair:
    gold: _Item
    predicted: _Item
    overlap: float


def overlap(gold: tuple[int, int], predicted: tuple[int, int]) -> float:
    """Share of the gold span that the predicted span covers (0 for an empty gold span)."""
    length = gold[1] - gold[0]
    shared = min(gold[1], predicted[1]) - max(gold[0], predicted[0])
    return max(shared, 0) / length if length > 0 else 0.0


def _order(item: _Item) -> tuple[int, int, str]:
    return (item.span[0], item.span[1], str(item.key))


def span_pairs(gold: Iterable[_Item], predicted: Iterable[_Item], threshold: float = OVERLAPS[0]) -> list[_Pair]:
    """One-to-one pairs of the same article and predicate overlapping by ``threshold`` or more."""
    groups: dict[tuple[str, str], tuple[list[_Item], list[_Item]]] = defaultdict(lambda: ([], []))
    for item in gold:
        groups[item.key[:2]][0].append(item)
    for item in predicted:
        groups[item.key[:2]][1].append(item)
    pairs: list[_Pair] = []
    for group in sorted(groups):
        golds, preds = (sorted(items, key=_order) for items in groups[group])
        candidates = sorted(
            (-overlap(g.span, p.span), g.key != p.key, i, j)
            for i, g in enumerate(golds)
            for j, p in enumerate(preds)
            if overlap(g.span, p.span) >= threshold
        )
        used_g: set[int] = set()
        used_p: set[int] = set()
        for ratio, _, i, j in candidates:
            if i not in used_g and j not in used_p:
                used_g.add(i)
                used_p.add(j)
                pairs.append(_Pair(golds[i], preds[j], -ratio))
    return pairs


def _span_score(gold: list[_Item], predicted: list[_Item], pairs: list[_Pair]) -> SpanScore:
    relayed = [p for p in pairs if p.gold.relays or p.predicted.relays]
    retracted = [p for p in pairs if Status.RETRACTED in (p.gold.status, p.predicted.status)]
    return SpanScore(
        gold=len(gold),
        predicted=len(predicted),
        matched_03=len(pairs),
        matched_08=sum(1 for p in pairs if p.overlap >= OVERLAPS[1]),
        claimant_strict=sum(1 for p in pairs if p.gold.claimant == p.predicted.claimant),
        claimant_lenient=sum(1 for p in pairs if family(p.gold.claimant) == family(p.predicted.claimant)),
        relayed=len(relayed),
        relay_correct=sum(1 for p in relayed if p.gold.relays == p.predicted.relays),
        retracted=len(retracted),
        status_correct=sum(1 for p in retracted if p.gold.status == p.predicted.status),
    )


# --- the report ---------------------------------------------------------------------------


def _finding(
    key: FactKey,
    quote: str,
    expected: Iterable[str | None] = (),
    got: Iterable[str | None] = (),
) -> Finding:
    return Finding(key[0], key[1], str(key[2]), quote, sorted(expected, key=str), sorted(got, key=str))


def _pair_findings(
    pairs: list[_Pair], wrong: Callable[[_Pair], bool], values: Callable[[_Item], Sequence[str | None]]
) -> list[Finding]:
    return [_finding(p.gold.key, p.gold.quote, values(p.gold), values(p.predicted)) for p in pairs if wrong(p)]


def _named_arrest(key: FactKey) -> bool:
    return key[1] == Predicate.ARREST.value and key[2] is not None


def score(gold: list[GoldArticle], predicted: dict[str, list[Claim]]) -> EvaluationReport:
    """Compare predicted claims (by article file name) with the gold set."""
    g, p = _gold_side(gold), _predicted_side(predicted)
    matched = set(g.claimants) & set(p.claimants)
    correct = {k for k in matched if g.claimants[k] & p.claimants[k]}
    dated = {k for k in matched if g.stated[k]}
    dated_correct = {k for k in dated if g.stated[k] & p.stated[k]}
    pairs = span_pairs(g.items.values(), p.items.values())
    predicates = sorted({k[1] for k in g.claimants} | {k[1] for k in p.claimants})

    def make(name: str, keep: Selector) -> Score:
        def count(keys: set[FactKey]) -> int:
            return sum(1 for k in keys if keep(k))

        span = _span_score(
            [i for i in g.items.values() if keep(i.key)],
            [i for i in p.items.values() if keep(i.key)],
            [x for x in pairs if keep(x.gold.key) and keep(x.predicted.key)],
        )
        return Score(
            name,
            count(set(g.claimants)),
            count(set(p.claimants)),
            count(matched),
            count(correct),
            count(dated),
            count(dated_correct),
            span,
        )

    def of(names: set[str]) -> Selector:
        return lambda key: key[1] in names

    relayed = [x for x in pairs if x.gold.relays or x.predicted.relays]
    retracted = [x for x in pairs if Status.RETRACTED in (x.gold.status, x.predicted.status)]
    return EvaluationReport(
        articles=[a.article for a in gold],
        scores=[make(name, of({name})) for name in predicates],
        numeric=make("numeric", of({x.value for x in NUMERIC})),
        targets=dict(TARGETS),
        misses=[_finding(k, g.quotes[k]) for k in sorted(set(g.claimants) - matched, key=str)],
        false_positives=[_finding(k, p.quotes[k]) for k in sorted(set(p.claimants) - matched, key=str)],
        claimant_errors=[
            _finding(k, g.quotes[k], g.claimants[k], p.claimants[k]) for k in sorted(matched - correct, key=str)
        ],
        date_errors=[
            _finding(k, g.quotes[k], g.stated[k], p.stated[k]) for k in sorted(dated - dated_correct, key=str)
        ],
        overall=make("all", of(set(predicates))),
        named_arrests=make("named_arrests", _named_arrest),
        family_errors=_pair_findings(
            pairs, lambda x: family(x.gold.claimant) != family(x.predicted.claimant), lambda i: [i.claimant]
        ),
        relay_errors=_pair_findings(relayed, lambda x: x.gold.relays != x.predicted.relays, lambda i: sorted(i.relays)),
        status_errors=_pair_findings(
            retracted, lambda x: x.gold.status != x.predicted.status, lambda i: [i.status.value]
        ),
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
