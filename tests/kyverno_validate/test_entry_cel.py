"""``relkit kyverno-validate`` with CEL policies, on the real engine: a ValidatingPolicy with
``validationActions: [Deny]`` fails the run (also through its Deployment autogen), ``[Audit]``
warns."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from relkit import cli

POLICY = """\
apiVersion: policies.kyverno.io/v1alpha1
kind: ValidatingPolicy
metadata:
  name: no-latest
spec:
  validationActions: [%s]
  matchConstraints:
    resourceRules:
    - apiGroups: ['']
      apiVersions: [v1]
      operations: [CREATE, UPDATE]
      resources: [pods]
  validations:
  - expression: "object.spec.containers.all(c, !c.image.endsWith(':latest'))"
    message: no latest tag
"""
DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:%s
"""


def run(tmp_path: Path, action: str, tag: str) -> tuple[int, str]:
    (tmp_path / "policy.yaml").write_text(POLICY % action)
    (tmp_path / "deploy.yaml").write_text(DEPLOYMENT % tag)
    (tmp_path / "output").touch()
    (tmp_path / "summary").touch()
    env = {
        "GITHUB_WORKSPACE": str(tmp_path),
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"),
        "PATH": os.environ.get("PATH", ""),
    }
    code = cli.main(["kyverno-validate", "--policies", "policy.yaml", "deploy.yaml"], env)
    return code, (tmp_path / "output").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("action", "tag", "code", "counter"),
    [
        pytest.param("Deny", "latest", 1, "failed<<", id="deny-fails"),
        pytest.param("Audit", "latest", 0, "warned<<", id="audit-warns"),
        pytest.param("Deny", "1.27", 0, "passed<<", id="passes"),
    ],
)
def test_validating_policy_in_the_action(
    tmp_path: Path, action: str, tag: str, code: int, counter: str
) -> None:
    exit_code, outputs = run(tmp_path, action, tag)
    assert exit_code == code
    lines = outputs.split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(counter))
    assert lines[index + 1] == "1"
