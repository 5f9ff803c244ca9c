"""Linking claims to events, and deriving the events that claims clearly report.

**Linking.** A claim without an ``event_id`` is linked to an event when all of these hold:

- the event's type fits the claim's predicate (:data:`EVENT_TYPES`: ``detained`` → detention,
  ``troops_deployed`` → deployment, ``arrest`` → arrest, ``killed`` → killing or riot, …);
- for claims about a named person (arrest, resignation, appointment, release) the claim's
  ``subject_id`` takes part in the event;
- the places agree: a claim scoped to a place ("Almaty") fits an event there or a
  nationwide one; a "nationwide" claim fits only a nationwide event (no location, or a
  country-level one);
- the dates agree: the claim's day (``as_of``, else ``stated_on``) is not before the event's
  start. Among several fitting events the one whose window contains the day wins, then the
  latest start, then the smallest id. A claim without a day is linked only when exactly one
  event fits.

**Deriving.** Claims still unlinked that clearly report an event create one: a figure of
people detained (a detention wave, one per scope), a figure of troops deployed (a
deployment, one per scope), the arrest of a named person (one per person). The event spans
the days of its claims; its id comes from :func:`kzdata.records.ids.event_id`, so it is the same
whatever the order of the input.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from kzdata.build.relations import reference_day
from kzdata.records import ids
from kzdata.records.models import Claim, Event, Participant
from kzdata.records.vocab import EventType, LocationPrecision, ParticipantRole, Predicate

NATIONWIDE = "nationwide"

EVENT_TYPES: dict[Predicate, tuple[EventType, ...]] = {
    Predicate.DETAINED: (EventType.DETENTION,),
    Predicate.KILLED: (EventType.KILLING, EventType.RIOT),
    Predicate.INJURED: (EventType.KILLING, EventType.RIOT),
    Predicate.TROOPS_DEPLOYED: (EventType.DEPLOYMENT,),
    Predicate.ARREST: (EventType.ARREST,),
    Predicate.RESIGNATION: (EventType.RESIGNATION,),
    Predicate.APPOINTMENT: (EventType.APPOINTMENT,),
    Predicate.RELEASE: (EventType.RELEASE,),
    Predicate.INTERNET_SHUTDOWN: (EventType.INTERNET_SHUTDOWN,),
}
"""Event types a claim of each predicate can be about."""

NAMED_SUBJECT = frozenset({Predicate.ARREST, Predicate.RESIGNATION, Predicate.APPOINTMENT, Predicate.RELEASE})
DERIVED_RULE = "build.derive"


@dataclass(frozen=True, slots=True)
class LinkResult:
    """Claims with their ``event_id`` set where an event fits, and the events derived."""

    claims: tuple[Claim, ...]
    derived: tuple[Event, ...]
    linked: int
    """How many claims gained an event link (to a given or a derived event)."""


def link_events(
    claims: Iterable[Claim], events: Sequence[Event], actor_names: Mapping[str, str] | None = None
) -> LinkResult:
    """Link claims to the given events, derive events for the rest, link those too."""
    ordered = sorted(claims, key=lambda c: c.id)
    linked = {c.id: match_event(c, events) for c in ordered if c.event_id is None}
    pending = [c for c in ordered if c.event_id is None and linked[c.id] is None]
    derived = derive_events(pending, actor_names or {})
    for event, members in derived:
        for claim in members:
            linked[claim.id] = event.id
    out = [c.model_copy(update={"event_id": linked[c.id]}) if linked.get(c.id) else c for c in ordered]
    return LinkResult(
        claims=tuple(out),
        derived=tuple(sorted((event for event, _ in derived), key=lambda e: e.id)),
        linked=sum(1 for value in linked.values() if value),
    )


def match_event(claim: Claim, events: Sequence[Event]) -> str | None:
    """Id of the event the claim is about, or None; see the module docstring."""
    fitting = [e for e in events if _fits(claim, e)]
    day = reference_day(claim)
    if day is None:
        return fitting[0].id if len(fitting) == 1 else None
    dated = [e for e in fitting if e.start is None or e.start <= day]
    if not dated:
        return None
    best = max(dated, key=lambda e: (_contains(e, day), e.start or date.min, _reverse(e.id)))
    return best.id


def _reverse(text: str) -> tuple[int, ...]:
    """A key that makes max() prefer the smallest string."""
    return tuple(-ord(char) for char in text)


def _fits(claim: Claim, event: Event) -> bool:
    if event.event_type not in EVENT_TYPES.get(claim.predicate, ()):
        return False
    if claim.predicate in NAMED_SUBJECT and claim.subject_id not in {p.actor_id for p in event.participants}:
        return False
    return _same_place(claim.scope, event)


def _same_place(scope: str | None, event: Event) -> bool:
    location = event.location
    if location is None or location.precision is LocationPrecision.COUNTRY:
        return True
    if scope is None:
        return True
    return scope != NATIONWIDE and scope in {location.name, location.admin1}


def _contains(event: Event, day: date) -> bool:
    if event.start is None:
        return False
    return event.start <= day <= (event.end or event.start)


def derive_events(claims: Sequence[Claim], actor_names: Mapping[str, str]) -> list[tuple[Event, list[Claim]]]:
    """Events that unlinked claims clearly report, each with the claims that report it."""
    groups: dict[tuple[EventType, str], list[Claim]] = defaultdict(list)
    for claim in claims:
        key = _derivation_key(claim)
        if key is not None:
            groups[key].append(claim)
    return [(_derived_event(kind, key, members, actor_names), members) for (kind, key), members in groups.items()]


def _derivation_key(claim: Claim) -> tuple[EventType, str] | None:
    if reference_day(claim) is None:
        return None
    if claim.predicate is Predicate.DETAINED and claim.value is not None:
        return (EventType.DETENTION, claim.scope or NATIONWIDE)
    if claim.predicate is Predicate.TROOPS_DEPLOYED and claim.value is not None:
        return (EventType.DEPLOYMENT, claim.scope or NATIONWIDE)
    if claim.predicate is Predicate.ARREST and claim.subject_id is not None:
        return (EventType.ARREST, claim.subject_id)
    return None


def _derived_event(kind: EventType, key: str, members: Sequence[Claim], actor_names: Mapping[str, str]) -> Event:
    days = sorted(day for day in (reference_day(c) for c in members) if day is not None)
    start, end = days[0], days[-1]
    if kind is EventType.ARREST:
        title = f"Arrest of {actor_names.get(key, key)}"
        participants = [Participant(actor_id=key, role=ParticipantRole.TARGET)]
    else:
        noun = "Mass detentions" if kind is EventType.DETENTION else "Deployment of troops"
        title = f"{noun} ({key})"
        participants = []
    claim_ids = ", ".join(sorted(c.id for c in members))
    return Event(
        record_type="event",
        id=ids.event_id(kind.value, start, None, title),
        event_type=kind,
        title=title,
        start=start,
        end=end if end != start else None,
        participants=participants,
        summary=f"Derived by kzdata build from {len(members)} claim(s) that report it.",
        notes=f"{DERIVED_RULE}.{kind.value}: derived from {claim_ids}",
    )
