"""`relkit dependency-group` inputs: unknown flags, bad values and bad configs exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from dependency_group import entry
from relkit.errors import ConfigError


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        "GITHUB_WORKSPACE": str(tmp_path),
        "RUNNER_TEMP": str(tmp_path),
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
    }


def test_main_rejects_unknown_flags_before_anything_else() -> None:
    with pytest.raises(SystemExit) as exited:
        entry.main(["--no-such-input", "x"], {})
    assert exited.value.code == 2


def test_unknown_manager_input_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="input 'managers' names an unknown manager 'npm'"):
        entry.main(["--managers", "pip_requirements,npm"], _env(tmp_path))


def test_an_empty_repository_plans_nothing(tmp_path: Path) -> None:
    assert entry.main(["--dry-run"], _env(tmp_path)) == 0
    plan = (tmp_path / "dependency-group-plan.json").read_text(encoding="utf-8")
    assert '"branches": []' in plan
    assert "No updates." in (tmp_path / "summary.md").read_text(encoding="utf-8")
    output = (tmp_path / "output").read_text(encoding="utf-8")
    assert "plan<<" in output


@pytest.mark.parametrize(
    ("name", "what"),
    [
        pytest.param("a-file", "is a file, not a folder", id="file"),
        pytest.param("missing", "does not exist", id="missing"),
    ],
)
def test_a_workspace_that_is_no_folder_stops_before_anything_is_written(
    tmp_path: Path, name: str, what: str
) -> None:
    (tmp_path / "a-file").write_text("x\n", encoding="utf-8")
    env = {**_env(tmp_path), "GITHUB_WORKSPACE": str(tmp_path / name)}
    with pytest.raises(ConfigError, match=f"GITHUB_WORKSPACE '.*{name}' {what}"):
        entry.main(["--dry-run"], env)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]
