from __future__ import annotations

from typing import Any

import pytest
from kyverno_validate import pipeline, yamlio
from kyverno_validate.schema import SchemaValidator
from relkit.errors import ConfigError

FakeEngine = Any


def files(**texts: str) -> list[yamlio.LoadedFile]:
    return [yamlio.parse_text(text, f"{name}.yaml") for name, text in texts.items()]


def policies(engine: FakeEngine, *texts: tuple[str, str]) -> list[object]:
    return pipeline.load_policy_texts(
        [pipeline.PolicyText(label, text.encode()) for label, text in texts], engine
    )


@pytest.fixture(scope="module")
def validator() -> SchemaValidator:
    return SchemaValidator(strict=True)


def test_each_stage_reports_and_failed_files_are_left_out(
    make_deployment: Any, make_policy: Any, fake_engine: FakeEngine, validator: SchemaValidator
) -> None:
    loaded = files(
        good=make_deployment("good", "nginx:1.27"),
        latest=make_deployment("latest", "nginx:latest"),
        syntax="a: [1\n" + make_deployment("hidden", "nginx:latest"),
        schema=make_deployment("typo", "nginx:latest", extra="  replicaz: 2\n")
        + "---\n"
        + make_deployment("sibling", "nginx:latest"),
    )
    loaded_policies = policies(fake_engine, ("p.yaml", make_policy("block")))
    report = pipeline.run_pipeline(loaded, loaded_policies, fake_engine, validator)
    rows = [(f.stage, f.result, f.file, f.line, f.resource, f.check) for f in report.findings]
    assert rows == [
        ("yaml", "fail", "syntax.yaml", 2, "", "YAML syntax"),
        ("schema", "fail", "schema.yaml", 16, "Deployment/apps/typo", "Kubernetes schema"),
        ("policy", "pass", "good.yaml", 1, "Deployment/apps/good", "block/no-latest"),
        ("policy", "fail", "latest.yaml", 15, "Deployment/apps/latest", "block/no-latest"),
    ]
    # the schema-failing file's valid sibling document is not evaluated either
    assert fake_engine.evaluated == ["good", "latest"]
    assert report.counts() == {"pass": 1, "fail": 3, "warn": 0, "skip": 0, "error": 0}
    assert (report.files, report.resources, report.policies) == (4, 4, 1)
    assert report.exit_code() == 1


@pytest.mark.parametrize(
    ("action", "fail_on", "result", "exit_code"),
    [
        pytest.param("Enforce", "enforce", "fail", 1, id="enforce-fails"),
        pytest.param("Audit", "enforce", "warn", 0, id="audit-warns"),
        pytest.param("Audit", "audit", "fail", 1, id="audit-fails-on-audit"),
    ],
)
def test_fail_on(  # noqa: PLR0917
    make_deployment: Any,
    make_policy: Any,
    fake_engine: FakeEngine,
    validator: SchemaValidator,
    action: str,
    fail_on: pipeline.FailOn,
    result: str,
    exit_code: int,
) -> None:
    loaded_policies = policies(fake_engine, ("p.yaml", make_policy("block", action)))
    report = pipeline.run_pipeline(
        files(a=make_deployment("a", "x:latest")),
        loaded_policies,
        fake_engine,
        validator,
        fail_on=fail_on,
    )
    assert [f.result for f in report.findings] == [result]
    assert report.exit_code() == exit_code


def test_clean_run_exits_zero_and_skips_custom_resources_with_a_notice(
    make_deployment: Any, fake_engine: FakeEngine, validator: SchemaValidator
) -> None:
    widget = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n"
    report = pipeline.run_pipeline(
        files(a=make_deployment("a", "x:1"), w=widget), [], fake_engine, validator
    )
    assert [(f.stage, f.result, f.resource) for f in report.findings] == [
        ("schema", "skip", "Widget/w")
    ]
    assert len(report.notices) == 1
    assert report.exit_code() == 0
    assert fake_engine.evaluated == []  # no policies: stage 3 does not run


def test_non_mapping_documents_fail_stage_one(validator: SchemaValidator) -> None:
    report = pipeline.run_pipeline(files(a="- just\n- a list\n"), [], None, validator)
    assert [(f.stage, f.message) for f in report.findings] == [
        ("yaml", "document is not a mapping (object)")
    ]


@pytest.mark.parametrize(
    ("obj", "label"),
    [
        pytest.param({"kind": "Pod", "metadata": {"name": "p"}}, "Pod/p", id="cluster"),
        pytest.param(
            {"kind": "Pod", "metadata": {"name": "p", "namespace": "n"}}, "Pod/n/p", id="ns"
        ),
        pytest.param({"kind": "Job", "metadata": {"generateName": "j-"}}, "Job/j-", id="gen"),
        pytest.param({"metadata": "oops"}, "?/?", id="broken"),
    ],
)
def test_resource_label(obj: dict[str, object], label: str) -> None:
    assert pipeline.resource_label(obj) == label


def test_policy_file_with_syntax_error_is_a_config_error(fake_engine: FakeEngine) -> None:
    with pytest.raises(ConfigError, match=r"invalid policy file p\.yaml:1:5: YAML syntax error"):
        policies(fake_engine, ("p.yaml", "a: b: c\n"))


def test_malformed_policy_error_from_the_engine_propagates(fake_engine: FakeEngine) -> None:
    with pytest.raises(ConfigError, match=r"p\.yaml#1: spec: is required"):
        policies(fake_engine, ("p.yaml", "kind: ClusterPolicy\nmetadata: {name: x}\n"))


def test_policy_paths_without_policies_are_a_config_error(fake_engine: FakeEngine) -> None:
    with pytest.raises(ConfigError, match=r"no Kyverno ClusterPolicy or Policy found in p\.yaml"):
        policies(fake_engine, ("p.yaml", "kind: ConfigMap\n"))


def test_ecr_registry_setting_rewrites_only_the_builtin(fake_engine: FakeEngine) -> None:
    text = "kind: ClusterPolicy\nmetadata: {name: r}\nspec: {x: '*.dkr.ecr.*.amazonaws.com/*'}\n"
    seen: list[object] = []
    original = fake_engine.load_policies

    def spy(documents):  # type: ignore[no-untyped-def]
        documents = list(documents)
        seen.extend(doc["spec"]["x"] for _, doc in documents)
        return original(documents)

    fake_engine.load_policies = spy  # type: ignore[method-assign]
    pipeline.load_policy_texts(
        [
            pipeline.PolicyText("builtin:require-ecr-images", text.encode(), "require-ecr-images"),
            pipeline.PolicyText("mine.yaml", text.encode()),
        ],
        fake_engine,
        ecr_registry="1234.dkr.ecr.eu-west-1.amazonaws.com",
    )
    assert seen == ["1234.dkr.ecr.eu-west-1.amazonaws.com/*", "*.dkr.ecr.*.amazonaws.com/*"]


def test_list_items_are_validated_and_evaluated_one_by_one(
    make_deployment: Any, make_policy: Any, fake_engine: FakeEngine, validator: SchemaValidator
) -> None:
    body = "".join(
        "  - " + make_deployment(name, "x:latest").replace("\n", "\n    ").rstrip() + "\n"
        for name in ("one", "two")
    )
    text = f"apiVersion: v1\nkind: List\nitems:\n{body}"
    loaded_policies = policies(fake_engine, ("p.yaml", make_policy("block")))
    report = pipeline.run_pipeline(files(items=text), loaded_policies, fake_engine, validator)
    assert [(f.resource, f.line) for f in report.findings] == [
        ("Deployment/apps/one", 18),
        ("Deployment/apps/two", 33),
    ]
    assert report.resources == 2


def test_resources_no_rule_matches_give_no_rows(
    make_policy: Any, fake_engine: FakeEngine, validator: SchemaValidator
) -> None:
    service = "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 80}]}\n"
    loaded_policies = policies(fake_engine, ("p.yaml", make_policy("block")))
    report = pipeline.run_pipeline(files(s=service), loaded_policies, fake_engine, validator)
    assert report.findings == ()
    assert fake_engine.evaluated == ["s"]
    assert report.exit_code() == 0
