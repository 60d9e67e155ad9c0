"""Linting one message, and the public conformance corpus as a regression check."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from commit_lint.config import default_config, resolve_config
from commit_lint.lint import lint_message


def shared_dir() -> Path | None:
    here = Path(__file__).resolve()
    for candidate in (
        here.parents[3] / "shared",
        Path(os.environ.get("RELKIT_SHARED_DIR", "")),
        Path("/work/shared"),
    ):
        if (candidate / "conformance" / "commits" / "lint-public.jsonl").is_file():
            return candidate
    return None


@pytest.mark.parametrize(
    ("message", "errors", "warnings"),
    [
        pytest.param("feat: add x", [], [], id="valid"),
        pytest.param("", [], [], id="empty"),
        pytest.param("gpg: only a signature", [], [], id="only-gpg"),
        pytest.param("Merge branch 'x'", [], [], id="ignored"),
        pytest.param("feat: Add X.", ["subject-case", "subject-full-stop"], [], id="errors"),
        pytest.param("fix: y\nbody", [], ["body-leading-blank"], id="warning"),
        pytest.param(" feat: x", ["header-trim", "subject-empty", "type-empty"], [], id="trim"),
    ],
)
def test_lint_message(message: str, errors: list[str], warnings: list[str]):
    result = lint_message(message, default_config())
    assert sorted(v.rule for v in result.errors) == errors
    assert sorted(v.rule for v in result.warnings) == warnings
    assert result.valid is (not errors)


def test_ignored_result_has_header_from_raw():
    result = lint_message("Merge branch 'x'\n\nbody", default_config())
    assert result.ignored
    assert result.header == "Merge branch 'x'"


def test_detail_rules_see_references_and_trailers():
    config = resolve_config(
        {
            "rules": {
                "references-empty": [2, "never"],
                "trailer-exists": [1, "always", "Signed-off-by:"],
            }
        },
        "cfg",
    )
    assert config.needs_details
    result = lint_message("feat: x (#1)\n\nSigned-off-by: A <a@b>", config)
    assert result.valid
    assert not result.warnings


def test_public_corpus_agrees_with_commitlint():
    shared = shared_dir()
    if shared is None:
        pytest.skip("shared/conformance is not available")
    rows = [
        json.loads(line)
        for line in (shared / "conformance/commits/lint-public.jsonl").read_text().splitlines()
    ]
    config = default_config()
    agree = exact = 0
    for row in rows:
        result = lint_message(row["message"], config)
        anchor = row["commitlint"]
        agree += result.valid == anchor["valid"]
        exact += sorted(v.rule for v in result.errors) == sorted(anchor["errors"])
    assert agree == len(rows)  # held at what the code scores: every verdict agrees
    assert exact == len(rows)  # and the same failed rules on each
