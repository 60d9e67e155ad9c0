"""``--kustomize`` findings point at the file and line a resource came from, with real kubectl."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from kyverno_validate import discovery
from relkit import cli

KUBECTL = shutil.which("kubectl")
pytestmark = pytest.mark.skipif(KUBECTL is None, reason="kubectl (with kustomize) is not on PATH")

DEPLOYMENT = """\
# the web tier
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:latest
"""
CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata: {a: b}\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    base = root / "k8s" / "base"
    prod = root / "k8s" / "prod"
    base.mkdir(parents=True)
    prod.mkdir()
    (base / "app.yaml").write_text(CONFIGMAP + "---\n" + DEPLOYMENT)
    (base / "kustomization.yaml").write_text("resources:\n  - app.yaml\n")
    (prod / "service.yaml").write_text(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n"
        "spec:\n  selector: {app: web}\n  ports:\n    - port: 80\n"
    )
    (prod / "kustomization.yaml").write_text(
        "resources:\n  - ../base\n  - service.yaml\nnamePrefix: prod-\n"
        "configMapGenerator:\n  - name: settings\n    literals: [mode=prod]\n"
        "commonLabels:\n  env: prod\n"
    )
    return root


def test_rendered_objects_are_placed_at_their_source_documents(repo: Path) -> None:
    assert KUBECTL is not None
    prod = repo / "k8s" / "prod"
    loaded = discovery.render_kustomization(KUBECTL, prod, "k8s/prod/kustomization.yaml", repo)
    assert loaded.ok
    where = {
        (doc.data["kind"], doc.data["metadata"]["name"].split("-")[1]): (doc.source, doc.line)
        for doc in loaded.documents
    }
    assert where == {
        ("ConfigMap", "web"): ("k8s/base/app.yaml#1", 1),
        ("Deployment", "web"): ("k8s/base/app.yaml#2", 8),
        ("Service", "web"): ("k8s/prod/service.yaml#1", 1),
        ("ConfigMap", "settings"): ("k8s/prod/kustomization.yaml#1", 5),  # its generator entry
    }
    deployment = next(doc for doc in loaded.documents if doc.data["kind"] == "Deployment")
    assert deployment.line_of("spec.template.spec.containers[0].image") == 21
    assert deployment.line_of("metadata.labels.env") == 10  # added by the overlay: nearest field
    for doc in loaded.documents:
        annotations = doc.data["metadata"].get("annotations") or {}
        assert discovery.ORIGIN not in annotations  # never seen by the schema or the policies


def test_the_policy_row_names_the_base_file_and_line(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = tmp_path / "files"
    files.mkdir()
    env = {
        "GITHUB_WORKSPACE": str(repo),
        "GITHUB_OUTPUT": str(files / "output"),
        "GITHUB_STEP_SUMMARY": str(files / "summary"),
        "PATH": os.environ.get("PATH", ""),
    }
    argv = ["kyverno-validate", "--kustomize", "--policies", "block-latest-tag", "k8s/prod"]
    assert cli.main(argv, env) == 1
    out = capsys.readouterr().out
    assert "k8s/base/app.yaml:21" in out
    assert "Deployment/prod-web" in out


def test_a_component_is_rendered_directly(tmp_path: Path) -> None:
    assert KUBECTL is not None
    component = tmp_path / "component"
    component.mkdir()
    (component / "kustomization.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [cm.yaml]\n"
    )
    (component / "cm.yaml").write_text(CONFIGMAP)
    loaded = discovery.render_kustomization(KUBECTL, component, "component", tmp_path)
    # kustomize refuses a Component as a resource, but renders it as a build root
    assert loaded.ok
    assert [(doc.file, doc.line, doc.data["kind"]) for doc in loaded.documents] == [
        ("component", 1, "ConfigMap")
    ]
