from __future__ import annotations

import pytest

from kzdata.progress import byte_bar, enabled_by_default, progress_display


def test_a_disabled_display_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    with progress_display(False) as update:
        update("extract", 0, 3)
        update("extract", 3, 3)
    assert capsys.readouterr() == ("", "")


def test_an_enabled_display_draws_on_stderr_only(capsys: pytest.CaptureFixture[str]) -> None:
    with progress_display(True) as update:
        for done in range(4):
            update("extract", done, 3)
        update("write", 1, 1)
    captured = capsys.readouterr()
    assert captured.out == ""


def test_the_display_is_off_when_stderr_is_not_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    assert enabled_by_default() is False  # pytest captures stderr: not a terminal


def test_a_byte_bar_is_none_when_quiet() -> None:
    with byte_bar(False, "label", 10) as bar:
        assert bar is None


def test_a_byte_bar_counts_bytes_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    with byte_bar(True, "kzdata v0.1.0", 2048) as bar:
        bar.update(1024)
        bar.update(1024)
        bar.close()
    captured = capsys.readouterr()
    assert captured.out == "" and "kzdata v0.1.0" in captured.err
