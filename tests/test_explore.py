"""kzdata explore: metadata from the models, the claim in its article, the server, and a real browser."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kzdata.cli import commands as cli
from kzdata.explore import context, metadata
from kzdata.formats import sqlite
from kzdata.records import kinds
from kzdata.release.layout import release_tables
from kzdata.release.write import read_records, write_tables
from kzdata.sources.document import Segment

ROOT = Path(__file__).resolve().parent.parent
RELEASE = ROOT / "exports" / "v0.1.0"
KZDATA = Path(sys.executable).parent / "kzdata"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
MIA = "Ministry of Internal Affairs of Kazakhstan"
CONTESTED = {5800: "Office of the President of Kazakhstan", 5969: MIA, 7939: MIA, 7989: MIA}


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """exports/v0.1.0's records written as a release of today's layout (with kzdata.sqlite), outside the checkout."""
    out = tmp_path_factory.mktemp("explore") / "v0.1.0"
    write_tables(read_records([RELEASE / f"{t}.jsonl" for t in release_tables(RELEASE)]), out, dataset_version="0.1.0")
    return out


# --- metadata -----------------------------------------------------------------------------


def test_metadata_comes_from_the_models_and_the_data_package() -> None:
    document = metadata.build_metadata(version="0.1.0", texts=[Path("/texts")])
    assert document["license"] == "CC-BY-4.0"
    assert "0.1.0" in document["title"]
    tables = document["databases"]["kzdata"]["tables"]
    assert set(kinds.TABLES) <= set(tables)
    assert set(sqlite.VIEWS) <= set(tables)
    assert tables["claims"]["columns"]["quote"] == "Exact text of the source at span."
    assert tables["claims"]["columns"]["value_amount"].startswith("The figure as stated")
    assert tables["claims"]["facets"] == ["predicate", "claimant_id", "status", "as_of"]
    assert tables["actors"]["label_column"] == "name"
    queries = document["databases"]["kzdata"]["queries"]
    assert set(queries) == {"contested_figures", "quantity_figures", "claimant_claims", "retracted_claims"}
    assert ":predicate" in queries["quantity_figures"]["sql"] and ":scope" in queries["quantity_figures"]["sql"]
    assert document["plugins"]["kzdata-explore"]["texts"] == ["/texts"]


# --- the claim in its article -------------------------------------------------------------


def test_article_html_escapes_marks_the_quote_and_dims_boilerplate() -> None:
    text = "<b>Menu</b>\nSaid 5,800 & more <script>x</script>\nSubscribe"
    start = text.index("5,800")
    end = text.index(" <script>") + len(" <script>x</script>")
    html = context.article_html(text, [Segment(0, 11, "nav"), Segment(text.index("Subscribe"), len(text), "footer")],
                                start, end)  # fmt: skip
    assert "<b>" not in html and "<script>" not in html
    assert '<span class="boilerplate" title="nav (not read by the rules)">&lt;b&gt;Menu&lt;/b&gt;</span>' in html
    assert '<mark id="quote">5,800 &amp; more &lt;script&gt;x&lt;/script&gt;</mark>' in html
    assert html.endswith('<span class="boilerplate" title="footer (not read by the rules)">Subscribe</span>')


def test_the_mark_stays_one_element_across_boilerplate() -> None:
    html = context.article_html("abcdef", [Segment(2, 4, "caption")], 1, 5)
    dimmed = '<span class="boilerplate" title="caption (not read by the rules)">cd</span>'
    assert html == f'a<mark id="quote">b{dimmed}e</mark>f'


def test_text_found_by_path_then_name_and_only_with_its_hash(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("wrong", encoding="utf-8")
    places = context.places("seeds/articles/a.txt", [tmp_path], None, cwd=tmp_path / "nowhere")
    assert places[:2] == [tmp_path / "seeds/articles/a.txt", tmp_path / "a.txt"]
    found, problem = context.find_text(places, "0" * 64)
    assert found is None and problem and "SHA-256 differs" in problem
    source = json.loads((RELEASE / "sources.jsonl").read_text(encoding="utf-8").splitlines()[0])
    found, _ = context.find_text(context.places(source["path"], [], RELEASE), source["sha256"])
    assert found == ROOT / source["path"]


# --- in-process pages (Datasette's own test client) ---------------------------------------


def _get(ds: Any, path: str) -> Any:
    return asyncio.run(ds.client.get(path))


@pytest.fixture(scope="module")
def datasette_app(release: Path) -> Any:
    pytest.importorskip("datasette")
    from kzdata.explore import server

    return server.make_datasette(release / sqlite.FILE_NAME, server.metadata_for(release))


def test_claim_page_says_where_the_text_is_expected_when_it_is_not_at_hand(
    datasette_app: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)  # neither the checkout nor --texts: the text is not at hand
    claims = _get(datasette_app, "/kzdata/contested_figures.json?_shape=array").json()
    claim = next(c for c in claims if c["amount"] == 5969)
    page = _get(datasette_app, f"/claim/{claim['claim_id']}")
    assert page.status_code == 200
    assert "The article text is not at hand" in page.text
    assert "seeds/articles/" in page.text
    assert "<mark>" in page.text and "5969" in page.text


def test_unknown_claim_is_404(datasette_app: Any) -> None:
    assert _get(datasette_app, "/claim/clm-0000000000000000").status_code == 404


def test_database_for_an_old_release_is_built_aside_and_removed() -> None:
    pytest.importorskip("datasette")
    from kzdata.explore import server

    with server.database_for(RELEASE) as path:
        assert path.parent != RELEASE and path.is_file()
        assert not (RELEASE / sqlite.FILE_NAME).exists()
    assert not path.exists()


def test_without_datasette_one_error_line_with_the_pip_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "datasette" else real(name, *a))
    with pytest.raises(SystemExit) as done:
        cli.main(["explore", str(RELEASE)])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("Error: kzdata explore needs Datasette")
    assert "pip install 'kzdata[explore]'" in err
    assert len(err.strip().splitlines()) == 1


# --- the real server, and a real browser ---------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait(url: str, process: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            err = process.stderr.read() if process.stderr else b""
            raise AssertionError(f"kzdata explore exited with {process.returncode}: {err!r}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer in {seconds} s")


@pytest.fixture(scope="module")
def server(release: Path) -> Iterator[str]:
    """``kzdata explore DIR --port N`` as a subprocess on 127.0.0.1; its base URL; stopped at the end."""
    pytest.importorskip("datasette")
    port = _free_port()
    process = subprocess.Popen(
        [str(KZDATA), "explore", str(release), "--port", str(port), "--texts", str(ROOT)],
        cwd=release.parent, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "NO_COLOR": "1"},
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{base}/-/versions.json", process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr:
            process.stderr.close()


def _json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return json.loads(answer.read())


def test_contested_figures_over_http(server: str) -> None:
    rows = _json(f"{server}/kzdata/contested_figures.json?_shape=array")
    said = {(row["amount"], row["claimant"]) for row in rows}
    for amount, claimant in CONTESTED.items():
        assert (amount, claimant) in said
    assert all(json.loads(row["contradicts"]) for row in rows)


def test_canned_queries_and_search_over_http(server: str) -> None:
    figures = _json(f"{server}/kzdata/quantity_figures.json?_shape=array&predicate=detained&scope=nationwide")
    assert {5800, 5969, 7939, 7989} <= {row["amount"] for row in figures}
    tokayev = _json(f"{server}/kzdata/claimant_claims.json?_shape=array&claimant=Tokayev")
    assert tokayev and all(row["claimant"] == "Kassym-Jomart Tokayev" for row in tokayev)
    assert _json(f"{server}/kzdata/retracted_claims.json?_shape=array")
    found = _json(f"{server}/kzdata/claims.json?_shape=array&_search=detained")
    assert found and all("detained" in row["quote"].lower() for row in found)


def test_the_database_is_read_only(server: str) -> None:
    databases = _json(f"{server}/-/databases.json")
    assert [(d["name"], d["is_mutable"]) for d in databases] == [("kzdata", False)]


def test_a_browser_follows_a_contested_figure_to_its_quote_in_the_article(server: str, tmp_path: Path) -> None:
    if not CHROMIUM.is_file():
        pytest.skip(f"no chromium at {CHROMIUM} (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    rows = {row["claim_id"]: row for row in _json(f"{server}/kzdata/contested_figures.json?_shape=array")}
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = browser.new_page()
            page.goto(f"{server}/kzdata/contested_figures")
            link = page.locator("td.col-claim_id a").nth(2)
            claim_id = link.inner_text()
            link.click()
            page.wait_for_url(f"**/claim/{claim_id}")
            mark = page.locator("div.kz-text mark")
            assert mark.count() == 1
            assert mark.text_content() == rows[claim_id]["quote"]
            assert page.locator("div.kz-text .boilerplate").count() > 0
            assert page.locator("table.kz-others a").count() > 0
            page.screenshot(path=str(tmp_path / "claim.png"), full_page=True)
        finally:
            browser.close()
    assert (tmp_path / "claim.png").stat().st_size > 0
    shutil.rmtree(tmp_path / "profile", ignore_errors=True)
