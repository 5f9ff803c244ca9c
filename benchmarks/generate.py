"""Deterministic generator of synthetic kzdata record streams for the benchmarks.

``python benchmarks/generate.py --claims 100000 --seed 1 --out bench-data/100k`` writes::

    OUT/texts/src-<12 hex>.txt   one generated article text per source (UTF-8)
    OUT/records.jsonl            sources, actors, events, then claims (canonical JSON Lines)
    OUT/claims.csv               the claims in the exported flat CSV layout (kzdata.formats.csv)
    OUT/invalid.jsonl            the same stream with a known share of claim lines broken
    OUT/invalid.manifest.jsonl   one line per injected problem: line, kind, pointer, codes
    OUT/summary.json             counts, seed and generation time

Every record is schema-valid and passes every kzdata check: ids follow ``kzdata.records.ids``
(source ids hash the text bytes, claim ids come from ``claim_id(source, start, end,
predicate)``…), every reference resolves, and **provenance is real**: each source has its own
generated text (English sentences carrying Cyrillic names, curly quotes and Turkish ``ı``),
written under ``texts/``, and every claim quotes a real sentence of it at its exact
character span. Figures grow with their as-of day, so no cumulative count falls over time.

The invalid variant breaks exactly ``round(share × records)`` claim lines, spread evenly
through the file, one problem each, chosen by the seed from :data:`PROBLEMS`; the manifest
gives the 1-based line and the issue code(s) ``kzdata validate`` must report for it.

Memory is bounded by the sources, actors and events (about 1 % of the records): claims are
produced and written one at a time. The same seed and N always give the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import IO, Any

import orjson

from kzdata.records import ids

CLAIMS_PER_SOURCE = 200
SENTENCES_PER_SOURCE = 48
FIRST_DAY = date(2022, 1, 2)
LAST_DAY = date(2022, 1, 11)
DUMP_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE

# Claims quoting one sentence: a numeric one first, then non-numeric ones (value null).
PEOPLE_PREDICATES = ("detained", "killed", "injured", "characterization", "other")
TROOPS_PREDICATES = ("troops_deployed", "order_given", "characterization", "internet_shutdown", "other")
NUMERIC = {"detained": "people", "killed": "people", "injured": "people", "troops_deployed": "troops"}
LABELS = (
    "terrorist attack",
    "coup attempt",
    "попытка государственного переворота",
    "peaceful protest",
    "terör saldırısı",
)

CITIES = (
    ("Almaty", "Алматы", "Almaty Region", 43.2389, 76.8897),
    ("Nur-Sultan", "Нур-Султан", None, 51.1694, 71.4491),
    ("Aktau", "Актау", "Mangystau Region", 43.6481, 51.1722),
    ("Zhanaozen", "Жанаозен", "Mangystau Region", 43.3412, 52.8619),
    ("Taldykorgan", "Талдыкорган", "Almaty Region", 45.0156, 78.3739),
    ("Shymkent", "Шымкент", None, 42.3417, 69.5901),
    ("Kyzylorda", "Кызылорда", "Kyzylorda Region", 44.8488, 65.4823),
    ("Aktobe", "Актобе", "Aktobe Region", 50.2839, 57.1670),
)
EVENT_TYPES = ("protest", "riot", "detention", "killing", "deployment", "state_of_emergency", "internet_shutdown")
GIVEN = (
    "Askar",
    "Nurlan",
    "Dariga",
    "Aigerim",
    "Yerlan",
    "Marat",
    "Bakhyt",
    "Gulnara",
    "Samat",
    "Timur",
    "Zhanna",
    "Serik",
    "Aliya",
    "Daniyar",
    "Kairat",
    "Saule",
    "Ruslan",
    "Madina",
    "Yerbol",
    "Asel",
)
FAMILY = (
    "Mamin",
    "Sagintayev",
    "Zhumagaliyev",
    "Ospanov",
    "Abenov",
    "Iskakov",
    "Nurpeisov",
    "Kassymov",
    "Tulegenov",
    "Bekov",
    "Sultanov",
    "Mukhametov",
    "Baimukhanov",
    "Yessenov",
    "Akhmetov",
    "Zhakupov",
    "Dzhaksybekov",
    "Ibrayev",
    "Shaikenov",
    "Utemisov",
)
ORGANIZATIONS = (
    ("Ministry of Internal Affairs of Kazakhstan", "government_body", "KZ", "МВД Казахстана"),
    ("Ministry of Health of Kazakhstan", "government_body", "KZ", "Минздрав Казахстана"),
    ("Office of the President of Kazakhstan", "government_body", "KZ", "Акорда"),
    ("National Security Committee of Kazakhstan", "government_body", "KZ", "КНБ"),
    ("Prosecutor General's Office of Kazakhstan", "government_body", "KZ", "Генпрокуратура"),
    ("Collective Security Treaty Organization", "alliance", None, "ОДКБ"),
    ("Kazakhstan", "state", "KZ", "Казахстан"),
    ("Russia", "state", "RU", "Россия"),
    ("Amnesty International", "organization", None, "Международная амнистия"),
    ("Protesters", "group", "KZ", "Протестующие"),
)
MEDIA = (
    ("Reuters", "GB", "Рейтер"),
    ("Agence France-Presse", "FR", "АФП"),
    ("Interfax", "RU", "Интерфакс"),
    ("Kaztag", "KZ", "Казтаг"),
    ("Anadolu Ajansı", "TR", "Анадолу"),
    ("Vlast.kz", "KZ", "Власть"),
    ("Orda.kz", "KZ", "Орда"),
    ("Yonhap News Agency", "KR", "Ёнхап"),
)
QUALIFIER_WORDS = {
    "exact": "",
    "about": "about ",
    "over": "more than ",
    "at_least": "at least ",
    "almost": "almost ",
    "up_to": "up to ",
    "under": "fewer than ",
}
_LATIN_TO_CYRILLIC = (
    ("shch", "щ"), ("zh", "ж"), ("kh", "х"), ("sh", "ш"), ("ch", "ч"), ("ts", "ц"), ("yu", "ю"),
    ("ya", "я"), ("ye", "е"), ("yo", "ё"), ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"),
    ("e", "е"), ("z", "з"), ("i", "и"), ("y", "й"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"),
    ("o", "о"), ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("f", "ф"), ("h", "х"),
    ("c", "к"), ("j", "дж"), ("w", "в"), ("x", "кс"), ("q", "к"),
)  # fmt: skip


def cyrillic(name: str) -> str:
    """A plausible Cyrillic spelling of a Latin name ('Askar Mamin' -> 'Аскар Мамин')."""
    out: list[str] = []
    i = 0
    while i < len(name):
        for latin, cyr in _LATIN_TO_CYRILLIC:
            chunk = name[i : i + len(latin)]
            if chunk.lower() == latin:
                out.append(cyr.upper() if chunk[0].isupper() else cyr)
                i += len(latin)
                break
        else:
            out.append(name[i])
            i += 1
    return "".join(out)


def turkish(name: str) -> str:
    """A Turkish-press spelling ('Kassymov' -> 'Kasımov'): the dotless ı that slugs must handle."""
    return name.replace("ss", "s").replace("ym", "ım").replace("yev", "yev").replace("i", "ı").replace("zh", "j")


# --- world: actors, events, sources ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a source text: where it is, the figure it carries and its date."""

    start: int
    end: int
    text: str
    unit: str
    qualifier: str
    amount: int
    day: date
    scope: str


@dataclass(slots=True)
class World:
    """Everything the claims refer to: kept in memory (about 1 % of the records)."""

    actors: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    sentences: list[list[Sentence]] = field(default_factory=list)
    speakers: list[tuple[str, str]] = field(default_factory=list)  # (actor id, display name)
    media_ids: list[str] = field(default_factory=list)


def _actor(name: str, actor_type: str, country: str | None, aliases: list[str], **extra: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "record_type": "actor",
        "id": ids.actor_id(name),
        "name": name,
        "actor_type": actor_type,
        "country": country,
        "aliases": aliases,
        "roles": [],
        "wikidata_id": None,
        "notes": None,
    }
    record.update(extra)
    return record


def _unique_aliases(candidates: list[str], seen: set[str]) -> list[str]:
    aliases = []
    for alias in candidates:
        key = alias.casefold()
        if key not in seen:
            seen.add(key)
            aliases.append(alias)
    return aliases


def build_actors(rng: random.Random, persons: int, world: World) -> None:
    """Organizations, media and generated persons with Cyrillic and Turkish aliases."""
    seen: set[str] = {name.casefold() for name, *_ in ORGANIZATIONS} | {name.casefold() for name, *_ in MEDIA}
    for index, (name, actor_type, country, alias) in enumerate(ORGANIZATIONS):
        world.actors.append(_actor(name, actor_type, country, _unique_aliases([alias], seen)))
        if actor_type == "government_body":
            world.speakers.append((world.actors[-1]["id"], name if index else "the Interior Ministry"))
    for name, country, alias in MEDIA:
        world.actors.append(_actor(name, "media", country, _unique_aliases([alias], seen)))
        world.media_ids.append(world.actors[-1]["id"])
    bodies = [a["id"] for a in world.actors if a["actor_type"] == "government_body"]
    names = [f"{g} {p}uly {f}" for f in FAMILY for g in GIVEN for p in GIVEN if p != g]
    rng.shuffle(names)
    for name in names[:persons]:
        if name.casefold() in seen:
            continue
        seen.add(name.casefold())
        given, _, family = name.split()
        aliases = _unique_aliases([f"{given} {family}", cyrillic(name), turkish(f"{given} {family}")], seen)
        start = FIRST_DAY - timedelta(days=rng.randint(30, 3000))
        role = {
            "title": rng.choice(("Minister", "Akim", "Deputy Minister", "Spokesperson", "Chairman")),
            "organization_id": rng.choice(bodies),
            "start": start.isoformat(),
            "end": None,
        }
        world.actors.append(_actor(name, "person", "KZ", aliases, roles=[role]))
        world.speakers.append((world.actors[-1]["id"], f"{given} {family} ({cyrillic(family)})"))


def build_events(rng: random.Random, count: int, world: World) -> None:
    """Events with dates in the unrest window, a city and one or two participants."""
    person_ids = [a["id"] for a in world.actors if a["actor_type"] != "media"]
    for number in range(count):
        event_type = EVENT_TYPES[number % len(EVENT_TYPES)]
        city, city_ru, region, lat, lon = CITIES[rng.randrange(len(CITIES))]
        start = FIRST_DAY + timedelta(days=rng.randint(0, 8))
        end = start + timedelta(days=rng.randint(0, 2)) if rng.random() < 0.5 else None
        title = f"{event_type.replace('_', ' ').capitalize()} in {city} ({city_ru}) #{number + 1}"
        participants = [
            {"actor_id": a, "role": r} for a, r in zip(rng.sample(person_ids, 2), ("actor", "target"), strict=True)
        ]
        world.events.append({
            "record_type": "event",
            "id": ids.event_id(event_type, start, city, title),
            "event_type": event_type,
            "title": title,
            "start": start.isoformat(),
            "end": end.isoformat() if end else None,
            "date_precision": "day",
            "location": {"name": city, "admin1": region, "country": "KZ", "lat": lat, "lon": lon,
                         "precision": "city"},
            "participants": participants[: rng.randint(1, 2)],
            "summary": f"Synthetic {event_type.replace('_', ' ')} event in {city} for the benchmarks.",
            "notes": None,
        })  # fmt: skip


def _figure(rng: random.Random, unit: str, day: date) -> int:
    # Grows with the day: no cumulative count falls over time, whoever states it.
    base = 1000 if unit == "people" else 100
    return (day - FIRST_DAY).days * base * 10 + rng.randrange(base * 10)


def _sentence_text(
    rng: random.Random, world: World, *, unit: str, qualifier: str, amount: int, day: date, city: str
) -> str:
    _, speaker = world.speakers[rng.randrange(len(world.speakers))]
    figure = f"{QUALIFIER_WORDS[qualifier]}{amount:,}"
    when = f"{day.day} January"
    if unit == "troops":
        return rng.choice((
            f"“{figure} troops have arrived in {city},” {speaker} said on {when}.",
            f"According to {speaker}, {figure} peacekeepers (миротворцы) were deployed by {when}.",
            f"Türkiye’s Anadolu Ajansı reported {figure} troops in {city} as of {when}, citing {speaker}.",
        ))  # fmt: skip
    return rng.choice((
        f"According to {speaker}, {figure} people had been detained in {city} by {when}.",
        f"“{figure} people were killed,” {speaker} told reporters on {when}, calling it a «теракт».",
        f"{speaker}’s office put the toll at {figure} people in {city} as of {when}; Kasım Cömert’s aides disagreed.",
    ))  # fmt: skip


def build_source(rng: random.Random, number: int, world: World, texts_dir: Path) -> None:
    """One source: a generated text written to texts/, its record, and its sentences."""
    published = date(2022, 1, 6) + timedelta(days=rng.randint(0, 14))
    outlet = MEDIA[number % len(MEDIA)][0]
    title = f"Kazakhstan unrest: day {number + 1} — “Qandy Qantar” (Қаңтар) in figures"
    header = f"{title}\nBy Aıgerım Nurlanqyzy and Jane Doe\n{published:%B} {published.day}, 2022\n\n"
    parts = [header]
    offset = len(header)
    sentences: list[Sentence] = []
    latest = min(published, LAST_DAY)
    for index in range(SENTENCES_PER_SOURCE):
        unit = "troops" if rng.random() < 0.25 else "people"
        qualifier = rng.choice(tuple(QUALIFIER_WORDS))
        day = FIRST_DAY + timedelta(days=rng.randint(0, (latest - FIRST_DAY).days))
        city = CITIES[rng.randrange(len(CITIES))][0]
        amount = _figure(rng, unit, day)
        text = _sentence_text(rng, world, unit=unit, qualifier=qualifier, amount=amount, day=day, city=city)
        scope = city if city in text else "nationwide"
        sentences.append(Sentence(offset, offset + len(text), text, unit, qualifier, amount, day, scope))
        separator = "\n\n" if index % 4 == 3 else " "
        parts.append(text + separator)
        offset += len(text) + len(separator)
    content = "".join(parts)
    data = content.encode("utf-8")
    source_id = ids.source_id(data)
    (texts_dir / f"{source_id}.txt").write_bytes(data)
    world.sentences.append(sentences)
    world.sources.append({
        "record_type": "source",
        "id": source_id,
        "title": title,
        "outlet": outlet,
        "authors": ["Aıgerım Nurlanqyzy", "Jane Doe"],
        "published": published.isoformat(),
        "published_basis": "dateline",
        "language": "en",
        "original_language": "ru" if number % 3 == 0 else None,
        "machine_translated": number % 3 == 0,
        "url": f"https://example.org/{outlet.lower().replace(' ', '-')}/{number + 1}",
        "path": f"texts/{source_id}.txt",
        "sha256": hashlib.sha256(data).hexdigest(),
        "length": len(content),
        "notes": None,
    })  # fmt: skip


def build_world(rng: random.Random, claims: int, texts_dir: Path) -> World:
    """Sources (with texts), actors and events sized for ``claims`` claims."""
    world = World()
    build_actors(rng, min(max(claims // 1000, 10), 4000), world)
    build_events(rng, min(max(claims // 200, 3), 20000), world)
    texts_dir.mkdir(parents=True, exist_ok=True)
    for number in range(-(-claims // CLAIMS_PER_SOURCE)):
        build_source(rng, number, world, texts_dir)
    return world


# --- claims ---------------------------------------------------------------------------------


def _value(sentence: Sentence, predicate: str) -> dict[str, Any] | None:
    if predicate not in NUMERIC:
        return None
    amount, qualifier = sentence.amount, sentence.qualifier
    low = amount if qualifier in ("over", "at_least") else None
    high = amount if qualifier in ("almost", "up_to", "under") else None
    return {"amount": amount, "low": low, "high": high, "unit": NUMERIC[predicate], "qualifier": qualifier}


def make_claim(rng: random.Random, world: World, source_index: int, k: int) -> dict[str, Any]:
    """The k-th claim of a source: sentence k mod 48, the (k div 48)-th predicate for it."""
    source = world.sources[source_index]
    sentence = world.sentences[source_index][k % SENTENCES_PER_SOURCE]
    predicates = TROOPS_PREDICATES if sentence.unit == "troops" else PEOPLE_PREDICATES
    predicate = predicates[k // SENTENCES_PER_SOURCE]
    numeric = predicate in NUMERIC
    claimant = world.speakers[rng.randrange(len(world.speakers))][0] if rng.random() < 0.9 else None
    method = "rule" if rng.random() < 0.7 else "hand"
    return {
        "record_type": "claim",
        "id": ids.claim_id(source["id"], sentence.start, sentence.end, predicate),
        "source_id": source["id"],
        "claimant_id": claimant,
        "relayed_by": rng.sample(world.media_ids, rng.choice((0, 0, 1, 2))),
        "event_id": world.events[rng.randrange(len(world.events))]["id"] if rng.random() < 0.5 else None,
        "subject_id": None,
        "predicate": predicate,
        "scope": sentence.scope if numeric else None,
        "value": _value(sentence, predicate),
        "label": None if numeric else LABELS[rng.randrange(len(LABELS))],
        "as_of": sentence.day.isoformat() if numeric else None,
        "as_of_precision": "day",
        "stated_on": sentence.day.isoformat(),
        "stated_on_precision": "day",
        "quote": sentence.text,
        "span": {"start": sentence.start, "end": sentence.end},
        "method": method,
        "rule_id": f"{predicate}.{sentence.qualifier}" if method == "rule" else None,
        "confidence": round(rng.uniform(0.5, 1.0), 2),
        "status": "reported" if rng.random() < 0.95 else "disputed",
        "notes": None,
    }


def iter_claims(rng: random.Random, world: World, claims: int) -> Iterator[tuple[int, dict[str, Any]]]:
    """(source index, claim) for every claim, source by source."""
    for number in range(claims):
        yield (
            number // CLAIMS_PER_SOURCE,
            make_claim(rng, world, number // CLAIMS_PER_SOURCE, number % CLAIMS_PER_SOURCE),
        )


# --- the invalid variant --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Problem:
    """One kind of injected problem: how to break a claim, where, and the codes it must raise."""

    kind: str
    pointer: str
    codes: tuple[str, ...]
    numeric_only: bool = False


PROBLEMS: tuple[Problem, ...] = (
    Problem("malformed_json", "", ("KZ001",)),
    Problem("missing_field", "/quote", ("KZ102",)),
    Problem("unknown_field", "/reviewer", ("KZ103",)),
    Problem("wrong_type", "/confidence", ("KZ104",)),
    Problem("bad_enum", "/predicate", ("KZ105",)),
    Problem("bad_id_pattern", "/id", ("KZ106",)),
    Problem("out_of_range", "/confidence", ("KZ107",)),
    Problem("dangling_actor", "/claimant_id", ("KZ202",)),
    Problem("dangling_event", "/event_id", ("KZ203",)),
    Problem("quote_mismatch", "/quote", ("KZ301",)),
    Problem("stated_after_published", "/stated_on", ("KZ401",)),
    Problem("as_of_after_stated_on", "/as_of", ("KZ402",), numeric_only=True),
    Problem("low_above_high", "/value", ("KZ501",), numeric_only=True),
    Problem("unit_mismatch", "/value/unit", ("KZ502",), numeric_only=True),
    Problem("duplicate_id", "/id", ("KZ601",)),  # an exact copy of the line before
    Problem("id_not_derived", "/id", ("KZ605",)),
)
"""Every kind of problem the invalid variant injects, with the codes kzdata must report."""


def _day(text: str, days: int) -> str:
    return (date.fromisoformat(text) + timedelta(days=days)).isoformat()


Change = Callable[[dict[str, Any], str], dict[str, Any]]
"""(claim, its source's published date) -> the broken claim."""

_CHANGES: dict[str, Change] = {
    "missing_field": lambda c, _: {k: v for k, v in c.items() if k != "quote"},
    "unknown_field": lambda c, _: c | {"reviewer": "anonymous"},
    "wrong_type": lambda c, _: c | {"confidence": str(c["confidence"])},
    "bad_enum": lambda c, _: c | {"predicate": "detained_or_arrested"},
    "bad_id_pattern": lambda c, _: c | {"id": c["id"].upper()},
    "out_of_range": lambda c, _: c | {"confidence": 1.5},
    "dangling_actor": lambda c, _: c | {"claimant_id": "act-nobody-" + c["id"][4:12]},
    "dangling_event": lambda c, _: c | {"event_id": "evt-" + hashlib.sha256(c["id"].encode()).hexdigest()[:16]},
    "quote_mismatch": lambda c, _: c | {"quote": "X" + c["quote"][1:]},
    "stated_after_published": lambda c, published: c | {"stated_on": _day(published, 1)},
    "as_of_after_stated_on": lambda c, _: c | {"stated_on": _day(c["as_of"], -1)},
    "low_above_high": lambda c, _: c
    | {"value": c["value"] | {"amount": None, "qualifier": "range", "low": c["value"]["amount"] + 500,
                              "high": c["value"]["amount"]}},
    "unit_mismatch": lambda c, _: c | {"value": c["value"] | {"unit": "days"}},
    "id_not_derived": lambda c, _: c
    | {"id": ids.claim_id(c["source_id"], c["span"]["start"], c["span"]["end"] + 1, "other")},
}  # fmt: skip


def _break(kind: str, claim: dict[str, Any], published: str, previous: bytes) -> bytes:
    """The broken line for a claim (newline-terminated)."""
    if kind == "malformed_json":
        text = orjson.dumps(claim, option=orjson.OPT_SORT_KEYS).decode("utf-8")
        return text[: len(text) // 2].encode("utf-8") + b"\n"  # truncated, still valid UTF-8
    if kind == "duplicate_id":
        return previous
    return orjson.dumps(_CHANGES[kind](claim, published), option=DUMP_OPTIONS)


def _choose(rng: random.Random, claim: dict[str, Any], previous_clean: bool) -> Problem:
    candidates = [
        p for p in PROBLEMS
        if (claim["value"] is not None or not p.numeric_only) and (previous_clean or p.kind != "duplicate_id")
    ]  # fmt: skip
    return candidates[rng.randrange(len(candidates))]


# --- writing --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Summary:
    """What a generation run wrote."""

    seed: int
    claims: int
    sources: int
    actors: int
    events: int
    records: int
    invalid_records: int
    seconds: float
    files: list[str]


def generate(out: Path, *, claims: int, seed: int = 1, invalid_share: float = 0.1, csv: bool = True) -> Summary:
    """Write the valid stream, its CSV form and the invalid variant with its manifest into ``out``."""
    started = time.perf_counter()
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    world = build_world(rng, claims, out / "texts")
    head = world.sources + world.actors + world.events
    total = len(head) + claims
    broken_count = round(invalid_share * total) if invalid_share > 0 else 0
    if broken_count > claims:
        raise ValueError(f"--invalid-share {invalid_share} needs more claims than {claims}")
    bad_rng = random.Random(seed + 1)
    files = ["records.jsonl"]
    with (out / "records.jsonl").open("wb") as valid, _maybe_open(out, broken_count) as (invalid, manifest):
        for record in head:
            line = orjson.dumps(record, option=DUMP_OPTIONS)
            valid.write(line)
            if invalid:
                invalid.write(line)
        previous, previous_clean = b"", False
        for number, (source_index, claim) in enumerate(iter_claims(rng, world, claims)):
            line = orjson.dumps(claim, option=DUMP_OPTIONS)
            valid.write(line)
            if invalid is None or manifest is None:
                continue
            if (number + 1) * broken_count // claims > number * broken_count // claims:
                problem = _choose(bad_rng, claim, previous_clean)
                invalid.write(_break(problem.kind, claim, world.sources[source_index]["published"], previous))
                entry = {
                    "line": len(head) + number + 1,
                    "kind": problem.kind,
                    "pointer": problem.pointer,
                    "codes": list(problem.codes),
                }
                manifest.write(orjson.dumps(entry, option=DUMP_OPTIONS))
                previous_clean = False
            else:
                invalid.write(line)
                previous, previous_clean = line, True
    if broken_count:
        files += ["invalid.jsonl", "invalid.manifest.jsonl"]
    if csv:
        files += _write_csv(out)
    summary = Summary(
        seed,
        claims,
        len(world.sources),
        len(world.actors),
        len(world.events),
        total,
        broken_count,
        round(time.perf_counter() - started, 3),
        files,
    )
    (out / "summary.json").write_text(json.dumps(asdict(summary), indent=2) + "\n", encoding="utf-8")
    return summary


class _maybe_open:  # noqa: N801 - used as a context manager like open()
    """Open invalid.jsonl and its manifest when there is something to inject."""

    def __init__(self, out: Path, broken_count: int) -> None:
        self.paths = (out / "invalid.jsonl", out / "invalid.manifest.jsonl") if broken_count else None
        self.files: tuple[IO[bytes], IO[bytes]] | None = None

    def __enter__(self) -> tuple[IO[bytes] | None, IO[bytes] | None]:
        if self.paths is None:
            return None, None
        self.files = (self.paths[0].open("wb"), self.paths[1].open("wb"))
        return self.files

    def __exit__(self, *exc: object) -> None:
        if self.files:
            for handle in self.files:
                handle.close()


def _write_csv(out: Path) -> list[str]:
    """claims.csv: the claims of records.jsonl in the exported flat layout (kzdata.formats.csv), streamed."""
    from kzdata.formats import csv as flat
    from kzdata.records.jsonl import parse_record

    csv_writer = flat.csv_writer

    with (out / "records.jsonl").open("rb") as lines, (out / "claims.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv_writer(f)
        writer.writerow(flat.COLUMNS["claim"])
        for line in lines:
            if b'"record_type":"claim"' in line:
                writer.writerow(flat.flatten(parse_record(line)).values())
    return ["claims.csv"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--claims", type=int, default=1000, help="number of claims N (default 1000)")
    parser.add_argument("--invalid-share", type=float, default=0.1, help="share of broken records (default 0.1)")
    parser.add_argument("--no-csv", action="store_true", help="do not write claims.csv")
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    args = parser.parse_args(argv)
    if args.claims < 1 or not 0 <= args.invalid_share < 1:
        parser.error("--claims must be >= 1 and --invalid-share in [0, 1)")
    summary = generate(
        args.out, claims=args.claims, seed=args.seed, invalid_share=args.invalid_share, csv=not args.no_csv
    )
    print(
        f"{args.out}: {summary.records} records ({summary.claims} claims, {summary.sources} sources, "
        f"{summary.actors} actors, {summary.events} events), {summary.invalid_records} broken "
        f"in invalid.jsonl, {summary.seconds} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
