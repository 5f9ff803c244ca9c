"""The ``kzdata`` command line: a thin typer layer over the library.

Each command parses its options, calls one library function, renders the result and maps
it to an exit code: 0 ok, 1 the data has errors, 2 the tool was used wrongly or could not
run. Every :class:`~kzdata.errors.KzdataError` is caught in :func:`main`, the one place
that prints ``Error: what happened — how to fix it``; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from kzdata import __version__
from kzdata.cli import render
from kzdata.cli.render import OutputFormat, RecordsFormat, TextOrJson
from kzdata.errors import KzdataError
from kzdata.validate.codes import Severity

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
    from kzdata.records import schema
    from kzdata.validate.report import published_schemas

    if check:
        stale = schema.check(out, published_schemas())
        for name in stale:
            typer.echo(f"{out / name}: stale", err=True)
        if stale:
            typer.echo(f"Error: {len(stale)} schema file(s) out of date — run 'kzdata schema'", err=True)
            raise typer.Exit(1)
        typer.echo(f"{out}: up to date")
        return
    for path in schema.write(out, published_schemas()):
        typer.echo(str(path))


# --- download / info ----------------------------------------------------------------------


@app.command("download")
def download_command(
    version: Annotated[str, typer.Argument(help="Release version (0.1.0) or 'latest'.")] = "latest",
    *,
    base_url: Annotated[
        str | None, typer.Option("--base-url", help="Release host (http(s)://, file:// or a folder); $KZDATA_BASE_URL.")
    ] = None,
    dest: Annotated[
        Path | None, typer.Option("--dest", help="Cache folder; default $KZDATA_CACHE or the platform cache dir.")
    ] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the published versions and exit.")] = False,
    retries: Annotated[int, typer.Option("--retries", min=0, help="Retries per file after a failed transfer.")] = 3,
    timeout: Annotated[
        float | None,
        typer.Option("--timeout", min=0.1, help="Seconds to wait for a connection or a read; $KZDATA_TIMEOUT, 10."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Download again even if the cache holds the version.")] = False,
    fmt: Annotated[TextOrJson, typer.Option("--format", help="Output of --list: text or json.")] = TextOrJson.TEXT,
) -> None:
    """Download a release into the cache, verifying every file; print its folder."""
    from kzdata.remote import fetch

    if list_:
        entries = fetch.list_versions(base_url, retries=retries)
        json_out = render.json_text([e.to_json() for e in entries]) if fmt is TextOrJson.JSON else None
        typer.echo(json_out or render.versions(entries), nl=False)
        return
    folder = fetch.download(version, base_url=base_url, dest=dest, retries=retries, timeout=timeout, force=force)
    typer.echo(str(folder))


@app.command("info")
def info_command(
    target: Annotated[str, typer.Argument(metavar="DIR|VERSION", help="A release folder or version ('latest').")],
    fmt: Annotated[TextOrJson, typer.Option("--format", help="Output: text or json.")] = TextOrJson.TEXT,
) -> None:
    """Verify a release against its SHA256SUMS and print version, schema version and row counts."""
    from kzdata.remote.load import release_info

    info = release_info(target)
    typer.echo(render.json_text(info.to_json()) if fmt is TextOrJson.JSON else render.release_info(info), nl=False)


# --- validate -----------------------------------------------------------------------------


@app.command("validate")
def validate_command(
    paths: Annotated[list[str], typer.Argument(help="Record files (.jsonl, .json, .csv), directories, - for stdin.")],
    *,
    fmt: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output: text, json (the Report) or github.")
    ] = OutputFormat.TEXT,
    max_issues: Annotated[int | None, typer.Option("--max-issues", min=1, help="Show at most N issues.")] = None,
    severity: Annotated[
        Severity, typer.Option("--severity", help="Report issues at or above this severity.")
    ] = Severity.WARNING,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary line; issues only.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also list files read and counts per code.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 on warnings too.")] = False,
    against: Annotated[
        str | None, typer.Option("--against", help="Resolve ids against a release: a directory or a version.")
    ] = None,
    texts: Annotated[Path | None, typer.Option("--texts", help="Directory to look for source texts in first.")] = None,
    max_line_bytes: Annotated[
        int, typer.Option("--max-line-bytes", min=1, help="Longest accepted line in bytes (default 16 MiB).")
    ] = 16 * 1024 * 1024,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Processes for large .jsonl files (default: all cores; 1: none)."),
    ] = None,
) -> None:
    """Check record files: every problem in one run, with file, line, JSON Pointer and the fix."""
    from kzdata.validate import validate

    report = validate(
        paths,
        against=against,
        texts=texts,
        severity=severity,
        max_issues=max_issues,
        max_line_bytes=max_line_bytes,
        jobs=jobs,
    )
    colour = fmt is OutputFormat.TEXT and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    typer.echo(render.validation(report, fmt, colour=colour, verbosity=-1 if quiet else int(verbose)), nl=False)
    if not report.ok or (strict and report.warnings):
        raise typer.Exit(1)


# --- extract ------------------------------------------------------------------------------


@app.command("extract")
def extract_command(
    article: Annotated[Path, typer.Argument(help="The article's UTF-8 text file.")],
    *,
    published: Annotated[
        str | None, typer.Option("--published", help="Publication date YYYY-MM-DD (overrides the dateline).")
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="Headline (default: the first line).")] = None,
    outlet: Annotated[str | None, typer.Option("--outlet", help="Publication that published the article.")] = None,
    language: Annotated[str | None, typer.Option("--language", help="ISO 639 code of the text (default en).")] = None,
    url: Annotated[str | None, typer.Option("--url", help="Where the article was published.")] = None,
    fmt: Annotated[
        RecordsFormat, typer.Option("--format", "-f", help="Output: jsonl (one record a line) or json.")
    ] = RecordsFormat.JSONL,
    explain: Annotated[
        bool, typer.Option("--explain", help="Print, for each claim, its cue, rule ids and claimant chain.")
    ] = False,
) -> None:
    """Print an article's Source, Actor and Claim records (metadata from the nearest sources.toml)."""
    from kzdata.extract import explain_article, extract_article, to_json
    from kzdata.records.jsonl import write_jsonl

    options = {"published": published, "title": title, "outlet": outlet, "language": language, "url": url}
    if explain:
        explained = explain_article(article, options)
        as_json = fmt is RecordsFormat.JSON
        typer.echo(
            render.json_text(render.explanations_json(explained)) if as_json else render.explanations(explained),
            nl=False,
        )
        return
    records = extract_article(article, options)
    typer.echo(to_json(records) if fmt is RecordsFormat.JSON else write_jsonl(records), nl=False)


# --- build --------------------------------------------------------------------------------


@app.command("build")
def build_command(
    seeds: Annotated[
        Path, typer.Option("--seeds", help="Seeds folder: articles/*.txt, sources.toml, curated/*.jsonl.")
    ] = Path("seeds"),
    out: Annotated[Path, typer.Option("--out", help="Folder the tables are written into (replaced).")] = Path(
        "exports/dev"
    ),
    dataset_version: Annotated[str, typer.Option("--dataset-version", help="Version stamped into the files.")] = "dev",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary.")] = False,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Processes that parse and extract articles (default: all cores)."),
    ] = None,
) -> None:
    """Build the dataset: parse the seed articles, extract, merge curated records, link, validate, export."""
    from kzdata.build.parallel import default_jobs
    from kzdata.build.pipeline import build
    from kzdata.progress import enabled_by_default, progress_display

    with progress_display(enabled_by_default() and not quiet) as progress:
        result = build(seeds, out, dataset_version=dataset_version, progress=progress, jobs=jobs or default_jobs())
    report = result.report
    if report is not None and report.issues and not (quiet and report.ok):
        typer.echo(render.build_issues(report), err=True, nl=False)
    if not quiet:
        typer.echo(render.build_summary(result), nl=False)
    if not result.ok:
        typer.echo(f"Error: validation found {result.stats.errors} error(s) — nothing was written to {out}", err=True)
        raise typer.Exit(1)
    if not quiet:
        typer.echo(f"wrote {len(result.written)} files into {out}")


# --- export -------------------------------------------------------------------------------


@app.command("export")
def export_command(
    paths: Annotated[list[Path], typer.Argument(help="JSON Lines files of records (any order, any size).")],
    *,
    out: Annotated[Path, typer.Option("--out", help="Folder the tables are written into (new, empty or an export).")],
    dataset_version: Annotated[str, typer.Option("--dataset-version", help="Version stamped into the files.")] = "dev",
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Processes for large files (default: all cores; 1: none).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary line.")] = False,
) -> None:
    """Write the release tables (JSONL, Parquet, CSV), datapackage.json, card and SHA256SUMS of record files.

    Exit 1 if a line is not a valid record or two records share an id (nothing is written;
    'kzdata validate' lists every problem), 2 if a file cannot be read or --out is a folder
    kzdata did not write.
    """
    from kzdata.errors import RecordError
    from kzdata.release.write import export_jsonl

    try:
        written = export_jsonl(paths, out, dataset_version=dataset_version, jobs=jobs)
    except RecordError as error:  # bad data, not a bad invocation
        typer.echo(f"Error: {error}", err=True)
        raise typer.Exit(1) from None
    if not quiet:
        typer.echo(f"wrote {len(written)} files into {out}")


# --- release / verify / diff --------------------------------------------------------------


@app.command("release")
def release_command(
    version: Annotated[str, typer.Argument(help="The new dataset version, MAJOR.MINOR.PATCH.")],
    seeds: Annotated[Path, typer.Option("--seeds", help="Seeds folder the release is built from.")] = Path("seeds"),
    exports: Annotated[Path, typer.Option("--exports", help="Folder holding the releases.")] = Path("exports"),
    changelog: Annotated[
        Path, typer.Option("--changelog", help="Changelog that must have a '## [VERSION]' entry.")
    ] = Path("CHANGELOG.md"),
    quality: Annotated[
        Path | None, typer.Option("--quality", help="Extraction quality figures for the card (.md or .json).")
    ] = None,
) -> None:
    """Build the seeds and publish them as the immutable release exports/vVERSION/."""
    from kzdata.build.pipeline import ARTICLES, build_records
    from kzdata.release.cut import release

    result = release(
        version,
        build=lambda: build_records(seeds).records,
        exports_dir=exports,
        changelog=changelog,
        quality=quality,
        texts=seeds / ARTICLES,
    )
    counts = ", ".join(f"{n} {kind}" for kind, n in result.changes.items())
    since = f" since {result.previous}" if result.previous else ""
    typer.echo(f"released {result.version} into {result.path}: {len(result.files)} files; {counts}{since}")


@app.command("verify")
def verify_command(
    release_dir: Annotated[str, typer.Argument(metavar="DIR|VERSION", help="A release folder or version.")],
    exports: Annotated[Path, typer.Option("--exports", help="Folder holding the releases.")] = Path("exports"),
    texts: Annotated[
        Path | None, typer.Option("--texts", help="Folder of the source texts, to check every quote against its span.")
    ] = None,
    output: Annotated[TextOrJson, typer.Option("--format", help="Output format: text or json.")] = TextOrJson.TEXT,
) -> None:
    """Recompute every hash and size of a release and re-validate its records; exit 1 on a mismatch."""
    from kzdata.release.store import resolve
    from kzdata.release.verify import verify

    report = verify(resolve(release_dir, exports=exports), texts=texts)
    if output is TextOrJson.JSON:
        typer.echo(report.to_json(), nl=False)
    else:
        typer.echo(render.verify_problems(report), err=True, nl=False)
        typer.echo(render.verify_status(report), nl=False)
    raise typer.Exit(0 if report.ok else 1)


@app.command("diff")
def diff_command(
    old: Annotated[str, typer.Argument(metavar="OLD", help="The older release folder or version.")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="The newer release folder or version.")],
    exports: Annotated[Path, typer.Option("--exports", help="Folder holding the releases.")] = Path("exports"),
    output: Annotated[TextOrJson, typer.Option("--format", help="Output format: text or json.")] = TextOrJson.TEXT,
) -> None:
    """Print the records added, changed (field by field) and withdrawn from OLD to NEW."""
    from kzdata.release.changes import to_json_text
    from kzdata.release.cut import diff
    from kzdata.release.store import resolve

    found = diff(resolve(old, exports=exports), resolve(new, exports=exports))
    typer.echo(to_json_text(found) if output is TextOrJson.JSON else render.changes(found), nl=False)


# --- explore ------------------------------------------------------------------------------


@app.command("explore")
def explore_command(
    target: Annotated[
        str | None, typer.Argument(metavar="[VERSION|DIR]", help="A release folder or version; default: the latest.")
    ] = None,
    *,
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")] = 8001,
    host: Annotated[
        str, typer.Option("--host", help="Address to bind; 0.0.0.0 exposes the server to your network.")
    ] = "127.0.0.1",
    texts: Annotated[
        list[Path] | None,
        typer.Option("--texts", help="Folder of the source texts (repeatable); default: the checkout."),
    ] = None,
    metadata_out: Annotated[
        Path | None, typer.Option("--metadata-out", help="Write Datasette's metadata.json here and exit.")
    ] = None,
    exports: Annotated[Path, typer.Option("--exports", help="Folder holding the releases.")] = Path("exports"),
) -> None:
    """Browse a release in Datasette (read-only): tables, facets, canned queries, each claim in its article."""
    from kzdata.explore import require_datasette
    from kzdata.release.store import resolve

    folder = resolve(target, exports=exports)
    require_datasette()
    from kzdata.explore import server

    if metadata_out is not None:
        typer.echo(str(server.write_metadata(folder, metadata_out, texts or [])))
        return
    typer.echo(render.explore_banner(folder, host, port), err=True, nl=False)
    server.serve(folder, host=host, port=port, texts=texts or [])


# --- evaluate -----------------------------------------------------------------------------


@app.command("evaluate")
def evaluate_command(
    gold: Annotated[Path, typer.Option("--gold", help="Folder of gold files (*.yaml).")] = Path("tests/data/gold"),
    articles: Annotated[Path, typer.Option("--articles", help="Folder of the articles.")] = Path("seeds/articles"),
    fmt: Annotated[TextOrJson, typer.Option("--format", help="Output format: text or json.")] = TextOrJson.TEXT,
) -> None:
    """Score the rule-based extraction against the gold set; exit 1 if the numeric targets are missed."""
    from kzdata.build.evaluate import evaluate

    report = evaluate(gold, articles)
    typer.echo(render.json_text(report.to_dict()) if fmt is TextOrJson.JSON else render.evaluation(report), nl=False)
    if not report.meets_targets:
        raise typer.Exit(1)


# --- entry point --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; the one place where tool errors become messages and exit codes."""
    args = sys.argv[1:] if argv is None else argv
    try:
        code = app(args=args, prog_name="kzdata", standalone_mode=False)
    except typer.Abort:
        typer.echo("Error: aborted", err=True)
        sys.exit(130)
    except KzdataError as error:
        if _state["debug"]:
            raise
        typer.echo(f"Error: {error}", err=True)
        sys.exit(error.exit_code)
    except Exception as error:
        if not _is_usage_error(error):
            raise
        if type(error).__name__ == "NoArgsIsHelpError":  # the help is already printed
            sys.exit(2)
        command = error.ctx.command_path if getattr(error, "ctx", None) else "kzdata"  # type: ignore[attr-defined]
        typer.echo(f"Error: {error.format_message()} — see '{command} --help'", err=True)  # type: ignore[attr-defined]
        sys.exit(2)
    sys.exit(code if isinstance(code, int) else 0)


def _is_usage_error(error: Exception) -> bool:
    """A bad option or argument, as the command-line parser raises it (click's UsageError family).

    Recognised by its class's ancestry, because typer vendors click from 0.20 on and the class
    lives in a private module there.
    """
    return any(cls.__name__ == "UsageError" for cls in type(error).__mro__) and hasattr(error, "format_message")
