"""The byte-minimal kustomization editor: fixture in, text out (golden byte diffs)."""

from __future__ import annotations

import difflib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from promote_env.kustomize import (
    Image,
    Triple,
    format_scalar,
    needs_quotes,
    read_images,
    reference,
    update,
)
from promote_env.revert import revert
from promote_env.sample import APP_DIGEST, OLD_APP_DIGEST, PRODUCTION, STAGING
from relkit.errors import ConfigError


def changed_lines(before: str, after: str) -> list[str]:
    """The golden diff: the -/+ lines only."""
    diff = difflib.unified_diff(before.splitlines(True), after.splitlines(True), n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in {"---", "+++"}]


def test_read_images_of_the_sample() -> None:
    assert read_images(STAGING) == [
        Image("registry.example/app", Triple(None, "1.4.0", APP_DIGEST), 8),
        Image("registry.example/worker", Triple("mirror.example/worker", "2.1.0", None), 11),
        Image("registry.example/proxy", Triple(None, "2.10", None), 14),
    ]
    assert [image.name for image in read_images(PRODUCTION)] == [
        "registry.example/app",
        "registry.example/worker",
    ]


@pytest.mark.parametrize(
    ("name", "triple", "expected"),
    [
        pytest.param("app", None, "", id="absent"),
        pytest.param("app", Triple(), "app", id="empty"),
        pytest.param("app", Triple(None, "1.2"), "app:1.2", id="tag"),
        pytest.param("app", Triple(None, None, "sha256:ab"), "app@sha256:ab", id="digest"),
        pytest.param("app", Triple("r/x", "1", "sha256:ab"), "r/x:1@sha256:ab", id="all"),
    ],
)
def test_reference(name: str, triple: Triple | None, expected: str) -> None:
    assert reference(name, triple) == expected


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ("1.2.3", False),
        ("v1.2", False),
        ("sha256:abc", False),
        ("registry.example:5000/app", False),
        ("latest", False),
        ("1.10", True),
        ("1", True),
        ("0777", True),
        ("0x1F", True),
        ("1e3", True),
        ("1:20", True),
        ("on", True),
        ("No", True),
        ("~", True),
        ("null", True),
        ("", True),
        ("a b", True),
        ("#x", True),
        ("x:", True),
        (".inf", True),
    ],
)
def test_needs_quotes(value: str, quoted: bool) -> None:
    assert needs_quotes(value) is quoted


@pytest.mark.parametrize(
    ("value", "style", "expected"),
    [
        ("1.2.3", None, "1.2.3"),
        ("1.10", None, '"1.10"'),
        ("1.2.3", '"', '"1.2.3"'),
        ("it's", "'", "'it''s'"),
        ('a"b', '"', '"a\\"b"'),
    ],
)
def test_format_scalar(value: str, style: str | None, expected: str) -> None:
    assert format_scalar(value, style) == expected


APP = "registry.example/app"
WORKER = "registry.example/worker"
PROXY = "registry.example/proxy"


@pytest.mark.parametrize(
    ("content", "changes", "golden"),
    [
        pytest.param(
            PRODUCTION,
            {APP: Triple(None, "1.4.0", APP_DIGEST)},
            [
                '-  newTag: 1.3.2 # {"$imagepolicy": "flux-system:app-prod:tag"}\n',
                f"-  digest: {OLD_APP_DIGEST}\n",
                '+  newTag: 1.4.0 # {"$imagepolicy": "flux-system:app-prod:tag"}\n',
                f"+  digest: {APP_DIGEST}\n",
            ],
            id="tag-and-digest-keep-marker-and-plain-style",
        ),
        pytest.param(
            PRODUCTION,
            {WORKER: Triple("mirror.example/worker", "2.10", None)},
            ['-  newTag: "2.0.0"\n', '+  newTag: "2.10"\n'],
            id="double-quotes-kept",
        ),
        pytest.param(
            PRODUCTION,
            {APP: Triple(None, "1.10", None)},
            [
                '-  newTag: 1.3.2 # {"$imagepolicy": "flux-system:app-prod:tag"}\n',
                f"-  digest: {OLD_APP_DIGEST}\n",
                '+  newTag: "1.10" # {"$imagepolicy": "flux-system:app-prod:tag"}\n',
            ],
            id="numeric-tag-quoted-digest-dropped",
        ),
        pytest.param(
            PRODUCTION,
            {APP: Triple(None, None, APP_DIGEST)},
            [
                '-  newTag: 1.3.2 # {"$imagepolicy": "flux-system:app-prod:tag"}\n',
                f"-  digest: {OLD_APP_DIGEST}\n",
                f"+  digest: {APP_DIGEST}\n",
            ],
            id="digest-alone-drops-the-tag",
        ),
        pytest.param(
            PRODUCTION,
            {WORKER: Triple("mirror.example/worker", "2.0.0", APP_DIGEST)},
            [f"+  digest: {APP_DIGEST}\n"],
            id="digest-inserted-after-the-last-key",
        ),
        pytest.param(
            PRODUCTION,
            {WORKER: Triple(None, "2.0.0", None)},
            ["-  newName: mirror.example/worker\n"],
            id="newname-removed",
        ),
        pytest.param(
            PRODUCTION,
            {PROXY: Triple(None, "2.10", None)},
            [f"+- name: {PROXY}\n", '+  newTag: "2.10"\n'],
            id="new-entry-in-the-lists-style",
        ),
        pytest.param(
            STAGING,
            {"new/one": Triple("r/one", "3", None)},
            ["+  - name: new/one\n", "+    newName: r/one\n", '+    newTag: "3"\n'],
            id="new-entry-indented-list",
        ),
        pytest.param(
            PRODUCTION,
            {WORKER: None},
            [
                f"-- name: {WORKER}   # batch jobs\n",
                "-  newName: mirror.example/worker\n",
                '-  newTag: "2.0.0"\n',
            ],
            id="entry-removed",
        ),
        pytest.param(
            "resources:\n- ../base\n",
            {APP: Triple(None, "1.0.0", None)},
            ["+images:\n", f"+- name: {APP}\n", "+  newTag: 1.0.0\n"],
            id="images-key-added",
        ),
        pytest.param(
            "images:\n- {name: app, newTag: '1'}\n",
            {"app": Triple(None, "2", None), "b": Triple(None, "x", None)},
            [
                "-- {name: app, newTag: '1'}\n",
                "+- {name: app, newTag: '2'}\n",
                "+- {name: b, newTag: x}\n",
            ],
            id="flow-entry-changed-and-appended-in-flow-style",
        ),
        pytest.param(
            "images:\n- {name: app, newTag: '1', digest: sha256:a}\n",
            {"app": Triple(None, "1", None)},
            [
                "-- {name: app, newTag: '1', digest: sha256:a}\n",
                "+- {name: app, newTag: '1'}\n",
            ],
            id="flow-key-removed",
        ),
        pytest.param(
            "images:\r\n- name: app\r\n  newTag: a\r\n",
            {"app": Triple(None, "a", "sha256:1"), "b": Triple(None, "b", None)},
            ["+  digest: sha256:1\r\n", "+- name: b\r\n", "+  newTag: b\r\n"],
            id="crlf-kept",
        ),
        pytest.param(
            "images:\n- newTag: a\n  name: app\n",
            {"app": Triple(None, None, "sha256:1")},
            ["-- newTag: a\n", "-  name: app\n", "+- name: app\n", "+  digest: sha256:1\n"],
            id="first-key-removed-from-the-dash-line",
        ),
        pytest.param(
            "images:\n- name: app\n  newTag:\n",
            {"app": Triple(None, "1.0.0", None)},
            ["-  newTag:\n", "+  newTag: 1.0.0\n"],
            id="empty-value-filled",
        ),
        pytest.param(
            "images:\n- name: app\n  newTag: a",
            {"app": Triple(None, "a", "sha256:1")},
            ["-  newTag: a", "+  newTag: a\n", "+  digest: sha256:1\n"],
            id="no-final-newline",
        ),
        pytest.param(
            "images:\n",
            {"app": Triple(None, "1.0.0", None)},
            ["+- name: app\n", "+  newTag: 1.0.0\n"],
            id="empty-images-key",
        ),
    ],
)
def test_update_golden(content: str, changes: dict[str, Triple | None], golden: list[str]) -> None:
    result = update(content, changes)
    assert changed_lines(content, result) == golden
    for name, triple in changes.items():
        assert {i.name: i.triple for i in read_images(result)}.get(name) == triple


def test_other_documents_and_separators_stay() -> None:
    result = update(PRODUCTION, {APP: Triple(None, "9.9.9", OLD_APP_DIGEST)})
    assert result.startswith("---\n# Production")
    assert result.endswith("---\n# end of the production overlay\n")
    assert len(result.splitlines()) == len(PRODUCTION.splitlines())


def test_unchanged_when_nothing_differs() -> None:
    assert update(PRODUCTION, {}) == PRODUCTION
    same = {i.name: i.triple for i in read_images(PRODUCTION)}
    assert update(PRODUCTION, dict(same)) == PRODUCTION


@pytest.mark.parametrize(
    ("content", "changes", "message"),
    [
        pytest.param(
            "images:\n- {name: app, newTag: '1'}\n",
            {"app": Triple(None, "1", "sha256:a")},
            r"kustomization.yaml:2: cannot edit image 'app' safely: it is a flow mapping",
            id="flow-needs-new-key",
        ),
        pytest.param(
            "images:\n- name: app\n  newTag: |\n    1.0\n",
            {"app": Triple(None, "2", None)},
            "its newTag is a multi-line scalar",
            id="block-scalar",
        ),
        pytest.param(
            "images:\n- &a\n  name: app\n  newTag: x\n",
            {"app": Triple(None, "2", None)},
            "it uses YAML anchors or aliases",
            id="anchor",
        ),
        pytest.param(
            "images: [{name: app}]\n",
            {"b": Triple(None, "2", None)},
            "to a flow-style images list",
            id="flow-list-append",
        ),
        pytest.param(
            "images: [{name: app}]\n",
            {"app": None},
            "from a flow-style images list",
            id="flow-list-remove",
        ),
        pytest.param(
            "images:\n- name: app\n  newTag: {a: 1}\n",
            {"app": Triple(None, "2", None)},
            "its newTag is not a scalar",
            id="mapping-value",
        ),
    ],
)
def test_unsafe_shapes_are_refused(
    content: str, changes: dict[str, Triple | None], message: str
) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("(", r"\(")):
        update(content, changes)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(
            "images:\n- name: a\n  newTag: [\n", r"kustomization.yaml:\d+: invalid YAML", id="yaml"
        ),
        pytest.param("- a\n", "not a kustomization", id="not-mapping"),
        pytest.param("images: x\n", "kustomization.yaml:1: 'images' must be a list", id="scalar"),
        pytest.param(
            "images:\n- x\n", "kustomization.yaml:2: an images entry must be a mapping", id="entry"
        ),
        pytest.param("images:\n- newTag: x\n", "has no 'name'", id="no-name"),
        pytest.param("images:\n- name: a\n- name: a\n", "image 'a' is listed twice", id="dup"),
    ],
)
def test_bad_files_are_config_errors(content: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        read_images(content)


# --- promote, then roll back: byte for byte --------------------------------------------------

tags = st.one_of(
    st.from_regex(r"\A[0-9]{1,2}\.[0-9]{1,2}(\.[0-9]{1,2})?\Z"),
    st.from_regex(r"\Av?[a-z0-9][a-z0-9.-]{0,8}\Z"),
    st.sampled_from(["on", "1", "latest", "1e3"]),
)
digests = st.from_regex(r"\Asha256:[0-9a-f]{8}\Z")
triples = st.builds(
    Triple,
    new_name=st.one_of(st.none(), st.sampled_from(["mirror.example/x", "r.io/y"])),
    new_tag=st.one_of(st.none(), tags),
    digest=st.one_of(st.none(), digests),
)


def _entry(name: str, triple: Triple, style: str, quote: str, comment: bool) -> str:
    dash, pad = ("- ", "  ") if style == "flat" else ("  - ", "    ")
    lines = [f"{dash}name: {name}" + ("  # the app" if comment else "")]
    for field, value in triple.as_json().items():
        if value is not None:
            text = f"{quote}{value}{quote}" if quote or needs_quotes(value) else value
            if not quote and needs_quotes(value):
                text = f'"{value}"'
            marker = ' # {"$imagepolicy": "ns:p:tag"}' if field == "newTag" and comment else ""
            lines.append(f"{pad}{field}: {text}{marker}")
    return "\n".join(lines) + "\n"


@st.composite
def kustomizations(draw: st.DrawFn) -> str:
    style = draw(st.sampled_from(["flat", "indented"]))
    quote = draw(st.sampled_from(["", '"', "'"]))
    names = draw(st.lists(st.sampled_from(["app", "worker", "r.io/proxy", "db"]), unique=True))
    head = "---\n# overlay\nkind: Kustomization\nresources:\n- ../base\n"
    body = "images:\n" if names else ""
    for name in names:
        body += _entry(name, draw(triples), style, quote, draw(st.booleans()))
    tail = draw(st.sampled_from(["", "---\n# next\n", "namespace: prod\n"]))
    return head + body + tail


@settings(max_examples=150, deadline=None)
@given(
    kustomizations(),
    st.dictionaries(st.sampled_from(["app", "worker", "r.io/proxy", "new"]), triples, max_size=4),
)
def test_promote_then_rollback_restores_the_file(target: str, source: dict[str, Triple]) -> None:
    current = {i.name: i.triple for i in read_images(target)}
    changes = {name: triple for name, triple in source.items() if current.get(name) != triple}
    promoted = update(target, changes)
    assert {i.name: i.triple for i in read_images(promoted)} == {**current, **changes}
    assert revert(promoted, target, promoted) == target
    # a later, unrelated edit of the file survives the rollback
    edited = "# reviewed\n" + promoted
    assert revert(edited, target, promoted) == "# reviewed\n" + target


@pytest.mark.parametrize(
    ("content", "changes", "expected"),
    [
        pytest.param(
            "images:\n- name: a\n  newName: |\n    r/a\n",
            {"b": Triple(None, "1.0.0", None)},
            "images:\n- name: a\n  newName: |\n    r/a\n- name: b\n  newTag: 1.0.0\n",
            id="append-after-a-block-scalar",
        ),
        pytest.param(
            "images:\n- name: a\n  newTag:   \n",
            {"a": Triple(None, "2", None)},
            'images:\n- name: a\n  newTag: "2"\n',
            id="empty-value-with-spaces",
        ),
        pytest.param(
            "images:\n- {digest: 'sha256:a', name: app}\n",
            {"app": Triple()},
            "images:\n- {name: app}\n",
            id="flow-first-key-removed",
        ),
        pytest.param(
            "images:\n- name: a\n",
            {"gone": None},
            "images:\n- name: a\n",
            id="removing-an-absent-image-is-a-no-op",
        ),
    ],
)
def test_update_edge_shapes(content: str, changes: dict[str, Triple | None], expected: str) -> None:
    assert update(content, changes) == expected


def test_an_anchored_list_gets_no_new_entry() -> None:
    with pytest.raises(ConfigError, match="the images list has an anchor"):
        update("images: &imgs\n- name: a\n", {"b": Triple(None, "1", None)})


def test_unreadable_text_is_a_yaml_error() -> None:
    with pytest.raises(
        ConfigError, match=r"kustomization\.yaml:2: invalid YAML: unacceptable character"
    ):
        read_images("images:\n- name: \x07\n")
