"""The CEL module: every library function with a real expression, errors as values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from kyverno_validate.cel import (
    CelError,
    Program,
    compile_expression,
    evaluate_expression,
    library_bindings,
    to_cel,
)

POD: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "web", "namespace": "prod", "labels": {"app.kubernetes.io/name": "web"}},
    "spec": {
        "containers": [
            {"name": "a", "image": "nginx:1.25", "volumeMounts": [{"name": "data"}]},
            {"name": "b", "image": "ghcr.io/acme/api@sha256:" + "a" * 64},
        ]
    },
}
CONFIGMAP = {
    "apiVersion": "v1",
    "kind": "ConfigMap",
    "metadata": {"name": "settings", "namespace": "prod"},
    "data": {"registry": "ghcr.io"},
}
DIGEST = "sha256:" + "0123456789abcdef" * 4
NOW = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)


def run(expression: str, **bindings: Any) -> Any:
    data: dict[str, Any] = {
        "object": POD,
        **library_bindings(
            cluster_objects=[CONFIGMAP],
            images={"ghcr.io/acme/api:v1": {"config": {"created": "2024-01-01T00:00:00Z"}}},
            http_responses={"https://svc.local/allowed": {"allowed": ["nginx"]}},
            global_context={"deployments": {"count": 3}},
        ),
    }
    data.update(bindings)
    return evaluate_expression(expression, data, now=NOW)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        # standard, macros, strings extension, optional syntax
        pytest.param("object.spec.containers.all(c, c.image.startsWith('nginx'))", False, id="all"),
        pytest.param("object.spec.containers.map(c, c.name)", ["a", "b"], id="map"),
        pytest.param("object.spec.?initContainers.orValue([]).size()", 0, id="optional-field"),
        pytest.param(
            "object.metadata.?labels[?'app.kubernetes.io/name'].orValue('')", "web", id="opt-index"
        ),
        pytest.param("object.spec.containers[0].volumeMounts.orValue([]).size()", 1, id="orvalue"),
        pytest.param("'a,b'.split(',').join('-')", "a-b", id="strings-ext"),
        pytest.param("'%s has %d'.format(['pod', 2])", "pod has 2", id="format"),
        pytest.param("cel.bind(n, object.spec.containers.size(), n * 2)", 4, id="bind"),
        pytest.param("math.greatest([1, 5, 3])", 5, id="math"),
        pytest.param("base64.encode(b'hi')", "aGk=", id="encoders"),
        pytest.param("1 < 1.5 && 1 == 1.0", True, id="cross-type-numbers"),
        # Kubernetes lists
        pytest.param("object.spec.containers.map(c, c.name).indexOf('b')", 1, id="indexOf"),
        pytest.param("'abc'.indexOf('c')", 2, id="string-indexOf"),
        pytest.param("[1, 2, 1].lastIndexOf(1)", 2, id="lastIndexOf"),
        pytest.param("[1, 2, 3].isSorted() && ![2, 1].isSorted()", True, id="isSorted"),
        pytest.param("[1, 2, 3].sum()", 6, id="sum"),
        pytest.param("[3, 1, 2].min() + [3, 1, 2].max()", 4, id="min-max"),
        # regex
        pytest.param("'abc123def45'.find('[0-9]+')", "123", id="find"),
        pytest.param("'abc123def45'.findAll('[0-9]+')", ["123", "45"], id="findAll"),
        pytest.param("'a1b2c3'.findAll('[0-9]', 2)", ["1", "2"], id="findAll-n"),
        pytest.param("'abc'.find('z')", "", id="find-none"),
        # url
        pytest.param("url('https://u@a.io:8443/x?y=1').getScheme()", "https", id="url-scheme"),
        pytest.param("url('https://u@a.io:8443/x').getHost()", "a.io:8443", id="url-host"),
        pytest.param("url('https://a.io:8443/x').getHostname()", "a.io", id="url-hostname"),
        pytest.param("url('https://a.io:8443/x').getPort()", "8443", id="url-port"),
        pytest.param("url('https://a.io/x').getPort()", "", id="url-no-port"),
        pytest.param("url('https://a.io/p/q').getEscapedPath()", "/p/q", id="url-path"),
        pytest.param("url('/x?a=1&a=2').getQuery()", {"a": ["1", "2"]}, id="url-query"),
        pytest.param("isURL('https://a.io') && !isURL('not a url')", True, id="isURL"),
        # quantity
        pytest.param("quantity('500m').isLessThan(quantity('1'))", True, id="q-less"),
        pytest.param("quantity('2Gi').isGreaterThan(quantity('1G'))", True, id="q-greater"),
        pytest.param("quantity('1').compareTo(quantity('1000m'))", 0, id="q-compare"),
        pytest.param("quantity('1').add(quantity('500m')).isGreaterThan(quantity('1'))", True,
                     id="q-add"),
        pytest.param("quantity('2').sub(1).asInteger()", 1, id="q-sub-int"),
        pytest.param("quantity('1500m').add(quantity('500m')).asInteger()", 2, id="q-sum-int"),
        pytest.param("quantity('1500m').isInteger()", False, id="q-isInteger"),
        pytest.param("quantity('1500m').asApproximateFloat()", 1.5, id="q-float"),
        pytest.param("quantity('-1').sign()", -1, id="q-sign"),
        pytest.param("isQuantity('1Gi') && !isQuantity('1 Gi')", True, id="isQuantity"),
        pytest.param("quantity('1').add(quantity('1n')).asApproximateFloat()", 1.000000001,
                     id="q-nano"),
        pytest.param("quantity('1').sub(quantity('1500m')).asApproximateFloat()", -0.5,
                     id="q-negative"),
        # semver
        pytest.param("semver('1.2.3').isLessThan(semver('1.10.0'))", True, id="semver-less"),
        pytest.param("semver('1.0.0-rc.1').isLessThan(semver('1.0.0'))", True, id="semver-pre"),
        pytest.param("semver('1.0.0-alpha').compareTo(semver('1.0.0-1'))", 1, id="semver-ids"),
        pytest.param("semver('v2.3.4').major() * 100 + semver('2.3.4').minor() * 10 "
                     "+ semver('2.3.4').patch()", 234, id="semver-parts"),
        pytest.param("semver('2.0.0').isGreaterThan(semver('1.9.9'))", True, id="semver-greater"),
        pytest.param("isSemver('1.2.3') && !isSemver('1.2')", True, id="isSemver"),
        # ip and cidr
        pytest.param("ip('127.0.0.1').isLoopback()", True, id="ip-loopback"),
        pytest.param("ip('::1').family()", 6, id="ip-family"),
        pytest.param("ip('0.0.0.0').isUnspecified()", True, id="ip-unspecified"),
        pytest.param("ip('224.0.0.1').isLinkLocalMulticast()", True, id="ip-llm4"),
        pytest.param("ip('ff02::1').isLinkLocalMulticast()", True, id="ip-llm6"),
        pytest.param("ip('169.254.1.1').isLinkLocalUnicast()", True, id="ip-llu"),
        pytest.param("ip('8.8.8.8').isGlobalUnicast()", True, id="ip-global"),
        pytest.param("ip('127.0.0.1').isGlobalUnicast()", False, id="ip-not-global"),
        pytest.param("isIP('10.0.0.1') && !isIP('10.0.0.300')", True, id="isIP"),
        pytest.param("isIP('::ffff:1.2.3.4')", False, id="isIP-mapped"),
        pytest.param("cidr('10.0.0.0/8').containsIP('10.1.2.3')", True, id="cidr-contains-ip"),
        pytest.param("cidr('10.0.0.0/8').containsIP(ip('11.0.0.1'))", False, id="cidr-ip-value"),
        pytest.param("cidr('10.0.0.0/8').containsCIDR('10.1.0.0/16')", True, id="cidr-contains"),
        pytest.param("cidr('10.0.0.0/8').containsCIDR(cidr('::1/128'))", False, id="cidr-family"),
        pytest.param("cidr('10.1.2.3/8').ip().family()", 4, id="cidr-ip"),
        pytest.param("cidr('10.1.2.3/8').masked().prefixLength()", 8, id="cidr-masked"),
        pytest.param("isCIDR('10.0.0.0/8') && !isCIDR('10.0.0.0/33')", True, id="isCIDR"),
        pytest.param("string(cidr('10.1.2.3/8').masked())", "10.0.0.0/8", id="string-cidr"),
        # jsonpatch and Kyverno libraries
        pytest.param("jsonpatch.escapeKey('karpenter.sh/do~not')", "karpenter.sh~1do~0not",
                     id="escapeKey"),
        pytest.param("parseServiceAccount('system:serviceaccount:ns:sa')",
                     {"Namespace": "ns", "Name": "sa"}, id="parseServiceAccount"),
        pytest.param("parseServiceAccount('alice').Name", "", id="parseServiceAccount-user"),
        pytest.param("image(object.spec.containers[1].image).registry()", "ghcr.io", id="registry"),
        pytest.param("image('nginx').registry()", "index.docker.io", id="registry-default"),
        pytest.param("parseImageReference('nginx').repository()", "library/nginx", id="hub"),
        pytest.param("image('localhost:5000/a:1').registry()", "localhost:5000", id="port"),
        pytest.param("image('ghcr.io/acme/api:v1').repository()", "acme/api", id="repository"),
        pytest.param("image('ghcr.io/acme/api:v1').tag()", "v1", id="tag"),
        pytest.param("image('nginx').tag()", "latest", id="default-tag"),
        pytest.param(f"image('a/b@{DIGEST}').tag()", "",
                     id="digest-no-tag"),
        pytest.param("image(object.spec.containers[1].image).containsDigest()", True,
                     id="containsDigest"),
        pytest.param("image(object.spec.containers[1].image).identifier().startsWith('sha256:')",
                     True, id="identifier-digest"),
        pytest.param("image('a/b:v2').identifier()", "v2", id="identifier-tag"),
        pytest.param("isImage('nginx:1') && !isImage('no spaces allowed')", True, id="isImage"),
        pytest.param("time.now() == timestamp('2025-01-02T03:04:05Z')", True, id="time.now"),
        pytest.param("resource.Get('v1', 'configmaps', 'prod', 'settings').data.registry",
                     "ghcr.io", id="resource.Get"),
        pytest.param("resource.List('v1', 'configmaps', 'prod').items.size()", 1,
                     id="resource.List"),
        pytest.param("resource.List('v1', 'configmaps', 'dev').items.size()", 0, id="List-ns"),
        pytest.param("http.Get('https://svc.local/allowed').allowed", ["nginx"], id="http.Get"),
        pytest.param("http.Post('https://svc.local/allowed', {}, {}).allowed[0]", "nginx",
                     id="http.Post"),
        pytest.param("image.GetMetadata('ghcr.io/acme/api:v1').config.created",
                     "2024-01-01T00:00:00Z", id="image.GetMetadata"),
        pytest.param("globalContext.Get('deployments', 'count')", 3, id="globalContext.Get"),
        pytest.param("globalContext.Get('deployments', '')", {"count": 3}, id="globalContext-all"),
        pytest.param("generator.Apply('ns', [object])", True, id="generator.Apply"),
        pytest.param("generator.apply([object])", True, id="generator.apply-lower"),
        pytest.param("resource.list('v1', 'configmaps', 'dev').items.size()", 0,
                     id="resource.list-lower"),
        # hash, json, transform, string time functions
        pytest.param("sha256('a').startsWith('ca978112')", True, id="sha256"),
        pytest.param("sha1('a')", "86f7e437faa5a7fce15d1ddcb9eaeaea377667b8", id="sha1"),
        pytest.param("md5('a')", "0cc175b9c0f1b6a831c399e269772661", id="md5"),
        pytest.param("json.unmarshal('{\"a\": [1]}').a[0]", 1, id="json.unmarshal"),
        pytest.param("listObjToMap([{'k': 'a'}], [{'v': 1}], 'k', 'v')", {"a": 1},
                     id="listObjToMap"),
        pytest.param("time_add('2025-01-01T00:00:00Z', '1h30m')", "2025-01-01T01:30:00Z",
                     id="time_add"),
        pytest.param("time_add('2025-01-01T00:00:00Z', '-1.5s')", "2024-12-31T23:59:58.500000Z",
                     id="time_add-negative"),
        pytest.param("time_diff('2025-01-01T00:00:00Z', '2025-01-01T01:30:00Z')", "1h30m0s",
                     id="time_diff"),
        pytest.param("time_diff('2025-01-01T00:00:10Z', '2025-01-01T00:00:00Z')", "-10s",
                     id="time_diff-negative"),
        pytest.param("time_before('2025-01-01T00:00:00Z', '2025-01-02T00:00:00Z')", True,
                     id="time_before"),
        pytest.param("time_after('2025-01-01T00:00:00Z', '2025-01-02T00:00:00Z')", False,
                     id="time_after"),
        pytest.param("time_parse('2006-01-02', '2024-03-04')", "2024-03-04T00:00:00Z",
                     id="time_parse"),
        pytest.param("time_parse('2006-01-02T15:04:05Z07:00', '2024-03-04T05:06:07+01:00')",
                     "2024-03-04T05:06:07+01:00", id="time_parse-zone"),
        pytest.param("time_parse('0', '1700000000')", "2023-11-14T22:13:20Z",
                     id="time_parse-epoch"),
        pytest.param("time_now() == time_now_utc() && time_now() == '2025-01-02T03:04:05Z'", True,
                     id="time_now"),
        # MutatingPolicy struct literals become maps
        pytest.param("Object{spec: Object.spec{replicas: 2}}", {"spec": {"replicas": 2}},
                     id="Object-literal"),
        pytest.param('JSONPatch{op: "add", path: "/a", value: true}',
                     {"op": "add", "path": "/a", "value": True}, id="JSONPatch-literal"),
    ],
)  # fmt: skip
def test_library_function(expression: str, expected: Any) -> None:
    assert run(expression) == expected


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        pytest.param("noSuchFunction(1)", "No matching overloads", id="unknown-function"),
        pytest.param("object.spec.missing.size()", "Key not found", id="missing-key"),
        pytest.param("resource.Get('v1', 'configmaps', 'prod', 'nope')", "not found",
                     id="resource-missing"),
        pytest.param("http.Get('https://other')", "no response", id="http-missing"),
        pytest.param("image.GetMetadata('x')", "no metadata", id="imagedata-missing"),
        pytest.param("globalContext.Get('nope', '')", "no entry", id="global-missing"),
        pytest.param("quantity('1 Gi')", "not a Kubernetes quantity", id="bad-quantity"),
        pytest.param("quantity('1500m').asInteger()", "not an integer", id="not-integer"),
        pytest.param("semver('1.2')", "not a semantic version", id="bad-semver"),
        pytest.param("ip('x')", "not an IP address", id="bad-ip"),
        pytest.param("cidr('x')", "not a CIDR", id="bad-cidr"),
        pytest.param("url('no scheme')", "not an absolute URI", id="bad-url"),
        pytest.param("image('bad image')", "not an image reference", id="bad-image"),
        pytest.param("[].min()", "the list is empty", id="min-empty"),
        pytest.param("[].max()", "the list is empty", id="max-empty"),
        pytest.param("url('https://a').isLessThan(url('https://b'))", "expected a Quantity",
                     id="wrong-opaque"),
        pytest.param("string(parseServiceAccount('a'))", "no conversion", id="string-of-map"),
        pytest.param("object.Get('x')", "no such function", id="Get-on-object"),
        pytest.param("object.spec.containers.all(c,", "failed to compile", id="syntax-error"),
        pytest.param("json.unmarshal('{')", "json.unmarshal", id="bad-json"),
        pytest.param("listObjToMap([{'k': 'a'}], [], 'k', 'v')", "equal length", id="lists"),
        pytest.param("listObjToMap([{'k': 1}], [{}], 'k', 'v')", "key name", id="key-type"),
        pytest.param("time_add('x', '1h')", "invalid timestamp", id="bad-timestamp"),
        pytest.param("time_add('2025-01-01T00:00:00Z', '1d')", "invalid duration",
                     id="bad-duration"),
        pytest.param("time_parse('0', 'x')", "invalid epoch", id="bad-epoch"),
        pytest.param("time_parse('2006-01-02', 'x')", "failed to parse", id="bad-layout-value"),
    ],
)  # fmt: skip
def test_errors_are_values(expression: str, message: str) -> None:
    result = run(expression)
    assert isinstance(result, CelError)
    assert message in str(result)
    assert result.expression == expression


def test_time_now_needs_a_clock() -> None:
    result = evaluate_expression("time.now()", {})
    assert isinstance(result, CelError)


def test_compile_is_cached_and_reusable() -> None:
    first = compile_expression("object.metadata.name + '-' + string(variables.n)")
    assert isinstance(first, Program)
    assert compile_expression("object.metadata.name + '-' + string(variables.n)") is first
    assert first.evaluate({"object": POD, "variables": {"n": 1}}) == "web-1"
    assert first.evaluate({"object": {"metadata": {"name": "x"}}, "variables": {"n": 2}}) == "x-2"


def test_unbound_variables_are_null() -> None:
    assert evaluate_expression("oldObject == null && params == null", {}) is True


def test_durations_and_timestamps_round_trip_through_variables() -> None:
    age = evaluate_expression("duration('1h30m')", {})
    stamp = evaluate_expression("timestamp('2025-01-01T00:00:00Z')", {})
    assert age == timedelta(hours=1, minutes=30)
    later = evaluate_expression(
        "variables.stamp + variables.age",
        {"variables": to_cel({"stamp": stamp, "ages": [age], "age": age, "n": None})},
    )
    assert later == datetime(2025, 1, 1, 1, 30, tzinfo=UTC)


def test_bindings_without_context_data_still_resolve() -> None:
    assert evaluate_expression("resource.List('v1', 'pods', '').items", {}) == []


def test_values_cel_cannot_hold_are_errors() -> None:
    for now in (None, NOW):
        result = evaluate_expression("x", {"x": {1, 2}}, now=now)
        assert isinstance(result, CelError)
        assert "Non-CEL value" in result.message


@pytest.mark.parametrize(
    "expression",
    [
        pytest.param("(" * 100_000 + "1" + ")" * 100_000, id="deep-nesting"),
        pytest.param("1" + " + 1" * 20_000, id="long-chain"),
        pytest.param("x" * 1_000_000, id="huge-identifier"),
    ],
)
def test_hostile_expressions_are_short_errors(expression: str) -> None:
    result = evaluate_expression(expression, {})
    assert isinstance(result, CelError)
    assert len(result.message) < 800
