import json
import os
from pathlib import Path

import pytest
from kyverno_validate.kyverno_cli import find_test_files, main
from relkit.errors import CheckFailed, ConfigError

POLICY = """\
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: disallow-latest-tag
spec:
  validationFailureAction: Audit
  rules:
  - name: require-image-tag
    match:
      any:
      - resources:
          kinds: [Pod]
    validate:
      message: "An image tag is required."
      pattern:
        spec:
          containers:
          - image: "*:*"
  - name: validate-image-tag
    match:
      any:
      - resources:
          kinds: [Pod]
    validate:
      message: "Using a mutable image tag e.g. 'latest' is not allowed."
      pattern:
        spec:
          containers:
          - image: "!*:latest"
"""
RESOURCES = """\
apiVersion: v1
kind: Pod
metadata:
  name: good
  creationTimestamp: 2024-01-01T00:00:00Z
spec:
  containers:
  - name: a
    image: nginx:1.2
---
apiVersion: v1
kind: Pod
metadata:
  name: bad
  namespace: prod
spec:
  containers:
  - name: a
    image: nginx:latest
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: deploy
spec:
  template:
    spec:
      containers:
      - name: a
        image: nginx
"""
TEST = """\
apiVersion: cli.kyverno.io/v1alpha1
kind: Test
metadata:
  name: latest
policies:
- ../policy.yaml
resources:
- ../resources.yaml
results:
- policy: disallow-latest-tag
  rule: validate-image-tag
  kind: Pod
  resources: [good]
  result: {good}
- policy: disallow-latest-tag
  rule: validate-image-tag
  kind: Pod
  resources: [prod/bad]
  result: fail
- policy: disallow-latest-tag
  rule: require-image-tag
  kind: Deployment
  resources: [default/deploy]
  result: fail
- policy: disallow-latest-tag
  rule: autogen-cronjob-require-image-tag
  kind: CronJob
  resources: [absent]
  result: skip
"""


def write_suite(root: Path, good: str = "pass") -> Path:
    (root / ".kyverno-test").mkdir(parents=True)
    (root / "policy.yaml").write_text(POLICY)
    (root / "resources.yaml").write_text(RESOURCES)
    (root / ".kyverno-test" / "kyverno-test.yaml").write_text(TEST.replace("{good}", good))
    return root


def test_passing_suite_writes_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    suite = write_suite(tmp_path / "suite")
    out = tmp_path / "out.json"
    assert main(["test", str(tmp_path), "--json-out", str(out), "--detailed-results"], {}) == 0
    items = json.loads(out.read_text())
    by_key = {(i["resource"], i["rule"]): i for i in items}
    assert by_key[("bad", "validate-image-tag")]["result"] == "fail"
    assert by_key[("bad", "validate-image-tag")]["namespace"] == "prod"
    assert by_key[("deploy", "autogen-require-image-tag")] == {
        "test": "latest",
        "policy": "disallow-latest-tag",
        "rule": "autogen-require-image-tag",
        "resource": "deploy",
        "namespace": "default",
        "kind": "Deployment",
        "result": "fail",
    }
    printed = capsys.readouterr().out
    assert "Test Summary: 4 tests passed and 0 tests failed" in printed
    assert "REASON" in printed
    assert suite.exists()


def test_mismatch_exits_non_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_suite(tmp_path, good="fail")
    with pytest.raises(CheckFailed):
        main(["test", str(tmp_path), "--fail-only", "--detailed-results"], {})
    printed = capsys.readouterr().out
    assert "Want fail, got pass" in printed
    assert "│ 2 " not in printed


def test_missing_policy_file_fails(tmp_path: Path) -> None:
    write_suite(tmp_path)
    (tmp_path / "policy.yaml").unlink()
    with pytest.raises(CheckFailed):
        main(["test", str(tmp_path)], {})


def test_malformed_policy_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_suite(tmp_path)
    (tmp_path / "policy.yaml").write_text(POLICY.replace("rules:", "rulez:"))
    with pytest.raises(CheckFailed):
        main(["test", str(tmp_path)], {})
    assert "spec.rules" in capsys.readouterr().out


def test_invalid_yaml_fails(tmp_path: Path) -> None:
    write_suite(tmp_path)
    (tmp_path / "resources.yaml").write_text("a: [\n")
    with pytest.raises(CheckFailed):
        main(["test", str(tmp_path)], {})


def test_no_suites_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no kyverno-test\.yaml"):
        main(["test", str(tmp_path)], {})
    with pytest.raises(ConfigError, match="does not exist"):
        main(["test", str(tmp_path / "nope")], {})


def test_unwritable_json_out_is_a_usage_error(tmp_path: Path) -> None:
    write_suite(tmp_path)
    with pytest.raises(ConfigError, match="cannot write --json-out"):
        main(["test", str(tmp_path), "--json-out", str(tmp_path / "missing" / "out.json")], {})


def test_finds_hidden_and_nested_files(tmp_path: Path) -> None:
    write_suite(tmp_path / "a")
    write_suite(tmp_path / "b" / "c")
    found = find_test_files(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a/.kyverno-test/kyverno-test.yaml",
        "b/c/.kyverno-test/kyverno-test.yaml",
    ]
    assert find_test_files(found[0]) == [found[0]]


def test_values_userinfo_and_legacy_format(tmp_path: Path) -> None:
    (tmp_path / "policy.yaml").write_text(
        """\
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: ops
spec:
  rules:
  - name: deny-updates
    match:
      any:
      - resources:
          kinds: [ConfigMap]
          namespaceSelector:
            matchLabels: {env: prod}
    exclude:
      any:
      - clusterRoles: [cluster-admin]
    preconditions:
      all:
      - key: "{{ request.operation }}"
        operator: Equals
        value: UPDATE
    validate:
      message: "no updates by {{ request.userInfo.username }}"
      deny: {}
"""
    )
    (tmp_path / "resources.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, namespace: prod}\n"
    )
    (tmp_path / "values.yaml").write_text(
        """\
apiVersion: cli.kyverno.io/v1alpha1
kind: Values
namespaceSelector:
- name: prod
  labels: {env: prod}
policies:
- name: ops
  resources:
  - name: cm
    values:
      request.operation: UPDATE
"""
    )
    (tmp_path / "user.yaml").write_text(
        "apiVersion: cli.kyverno.io/v1alpha1\nkind: UserInfo\nuserInfo: {username: bob}\n"
    )
    (tmp_path / "kyverno-test.yaml").write_text(
        """\
name: legacy
policies: [policy.yaml]
resources: [resources.yaml]
variables: values.yaml
userinfo: user.yaml
results:
- policy: ops
  rule: deny-updates
  resource: cm
  namespace: prod
  kind: ConfigMap
  status: fail
"""
    )
    assert main(["test", str(tmp_path)], {}) == 0


def test_exceptions_context_and_lists(tmp_path: Path) -> None:
    (tmp_path / "policy.yaml").write_text(
        """\
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: limits
spec:
  rules:
  - name: max-replicas
    match:
      any:
      - resources:
          kinds: [Deployment]
    context:
    - name: cfg
      configMap: {name: limits, namespace: default}
    validate:
      message: too many replicas
      deny:
        conditions:
          any:
          - key: "{{ request.object.spec.replicas }}"
            operator: GreaterThan
            value: "{{ cfg.data.max }}"
"""
    )
    (tmp_path / "resources.yaml").write_text(
        """\
apiVersion: v1
kind: List
items:
- {apiVersion: apps/v1, kind: Deployment, metadata: {name: big}, spec: {replicas: 5}}
- {apiVersion: apps/v1, kind: Deployment, metadata: {name: small}, spec: {replicas: 1}}
- {apiVersion: apps/v1, kind: Deployment, metadata: {name: exempt}, spec: {replicas: 9}}
"""
    )
    (tmp_path / "context.yaml").write_text(
        """\
apiVersion: cli.kyverno.io/v1alpha1
kind: Context
spec:
  resources:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: limits, namespace: default}
    data: {max: "3"}
"""
    )
    (tmp_path / "exception.yaml").write_text(
        """\
apiVersion: kyverno.io/v2
kind: PolicyException
metadata: {name: exempt}
spec:
  exceptions:
  - {policyName: limits, ruleNames: [max-replicas]}
  match:
    any:
    - resources: {kinds: [Deployment], names: [exempt]}
"""
    )
    (tmp_path / "kyverno-test.yaml").write_text(
        """\
apiVersion: cli.kyverno.io/v1alpha1
kind: Test
metadata: {name: limits}
policies: [policy.yaml]
resources: [resources.yaml]
context: context.yaml
exceptions: [exception.yaml]
results:
- {policy: limits, rule: max-replicas, resources: [big], kind: Deployment, result: fail}
- {policy: limits, rule: max-replicas, resources: [small], kind: Deployment, result: pass}
- {policy: limits, rule: max-replicas, resources: [exempt], kind: Deployment, result: skip}
"""
    )
    assert main(["test", str(tmp_path)], {}) == 0


SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
CORPUS = Path(os.environ.get("RELKIT_SHARED_DIR", SHARED)) / "conformance" / "kyverno" / "public"
SUITES = [
    "policies__best-practices__disallow-latest-tag",
    "policies__other__ensure-readonly-hostpath",
    "policies__other__restrict-ingress-host",
    "policies__pod-security__subrule__restricted__restricted-exclude-seccomp",
    "policies__other__require-qos-burstable",
    "policies__other__allowed-pod-priorities",
]


@pytest.mark.parametrize("suite", SUITES)
def test_corpus_suites(suite: str, tmp_path: Path) -> None:
    folder = CORPUS / "suites" / suite
    if not folder.is_dir():
        pytest.skip("the shared conformance corpus is not available")
    out = tmp_path / "out.json"
    assert main(["test", str(folder), "--json-out", str(out)], {}) == 0
    assert json.loads(out.read_text())


def test_policy_folder_namespaces_and_cluster_resources(tmp_path: Path) -> None:
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "p.yaml").write_text(
        """\
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: ns-label}
spec:
  rules:
  - name: only-prod
    match:
      any:
      - resources:
          kinds: [ConfigMap]
          namespaceSelector: {matchLabels: {env: prod}}
    validate: {message: m, deny: {}}
"""
    )
    (tmp_path / "resources.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: prod}\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: dev}\n"
    )
    (tmp_path / "values.yaml").write_text(
        "apiVersion: cli.kyverno.io/v1alpha1\nkind: Values\nnamespaces:\n"
        "- {apiVersion: v1, kind: Namespace, metadata: {name: prod, labels: {env: prod}}}\n"
    )
    (tmp_path / "cluster.yaml").write_text(
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: dev, labels: {env: dev}}\n"
    )
    (tmp_path / "kyverno-test.yaml").write_text(
        """\
apiVersion: cli.kyverno.io/v1alpha1
kind: Test
metadata: {name: ns}
policies: [policies]
resources: [resources.yaml]
variables: values.yaml
clusterResources: [cluster.yaml]
results:
- {policy: ns-label, rule: only-prod, resources: [prod/a], kind: ConfigMap, result: fail}
- {policy: ns-label, rule: only-prod, resources: [b], kind: ConfigMap, result: skip}
- not-a-mapping
"""
    )
    assert main(["test", str(tmp_path)], {}) == 0


def test_non_utf8_file_fails_the_suite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_suite(tmp_path)
    (tmp_path / "resources.yaml").write_bytes(b"kind: \x80\x81\n")
    with pytest.raises(CheckFailed):
        main(["test", str(tmp_path)], {})
    assert "not UTF-8" in capsys.readouterr().out


def test_broken_test_file_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "kyverno-test.yaml").write_text("a: [\n")
    with pytest.raises(CheckFailed):
        main(["test", str(tmp_path)], {})
    assert "kyverno-test.yaml:2" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("values", "userinfo"),
    [
        pytest.param("policies: x\n", "userInfo: {username: a}\n", id="values-policies"),
        pytest.param("globalValues: [1]\n", "userInfo: {username: a}\n", id="global-values"),
        pytest.param("policies: []\n", "userInfo: {groups: a}\n", id="userinfo-groups"),
    ],
)
def test_malformed_values_and_userinfo_fail_the_test(
    tmp_path: Path, values: str, userinfo: str, capsys: pytest.CaptureFixture[str]
) -> None:
    write_suite(tmp_path)
    (tmp_path / "values.yaml").write_text(values)
    (tmp_path / "user.yaml").write_text(userinfo)
    test_file = tmp_path / ".kyverno-test" / "kyverno-test.yaml"
    test_file.write_text(
        test_file.read_text().replace("{good}", "pass")
        + "variables: ../values.yaml\nuserinfo: ../user.yaml\n"
    )
    with pytest.raises(CheckFailed):
        main(["test", str(tmp_path)], {})
    assert "kyverno test inputs" in capsys.readouterr().out


def test_other_documents_of_a_test_file_are_ignored(tmp_path: Path) -> None:
    suite = write_suite(tmp_path / "suite")
    test_file = suite / ".kyverno-test" / "kyverno-test.yaml"
    values = "apiVersion: cli.kyverno.io/v1alpha1\nkind: Values\nglobalValues: {}\n"
    test_file.write_text(values + "---\n" + test_file.read_text() + "---\n")
    out = tmp_path / "out.json"
    assert main(["test", str(suite), "--json-out", str(out)], {}) == 0
    assert {item["test"] for item in json.loads(out.read_text())} == {"latest"}
