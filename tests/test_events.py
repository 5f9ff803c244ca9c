from __future__ import annotations

import json
import random
from pathlib import Path

from kzdata.build.events import link_events
from kzdata.records.jsonl import iter_records
from kzdata.records.models import Claim, Event
from kzdata.records.vocab import EventType, ParticipantRole

CASE = Path(__file__).parent / "data" / "build" / "events"
NAMES = {"act-vikram-ruzakhunov": "Vikram Ruzakhunov"}


def _load() -> tuple[list[Claim], list[Event]]:
    lines = [*(CASE / "claims.jsonl").read_text().splitlines(), *(CASE / "events.jsonl").read_text().splitlines()]
    records = list(iter_records(lines))
    return [r for r in records if isinstance(r, Claim)], [r for r in records if isinstance(r, Event)]


def test_claims_link_to_the_fitting_event_or_a_derived_one() -> None:
    claims, events = _load()
    result = link_events(claims, events, NAMES)
    titles = {e.id: e.title for e in [*events, *result.derived]}
    got = {str(c.notes): (titles.get(c.event_id, "(given)") if c.event_id else None) for c in result.claims}
    assert got == json.loads((CASE / "expected.json").read_text())
    assert result.linked == sum(1 for title in got.values() if title not in (None, "(given)"))


def test_derived_events_span_their_claims_and_name_their_subject() -> None:
    claims, events = _load()
    derived = {e.title: e for e in link_events(claims, events, NAMES).derived}
    arrest = derived["Arrest of Vikram Ruzakhunov"]
    assert arrest.event_type is EventType.ARREST
    assert (arrest.start, arrest.end) == (
        next(c.as_of for c in claims if c.notes == "arrest-other"),
        next(c.as_of for c in claims if c.notes == "arrest-other-later"),
    )
    assert [(p.actor_id, p.role) for p in arrest.participants] == [("act-vikram-ruzakhunov", ParticipantRole.TARGET)]
    assert arrest.notes is not None
    assert arrest.notes.startswith("build.derive.arrest: derived from clm-")
    assert sorted(derived) == [
        "Arrest of Vikram Ruzakhunov",
        "Deployment of troops (nationwide)",
        "Mass detentions (nationwide)",
    ]


def test_linking_does_not_depend_on_input_order() -> None:
    claims, events = _load()
    expected = link_events(claims, events, NAMES)
    for seed in range(4):
        rnd = random.Random(seed)
        c, e = claims[:], events[:]
        rnd.shuffle(c)
        rnd.shuffle(e)
        assert link_events(c, e, NAMES) == expected


def test_without_events_nothing_but_clear_reports_derive_events() -> None:
    claims, _ = _load()
    result = link_events(claims, [], NAMES)
    kinds = sorted(e.event_type.value for e in result.derived)
    assert kinds == ["arrest", "arrest", "deployment", "detention", "detention"]  # nationwide and Almaty
    unlinked = {str(c.notes) for c in result.claims if c.event_id is None}
    assert unlinked == {"killed-almaty", "killed-nationwide", "arrest-nobody", "internet-undated", "characterization"}
