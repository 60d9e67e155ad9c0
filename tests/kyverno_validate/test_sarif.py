from __future__ import annotations

import json
from typing import Any

import jsonschema
from kyverno_validate import sarif
from kyverno_validate.pipeline import Finding, Report

# The parts of the SARIF 2.1.0 schema (docs.oasis-open.org/sarif/sarif/v2.1.0) that GitHub code
# scanning requires, with additionalProperties closed where we emit: a structural check in place
# of vendoring the 100 KB schema.
SARIF_SUBSET: dict[str, Any] = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "$schema": {"type": "string", "format": "uri"},
        "version": {"const": "2.1.0"},
        "runs": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["tool", "results"],
                "additionalProperties": False,
                "properties": {
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {
                                    "name": {"type": "string"},
                                    "version": {"type": "string"},
                                    "informationUri": {"type": "string"},
                                    "rules": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": ["id"],
                                            "properties": {
                                                "id": {"type": "string"},
                                                "shortDescription": {
                                                    "type": "object",
                                                    "required": ["text"],
                                                },
                                                "defaultConfiguration": {
                                                    "properties": {
                                                        "level": {
                                                            "enum": [
                                                                "none",
                                                                "note",
                                                                "warning",
                                                                "error",
                                                            ]
                                                        }
                                                    }
                                                },
                                            },
                                        },
                                    },
                                },
                            }
                        },
                    },
                    "results": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["message", "ruleId", "locations"],
                            "additionalProperties": False,
                            "properties": {
                                "ruleId": {"type": "string"},
                                "ruleIndex": {"type": "integer", "minimum": 0},
                                "level": {"enum": ["none", "note", "warning", "error"]},
                                "message": {
                                    "type": "object",
                                    "required": ["text"],
                                    "properties": {"text": {"type": "string", "minLength": 1}},
                                },
                                "locations": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["physicalLocation"],
                                        "properties": {
                                            "physicalLocation": {
                                                "type": "object",
                                                "required": ["artifactLocation"],
                                                "properties": {
                                                    "artifactLocation": {
                                                        "type": "object",
                                                        "required": ["uri"],
                                                    },
                                                    "region": {
                                                        "type": "object",
                                                        "required": ["startLine"],
                                                        "properties": {
                                                            "startLine": {
                                                                "type": "integer",
                                                                "minimum": 1,
                                                            },
                                                            "startColumn": {
                                                                "type": "integer",
                                                                "minimum": 1,
                                                            },
                                                        },
                                                    },
                                                },
                                            }
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    },
}

FINDINGS = (
    Finding("yaml", "fail", "k8s/bad.yaml", 2, "YAML syntax error: x", column=3),
    Finding("yaml", "fail", "k8s/bin.yaml", None, "binary file"),
    Finding("schema", "fail", "k8s/svc.yaml", 6, "spec.x: unknown field", "Service/s"),
    Finding("policy", "fail", "k8s/a.yaml", 9, "bad", "Pod/a", "p", "r", action="Enforce"),
    Finding("policy", "warn", "k8s/a.yaml", 9, "", "Pod/a", "q", "r", action="Audit"),
    Finding("policy", "error", "k8s/a.yaml", 1, "broken", "Pod/a", "p", "r", action="Enforce"),
    Finding("policy", "pass", "k8s/a.yaml", 1, "", "Pod/a", "p", "ok", action="Enforce"),
    Finding("schema", "skip", "k8s/cr.yaml", 1, "skipped", "Widget/w"),
)


def build() -> dict[str, Any]:
    return sarif.build_sarif(Report(FINDINGS, 5, 5, 2, "1.37", "enforce"))


def test_sarif_matches_the_required_structure() -> None:
    document = build()
    jsonschema.validate(document, SARIF_SUBSET)
    json.dumps(document)  # serialisable


def test_one_result_per_failure_warning_and_error_with_locations() -> None:
    run = build()["runs"][0]
    results = run["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("yaml-syntax", "error"),
        ("yaml-syntax", "error"),
        ("kubernetes-schema", "error"),
        ("p/r", "error"),
        ("q/r", "warning"),
        ("p/r", "error"),
    ]
    assert results[0]["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "k8s/bad.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 2, "startColumn": 3},
    }
    assert "region" not in results[1]["locations"][0]["physicalLocation"]
    assert results[2]["message"]["text"] == "Service/s: spec.x: unknown field"
    assert results[4]["message"]["text"] == "Pod/a: q/r"  # an empty message names the check
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["yaml-syntax", "kubernetes-schema", "p/r", "q/r"]
    assert [r["ruleIndex"] for r in results] == [0, 0, 1, 2, 3, 2]
    assert rules[3]["defaultConfiguration"] == {"level": "warning"}


def test_clean_report_has_a_run_without_results() -> None:
    document = sarif.build_sarif(Report((), 1, 1, 0, "1.37", "enforce"))
    jsonschema.validate(document, SARIF_SUBSET)
    assert document["runs"][0]["results"] == []
    assert json.loads(sarif.render_sarif(Report((), 1, 1, 0, "1.37", "enforce"))) == document
