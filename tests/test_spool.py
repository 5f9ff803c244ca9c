"""kzdata.release.spool: an external merge sort of (id, line) pairs in bounded memory."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kzdata.release.spool import Spool

IDS = st.text(alphabet="abcdef0123456789-", min_size=1, max_size=6).map(lambda s: "clm-" + s)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(IDS, st.text(max_size=30)), max_size=60), st.integers(min_value=1, max_value=200))
def test_pairs_come_back_sorted_by_id_whatever_the_run_size(
    tmp_path_factory: pytest.TempPathFactory, pairs: list[tuple[str, str]], run_bytes: int
) -> None:
    directory = tmp_path_factory.mktemp("runs")
    spool = Spool(directory, "claims", run_bytes)
    expected = []
    for record_id, text in pairs:
        line = f'{{"text":{text!r}}}\n'.replace("\t", " ").encode("utf-8")
        spool.add(record_id.encode("utf-8"), line)
        expected.append((record_id.encode("utf-8"), line))
    assert spool.count == len(pairs)
    assert list(spool.sorted_pairs()) == sorted(expected)
    spool.remove()
    assert list(directory.iterdir()) == []


def test_a_small_table_never_touches_the_disk(tmp_path: Path) -> None:
    spool = Spool(tmp_path, "actors", 1 << 20)
    spool.add(b"act-b", b'{"id":"act-b"}\n')
    spool.add(b"act-a", b'{"id":"act-a"}\n')
    assert list(tmp_path.iterdir()) == []
    assert [record_id for record_id, _ in spool.sorted_pairs()] == [b"act-a", b"act-b"]


def test_runs_spill_past_the_memory_bound_and_merge(tmp_path: Path) -> None:
    spool = Spool(tmp_path, "claims", 40)
    for n in (5, 3, 9, 1, 7, 2):
        spool.add(f"clm-{n}".encode(), f'{{"n":{n}}}\n'.encode())
    runs = sorted(p.name for p in tmp_path.iterdir())
    assert runs == ["claims.run0.ids", "claims.run0.lines", "claims.run1.ids", "claims.run1.lines"]
    assert [record_id for record_id, _ in spool.sorted_pairs()] == [f"clm-{n}".encode() for n in (1, 2, 3, 5, 7, 9)]


def test_an_id_that_prefixes_another_sorts_first(tmp_path: Path) -> None:
    spool = Spool(tmp_path, "actors", 1)
    for record_id in (b"act-ab", b"act-a", b"act-a-b"):
        spool.add(record_id, b"{}\n")
    assert [record_id for record_id, _ in spool.sorted_pairs()] == sorted([b"act-ab", b"act-a", b"act-a-b"])
