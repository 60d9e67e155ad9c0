"""scripts/container_env.py: where no engine can run, the reason reaches the container tests.

The engine itself is exercised by ``make test`` (which runs the script) and tests/container/;
here the script is run with the engine's pieces missing, as on a machine without Docker.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import container_engine
import pytest

ROOT = Path(__file__).resolve().parents[1]


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "container_env", ROOT / "scripts" / "container_env.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("root", "apt", "reason"),
    [
        pytest.param(False, True, "install them as root", id="not-root"),
        pytest.param(True, False, "install them as root", id="no-apt-get"),
    ],
)
def test_without_docker_the_status_says_why(
    root: bool, apt: bool, reason: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = load_script()
    monkeypatch.setattr(script, "docker_cli", lambda: None)
    monkeypatch.setattr(script, "is_root", lambda: root)
    found = {"apt-get": "/usr/bin/apt-get"} if apt else {}
    monkeypatch.setattr(script.shutil, "which", found.get)
    monkeypatch.setattr(script, "DEBOOTSTRAP", tmp_path / "no-debootstrap")
    status = tmp_path / "status.json"
    assert script.main(["--status", str(status)]) == 0  # never fails make test
    written = json.loads(status.read_text(encoding="utf-8"))
    assert set(written) == {"skip"}
    assert written["skip"].startswith("no container engine: missing docker.io and debootstrap")
    assert reason in written["skip"]


def test_the_container_tests_skip_with_the_written_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    status = tmp_path / "container-env.json"
    status.write_text(json.dumps({"skip": "no container engine: dockerd did not answer"}))
    monkeypatch.setattr(container_engine, "STATUS", status)
    assert container_engine.find_engine() == "no container engine: dockerd did not answer"
    status.unlink()
    assert "make container-env" in str(container_engine.find_engine())


def test_each_checkout_builds_its_own_image_tag() -> None:
    script = load_script()
    assert script.IMAGE_TAG.startswith("relkit:test-")
    assert script.IMAGE_TAG == load_script().IMAGE_TAG  # stable for one checkout
