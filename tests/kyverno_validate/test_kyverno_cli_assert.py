"""``validate.assert`` rules through ``relkit kyverno test`` and the engine: suites built from
Kyverno's own policies (``suites/assert-*``), with the messages ``kyverno apply`` prints."""

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from kyverno_validate.engine import EvaluationContext, evaluate, load_policies
from kyverno_validate.kyverno_cli import main

SUITES = Path(__file__).parent / "suites"


def _documents(path: Path) -> list[Any]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


@pytest.mark.parametrize("suite", ["assert-disallow-default-sa", "assert-check-old-object"])
def test_assert_suites_pass(suite: str, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    assert main(["test", str(SUITES / suite), "--json-out", str(out)], {}) == 0
    assert {row["result"] for row in json.loads(out.read_text())} >= {"pass", "fail"}


def _messages(suite: str, operation: str = "CREATE") -> dict[tuple[str, str], tuple[str, str]]:
    folder = SUITES / suite
    policies = load_policies(("policy.yaml", d) for d in _documents(folder / "policy.yaml"))
    found: dict[tuple[str, str], tuple[str, str]] = {}
    for resource in _documents(folder / "resources.yaml"):
        for result in evaluate(policies, resource, EvaluationContext(operation=operation)):
            found[result.rule, result.name] = (result.result, result.message)
    return found


def test_assert_messages_are_kyverno_field_errors() -> None:
    found = _messages("assert-disallow-default-sa")
    assert found["disallow-default-sa", "pod-default-sa"] == (
        "fail",
        "object.spec.(serviceAccountName == 'default'): Invalid value: true: Expected value: false",
    )
    assert found["disallow-default-sa", "pod-own-sa"] == (
        "pass",
        "Validation rule 'disallow-default-sa' passed.",
    )
    assert found["autogen-cronjob-disallow-default-sa", "cron-default-sa"][1] == (
        "object.spec.jobTemplate.spec.template.spec.(serviceAccountName == 'default'): "
        "Invalid value: true: Expected value: false"
    )


def test_assert_bindings_missing_fields_and_old_objects() -> None:
    found = _messages("assert-check-old-object")
    assert found["require-labels", "oversized"] == (
        "fail",
        "object.metadata.labels.size.(@ == $small || @ == $medium || @ == $large): "
        "Invalid value: false: Expected value: true",
    )
    assert found["require-labels", "unlabelled"] == (
        "fail",
        "object.metadata.labels: Required value: field not found in the input object",
    )
    assert ("check-old-object", "sized") not in found  # the rule matches UPDATE only
    updated = _messages("assert-check-old-object", "UPDATE")
    assert updated["check-old-object", "sized"][0] == "pass"
    assert updated["require-labels", "oversized"] == (
        "skip",
        "skipping the rule evaluation as pre-existing violations are allowed",
    )
