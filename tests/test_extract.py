"""kzdata.extract and the `kzdata extract` command: records on stdout, errors as one line."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from kzdata import cli, extract
from kzdata.records.ids import actor_id, claim_id
from kzdata.records.jsonl import parse_record
from kzdata.records.models import Actor, AnyRecord, Claim, Source, Span
from kzdata.records.vocab import ActorType, Method, Predicate
from kzdata.sources.document import Document

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds" / "articles").glob("*.txt"))
CASES = ROOT / "tests" / "data" / "sources"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as caught:
        cli.main(["extract", *args])
    out, err = capsys.readouterr()
    code = caught.value.code
    return (code if isinstance(code, int) else 1), out, err


def jsonl_records(out: str) -> list[AnyRecord]:
    assert out.endswith("\n")
    return [parse_record(line) for line in out.splitlines()]


@pytest.mark.parametrize("article", SEEDS, ids=lambda p: p.name)
def test_extract_seed_prints_only_valid_records(capsys: pytest.CaptureFixture[str], article: Path) -> None:
    code, out, err = run(capsys, str(article))
    assert code == 0, err
    records = jsonl_records(out)
    source = records[0]
    assert isinstance(source, Source)
    assert source.sha256 and source.length == len(article.read_bytes().decode("utf-8"))
    assert all(not isinstance(r, Source) for r in records[1:])
    text = article.read_text(encoding="utf-8")
    for record in records:
        if isinstance(record, Claim):
            assert record.source_id == source.id
            assert text[record.span.start : record.span.end] == record.quote


def test_extract_uses_the_seed_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(ROOT / "seeds" / "articles" / "000_fbe1c13196da8a68.txt"))
    source = jsonl_records(out)[0]
    assert code == 0 and isinstance(source, Source)
    assert source.published == date(2022, 1, 10)
    assert source.original_language == "tr"


def test_options_override_and_json_format_prints_the_same_records(capsys: pytest.CaptureFixture[str]) -> None:
    article = str(CASES / "wire_wrapped.txt")
    options = [
        "--published",
        "2022-01-09",
        "--title",
        "T",
        "--outlet",
        "Example Wire",
        "--url",
        "https://example.org/a",
    ]
    code, out, _ = run(capsys, article, *options)
    assert code == 0
    source = jsonl_records(out)[0]
    assert isinstance(source, Source)
    assert (source.published, source.title, source.outlet, source.url) == (
        date(2022, 1, 9),
        "T",
        "Example Wire",
        "https://example.org/a",
    )
    code, pretty, _ = run(capsys, article, *options, "--format", "json")
    assert code == 0
    assert [parse_record(json.dumps(item)) for item in json.loads(pretty)] == jsonl_records(out)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("empty.txt", b""),
        ("binary.txt", b"PK\x03\x04\x00\x00"),
        ("latin1.txt", b"Almaty \xe9t\xe9\n"),
        ("missing.txt", None),
    ],
)
def test_bad_input_exits_2_with_one_error_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, data: bytes | None
) -> None:
    article = tmp_path / name
    if data is not None:
        article.write_bytes(data)
    code, out, err = run(capsys, str(article))
    assert code == 2
    assert out == ""
    assert err.startswith("Error: ") and err.count("\n") == 1
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "options", [["--published", "10/01/2022"], ["--language", "English"], ["--url", "not a url"], ["--format", "xml"]]
)
def test_bad_options_exit_2(capsys: pytest.CaptureFixture[str], options: list[str]) -> None:
    code, out, err = run(capsys, str(CASES / "wire_wrapped.txt"), *options)
    assert code == 2
    assert out == ""
    assert err.startswith("Error: ") and "Traceback" not in err


# --- orchestration ---------------------------------------------------------------------------------


def make_claim(source: str, start: int, end: int) -> Claim:
    return Claim(
        record_type="claim",
        id=claim_id(source, start, end, "detained"),
        source_id=source,
        claimant_id=None,
        predicate=Predicate.DETAINED,
        quote="x" * (end - start),
        span=Span(start=start, end=end),
        method=Method.RULE,
        rule_id="test",
        confidence=0.5,
    )


def make_actor(name: str) -> Actor:
    return Actor(record_type="actor", id=actor_id(name), name=name, actor_type=ActorType.PERSON)


def test_records_come_out_in_a_deterministic_order(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Title\n\nBody text that ends.\n", encoding="utf-8")
    source = extract.extract_article(article)[0]
    assert isinstance(source, Source)
    later, earlier = make_claim(source.id, 20, 30), make_claim(source.id, 5, 9)
    zed, alpha = make_actor("Zed Person"), make_actor("Alpha Person")
    ordered = extract.order_records([later, zed, source, earlier, alpha, zed])
    assert ordered == [source, alpha, zed, earlier, later]


def test_rule_records_come_from_the_rules_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Title\n\nPolice detained 40 people on Monday.\n", encoding="utf-8")
    seen: list[Document] = []

    def fake_extract(doc: Document) -> list[AnyRecord]:
        seen.append(doc)
        start = doc.text.index("40")
        return [make_claim(doc.source_id, start, start + 2), make_actor("Some Officer")]

    monkeypatch.setattr(extract.rules, "extract", fake_extract)
    records = extract.extract_article(article)
    assert [r.record_type for r in records] == ["source", "actor", "claim"]
    assert seen and seen[0].body


def test_record_path_sets_the_source_path(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Title\n\nBody text that ends.\n", encoding="utf-8")
    source = extract.extract_article(article, record_path="articles/a.txt")[0]
    assert isinstance(source, Source) and source.path == "articles/a.txt"


@pytest.mark.parametrize("article", [*SEEDS, *sorted(CASES.glob("*.txt"))], ids=lambda p: p.name)
def test_claims_come_only_from_the_body_or_the_headline(article: Path) -> None:
    from kzdata import sources

    doc = sources.parse(article)
    allowed = [*doc.body, *(s for s in doc.excluded if s.kind == "title")]
    for record in extract.extract_article(article):
        if isinstance(record, Claim):
            span = record.span
            assert any(s.start <= span.start and span.end <= s.end for s in allowed), record.quote


def test_explain_prints_cue_rules_and_the_claimant_chain(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(
        "Title\n\nThe interior ministry said on Monday that police had detained 1,200 people. "
        "It added that 40 of them were later freed on bail.\n",
        encoding="utf-8",
    )
    command = [sys.executable, "-m", "kzdata", "extract", str(article), "--published", "2022-01-10", "--explain"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "detained exact 1200" in result.stdout and "cue " in result.stdout and "rules " in result.stdout
    assert "claimant: " in result.stdout and "act-ministry-of-internal-affairs-of-kazakhstan" in result.stdout
    as_json = subprocess.run([*command, "-f", "json"], capture_output=True, text=True, check=False)
    explained = json.loads(as_json.stdout)
    assert explained and {"claim", "cue", "rules", "claimant_chain", "notes"} <= set(explained[0])
    assert all(item["claimant_chain"] for item in explained)
