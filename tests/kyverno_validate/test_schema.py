from __future__ import annotations

from typing import Any

import pytest
from kyverno_validate import schema
from relkit.errors import ConfigError


def deployment(**spec: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "selector": {"matchLabels": {"app": "web"}},
        "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]},
        },
    }
    base.update(spec)
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web"},
        "spec": base,
    }


CRD: dict[str, Any] = {
    "apiVersion": "apiextensions.k8s.io/v1",
    "kind": "CustomResourceDefinition",
    "metadata": {"name": "widgets.example.com"},
    "spec": {
        "group": "example.com",
        "names": {"kind": "Widget", "plural": "widgets"},
        "scope": "Namespaced",
        "versions": [
            {
                "name": "v1",
                "served": True,
                "storage": True,
                "schema": {
                    "openAPIV3Schema": {
                        "type": "object",
                        "properties": {
                            "spec": {
                                "type": "object",
                                "required": ["size"],
                                "properties": {
                                    "size": {"type": "integer", "minimum": 1},
                                    "port": {"x-kubernetes-int-or-string": True},
                                    "note": {"type": "string", "nullable": True},
                                    "extra": {
                                        "type": "object",
                                        "x-kubernetes-preserve-unknown-fields": True,
                                    },
                                },
                            }
                        },
                    }
                },
            }
        ],
    },
}


def test_bundled_versions_cover_1_25_to_1_37() -> None:
    versions = schema.bundled_versions()
    assert versions[0] == "1.25"
    assert "1.37" in versions
    assert versions == sorted(versions, key=lambda v: tuple(map(int, v.split("."))))


@pytest.mark.parametrize(
    ("requested", "expected"),
    [
        pytest.param("1.30", "1.30", id="minor"),
        pytest.param("v1.29", "1.29", id="v-prefix"),
        pytest.param("1.28.4", "1.28", id="patch"),
    ],
)
def test_resolve_version(requested: str, expected: str) -> None:
    assert schema.resolve_version(requested) == expected


def test_resolve_version_defaults_to_newest() -> None:
    assert schema.resolve_version("") == schema.bundled_versions()[-1]


@pytest.mark.parametrize("requested", ["1.12", "latest", "2.0"])
def test_resolve_version_rejects_unbundled(requested: str) -> None:
    with pytest.raises(ConfigError, match=r"input 'kubernetes-version' must be one of"):
        schema.resolve_version(requested)


def test_valid_deployment_passes() -> None:
    result = schema.SchemaValidator(strict=True).validate(deployment(replicas=2))
    assert result == schema.SchemaResult("valid")


def test_type_errors_name_the_field_path() -> None:
    obj = deployment(replicas="three")
    obj["spec"]["template"]["spec"]["containers"][0]["ports"] = [{"containerPort": "80"}]
    result = schema.SchemaValidator().validate(obj)
    assert result.status == "invalid"
    assert [issue.path for issue in result.issues] == [
        "spec.replicas",
        "spec.template.spec.containers[0].ports[0].containerPort",
    ]
    assert "'three' is not of type 'integer'" in result.issues[0].message


def test_unknown_fields_fail_only_in_strict_mode() -> None:
    obj = deployment(replicaz=3)
    assert schema.SchemaValidator(strict=False).validate(obj).status == "valid"
    strict = schema.SchemaValidator(strict=True).validate(obj)
    assert strict.status == "invalid"
    assert strict.issues == (schema.SchemaIssue("spec.replicaz", "unknown field 'replicaz'"),)


def test_missing_required_field() -> None:
    obj = deployment()
    del obj["spec"]["selector"]
    result = schema.SchemaValidator().validate(obj)
    assert result.issues == (schema.SchemaIssue("spec", "'selector' is a required property"),)


@pytest.mark.parametrize(
    ("obj", "path", "fragment"),
    [
        pytest.param({"kind": "Pod"}, "apiVersion", "'apiVersion' is required", id="no-api"),
        pytest.param({"apiVersion": "v1"}, "kind", "'kind' is required", id="no-kind"),
        pytest.param(
            {"apiVersion": "extensions/v1beta1", "kind": "Deployment"},
            "apiVersion",
            "has no Deployment in 'extensions/v1beta1'; use one of: apps/v1",
            id="removed-api",
        ),
    ],
)
def test_unusable_identity_is_invalid(obj: dict[str, Any], path: str, fragment: str) -> None:
    result = schema.SchemaValidator().validate(obj)
    assert result.status == "invalid"
    assert result.issues[0].path == path
    assert fragment in result.issues[0].message


def test_older_version_is_selectable() -> None:
    validator = schema.SchemaValidator("1.25")
    assert validator.version == "1.25"
    assert validator.validate({"apiVersion": "v1", "kind": "Pod", "metadata": {}}).status == (
        "valid"
    )


def test_custom_resource_without_crd_is_skipped_with_a_notice() -> None:
    result = schema.SchemaValidator().validate({"apiVersion": "example.com/v1", "kind": "Widget"})
    assert result.status == "skipped"
    assert "no CustomResourceDefinition" in result.notice


@pytest.mark.parametrize(
    ("spec", "strict", "status"),
    [
        pytest.param({"size": 2, "port": "http", "note": None}, False, "valid", id="ok"),
        pytest.param({"size": 2, "port": 8080}, True, "valid", id="int-or-string"),
        pytest.param({"size": 0}, False, "invalid", id="minimum"),
        pytest.param({}, False, "invalid", id="required"),
        pytest.param({"size": 1, "colour": "red"}, False, "valid", id="unknown-lenient"),
        pytest.param({"size": 1, "colour": "red"}, True, "invalid", id="unknown-strict"),
        pytest.param({"size": 1, "extra": {"any": 1}}, True, "valid", id="preserve-unknown"),
    ],
)
def test_custom_resource_against_its_crd(spec: dict[str, Any], strict: bool, status: str) -> None:
    validator = schema.SchemaValidator(strict=strict, crds=[CRD])
    widget = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}}
    assert validator.validate({**widget, "spec": spec}).status == status


def test_crd_schemas_reads_v1beta1_and_ignores_other_objects() -> None:
    legacy = {
        "kind": "CustomResourceDefinition",
        "spec": {
            "group": "old.io",
            "version": "v1alpha1",
            "names": {"kind": "Thing"},
            "validation": {"openAPIV3Schema": {"type": "object"}},
        },
    }
    assert schema.crd_schemas(legacy) == {("old.io", "v1alpha1", "Thing"): {"type": "object"}}
    assert schema.crd_schemas({"kind": "Pod"}) == {}
    assert schema.crd_schemas({"kind": "CustomResourceDefinition", "spec": []}) == {}
    assert schema.crd_schemas({"kind": "CustomResourceDefinition", "spec": {"group": 1}}) == {}


def test_long_messages_are_truncated() -> None:
    obj = deployment()
    obj["spec"]["template"]["spec"]["containers"][0]["env"] = "x" * 1000
    (issue,) = schema.SchemaValidator().validate(obj).issues
    assert len(issue.message) == schema.MAX_MESSAGE
    assert issue.message.endswith("…")


def test_crd_schema_combinators_and_maps() -> None:
    crd = {
        "kind": "CustomResourceDefinition",
        "spec": {
            "group": "example.com",
            "names": {"kind": "Gadget"},
            "versions": [
                {
                    "name": "v1",
                    "schema": {
                        "openAPIV3Schema": {
                            "type": "object",
                            "properties": {
                                "spec": {
                                    "type": "object",
                                    "properties": {
                                        "mode": {"oneOf": [{"enum": ["a"]}, {"enum": ["b"]}]},
                                        "tags": {
                                            "type": "object",
                                            "additionalProperties": {"type": "string"},
                                        },
                                        "items": {"type": "array", "items": {"type": "integer"}},
                                        "not_zero": {"not": {"enum": [0]}},
                                    },
                                }
                            },
                        }
                    },
                },
                {"name": "v2"},  # no schema: not a validator
            ],
        },
    }
    validator = schema.SchemaValidator(strict=True, crds=[crd])
    gadget = {"apiVersion": "example.com/v1", "kind": "Gadget", "metadata": {"name": "g"}}
    ok = {"mode": "a", "tags": {"x": "y"}, "items": [1], "not_zero": 1}
    assert validator.validate({**gadget, "spec": ok}).status == "valid"
    bad = validator.validate(
        {**gadget, "spec": {"mode": "c", "tags": {"x": 1}, "items": ["z"], "not_zero": 0}}
    )
    assert sorted(issue.path for issue in bad.issues) == [
        "spec.items[0]",
        "spec.mode",
        "spec.not_zero",
        "spec.tags.x",
    ]
    assert validator.validate({**gadget, "apiVersion": "example.com/v2"}).status == "skipped"
