"""``contested_figures.png``: every figure of each contested quantity of a release, over time.

A quantity (predicate, scope and unit, e.g. people detained nationwide) is *contested* when
two of its claims are linked by a ``contradicts`` relation. Its panel shows **every** claim
about it with a figure, not only the contested ones: one marker per claim at the day the
figure refers to (``as_of``, else ``stated_on``), coloured by claimant (the actor's name, or
"the outlet (X)" when the outlet itself asserts it). Exact figures are filled markers,
hedged ones (about, over, up to, ranges…) hollow, retracted ones an ``x``; a range is drawn
as a bar from its low to its high bound. Claims of one day are spread side by side so none
hides another, and no line joins two figures: they contradict each other, they are not a series.
Each figure is labelled as stated ("about 5,800"), except on a crowded day (more than
:data:`MAX_DAY_LABELS` claims in a panel), where only the lowest and highest are.

The PNG bytes depend only on the points: matplotlib's default style (whatever the user's
``matplotlibrc``), the Agg canvas, a fixed size and dpi, English month names (not the locale),
and no ``Software`` or date in the PNG metadata.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import matplotlib.style
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MultipleLocator

from kzdata.records.models import Actor, AnyRecord, Claim, ClaimRelation, Source
from kzdata.records.vocab import Relation, Status

FILE_NAME = "contested_figures.png"
MAX_PANELS = 6
"""Quantities drawn at most (those with the most claims first); the card names the others."""
WIDTH, PANEL_HEIGHT, LEGEND_HEIGHT, DPI = 9.0, 3.0, 1.4, 100
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
PALETTE = "tab10"
DODGE = 0.5
"""Width, in days, over which the claims of one day are spread."""
MAX_DAY_LABELS = 8
"""A day with more claims in one panel labels only its lowest and highest figure: past this many, labels overlap
into an unreadable block (a corpus of thousands of articles has hundreds of claims a day), and drawing them took
most of the chart's time. Every claim keeps its marker."""

Quantity = tuple[str, str | None, str]
"""(predicate, scope, unit)."""


@dataclass(frozen=True)
class Point:
    """One claim with a figure, as the chart draws it."""

    quantity: Quantity
    day: date
    claimant: str
    amount: float | None
    low: float | None
    high: float | None
    qualifier: str
    status: str
    claim_id: str

    @property
    def y(self) -> float:
        """Where the marker goes: the amount, else the middle of the bounds, else the one bound."""
        if self.amount is not None:
            return self.amount
        bounds = [b for b in (self.low, self.high) if b is not None]
        return sum(bounds) / len(bounds)

    def key(self) -> tuple[str, str, str, date, str, str]:
        """Sort order: quantity, day, claimant, claim id (unique per claim)."""
        predicate, scope, unit = self.quantity
        return (predicate, scope or "", unit, self.day, self.claimant, self.claim_id)


def contested_scopes(relations: Iterable[AnyRecord]) -> frozenset[tuple[str, str | None]]:
    """(predicate, scope) of every ``contradicts`` relation: the claims an export keeps for the chart."""
    return frozenset(
        (str(r.predicate), r.scope)
        for r in relations
        if isinstance(r, ClaimRelation) and r.relation == Relation.CONTRADICTS
    )


def claimant_name(claim: Claim, actors: Mapping[str, Actor], sources: Mapping[str, Source]) -> str:
    """The actor's name; "the outlet (X)" when the outlet itself asserts the claim."""
    if claim.claimant_id is None:
        outlet = sources[claim.source_id].outlet if claim.source_id in sources else claim.source_id
        return f"the outlet ({outlet})"
    return actors[claim.claimant_id].name if claim.claimant_id in actors else claim.claimant_id


def points(tables: Mapping[str, Sequence[AnyRecord]]) -> list[Point]:
    """Every dated claim with a figure of a contested quantity, sorted."""
    claims = {c.id: c for c in tables.get("claims", []) if isinstance(c, Claim) and _figure(c)}
    actors = {a.id: a for a in tables.get("actors", []) if isinstance(a, Actor)}
    sources = {s.id: s for s in tables.get("sources", []) if isinstance(s, Source)}
    contested = {
        _quantity(claims[i])
        for r in tables.get("claim_relations", [])
        if isinstance(r, ClaimRelation) and r.relation == Relation.CONTRADICTS
        for i in (r.claim_id, r.other_claim_id)
        if i in claims
    }
    chosen = [_point(c, claimant_name(c, actors, sources)) for c in claims.values() if _quantity(c) in contested]
    return sorted(chosen, key=Point.key)


def _figure(claim: Claim) -> bool:
    value = claim.value
    dated = (claim.as_of or claim.stated_on) is not None
    return dated and value is not None and (value.amount, value.low, value.high) != (None, None, None)


def _quantity(claim: Claim) -> Quantity:
    assert claim.value is not None
    return (str(claim.predicate), claim.scope, str(claim.value.unit))


def _point(claim: Claim, claimant: str) -> Point:
    value, day = claim.value, claim.as_of or claim.stated_on
    assert value is not None
    assert day is not None
    return Point(
        _quantity(claim), day, claimant, value.amount, value.low, value.high,
        str(value.qualifier), str(claim.status), claim.id,
    )  # fmt: skip


def panels(rows: Sequence[Point]) -> list[Quantity]:
    """The quantities drawn, most claims first (at most :data:`MAX_PANELS`)."""
    counts: dict[Quantity, int] = {}
    for row in rows:
        counts[row.quantity] = counts.get(row.quantity, 0) + 1
    ordered = sorted(counts, key=lambda q: (-counts[q], q[0], q[1] or "", q[2]))
    return ordered[:MAX_PANELS]


def title(quantity: Quantity) -> str:
    predicate, scope, unit = quantity
    return f"{predicate.replace('_', ' ')} — {scope or 'scope not stated'} ({unit})"


def render_png(rows: Iterable[Point]) -> bytes:
    """The chart as PNG bytes (the same points always give the same bytes)."""
    buffer = io.BytesIO()
    with matplotlib.style.context("default"):
        figure(rows).savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def figure(rows: Iterable[Point]) -> Figure:
    """The chart as a matplotlib Figure on an Agg canvas, drawn in matplotlib's default style."""
    ordered = sorted(rows, key=Point.key)
    shown = panels(ordered)
    with matplotlib.style.context("default"):
        drawn = Figure(figsize=(WIDTH, LEGEND_HEIGHT + PANEL_HEIGHT * max(len(shown), 1)), layout="constrained")
        FigureCanvasAgg(drawn)
        if not shown:
            drawn.text(0.5, 0.5, "No contested figures in this release.", ha="center", va="center")
        else:
            _draw(drawn, ordered, shown)
    return drawn


def _draw(figure: Figure, rows: list[Point], shown: list[Quantity]) -> None:
    claimants = sorted({r.claimant for r in rows if r.quantity in shown})
    palette = matplotlib.colormaps[PALETTE if len(claimants) <= 10 else "tab20"]
    colours = {name: to_hex(palette(i % palette.N)) for i, name in enumerate(claimants)}
    axes_list = figure.subplots(len(shown), 1, squeeze=False)[:, 0]
    for axes, quantity in zip(axes_list, shown, strict=True):
        _panel(axes, [r for r in rows if r.quantity == quantity], colours)
        axes.set_title(title(quantity), fontsize=10, loc="left")
    handles = [Line2D([], [], ls="", marker="o", color=colours[c], label=c) for c in claimants]
    handles += [
        Line2D([], [], ls="", marker="o", color="black", label="exact figure"),
        Line2D([], [], ls="", marker="o", mfc="white", color="black", label="approximate (about, over, range…)"),
        Line2D([], [], ls="", marker="x", color="black", label="retracted"),
    ]
    figure.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=8, frameon=False)


def _panel(axes: Axes, rows: list[Point], colours: Mapping[str, str]) -> None:
    days = sorted({r.day for r in rows})
    first = days[0]  # x is days since the first day: no matplotlib date epoch involved
    for day in days:
        same_day = sorted((r for r in rows if r.day == day), key=lambda r: (r.y, r.claimant, r.claim_id))
        step = DODGE / len(same_day)
        xs = [(day - first).days + (i - (len(same_day) - 1) / 2) * step for i in range(len(same_day))]
        if len(same_day) > MAX_DAY_LABELS:
            _crowded(axes, same_day, xs, colours)
            continue
        for i, (row, x) in enumerate(zip(same_day, xs, strict=True)):
            side = "left" if i == 0 and len(same_day) > 1 else "right" if i == len(same_day) - 1 else "above"
            side = "below" if side == "above" and i % 2 == 0 else side
            _marker(axes, row, x, colours[row.claimant], side=side)
    span = (days[-1] - first).days
    axes.set_xlim(-1, span + 1)
    axes.xaxis.set_major_locator(MultipleLocator(max(1, (span + 2) // 8)))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: _day_label(first + timedelta(days=round(value)))))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
    top = max(r.high if r.high is not None else r.y for r in rows)
    axes.set_ylim(0, top * 1.15 or 1)
    axes.grid(axis="y", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)


LABEL_PLACES = {
    "left": ((-6, 0), "right", "center"),
    "right": ((6, 0), "left", "center"),
    "above": ((0, 7), "center", "bottom"),
    "below": ((0, -7), "center", "top"),
}
"""Where a figure's label goes: the first of a day's claims on the left, the last on the right, the others
above and below in turn."""


def _crowded(axes: Axes, rows: list[Point], xs: list[float], colours: Mapping[str, str]) -> None:
    """A crowded day: one marker per claim, drawn a style at a time; labels on the lowest and highest only."""
    styles: dict[tuple[tuple[str, Any], ...], tuple[list[float], list[float]]] = {}
    for row, x in zip(rows, xs, strict=True):
        _range_bar(axes, row, x, colours[row.claimant])
        style = styles.setdefault(tuple(sorted(_style(row, colours[row.claimant]).items())), ([], []))
        style[0].append(x)
        style[1].append(row.y)
    for style_items, (x_values, y_values) in sorted(styles.items()):
        axes.plot(x_values, y_values, ls="", **dict(style_items))
    _label(axes, rows[0], xs[0], "left")
    _label(axes, rows[-1], xs[-1], "right")


def _marker(axes: Axes, row: Point, x: float, colour: str, *, side: str) -> None:
    """The claim's marker (and range bar) and its label on ``side``."""
    _range_bar(axes, row, x, colour)
    axes.plot([x], [row.y], ls="", **_style(row, colour))
    _label(axes, row, x, side)


def _range_bar(axes: Axes, row: Point, x: float, colour: str) -> None:
    if row.low is not None and row.high is not None and row.amount is None:
        axes.plot([x, x], [row.low, row.high], color=colour, linewidth=1.5)


def _style(row: Point, colour: str) -> dict[str, Any]:
    """The marker of a claim: an x if retracted, else a circle, filled for an exact figure."""
    if row.status == Status.RETRACTED:
        return {"marker": "x", "markersize": 8, "mew": 2, "color": colour}
    return {
        "marker": "o",
        "markersize": 7,
        "mew": 1.5,
        "color": colour,
        "mfc": colour if row.qualifier == "exact" else "white",
    }


def _label(axes: Axes, row: Point, x: float, side: str) -> None:
    label = figure_label(row) + (" (retracted)" if row.status == Status.RETRACTED else "")
    offset, ha, va = LABEL_PLACES[side]
    # Every x lies inside the panel's limits and every y below its top (_panel), so a label above 0 is never
    # clipped: annotation_clip=False skips matplotlib's per-label hit test (a tenth of the chart's time).
    inside = row.y > 0
    axes.annotate(label, (x, row.y), textcoords="offset points", xytext=offset, ha=ha, va=va, fontsize=7,
                  annotation_clip=False if inside else None)  # fmt: skip


def figure_label(row: Point) -> str:
    """'5,969', 'about 5,800', '9,000–10,000': the figure as stated."""
    if row.amount is None:
        return "–".join(f"{b:,.0f}" for b in (row.low, row.high) if b is not None)
    hedge = "" if row.qualifier == "exact" else row.qualifier.replace("_", " ") + " "
    return f"{hedge}{row.amount:,.0f}"


def _day_label(day: date) -> str:
    """'9 Jan 2022', whatever the locale."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
