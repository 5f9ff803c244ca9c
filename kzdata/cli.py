"""The ``kzdata`` command line: a thin typer layer over the library.

Each command parses its options, calls one library function, renders the result and maps
it to an exit code: 0 ok, 1 the data has errors, 2 the tool was used wrongly or could not
run. Every :class:`~kzdata.errors.KzdataError` is caught in :func:`main`, the one place
that prints ``Error: what happened — how to fix it``; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from kzdata import __version__
from kzdata.errors import KzdataError

app = typer.Typer(
    name="kzdata",
    help="Build, validate, release and load the kzdata dataset of claims about the January 2022 unrest in Kazakhstan.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_state = {"debug": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kzdata {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    _state["debug"] = debug


# --- schema -------------------------------------------------------------------------------


@app.command("schema")
def schema_command(
    out: Annotated[Path, typer.Option("--out", help="Directory of the published schemas.")] = Path("schema"),
    check: Annotated[bool, typer.Option("--check", help="Exit 1 if the files are stale; write nothing.")] = False,
) -> None:
    """Write the JSON Schemas generated from the record models into schema/."""
    from kzdata import schema

    if check:
        stale = schema.check(out)
        for name in stale:
            typer.echo(f"{out / name}: stale", err=True)
        if stale:
            typer.echo(f"Error: {len(stale)} schema file(s) out of date — run 'kzdata schema'", err=True)
            raise typer.Exit(1)
        typer.echo(f"{out}: up to date")
        return
    for path in schema.write(out):
        typer.echo(str(path))


# --- entry point --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; the one place where tool errors become messages and exit codes."""
    args = sys.argv[1:] if argv is None else argv
    try:
        app(args=args, prog_name="kzdata")
    except KzdataError as error:
        if _state["debug"]:
            raise
        typer.echo(f"Error: {error}", err=True)
        sys.exit(error.exit_code)
