"""Browse a release in Datasette: ``kzdata explore [VERSION|DIR]``.

- :mod:`kzdata.explore.metadata` — Datasette metadata generated from the record models:
  descriptions, licence, facets, canned queries;
- :mod:`kzdata.explore.context` — a claim in its article: the text found, boilerplate dimmed,
  the quote marked, every character escaped;
- :mod:`kzdata.explore.plugin` — the Datasette plugin: the ``/claim/<id>`` page, claim ids as links;
- :mod:`kzdata.explore.server` — the release's ``kzdata.sqlite``, read-only, served on 127.0.0.1.

Datasette is an optional extra (``pip install 'kzdata[explore]'``); :func:`require_datasette`
says so in one ``Error:`` line. Only :mod:`kzdata.explore.server` and
:mod:`kzdata.explore.plugin` import it.
"""

from __future__ import annotations

import importlib.util

from kzdata.errors import UsageError

INSTALL_HINT = "install it with: pip install 'kzdata[explore]'  (or: pip install 'datasette>=0.64')"


def require_datasette() -> None:
    """UsageError with the pip command when Datasette is not installed."""
    if importlib.util.find_spec("datasette") is None:
        raise UsageError("kzdata explore needs Datasette, which is not installed", INSTALL_HINT)
