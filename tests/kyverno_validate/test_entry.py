from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

import pytest
from kyverno_validate import entry
from relkit import cli


def read_outputs(path: Path) -> dict[str, str]:
    """The runner's heredoc parser for GITHUB_OUTPUT (name<<DELIM … DELIM)."""
    outputs: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").split("\n")
    index = 0
    while index < len(lines) and lines[index]:
        name, _, delimiter = lines[index].partition("<<")
        end = lines.index(delimiter, index + 1)
        outputs[name] = "\n".join(lines[index + 1 : end])
        index = end + 1
    return outputs


@pytest.fixture
def workspace(tmp_path: Path, make_deployment: Any, make_policy: Any) -> Path:
    root = tmp_path / "repo"
    (root / "k8s").mkdir(parents=True)
    (root / "policies").mkdir()
    (root / "k8s" / "good.yaml").write_text(make_deployment("good", "nginx:1.27"))
    (root / "k8s" / "latest.yml").write_text(make_deployment("latest", "nginx:latest"))
    (root / "policies" / "p.yaml").write_text(make_policy("block", "Enforce"))
    return root


@pytest.fixture
def env(tmp_path: Path, workspace: Path) -> dict[str, str]:
    files = tmp_path / "files"
    files.mkdir()
    (files / "output").touch()
    (files / "summary").touch()
    return {
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_OUTPUT": str(files / "output"),
        "GITHUB_STEP_SUMMARY": str(files / "summary"),
        "PATH": os.environ.get("PATH", ""),
    }


@pytest.fixture(autouse=True)
def fake(monkeypatch: pytest.MonkeyPatch, fake_engine: Any) -> Any:
    monkeypatch.setattr(entry, "_engine", lambda: fake_engine)
    return fake_engine


def run(argv: list[str], env: dict[str, str]) -> int:
    return cli.main(["kyverno-validate", *argv], env)


def test_failures_exit_1_with_outputs_summary_and_annotations(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    env = {**env, "GITHUB_ACTIONS": "true", "INPUT_POLICIES": "policies/"}
    assert run([], env) == 1
    out = capsys.readouterr().out
    outputs = read_outputs(Path(env["GITHUB_OUTPUT"]))
    assert {k: outputs[k] for k in ("passed", "failed", "warned", "skipped", "errors")} == {
        "passed": "1",
        "failed": "1",
        "warned": "0",
        "skipped": "0",
        "errors": "0",
    }
    assert json.loads(outputs["report"])["results"][0]["resource"] == "Deployment/apps/latest"
    assert "::error title=kyverno-validate%3A block/no-latest,file=k8s/latest.yml,line=15::" in out
    # the table (untrusted text) is printed inside stop-commands
    first = out.index("::stop-commands::")
    token = out[first:].split("\n")[0].removeprefix("::stop-commands::")
    assert out.index("POLICY/CHECK") > first
    assert out.index(f"::{token}::") > out.index("POLICY/CHECK")
    summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")
    assert summary.startswith("### kyverno-validate: ❌ failed")


def test_clean_run_exits_0(env: dict[str, str], workspace: Path) -> None:
    (workspace / "k8s" / "latest.yml").unlink()
    assert run(["--policies", "policies"], env) == 0
    assert read_outputs(Path(env["GITHUB_OUTPUT"]))["passed"] == "1"


def test_fail_on_enforce_turns_audit_failures_into_warnings(
    env: dict[str, str], workspace: Path, make_policy: Any
) -> None:
    (workspace / "policies" / "p.yaml").write_text(make_policy("block", "Audit"))
    assert run(["--policies", "policies"], env) == 0
    assert read_outputs(Path(env["GITHUB_OUTPUT"]))["warned"] == "1"
    assert run(["--policies", "policies", "--fail-on", "audit"], env) == 1


def test_positional_paths_and_repeated_policies(
    env: dict[str, str], workspace: Path, make_policy: Any, fake: Any
) -> None:
    (workspace / "more.yaml").write_text(make_policy("second", "Enforce"))
    assert run(["--policies", "policies", "--policies", "more.yaml", "k8s/good.yaml"], env) == 0
    assert fake.loaded == ["policies/p.yaml#1", "more.yaml#1"]
    assert fake.evaluated == ["good"]


def test_without_policies_only_stages_one_and_two_run(
    env: dict[str, str], capsys: pytest.CaptureFixture[str], fake: Any
) -> None:
    assert run([], env) == 0
    assert fake.evaluated == []
    assert (
        "notice: no policies given (input 'policies'); stage 3 skipped" in capsys.readouterr().out
    )


def test_json_output_is_plain_json_locally(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["--output", "json", "--policies", "policies"], env) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["fail"] == 1
    assert data["kubernetesVersion"] == "1.37"


def test_sarif_output_and_file(
    env: dict[str, str], workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--output", "sarif", "--sarif-file", "out/k.sarif", "--policies", "policies"]
    assert run(argv, env) == 1
    printed = json.loads(capsys.readouterr().out)
    written = json.loads((workspace / "out" / "k.sarif").read_text(encoding="utf-8"))
    assert printed == written
    assert written["runs"][0]["results"][0]["ruleId"] == "block/no-latest"
    # the upload step runs as the runner's user: the file must be readable by others
    assert (workspace / "out" / "k.sarif").stat().st_mode & 0o777 == 0o644


def test_yaml_and_schema_problems_are_rows(
    env: dict[str, str], workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workspace / "k8s" / "broken.yaml").write_bytes(b"a: [1\n")
    (workspace / "k8s" / "bin.yaml").write_bytes(b"\x00\x01\x02")
    (workspace / "k8s" / "svc.yaml").write_text(
        "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  tpye: ClusterIP\n"
    )
    assert run(["--kubernetes-version", "1.30"], env) == 1
    out = capsys.readouterr().out
    assert "k8s/broken.yaml:2:1" in out
    assert "k8s/bin.yaml" in out
    assert "binary file" in out
    assert "k8s/svc.yaml:5" in out
    assert "spec.tpye: unknown field 'tpye'" in out
    assert "(Kubernetes 1.30, fail-on enforce)" in out


@pytest.mark.parametrize(
    ("argv", "inputs", "message"),
    [
        pytest.param(["nothing/"], {}, "input 'paths' matched no files", id="no-files"),
        pytest.param(
            ["--policies", "no-such-policy"], {}, "neither a policy file", id="bad-policy-name"
        ),
        pytest.param(
            ["--kubernetes-version", "1.12"], {}, "input 'kubernetes-version'", id="bad-version"
        ),
        pytest.param([], {"INPUT_FAIL-ON": "sometimes"}, "input 'fail-on'", id="bad-fail-on"),
        pytest.param([], {"INPUT_SCHEMA-STRICT": "yes"}, "input 'schema-strict'", id="bad-bool"),
        pytest.param(
            ["--ecr-registry", "not a registry"], {}, "input 'ecr-registry'", id="bad-registry"
        ),
        pytest.param(["--policies", "k8s"], {}, "no Kyverno ClusterPolicy", id="no-policies"),
    ],
)
def test_unusable_input_exits_2_with_one_line(
    env: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    inputs: dict[str, str],
    message: str,
) -> None:
    assert run(argv, {**env, **inputs}) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert message in err[-1]
    assert Path(env["GITHUB_OUTPUT"]).read_text() == ""  # nothing half-written


def test_kustomize_without_kubectl_is_a_clear_error(
    env: dict[str, str], workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workspace / "k8s" / "kustomization.yaml").write_text("resources: [good.yaml]\n")
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    assert run(["--kustomize"], {**env, "PATH": str(empty)}) == 2
    assert "kubectl is not on PATH" in capsys.readouterr().err


def test_kustomize_renders_folders_with_kubectl(
    env: dict[str, str],
    workspace: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make_deployment: Any,
) -> None:
    overlay = workspace / "k8s" / "overlay"
    overlay.mkdir()
    (overlay / "kustomization.yaml").write_text("resources: [../good.yaml]\n")
    (overlay / "patch.yaml").write_text("spec: {replicas: 3}\n")  # a partial object
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    rendered = tmp_path / "rendered.yaml"
    rendered.write_text(make_deployment("rendered", "nginx:latest"))
    kubectl = bin_dir / "kubectl"
    kubectl.write_text(
        f"#!{sys.executable}\nimport sys\n"
        f"assert sys.argv[1] == 'kustomize', sys.argv\n"
        f"sys.stdout.write(open({str(rendered)!r}).read())\n"
    )
    kubectl.chmod(kubectl.stat().st_mode | stat.S_IEXEC)
    argv = ["--kustomize", "--policies", "policies"]
    assert run(argv, {**env, "PATH": str(bin_dir)}) == 1
    out = capsys.readouterr().out
    assert "k8s/overlay/kustomization.yaml:15" in out  # the rendered object's failing line
    assert "patch.yaml" not in out  # files of a kustomization are not validated on their own


def test_kustomize_failure_is_a_stage_one_row(
    env: dict[str, str], workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workspace / "k8s" / "kustomization.yaml").write_text("resources: [missing.yaml]\n")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    kubectl = bin_dir / "kubectl"
    kubectl.write_text(
        f"#!{sys.executable}\nimport sys\nsys.stderr.write('Error: missing.yaml not found\\n')\n"
        "sys.exit(1)\n"
    )
    kubectl.chmod(kubectl.stat().st_mode | stat.S_IEXEC)
    assert run(["--kustomize"], {**env, "PATH": str(bin_dir)}) == 1
    assert "kubectl kustomize failed: Error: missing.yaml not found" in capsys.readouterr().out


def test_help_lists_every_input(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:  # argparse's --help passes through the boundary
        run(["--help"], {})
    assert exited.value.code == 0
    text = capsys.readouterr().out
    for item in entry.SPEC.inputs:
        assert f"--{item.name}" in text
    assert "PATH" in text


def test_empty_paths_input_is_a_config_error(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run([], {**env, "INPUT_PATHS": " \n"}) == 2
    assert "input 'paths' is empty" in capsys.readouterr().err


def test_unmatched_pattern_is_a_warning_annotation_in_actions(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    env = {**env, "GITHUB_ACTIONS": "true", "INPUT_PATHS": "k8s/good.yaml\nmissing/*.yaml"}
    assert run([], env) == 0
    out = capsys.readouterr().out
    assert (
        "::warning title=kyverno-validate::input 'paths': 'missing/*.yaml' matched no file" in out
    )


def test_kustomize_without_kustomizations_needs_no_kubectl(
    env: dict[str, str], tmp_path: Path
) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    assert run(["--kustomize", "k8s/good.yaml"], {**env, "PATH": str(empty)}) == 0


def test_unwritable_sarif_file_is_a_config_error_leaving_nothing_behind(
    env: dict[str, str], workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["--sarif-file", "k8s"], env) == 2  # a folder
    assert "input 'sarif-file': cannot write" in capsys.readouterr().err
    assert sorted(p.name for p in (workspace / "k8s").iterdir()) == ["good.yaml", "latest.yml"]
    assert Path(env["GITHUB_OUTPUT"]).read_text() == ""


@pytest.mark.parametrize(
    ("name", "what"),
    [
        pytest.param("k8s/good.yaml", "is a file, not a folder", id="file"),
        pytest.param("missing", "does not exist", id="missing"),
    ],
)
def test_a_workspace_that_is_no_folder_is_one_line(
    env: dict[str, str],
    workspace: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    what: str,
) -> None:
    assert run([], {**env, "GITHUB_WORKSPACE": str(workspace / name)}) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert f"GITHUB_WORKSPACE '{workspace / name}' {what}" in err[0]
    assert Path(env["GITHUB_OUTPUT"]).read_text() == ""


def test_paths_that_match_nothing_are_one_error_line_without_warnings(
    env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["missing/", "none/*.yaml"], env) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert "input 'paths' matched no files (missing/, none/*.yaml)" in err[0]
