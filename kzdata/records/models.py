"""The record contract: Source, Actor, Event and Claim, and their parts.

Models are strict: unknown fields are rejected, ``"12"`` is not an integer, ``true`` is not
a number, dates are ``YYYY-MM-DD`` strings in JSON, NaN and Infinity are refused. One
deliberate allowance follows JSON Schema: a number with a zero fraction (``1.0``) is an
integer, because JSON has a single number type and the published schemas say so.

Constraints that relate two fields (``span.end > span.start``, ``low <= amount <= high``)
are not model errors: they are consistency checks reported by :mod:`kzdata.validate`, so
that the models and the published JSON Schemas accept exactly the same documents.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from kzdata.records import ids
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


def _integral_float_to_int(value: Any) -> Any:
    if type(value) is float and value.is_integer():
        return int(value)
    return value


NonNegInt = Annotated[int, Field(ge=0), BeforeValidator(_integral_float_to_int)]
NonNegFloat = Annotated[float, Field(ge=0)]
Text = Annotated[str, StringConstraints(min_length=1)]
SourceId = Annotated[str, StringConstraints(pattern=ids.SOURCE_ID_PATTERN)]
ActorId = Annotated[str, StringConstraints(pattern=ids.ACTOR_ID_PATTERN)]
EventId = Annotated[str, StringConstraints(pattern=ids.EVENT_ID_PATTERN)]
ClaimId = Annotated[str, StringConstraints(pattern=ids.CLAIM_ID_PATTERN)]
RelationId = Annotated[str, StringConstraints(pattern=ids.RELATION_ID_PATTERN)]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
WikidataId = Annotated[str, StringConstraints(pattern=r"^Q[1-9][0-9]*$")]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
HttpUrl = Annotated[str, StringConstraints(pattern=r"^https?://[^\s/$.?#][^\s]*$")]
RepoPath = Annotated[str, StringConstraints(pattern=r"^[^/\\\s][^\\]*$")]
Amount = NonNegInt | NonNegFloat


class _Part(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False, frozen=True)


class Span(_Part):
    """Character offsets of a quote in the source text (Python str indices, end exclusive)."""

    start: NonNegInt = Field(description="Offset of the first character of the quote in the source text.")
    end: NonNegInt = Field(description="Offset just past the last character of the quote (exclusive).")


class Value(_Part):
    """A figure with its hedging: amount, bounds, unit and qualifier."""

    amount: Amount | None = Field(description="The figure as stated; null for vague amounts ('dozens') or pure ranges.")
    low: Amount | None = Field(default=None, description="Lower bound implied by the text, if any.")
    high: Amount | None = Field(default=None, description="Upper bound implied by the text, if any.")
    unit: Unit = Field(description="What the figure counts.")
    qualifier: Qualifier = Field(default=Qualifier.EXACT, description="How the figure is hedged in the text.")


class Location(_Part):
    """Where something happened."""

    name: Text = Field(description="Place name as used in English reporting (e.g. 'Almaty').")
    admin1: str | None = Field(default=None, description="First-level administrative region, if known.")
    country: CountryCode = Field(default="KZ", description="ISO 3166-1 alpha-2 country code.")
    lat: float | None = Field(default=None, ge=-90, le=90, description="Latitude in decimal degrees (WGS 84).")
    lon: float | None = Field(default=None, ge=-180, le=180, description="Longitude in decimal degrees (WGS 84).")
    precision: LocationPrecision = Field(
        default=LocationPrecision.CITY, description="How precisely the location is known."
    )


class ActorRole(_Part):
    """A position an actor held, with the window in which it held it."""

    title: Text = Field(description="The position, e.g. 'Chairman of the Security Council'.")
    organization_id: ActorId | None = Field(
        default=None, description="Actor id of the body the position belongs to, if it is an actor."
    )
    start: date | None = Field(default=None, description="First day in the role; null if unknown or long before.")
    end: date | None = Field(default=None, description="Last day in the role; null if still held or unknown.")


class Participant(_Part):
    """An actor taking part in an event."""

    actor_id: ActorId = Field(description="Id of the participating actor.")
    role: ParticipantRole = Field(description="The part the actor plays in the event.")


class _Record(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", allow_inf_nan=False, frozen=True)


class Source(_Record):
    """An article: the text every claim quotes, with what is known about its publication."""

    record_type: Literal["source"] = Field(description="Record discriminator; always 'source'.")
    id: SourceId = Field(description="'src-' + first 12 hex of the SHA-256 of the text file's bytes.")
    title: Text = Field(description="Headline of the article.")
    outlet: Text = Field(description="Publication or site that published the article.")
    authors: list[Text] = Field(default_factory=list, description="Bylined authors, in order.")
    published: date | None = Field(description="Publication date; null if it cannot be established.")
    published_basis: DateBasis = Field(description="How the publication date was established.")
    language: LanguageCode = Field(description="ISO 639 code of the language of the text as stored.")
    original_language: LanguageCode | None = Field(
        default=None, description="ISO 639 code of the language the article was written in, if translated."
    )
    machine_translated: bool = Field(default=False, description="True if the stored text is a machine translation.")
    url: HttpUrl | None = Field(default=None, description="Where the article was published, if known.")
    path: RepoPath = Field(description="POSIX path of the text file, relative to the records file or texts dir.")
    sha256: Sha256 = Field(description="SHA-256 of the text file's bytes (lowercase hex).")
    length: NonNegInt = Field(description="Length of the text in characters (the domain of span offsets).")
    notes: str | None = Field(default=None, description="Free-text remarks on the source.")


class Actor(_Record):
    """A person, body, state, alliance, group or outlet that acts or speaks."""

    record_type: Literal["actor"] = Field(description="Record discriminator; always 'actor'.")
    id: ActorId = Field(description="'act-' + kebab slug of the canonical name.")
    name: Text = Field(description="Canonical name in English.")
    actor_type: ActorType = Field(description="What kind of actor.")
    country: CountryCode | None = Field(default=None, description="ISO 3166-1 alpha-2 country the actor belongs to.")
    aliases: list[Text] = Field(
        default_factory=list, description="Every other surface form seen for the actor (Latin and Cyrillic)."
    )
    roles: list[ActorRole] = Field(default_factory=list, description="Positions held, with date windows.")
    wikidata_id: WikidataId | None = Field(default=None, description="Wikidata item id (e.g. 'Q1133') if known.")
    notes: str | None = Field(default=None, description="Free-text remarks on the actor.")


class Event(_Record):
    """Something that happened, to which claims refer."""

    record_type: Literal["event"] = Field(description="Record discriminator; always 'event'.")
    id: EventId = Field(description="'evt-' + 16 hex of the SHA-256 of type, start, location name and title.")
    event_type: EventType = Field(description="What kind of event.")
    title: Text = Field(description="Short name of the event.")
    start: date | None = Field(description="First day of the event; null if unknown.")
    end: date | None = Field(default=None, description="Last day of the event; null if a single day or ongoing.")
    date_precision: DatePrecision = Field(default=DatePrecision.DAY, description="How precisely start/end are known.")
    location: Location | None = Field(default=None, description="Where it happened; null if nationwide or unknown.")
    participants: list[Participant] = Field(default_factory=list, description="Actors taking part, with roles.")
    summary: str | None = Field(default=None, description="One or two sentences on what happened.")
    notes: str | None = Field(default=None, description="Free-text remarks on the event.")


class Claim(_Record):
    """One assertion in one source: who said what, when, as of when, quoted exactly."""

    record_type: Literal["claim"] = Field(description="Record discriminator; always 'claim'.")
    id: ClaimId = Field(description="'clm-' + 16 hex of the SHA-256 of source id, span and predicate.")
    source_id: SourceId = Field(description="Id of the source the quote is taken from.")
    claimant_id: ActorId | None = Field(description="Who asserts it; null means the outlet itself.")
    relayed_by: list[ActorId] = Field(
        default_factory=list, description="Intermediaries the claim reached the outlet through (e.g. Reuters)."
    )
    event_id: EventId | None = Field(default=None, description="The event the claim is about, if linked.")
    subject_id: ActorId | None = Field(
        default=None, description="The named actor the claim is about (the person arrested, appointed…)."
    )
    predicate: Predicate = Field(description="What the claim asserts.")
    scope: str | None = Field(
        default=None, description="What exactly is counted, e.g. 'nationwide' or 'Almaty'; groups comparable figures."
    )
    value: Value | None = Field(default=None, description="The figure, for numeric claims; null otherwise.")
    label: str | None = Field(
        default=None, description="The words of a non-numeric claim, e.g. the characterization 'terrorist attack'."
    )
    as_of: date | None = Field(default=None, description="The date the figure refers to.")
    as_of_precision: DatePrecision = Field(default=DatePrecision.DAY, description="How precisely as_of is known.")
    stated_on: date | None = Field(default=None, description="When the claimant made the claim.")
    stated_on_precision: DatePrecision = Field(
        default=DatePrecision.DAY, description="How precisely stated_on is known."
    )
    quote: Text = Field(description="Exact text of the source at span.")
    span: Span = Field(description="Where the quote is in the source text.")
    method: Method = Field(description="How the claim was produced.")
    rule_id: str | None = Field(default=None, description="Id of the extraction rule, when method is 'rule'.")
    confidence: float = Field(ge=0, le=1, description="Confidence in the record, 0 to 1.")
    status: Status = Field(default=Status.REPORTED, description="Where the claim stands.")
    notes: str | None = Field(default=None, description="Free-text remarks (corrections, retractions, doubts).")


class ClaimRelation(_Record):
    """A derived link between two claims about the same quantity; built, not contributed."""

    record_type: Literal["claim_relation"] = Field(description="Record discriminator; always 'claim_relation'.")
    id: RelationId = Field(description="'rel-' + 16 hex of the SHA-256 of claim id, other claim id and relation.")
    claim_id: ClaimId = Field(description="The later or newer claim of the pair.")
    other_claim_id: ClaimId = Field(description="The claim it relates to.")
    relation: Relation = Field(description="How claim_id relates to other_claim_id.")
    predicate: Predicate = Field(description="The predicate both claims share.")
    scope: str | None = Field(description="The scope both claims share (what is counted).")
    note: str | None = Field(default=None, description="Why the relation was drawn (dates, values, claimants).")


QuantityId = Annotated[str, StringConstraints(pattern=ids.QUANTITY_ID_PATTERN)]


class Quantity(_Record):
    """One quantity (predicate, scope, unit) as of one day: low / best / high and who said them."""

    record_type: Literal["quantity"] = Field(description="Record discriminator; always 'quantity'.")
    id: QuantityId = Field(description="'qty-' + 16 hex of the SHA-256 of predicate, scope, unit and as_of.")
    predicate: Predicate = Field(description="What is counted, as in the claims (e.g. 'detained').")
    scope: str | None = Field(
        description="The claims' scope: where and whom the count covers (e.g. 'nationwide, security forces')."
    )
    unit: Unit = Field(description="What the figures count.")
    as_of: date = Field(description="The day the figures refer to (the claims' as_of, else their stated_on).")
    low: Amount | None = Field(
        description="Smallest figure stated by a standing claim (not retracted, corrected or withdrawn); null if none."
    )
    best: Amount | None = Field(description="The figure chosen by `rule`; always a figure some claim stated.")
    high: Amount | None = Field(
        description="Largest figure stated by a standing claim (not retracted, corrected or withdrawn); null if none."
    )
    low_claim_ids: list[ClaimId] = Field(description="The standing claims that state `low`, sorted.")
    best_claim_ids: list[ClaimId] = Field(
        description="The standing claims that state `best` as an exact or approximate figure, sorted."
    )
    high_claim_ids: list[ClaimId] = Field(description="The standing claims that state `high`, sorted.")
    claim_ids: list[ClaimId] = Field(description="Every claim about this quantity and day, retracted ones included.")
    n_claims: NonNegInt = Field(description="Number of claims behind the row (len of claim_ids).")
    n_claimants: NonNegInt = Field(
        description="Number of distinct claimants; a claim without claimant counts as its source's outlet."
    )
    n_sources: NonNegInt = Field(description="Number of distinct sources the claims are quoted from.")
    contested: bool = Field(description="True when two standing claims of the row are linked by 'contradicts'.")
    latest_official: Amount | None = Field(
        description="The newest exact or approximate figure of the day from the body responsible for the count."
    )
    latest_official_claim_id: ClaimId | None = Field(description="The claim that states latest_official.")
    latest_official_claimant_id: ActorId | None = Field(
        description="The responsible body that stated latest_official (see kzdata/build/data/responsible.yaml)."
    )
    rule: BestRule = Field(description="The documented rule that chose `best`.")


Record = Annotated[Source | Actor | Event | Claim | ClaimRelation | Quantity, Field(discriminator="record_type")]
AnyRecord = Source | Actor | Event | Claim | ClaimRelation | Quantity
"""Any record model (the members of :data:`Record`)."""
