"""``relkit kyverno test`` on a suite of CEL policies written to disk, as Kyverno's CLI runs it:
ValidatingPolicy with autogen, image.GetMetadata from the Context file, resource.Get, a CEL
PolicyException and a ValidatingAdmissionPolicy with a binding and params."""

import json
from pathlib import Path

import pytest
from kyverno_validate.kyverno_cli import main
from relkit.errors import CheckFailed

POLICIES = """\
apiVersion: policies.kyverno.io/v1alpha1
kind: ValidatingPolicy
metadata:
  name: base-images
spec:
  validationActions: [Audit]
  matchConstraints:
    resourceRules:
    - apiGroups: ['']
      apiVersions: [v1]
      operations: [CREATE, UPDATE]
      resources: [pods]
  variables:
  - name: allowed
    expression: resource.Get('v1', 'configmaps', 'platform', 'base').data.images.split(',')
  validations:
  - expression: >-
      object.spec.containers.all(c,
        image.GetMetadata(c.image).manifest.?annotations[?'base'].orValue('') in variables.allowed)
    messageExpression: "'base image not allowed in ' + object.metadata.name"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: max-replicas
spec:
  paramKind: {apiVersion: v1, kind: ConfigMap}
  matchConstraints:
    resourceRules:
    - apiGroups: [apps]
      apiVersions: [v1]
      operations: [CREATE]
      resources: [deployments]
  validations:
  - expression: object.spec.replicas <= int(params.data.max)
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: max-replicas
spec:
  policyName: max-replicas
  validationActions: [Deny]
  paramRef: {name: limits, namespace: default}
"""
RESOURCES = """\
apiVersion: v1
kind: Pod
metadata: {name: good}
spec:
  containers: [{name: a, image: ghcr.io/acme/good:1}]
---
apiVersion: v1
kind: Pod
metadata: {name: bad}
spec:
  containers: [{name: a, image: ghcr.io/acme/bad:1}]
---
apiVersion: v1
kind: Pod
metadata: {name: excepted}
spec:
  containers: [{name: a, image: ghcr.io/acme/bad:1}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: big}
spec:
  replicas: 9
  template:
    spec:
      containers: [{name: a, image: ghcr.io/acme/bad:1}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: limits, namespace: default}
data: {max: "3"}
"""
CONTEXT = """\
apiVersion: cli.kyverno.io/v1alpha1
kind: Context
metadata: {name: context}
spec:
  resources:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: base, namespace: platform}
    data: {images: distroless}
  images:
  - image: ghcr.io/acme/good:1
    manifest: {annotations: {base: distroless}}
  - image: ghcr.io/acme/bad:1
    manifest: {annotations: {base: ubuntu}}
"""
EXCEPTION = """\
apiVersion: policies.kyverno.io/v1alpha1
kind: PolicyException
metadata: {name: allow-excepted}
spec:
  policyRefs: [{name: base-images, kind: ValidatingPolicy}]
  matchConditions:
  - name: name
    expression: object.metadata.name == 'excepted'
"""
TEST = """\
apiVersion: cli.kyverno.io/v1alpha1
kind: Test
metadata: {name: cel-suite}
policies: [policies.yaml]
resources: [resources.yaml]
context: context.yaml
exceptions: [exception.yaml]
results:
- {isValidatingPolicy: true, policy: base-images, kind: Pod, resources: [good], result: pass}
- {isValidatingPolicy: true, policy: base-images, kind: Pod, resources: [bad], result: %s}
- {isValidatingPolicy: true, policy: base-images, kind: Pod, resources: [excepted], result: skip}
- {isValidatingPolicy: true, policy: base-images, kind: Deployment, resources: [big], result: fail}
- {isValidatingAdmissionPolicy: true, policy: max-replicas, kind: Deployment, resources: [big],
   result: fail}
"""


def write_suite(folder: Path, bad_result: str) -> None:
    files = {
        "policies.yaml": POLICIES,
        "resources.yaml": RESOURCES,
        "context.yaml": CONTEXT,
        "exception.yaml": EXCEPTION,
        "kyverno-test.yaml": TEST % bad_result,
    }
    for name, text in files.items():
        (folder / name).write_text(text)


def test_cel_suite_passes(tmp_path: Path) -> None:
    write_suite(tmp_path, "fail")
    out = tmp_path / "out.json"
    assert main(["test", str(tmp_path), "--json-out", str(out)], {}) == 0
    items = {
        (i["policy"], i["rule"], i["resource"]): i["result"] for i in json.loads(out.read_text())
    }
    assert items[("base-images", "", "bad")] == "fail"
    assert items[("base-images", "autogen-defaults-base-images", "big")] == "fail"
    assert items[("max-replicas", "max-replicas", "big")] == "fail"  # rule: the policy name


def test_cel_suite_with_a_wrong_expectation_fails(tmp_path: Path) -> None:
    write_suite(tmp_path, "pass")
    with pytest.raises(CheckFailed):
        main(["test", str(tmp_path)], {})
