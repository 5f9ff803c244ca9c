"""The Datasette plugin of kzdata: a claim in its article at ``/claim/<claim_id>``, claim ids as links.

Registered by :func:`kzdata.explore.server.serve`, and through the ``datasette`` entry point
for any Datasette where kzdata is installed (``datasette publish … --install kzdata``).
Configuration (``plugins.kzdata-explore`` in the metadata): ``texts`` (folders of the source
texts) and ``release`` (the release folder, whose checkout may hold them).

The page shows the article with the quote marked and its boilerplate dimmed
(:mod:`kzdata.explore.context`), the claimant, relays, dates, rule id, confidence, status,
and every other claim about the same quantity (same predicate and scope) with its relation
to this one. Every value is escaped by Jinja's autoescaping; the article HTML is built
escaped by :func:`kzdata.explore.context.article_html`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response
from jinja2 import ChoiceLoader, Environment, FileSystemLoader
from markupsafe import Markup

from kzdata.explore.context import load_article
from kzdata.explore.metadata import DATABASE, PLUGIN

TEMPLATES = Path(__file__).parent / "templates"
CLAIM_ID = re.compile(r"clm-[0-9a-f]{16}")
LINKED_COLUMNS = frozenset({"claim_id", "other_claim_id"})
"""Columns whose claim ids link to the claim's page (and ``contradicts``, a JSON list of them)."""

_CLAIM = """SELECT c.*, a.name AS claimant_name, s.title AS source_title, s.outlet, s.published, s.url,
  s.path AS source_path, s.sha256 AS source_sha256
  FROM claims c LEFT JOIN actors a ON a.id = c.claimant_id LEFT JOIN sources s ON s.id = c.source_id
  WHERE c.id = :id"""
_OTHERS = """SELECT c.id, c.value_amount, c.value_low, c.value_high, c.value_qualifier, c.value_unit, c.label,
  c.as_of, c.stated_on, c.status, COALESCE(a.name, s.outlet) AS claimant, s.outlet
  FROM claims c LEFT JOIN actors a ON a.id = c.claimant_id LEFT JOIN sources s ON s.id = c.source_id
  WHERE c.predicate = :predicate AND c.scope IS :scope AND c.id != :id
  ORDER BY c.as_of, c.stated_on, c.value_amount, c.id"""
_NAMES = "SELECT id, name FROM actors WHERE id IN (SELECT value FROM json_each(:ids))"
_RELATIONS = """SELECT claim_id, other_claim_id, relation, note FROM claim_relations
  WHERE claim_id = :id OR other_claim_id = :id ORDER BY id"""


@hookimpl
def prepare_jinja2_environment(env: Environment, datasette: Any) -> None:
    """Make the plugin's templates (``kzdata_claim.html``) findable."""
    env.loader = ChoiceLoader([loader for loader in (env.loader, FileSystemLoader(str(TEMPLATES))) if loader])


@hookimpl
def register_routes(datasette: Any) -> list[tuple[str, Any]]:
    return [(r"^/claim/(?P<claim_id>[^/]+)$", claim_page)]


def _link(datasette: Any, claim_id: str) -> Markup:
    return Markup('<a href="{}">{}</a>').format(datasette.urls.path(f"/claim/{claim_id}"), claim_id)


@hookimpl
def render_cell(value: Any, column: str, table: str | None, database: str, datasette: Any) -> Markup | None:
    """Claim ids in ``claim_id``/``other_claim_id`` columns link to their page; so do the ids of ``contradicts``."""
    if database != DATABASE or not isinstance(value, str):
        return None
    if column in LINKED_COLUMNS and CLAIM_ID.fullmatch(value):
        return _link(datasette, value)
    if column == "contradicts" and value.startswith("["):
        try:
            ids = json.loads(value)
        except ValueError:
            return None
        if isinstance(ids, list) and all(isinstance(i, str) and CLAIM_ID.fullmatch(i) for i in ids):
            return Markup(", ").join(_link(datasette, i) for i in ids)
    return None


def amount_text(amount: float | None) -> str:
    """A figure as people write it: 5800.0 → '5,800', 2.5 → '2.5', None → '—'."""
    if amount is None:
        return "—"
    return f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,}"


def _relation_text(relations: list[dict[str, Any]], this: str, other: str) -> list[str]:
    """How ``other`` relates to ``this``: 'this claim contradicts it', 'it updates this claim' …"""
    out = []
    for r in relations:
        if (r["claim_id"], r["other_claim_id"]) == (this, other):
            out.append(f"this claim {r['relation']} it")
        elif (r["claim_id"], r["other_claim_id"]) == (other, this):
            out.append(f"it {r['relation']} this claim")
    return out


async def claim_page(datasette: Any, request: Any) -> Response:
    """``/claim/<claim_id>``: the claim in its article, beside every other figure of its quantity."""
    claim_id = request.url_vars["claim_id"]
    try:
        db = datasette.get_database(DATABASE)
    except KeyError:
        raise NotFound(f"no database {DATABASE}") from None
    row = (await db.execute(_CLAIM, {"id": claim_id})).first()
    if row is None:
        raise NotFound(f"no claim {claim_id}")
    claim = dict(row)
    relayed = json.loads(claim["relayed_by"] or "[]")
    found = await db.execute(_NAMES, {"ids": json.dumps(relayed)})
    names = {r["id"]: r["name"] for r in found}
    params = {"predicate": claim["predicate"], "scope": claim["scope"], "id": claim_id}
    others = [dict(r) for r in await db.execute(_OTHERS, params)]
    relations = [dict(r) for r in await db.execute(_RELATIONS, {"id": claim_id})]
    claim["amount"] = amount_text(claim["value_amount"])
    for other in others:
        other["amount"] = amount_text(other["value_amount"])
        other["relations"] = _relation_text(relations, claim_id, other["id"])
    config = datasette.plugin_config(PLUGIN) or {}
    release = config.get("release")
    article = load_article(
        claim["source_path"] or "", claim["source_sha256"] or "", (claim["span_start"], claim["span_end"]),
        claim["quote"], texts=[Path(t) for t in config.get("texts", [])], release=Path(release) if release else None,
    )  # fmt: skip
    context = {
        "claim": claim,
        "relayed": [names.get(i, i) for i in relayed],
        "others": others,
        "article": article,
        "article_html": Markup(article.html) if article.html is not None else None,  # built escaped
        "database": DATABASE,
    }
    html = await datasette.render_template("kzdata_claim.html", context, request=request)
    return Response.html(html)
