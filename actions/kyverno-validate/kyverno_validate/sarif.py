"""SARIF 2.1.0 for GitHub code scanning: one result per failure, warning or error row.

Pure: a :class:`~kyverno_validate.pipeline.Report` in, a JSON-ready dict out. Rules are the
checks (``yaml-syntax``, ``kubernetes-schema`` and each ``policy/rule``); locations are the
manifest's path relative to the repository root (``%SRCROOT%``) with the line when known.
"""

from __future__ import annotations

import json
from typing import Any

from relkit import __version__

from kyverno_validate.pipeline import Finding, Report

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://kyverno.io/policies/"
_STAGE_RULES = {
    "yaml": (
        "yaml-syntax",
        "YAML syntax",
        "The file is not valid YAML (syntax, duplicate keys, encoding).",
    ),
    "schema": (
        "kubernetes-schema",
        "Kubernetes schema",
        "The object does not match the Kubernetes (or CRD) schema.",
    ),
}
_LEVELS = {"fail": "error", "error": "error", "warn": "warning"}


def rule_id(finding: Finding) -> str:
    if finding.stage == "policy":
        return f"{finding.policy}/{finding.rule}"
    return _STAGE_RULES[finding.stage][0]


def _rule(finding: Finding) -> dict[str, Any]:
    if finding.stage == "policy":
        name = f"{finding.policy}/{finding.rule}"
        text = f"Kyverno policy {finding.policy}, rule {finding.rule}"
        level = "warning" if finding.action == "Audit" else "error"
    else:
        _, name, text = _STAGE_RULES[finding.stage]
        level = "error"
    return {
        "id": rule_id(finding),
        "name": name,
        "shortDescription": {"text": text},
        "defaultConfiguration": {"level": level},
    }


def _location(finding: Finding) -> dict[str, Any]:
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": finding.file, "uriBaseId": "%SRCROOT%"},
    }
    if finding.line is not None and finding.line >= 1:
        region: dict[str, int] = {"startLine": finding.line}
        if finding.column is not None and finding.column >= 1:
            region["startColumn"] = finding.column
        physical["region"] = region
    return {"physicalLocation": physical}


def build_sarif(report: Report) -> dict[str, Any]:
    rules: dict[str, dict[str, Any]] = {}
    indexes: dict[str, int] = {}
    results: list[dict[str, Any]] = []
    for finding in report.findings:
        level = _LEVELS.get(finding.result)
        if level is None:
            continue
        identifier = rule_id(finding)
        if identifier not in rules:
            rules[identifier] = _rule(finding)
            indexes[identifier] = len(indexes)
        text = finding.message or finding.check
        if finding.resource:
            text = f"{finding.resource}: {text}"
        results.append(
            {
                "ruleId": identifier,
                "ruleIndex": indexes[identifier],
                "level": level,
                "message": {"text": text},
                "locations": [_location(finding)],
            }
        )
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "relkit kyverno-validate",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": list(rules.values()),
                    }
                },
                "results": results,
            }
        ],
    }


def render_sarif(report: Report, *, indent: int | None = None) -> str:
    """Compact by default: SARIF files of big repositories get large."""
    return json.dumps(build_sarif(report), indent=indent, ensure_ascii=False)
