"""Controlled vocabularies of the record contract.

Every enum value carries a one-line definition (``Member.definition``). The definitions
flow into the published JSON Schemas (``description`` of the enum) and into the
Table Schema of the releases, so that a contributor reading either knows what each
value means without reading Python.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Self

from pydantic import GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema


class Vocab(StrEnum):
    """A string enum whose members each carry a one-line ``definition``."""

    definition: str

    def __new__(cls, value: str, definition: str = "") -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.definition = definition
        return member

    @classmethod
    def definitions(cls) -> dict[str, str]:
        """Map each value to its one-line definition, in declaration order."""
        return {m.value: m.definition for m in cls}

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema: dict[str, Any] = handler(schema)
        json_schema = handler.resolve_ref_schema(json_schema)
        lines = [f"- `{value}`: {text}" for value, text in cls.definitions().items()]
        json_schema["description"] = (cls.__doc__ or cls.__name__).strip() + "\n\n" + "\n".join(lines)
        return json_schema


class Predicate(Vocab):
    """What a claim asserts."""

    DETAINED = "detained", "People held by the authorities en masse (detained, arrested, in custody)."
    KILLED = "killed", "People who died in the events (killed, dead, lost their lives, death toll)."
    INJURED = "injured", "People wounded or hospitalised in the events."
    TROOPS_DEPLOYED = "troops_deployed", "Military or security personnel sent or deployed (troops, peacekeepers)."
    ARREST = "arrest", "A named person was arrested or detained."
    RESIGNATION = "resignation", "A named person or a government resigned or was dismissed."
    APPOINTMENT = "appointment", "A named person was appointed to a post."
    RELEASE = "release", "A named person or a group was released from custody."
    ORDER_GIVEN = "order_given", "An authority gave an order (e.g. to shoot without warning)."
    INTERNET_SHUTDOWN = "internet_shutdown", "Internet or communications were cut or restored."
    CHARACTERIZATION = "characterization", "What the claimant called the events ('terrorist attack', 'coup attempt')."
    OTHER = "other", "Any other assertion worth keeping; explain it in notes."


class Qualifier(Vocab):
    """How a figure is hedged in the text; it determines low/high where it implies one."""

    EXACT = "exact", "The figure is stated as exact ('7,939 people')."
    ABOUT = "about", "Approximate in both directions ('about', 'some', 'around', 'approximately')."
    OVER = "over", "Strictly more than the amount ('over', 'more than'); low = amount."
    AT_LEAST = "at_least", "The amount or more ('at least'); low = amount."
    ALMOST = "almost", "Slightly less than the amount ('almost', 'nearly'); high = amount."
    UP_TO = "up_to", "The amount or fewer ('up to', 'as many as'); high = amount."
    UNDER = "under", "Strictly fewer than the amount ('under', 'fewer than'); high = amount."
    RANGE = "range", "Between low and high ('between 2,000 and 2,500'); amount may be null."
    VAGUE = "vague", "An unquantified amount ('dozens', 'hundreds'); amount is null, low/high may be set."


class Unit(Vocab):
    """What a figure counts."""

    PEOPLE = "people", "Persons (detainees, dead, injured, protesters)."
    TROOPS = "troops", "Military or security personnel."
    CHILDREN = "children", "Persons under 18."
    DAYS = "days", "A duration in days."
    BUILDINGS = "buildings", "Buildings or premises."
    VEHICLES = "vehicles", "Vehicles or aircraft."
    WEAPONS = "weapons", "Firearms or other weapons."
    CURRENCY_KZT = "kzt", "Kazakhstani tenge."
    CURRENCY_USD = "usd", "US dollars."
    PERCENT = "percent", "A percentage."
    OTHER = "other", "Anything else; explain it in notes."


class Status(Vocab):
    """Where a claim stands."""

    REPORTED = "reported", "Reported and not withdrawn."
    RETRACTED = "retracted", "Withdrawn by the claimant (e.g. a post that was deleted)."
    DISPUTED = "disputed", "Contested by another credible claimant."
    CORRECTED = "corrected", "Superseded by a correction from the same claimant."


class Method(Vocab):
    """How a record was produced."""

    HAND = "hand", "Written or checked by a person (curated or contributed)."
    RULE = "rule", "Produced by kzdata's rule-based extraction; rule_id names the rule."


class ActorType(Vocab):
    """What kind of actor."""

    PERSON = "person", "A natural person."
    GOVERNMENT_BODY = "government_body", "A ministry, office, agency or court of a state."
    STATE = "state", "A sovereign state as an actor."
    ALLIANCE = "alliance", "An intergovernmental alliance or organisation (e.g. CSTO, UN)."
    ORGANIZATION = "organization", "A non-governmental organisation, party or company."
    MEDIA = "media", "A news outlet, agency or broadcaster."
    GROUP = "group", "An unorganised or loosely organised group (protesters, 'terrorists')."
    OTHER = "other", "Anything else; explain it in notes."


class EventType(Vocab):
    """What kind of event."""

    PROTEST = "protest", "A demonstration or rally."
    RIOT = "riot", "Violent unrest: clashes, arson, looting, seizure of buildings."
    DETENTION = "detention", "A wave of detentions of many people."
    KILLING = "killing", "Deaths caused in the events."
    DEPLOYMENT = "deployment", "Troops or forces sent or deployed."
    ARREST = "arrest", "The arrest of a named person."
    RESIGNATION = "resignation", "A resignation or dismissal."
    APPOINTMENT = "appointment", "An appointment to a post."
    RELEASE = "release", "A release from custody."
    STATE_OF_EMERGENCY = "state_of_emergency", "A state of emergency or curfew declared or lifted."
    INTERNET_SHUTDOWN = "internet_shutdown", "Internet or communications cut or restored."
    SUMMIT = "summit", "A meeting of heads of state or government."
    MOURNING = "mourning", "A day of mourning."
    PRICE_CHANGE = "price_change", "A change of regulated prices (e.g. fuel)."
    STATEMENT = "statement", "A public address or statement as an event in itself."
    OTHER = "other", "Anything else; explain it in the summary."


class DatePrecision(Vocab):
    """How precisely a date is known; the date is the first day of the period."""

    DAY = "day", "The exact day."
    WEEK = "week", "Some day of the week starting on the date."
    MONTH = "month", "Some day of the month starting on the date."
    YEAR = "year", "Some day of the year starting on the date."


class DateBasis(Vocab):
    """How a source's publication date was established."""

    DATELINE = "dateline", "Read from a dateline in the text (e.g. 'January 10, 2022Updated: …')."
    GIVEN = "given", "Given by the contributor or seeds/sources.toml from outside the text."
    INFERRED = "inferred", "Inferred from the content (e.g. the latest event it reports)."
    UNKNOWN = "unknown", "Not established; published is null."


class LocationPrecision(Vocab):
    """How precisely a location is known."""

    EXACT = "exact", "A site: a square, building or street."
    CITY = "city", "A city or town."
    REGION = "region", "A first-level administrative region."
    COUNTRY = "country", "Somewhere in the country."


class ParticipantRole(Vocab):
    """The part an actor plays in an event."""

    ACTOR = "actor", "Carried the event out (e.g. police detaining, troops deploying)."
    TARGET = "target", "The event was done to it (e.g. the detained, the dismissed)."
    ORGANIZER = "organizer", "Called, ordered or convened the event."
    PARTICIPANT = "participant", "Took part (e.g. a summit member)."
    OBSERVER = "observer", "Reported or commented on the event."


class Relation(Vocab):
    """How one claim relates to another about the same quantity (same predicate and scope)."""

    UPDATES = "updates", "A later figure from the same claimant for the same quantity."
    CONTRADICTS = "contradicts", "A different figure for the same quantity as of the same day."
    REPEATS = "repeats", "The same figure for the same quantity, in another source."
    RETRACTS = "retracts", "The claim withdraws the other (e.g. a deleted post)."


class BestRule(Vocab):
    """Which documented rule chose the ``best`` figure of a quantity row (see kzdata.build.quantities)."""

    OFFICIAL_LATEST = "official_latest", "The newest figure of that day from the body responsible for the count."
    MEDIAN_OF_CLAIMANTS = (
        "median_of_claimants",
        (
            "No responsible body gave a figure: the median (the lower middle one for an even count) of "
            "the exact or approximate figures of the distinct claimants, one figure each."
        ),
    )
    NO_POINT_FIGURE = (
        "no_point_figure",
        (
            "No standing exact or approximate figure (only bounds such as 'over 5,000', or only "
            "retracted claims): best is null."
        ),
    )
