"""kzdata.formats.codebook: CODEBOOK.md names every field and every vocabulary value, with its meaning."""

from __future__ import annotations

from pathlib import Path

from kzdata.formats import codebook
from kzdata.formats.parquet import descriptions
from kzdata.records import vocab
from kzdata.records.kinds import KINDS
from kzdata.release import write as export
from tests.test_release import load_records


def test_every_field_of_every_table_is_in_the_codebook_with_its_description() -> None:
    text = codebook.render_codebook({}, dataset_version="1.2.3", schema_version="0.1.0")
    for kind in KINDS:
        assert f"### `{kind.table}`" in text and f"`{kind.prefix}-…`" in text
        section = text.split(f"### `{kind.table}`", 1)[1].split("\n### ", 1)[0]
        for path, description in descriptions(kind.model).items():
            row = next((line for line in section.splitlines() if line.startswith(f"| `{path}` |")), None)
            assert row is not None, f"{kind.table}.{path} is missing"
            assert description.replace("|", "\\|") in row


def test_every_vocabulary_value_is_in_the_codebook_with_its_definition() -> None:
    text = codebook.render_codebook({}, dataset_version="1.2.3", schema_version="0.1.0")
    assert {v.__name__ for v in codebook.VOCABULARIES} >= {"Predicate", "Qualifier", "Unit", "Status", "Relation"}
    for vocabulary in codebook.VOCABULARIES:
        assert f"### {vocabulary.__name__}" in text
        for value, definition in vocabulary.definitions().items():
            assert f"| `{value}` | {definition.replace('|', chr(92) + '|')} |" in text
    assert issubclass(vocab.Predicate, vocab.Vocab)


def test_the_release_has_a_codebook_with_examples_and_the_relation_rules(tmp_path: Path) -> None:
    out = tmp_path / "out"
    export.write_tables(load_records(), out, dataset_version="0.1.0")
    text = (out / "CODEBOOK.md").read_text(encoding="utf-8")
    assert text.startswith("# kzdata codebook — dataset 0.1.0")
    assert "## How claim relations are derived" in text and "contradicts" in text
    assert "| `predicate` | [Predicate](#predicate) | yes |" in text
    assert "`detained`" in text.split("| `predicate` |", 1)[1].split("\n", 1)[0]  # an example from the release
    again = tmp_path / "again"
    export.write_tables(load_records(), again, dataset_version="0.1.0")
    assert (again / "CODEBOOK.md").read_bytes() == (out / "CODEBOOK.md").read_bytes()
