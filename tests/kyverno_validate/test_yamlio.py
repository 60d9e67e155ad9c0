from __future__ import annotations

from pathlib import Path

import pytest
from kyverno_validate import yamlio

POD = """\
# leading comment
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app.kubernetes.io/name: web
spec:
  containers:
    - name: app
      image: nginx:latest
    - name: side
      image: busybox
"""


def test_multi_document_file_records_start_lines_and_skips_empty_documents() -> None:
    text = "---\na: 1\n---\n---\n# only a comment\n---\nb: 2\n...\n---\nc: [1, 2]\n"
    loaded = yamlio.parse_text(text, "multi.yaml")
    assert loaded.ok
    assert [(d.index, d.line, d.data) for d in loaded.documents] == [
        (1, 2, {"a": 1}),
        (4, 7, {"b": 2}),
        (5, 10, {"c": [1, 2]}),
    ]
    assert loaded.documents[1].source == "multi.yaml#4"


@pytest.mark.parametrize(
    ("text", "line", "column", "fragment"),
    [
        pytest.param("a: [1, 2\nb: 3\n", 2, 2, "flow sequence", id="unclosed-flow"),
        pytest.param("a: b: c\n", 1, 5, "mapping values are not allowed", id="nested-colon"),
        pytest.param("a:\n  - x\n - y\n", 3, 2, "", id="bad-indent"),
        pytest.param("a: *nope\n", 1, 4, "undefined alias", id="undefined-alias"),
        pytest.param('a: "unterminated\n', 2, 1, "quoted scalar", id="unterminated-quote"),
    ],
)
def test_syntax_errors_carry_line_and_column(
    text: str, line: int, column: int, fragment: str
) -> None:
    loaded = yamlio.parse_text(text, "bad.yaml")
    assert not loaded.ok
    (problem,) = loaded.problems
    assert (problem.file, problem.line, problem.column) == ("bad.yaml", line, column)
    assert problem.message.startswith("YAML syntax error:")
    assert fragment in problem.message
    assert problem.render().startswith(f"bad.yaml:{line}:{column}: YAML syntax error")


def test_documents_before_a_syntax_error_are_kept_but_the_file_is_not_ok() -> None:
    loaded = yamlio.parse_text("a: 1\n---\nb: [\n", "f.yaml")
    assert [d.data for d in loaded.documents] == [{"a": 1}]
    assert not loaded.ok


def test_every_duplicate_key_is_reported_with_its_position() -> None:
    text = "metadata:\n  name: a\n  name: b\nspec: {}\nspec: {x: 1, x: 2}\n"
    loaded = yamlio.parse_text(text, "dup.yaml")
    assert [(p.line, p.column, p.message) for p in loaded.problems] == [
        (3, 3, "duplicate key 'name' (Kubernetes rejects duplicate keys)"),
        (5, 1, "duplicate key 'spec' (Kubernetes rejects duplicate keys)"),
        (5, 14, "duplicate key 'x' (Kubernetes rejects duplicate keys)"),
    ]


@pytest.mark.parametrize(
    ("data", "message", "line", "column"),
    [
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00", "binary file", None, None, id="png"),
        pytest.param(b"a: 1\nb: caf\xe9\n", "not UTF-8 text (byte 0xe9)", 2, 7, id="latin-1"),
        pytest.param(b"\xff\xfe\x00\xd8", "not valid UTF-16", None, None, id="broken-utf16"),
    ],
)
def test_binary_and_non_utf8_files_are_problems_not_crashes(
    data: bytes, message: str, line: int | None, column: int | None
) -> None:
    loaded = yamlio.parse_bytes(data, "x.yaml")
    (problem,) = loaded.problems
    assert message in problem.message
    assert (problem.line, problem.column) == (line, column)
    assert loaded.documents == ()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"\xef\xbb\xbfa: 1\n", id="utf8-bom"),
        pytest.param("a: 1\n".encode("utf-16"), id="utf16-bom"),
    ],
)
def test_bom_marked_text_is_decoded(data: bytes) -> None:
    assert [d.data for d in yamlio.parse_bytes(data, "x").documents] == [{"a": 1}]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("v: yes", {"v": True}, id="yaml11-yes"),
        pytest.param("---\nv: off", {"v": False}, id="yaml11-after-marker"),
        pytest.param("v: 0644", {"v": 420}, id="octal"),
        pytest.param("v: 2024-01-02", {"v": "2024-01-02"}, id="timestamp-stays-text"),
        pytest.param("v: !custom 3", {"v": "3"}, id="unknown-tag-text"),
        pytest.param("on: 1\nn: 2\n3: x", {"on": 1, "n": 2, "3": "x"}, id="keys-are-text"),
        pytest.param("b: &a {x: 1}\nc: {<<: *a, y: 2}", {"b": {"x": 1}, "c": {"x": 1, "y": 2}}),
        pytest.param("v: ~\nw: 1.5", {"v": None, "w": 1.5}, id="null-float"),
        pytest.param("v: 1:30\nw: 1:2:3.5", {"v": "1:30", "w": "1:2:3.5"}, id="no-base-60"),
        pytest.param("v: 1e3\nw: 0x1F\nx: 1_000", {"v": 1000.0, "w": 31, "x": 1000}, id="numbers"),
    ],
)
def test_values_are_read_like_kubernetes(text: str, expected: object) -> None:
    (doc,) = yamlio.parse_text(text, "x").documents
    assert doc.data == expected


def test_recursive_alias_is_a_problem() -> None:
    loaded = yamlio.parse_text("a: &x [*x]\n", "r.yaml")
    assert loaded.problems[0].message == "YAML syntax error: recursive alias"


@pytest.mark.parametrize(
    ("path", "line"),
    [
        pytest.param("spec.containers[0].image", 11, id="dotted"),
        pytest.param("/spec/containers/1/image/", 13, id="kyverno-slashes"),
        pytest.param("metadata.labels.app.kubernetes.io/name", 7, id="key-with-dots"),
        pytest.param("spec.containers[7].image", 9, id="index-out-of-range"),
        pytest.param("spec.nothing", 8, id="missing-key"),
        pytest.param("spec.containers[0].image.deeper", 11, id="past-a-scalar"),
        pytest.param("spec.containers.x", 9, id="sequence-without-index"),
        pytest.param("", 2, id="empty"),
        pytest.param(None, 2, id="none"),
    ],
)
def test_line_of_field_paths(path: str | None, line: int) -> None:
    (doc,) = yamlio.parse_text(POD, "pod.yaml").documents
    assert doc.line == 2
    assert doc.line_of(path) == line


def test_iter_objects_skips_non_mapping_documents() -> None:
    loaded = yamlio.parse_text("- 1\n---\nkind: Pod\n---\nplain\n", "x")
    assert [d.data for d in yamlio.iter_objects(loaded)] == [{"kind": "Pod"}]


def test_load_file_reads_and_labels(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("kind: Pod\n", encoding="utf-8")
    loaded = yamlio.load_file(path, "k8s/a.yaml")
    assert loaded.path == "k8s/a.yaml"
    assert loaded.documents[0].source == "k8s/a.yaml#1"


def test_load_file_reports_an_unreadable_path(tmp_path: Path) -> None:
    loaded = yamlio.load_file(tmp_path / "missing.yaml")
    assert "cannot read file" in loaded.problems[0].message


def test_complex_keys_and_merge_lists() -> None:
    text = "a: &a {x: 1}\nb: &b {x: 2, y: 2}\nc: {<<: [*a, *b], z: 3}\nd: {<<: *a}\n? [k, l]\n: v\n"
    (doc,) = yamlio.parse_text(text, "x").documents
    assert doc.data["c"] == {"x": 1, "y": 2, "z": 3}  # earlier merge sources win
    assert doc.data["d"] == {"x": 1}
    assert doc.data["['k', 'l']"] == "v"


def test_merge_of_a_scalar_is_ignored() -> None:
    (doc,) = yamlio.parse_text("a: {<<: 3, b: 1}\n", "x").documents
    assert doc.data == {"a": {"b": 1}}


def test_very_deep_nesting_is_a_problem_not_a_crash() -> None:
    loaded = yamlio.parse_text("a: " + "[" * 1000 + "]" * 1000 + "\n", "deep.yaml")
    assert not loaded.ok
    assert loaded.problems[0].file == "deep.yaml"


def test_expand_list_yields_items_with_their_lines() -> None:
    text = (
        "apiVersion: v1\nkind: List\nitems:\n"
        "  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: a}\n"
        "  - just text\n"
        "  - apiVersion: v1\n    kind: Secret\n    metadata: {name: b}\n"
    )
    (doc,) = yamlio.parse_text(text, "list.yaml").documents
    items = yamlio.expand_list(doc)
    assert [(item.line, item.data["kind"]) for item in items] == [(4, "ConfigMap"), (8, "Secret")]
    assert items[1].line_of("metadata.name") == 10
    assert items[0].source == "list.yaml#1"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("kind: ConfigMap\nitems: [{kind: X}]\n", id="not-a-list-kind"),
        pytest.param("kind: List\nitems: nope\n", id="items-not-a-sequence"),
    ],
)
def test_expand_list_keeps_other_documents(text: str) -> None:
    (doc,) = yamlio.parse_text(text, "x").documents
    assert yamlio.expand_list(doc) == [doc]
