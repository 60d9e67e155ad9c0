"""action.yml, the action's README, the CLI spec and the pre-commit hook agree."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from commit_lint.entry import SPEC, build_cli
from commit_lint.rules import RULES
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
ACTION = ROOT / "actions" / "commit-lint"


def load(path: Path) -> Any:
    return YAML(typ="safe", pure=True).load(path.read_text())


def test_action_yml_matches_the_spec():
    action = load(ACTION / "action.yml")
    runs = dict(action["runs"])
    assert runs.pop("image").startswith("docker://")  # the released image: test_self_release.py
    assert runs == {"using": "docker", "args": ["commit-lint"]}
    assert list(action["inputs"]) == [spec.name for spec in SPEC.inputs]
    for spec in SPEC.inputs:
        declared = action["inputs"][spec.name]
        assert declared["description"]
        if spec.name == "token":
            assert declared["default"] == "${{ github.token }}"
        else:
            assert declared["default"] == spec.default
    assert set(action["outputs"]) == {"valid", "error-count", "warning-count", "report"}


def test_readme_documents_inputs_outputs_and_rules():
    readme = (ACTION / "README.md").read_text()
    action = load(ACTION / "action.yml")
    for name in [*action["inputs"], *action["outputs"]]:
        assert f"| `{name}` |" in readme
    for name in RULES:
        assert f"| `{name}` |" in readme
    assert "## Exit codes" in readme


def test_cli_flags_mirror_inputs():
    help_text = build_cli().format_help()
    for spec in SPEC.inputs:
        assert f"--{spec.name}" in help_text


def test_pre_commit_hook():
    (hook,) = load(ROOT / ".pre-commit-hooks.yaml")
    assert hook["id"] == "commit-lint"
    assert hook["entry"] == "relkit commit-lint --edit"
    assert hook["stages"] == ["commit-msg"]


def test_workflow_example_is_least_privilege():
    workflow = load(ROOT / "workflows-examples" / "commit-lint.yml")
    assert set(workflow["on"]) == {"pull_request", "push"}
    assert workflow["permissions"] == {}
    job = workflow["jobs"]["commit-lint"]
    assert job["permissions"] == {"contents": "read", "pull-requests": "read"}
    checkout = job["steps"][0]
    assert checkout["with"]["persist-credentials"] is False
    assert len(checkout["uses"].split("@")[1]) == 40
