"""The hand-made gold set of extraction: one YAML file per article in tests/data/gold/.

A gold file names its article, and lists every claim a careful reader finds in the body
(predicate, value, claimant by canonical name or null for the outlet, relays, dates,
subject, label, status, exact quote and span) and every actor surface form. :func:`load_gold`
reads and checks a directory of them: a file that cannot be read, a field outside the
vocabularies, or a quote that differs from the article at its span is an
:class:`~kzdata.errors.InputError` naming the file and claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from kzdata.errors import InputError
from kzdata.records import ids
from kzdata.records.vocab import Predicate, Qualifier, Status, Unit


@dataclass(frozen=True, slots=True)
class GoldClaim:
    """One annotated claim (actor fields hold canonical names)."""

    predicate: Predicate
    quote: str
    span: tuple[int, int]
    claimant: str | None
    amount: int | float | None = None
    qualifier: Qualifier | None = None
    unit: Unit | None = None
    subject: str | None = None
    label: str | None = None
    relayed_by: tuple[str, ...] = ()
    stated_on: date | None = None
    status: Status = Status.REPORTED

    @property
    def claimant_id(self) -> str | None:
        return ids.actor_id(self.claimant) if self.claimant else None

    @property
    def subject_id(self) -> str | None:
        return ids.actor_id(self.subject) if self.subject else None

    @property
    def relay_ids(self) -> frozenset[str]:
        return frozenset(ids.actor_id(name) for name in self.relayed_by)

    @property
    def numeric(self) -> bool:
        return self.unit is not None


@dataclass(frozen=True, slots=True)
class GoldArticle:
    """The gold annotation of one article."""

    article: str
    path: Path
    claims: tuple[GoldClaim, ...]
    actors: dict[str, tuple[str, ...]]


def _date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    raise ValueError(f"stated_on {value!r} is not a date")


def _claim(raw: dict[str, Any], text: str, where: str) -> GoldClaim:
    try:
        value = raw.get("value") or {}
        start, end = raw["span"]
        claim = GoldClaim(
            predicate=Predicate(raw["predicate"]),
            quote=raw["quote"],
            span=(int(start), int(end)),
            claimant=raw.get("claimant"),
            amount=value.get("amount"),
            qualifier=Qualifier(value["qualifier"]) if value else None,
            unit=Unit(value["unit"]) if value else None,
            subject=raw.get("subject"),
            label=raw.get("label"),
            relayed_by=tuple(raw.get("relayed_by") or ()),
            stated_on=_date(raw.get("stated_on")),
            status=Status(raw.get("status") or Status.REPORTED),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise InputError(f"{where}: invalid gold claim ({error!r})", "see tests/data/gold/README.md") from None
    if text[claim.span[0] : claim.span[1]] != claim.quote:
        raise InputError(
            f"{where}: quote differs from the article at span {list(claim.span)}",
            "run 'python benchmarks/gold_spans.py' to recompute the spans",
        )
    return claim


def load_article(path: Path, articles_dir: Path) -> GoldArticle:
    """Read and check one gold file against its article."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        text = (articles_dir / data["article"]).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, yaml.YAMLError, KeyError, TypeError) as error:
        raise InputError(f"{path}: cannot read the gold file or its article ({error})", "check the paths") from None
    claims = tuple(_claim(raw, text, f"{path}: claim {n}") for n, raw in enumerate(data.get("claims") or [], 1))
    actors = {str(name): tuple(forms or ()) for name, forms in (data.get("actors") or {}).items()}
    return GoldArticle(data["article"], path, claims, actors)


def load_gold(gold_dir: Path, articles_dir: Path) -> list[GoldArticle]:
    """Every gold file of ``gold_dir`` (sorted by name), checked against ``articles_dir``."""
    files = sorted(gold_dir.glob("*.yaml"))
    if not files:
        raise InputError(f"{gold_dir}: no gold files (*.yaml)", "pass --gold DIR with the gold set")
    return [load_article(path, articles_dir) for path in files]
