"""The CLI shell: version, exit codes, the one error handler, `kzdata schema`."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kzdata import __version__, cli
from kzdata.cli import commands
from kzdata.errors import InputError

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kzdata", *args], capture_output=True, text=True, cwd=cwd, check=False)


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"kzdata {__version__}"


def test_unknown_command_is_a_usage_error() -> None:
    result = run("no-such-command")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_schema_check_passes_on_the_checkout() -> None:
    result = run("schema", "--check")
    assert result.returncode == 0, result.stderr


def test_schema_check_fails_when_stale_and_writing_fixes_it(tmp_path: Path) -> None:
    assert run("schema", "--out", str(tmp_path)).returncode == 0
    (tmp_path / "event.schema.json").write_text("{}", encoding="utf-8")
    stale = run("schema", "--check", "--out", str(tmp_path))
    assert stale.returncode == 1
    assert "event.schema.json" in stale.stderr and "run 'kzdata schema'" in stale.stderr
    assert run("schema", "--out", str(tmp_path)).returncode == 0
    assert run("schema", "--check", "--out", str(tmp_path)).returncode == 0


@pytest.fixture
def failing_command() -> Iterator[None]:
    before = list(cli.app.registered_commands)

    @cli.app.command("boom", hidden=True)
    def boom() -> None:
        raise InputError("could not read x.jsonl", "check the path")

    yield
    cli.app.registered_commands[:] = before
    commands._state["debug"] = False


def test_tool_errors_print_one_line_and_exit_2(failing_command: None, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["boom"])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err == "Error: could not read x.jsonl — check the path\n"


def test_debug_shows_the_traceback(failing_command: None) -> None:
    with pytest.raises(InputError):
        cli.main(["--debug", "boom"])


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = [info.name for info in cli.app.registered_commands if not info.hidden]
    assert names, "no commands registered"
    undocumented = [name for name in names if f"`kzdata {name}" not in readme]
    assert undocumented == []


@pytest.mark.parametrize(
    ("args", "choices"),
    [
        (["validate", "x.jsonl", "--format", "xml"], "'text', 'json', 'github'"),
        (["validate", "x.jsonl", "--severity", "info"], "'error', 'warning'"),
        (["info", "exports/v0.1.0", "--format", "xml"], "'text', 'json'"),
        (["extract", "a.txt", "--format", "csv"], "'jsonl', 'json'"),
    ],
)
def test_a_wrong_choice_is_one_error_line_listing_the_choices(
    args: list[str], choices: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(args)
    err = capsys.readouterr().err
    assert caught.value.code == 2
    assert err.startswith("Error: ") and err.count("\n") == 1 and choices in err


def test_help_lists_the_choices_of_every_format_option() -> None:
    for command in ("validate", "verify", "diff", "info", "evaluate", "extract"):
        result = run(command, "--help")
        assert "<str>" not in result.stdout.split("--format", 1)[1].split("\n", 1)[0], command
