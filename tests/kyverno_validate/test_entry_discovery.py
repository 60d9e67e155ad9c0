from __future__ import annotations

from pathlib import Path

import pytest
from kyverno_validate import builtin_policies, discovery
from relkit.errors import ConfigError


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for name in ("k8s/a.yaml", "k8s/sub/b.yml", "k8s/.hidden/c.yaml", "k8s/readme.md", "x.yaml"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("kind: ConfigMap\n")
    return tmp_path


def labels(paths: tuple[Path, ...], root: Path) -> list[str]:
    return [discovery.relative_label(path, root) for path in paths]


@pytest.mark.parametrize(
    ("patterns", "expected", "unmatched"),
    [
        pytest.param(
            ["k8s/**/*.y*ml"],
            ["k8s/.hidden/c.yaml", "k8s/a.yaml", "k8s/sub/b.yml"],
            [],
            id="default-glob",
        ),
        pytest.param(
            ["k8s"], ["k8s/.hidden/c.yaml", "k8s/a.yaml", "k8s/sub/b.yml"], [], id="folder"
        ),
        pytest.param(["x.yaml", "x.yaml", "k8s/a.yaml"], ["x.yaml", "k8s/a.yaml"], [], id="dedup"),
        pytest.param(["nope/", "*.json"], [], ["nope/", "*.json"], id="nothing"),
    ],
)
def test_expand_paths(
    tree: Path, patterns: list[str], expected: list[str], unmatched: list[str]
) -> None:
    matched = discovery.expand_paths(patterns, tree)
    assert labels(matched.files, tree) == expected
    assert list(matched.unmatched) == unmatched


def test_absolute_paths_and_labels_outside_the_workspace(tree: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path.parent / f"{tmp_path.name}-other.yaml"
    elsewhere.write_text("kind: Pod\n")
    matched = discovery.expand_paths([str(elsewhere)], tree / "k8s")
    assert matched.files == (elsewhere,)
    assert discovery.relative_label(elsewhere, tree / "k8s") == elsewhere.as_posix()


def test_resolve_policies_mixes_files_folders_and_builtins(tree: Path) -> None:
    sources = discovery.resolve_policies(["k8s/sub", "block-latest-tag"], tree)
    assert [(s.label, s.builtin) for s in sources] == [
        ("k8s/sub/b.yml", None),
        ("builtin:block-latest-tag", "block-latest-tag"),
    ]
    assert b"kind: ClusterPolicy" in sources[1].data


def test_a_local_file_wins_over_a_builtin_name(tree: Path) -> None:
    (tree / "block-latest-tag").write_text("kind: ClusterPolicy\n")
    (source,) = discovery.resolve_policies(["block-latest-tag"], tree)
    assert source.builtin is None


def test_unknown_policy_item_is_a_config_error(tree: Path) -> None:
    with pytest.raises(ConfigError, match=r"'block-latets-tag' is neither a policy file"):
        discovery.resolve_policies(["block-latets-tag"], tree)


def test_split_kustomize_keeps_files_outside_kustomization_folders(tmp_path: Path) -> None:
    files = [
        tmp_path / "base" / "kustomization.yaml",
        tmp_path / "base" / "deploy.yaml",
        tmp_path / "base" / "patches" / "p.yaml",
        tmp_path / "plain" / "svc.yaml",
    ]
    kustomizations, plain = discovery.split_kustomize(files)
    assert kustomizations == [tmp_path / "base" / "kustomization.yaml"]
    assert plain == [tmp_path / "plain" / "svc.yaml"]


def test_render_kustomization_reports_a_kubectl_that_cannot_run(tmp_path: Path) -> None:
    kubectl = tmp_path / "kubectl"
    kubectl.write_text("not executable")
    loaded = discovery.render_kustomization(str(kubectl), tmp_path, "o/kustomization.yaml")
    assert loaded.problems[0].message.startswith("kubectl kustomize failed:")
    assert loaded.path == "o/kustomization.yaml"


def test_builtin_policies_are_package_data() -> None:
    for name in builtin_policies.NAMES:
        assert f"name: {name}".encode() in builtin_policies.read_builtin(name)
    with pytest.raises(ConfigError, match="unknown built-in policy 'x'"):
        builtin_policies.read_builtin("x")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("123456789012.dkr.ecr.eu-west-1.amazonaws.com", None, id="account"),
        pytest.param(" *.dkr.ecr.*.amazonaws.com/ ", "*.dkr.ecr.*.amazonaws.com", id="trimmed"),
        pytest.param("registry.local:5000/team", None, id="port-and-path"),
    ],
)
def test_check_registry_accepts_host_patterns(value: str, expected: str | None) -> None:
    assert builtin_policies.check_registry(value) == (expected or value)


@pytest.mark.parametrize("value", ["", "a b", "https://x.io", "x.io/{{ evil }}"])
def test_check_registry_rejects_other_text(value: str) -> None:
    with pytest.raises(ConfigError, match="input 'ecr-registry' must be a registry host pattern"):
        builtin_policies.check_registry(value)


def test_apply_registry_rewrites_every_string() -> None:
    data = {
        "a": ["*.dkr.ecr.*.amazonaws.com/*", 3, None],
        "b": {"c": "x *.dkr.ecr.*.amazonaws.com"},
    }
    assert builtin_policies.apply_registry(data, "r.io") == {
        "a": ["r.io/*", 3, None],
        "b": {"c": "x r.io"},
    }
