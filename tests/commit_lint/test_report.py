"""Console text, summary Markdown and the JSON report."""

from __future__ import annotations

from commit_lint.config import default_config
from commit_lint.lint import lint_message
from commit_lint.report import Checked, format_text, report_data, summary_markdown


def checked(message: str, label: str = "abc1234") -> Checked:
    return Checked(
        label, label * 5 if label != "PR title" else None, lint_message(message, default_config())
    )


def test_text_like_commitlint():
    text = format_text(checked("Fix: Bad."))
    assert text.splitlines()[0] == "⧗   input: Fix: Bad."
    assert "✖   type must be lower-case [type-case]" in text
    assert text.splitlines()[-1] == "✖   abc1234: found 4 problems, 0 warnings"
    assert format_text(checked("fix: ok\nbody")).splitlines()[-1].startswith("⚠")
    assert format_text(checked("Merge branch 'x'")).endswith("(ignored)")


def test_summary_escapes_untrusted_text():
    items = [checked("feat: ok"), checked("Bad | <script>alert(1)</script> [x](y) `z`")]
    markdown = summary_markdown(items, "https://help", "pull request #1")
    assert "❌" in markdown
    bad_row = markdown.splitlines()[6]
    assert bad_row.startswith("| `abc1234` | Bad \\| &lt;script&gt;")
    assert "\\[x\\](y) 'z'" in bad_row
    assert "[How to write a good commit message](https://help)" in markdown
    long = summary_markdown([checked("feat: " + "x" * 200)], "h", "c")
    assert "…" in long
    assert "✅" in summary_markdown([checked("feat: ok")], "h", "c")
    ignored = summary_markdown([checked("Merge branch 'x'")], "h", "c")
    assert "| ignored |" in ignored


def test_report_data():
    data = report_data([checked("nope"), checked("feat: y", "PR title")], "h", "src")
    assert data["valid"] is False
    assert data["errorCount"] == 2
    assert data["results"][0]["errors"][0] == {
        "rule": "subject-empty",
        "level": 2,
        "message": "subject may not be empty",
    }
    assert data["results"][1]["sha"] is None
