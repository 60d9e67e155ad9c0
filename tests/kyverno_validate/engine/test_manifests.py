"""``validate.manifests``: resources signed with k8s-manifest-sigstore's annotation format,
made here with freshly generated keys."""

import base64
import gzip
import io
import tarfile
from typing import Any

import pytest
import yaml
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa
from kyverno_validate.engine.manifests import verify_manifests

DOMAIN = "cosign.sigstore.dev"
SERVICE: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {"name": "web"},
    "spec": {"ports": [{"port": 80, "targetPort": 9376}], "selector": {"app": "web"}},
}


def _pem(key: Any) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def _sign(key: Any, data: bytes) -> str:
    if isinstance(key, ec.EllipticCurvePrivateKey):
        raw = key.sign(data, ec.ECDSA(hashes.SHA256()))
    elif isinstance(key, rsa.RSAPrivateKey):
        raw = key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    else:
        raw = key.sign(data)
    return base64.b64encode(raw).decode()


def _tar_gz(text: str) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        folder = tarfile.TarInfo("signed")
        folder.type = tarfile.DIRTYPE
        archive.addfile(folder)
        info = tarfile.TarInfo("signed/resource.yaml")
        info.size = len(text.encode())
        archive.addfile(info, io.BytesIO(text.encode()))
    return buffer.getvalue()


def _signed(obj: dict[str, Any], *keys: Any, tar: bool = False, **extra: str) -> dict[str, Any]:
    text = yaml.safe_dump(obj)
    signed = _tar_gz(text) if tar else text.encode()
    annotations = {f"{DOMAIN}/message": base64.b64encode(gzip.compress(signed)).decode()}
    for index, key in enumerate(keys):
        suffix = f"_{index}" if index else ""
        annotations[f"{DOMAIN}/signature{suffix}"] = _sign(key, signed)
    annotations.update(extra)
    metadata = {
        **obj["metadata"],
        "annotations": {**obj["metadata"].get("annotations", {}), **annotations},
    }
    return {**obj, "metadata": metadata}


def _rule(*pems: str, count: int | None = None, **more: Any) -> dict[str, Any]:
    attestor: dict[str, Any] = {"entries": [{"keys": {"publicKeys": pem}} for pem in pems]}
    if count is not None:
        attestor["count"] = count
    return {"attestors": [attestor], **more}


KEY = ec.generate_private_key(ec.SECP256R1())
OTHER = ec.generate_private_key(ec.SECP256R1())


@pytest.mark.parametrize(
    "key",
    [
        pytest.param(KEY, id="ecdsa-p256"),
        pytest.param(rsa.generate_private_key(public_exponent=65537, key_size=2048), id="rsa"),
        pytest.param(ed25519.Ed25519PrivateKey.generate(), id="ed25519"),
    ],
)
def test_a_signed_resource_passes(key: Any) -> None:
    outcome = verify_manifests(_rule(_pem(key)), _signed(SERVICE, key))
    assert outcome.result == "pass", outcome.message


def test_a_tar_gz_message_in_another_namespace_passes() -> None:
    resource = _signed(SERVICE, KEY, tar=True)
    resource["metadata"]["namespace"] = "default"  # not in the signed manifest: ignored
    assert verify_manifests(_rule(_pem(KEY)), resource).result == "pass"


def test_a_changed_resource_fails_with_the_diff() -> None:
    resource = _signed(SERVICE, KEY)
    resource["spec"] = {**resource["spec"], "selector": {"app": "evil"}}
    outcome = verify_manifests(_rule(_pem(KEY)), resource)
    assert outcome.result == "fail"
    assert "spec.selector.app: 'web' -> 'evil'" in outcome.message


def test_policy_ignore_fields_allow_a_change() -> None:
    resource = _signed(SERVICE, KEY)
    resource["spec"] = {**resource["spec"], "selector": {"app": "evil"}}
    ignore = [{"objects": [{"kind": "Service"}], "fields": ["spec.selector.*"]}]
    assert verify_manifests(_rule(_pem(KEY), ignoreFields=ignore), resource).result == "pass"
    other = [{"objects": [{"kind": "Pod"}], "fields": ["spec.selector.*"]}]
    assert verify_manifests(_rule(_pem(KEY), ignoreFields=other), resource).result == "fail"


def test_an_unsigned_resource_fails() -> None:
    outcome = verify_manifests(_rule(_pem(KEY)), SERVICE)
    assert (outcome.result, "no message annotation" in outcome.message) == ("fail", True)
    only_message = _signed(SERVICE)
    assert verify_manifests(_rule(_pem(KEY)), only_message).result == "fail"


def test_count_one_of_two_keys() -> None:
    resource = _signed(SERVICE, KEY)
    assert verify_manifests(_rule(_pem(OTHER), _pem(KEY), count=1), resource).result == "pass"
    # without count every entry must verify; the other key's failure is an error
    outcome = verify_manifests(_rule(_pem(OTHER), _pem(KEY)), resource)
    assert outcome.result == "error", outcome.message


def test_every_signature_is_tried_with_the_shared_message() -> None:
    resource = _signed(SERVICE, OTHER, KEY)  # signature and signature_1
    outcome = verify_manifests(_rule(_pem(KEY), _pem(OTHER)), resource)
    assert outcome.result == "pass", outcome.message


def test_several_pem_blocks_are_several_entries() -> None:
    resource = _signed(SERVICE, KEY)
    both = _pem(OTHER) + _pem(KEY)
    assert verify_manifests(_rule(both, count=1), resource).result == "pass"
    assert verify_manifests(_rule(both), resource).result == "error"


@pytest.mark.parametrize(
    "entry",
    [
        pytest.param({"keyless": {"subject": "me"}}, id="keyless"),
        pytest.param({"certificates": {"certificate": "x"}}, id="certificates"),
        pytest.param({"keys": {"publicKeys": "k8s://ns/secret"}}, id="secret-key"),
        pytest.param(
            {"keys": {"publicKeys": _pem(KEY)}, "annotations": {"team": "a"}}, id="annotations"
        ),
    ],
)
def test_what_cannot_be_checked_offline_is_an_error(entry: dict[str, Any]) -> None:
    rule = {"attestors": [{"entries": [entry]}]}
    assert verify_manifests(rule, _signed(SERVICE, KEY)).result == "error"


def test_a_nested_attestor_and_a_custom_domain() -> None:
    text = yaml.safe_dump(SERVICE).encode()
    annotations = {
        "example.com/message": base64.b64encode(gzip.compress(text)).decode(),
        "example.com/signature": _sign(KEY, text),
    }
    resource = {**SERVICE, "metadata": {"name": "web", "annotations": annotations}}
    nested = {"entries": [{"keys": {"publicKeys": _pem(KEY)}}]}
    rule = {"annotationDomain": "example.com", "attestors": [{"entries": [{"attestor": nested}]}]}
    assert verify_manifests(rule, resource).result == "pass"


def _with(resource: dict[str, Any], **annotations: str) -> dict[str, Any]:
    merged = {**resource["metadata"]["annotations"], **annotations}
    return {**resource, "metadata": {**resource["metadata"], "annotations": merged}}


def _message(text: bytes) -> str:
    return base64.b64encode(gzip.compress(text)).decode()


@pytest.mark.parametrize(
    ("annotations", "expected"),
    [
        pytest.param({f"{DOMAIN}/message": _message(b"kind: Pod\n")}, "fail", id="other-kind"),
        pytest.param({f"{DOMAIN}/message": _message(b"a: [\n")}, "fail", id="not-yaml"),
        pytest.param({f"{DOMAIN}/message": _message(b"- 1\n---\n")}, "fail", id="no-mapping"),
        pytest.param({f"{DOMAIN}/message": "%%%"}, "error", id="bad-base64"),
        pytest.param({f"{DOMAIN}/bundle": "e30="}, "error", id="rekor-bundle"),
        pytest.param({f"{DOMAIN}/signature": "%%%"}, "error", id="bad-signature"),
    ],
)
def test_broken_annotations(annotations: dict[str, str], expected: str) -> None:
    resource = _with(_signed(SERVICE, KEY), **annotations)
    assert verify_manifests(_rule(_pem(KEY)), resource).result == expected


def test_a_truncated_gzip_message_is_read_as_is() -> None:
    text = yaml.safe_dump(SERVICE).encode()
    broken = b"\x1f\x8b" + b"\x00" * 8
    resource = _with(_signed(SERVICE, KEY), **{f"{DOMAIN}/message": _message(broken)})
    resource = _with(resource, **{f"{DOMAIN}/signature": _sign(KEY, text)})
    assert verify_manifests(_rule(_pem(KEY)), resource).result == "fail"


def test_canonicalized_images_and_matching_annotations() -> None:
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p", "annotations": {"team": "a"}},
        "spec": {"containers": [{"name": "a", "image": "nginx"}, {"name": "b", "image": "x:1"}]},
    }
    resource = _signed(pod, KEY)
    resource["spec"] = {
        "containers": [
            {"name": "a", "image": "nginx:latest"},
            {"name": "b", "image": "docker.io/x:1"},
        ]
    }
    entry = {"keys": {"publicKeys": _pem(KEY)}, "annotations": {"team": "a"}}
    rule = {"attestors": [{"entries": [entry]}]}
    assert verify_manifests(rule, resource).result == "pass"


def test_an_unusable_public_key_is_an_error() -> None:
    resource = _signed(SERVICE, KEY)
    other_type = ed448.Ed448PrivateKey.generate()
    assert verify_manifests(_rule(_pem(other_type)), resource).result == "error"
    garbage = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"
    assert verify_manifests(_rule(garbage), resource).result == "error"


def test_fields_the_api_server_sets_are_ignored() -> None:
    resource = _signed(SERVICE, KEY)
    resource["spec"] = {**resource["spec"], "clusterIP": "10.0.0.1", "type": "ClusterIP"}
    resource["status"] = {"loadBalancer": {}}
    resource["metadata"] = {**resource["metadata"], "uid": "1", "namespace": "prod"}
    assert verify_manifests(_rule(_pem(KEY)), resource).result == "pass"
    resource["spec"]["ports"] = [{"port": 81, "targetPort": 9376}]
    assert verify_manifests(_rule(_pem(KEY)), resource).result == "fail"
