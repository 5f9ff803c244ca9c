"""Actor dictionary matching (tests/data/rules/actors.yaml): spellings merge, people don't."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from kzdata.errors import DataError
from kzdata.records import ids
from kzdata.rules.actors import Context, Mention, dictionary
from kzdata.rules.lexicon import check_strings, load_data
from kzdata.rules.text import tokenize
from tests.rules_support import cases

ACTORS = cases("actors.yaml")
SAME = [(name, form) for name, forms in ACTORS["same"].items() for form in forms]


def first(text: str, on: date | None = date(2022, 1, 10)) -> Mention | None:
    tokens = tokenize(text)
    found = [m for m in dictionary().find(tokens, 0, len(tokens), text, Context(on)) if m.kind != "skip"]
    return found[-1] if found else None


@pytest.mark.parametrize(("name", "form"), SAME, ids=[f for _, f in SAME])
def test_spellings_name_one_actor(name: str, form: str) -> None:
    mention = first(form)
    assert mention is not None
    assert mention.name == name


@pytest.mark.parametrize("pair", ACTORS["different"], ids=[" vs ".join(p) for p in ACTORS["different"]])
def test_different_people_do_not_merge(pair: list[str]) -> None:
    a, b = (first(text) for text in pair)
    assert a is not None
    assert b is None or a.name != b.name


@pytest.mark.parametrize("case", ACTORS["roles"], ids=[f"{c['text']}@{c['day']}" for c in ACTORS["roles"]])
def test_role_phrases_name_the_holder_on_the_day(case: dict[str, Any]) -> None:
    mention = first(case["text"], case["day"])
    assert mention is not None
    assert mention.name == case["actor"]


@pytest.mark.parametrize("case", ACTORS["new"], ids=[c["text"] for c in ACTORS["new"]])
def test_unknown_names_become_new_actors(case: dict[str, Any]) -> None:
    mention = first(case["text"])
    assert mention is not None
    assert mention.kind == "new"
    assert mention.actor_type.value == case["type"]


def test_dictionary_names_are_canonical_and_unique() -> None:
    canonical = {
        "Kassym-Jomart Tokayev",
        "Nursultan Nazarbayev",
        "Karim Massimov",
        "Askar Mamin",
        "Alikhan Smailov",
        "Vladimir Putin",
        "Antony Blinken",
        "Office of the President of Kazakhstan",
        "Government of Kazakhstan",
        "Ministry of Internal Affairs of Kazakhstan",
        "Ministry of Health of Kazakhstan",
        "Ministry of Foreign Affairs of Kazakhstan",
        "National Security Committee of Kazakhstan",
        "Security Council of Kazakhstan",
        "Collective Security Treaty Organization",
        "Kazakhstan",
        "Russia",
        "United States",
        "Reuters",
        "Agence France-Presse",
        "BBC",
        "Interfax",
        "Sputnik",
        "Kaztag",
        "Mir-24",
        "Yonhap News Agency",
        "Associated Press",
        "Amnesty International",
        "Human Rights Watch",
    }
    entries = dictionary().entries
    assert canonical <= set(entries)
    assert len({ids.actor_id(name) for name in entries}) == len(entries)


def test_one_alias_never_names_two_actors() -> None:
    seen: dict[tuple[str, ...], str] = {}
    for raw in load_data("actors.yaml")["actors"]:
        for alias in [raw["name"], *raw.get("aliases", [])]:
            key = tuple(t.key for t in tokenize(alias))
            assert seen.setdefault(key, raw["name"]) == raw["name"], alias


def test_roles_carry_date_windows() -> None:
    entries = dictionary().entries
    nazarbayev = {r.title: r for r in entries["Nursultan Nazarbayev"].roles}
    assert nazarbayev["Chairman of the Security Council of Kazakhstan"].end == date(2022, 1, 5)
    massimov = entries["Karim Massimov"].roles[0]
    assert massimov.end == date(2022, 1, 6)
    assert entries["Kassym-Jomart Tokayev"].roles[0].start == date(2019, 3, 20)


def test_yaml_booleans_in_rule_data_are_refused() -> None:
    with pytest.raises(DataError, match="not a string"):
        check_strings({"stop_words": ["in", True]}, "predicates.yaml")
