"""``validate.manifests``: signed YAML manifests (sigstore/k8s-manifest-sigstore), offline.

Kyverno (``pkg/engine/handlers/validation/validate_manifest.go`` and ``.../manifest/``) reads
the signature from the resource's annotations (``<domain>/message``: base64 of the gzipped
signed bytes, a YAML manifest or a tar.gz of them; ``<domain>/signature[_N]``: base64 of the
signature over those bytes), checks the signature with each attestor's public key and checks
that the resource equals the signed manifest, ignoring volatile fields. An attestor set passes
when ``count`` entries (all entries without ``count``) verify. Static keys (PEM) verify
offline; certificates, keyless attestors and Rekor bundles need the network: those give an
error result, like Kyverno without access to Rekor. ``cryptography`` is imported lazily.
"""

from __future__ import annotations

import base64
import binascii
import fnmatch
import gzip
import io
import re
import tarfile
from collections.abc import Mapping
from typing import Any

import yaml

from kyverno_validate.engine.outcome import Outcome

DEFAULT_DOMAIN = "cosign.sigstore.dev"
_PEM_BLOCK = re.compile(r"-----BEGIN PUBLIC KEY-----.*?-----END PUBLIC KEY-----", re.DOTALL)
# default ignoreFields: k8s-manifest-sigstore's default-config.yaml plus Kyverno's
# pkg/engine/resources/default-config.yaml ("*" = every kind): fields the API server,
# controllers or admission defaults set
_DEFAULT_IGNORE: dict[str, tuple[str, ...]] = {
    "*": (
        "metadata.namespace",
        "metadata.managedFields.*",
        "metadata.resourceVersion",
        "metadata.selfLink",
        "metadata.creationTimestamp",
        "metadata.uid",
        "metadata.generation",
        "metadata.finalizers*",
        "metadata.labels.app.kubernetes.io/instance",
        "metadata.annotations.kubectl.kubernetes.io/last-applied-configuration",
        "metadata.annotations.control-plane.alpha.kubernetes.io/leader",
        "metadata.annotations.namespace",
        "metadata.annotations.deprecated.daemonset.template.generation",
        "metadata.annotations.deployment.kubernetes.io/revision",
        "spec.containers.*.imagePullPolicy",
        "spec.containers.*.terminationMessagePath",
        "spec.containers.*.terminationMessagePolicy",
        "spec.dnsPolicy",
        "spec.restartPolicy",
        "spec.schedulerName",
        "spec.terminationGracePeriodSeconds",
        "status",
    ),
    "Pod": (
        "spec.volumes.*.name",
        "spec.volumes.*.projected.*",
        "spec.volumes.*.configMap.defaultMode",
        "spec.containers.*.volumeMounts.*",
        "spec.tolerations.*",
        "spec.enableServiceLinks",
        "spec.preemptionPolicy",
        "spec.priority",
        "spec.serviceAccount",
    ),
    "Deployment": (
        "spec.progressDeadlineSeconds",
        "spec.revisionHistoryLimit",
        "spec.strategy.*",
        "spec.template.metadata.creationTimestamp",
        "spec.containers.*.ports.*.protocol",
        "spec.containers.*.resources",
        "spec.securityContext",
    ),
    "CustomResourceDefinition": ("spec.conversion.strategy", "spec.names.listKind"),
    "Service": (
        "spec.ports.*.nodePort",
        "spec.clusterIP",
        "spec.clusterIPs.0",
        "spec.sessionAffinity",
        "spec.type",
        "spec.ipFamilies.*",
        "spec.ipFamilyPolicy",
        "spec.internalTrafficPolicy",
    ),
    "ClusterPolicy": (
        "metadata.annotations.pod-policies.kyverno.io/autogen-controllers",
        "spec.failurePolicy",
        "spec.background",
        "spec.validationFailureAction",
    ),
    "ServiceAccount": ("secrets.*.name", "imagePullSecrets.*.name"),
    "Route": ("spec.host",),
}
_DEFAULT_IGNORE["Policy"] = _DEFAULT_IGNORE["ClusterPolicy"]
_SIGNATURE_ANNOTATIONS = ("message", "signature", "certificate", "bundle")


class ManifestError(Exception):
    """Verification could not run (Kyverno's rule error)."""


def verify_manifests(manifests: Mapping[str, Any], resource: Mapping[str, Any]) -> Outcome:
    """The rule's outcome for ``resource``: pass, fail (unsigned, other signer, changed) or
    error (a key or attestor that cannot be checked offline)."""
    domain = str(manifests.get("annotationDomain") or DEFAULT_DOMAIN)
    ignore = [*_DEFAULT_IGNORE["*"], *_DEFAULT_IGNORE.get(str(resource.get("kind")), ())]
    ignore += [f"metadata.annotations.{domain}/{part}*" for part in _SIGNATURE_ANNOTATIONS]
    ignore.append(f"metadata.annotations.{domain}/resourceBundleRef")
    ignore += _policy_ignore_fields(manifests.get("ignoreFields"), resource)
    messages = []
    for index, attestor_set in enumerate(manifests.get("attestors") or []):
        try:
            verified, reason = _verify_set(
                attestor_set, resource, domain, ignore, f".attestors[{index}]"
            )
        except ManifestError as exc:
            return Outcome("error", f"error occurred during manifest verification: {exc}")
        if not verified:
            return Outcome("fail", reason)
        messages.append(reason)
    return Outcome("pass", "verified manifest signatures; " + ",".join(messages))


def _policy_ignore_fields(bindings: Any, resource: Mapping[str, Any]) -> list[str]:
    """``ignoreFields``: ``[{objects: [{kind, name, namespace}], fields: [...]}]``."""
    fields: list[str] = []
    metadata = resource.get("metadata") or {}
    for binding in bindings or []:
        objects = binding.get("objects") or [{}]
        for obj in objects:
            wanted = [
                (obj.get("kind"), resource.get("kind")),
                (obj.get("name"), metadata.get("name")),
                (obj.get("namespace"), metadata.get("namespace")),
            ]
            if all(
                not want or fnmatch.fnmatchcase(str(have or ""), str(want)) for want, have in wanted
            ):
                fields += [str(field) for field in binding.get("fields") or []]
                break
    return fields


def _expand_static_keys(entries: list[Any]) -> list[Any]:
    """``internal.ExpandStaticKeys``: one entry per PEM block of ``keys.publicKeys``."""
    expanded: list[Any] = []
    for entry in entries:
        keys = entry.get("keys") if isinstance(entry, Mapping) else None
        pems = _PEM_BLOCK.findall(str(keys.get("publicKeys") or "")) if keys else []
        if keys and len(pems) > 1:
            expanded += [{**entry, "keys": {**keys, "publicKeys": pem}} for pem in pems]
        else:
            expanded.append(entry)
    return expanded


def _verify_set(
    attestor_set: Mapping[str, Any],
    resource: Mapping[str, Any],
    domain: str,
    ignore: list[str],
    path: str,
) -> tuple[bool, str]:
    entries = _expand_static_keys(list(attestor_set.get("entries") or []))
    required = int(attestor_set.get("count") or 0) or len(entries)
    verified_count, errors, failed, passed = 0, [], [], []
    for index, entry in enumerate(entries):
        entry_path = f"{path}.entries[{index}]"
        try:
            if entry.get("attestor") is not None:
                ok, reason = _verify_set(
                    entry["attestor"], resource, domain, ignore, entry_path + ".attestor"
                )
            else:
                ok, reason = _verify_entry(entry, resource, domain, ignore, entry_path)
        except ManifestError as exc:
            errors.append(str(exc))
        else:
            if ok:
                verified_count += 1
                passed.append(reason)
            else:
                failed.append(reason)
        if verified_count >= required:
            return True, (
                f"manifest verification succeeded; verifiedCount {verified_count}; "
                f"requiredCount {required}; message {','.join(passed)}"
            )
    if errors:
        raise ManifestError("; ".join(errors))
    return False, (
        f"manifest verification failed; verifiedCount {verified_count}; "
        f"requiredCount {required}; message {','.join(failed)}"
    )


def _verify_entry(
    entry: Mapping[str, Any],
    resource: Mapping[str, Any],
    domain: str,
    ignore: list[str],
    path: str,
) -> tuple[bool, str]:
    annotations = (resource.get("metadata") or {}).get("annotations") or {}
    for key, value in (entry.get("annotations") or {}).items():
        if annotations.get(key) != value:
            raise ManifestError(
                f"annotations mismatch: {annotations.get(key)} does not match expected value "
                f"{value} for key {key}"
            )
    keys = entry.get("keys")
    if not isinstance(keys, Mapping):
        kind = "certificates" if entry.get("certificates") else "keyless"
        raise ManifestError(f"{path}.{kind}: needs the transparency log (network access)")
    pem = str(keys.get("publicKeys") or "")
    if not pem.startswith("-----BEGIN PUBLIC KEY-----"):
        raise ManifestError(f"{path}.keys: only PEM public keys can be checked offline")
    path += ".keys"
    message = annotations.get(f"{domain}/message")
    if not message:
        return False, f"{path}: no message annotation found; the resource is not signed"
    signed = _decode(str(message))
    candidates = _candidate_manifests(signed, resource)
    if not candidates:
        return False, f"{path}: no YAML manifest in the message matches this resource"
    sets = _signature_sets(annotations, domain)
    if not sets:
        return False, f"{path}: no signature annotation found"
    diffs = [_diff(candidate, resource, ignore) for candidate in candidates]
    matched = any(not diff for diff in diffs)
    failures = []
    for signature_set in sets:
        if signature_set.get("certificate") or signature_set.get("bundle"):
            failures.append("a certificate or Rekor bundle needs the transparency log")
            continue
        if _signature_ok(pem, _decode(signature_set["message"]), signature_set["signature"]):
            break
        failures.append("invalid signature for this key")
    else:
        raise ManifestError(f"{path}: signature verification failed: {'; '.join(failures)}")
    if not matched:
        return False, f"{path}: failed to verify signature. diff found; {diffs[0]}"
    return True, "signed by a valid signer: "


def _signature_sets(annotations: Mapping[str, Any], domain: str) -> list[dict[str, str]]:
    """``AnnotationConfig.GetAllSignatureSets``: ``signature`` and ``signature_N``; a set
    without its own ``message_N`` uses ``message``."""
    prefix = f"{domain}/signature"
    sets = []
    for key in sorted(annotations):
        if key != prefix and not key.startswith(prefix + "_"):
            continue
        suffix = key[len(prefix) :]
        found = {"signature": str(annotations[key])}
        for part in ("message", "certificate", "bundle"):
            value = annotations.get(f"{domain}/{part}{suffix}")
            if value is None and part == "message":
                value = annotations.get(f"{domain}/message")
            found[part] = str(value or "")
        sets.append(found)
    return sets


def _decode(value: str) -> bytes:
    """base64, then gunzip when gzipped (``manifestutil.GzipDecompress``)."""
    try:
        raw = base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ManifestError(f"decoding manifest signature annotation: {exc}") from exc
    return _gunzip(raw)


def _gunzip(raw: bytes) -> bytes:
    if raw[:2] != b"\x1f\x8b":
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError):
        return raw


def _manifest_text(signed: bytes) -> str:
    """The signed bytes as concatenated YAML: plain YAML, or a (gzipped) tar of YAML files."""
    data = _gunzip(signed)
    if len(data) > 262 and data[257:262] == b"ustar":
        with tarfile.open(fileobj=io.BytesIO(data)) as archive:
            parts = []
            for member in archive.getmembers():
                handle = archive.extractfile(member) if member.isfile() else None
                if handle is not None:
                    parts.append(handle.read().decode("utf-8", "replace"))
        return "\n---\n".join(parts)
    return data.decode("utf-8", "replace")


def _candidate_manifests(signed: bytes, resource: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    try:
        documents = list(yaml.safe_load_all(_manifest_text(signed)))
    except yaml.YAMLError:
        return []
    metadata = resource.get("metadata") or {}
    found = []
    for document in documents:
        if not isinstance(document, Mapping):
            continue
        meta = document.get("metadata") or {}
        if document.get("kind") == resource.get("kind") and meta.get("name") == metadata.get(
            "name"
        ):
            found.append(document)
    return found


def _flatten(value: Any, prefix: str, out: dict[str, Any]) -> dict[str, Any]:
    if isinstance(value, Mapping) and value:
        for key, item in value.items():
            _flatten(item, f"{prefix}.{key}" if prefix else str(key), out)
    elif isinstance(value, list) and value:
        for index, item in enumerate(value):
            _flatten(item, f"{prefix}.{index}" if prefix else str(index), out)
    else:
        out[prefix] = value
    return out


def _ignored(key: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatchcase(key, p) or key.startswith(p + ".") for p in patterns)


def _canonical_image(key: str, before: Any, after: Any) -> bool:
    """``removeCanonicalizedImageDiff``: ``nginx`` → ``docker.io/nginx``, ``x`` → ``x:latest``."""
    if not key.endswith("image") or not isinstance(before, str) or not isinstance(after, str):
        return False
    return after in ("docker.io/" + before, before + ":latest")


def _diff(manifest: Mapping[str, Any], resource: Mapping[str, Any], ignore: list[str]) -> str:
    """The mapnode diff (manifest → resource) left after ignored fields, or ``""``."""
    before, after = _flatten(manifest, "", {}), _flatten(resource, "", {})
    items = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old == new or _ignored(key, ignore) or _canonical_image(key, old, new):
            continue
        items.append(f"{key}: {old!r} -> {new!r}")
    return "; ".join(items)


def _signature_ok(pem: str, message: bytes, signature: str) -> bool:
    from cryptography.exceptions import InvalidSignature  # noqa: PLC0415
    from cryptography.hazmat.primitives import hashes, serialization  # noqa: PLC0415
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa  # noqa: PLC0415

    try:
        key = serialization.load_pem_public_key(pem.encode())
        raw = base64.b64decode(signature)
    except (ValueError, binascii.Error) as exc:
        raise ManifestError(f"cannot load the public key or signature: {exc}") from exc
    try:
        if isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(raw, message, ec.ECDSA(hashes.SHA256()))
        elif isinstance(key, rsa.RSAPublicKey):
            key.verify(raw, message, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(key, ed25519.Ed25519PublicKey):
            key.verify(raw, message)
        else:
            raise ManifestError(f"unsupported public key type {type(key).__name__}")
    except InvalidSignature:
        return False
    return True
