"""Walking a repository: includes, ignorePaths, enabledManagers, unreadable files."""

from __future__ import annotations

from pathlib import Path

from dependency_group import scan
from dependency_group.config import DEFAULT, parse_renovate

ALL = ["pip_requirements", "pep621", "dockerfile", "github-actions", "docker-compose"]


def _write(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def test_includes_ignore_paths_and_bad_files(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "requirements.txt": "-r reqs/base.txt\nflask==2.0.0\n",
            "reqs/base.txt": "requests==2.31.0\nsix==1.0 --hash=sha256:ab\n",
            "reqs/unused.txt": "django==4.2.0\n",
            "tests/requirements.txt": "pytest==7.4.0\n",
            "node_modules/x/requirements.txt": "left==1.0\n",
            "bad/pyproject.toml": "[project\n",
            "latin/requirements.txt": b"caf\xe9==1.0\n",
            "Dockerfile": "FROM alpine:3.18\n",
        },
    )
    config = parse_renovate({"extends": ["config:recommended"]}, "renovate.json")
    found = scan.find_dependencies(tmp_path, ALL, config)
    assert sorted((d.file, d.package) for d in found.dependencies) == [
        ("Dockerfile", "alpine"),
        ("reqs/base.txt", "requests"),
        ("requirements.txt", "flask"),
    ]
    reasons = {(s.file, s.package): s.reason for s in found.skipped}
    assert reasons[("bad/pyproject.toml", "")].startswith("invalid TOML")
    assert "--hash" in reasons[("reqs/base.txt", "six")]
    # without config:recommended the tests folder is scanned
    plain = scan.find_dependencies(tmp_path, ["pip_requirements"], DEFAULT)
    assert ("tests/requirements.txt", "pytest") in {(d.file, d.package) for d in plain.dependencies}


def test_enabled_managers_and_the_managers_input(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "requirements.txt": "flask==2.0.0\n",
            "pyproject.toml": '[project]\ndependencies = ["click==8.1.0"]\n',
            "Dockerfile": "FROM alpine:3.18\n",
        },
    )
    config = parse_renovate({"enabledManagers": ["poetry", "dockerfile"]}, "renovate.json")
    found = scan.find_dependencies(tmp_path, ALL, config)
    assert sorted(d.package for d in found.dependencies) == ["alpine", "click"]
    only_docker = scan.find_dependencies(tmp_path, ["dockerfile"], DEFAULT)
    assert [d.package for d in only_docker.dependencies] == ["alpine"]
    poetry = scan.find_dependencies(tmp_path, ["poetry"], DEFAULT)
    assert [(d.manager, d.package) for d in poetry.dependencies] == [("poetry", "click")]


def test_disabled_and_ignored_dependencies_are_reported(tmp_path: Path) -> None:
    _write(tmp_path, {"requirements.txt": "flask==2.0.0\nrequests==2.31.0\n"})
    config = parse_renovate(
        {"ignoreDeps": ["requests"],
         "packageRules": [{"matchPackageNames": ["flask"], "enabled": False}]},
        "renovate.json",
    )  # fmt: skip
    found = scan.find_dependencies(tmp_path, ALL, config)
    updates, skipped = scan.find_updates(found.dependencies, None, config, None)  # type: ignore[arg-type]
    assert updates == []
    assert {(s.package, s.reason) for s in skipped} == {
        ("flask", "disabled by the config"),
        ("requests", "in ignoreDeps"),
    }
