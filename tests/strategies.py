"""Hypothesis strategies that build valid kzdata records (shared by the test modules)."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from kzdata.records import ids
from kzdata.records.models import (
    Actor,
    ActorRole,
    Claim,
    ClaimRelation,
    Event,
    Location,
    Participant,
    Quantity,
    Source,
    Span,
    Value,
)
from kzdata.records.vocab import (
    ActorType,
    BestRule,
    DateBasis,
    DatePrecision,
    EventType,
    LocationPrecision,
    Method,
    ParticipantRole,
    Predicate,
    Qualifier,
    Relation,
    Status,
    Unit,
)

hex12 = st.text("0123456789abcdef", min_size=12, max_size=12)
hex16 = st.text("0123456789abcdef", min_size=16, max_size=16)
source_ids = hex12.map(lambda h: "src-" + h)
event_ids = hex16.map(lambda h: "evt-" + h)
claim_ids = hex16.map(lambda h: "clm-" + h)
relation_ids = hex16.map(lambda h: "rel-" + h)
slug_words = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)
actor_ids = st.lists(slug_words, min_size=1, max_size=4).map(lambda ws: "act-" + "-".join(ws))
# Text that survives JSON, CSV and Parquet: any Unicode but surrogates and NUL.
texts = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=40)
nonempty_texts = texts.filter(lambda s: len(s) > 0)
dates = st.dates(min_value=date(2021, 1, 1), max_value=date(2023, 12, 31))
opt_dates = st.none() | dates
amounts = st.none() | st.integers(0, 10**9) | st.floats(0, 1e9, allow_nan=False, allow_infinity=False)
languages = st.sampled_from(["en", "ru", "kk", "ko", "tr", "uk"])
countries = st.sampled_from(["KZ", "RU", "US", "KR", "GB"])


def _vocab(enum: type) -> st.SearchStrategy:  # type: ignore[type-arg]
    return st.sampled_from(list(enum))


spans = st.tuples(st.integers(0, 10**6), st.integers(0, 10**6)).map(lambda t: Span(start=min(t), end=max(t)))
values = st.builds(
    Value,
    amount=amounts,
    low=amounts,
    high=amounts,
    unit=_vocab(Unit),
    qualifier=_vocab(Qualifier),
)
locations = st.builds(
    Location,
    name=nonempty_texts,
    admin1=st.none() | texts,
    country=countries,
    lat=st.none() | st.floats(-90, 90),
    lon=st.none() | st.floats(-180, 180),
    precision=_vocab(LocationPrecision),
)
roles = st.builds(
    ActorRole, title=nonempty_texts, organization_id=st.none() | actor_ids, start=opt_dates, end=opt_dates
)

sources = st.builds(
    Source,
    record_type=st.just("source"),
    id=source_ids,
    title=nonempty_texts,
    outlet=nonempty_texts,
    authors=st.lists(nonempty_texts, max_size=3),
    published=opt_dates,
    published_basis=_vocab(DateBasis),
    language=languages,
    original_language=st.none() | languages,
    machine_translated=st.booleans(),
    url=st.none() | st.from_regex(r"\Ahttps://example\.org/[a-z0-9/-]{0,20}\Z"),
    path=st.from_regex(r"\A[a-z0-9_]{1,10}(/[a-z0-9_]{1,10}){0,2}\.txt\Z"),
    sha256=st.text("0123456789abcdef", min_size=64, max_size=64),
    length=st.integers(0, 10**6),
    notes=st.none() | texts,
)
actors = st.builds(
    Actor,
    record_type=st.just("actor"),
    id=actor_ids,
    name=nonempty_texts,
    actor_type=_vocab(ActorType),
    country=st.none() | countries,
    aliases=st.lists(nonempty_texts, max_size=4),
    roles=st.lists(roles, max_size=2),
    wikidata_id=st.none() | st.integers(1, 10**8).map(lambda n: f"Q{n}"),
    notes=st.none() | texts,
)
events = st.builds(
    Event,
    record_type=st.just("event"),
    id=event_ids,
    event_type=_vocab(EventType),
    title=nonempty_texts,
    start=opt_dates,
    end=opt_dates,
    date_precision=_vocab(DatePrecision),
    location=st.none() | locations,
    participants=st.lists(st.builds(Participant, actor_id=actor_ids, role=_vocab(ParticipantRole)), max_size=3),
    summary=st.none() | texts,
    notes=st.none() | texts,
)
claims = st.builds(
    Claim,
    record_type=st.just("claim"),
    id=claim_ids,
    source_id=source_ids,
    claimant_id=st.none() | actor_ids,
    relayed_by=st.lists(actor_ids, max_size=2),
    event_id=st.none() | event_ids,
    subject_id=st.none() | actor_ids,
    predicate=_vocab(Predicate),
    scope=st.none() | texts,
    value=st.none() | values,
    label=st.none() | texts,
    as_of=opt_dates,
    as_of_precision=_vocab(DatePrecision),
    stated_on=opt_dates,
    stated_on_precision=_vocab(DatePrecision),
    quote=nonempty_texts,
    span=spans,
    method=_vocab(Method),
    rule_id=st.none() | st.from_regex(r"\A[a-z]+(\.[a-z_]+){0,3}\Z"),
    confidence=st.floats(0, 1),
    status=_vocab(Status),
    notes=st.none() | texts,
)
claim_relations = st.builds(
    ClaimRelation,
    record_type=st.just("claim_relation"),
    id=relation_ids,
    claim_id=claim_ids,
    other_claim_id=claim_ids,
    relation=_vocab(Relation),
    predicate=_vocab(Predicate),
    scope=st.none() | texts,
    note=st.none() | texts,
)
quantities = st.builds(
    Quantity,
    record_type=st.just("quantity"),
    id=hex16.map(lambda h: "qty-" + h),
    predicate=_vocab(Predicate),
    scope=st.none() | texts,
    unit=_vocab(Unit),
    as_of=dates,
    low=amounts,
    best=amounts,
    high=amounts,
    low_claim_ids=st.lists(claim_ids, max_size=3),
    best_claim_ids=st.lists(claim_ids, max_size=3),
    high_claim_ids=st.lists(claim_ids, max_size=3),
    claim_ids=st.lists(claim_ids, max_size=3),
    n_claims=st.integers(0, 10**6),
    n_claimants=st.integers(0, 10**6),
    n_sources=st.integers(0, 10**6),
    contested=st.booleans(),
    latest_official=amounts,
    latest_official_claim_id=st.none() | claim_ids,
    latest_official_claimant_id=st.none() | actor_ids,
    rule=_vocab(BestRule),
)
records = st.one_of(sources, actors, events, claims, claim_relations, quantities)


def real_claim_id(source: str, start: int, end: int, predicate: Predicate) -> str:
    """The deterministic id a claim with these fields must carry."""
    return ids.claim_id(source, start, end, predicate.value)
