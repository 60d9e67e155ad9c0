"""The compiled pattern verdict is the interpreter's, on hand-made cases and on every pattern
of the shared conformance corpus against the resources of its suite."""

import os
from pathlib import Path
from typing import Any

import pytest
from kyverno_validate import yamlio
from kyverno_validate.engine import load_policies, patternplan
from kyverno_validate.engine.anchors import PatternError
from kyverno_validate.engine.nodes import compile_pattern
from kyverno_validate.engine.patterns import _validate_element, match_pattern


def interpreted(resource: Any, node: Any) -> tuple[str, str] | None:
    try:
        _validate_element(resource, node, "/")
    except PatternError as exc:
        return exc.kind, exc.path
    return None


def compiled(resource: Any, node: Any) -> tuple[str, str] | None:
    verdict = patternplan.check_of(node, _validate_element)(resource)
    return None if verdict is None else (verdict[0], patternplan.full_path(verdict))


def message(resource: Any, node: Any) -> str | None:
    try:
        _validate_element(resource, node, "/")
    except PatternError as exc:
        return str(exc)
    return None


POD = {
    "metadata": {"name": "web", "labels": {"app": "web", "tier": "1"}},
    "spec": {
        "hostNetwork": False,
        "containers": [
            {"name": "a", "image": "nginx:1.2", "ports": [{"containerPort": 80}]},
            {"name": "b", "image": "busybox:latest", "securityContext": {"privileged": True}},
        ],
        "volumes": [{"name": "v", "hostPath": {"path": "/var"}}],
        "replicas": "3",
        "memory": "256Mi",
        "timeout": "90s",
    },
}
RESOURCES = [
    POD,
    {"metadata": {"name": "x"}, "spec": {"containers": []}},
    {"metadata": {"name": "y", "labels": {"app": 1}}, "spec": {"containers": "nginx"}},
    {"spec": {"hostNetwork": True, "containers": [{"name": "c", "image": "n"}], "replicas": 1}},
    {"metadata": [], "spec": None},
    {"metadata": {"name": "web | x"}},
    {"spec": {"matrix": [[{"name": "a"}], [{"name": "b"}]]}},
    ["a", "b"],
    "text",
    3,
    None,
]
PATTERNS: list[Any] = [
    {"metadata": {"name": "*"}},
    {"metadata": {"name": "?*", "labels": {"app": "web"}}},
    {"metadata": {"labels": {"app*": "w*"}}},  # wildcard metadata keys: the interpreter
    {"spec": {"containers": [{"image": "!*:latest"}]}},
    {"spec": {"containers": [{"image": "nginx* | busybox*"}]}},
    {"spec": {"containers": [{"image": "*:* & !*:latest"}]}},
    {"spec": {"containers": [{"name": "a"}, {"name": "b"}]}},
    {"spec": {"containers": [{"name": "a"}, {"name": "b"}, {"name": "c"}]}},
    {"spec": {"containers": ["nginx"]}},
    {"spec": {"containers": []}},
    {"spec": {"containers": [[{"name": "a"}]]}},
    {"spec": {"(hostNetwork)": True, "containers": [{"image": "n"}]}},
    {"spec": {"(hostNetwork)": False, "containers": [{"image": "n"}]}},
    {"spec": {"containers": [{"(name)": "a", "image": "nginx*"}]}},
    {"spec": {"containers": [{"(name)": "z", "image": "nginx*"}]}},
    {"spec": {"containers": [{"(name)": "a", "image": "z*"}]}},
    {"spec": {"=(hostNetwork)": False}},
    {"spec": {"=(volumes)": [{"=(hostPath)": {"path": "!/var"}}]}},
    {"spec": {"X(hostPID)": "null", "X(hostNetwork)": "null"}},
    {"spec": {"^(containers)": [{"name": "b"}]}},
    {"spec": {"containers": [{"<(securityContext)": {"privileged": False}, "name": "?*"}]}},
    {"spec": {"<(hostNetwork)": "*", "containers": [{"name": "*"}]}},
    {"spec": {"replicas": ">1", "memory": "<=512Mi", "timeout": "<2m"}},
    {"spec": {"replicas": "1-5", "memory": "1Gi!-2Gi"}},
    {"spec": {"replicas": 3}},
    {"spec": {"replicas": 3.0, "hostNetwork": False}},
    {"spec": {"hostNetwork": None}},
    {"spec": {"hostNetwork": {}}},
    {"spec": {"replicas": (3,)}},  # not a pattern type: the interpreter fails it
    {"metadata": {"name": "web | x"}},
    {"+(metadata)": {"name": "web"}},
    # lists of lists: each element checked against its own item
    {"spec": {"matrix": [[{"(name)": "z"}]]}},
    {"spec": {"matrix": [[{"name": "z"}]]}},
    {"spec": {"matrix": [[{"(name)": "q"}], [{"(name)": "z"}]]}},
    {"spec": {"matrix": [[{"name": "a"}], [{"(name)": "q"}]]}},
    ["a"],
    [],
]


@pytest.mark.parametrize("pattern", PATTERNS, ids=[str(i) for i in range(len(PATTERNS))])
def test_compiled_verdict_is_the_interpreters(pattern: Any) -> None:
    node = compile_pattern(pattern)
    for resource in RESOURCES:
        assert compiled(resource, node) == interpreted(resource, node), resource
        error = match_pattern(resource, node)
        assert (error and (error.kind, error.path)) == interpreted(resource, node)
        assert (error and str(error)) == message(resource, node)


def test_a_leaf_that_does_not_compile_is_interpreted(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(text: str) -> None:
        raise ValueError(text)

    monkeypatch.setattr(patternplan, "parse_duration", broken)
    node = compile_pattern({"a": "1"})
    assert compiled({"a": "1"}, node) is None
    assert compiled({"a": "2"}, node) == ("fail", "/a/")


def test_checks_are_kept_per_node(monkeypatch: pytest.MonkeyPatch) -> None:
    node = compile_pattern({"a": "1"})
    assert patternplan.check_of(node, _validate_element) is patternplan.check_of(
        node, _validate_element
    )
    monkeypatch.setattr(patternplan, "_LIMIT", 0)  # a full cache starts afresh
    assert compiled({"a": "1"}, compile_pattern({"a": "1"})) is None


SHARED = Path(__file__).resolve().parents[3] / ".." / "shared"
CORPUS = Path(os.environ.get("RELKIT_SHARED_DIR", SHARED)) / "conformance" / "kyverno" / "public"


def _documents(folder: Path) -> list[tuple[str, Any]]:
    found = []
    for path in sorted(folder.rglob("*.yaml")):
        loaded = yamlio.load_file(path, path.name)
        found.extend((doc.source, doc.data) for doc in yamlio.iter_objects(loaded))
    return found


def test_corpus_patterns_against_their_suites_resources() -> None:
    suites = CORPUS / "suites"
    if not suites.is_dir():
        pytest.skip("the shared conformance corpus is not available")
    checked = 0
    for folder in sorted(p for p in suites.iterdir() if p.is_dir()):
        documents = _documents(folder)
        try:
            policies = load_policies(documents)
        except Exception:  # noqa: S112 - suites of malformed policies test other things
            continue
        nodes = [
            node
            for policy in policies
            for rule in getattr(policy, "rules", ())
            for node in (rule.pattern, *(rule.any_pattern or ()))
            if node is not None
        ]
        resources = [data for _, data in documents if isinstance(data, dict)]
        for node in nodes:
            for resource in resources:
                assert compiled(resource, node) == interpreted(resource, node), folder.name
                checked += 1
    assert checked > 2_000
