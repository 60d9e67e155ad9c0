"""A tiny stand-in for the Kyverno engine with the engine's public API shape.

The pipeline's own logic (stage order, exclusion, fail-on, rows) is tested against it; the
contract tests run the real ``kyverno_validate.engine``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from relkit.errors import ConfigError


@dataclass(frozen=True, slots=True)
class FakePolicy:
    name: str
    action: str  # "Audit" | "Enforce"


@dataclass(frozen=True, slots=True)
class FakeRuleResult:
    policy: str
    rule: str
    kind: str
    name: str
    namespace: str
    result: str
    message: str
    action: str
    field_path: str | None = None


@dataclass(frozen=True, slots=True)
class FakeEvaluationContext:
    now: Any = None


class FakeEngine:
    """Policies are ``{kind: ClusterPolicy, metadata.name, spec.validationFailureAction}``;
    the one rule ``no-latest`` fails any Deployment whose first image ends in ``:latest``."""

    EvaluationContext = FakeEvaluationContext

    def __init__(self) -> None:
        self.evaluated: list[str] = []
        self.loaded: list[str] = []

    def load_policies(self, documents: Iterable[tuple[str, Mapping[str, Any]]]) -> list[Any]:
        policies = []
        for source, doc in documents:
            self.loaded.append(source)
            if doc.get("kind") not in ("ClusterPolicy", "Policy"):
                continue
            if "spec" not in doc:
                raise ConfigError(f"{source}: spec: is required")
            action = doc["spec"].get("validationFailureAction", "Audit")
            policies.append(FakePolicy(doc["metadata"]["name"], action))
        return policies

    def evaluate(
        self, policies: Sequence[Any], resource: Mapping[str, Any], context: Any = None
    ) -> list[Any]:
        self.evaluated.append(resource["metadata"]["name"])
        if resource.get("kind") != "Deployment":
            return []
        image = resource["spec"]["template"]["spec"]["containers"][0]["image"]
        bad = image.endswith(":latest")
        return [
            FakeRuleResult(
                policy.name,
                "no-latest",
                "Deployment",
                resource["metadata"]["name"],
                resource["metadata"].get("namespace", ""),
                "fail" if bad else "pass",
                "latest is not allowed" if bad else "",
                policy.action,
                "spec.template.spec.containers[0].image" if bad else None,
            )
            for policy in policies
        ]


@pytest.fixture
def fake_engine() -> FakeEngine:
    return FakeEngine()


def deployment_yaml(name: str, image: str, *, namespace: str = "apps", extra: str = "") -> str:
    return f"""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {namespace}
spec:
  selector:
    matchLabels: {{app: {name}}}
  template:
    metadata:
      labels: {{app: {name}}}
    spec:
      containers:
        - name: app
          image: {image}
{extra}"""


def policy_yaml(name: str, action: str = "Enforce") -> str:
    return f"""\
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: {name}
spec:
  validationFailureAction: {action}
  rules: []
"""


@pytest.fixture
def make_deployment() -> Any:
    return deployment_yaml


@pytest.fixture
def make_policy() -> Any:
    return policy_yaml
