"""RFC 6902 with Kyverno's evanphx/json-patch options: parents created on add, missing paths
tolerated on remove, negative indices."""

from typing import Any

import pytest
from kyverno_validate.engine.jsonpatch import PatchError, apply_patch, decode_patch, parse_pointer

POD: dict[str, Any] = {
    "kind": "Pod",
    "metadata": {"name": "web", "labels": {"a/b": "1", "t~x": "2"}},
    "spec": {"containers": [{"name": "c1"}, {"name": "c2"}]},
}


@pytest.mark.parametrize(
    ("operations", "expected"),
    [
        pytest.param(
            [{"op": "add", "path": "/metadata/labels/new", "value": "v"}],
            {
                **POD,
                "metadata": {**POD["metadata"], "labels": {"a/b": "1", "t~x": "2", "new": "v"}},
            },
            id="add-key",
        ),
        pytest.param(
            [{"op": "add", "path": "/spec/containers/-", "value": {"name": "c3"}}],
            {**POD, "spec": {"containers": [{"name": "c1"}, {"name": "c2"}, {"name": "c3"}]}},
            id="add-dash-appends",
        ),
        pytest.param(
            [{"op": "add", "path": "/spec/containers/0", "value": {"name": "c0"}}],
            {**POD, "spec": {"containers": [{"name": "c0"}, {"name": "c1"}, {"name": "c2"}]}},
            id="add-index-inserts",
        ),
        pytest.param(
            [{"op": "add", "path": "/spec/containers/-1", "value": {"name": "c3"}}],
            {**POD, "spec": {"containers": [{"name": "c1"}, {"name": "c2"}, {"name": "c3"}]}},
            id="add-minus-one-appends",
        ),
        pytest.param(
            [{"op": "remove", "path": "/metadata/labels/a~1b"}],
            {**POD, "metadata": {"name": "web", "labels": {"t~x": "2"}}},
            id="escaped-slash",
        ),
        pytest.param(
            [{"op": "replace", "path": "/metadata/labels/t~0x", "value": "3"}],
            {**POD, "metadata": {"name": "web", "labels": {"a/b": "1", "t~x": "3"}}},
            id="escaped-tilde",
        ),
        pytest.param([{"op": "remove", "path": "/spec/missing/x"}], POD, id="remove-missing-ok"),
        pytest.param([{"op": "remove", "path": "/metadata/nope"}], POD, id="remove-missing-key"),
        pytest.param(
            [{"op": "remove", "path": "/spec/containers/-1"}],
            {**POD, "spec": {"containers": [{"name": "c1"}]}},
            id="remove-negative",
        ),
        pytest.param(
            [{"op": "copy", "from": "/metadata/name", "path": "/metadata/labels/app"}],
            {
                **POD,
                "metadata": {**POD["metadata"], "labels": {"a/b": "1", "t~x": "2", "app": "web"}},
            },
            id="copy",
        ),
        pytest.param(
            [{"op": "move", "from": "/metadata/labels", "path": "/metadata/annotations"}],
            {**POD, "metadata": {"name": "web", "annotations": {"a/b": "1", "t~x": "2"}}},
            id="move",
        ),
        pytest.param([{"op": "test", "path": "/kind", "value": "Pod"}], POD, id="test-ok"),
        pytest.param(
            [{"op": "replace", "path": "/spec/containers/1/name", "value": "x"}],
            {**POD, "spec": {"containers": [{"name": "c1"}, {"name": "x"}]}},
            id="replace-in-list",
        ),
    ],
)
def test_apply_patch(operations: list[dict[str, Any]], expected: dict[str, Any]) -> None:
    assert apply_patch(POD, operations) == expected
    assert POD["spec"]["containers"] == [{"name": "c1"}, {"name": "c2"}]  # input unchanged


def test_add_creates_missing_parents_like_ensure_path_exists() -> None:
    path = "/spec/affinity/nodeAffinity/terms/-1/matchExpressions/-1"
    patched = apply_patch({"spec": {}}, [{"op": "add", "path": path, "value": {"key": "k"}}])
    assert patched == {
        "spec": {"affinity": {"nodeAffinity": {"terms": [{"matchExpressions": [{"key": "k"}]}]}}}
    }


def test_add_env_to_a_container_without_env() -> None:
    pod = {"spec": {"containers": [{"name": "c"}]}}
    patched = apply_patch(
        pod, [{"op": "add", "path": "/spec/containers/0/env/-", "value": {"name": "X"}}]
    )
    assert patched == {"spec": {"containers": [{"name": "c", "env": [{"name": "X"}]}]}}


def test_add_pads_an_index_past_the_end() -> None:
    patched = apply_patch({"a": []}, [{"op": "add", "path": "/a/2/b", "value": 1}])
    assert patched == {"a": [None, None, {"b": 1}]}


def test_add_at_root_replaces_the_document() -> None:
    assert apply_patch(POD, [{"op": "add", "path": "", "value": {"x": 1}}]) == {"x": 1}


@pytest.mark.parametrize(
    "operation",
    [
        pytest.param(
            {"op": "replace", "path": "/metadata/missing", "value": 1}, id="replace-missing"
        ),
        pytest.param({"op": "replace", "path": "/nope/x", "value": 1}, id="replace-no-parent"),
        pytest.param({"op": "test", "path": "/kind", "value": "Service"}, id="test-fails"),
        pytest.param({"op": "add", "path": "/metadata/labels"}, id="no-value"),
        pytest.param({"op": "wat", "path": "/kind"}, id="unknown-op"),
        pytest.param({"op": "add", "path": "kind", "value": 1}, id="relative-pointer"),
        pytest.param({"op": "add", "path": 3, "value": 1}, id="pointer-not-text"),
        pytest.param({"op": "add", "path": "/spec/containers/x", "value": 1}, id="bad-index"),
        pytest.param({"op": "add", "path": "/spec/containers/9", "value": 1}, id="index-too-big"),
        pytest.param(
            {"op": "add", "path": "/spec/containers/-9", "value": 1}, id="index-too-small"
        ),
        pytest.param({"op": "add", "path": "/kind/x", "value": 1}, id="add-under-scalar"),
        pytest.param({"op": "replace", "path": "/kind/x", "value": 1}, id="replace-under-scalar"),
        pytest.param({"op": "move", "from": "/nope", "path": "/x"}, id="move-missing"),
        pytest.param({"op": "copy", "from": "/kind/x", "path": "/x"}, id="copy-under-scalar"),
    ],
)
def test_apply_patch_errors(operation: dict[str, Any]) -> None:
    with pytest.raises(PatchError):
        apply_patch(POD, [operation])


def test_remove_errors_are_tolerated_even_under_scalars() -> None:
    assert apply_patch(POD, [{"op": "remove", "path": "/kind/x"}]) == POD


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "- op: add\n  path: /a\n  value: 1\n",
            [{"op": "add", "path": "/a", "value": 1}],
            id="yaml",
        ),
        pytest.param(
            '[{"op": "remove", "path": "/a"}]', [{"op": "remove", "path": "/a"}], id="json"
        ),
        pytest.param("", [], id="empty"),
        pytest.param(
            [{"op": "remove", "path": "/a"}], [{"op": "remove", "path": "/a"}], id="parsed"
        ),
    ],
)
def test_decode_patch(text: Any, expected: list[dict[str, Any]]) -> None:
    assert decode_patch(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("op: add", id="not-a-list"),
        pytest.param("- [1]", id="not-operations"),
        pytest.param("- {op: add\n", id="bad-yaml"),
    ],
)
def test_decode_patch_errors(text: str) -> None:
    with pytest.raises(PatchError, match="failed to decode patches"):
        decode_patch(text)


def test_parse_pointer() -> None:
    assert parse_pointer("") == []
    assert parse_pointer("/a~1b/c~0d/") == ["a/b", "c~d", ""]


@pytest.mark.parametrize(
    ("document", "operation"),
    [
        pytest.param(
            POD, {"op": "replace", "path": "/spec/containers/9/name", "value": 1}, id="list-index"
        ),
        pytest.param(
            {"a": [None]}, {"op": "replace", "path": "/a/0/b", "value": 1}, id="null-element"
        ),
        pytest.param(POD, {"op": "replace", "path": "/kind/x/y", "value": 1}, id="through-scalar"),
    ],
)
def test_missing_parents_are_errors_without_create(
    document: Any, operation: dict[str, Any]
) -> None:
    with pytest.raises(PatchError, match=r"missing path|out of bounds"):
        apply_patch(document, [operation])


def test_list_paths_for_copy_and_replace() -> None:
    copied = apply_patch(
        POD, [{"op": "copy", "from": "/spec/containers/0/name", "path": "/metadata/c"}]
    )
    assert copied["metadata"]["c"] == "c1"
    replaced = apply_patch(
        POD, [{"op": "replace", "path": "/spec/containers/1", "value": {"name": "z"}}]
    )
    assert replaced["spec"]["containers"] == [{"name": "c1"}, {"name": "z"}]


def test_replace_at_the_root() -> None:
    assert apply_patch(POD, [{"op": "replace", "path": "", "value": {"a": 1}}]) == {"a": 1}
