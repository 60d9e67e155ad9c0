"""Compiled JMESPath gives the interpreter's answer (or error), on hand-made expressions and on
every variable of the shared conformance corpus's policies against its suites' resources."""

import os
import re
from pathlib import Path
from typing import Any

import pytest
from kyverno_validate import yamlio
from kyverno_validate.engine.jmespath_functions import _interpreter, compile_expression, search
from kyverno_validate.engine.jmespath_plan import compiled


def answer(run: Any) -> tuple[str, Any]:
    try:
        return "value", run()
    except Exception as exc:
        return type(exc).__name__, str(exc)


def both(expression: str, data: Any) -> tuple[tuple[str, Any], tuple[str, Any]]:
    interpreted = answer(lambda: _interpreter(None).visit(compile_expression(expression), data))
    return answer(lambda: compiled(expression, None)(data)), interpreted


DATA: list[Any] = [
    {
        "request": {
            "operation": "CREATE",
            "object": {
                "metadata": {"name": "web", "labels": {"app": "web"}, "annotations": {}},
                "spec": {
                    "containers": [
                        {"name": "a", "image": "nginx:1", "ports": [{"containerPort": 80}]},
                        {"name": "b", "image": "busybox", "ports": []},
                        {"name": "c", "args": [["x"], "y"]},
                    ],
                    "replicas": 0,
                    "flag": False,
                },
            },
        }
    },
    {"request": {"object": None}},
    {"request": "text"},
    [1, [2, 3], None],
    None,
]
EXPRESSIONS = [
    "request.object.metadata.name",
    "request.object.metadata.missing.deeper",
    "request.object.spec.containers[].name",
    "request.object.spec.containers[*].ports[].containerPort",
    "request.object.spec.containers[?name == 'a'].image",
    "request.object.spec.containers[?ports].name",
    "request.object.spec.containers[?name == 'c'].image",
    "request.object.spec.containers[0].image",
    "request.object.spec.containers[-1].args[]",
    "request.object.spec.containers[1:].name",
    "request.object.spec.[replicas, flag, missing]",
    "request.object.spec.{r: replicas}",
    "request.object.spec.replicas || 'none'",
    "request.object.spec.flag || request.object.metadata.annotations || `[]`",
    "request.object.spec.containers[] | length(@)",
    "request.object.spec.containers[].name | sort(@) | join(',', @)",
    "sort_by(request.object.spec.containers, &name)[].name",
    "request.object.metadata.labels.* | [0]",
    "request.object.spec.replicas && !request.object.spec.flag",
    "length(request.object.metadata.name)",
    "length(request.object.spec.replicas)",
    "to_string(@)",
    "[0][]",
    "@[?@ != `null`]",
    "[]",
    "[*]",
    "request.operation == 'CREATE'",
]


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_compiled_answers_as_the_interpreter(expression: str) -> None:
    for data in DATA:
        mine, theirs = both(expression, data)
        assert mine == theirs, (expression, data)


def test_search_runs_the_compiled_expression() -> None:
    assert search("request.object.metadata.name", DATA[0]) == "web"
    assert search("a.b", {"a": None}) is None


SHARED = Path(__file__).resolve().parents[3] / ".." / "shared"
CORPUS = Path(os.environ.get("RELKIT_SHARED_DIR", SHARED)) / "conformance" / "kyverno" / "public"
_VARIABLE = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")


def test_corpus_variables_against_their_suites_resources() -> None:
    suites = CORPUS / "suites"
    if not suites.is_dir():
        pytest.skip("the shared conformance corpus is not available")
    checked = 0
    for folder in sorted(p for p in suites.iterdir() if p.is_dir()):
        expressions: set[str] = set()
        resources: list[Any] = []
        for path in sorted(folder.rglob("*.yaml")):
            text = path.read_text(encoding="utf-8", errors="replace")
            expressions.update(_VARIABLE.findall(text))
            loaded = yamlio.load_file(path, path.name)
            resources.extend(
                d.data for d in yamlio.iter_objects(loaded) if isinstance(d.data, dict)
            )
        for expression in sorted(expressions):
            try:
                compile_expression(expression)
            except Exception:  # noqa: S112 - not JMESPath (a template, an escaped brace)
                continue
            for resource in resources[:20]:
                data = {"request": {"object": resource, "operation": "CREATE"}}
                mine, theirs = both(expression, data)
                assert mine == theirs, (folder.name, expression)
                checked += 1
    assert checked > 1_000
