"""kubernetes-validate's schema folders packed into one xz file each, as the image ships them.

scripts/pack_schemas.py packs real folders of the installed package (copied into tmp_path), and
kyverno_validate.schema must give the same results from the packed files as from the folders.
"""

from __future__ import annotations

import csv
import importlib.util
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from kyverno_validate import schema

ROOT = Path(__file__).resolve().parents[2]
VERSIONS = ("v1.30.0-local", "v1.30.0-local-strict")


def load_packer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pack_schemas", ROOT / "scripts/pack_schemas.py")
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def packed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    installed = Path(str(schema._schema_root()))
    root = tmp_path_factory.mktemp("packed") / "kubernetes-json-schema"
    root.mkdir()
    for name in VERSIONS:
        shutil.copytree(installed / name, root / name)
    load_packer().pack_all(root, preset=0)
    return root


@pytest.fixture
def packed_root(packed: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    root = packed
    for cached in (schema._read_schema, schema._packed, schema._registry, schema._bundled_kinds):
        cached.cache_clear()
    monkeypatch.setattr(schema, "_schema_root", lambda: root)
    yield root
    for cached in (schema._read_schema, schema._packed, schema._registry, schema._bundled_kinds):
        cached.cache_clear()


def deployment(replicas: Any, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "replicas": replicas,
        "selector": {"matchLabels": {"app": "web"}},
        "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]},
        },
        **(extra or {}),
    }
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "w"}, "spec": spec}


def test_folders_become_one_small_file_each(packed_root: Path) -> None:
    names = sorted(path.name for path in packed_root.iterdir())
    assert names == sorted(f"{name}.json.xz" for name in VERSIONS)
    assert all((packed_root / name).stat().st_size < 1_000_000 for name in names)


def test_packed_schemas_validate_like_the_folders(packed_root: Path) -> None:
    assert schema.bundled_versions() == ["1.30"]
    plain = schema.SchemaValidator("1.30")
    assert plain.validate(deployment(2)).status == "valid"
    bad = plain.validate(deployment("two"))
    assert bad.status == "invalid"
    assert bad.issues[0].path == "spec.replicas"
    strict = schema.SchemaValidator("1.30", strict=True)
    unknown = strict.validate(deployment(2, {"replica": 2}))
    assert [issue.message for issue in unknown.issues] == ["unknown field 'replica'"]
    wrong_api = plain.validate({"apiVersion": "v1", "kind": "Deployment", "metadata": {}})
    assert "apps/v1" in wrong_api.issues[0].message


def test_record_lists_the_packed_files(tmp_path: Path) -> None:
    package = tmp_path / "site" / "kubernetes_validate"
    folder = package / "kubernetes-json-schema" / "v1.30.0-local"
    folder.mkdir(parents=True)
    (folder / "all.json").write_text('{"oneOf": []}', encoding="utf-8")
    record = tmp_path / "site" / "kubernetes_validate-1.dist-info" / "RECORD"
    record.parent.mkdir()
    record.write_text(
        "kubernetes_validate/__init__.py,sha256=x,1\n"
        "kubernetes_validate/kubernetes-json-schema/v1.30.0-local/all.json,sha256=y,13\n",
        encoding="utf-8",
    )
    packer = load_packer()
    packed = packer.pack_all(package / "kubernetes-json-schema", preset=0)
    packer.rewrite_record(record, tmp_path / "site", package / "kubernetes-json-schema", packed)
    rows = list(csv.reader(record.read_text(encoding="utf-8").splitlines()))
    assert [row[0] for row in rows] == [
        "kubernetes_validate/__init__.py",
        "kubernetes_validate/kubernetes-json-schema/v1.30.0-local.json.xz",
    ]
    assert rows[1][1].startswith("sha256=")
    assert rows[1][2] == str(packed[0].stat().st_size)
