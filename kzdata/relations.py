"""Claim relations: how figures about the same quantity relate to each other.

Numeric claims (a claim with a ``value``) are grouped by ``(predicate, scope, unit)`` —
"people detained nationwide" is one quantity, "children killed nationwide" another. Whether
two claims are related, and how, is decided by :func:`classify`, by the first rule that
applies:

1. ``retracts``: one claim is ``retracted`` and the other is not, both state the same figure
   and come from the same claimant — the retraction withdraws the reported claim.
2. same figure (equal amounts, or one is the other rounded: "about 8,000" and 7,939):
   ``repeats`` when the two are in different sources; none inside one source (a headline and
   the body saying the same thing are one report).
3. same claimant, figures referring to different days: ``updates`` (the later updates the
   earlier).
4. different figures referring to the same day that cannot both be true: ``contradicts``,
   whoever the claimants are. Bounds that agree ("over 5,000" and 5,800) do not contradict.
5. a *stock* (``STOCKS``: the size of a deployed force, which is not a running total):
   incompatible figures from different claimants whose days lie within ``STOCK_WINDOW`` of
   each other describe the same force and ``contradicts`` ("2,030" vs "2,500" troops), even
   when reported on different days; an undated claim counts as of its source's publication day.

**Which pairs are compared.** Comparing every pair of a group would give a quadratic number of
relations (and of work) for a quantity reported thousands of times. Instead each group is
sorted once by :func:`newness` (reference day, ``stated_on``, id) and only these *candidate
pairs* are classified, so a group of n claims gets at most 5·n relations (8·n for a stock), in
O(n log n) time:

- **figure clusters** (``repeats``): the claims stating the same figure (the same amount for
  exact and "about" figures; the same amount, bounds and qualifier otherwise) form a cluster,
  on any day. Each member is paired with the cluster's first (oldest) claim, or, when it is in
  the same source as that claim, with the cluster's first claim from another source.
- **retractions** (``retracts``): each retracted member of a cluster is also paired with the
  first claim of the cluster that is not retracted and comes from the same claimant.
- **rounding** (``repeats``): each cluster is paired with the tightest "about" figure that
  rounds it (7,939 with "about 8,000" rather than "about 10,000"), found by rounding the
  amount to 10, 100, 1,000… (and to a unit for a fractional amount).
- **updates chain** (``updates``): each claim of a claimant is paired with the claimant's
  previous figure: the newest of its claims on the nearest earlier reference day. A series
  3,000 → 5,969 → 7,939 is two updates, not three.
- **contradictions of one day** (``contradicts``): the claims known to the day and referring
  to the same day are split by exact value (amount, bounds, qualifier); a value stands for
  its oldest claim. Each claim is paired with the nearest value below it that it cannot be
  true with (the one with the highest upper bound), or, if none, with the nearest one above
  it. So every claim in conflict with another figure of its day has a ``contradicts`` of its
  own (both 5,969s of two sources contradict 5,800), and three exact figures of one day
  form a chain (5,800 — 5,969 — 5,996), not all pairs.
- **stocks**: the same search runs between each claim and the values of its own day and of
  each of the ``STOCK_WINDOW`` days before it (days of undated claims: their source's
  publication day).

A candidate pair that :func:`classify` relates to nothing gives no relation. Two claims that
are related under the rules above but are not a candidate pair get no direct relation; they
stay connected through the claims in between: with exact and approximate figures, the claims
of one reference day are all connected, and so are the claims of one claimant (a property
test in tests/test_relations.py checks both, and the 5·n bound).

The day a figure refers to is its ``as_of``, or ``stated_on`` when ``as_of`` is unknown. In a
relation, ``claim_id`` is the later (newer) claim of the pair (an undated claim counts as of
its source's publication day) and ``other_claim_id`` the one it relates to; for
``retracts`` the retracted claim is ``claim_id``. The output is sorted by id and does not
depend on the order of the input.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, timedelta

from kzdata import ids
from kzdata.models import Claim, ClaimRelation, Value
from kzdata.vocab import DatePrecision, Predicate, Qualifier, Relation, Status

STOCKS = frozenset({Predicate.TROOPS_DEPLOYED})
"""Predicates whose figure is a standing quantity (a force's size), not a running total."""
STOCK_WINDOW = timedelta(days=3)
"""How far apart two reports of a stock may be and still describe the same quantity."""
_OPEN_LOW = {Qualifier.OVER, Qualifier.AT_LEAST}
_OPEN_HIGH = {Qualifier.UP_TO, Qualifier.UNDER}


def figure_bounds(value: Value) -> tuple[float, float] | None:
    """The interval of counts a value admits, or None when it admits no figure at all.

    An exact or "about" figure admits what rounds to it: "about 8,000" (three trailing zeros)
    admits 7,500..8,500, "some 5,800" admits 5,750..5,850, an exact 7,939 only itself.
    """
    amount = value.amount
    if value.qualifier in (Qualifier.EXACT, Qualifier.ABOUT) and amount is not None:
        half = _rounding_unit(amount) / 2 if value.qualifier is Qualifier.ABOUT else 0
        return (amount - half, amount + half)
    low = value.low if value.low is not None else (amount if value.qualifier in _OPEN_LOW else None)
    high = value.high if value.high is not None else (amount if value.qualifier in _OPEN_HIGH else None)
    if value.qualifier is Qualifier.ALMOST and amount is not None:
        low, high = amount - _rounding_unit(amount) / 2, amount
    if low is None and high is None:
        return None
    return (low if low is not None else 0.0, high if high is not None else math.inf)


def _rounding_unit(amount: float) -> float:
    """10 ** (number of trailing zeros of an integral amount); 1 for anything else."""
    if amount <= 0 or not float(amount).is_integer():
        return 1.0
    unit, number = 1, int(amount)
    while number % 10 == 0:
        unit, number = unit * 10, number // 10
    return float(unit)


def same_figure(a: Value, b: Value) -> bool:
    """True when two values state the same figure: equal, or one is the other rounded."""
    if a.unit != b.unit:
        return False
    if a.qualifier not in (Qualifier.EXACT, Qualifier.ABOUT) or b.qualifier not in (Qualifier.EXACT, Qualifier.ABOUT):
        return (a.amount, a.low, a.high, a.qualifier) == (b.amount, b.low, b.high, b.qualifier)
    if a.amount == b.amount:
        return True
    bounds_a, bounds_b = figure_bounds(a), figure_bounds(b)
    return bounds_a is not None and bounds_b is not None and _overlap(bounds_a, bounds_b)


def compatible(a: Value, b: Value) -> bool:
    """True when both values can be true of one count (their intervals overlap)."""
    bounds_a, bounds_b = figure_bounds(a), figure_bounds(b)
    if bounds_a is None or bounds_b is None:
        return True
    return _overlap(bounds_a, bounds_b)


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def reference_day(claim: Claim) -> date | None:
    """The day a figure refers to: ``as_of``, else ``stated_on``."""
    return claim.as_of or claim.stated_on


def exact_day(claim: Claim) -> bool:
    """True when the reference day is known to the day (not just the week or month)."""
    if claim.as_of is not None:
        return claim.as_of_precision is DatePrecision.DAY
    return claim.stated_on is not None and claim.stated_on_precision is DatePrecision.DAY


def newness(claim: Claim, published: Mapping[str, date] | None = None) -> tuple[date, date, str]:
    """Sort key from older to newer: the reference day, then ``stated_on``, then the id.

    An undated claim counts as of its source's publication day when ``published`` (source id →
    date) knows it, so that an undated repeat in a later article is the newer claim.
    """
    fallback = (published or {}).get(claim.source_id) or date.min
    return (reference_day(claim) or fallback, claim.stated_on or fallback, claim.id)


def derive_relations(
    claims: Iterable[Claim],
    actor_names: Mapping[str, str] | None = None,
    published: Mapping[str, date] | None = None,
) -> list[ClaimRelation]:
    """The relations between numeric claims about the same quantity, sorted by id.

    Only the candidate pairs of the module docstring are classified. ``actor_names`` (actor
    id → name) make the notes readable; ``published`` (source id → publication date) orders
    undated claims (see :func:`newness`).
    """
    names = actor_names or {}
    relations: dict[str, ClaimRelation] = {}
    for group in quantity_groups(claims).values():
        keys = [newness(claim, published) for claim in group]
        order = sorted(range(len(group)), key=keys.__getitem__)
        ordered, days = [group[i] for i in order], [_known(keys[i][0]) for i in order]
        for newer, older in sorted(candidate_pairs(ordered, days)):
            relation = relate(ordered[newer], ordered[older], names, days=(days[newer], days[older]))
            if relation is not None:
                relations[relation.id] = relation
    return [relations[key] for key in sorted(relations)]


def quantity_groups(claims: Iterable[Claim]) -> dict[tuple[str, str | None, str], list[Claim]]:
    """Numeric claims grouped by quantity: ``(predicate, scope, unit)``."""
    groups: dict[tuple[str, str | None, str], list[Claim]] = defaultdict(list)
    for claim in claims:
        if claim.value is not None:
            groups[(claim.predicate.value, claim.scope, claim.value.unit.value)].append(claim)
    return groups


def _known(day: date) -> date | None:
    return None if day == date.min else day


Pair = tuple[int, int]
"""Positions (newer, older) of two claims in a group sorted by :func:`newness`."""


def candidate_pairs(ordered: Sequence[Claim], days: Sequence[date | None]) -> set[Pair]:
    """The pairs of one group worth classifying; see the module docstring.

    ``ordered`` is the group sorted by :func:`newness`, ``days`` the day each claim counts as
    of there (None when unknown).
    """
    clusters = _figure_clusters(ordered)
    pairs: set[Pair] = set()
    for found in (
        _cluster_pairs(ordered, clusters),
        _rounding_pairs(ordered, clusters),
        _update_pairs(ordered),
        _contradiction_pairs(ordered, days),
    ):
        pairs.update((max(a, b), min(a, b)) for a, b in found if a != b)
    return pairs


def figure_key(value: Value) -> tuple[object, ...]:
    """Claims with equal keys state the same figure (``same_figure`` without the rounding)."""
    if value.qualifier in (Qualifier.EXACT, Qualifier.ABOUT):
        return ("point", value.amount)
    return ("bounded", value.amount, value.low, value.high, value.qualifier.value)


def _figure_clusters(ordered: Sequence[Claim]) -> dict[tuple[object, ...], list[int]]:
    clusters: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for index, claim in enumerate(ordered):
        if claim.value is not None:
            clusters[figure_key(claim.value)].append(index)
    return clusters


def _bounds(claim: Claim) -> tuple[float, float] | None:
    return figure_bounds(claim.value) if claim.value is not None else None


def _is_about(claim: Claim) -> bool:
    return claim.value is not None and claim.value.qualifier is Qualifier.ABOUT


def _cluster_pairs(ordered: Sequence[Claim], clusters: Mapping[tuple[object, ...], list[int]]) -> Iterator[Pair]:
    """Each member with the cluster's first claim (from another source); retractions."""
    for members in clusters.values():
        first = members[0]
        other = next((m for m in members if ordered[m].source_id != ordered[first].source_id), None)
        for member in members[1:]:
            same_source = ordered[member].source_id == ordered[first].source_id
            partner = other if same_source else first
            if partner is not None:
                yield member, partner
        yield from _retraction_pairs(ordered, members)


def _retraction_pairs(ordered: Sequence[Claim], members: Sequence[int]) -> Iterator[Pair]:
    standing: dict[str, int] = {}
    for member in members:
        claim = ordered[member]
        if claim.claimant_id is not None and claim.status is not Status.RETRACTED:
            standing.setdefault(claim.claimant_id, member)
    for member in members:
        claim = ordered[member]
        if claim.status is Status.RETRACTED and claim.claimant_id in standing:
            yield member, standing[claim.claimant_id]


def _rounding_pairs(ordered: Sequence[Claim], clusters: Mapping[tuple[object, ...], list[int]]) -> Iterator[Pair]:
    """Each point figure with the tightest "about" figure that rounds it."""
    for key, members in clusters.items():
        amount = key[1]
        if key[0] != "point" or not isinstance(amount, int | float) or amount <= 0:
            continue
        rounded = _rounded_by(ordered, clusters, amount)
        if rounded is not None:
            yield members[0], rounded


def _rounded_by(
    ordered: Sequence[Claim], clusters: Mapping[tuple[object, ...], list[int]], amount: float
) -> int | None:
    unit = 1.0
    while unit <= amount * 10:
        for candidate in (math.floor(amount / unit) * unit, math.ceil(amount / unit) * unit):
            if candidate == amount:
                continue
            about = next((m for m in clusters.get(("point", candidate), ()) if _is_about(ordered[m])), None)
            bounds = _bounds(ordered[about]) if about is not None else None
            if about is not None and bounds is not None and bounds[0] <= amount <= bounds[1]:
                return about
        unit *= 10
    return None


def _update_pairs(ordered: Sequence[Claim]) -> Iterator[Pair]:
    """Each claim of a claimant with the newest claim of its nearest earlier reference day."""
    last_of_day: dict[str, tuple[date, int, int | None]] = {}  # claimant → (day, last claim, previous day's last)
    for index, claim in enumerate(ordered):
        day = reference_day(claim)
        if claim.claimant_id is None or day is None:
            continue
        current = last_of_day.get(claim.claimant_id)
        previous = None if current is None else (current[1] if current[0] != day else current[2])
        if previous is not None:
            yield index, previous
        last_of_day[claim.claimant_id] = (day, index, previous)


def _contradiction_pairs(ordered: Sequence[Claim], days: Sequence[date | None]) -> Iterator[Pair]:
    """Each claim of a day with its nearest incompatible value of that day (stocks: and the days before)."""
    stock = ordered[0].predicate in STOCKS if ordered else False
    buckets: dict[date, dict[tuple[object, ...], list[int]]] = defaultdict(lambda: defaultdict(list))
    for index, claim in enumerate(ordered):
        day = days[index] if stock else (reference_day(claim) if exact_day(claim) else None)
        value = claim.value
        if day is not None and value is not None and figure_bounds(value) is not None:
            buckets[day][(value.amount, value.low, value.high, value.qualifier.value)].append(index)
    firsts = {
        day: _BoundsIndex(ordered, [members[0] for members in values.values()]) for day, values in buckets.items()
    }
    window = STOCK_WINDOW.days if stock else 0
    for day, values in buckets.items():
        for index in (member for members in values.values() for member in members):
            for back in range(window + 1):
                other = firsts.get(day - timedelta(days=back))
                partner = other.nearest_incompatible(ordered[index]) if other is not None else None
                if partner is not None:
                    yield index, partner


class _BoundsIndex:
    """The values of one day sorted by upper and by lower bound, for nearest-conflict look-ups."""

    def __init__(self, ordered: Sequence[Claim], members: Iterable[int]) -> None:
        bounds = {m: _bounds(ordered[m]) for m in members}
        known = {m: b for m, b in bounds.items() if b is not None}
        self.by_high = sorted((b[1], b[0], m) for m, b in known.items())
        self.by_low = sorted((b[0], b[1], m) for m, b in known.items())
        self.highs = [item[0] for item in self.by_high]
        self.lows = [item[0] for item in self.by_low]

    def nearest_incompatible(self, claim: Claim) -> int | None:
        """The nearest value entirely below the claim's figure, else the nearest entirely above."""
        bounds = _bounds(claim)
        if bounds is None:
            return None
        below = bisect_left(self.highs, bounds[0])
        if below > 0:
            return self.by_high[below - 1][2]
        above = bisect_right(self.lows, bounds[1])
        return self.by_low[above][2] if above < len(self.by_low) else None


def relate(
    newer: Claim,
    older: Claim,
    actor_names: Mapping[str, str] | None = None,
    *,
    days: tuple[date | None, date | None] | None = None,
) -> ClaimRelation | None:
    """The relation between two claims about the same quantity, or None.

    ``days`` are the days the two figures count as of when a source's publication day stands
    in for a missing date (see :func:`newness`); they only matter for stocks.
    """
    kind = classify(newer, older, days=days)
    if kind is None:
        return None
    first, second = (older, newer) if kind is Relation.RETRACTS and older.status is Status.RETRACTED else (newer, older)
    names = actor_names or {}
    return ClaimRelation(
        record_type="claim_relation",
        id=ids.relation_id(first.id, second.id, kind.value),
        claim_id=first.id,
        other_claim_id=second.id,
        relation=kind,
        predicate=first.predicate,
        scope=first.scope,
        note=f"{kind.value}: {_describe(first, names)} vs {_describe(second, names)}",
    )


def classify(newer: Claim, older: Claim, *, days: tuple[date | None, date | None] | None = None) -> Relation | None:
    """Which relation (if any) holds between two claims of one group; see the module doc."""
    if newer.value is None or older.value is None:
        return None
    same_claimant = newer.claimant_id is not None and newer.claimant_id == older.claimant_id
    same = same_figure(newer.value, older.value)
    if same and same_claimant and (newer.status is Status.RETRACTED) != (older.status is Status.RETRACTED):
        return Relation.RETRACTS
    if same:
        return Relation.REPEATS if newer.source_id != older.source_id else None
    day_new, day_old = reference_day(newer), reference_day(older)
    if same_claimant and day_new is not None and day_old is not None and day_new != day_old:
        return Relation.UPDATES
    same_day = exact_day(newer) and day_new == day_old and exact_day(older)
    if same_day and not compatible(newer.value, older.value):
        return Relation.CONTRADICTS
    stock = not same_claimant and _stock_contradiction(newer, older, days or (day_new, day_old))
    return Relation.CONTRADICTS if stock else None


def _stock_contradiction(newer: Claim, older: Claim, days: tuple[date | None, date | None]) -> bool:
    """Incompatible sizes of one force reported within STOCK_WINDOW of each other."""
    if newer.predicate not in STOCKS or newer.value is None or older.value is None:
        return False
    near_new, near_old = days
    if near_new is None or near_old is None or abs(near_new - near_old) > STOCK_WINDOW:
        return False
    return not compatible(newer.value, older.value)


def _describe(claim: Claim, names: Mapping[str, str]) -> str:
    value = claim.value
    figure = _format_value(value) if value is not None else "?"
    who = names.get(claim.claimant_id, claim.claimant_id) if claim.claimant_id else "the outlet"
    day = reference_day(claim)
    when = f", as of {day.isoformat()}" if day else ""
    status = f", {claim.status.value}" if claim.status is not Status.REPORTED else ""
    return f"{figure} ({who}{when}, {claim.source_id}{status})"


def _format_value(value: Value) -> str:
    amount = value.amount
    text = f"{amount:,}" if amount is not None else f"{value.low}-{value.high}"
    if value.qualifier is Qualifier.EXACT:
        return text
    return f"{value.qualifier.value} {text}"
