"""``relkit kyverno test`` reads the wall clock for the time functions (the engine never does)."""

import json
from pathlib import Path

import pytest
from kyverno_validate.kyverno_cli import main

RESOURCES = """\
apiVersion: v1
kind: Pod
metadata:
  name: good
spec:
  containers:
  - name: a
    image: nginx:1.2
"""


CLOCK_POLICY = """\
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: clock
  annotations:
    pod-policies.kyverno.io/autogen-controllers: none
spec:
  rules:
  - name: {rule}
    match:
      any:
      - resources:
          kinds: [Pod]
    validate:
      deny:
        conditions:
          any:
          - key: "{key}"
            operator: {operator}
            value: {value}
"""
CLOCK_TEST = """\
apiVersion: cli.kyverno.io/v1alpha1
kind: Test
metadata:
  name: clock
policies: [policy.yaml]
resources: [resources.yaml]
results:
- policy: clock
  rule: {rule}
  resources: [good]
  result: {result}
"""


@pytest.mark.parametrize(
    ("rule", "key", "operator", "value", "result"),
    [
        pytest.param(
            "since-2000",
            "{{ time_since('', '2000-01-01T00:00:00Z', '') }}",
            "DurationGreaterThan",
            "8760h",
            "fail",
            id="time_since-to-now",
        ),
        pytest.param(
            "now-after-2000",
            "{{ time_after(time_now_utc(), '2000-01-01T00:00:00Z') }}",
            "Equals",
            "true",
            "fail",
            id="time_now_utc",
        ),
        pytest.param(
            "now-before-3000",
            "{{ time_before(time_now(), '3000-01-01T00:00:00Z') }}",
            "Equals",
            "true",
            "fail",
            id="time_now",
        ),
    ],
)
def test_time_functions_see_the_current_time(
    tmp_path: Path, *, rule: str, key: str, operator: str, value: str, result: str
) -> None:
    """``kyverno test`` evaluates with the wall clock (read by the CLI, not by the engine):
    each deny holds only when its time function sees the current time."""
    policy = CLOCK_POLICY.format(rule=rule, key=key, operator=operator, value=value)
    (tmp_path / "policy.yaml").write_text(policy)
    (tmp_path / "resources.yaml").write_text(RESOURCES)
    (tmp_path / "kyverno-test.yaml").write_text(CLOCK_TEST.format(rule=rule, result=result))
    out = tmp_path / "out.json"
    assert main(["test", str(tmp_path), "--json-out", str(out)], {}) == 0
    results = {i["resource"]: i["result"] for i in json.loads(out.read_text())}
    assert results["good"] == result
