"""Claim relations: how figures about the same quantity relate to each other.

Numeric claims (a claim with a ``value``) are grouped by ``(predicate, scope, unit)`` —
"people detained nationwide" is one quantity, "children killed nationwide" another. Two claims
of a group get at most one relation, decided by the first rule that applies:

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

Which pairs are related — a linear number of them, found by grouping and ordering, never by
comparing every pair (a corpus repeats one official figure thousands of times):

- a **cluster** is the claims stating the same figure; each claim is related to the cluster's
  first claim (its representative) — or, when it is in the representative's own source, to the
  cluster's first claim from another source — so N repeats of 5,800 give at most N − 1
  ``repeats``, not N²/2;
- a claimant's figures form a **chain** in time: each is related to that claimant's previous
  figure of an earlier day (``updates``), and to its previous claim of the same figure
  (``retracts``);
- on one **day**, the figures are ordered by their lower bound and each claim is related to
  the nearest figure below it that it cannot agree with, else the nearest above
  (``contradicts``): 5,800 / 5,969 / 7,939 on one day give 5,800–5,969, 5,969–5,800 (one
  relation) and 7,939–5,969; a second source's 5,800 is related to 5,969 too;
- a **stock** figure is related to the nearest earlier figure, within ``STOCK_WINDOW``, of
  another claimant that it cannot agree with.

The day a figure refers to is its ``as_of``, or ``stated_on`` when ``as_of`` is unknown. In a
relation, ``claim_id`` is the later (newer) claim of the pair (an undated claim counts as of
its source's publication day) and ``other_claim_id`` the one it relates to; for
``retracts`` the retracted claim is ``claim_id``. The output is sorted by id and does not
depend on the order of the input. Grouping and sorting make it O(n log n) in the claims.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta

from kzdata.records import ids
from kzdata.records.models import Claim, ClaimRelation, Value
from kzdata.records.vocab import DatePrecision, Predicate, Qualifier, Relation, Status

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
    """The relations between numeric claims about the same quantity (see the module doc), sorted by id.

    ``actor_names`` (actor id → name) make the notes readable; ``published`` (source id →
    publication date) orders undated claims (see :func:`newness`).
    """
    names = actor_names or {}
    groups: dict[tuple[str, str | None, str], list[Claim]] = defaultdict(list)
    for claim in claims:
        if claim.value is not None:
            groups[(claim.predicate.value, claim.scope, claim.value.unit.value)].append(claim)
    relations: dict[str, ClaimRelation] = {}
    for group in groups.values():
        ordered = sorted(group, key=lambda claim: newness(claim, published))
        for newer, older in sorted(candidate_pairs(ordered, published)):
            days = (_known(newness(ordered[newer], published)[0]), _known(newness(ordered[older], published)[0]))
            relation = relate(ordered[newer], ordered[older], names, days=days)
            if relation is not None:
                relations[relation.id] = relation
    return [relations[key] for key in sorted(relations)]


def candidate_pairs(ordered: Sequence[Claim], published: Mapping[str, date] | None = None) -> set[tuple[int, int]]:
    """The pairs ``(newer, older)`` of positions in ``ordered`` (oldest first) that may be related.

    At most a few per claim: its cluster's first claim, its claimant's previous figure and
    previous claim of the same figure, the nearest incompatible cluster of its day, and for a
    stock the nearest incompatible figure of another claimant within ``STOCK_WINDOW``.
    """
    pairs: set[tuple[int, int]] = set()
    cluster = _clusters(ordered)
    first_of: dict[int, int] = {}
    other_of: dict[int, int] = {}  # cluster → its first claim from another source than its first claim's
    for index, key in enumerate(cluster):
        first = first_of.setdefault(key, index)
        if first == index:
            continue
        if ordered[index].source_id != ordered[first].source_id:
            pairs.add((index, first))
            other_of.setdefault(key, index)
        elif key in other_of:  # the first claim's own source says it again: relate it to another source
            pairs.add((index, other_of[key]))
    _claimant_chains(ordered, cluster, pairs)
    _same_day(ordered, cluster, first_of, pairs)
    _stocks(ordered, published, pairs)
    return pairs


def _clusters(ordered: Sequence[Claim]) -> list[int]:
    """The cluster (an int) of each claim: claims stating the same figure share one.

    A claim joins the cluster of the first earlier representative it states the same figure as
    (:func:`same_figure`). Only an exact or "about" representative can, and only when its interval
    (its amount ± half its rounding unit) overlaps the claim's: the representatives are kept by
    that half-width, each list sorted by amount, so bisecting finds exactly the overlapping ones
    (within the claim's :func:`_search_window`) and clustering is O(n log n).
    """
    exact: dict[tuple[object, ...], int] = {}
    by_half: dict[float, list[tuple[float, int]]] = defaultdict(list)  # half-width → (amount, cluster), sorted
    representative: list[Claim] = []
    out: list[int] = []
    for claim in ordered:
        value = claim.value
        assert value is not None
        key = (value.amount, value.low, value.high, value.qualifier, value.unit)
        found = exact.get(key)
        if found is None and value.amount is not None and value.qualifier in _POINTS:
            found = _first_same_figure(value, by_half, representative)
        if found is None:
            found = len(representative)
            representative.append(claim)
            if value.amount is not None and value.qualifier in _POINTS:
                bisect.insort(by_half[_half_width(value)], (value.amount, found))
        exact.setdefault(key, found)
        out.append(found)
    return out


_POINTS = (Qualifier.EXACT, Qualifier.ABOUT)
"""Qualifiers of a figure that admits an interval around its amount (see :func:`figure_bounds`)."""


def _half_width(value: Value) -> float:
    assert value.amount is not None
    return _rounding_unit(value.amount) / 2 if value.qualifier is Qualifier.ABOUT else 0.0


def _first_same_figure(
    value: Value, by_half: Mapping[float, list[tuple[float, int]]], representative: Sequence[Claim]
) -> int | None:
    """The first representative (smallest cluster) stating the same figure as ``value``, if any."""
    low, high = _search_window(value)
    bounds = figure_bounds(value)
    assert bounds is not None
    found: int | None = None
    for half, amounts in by_half.items():
        # an interval of this half-width overlaps ``bounds`` only if its amount is within half of them
        # (one more unit either side against float rounding; same_figure decides)
        start = bisect.bisect_left(amounts, (max(low, bounds[0] - half - 1), -1))
        stop = min(high, bounds[1] + half + 1)
        for position in range(start, len(amounts)):
            amount, candidate = amounts[position]
            if amount > stop:
                break
            if (found is None or candidate < found) and same_figure(value, representative[candidate].value):  # type: ignore[arg-type]
                found = candidate
    return found


def _search_window(value: Value) -> tuple[float, float]:
    """Amounts a representative must have to join ``value``'s cluster: within 10^(digits−1) or its rounding unit.

    Not a superset of the same figures: a wide "about" figure outside the window ("about 10,000",
    5,000..15,000, against 5,800) states the same figure by :func:`same_figure` but is not clustered with it.
    """
    amount = float(value.amount or 0)
    reach = max(_rounding_unit(amount), 10 ** max(len(str(int(abs(amount)))) - 1, 0))
    return amount - reach, amount + reach


def _claimant_chains(ordered: Sequence[Claim], cluster: Sequence[int], pairs: set[tuple[int, int]]) -> None:
    """Each claim with its claimant's previous figure of an earlier day, and previous claim of its figure."""
    last_day: dict[str, tuple[date | None, int, int | None]] = {}  # claimant → (day, position, previous day's)
    last_figure: dict[tuple[str, int], int] = {}
    for index, claim in enumerate(ordered):
        if claim.claimant_id is None:
            continue
        day = reference_day(claim)
        seen = last_day.get(claim.claimant_id)
        if seen is not None:
            earlier = seen[1] if seen[0] != day else seen[2]
            if earlier is not None:
                pairs.add((index, earlier))
        if seen is None or seen[0] != day:
            last_day[claim.claimant_id] = (day, index, seen[1] if seen is not None else None)
        else:
            last_day[claim.claimant_id] = (day, index, seen[2])
        key = (claim.claimant_id, cluster[index])
        if key in last_figure:
            pairs.add((index, last_figure[key]))
        last_figure[key] = index


def _same_day(
    ordered: Sequence[Claim], cluster: Sequence[int], first_of: Mapping[int, int], pairs: set[tuple[int, int]]
) -> None:
    """On each exact day, each claim with the nearest figure of that day it cannot agree with.

    The day's figures (their clusters' first claims that day) are ordered by lower bound; a claim
    is related to the nearest one below it that it contradicts, else the nearest one above, so
    every claim of a contested figure is marked, with one relation each.
    """
    days: dict[date, list[int]] = defaultdict(list)
    for index, claim in enumerate(ordered):
        day = reference_day(claim)
        if day is not None and exact_day(claim):
            days[day].append(index)
    for members in days.values():
        firsts: dict[int, int] = {}
        for index in members:
            firsts.setdefault(cluster[index], index)
        figures = sorted(firsts.values(), key=lambda i: (_low(ordered[i]), i))
        rank = {cluster[index]: position for position, index in enumerate(figures)}
        for index in members:
            here = rank[cluster[index]]
            below = (figures[k] for k in range(here - 1, -1, -1))
            above = (figures[k] for k in range(here + 1, len(figures)))
            for other in (*below, *above):
                if not compatible(ordered[index].value, ordered[other].value):  # type: ignore[arg-type]
                    pairs.add((max(index, other), min(index, other)))
                    break


def _low(claim: Claim) -> float:
    bounds = figure_bounds(claim.value) if claim.value is not None else None
    return bounds[0] if bounds is not None else -math.inf


def _stocks(ordered: Sequence[Claim], published: Mapping[str, date] | None, pairs: set[tuple[int, int]]) -> None:
    """A stock figure with the nearest earlier incompatible figure of another claimant within STOCK_WINDOW."""
    for index, claim in enumerate(ordered):
        if claim.predicate not in STOCKS or claim.value is None:
            continue
        day = _known(newness(claim, published)[0])
        for previous in range(index - 1, -1, -1):
            other = ordered[previous]
            other_day = _known(newness(other, published)[0])
            if day is None or other_day is None or day - other_day > STOCK_WINDOW:
                break
            if other.claimant_id != claim.claimant_id and not compatible(claim.value, other.value):  # type: ignore[arg-type]
                pairs.add((index, previous))
                break


def _known(day: date) -> date | None:
    return None if day == date.min else day


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
