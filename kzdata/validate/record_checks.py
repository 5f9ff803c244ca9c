"""Checks of one record on its own: time, quantities, spans and deterministic ids.

Each check returns findings ``(code, JSON Pointer, message)``; checks that need other
records (references, quotes, duplicates) live in :mod:`kzdata.validate.ledger`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date

from kzdata.records import ids
from kzdata.records.models import Actor, AnyRecord, Claim, ClaimRelation, Event, Quantity, Source, Value
from kzdata.records.vocab import Predicate, Qualifier, Unit
from kzdata.validate.parse import Finding

WINDOW_START = date(2021, 12, 1)
"""Dates of events, figures and publications before this are warned about (KZ404)."""

NUMERIC_PREDICATES = frozenset({Predicate.DETAINED, Predicate.KILLED, Predicate.INJURED, Predicate.TROOPS_DEPLOYED})
UNITS: dict[Predicate, frozenset[Unit]] = {
    Predicate.DETAINED: frozenset({Unit.PEOPLE, Unit.CHILDREN, Unit.OTHER}),
    Predicate.KILLED: frozenset({Unit.PEOPLE, Unit.CHILDREN, Unit.OTHER}),
    Predicate.INJURED: frozenset({Unit.PEOPLE, Unit.CHILDREN, Unit.OTHER}),
    Predicate.TROOPS_DEPLOYED: frozenset({Unit.TROOPS, Unit.PEOPLE, Unit.VEHICLES, Unit.OTHER}),
}
"""Units allowed per predicate; predicates not listed take any unit."""


def check_record(record: AnyRecord) -> list[Finding]:
    """Every single-record finding for a record."""
    return _CHECKS[record.record_type](record)


def check_claim(claim: Claim) -> list[Finding]:
    """Span, dates and value of a claim (its id is checked by the ledger with its duplicates)."""
    out: list[Finding] = []
    span = claim.span
    start, end, length = span.start, span.end, len(claim.quote)
    if end <= start:
        out.append(("KZ306", "/span", f"span end {end} is not after start {start} — spans are [start, end)"))
    elif end - start != length:
        out.append(
            (
                "KZ307",
                "/span",
                f"span covers {end - start} characters but the quote has {length} — "
                "set end = start + len(quote) (Python str indices)",
            )
        )
    as_of, stated_on = claim.as_of, claim.stated_on
    if as_of and stated_on and as_of > stated_on:
        out.append(
            (
                "KZ402",
                "/as_of",
                f"as_of {as_of} is after stated_on {stated_on} — "
                "a figure cannot refer to a later day than the day it was stated",
            )
        )
    if as_of is not None and not WINDOW_START <= as_of <= _TODAY:
        out.extend(_window(as_of, "/as_of"))
    if stated_on is not None and not WINDOW_START <= stated_on <= _TODAY:
        out.extend(_window(stated_on, "/stated_on"))
    value, predicate = claim.value, claim.predicate
    if value is not None:
        allowed = UNITS.get(predicate)
        plain = value.low is None and value.high is None and value.amount is not None
        if not plain or value.qualifier in _SPECIAL or (allowed is not None and value.unit not in allowed):
            out.extend(_value(value, predicate))
    elif predicate in NUMERIC_PREDICATES:
        out.append(
            ("KZ504", "/value", f"a {predicate.value!r} claim has no value — add the figure, or use another predicate")
        )
    return out


_SPECIAL = frozenset({Qualifier.RANGE, Qualifier.VAGUE})
"""Qualifiers that need more than an amount; a plain amount with any other is always consistent."""


def _value(value: Value, predicate: Predicate) -> list[Finding]:
    out: list[Finding] = []
    amount, low, high = value.amount, value.low, value.high
    if (low is not None and amount is not None and low > amount) or (
        high is not None and amount is not None and amount > high
    ):
        out.append(
            (
                "KZ501",
                "/value",
                f"bounds out of order: low={low}, amount={amount}, high={high} — need low <= amount <= high",
            )
        )
    elif low is not None and high is not None and low > high:
        out.append(("KZ501", "/value", f"low {low} is above high {high} — swap them"))
    allowed = UNITS.get(predicate)
    if allowed is not None and value.unit not in allowed:
        units = ", ".join(sorted(u.value for u in allowed))
        out.append(
            (
                "KZ502",
                "/value/unit",
                f"unit {value.unit.value!r} does not fit a {predicate.value!r} claim — use one of: {units}",
            )
        )
    problem = _qualifier_problem(value)
    if problem:
        out.append(("KZ503", "/value/qualifier", f"qualifier {value.qualifier.value!r}: {problem}"))
    return out


def _qualifier_problem(value: Value) -> str | None:  # noqa: PLR0911 - one return per qualifier rule
    q, amount, low, high = value.qualifier, value.amount, value.low, value.high
    if low is None and high is None and amount is not None and q is not Qualifier.RANGE and q is not Qualifier.VAGUE:
        return None
    if q is Qualifier.VAGUE:
        return "a vague figure has amount null — move the number to low/high" if amount is not None else None
    if q is Qualifier.RANGE:
        return None if low is not None and high is not None else "a range needs both low and high — set them"
    if amount is None:
        return "the qualifier needs an amount — set it, or use 'range' or 'vague'"
    if q is Qualifier.EXACT and (low not in (None, amount) or high not in (None, amount)):
        return "an exact figure has no other bounds — drop low/high or change the qualifier"
    if q in (Qualifier.OVER, Qualifier.AT_LEAST) and low not in (None, amount):
        return f"low must equal amount for {q.value!r} — set low = {amount} or drop it"
    if q in (Qualifier.ALMOST, Qualifier.UP_TO, Qualifier.UNDER) and high not in (None, amount):
        return f"high must equal amount for {q.value!r} — set high = {amount} or drop it"
    return None


def check_source(source: Source) -> list[Finding]:
    return _window(source.published, "/published")


def check_event(event: Event) -> list[Finding]:
    out: list[Finding] = []
    if event.start and event.end and event.end < event.start:
        out.append(("KZ403", "/end", f"end {event.end} is before start {event.start} — swap them or fix the dates"))
    out.extend(_window(event.start, "/start"))
    out.extend(_window(event.end, "/end"))
    location = event.location.name if event.location else None
    expected = ids.event_id(event.event_type.value, event.start, location, event.title)
    if event.id != expected:
        out.append(id_finding(event.id, expected, "event_type, start, location name and title"))
    return out


def check_actor(actor: Actor) -> list[Finding]:
    out: list[Finding] = []
    for index, role in enumerate(actor.roles):
        if role.start and role.end and role.end < role.start:
            out.append(
                ("KZ403", f"/roles/{index}/end", f"role end {role.end} is before start {role.start} — fix the dates")
            )
    try:
        expected = ids.actor_id(actor.name)
    except ValueError:
        return out
    if actor.id != expected:
        out.append(id_finding(actor.id, expected, "the canonical name"))
    return out


def check_relation(relation: ClaimRelation) -> list[Finding]:
    expected = ids.relation_id(relation.claim_id, relation.other_claim_id, relation.relation.value)
    return [] if relation.id == expected else [id_finding(relation.id, expected, "claim ids and relation")]


def check_quantity(quantity: Quantity) -> list[Finding]:
    """Its id follows the rule, and low ≤ best ≤ high where they are given."""
    value = quantity.predicate.value
    expected = ids.quantity_id(value, quantity.scope, quantity.unit.value, quantity.as_of)
    out = [] if quantity.id == expected else [id_finding(quantity.id, expected, "predicate, scope, unit and as_of")]
    figures = [("low", quantity.low), ("best", quantity.best), ("high", quantity.high)]
    given = [(name, amount) for name, amount in figures if amount is not None]
    for (name, amount), (next_name, next_amount) in itertools.pairwise(given):
        if amount > next_amount:
            out.append(
                ("KZ501", f"/{name}", f"{name} {amount} is above {next_name} {next_amount} — derive the row again")
            )
    return out


_TODAY = date.today()


def _window(day: date | None, where: str) -> list[Finding]:
    if day is None or WINDOW_START <= day <= _TODAY:
        return []
    when = "in the future" if day > _TODAY else f"before {WINDOW_START}"
    return [("KZ404", where, f"{day} is {when}, outside the dataset's window — check the year")]


def id_finding(found: str, expected: str, fields: str) -> Finding:
    return ("KZ605", "/id", f"id {found!r} is not derived from {fields}; expected {expected!r} — use the expected id")


_CHECKS: dict[str, Callable[..., list[Finding]]] = {
    "claim": check_claim,
    "source": check_source,
    "event": check_event,
    "actor": check_actor,
    "claim_relation": check_relation,
    "quantity": check_quantity,
}
