"""Datasette metadata of a release, generated from the record models and the data package constants.

Table and column descriptions are the docstrings and pydantic ``Field`` descriptions (the
flat columns of :mod:`kzdata.formats.csv`, as the data package describes them); the views
carry their own descriptions (:data:`kzdata.formats.sqlite.VIEWS`). Licence and title come from
:mod:`kzdata.formats.datapackage`. Claims are faceted by predicate, claimant, status and day;
the canned queries are :data:`QUERIES`.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kzdata.formats import datapackage, sqlite
from kzdata.records.kinds import KINDS

DATABASE = Path(sqlite.FILE_NAME).stem
"""The database name Datasette gives ``kzdata.sqlite``, and the first part of every URL."""
PLUGIN = "kzdata-explore"
"""Name of the plugin's configuration block in the metadata."""
LABELS = {"actors": "name", "sources": "title", "events": "title"}
"""The column shown for a row where another table refers to it."""
FACETS = {
    "claims": ["predicate", "claimant_id", "status", "as_of"],
    "numeric_claims": ["predicate", "claimant", "status", "as_of"],
    "contested_claims": ["predicate", "claimant", "as_of"],
    "claim_relations": ["relation", "predicate"],
    "events": ["event_type", "start"],
    "actors": ["actor_type", "country"],
}
UNITS = {"events": {"location_lat": "degrees", "location_lon": "degrees"}}

_FIGURE = (
    "claim_id, predicate, scope, amount, low, high, qualifier, unit, as_of, stated_on, claimant, outlet, status, quote"
)
QUERIES: dict[str, dict[str, Any]] = {
    "contested_figures": {
        "title": "Contested figures",
        "description": "Figures in a 'contradicts' relation: the same quantity on the same day, a different value. "
        "'contradicts' lists the claims each one contradicts.",
        "sql": f"SELECT {_FIGURE}, contradicts FROM contested_claims",
    },
    "quantity_figures": {
        "title": "Every figure for one quantity",
        "description": "Every figure with this predicate (detained, killed, injured, troops_deployed …) and scope "
        "(nationwide, Almaty …; empty for none), by day.",
        "sql": f"SELECT {_FIGURE} FROM numeric_claims WHERE predicate = :predicate "
        "AND (scope = :scope OR (scope IS NULL AND :scope = '')) ORDER BY as_of, stated_on, amount, claim_id",
    },
    "claimant_claims": {
        "title": "What one claimant said",
        "description": "Every claim of an actor, by part of its name, an alias or its id.",
        "sql": "SELECT c.id AS claim_id, c.predicate, c.scope, c.value_amount AS amount, c.value_unit AS unit, "
        "c.label, c.as_of, c.stated_on, a.name AS claimant, s.outlet, c.status, c.quote FROM claims c "
        "JOIN actors a ON a.id = c.claimant_id LEFT JOIN sources s ON s.id = c.source_id "
        "WHERE a.id = :claimant OR a.name LIKE '%' || :claimant || '%' OR a.aliases LIKE '%' || :claimant || '%' "
        "ORDER BY c.stated_on, c.as_of, c.id",
    },
    "retracted_claims": {
        "title": "Retracted claims",
        "description": "Claims whose status is 'retracted', or that a later claim retracts.",
        "sql": "SELECT c.id AS claim_id, c.predicate, c.scope, c.value_amount AS amount, c.value_unit AS unit, "
        "c.as_of, c.stated_on, COALESCE(a.name, s.outlet) AS claimant, s.outlet, c.status, c.notes, c.quote "
        "FROM claims c LEFT JOIN actors a ON a.id = c.claimant_id LEFT JOIN sources s ON s.id = c.source_id "
        "WHERE c.status = 'retracted' OR c.id IN "
        "(SELECT other_claim_id FROM claim_relations WHERE relation = 'retracts') ORDER BY c.stated_on, c.id",
    },
}
"""Canned queries: name (its URL ``/kzdata/<name>``) → Datasette query metadata."""


def _first_paragraph(text: str | None) -> str:
    return inspect.cleandoc(text or "").split("\n\n", 1)[0].replace("\n", " ")


def table_metadata() -> dict[str, dict[str, Any]]:
    """Per table and view: description, column descriptions, facets, label column, units."""
    tables: dict[str, dict[str, Any]] = {}
    for kind in KINDS:
        columns = {f["name"]: f["description"] for f in datapackage.csv_fields(kind.model)}
        tables[kind.table] = {"description": _first_paragraph(kind.model.__doc__), "columns": columns}
    for name, (description, _) in sqlite.VIEWS.items():
        tables[name] = {"description": description}
    tables[sqlite.RELEASE_TABLE] = {"description": "The dataset and schema version of this file."}
    for name, facets in FACETS.items():
        tables.setdefault(name, {})["facets"] = facets
    for name, column in LABELS.items():
        tables.setdefault(name, {})["label_column"] = column
    for name, units in UNITS.items():
        tables.setdefault(name, {})["units"] = units
    return tables


def build_metadata(*, version: str | None, texts: Sequence[Path] = (), release: Path | None = None) -> dict[str, Any]:
    """The whole Datasette metadata document (``metadata.json``) of one release."""
    title = f"{datapackage.TITLE} (v{version})" if version else datapackage.TITLE
    plugin: dict[str, Any] = {"texts": [str(p) for p in texts]}
    if release is not None:
        plugin["release"] = str(release)
    return {
        "title": title,
        "description": datapackage.DESCRIPTION,
        "license": datapackage.LICENSE["name"],
        "license_url": datapackage.LICENSE["path"],
        "source": f"kzdata release v{version}" if version else "kzdata release",
        "databases": {DATABASE: {"tables": table_metadata(), "queries": QUERIES}},
        "plugins": {PLUGIN: plugin},
    }
