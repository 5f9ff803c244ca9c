"""kzdata.formats.card and kzdata.formats.chart: the dataset card, CITATION.cff and contested_figures.png."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import jsonschema
import matplotlib
import matplotlib.text
import pytest
import yaml

from kzdata.errors import UsageError
from kzdata.formats import card, chart
from kzdata.records.jsonl import parse_record
from kzdata.records.kinds import BY_TABLE, BY_TYPE, TABLES
from kzdata.records.models import AnyRecord, Claim, Source
from kzdata.release import cut
from tests.release_factory import sample_records, write_release

CFF_SCHEMA = Path(__file__).parent / "data" / "cff" / "schema-1.2.0.json"
"""The Citation File Format 1.2.0 JSON Schema (CC-BY-4.0, citation-file-format.github.io), as cffconvert uses it."""
CHANGELOG = "# Changelog\n\n## [Unreleased]\n\n## [0.1.0] - 2022-01-20\n"


def by_table(records: list[AnyRecord]) -> dict[str, list[AnyRecord]]:
    tables: dict[str, list[AnyRecord]] = {name: [] for name in TABLES}
    for record in records:
        tables[BY_TYPE[record.record_type].table].append(record)
    return tables


def _with(record: AnyRecord, **updates: object) -> AnyRecord:
    return parse_record(json.dumps({**record.model_dump(mode="json"), **updates}))


def richer_records() -> list[AnyRecord]:
    """The sample records plus, for the nationwide detentions: an outlet's own hedged figure, a retracted
    figure and a range (none of them in a relation); a machine-translated source and two people."""
    records = sample_records()
    claims = {c.value.amount: c for c in records if isinstance(c, Claim) and c.value is not None}
    base, source = claims[7939], next(s for s in records if isinstance(s, Source))
    day = {"as_of": "2022-01-11", "stated_on": "2022-01-11"}
    person = {"record_type": "actor", "actor_type": "person"}
    added = [
        _with(base, id="clm-00000000000000a1", claimant_id=None, **day,
              value={"amount": 8000, "unit": "people", "qualifier": "about"}),
        _with(claims[5800], id="clm-00000000000000a2", status="retracted",
              value={"amount": 6000, "unit": "people", "qualifier": "exact"}),
        _with(base, id="clm-00000000000000a3", **day,
              value={"amount": None, "low": 9000, "high": 10000, "unit": "people", "qualifier": "range"}),
        _with(source, id="src-00000000000a", machine_translated=True, outlet="Paper B"),
        parse_record(json.dumps({**person, "id": "act-jane-doe", "name": "Jane Doe"})),
        parse_record(json.dumps({**person, "id": "act-kassym-jomart-tokayev", "name": "Kassym-Jomart Tokayev",
                                 "wikidata_id": "Q1133"})),
    ]  # fmt: skip
    return records + added


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_release(tmp_path_factory.mktemp("host"), "0.1.0", richer_records())


def front_matter(readme: Path) -> dict[str, object]:
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return dict(yaml.safe_load(text.split("---\n", 2)[1]))


# --- the card -------------------------------------------------------------------------------------------------


def test_front_matter_is_hugging_face_metadata_with_a_config_per_table(release: Path) -> None:
    meta = front_matter(release / "README.md")
    assert meta["license"] == "cc-by-4.0"
    assert meta["language"] == ["en"]
    assert meta["pretty_name"] == "kzdata: attributed claims about the January 2022 unrest in Kazakhstan"
    assert meta["size_categories"] == ["n<1K"]
    assert meta["task_categories"] == ["other"]
    assert "kazakhstan" in meta["tags"]  # type: ignore[operator]
    configs = meta["configs"]
    assert isinstance(configs, list)
    assert [c["config_name"] for c in configs] == list(TABLES)
    for config in configs:
        (data_file,) = config["data_files"]
        assert data_file == {"split": "train", "path": f"{config['config_name']}.parquet"}
        assert (release / data_file["path"]).is_file()
    assert [c["config_name"] for c in configs if c.get("default")] == ["claims"]


@pytest.mark.parametrize(
    ("claims", "category"), [(0, "n<1K"), (999, "n<1K"), (1_000, "1K<n<10K"), (250_000, "100K<n<1M")]
)
def test_size_category_follows_the_claim_count(claims: int, category: str) -> None:
    meta = yaml.safe_load(card.front_matter({}, {"claims": claims}, dataset_version="1.0.0").strip("-\n"))
    assert meta["size_categories"] == [category]


def test_hugging_face_datasets_loads_every_table_by_config_name(release: Path, tmp_path: Path) -> None:
    pytest.importorskip("datasets")
    script = textwrap.dedent(
        """
        import json, sys
        import datasets
        folder = sys.argv[1]
        rows = {name: datasets.load_dataset(folder, name=name, split="train").num_rows for name in sys.argv[2:]}
        rows["(default)"] = datasets.load_dataset(folder, split="train").num_rows
        print(json.dumps(rows))
        """
    )
    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")}
    done = subprocess.run(
        [sys.executable, "-c", script, str(release), *TABLES], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    rows = json.loads(done.stdout.strip().splitlines()[-1])
    expected = {name: len((release / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()) for name in TABLES}
    assert rows == {**expected, "(default)": expected["claims"]}


def test_data_fields_name_real_fields_and_link_the_codebook(release: Path) -> None:
    text = (release / "README.md").read_text(encoding="utf-8")
    section = text.split("## Data Fields\n", 1)[1].split("\n## ", 1)[0]
    for name in TABLES:
        assert f"[`{name}`](CODEBOOK.md#{name})" in section
        assert set(card.KEY_FIELDS[name]) <= set(BY_TABLE[name].model.model_fields)
        codebook = (release / "CODEBOOK.md").read_text(encoding="utf-8")
        assert f"### `{name}`" in codebook  # the anchor #name exists


def test_limitations_count_outlets_translations_and_people(release: Path) -> None:
    text = (release / "README.md").read_text(encoding="utf-8")
    section = text.split("## Limitations and responsible use\n", 1)[1].split("\n## ", 1)[0]
    assert "4 articles of 3 outlets" in section
    assert "Paper B (2), Site C (1), Wire A (1)" in section  # most articles first
    assert "1 of 4 source texts are machine translations" in section
    assert "2 actors of type person, 1 of them without a Wikidata item" in section
    assert "docs/evaluation.md" in section  # no quality file: where the figures are
    assert "Personal data" in section


def test_limitations_point_to_the_quality_figures_when_given(tmp_path: Path) -> None:
    quality = tmp_path / "quality.md"
    quality.write_text("| measure | value |\n|---|---|\n| claims F1 | 0.91 |\n", encoding="utf-8")
    tables = by_table(richer_records())
    assert "under *Extraction quality* below" in card.limitations(tables, quality=quality)
    text = card.render_card(tables, dataset_version="0.1.0", schema_version="0.1.0", quality=quality)
    assert "| claims F1 | 0.91 |" in text


def test_card_shows_the_chart(release: Path) -> None:
    text = (release / "README.md").read_text(encoding="utf-8")
    assert f"]({chart.FILE_NAME})" in text.split("## Contested figures\n", 1)[1]
    assert (release / chart.FILE_NAME).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    package = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    (resource,) = [r for r in package["resources"] if r["path"] == chart.FILE_NAME]
    assert resource["mediatype"] == "image/png"


# --- CITATION.cff ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("released", [date(2022, 1, 20), None])
def test_citation_is_valid_cff_with_or_without_a_release_date(released: date | None, tmp_path: Path) -> None:
    text = card.render_citation(dataset_version="0.1.0", released=released)
    document = yaml.safe_load(text)
    jsonschema.Draft7Validator(json.loads(CFF_SCHEMA.read_text(encoding="utf-8"))).validate(document)
    assert document["version"] == "0.1.0"
    assert document["repository-code"] == card.REPOSITORY
    assert document.get("date-released") == (released.isoformat() if released else None)
    if not _has_cffconvert():
        return  # cffconvert pins jsonschema<4, which kzdata cannot install beside it: not in the test extra
    path = tmp_path / "CITATION.cff"
    path.write_text(text, encoding="utf-8")
    done = subprocess.run([_cffconvert(), "--validate", "-i", str(path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def _cffconvert() -> str:
    return str(Path(sys.executable).parent / "cffconvert")


def _has_cffconvert() -> bool:
    try:
        import cffconvert  # noqa: F401
    except ImportError:
        return False
    return Path(_cffconvert()).is_file()


def test_a_release_dates_its_citation_from_the_changelog(tmp_path: Path) -> None:
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text(CHANGELOG, encoding="utf-8")
    result = cut.release("0.1.0", records=sample_records(), exports_dir=tmp_path / "exports", changelog=changelog)
    citation = yaml.safe_load((result.path / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["date-released"] == "2022-01-20"


def test_changelog_date_is_none_without_one_and_refuses_a_bad_one(tmp_path: Path) -> None:
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text("## [0.1.5]\n\n## [0.1.6] - 2022-13-40\n", encoding="utf-8")
    assert cut.changelog_date(changelog, "0.1.5") is None
    with pytest.raises(UsageError, match="not a date"):
        cut.changelog_date(changelog, "0.1.6")


# --- the chart ------------------------------------------------------------------------------------------------


def test_chart_has_every_figure_of_a_contested_quantity_with_claimant_names() -> None:
    points = chart.points(by_table(richer_records()))
    assert {p.quantity for p in points} == {("detained", "nationwide", "people")}  # not Almaty, not the death toll
    assert sorted((p.claimant, p.y, p.status) for p in points) == [
        ("Ministry of Internal Affairs", 5969, "reported"),
        ("Ministry of Internal Affairs", 5969, "reported"),
        ("Ministry of Internal Affairs", 7939, "reported"),
        ("Ministry of Internal Affairs", 7989, "reported"),
        ("Ministry of Internal Affairs", 9500, "reported"),  # the range 9,000–10,000, at its middle
        ("Office of the President", 5800, "reported"),
        ("Office of the President", 6000, "retracted"),
        ("the outlet (Paper B)", 8000, "reported"),
    ]


def test_chart_marks_approximate_and_retracted_figures_and_joins_none() -> None:
    figure = chart.figure(chart.points(by_table(richer_records())))
    (axes,) = figure.axes
    markers = [line for line in axes.get_lines() if line.get_marker() not in ("None", None, "")]
    assert all(len(line.get_xdata()) == 1 for line in markers)  # one marker per claim, no line between figures
    bars = [line for line in axes.get_lines() if line not in markers]
    assert [list(line.get_ydata()) for line in bars] == [[9000, 10000]]  # the range, within one claim
    assert [line.get_xdata()[0] for line in bars] == [bars[0].get_xdata()[1]]
    assert sum(line.get_marker() == "x" for line in markers) == 1
    hollow = [line for line in markers if line.get_marker() == "o" and line.get_markerfacecolor() == "white"]
    assert len(hollow) == 3  # about 5,800, about 8,000, the range
    assert len(markers) == 8
    legend = [t.get_text() for t in figure.legends[0].get_texts()]
    assert {"Office of the President", "the outlet (Paper B)", "retracted"} <= set(legend)
    assert axes.yaxis.get_major_formatter()(7939, 0) == "7,939"
    assert axes.xaxis.get_major_formatter()(1, 0) == "10 Jan 2022"  # days since 9 Jan, English whatever the locale


def test_chart_labels_left_unclipped_are_inside_their_panel() -> None:
    """Labels skip matplotlib's clip test only where it would pass: the same pixels, less time."""
    figure = chart.figure(chart.points(by_table(richer_records())))
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    figure.draw(renderer)  # places the axes (constrained layout), as savefig does
    (axes,) = figure.axes
    labels = [text for text in axes.texts if isinstance(text, matplotlib.text.Annotation)]
    assert len(labels) == 8
    unclipped = [label for label in labels if label.get_annotation_clip() is False]
    assert unclipped
    assert all(axes.contains_point(label._get_position_xy(renderer)) for label in unclipped)


def test_a_crowded_day_labels_only_its_lowest_and_highest_figure() -> None:
    quantity = ("detained", "nationwide", "people")
    crowded = [
        chart.Point(quantity, date(2022, 1, 9), f"Claimant {n % 3}", 1000.0 + n, None, None, "exact", "reported",
                    f"clm-{n:04d}")
        for n in range(chart.MAX_DAY_LABELS + 5)
    ]  # fmt: skip
    calm = [
        chart.Point(quantity, date(2022, 1, 10), "Claimant 0", 2000.0 + n, None, None, "exact", "reported", f"clm-x{n}")
        for n in range(chart.MAX_DAY_LABELS)
    ]
    (axes,) = chart.figure([*crowded, *calm]).axes
    labels = sorted(text.get_text() for text in axes.texts)
    assert labels == sorted(["1,000", f"{1000 + chart.MAX_DAY_LABELS + 4:,}", *(f"{2000 + n:,}" for n in range(8))])
    drawn = sorted((x, y) for line in axes.get_lines() for x, y in zip(line.get_xdata(), line.get_ydata(), strict=True))
    assert [y for _, y in drawn] == sorted(p.y for p in [*crowded, *calm])  # every claim keeps its marker
    assert len({x for x, _ in drawn}) == len(drawn)  # side by side, none hidden


def test_png_bytes_depend_only_on_the_points() -> None:
    points = chart.points(by_table(richer_records()))
    first = chart.render_png(points)
    with matplotlib.rc_context({"font.size": 20, "lines.markersize": 30, "axes.prop_cycle": matplotlib.cycler(c="k")}):
        assert chart.render_png(list(reversed(points))) == first
    assert b"Software" not in first
    assert b"tIME" not in first
    assert b"matplotlib" not in first


def test_release_png_is_the_same_bytes_twice(release: Path, tmp_path: Path) -> None:
    again = write_release(tmp_path, "0.1.0", richer_records())
    assert (again / chart.FILE_NAME).read_bytes() == (release / chart.FILE_NAME).read_bytes()


def test_chart_without_contested_figures_says_so() -> None:
    assert chart.points(by_table([r for r in richer_records() if r.record_type != "claim_relation"])) == []
    png = chart.render_png([])
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert chart.figure([]).texts[0].get_text() == "No contested figures in this release."
