"""relkit releases itself: its own release-please-config.json, run through relkit's release-pr.

The project's real config, manifest, pyproject.toml, ``relkit.__version__`` line and the six
``action.yml`` files are committed into a scratch repository; after a ``feat:`` commit the
release plan must bump the version in every one of them, above all the ``docker://`` image pin
each released ``action.yml`` runs (the root README's "Releasing").
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from release_pr.config import load_config
from release_pr.plan import plan_release

ROOT = Path(__file__).resolve().parents[2]
ACTION_FILES = sorted(p.relative_to(ROOT).as_posix() for p in ROOT.glob("actions/*/action.yml"))
PIN = re.compile(r"^  image: docker://ghcr\.io/[a-z0-9-]+/relkit:(\S+) # x-release-please-version$")


def project_files() -> dict[str, str]:
    names = [
        "release-please-config.json",
        ".release-please-manifest.json",
        "pyproject.toml",
        "shared/relkit/__init__.py",
        *ACTION_FILES,
    ]
    return {name: (ROOT / name).read_text(encoding="utf-8") for name in names}


def pinned_versions(text: str) -> list[str]:
    return [m.group(1) for line in text.splitlines() if (m := PIN.match(line))]


def test_every_action_pins_the_manifest_version() -> None:
    version = json.loads((ROOT / ".release-please-manifest.json").read_text())["."]
    assert len(ACTION_FILES) == 6
    for name in ACTION_FILES:
        assert pinned_versions((ROOT / name).read_text(encoding="utf-8")) == [version], name
    config = json.loads((ROOT / "release-please-config.json").read_text())
    assert sorted(config["packages"]["."]["extra-files"]) == sorted(
        [*ACTION_FILES, "shared/relkit/__init__.py"]
    )


def test_a_feature_bumps_every_pin_and_version(repo: Any) -> None:
    files = project_files()
    version = json.loads(files[".release-please-manifest.json"])["."]
    repo.commit("chore: init", files)
    repo.tag(f"v{version}")
    repo.commit("feat(image): a smaller image", {"Dockerfile": "FROM scratch\n"})
    config = load_config(repo.path)
    result = plan_release(
        repo.path,
        config,
        target_branch="main",
        now=datetime(2026, 12, 5, tzinfo=UTC),
        repo_url="https://github.com/relkit/relkit",
    )
    (package,) = result.packages
    major, minor, _ = (int(part) for part in version.split("."))
    expected = f"{major}.{minor + 1}.0"  # a feature: the next minor (also before 1.0)
    assert package.tag == f"v{expected}"
    updates = dict(result.file_updates)
    for name in ACTION_FILES:
        assert pinned_versions(updates[name]) == [expected], name
    assert f'__version__ = "{expected}"' in updates["shared/relkit/__init__.py"]
    assert f'version = "{expected}"' in updates["pyproject.toml"]
    assert json.loads(updates[".release-please-manifest.json"]) == {".": expected}
    assert "### Features" in updates["CHANGELOG.md"]
