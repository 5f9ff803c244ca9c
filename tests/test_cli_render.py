"""kzdata.cli.render (validate): text, JSON and GitHub annotations of one Report."""

from __future__ import annotations

from kzdata.cli.render import OutputFormat
from kzdata.cli.render import report_github as github
from kzdata.cli.render import report_text as text
from kzdata.cli.render import validation as render
from kzdata.validate.codes import Severity
from kzdata.validate.issues import make_issue
from kzdata.validate.report import FileSummary, Report, build_report


def _report() -> Report:
    issues = [
        make_issue(
            "KZ604", "falls, 100%\nreally", file="a,b:c.jsonl", line=3, record_id="clm-1", pointer="/value/amount"
        ),
        make_issue("KZ006", "no records — add some", file="empty", line=None),
    ]
    return build_report(issues, [FileSummary(path="a,b:c.jsonl", records=4)], file_order={"a,b:c.jsonl": 0})


def test_github_escapes_properties_and_data() -> None:
    out = github(_report()).splitlines()
    expected = (
        "::warning file=a%2Cb%3Ac.jsonl,line=3,title=KZ604 cumulative figure falls over time::"
        "falls, 100%25%0Areally [/value/amount]"
    )
    assert out[0] == expected
    assert out[1].startswith("::error file=empty,title=KZ006 no records found::")
    assert out[2] == "invalid: 1 error(s), 1 warning(s) in 4 record(s) from 1 file(s)"


def test_text_colour_only_when_asked() -> None:
    report = _report()
    assert "\x1b[33mwarning\x1b[0m: KZ604" in text(report, colour=True)
    assert "\x1b[" not in render(report, OutputFormat.TEXT)


def test_json_is_the_report() -> None:
    report = _report()
    assert render(report, OutputFormat.JSON) == report.to_json()


def test_severity_threshold_and_truncation_keep_counts_honest() -> None:
    issues = [make_issue("KZ604", "w", file="f", line=i) for i in range(1, 4)]
    issues.append(make_issue("KZ601", "e", file="f", line=9))
    only_errors = build_report(issues, [], severity=Severity.ERROR)
    assert [i.code for i in only_errors.issues] == ["KZ601"] and only_errors.warnings == 0
    cut = build_report(issues, [], max_issues=2)
    assert len(cut.issues) == 2 and cut.truncated and cut.warnings == 3 and cut.errors == 1 and not cut.ok


def test_text_marks_each_line_with_its_severity() -> None:
    lines = text(_report()).splitlines()
    assert lines[0] == "a,b:c.jsonl:3: warning: KZ604 falls, 100%"
    assert any(line.startswith("empty: error: KZ006 no records") for line in lines)
    assert lines[-1] == "invalid: 1 error(s), 1 warning(s) in 4 record(s) from 1 file(s)"


def test_text_colours_the_severity_word() -> None:
    out = text(_report(), colour=True)
    assert "\x1b[33mwarning\x1b[0m: KZ604" in out
    assert "\x1b[31merror\x1b[0m: KZ006" in out
