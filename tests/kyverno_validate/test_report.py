from __future__ import annotations

import json

import pytest
from kyverno_validate import report
from kyverno_validate.pipeline import Finding, Report


def make_report(*findings: Finding, notices: tuple[str, ...] = ()) -> Report:
    return Report(findings, 2, 3, 1, "1.37", "enforce", notices)


SYNTAX = Finding("yaml", "fail", "k8s/bad.yaml", 2, "YAML syntax error: oops", column=5)
SCHEMA = Finding("schema", "fail", "k8s/svc.yaml", 6, "spec.tpye: unknown field", "Service/s")
POLICY_FAIL = Finding(
    "policy",
    "fail",
    "k8s/app.yaml",
    13,
    "no | latest",
    "Deployment/a/web",
    "p",
    "r",
    action="Enforce",
)
POLICY_WARN = Finding(
    "policy", "warn", "k8s/app.yaml", 13, "audit only", "Deployment/a/web", "q", "r", action="Audit"
)
POLICY_PASS = Finding("policy", "pass", "k8s/ok.yaml", 1, "", "Pod/ok", "p", "r", action="Enforce")
SKIP = Finding("schema", "skip", "k8s/cr.yaml", 1, "no schema for Widget", "Widget/w")


def test_table_lists_problems_first_then_passes_and_the_counts() -> None:
    text = report.render_table(
        make_report(POLICY_PASS, SYNTAX, POLICY_WARN, SCHEMA, POLICY_FAIL, notices=("n1",))
    )
    lines = text.splitlines()
    assert lines[0].split() == ["POLICY/CHECK", "RULE", "RESOURCE", "RESULT", "LOCATION", "MESSAGE"]
    offset = lines[0].index("RESULT")  # aligned: every row's result starts under RESULT
    assert [line[offset : offset + 4] for line in lines[1:6]] == [
        "fail",
        "fail",
        "fail",
        "warn",
        "pass",
    ]
    assert lines[1].startswith("YAML syntax")
    assert "k8s/bad.yaml:2:5" in lines[1]
    assert lines[2].startswith("Kubernetes schema")
    assert "k8s/svc.yaml:6" in lines[2]
    assert lines[3].endswith("no | latest")
    assert lines[4].startswith("q ")
    assert lines[5].startswith("p ")
    assert lines[-2] == (
        "2 files, 3 resources, 1 policies (Kubernetes 1.37, fail-on enforce): "
        "1 pass, 3 fail, 1 warn, 0 skip, 0 error"
    )
    assert lines[-1] == "notice: n1"


def test_table_folds_many_passes_and_problems() -> None:
    text = report.render_table(
        make_report(*[POLICY_PASS] * 5, *[SCHEMA] * 4), pass_rows=2, problem_rows=3
    )
    assert text.count("Pod/ok") == 2
    assert text.count("Service/s") == 3
    assert "… 1 more problem rows (see --output json)" in text
    assert "… 3 more pass rows (see --output json)" in text


def test_empty_report_table() -> None:
    assert report.render_table(make_report()).startswith("(nothing to report)")


def test_summary_markdown_escapes_cells_and_folds_passes() -> None:
    text = report.render_summary(make_report(POLICY_FAIL, POLICY_PASS, notices=("skipped <x>",)))
    assert text.startswith("### kyverno-validate: ❌ failed\n")
    assert "| 1 | 1 | 0 | 0 | 0 |" in text
    assert "no \\| latest" in text  # a | in a message does not split the cell
    assert "<details><summary>Passed checks</summary>" in text
    assert "> skipped &lt;x>" in text


def test_summary_limits_rows() -> None:
    text = report.render_summary(make_report(*[POLICY_FAIL] * 4, *[POLICY_PASS] * 3), limit=2)
    assert "… 2 more rows: see the JSON report." in text
    assert "… 1 more pass rows." in text
    assert report.render_summary(make_report()).startswith("### kyverno-validate: ✅ passed")


def test_json_report_and_outputs() -> None:
    rep = make_report(SYNTAX, POLICY_PASS, SKIP)
    data = json.loads(report.render_json(rep))
    assert data["summary"] == {"pass": 1, "fail": 1, "warn": 0, "skip": 1, "error": 0}
    assert data["results"][0] == {
        "stage": "yaml",
        "policy": "",
        "rule": "",
        "resource": "",
        "result": "fail",
        "action": "",
        "file": "k8s/bad.yaml",
        "line": 2,
        "column": 5,
        "message": "YAML syntax error: oops",
    }
    outputs = report.outputs(rep)
    assert {k: v for k, v in outputs.items() if k != "report"} == {
        "passed": "1",
        "failed": "1",
        "warned": "0",
        "skipped": "1",
        "errors": "0",
    }
    compact = json.loads(outputs["report"])
    assert [row["result"] for row in compact["results"]] == ["fail", "skip"]  # no pass rows
    assert compact["truncated"] is False


def test_report_output_is_cut_to_its_budget() -> None:
    rep = make_report(*[POLICY_FAIL] * 400)
    text = report.report_output(rep, limit=4000)
    data = json.loads(text)
    assert len(text.encode()) <= 4000
    assert data["truncated"] is True
    assert 0 < len(data["results"]) < 400
    assert data["summary"]["fail"] == 400


@pytest.mark.parametrize(
    ("finding", "level", "title", "message"),
    [
        pytest.param(SYNTAX, "error", "kyverno-validate: YAML syntax", "YAML syntax error: oops"),
        pytest.param(
            POLICY_FAIL, "error", "kyverno-validate: p/r", "Deployment/a/web: no | latest"
        ),
        pytest.param(
            POLICY_WARN, "warning", "kyverno-validate: q/r", "Deployment/a/web: audit only"
        ),
    ],
)
def test_one_annotation_per_problem(finding: Finding, level: str, title: str, message: str) -> None:
    (note,) = report.annotations_for(make_report(finding, POLICY_PASS, SKIP))
    assert (note.level, note.title, note.message) == (level, title, message)
    assert (note.file, note.line, note.column) == (finding.file, finding.line, finding.column)


def test_skip_reasons_become_notices() -> None:
    notes = report.annotations_for(make_report(SKIP, notices=("no schema for Widget",)))
    assert [(n.level, n.message) for n in notes] == [("notice", "no schema for Widget")]


def test_annotations_are_capped_per_level_with_one_notice() -> None:
    notes = report.annotations_for(make_report(*[POLICY_FAIL] * 5, *[POLICY_WARN] * 3), limit=2)
    assert [n.level for n in notes] == ["error", "error", "warning", "warning", "notice"]
    assert notes[-1].message.startswith("3 more errors and 1 more warnings are not annotated")


def test_report_output_trims_further_when_later_rows_are_larger() -> None:
    small = [POLICY_FAIL] * 60
    large = [Finding("policy", "fail", "f", 1, "x" * 500, "Pod/p", "p", "r")] * 60
    text = report.report_output(make_report(*small, *large), limit=20000)
    data = json.loads(text)
    assert len(text.encode()) <= 20000
    assert 50 < len(data["results"]) < 100
    assert data["truncated"] is True


def test_report_output_of_a_clean_run() -> None:
    data = json.loads(report.report_output(make_report()))
    assert data["results"] == []
    assert data["truncated"] is False


def test_location_without_a_line_is_the_file() -> None:
    assert report.location(Finding("yaml", "fail", "bin.yaml", None, "binary file")) == "bin.yaml"
