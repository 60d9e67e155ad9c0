"""Hostile input in stage 1 and the policy loader: problems, never crashes, no hangs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kyverno_validate import engine, yamlio, yamlnodes
from relkit.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "conformance" / "kyverno" / "public" / "suites"


def laughs(levels: int) -> str:
    """The "billion laughs": each anchor a list of nine aliases of the previous one."""
    lines = ['a0: &a0 ["lol"]']
    for level in range(1, levels + 1):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("levels", [9, 12, 30])
def test_alias_bombs_are_refused_like_kubernetes_decoder(levels: int) -> None:
    text = laughs(levels)
    assert len(text) < 2048
    loaded = yamlio.parse_text(text, "bomb.yaml")
    (problem,) = loaded.problems
    assert problem.line == 1
    assert "excessive aliasing" in problem.message
    assert loaded.documents == ()


def test_alias_bomb_is_refused_in_a_bounded_time_in_a_fresh_process() -> None:
    code = (
        "import sys; from kyverno_validate import yamlio; "
        "print(yamlio.parse_text(sys.stdin.read(), 'b').problems[0].message)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        input=laughs(40),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "excessive aliasing" in done.stdout, done.stderr


def test_ordinary_aliases_still_expand() -> None:
    text = "defaults: &d {cpu: 100m, memory: 64Mi}\nrequests: *d\nlimits: *d\nlist: [*d, *d]\n"
    (doc,) = yamlio.parse_text(text, "ok.yaml").documents
    assert doc.data["limits"] == {"cpu": "100m", "memory": "64Mi"}
    assert doc.data["list"][1]["memory"] == "64Mi"
    assert doc.line_of("limits") == 3


def test_a_thousand_aliases_of_small_nodes_are_fine() -> None:
    text = "base: &b {a: 1}\nitems:\n" + "".join("  - *b\n" for _ in range(1000))
    (doc,) = yamlio.parse_text(text, "many.yaml").documents
    assert len(doc.data["items"]) == 1000


@pytest.mark.parametrize(
    ("decoded", "ratio"),
    [(1000, 0.99), (400_000, 0.99), (2_200_000, 0.545), (4_000_000, 0.10), (9_000_000, 0.10)],
)
def test_allowed_alias_ratio_follows_go_yaml(decoded: int, ratio: float) -> None:
    assert yamlnodes._allowed_alias_ratio(decoded) == pytest.approx(ratio)


def nested(depth: int) -> str:
    return "a: " + "[" * depth + "]" * depth + "\n"


def test_nesting_up_to_the_limit_is_read() -> None:
    (doc,) = yamlio.parse_text(nested(yamlnodes.MAX_DEPTH - 1), "deep.yaml").documents
    assert isinstance(doc.data["a"], list)


@pytest.mark.parametrize("depth", [yamlnodes.MAX_DEPTH + 1, 999, 5000])
def test_deeper_nesting_is_one_problem(depth: int) -> None:
    text = "ok: 1\n---\n" + nested(depth) + "---\nalso: ok\n"
    loaded = yamlio.parse_text(text, "deep.yaml")
    assert loaded.problems
    assert "nest" in loaded.problems[0].message
    assert loaded.problems[0].line == 3
    assert loaded.documents[0].data == {"ok": 1}


def test_block_nesting_past_libyaml_limit_is_a_syntax_problem() -> None:
    text = "".join("  " * level + "k:\n" for level in range(1200))
    (problem,) = yamlio.parse_text(text, "deep.yaml").problems
    assert problem.message.startswith("YAML syntax error")


def test_a_document_over_the_api_servers_limit_is_refused_and_the_rest_read() -> None:
    huge = "x" * (yamlnodes.MAX_DOCUMENT_BYTES + 10)
    text = f"a: 1\n---\nbig: {huge}\n---\nb: 2\n"
    loaded = yamlio.parse_text(text, "huge.yaml")
    (problem,) = loaded.problems
    assert (problem.line, "3 MiB") == (3, "3 MiB")
    assert "accepts at most 3 MiB" in problem.message
    assert [d.data for d in loaded.documents] == [{"a": 1}, {"b": 2}]


# --- properties -------------------------------------------------------------------------------

keys = st.text(
    alphabet=st.characters(codec="ascii", categories=["L", "N"], include_characters="-._/"),
    min_size=1,
    max_size=8,
)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-1000, 1000), st.text(max_size=10), st.just("1:30")
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=4)
    ),
    max_leaves=25,
)


def paths(value: Any, prefix: str = "") -> list[str]:
    found = []
    if isinstance(value, dict):
        for key, child in value.items():
            here = f"{prefix}.{key}" if prefix else key
            found += [here, *paths(child, here)]
    elif isinstance(value, list):
        for index, child in enumerate(value):
            here = f"{prefix}[{index}]"
            found += [here, *paths(child, here)]
    return found


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.dictionaries(keys, documents, min_size=1, max_size=5), flow=st.booleans())
def test_flat_line_positions_agree_with_the_node_tree(data: dict[str, Any], flow: bool) -> None:
    text = yaml.safe_dump(data, default_flow_style=flow, width=30)
    loaded = yamlio.parse_text(text, "p.yaml")
    if loaded.problems:  # e.g. keys that read back equal ("1" and "01" are both text here)
        return
    (doc,) = loaded.documents
    node = yaml.compose(text, Loader=yamlnodes._Loader)
    for path in paths(doc.data):
        expected = yamlnodes.line_of(doc.data, node, path.strip("/")) or doc.line
        assert doc.line_of(path) == expected, path


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_data_or_problems(text: str) -> None:
    loaded = yamlio.parse_text(text, "any.yaml")
    for problem in loaded.problems:
        assert problem.render().startswith("any.yaml")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rule=st.dictionaries(st.sampled_from(["name", "match", "validate", "foo"]), documents))
def test_the_policy_loader_refuses_bad_shapes_with_config_errors(rule: dict[str, Any]) -> None:
    policy = {
        "apiVersion": "kyverno.io/v1",
        "kind": "ClusterPolicy",
        "metadata": {"name": "p"},
        "spec": {"rules": [rule]},
    }
    error = None
    try:
        engine.load_policies([("p.yaml#1", policy)])
    except ConfigError as exc:
        error = str(exc)
    assert error is None or error.startswith("p.yaml#1")


# --- the fuzzer ---------------------------------------------------------------------------------


def test_the_atheris_fuzzer_finds_no_crash_or_hang(tmp_path: Path) -> None:
    pytest.importorskip("atheris", reason="atheris is not installed (x86_64 dev extra)")
    if not CORPUS.is_dir():
        pytest.skip(f"no seed corpus at {CORPUS}")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for number, path in enumerate(sorted(CORPUS.rglob("*.yaml"))[:200]):
        shutil.copy(path, seeds / f"{number}.yaml")
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tests" / "fuzz" / "fuzz_kyverno.py"),
            "-atheris_runs=4000",
            "-timeout=10",
            "-rss_limit_mb=1024",
            f"-artifact_prefix={tmp_path}/",
            str(seeds),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Done 4000" in done.stderr
