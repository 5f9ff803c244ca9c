"""The quantities table: one row per quantity per reference day, with low / best / high.

A *quantity* is what a group of claims counts — ``(predicate, scope, unit)``, as in
:mod:`kzdata.build.relations`: "people detained nationwide", "people killed nationwide, security
forces" (the claim model has no separate population field: the scope carries it after the
place). A row summarises the numeric claims about one quantity whose reference day (``as_of``,
else ``stated_on``) is known to the day; claims dated only to a week or month, or not at all,
stay in the claims table and get no row.

**Standing claims.** Only *standing* claims give figures: not ``retracted`` (a deleted post),
not ``corrected`` (superseded by the claimant), and not withdrawn by a ``retracts`` relation
(the report of a post its author later deleted: the health ministry's 164 dead). Withdrawn
claims are still listed in ``claim_ids`` and counted in ``n_claims``; a row whose claims are
all withdrawn has null figures.

**low / high** are the smallest and the largest figure a standing claim *states*, whatever its
hedging: its amount, and the bounds of a range ("between 2,000 and 2,500" gives 2,000 and
2,500; "over 5,000" gives 5,000). They are the spread of what was said, not bounds on the
truth; the claims keep their qualifiers.

**best** is chosen by one of the rules of :class:`~kzdata.vocab.BestRule`, named in ``rule``:

1. ``official_latest`` — when the body responsible for the count (``kzdata/build/data/responsible.yaml``:
   predicate → actor ids) gave an exact or approximate figure that day, best is its newest
   one: latest ``stated_on``; then the figure more sources carry (a transcription error
   is usually in one source only); then the body listed first; then the lower figure; then
   the smaller claim id. This figure is also ``latest_official``.
2. ``median_of_claimants`` — otherwise each distinct claimant (a claim without claimant
   counts as its source's outlet) contributes its newest exact or approximate figure of the
   day (same tie-breaks), and best is the median; for an even number, the lower of the two
   middle figures, so that best is always a figure someone stated, never an average.
3. ``no_point_figure`` — no standing exact or approximate figure (only bounds such as "over
   5,000"): best is null, low / high still show the bounds.

"About 5,800" counts as 5,800 for best, low and high (its qualifier stays in the claim); bounded
figures (over, at_least, almost, up_to, under, range, vague) never become best. ``best_claim_ids``
are the standing claims stating best as an exact or approximate figure. ``contested`` is true
when a ``contradicts`` relation links two standing claims of the row.

Worked example, people detained nationwide (the seeds)::

    9 Jan   5,800  Office of the President ("about")   5,800  Government
            5,969  Ministry of Internal Affairs            responsible for detentions
    10 Jan  7,939  Ministry of Internal Affairs (two sources)
            7,989  Ministry of Internal Affairs (one source; one of the two is a typo)
            8,000  Government ("about")

- 9 Jan: low 5,800 (president's office, government), high 5,969; the ministry gave 5,969, so
  best = latest_official = 5,969, rule ``official_latest``; contested (5,969 contradicts
  5,800). Without the ministry: median of {5,800, 5,800} = 5,800, ``median_of_claimants``.
- 10 Jan: low 7,939, high 8,000; the ministry's two figures were stated the same day, 7,939
  is carried by two sources and 7,989 by one, so best = latest_official = 7,939; contested
  (7,939 contradicts 7,989). Without the ministry: the claimants' figures {7,939, 8,000}
  give the lower median 7,939.

How this differs from the event datasets: ACLED keeps the lowest reported figure — that is
our ``low``, here 5,800 and 7,939, kept next to the others rather than instead of them. UCDP
GED codes a low / best / high per event, where best is the coders' judgement of the most
reliable figure and none of the three says who stated it; here best follows a rule named in
the row, each of low / best / high lists the claims (and so the claimants and sources) behind
it, and the responsible body's own latest figure is shown even when it is not best.

Rows are sorted by id and do not depend on the order of the inputs.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from importlib import resources
from pathlib import Path

import yaml

from kzdata.build.relations import exact_day, reference_day
from kzdata.errors import DataError
from kzdata.records import ids
from kzdata.records.models import Claim, ClaimRelation, Quantity
from kzdata.records.vocab import BestRule, Predicate, Qualifier, Relation, Status, Unit

Responsible = Mapping[Predicate, Sequence[str]]
"""Predicate → the actor ids responsible for its official count, first listed first."""
WITHDRAWN = frozenset({Status.RETRACTED, Status.CORRECTED})
"""Statuses whose claims give no figure to a row."""
_POINT = frozenset({Qualifier.EXACT, Qualifier.ABOUT})
_ACTOR_ID = re.compile(ids.ACTOR_ID_PATTERN)
RowKey = tuple[Predicate, str | None, Unit, date]


def derive_quantities(
    claims: Iterable[Claim], relations: Iterable[ClaimRelation], responsible: Responsible | None = None
) -> list[Quantity]:
    """One :class:`Quantity` per quantity and reference day, sorted by id; see the module doc.

    ``responsible`` defaults to the bundled ``kzdata/build/data/responsible.yaml``.
    """
    officials = load_responsible() if responsible is None else responsible
    relations = list(relations)
    contradicting = [(r.claim_id, r.other_claim_id) for r in relations if r.relation is Relation.CONTRADICTS]
    retracted = frozenset(r.other_claim_id for r in relations if r.relation is Relation.RETRACTS)
    rows: dict[RowKey, list[Claim]] = defaultdict(list)
    for claim in claims:
        day = reference_day(claim)
        if claim.value is not None and day is not None and exact_day(claim):
            rows[(claim.predicate, claim.scope, claim.value.unit, day)].append(claim)
    quantities = [summarise(key, group, officials, contradicting, retracted) for key, group in rows.items()]
    return sorted(quantities, key=lambda q: q.id)


def summarise(
    key: RowKey,
    claims: Sequence[Claim],
    responsible: Responsible,
    contradicting: Sequence[tuple[str, str]] = (),
    retracted: frozenset[str] = frozenset(),
) -> Quantity:
    """The row of one quantity and day from its claims.

    ``contradicting`` are the (claim, other claim) pairs of the ``contradicts`` relations,
    ``retracted`` the ids of claims a ``retracts`` relation withdraws.
    """
    predicate, scope, unit, day = key
    claims = sorted(claims, key=lambda c: c.id)
    standing = [c for c in claims if c.status not in WITHDRAWN and c.id not in retracted]
    standing_ids = {c.id for c in standing}
    low, low_ids = _extreme(standing, lowest=True)
    high, high_ids = _extreme(standing, lowest=False)
    official = latest_official(standing, responsible.get(predicate, ()))
    best, rule = choose_best(standing, official)
    return Quantity(
        record_type="quantity",
        id=ids.quantity_id(predicate.value, scope, unit.value, day),
        predicate=predicate,
        scope=scope,
        unit=unit,
        as_of=day,
        low=low,
        best=best,
        high=high,
        low_claim_ids=low_ids,
        best_claim_ids=[c.id for c in standing if best is not None and point(c) == best],
        high_claim_ids=high_ids,
        claim_ids=[c.id for c in claims],
        n_claims=len(claims),
        n_claimants=len({claimant_key(c) for c in claims}),
        n_sources=len({c.source_id for c in claims}),
        contested=any(a in standing_ids and b in standing_ids for a, b in contradicting),
        latest_official=point(official) if official is not None else None,
        latest_official_claim_id=official.id if official is not None else None,
        latest_official_claimant_id=official.claimant_id if official is not None else None,
        rule=rule,
    )


def point(claim: Claim) -> float | None:
    """The figure of an exact or approximate claim ("about 5,800" → 5,800), else None."""
    value = claim.value
    if value is None or value.qualifier not in _POINT:
        return None
    return value.amount


def stated(claim: Claim) -> list[float]:
    """Every figure a claim states: its amount and its bounds."""
    value = claim.value
    return [] if value is None else [x for x in (value.low, value.amount, value.high) if x is not None]


def claimant_key(claim: Claim) -> str:
    """Who stated a claim: its claimant, or its source's outlet when it has none."""
    return claim.claimant_id or f"outlet of {claim.source_id}"


def _extreme(standing: Sequence[Claim], *, lowest: bool) -> tuple[float | None, list[str]]:
    """The smallest (or largest) stated figure and the claims stating it."""
    figures = {c.id: min(stated(c)) if lowest else max(stated(c)) for c in standing if stated(c)}
    if not figures:
        return None, []
    extreme = min(figures.values()) if lowest else max(figures.values())
    return extreme, sorted(claim_id for claim_id, figure in figures.items() if figure == extreme)


def newest(claims: Sequence[Claim], rank: Mapping[str, int] | None = None) -> Claim | None:
    """The newest point figure of a day; see the tie-breaks of rule 1 in the module doc."""
    points = [c for c in claims if point(c) is not None]
    support = Counter((point(c), c.source_id) for c in points)
    carried = Counter(figure for figure, _ in support)
    order = rank or {}

    def key(claim: Claim) -> tuple[int, int, int, float, str]:
        figure = point(claim)
        assert figure is not None
        stated_on = (claim.stated_on or date.min).toordinal()
        return (-stated_on, -carried[figure], order.get(claim.claimant_id or "", 0), figure, claim.id)

    return min(points, key=key, default=None)


def latest_official(standing: Sequence[Claim], bodies: Sequence[str]) -> Claim | None:
    """The newest point figure of the day from one of the responsible ``bodies``."""
    rank = {actor: position for position, actor in enumerate(bodies)}
    return newest([c for c in standing if c.claimant_id in rank], rank)


def choose_best(standing: Sequence[Claim], official: Claim | None) -> tuple[float | None, BestRule]:
    """best and the rule that chose it; see the module docstring."""
    if official is not None:
        return point(official), BestRule.OFFICIAL_LATEST
    by_claimant: dict[str, list[Claim]] = defaultdict(list)
    for claim in standing:
        by_claimant[claimant_key(claim)].append(claim)
    picks = [newest(group) for group in by_claimant.values()]
    figures = sorted(figure for c in picks if c is not None and (figure := point(c)) is not None)
    if not figures:
        return None, BestRule.NO_POINT_FIGURE
    return figures[(len(figures) - 1) // 2], BestRule.MEDIAN_OF_CLAIMANTS


def load_responsible(path: Path | None = None) -> dict[Predicate, tuple[str, ...]]:
    """Predicate → responsible actor ids, from ``path`` or the bundled ``kzdata/build/data/responsible.yaml``."""
    where = str(path) if path is not None else "kzdata/build/data/responsible.yaml"
    try:
        bundled = resources.files("kzdata.build").joinpath("data").joinpath("responsible.yaml")
        text = path.read_text("utf-8") if path is not None else bundled.read_text("utf-8")
        data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise DataError(f"{where}: cannot read the responsible bodies ({error})", "fix or restore the file") from None
    if not isinstance(data, dict):
        raise DataError(f"{where}: expected a mapping of predicate to actor ids", "see the comments in the file")
    return {_predicate(key, where): _actor_ids(value, f"{where}/{key}") for key, value in data.items()}


def _predicate(key: object, where: str) -> Predicate:
    try:
        return Predicate(str(key))
    except ValueError:
        raise DataError(f"{where}: {key!r} is not a predicate", f"use one of {', '.join(Predicate)}") from None


def _actor_ids(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataError(f"{where}: expected a list of actor ids", "write one '- act-…' line per actor")
    bad = [v for v in value if not _ACTOR_ID.match(v)]
    if bad:
        raise DataError(f"{where}: {bad[0]!r} is not an actor id", "actor ids are 'act-' + a kebab-case slug")
    return tuple(value)
