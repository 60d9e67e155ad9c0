"""Kyverno's CEL libraries, as plain Python (pure).

``image()`` parsing, ``parseServiceAccount``, ``jsonpatch.escapeKey``, and the context libraries
(``resource``, ``http``, ``image``, ``globalContext``, ``generator``): those are variables bound
to tagged maps that carry the test's data (:func:`library_bindings`), so a call such as
``resource.Get(...)`` reads only its receiver, and a value the test does not provide is an
error naming what is missing.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from typing import Any

from kyverno_validate.cel.library import TYPE_KEY, LibraryError, expect, kind_of, tagged

# ---- jsonpatch, Kyverno user and image libraries -------------------------------------------


def jsonpatch_escape_key(key: str) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")


def parse_service_account(username: str) -> dict[str, str]:
    parts = str(username).split(":")
    if len(parts) == 4 and parts[0] == "system" and parts[1] == "serviceaccount":
        return {"Namespace": parts[2], "Name": parts[3]}
    return {"Namespace": "", "Name": ""}


def image(reference: str) -> dict[str, Any]:
    if not is_image(reference):
        raise LibraryError(f"image: {reference!r} is not an image reference")
    return tagged("Image", ref=str(reference))


_TAG = r"(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?"
_DIGEST = r"(@[a-z0-9]+:[a-fA-F0-9]{32,})?"
_IMAGE = re.compile(rf"^([a-zA-Z0-9.-]+(:[0-9]+)?/)?[a-z0-9][a-z0-9._/-]*{_TAG}{_DIGEST}$")


def is_image(reference: str) -> bool:
    return bool(_IMAGE.match(str(reference)))


def parse_image(reference: str) -> dict[str, str]:
    """go-containerregistry's reading of an image reference, as Kyverno's image library gives it:
    Docker Hub is ``index.docker.io`` with ``library/`` for official images, the tag defaults to
    ``latest`` unless a digest is given."""
    rest, _, digest = str(reference).partition("@")
    first, slash, remainder = rest.partition("/")
    if slash and ("." in first or ":" in first or first == "localhost"):
        registry, path = first, remainder
    else:
        registry, path = "index.docker.io", rest
    tag = ""
    if ":" in path.rsplit("/", 1)[-1]:
        path, tag = path.rsplit(":", 1)
    if registry == "index.docker.io" and "/" not in path:
        path = "library/" + path
    if not tag and not digest:
        tag = "latest"
    return {"registry": registry, "repository": path, "tag": tag, "digest": digest}


def _image_info(value: Any, function: str) -> dict[str, str]:
    return parse_image(str(expect(value, "Image", function)["ref"]))


def image_registry(value: Any) -> str:
    return _image_info(value, "registry")["registry"]


def image_repository(value: Any) -> str:
    return _image_info(value, "repository")["repository"]


def image_tag(value: Any) -> str:
    return _image_info(value, "tag")["tag"]


def image_digest(value: Any) -> str:
    return _image_info(value, "digest")["digest"]


def image_contains_digest(value: Any) -> bool:
    return bool(image_digest(value))


def image_identifier(value: Any) -> str:
    info = _image_info(value, "identifier")
    return info["digest"] or info["tag"]


# ---- hash, json, transform and the string time functions ------------------------------------


def sha1(text: str) -> str:
    return hashlib.sha1(str(text).encode(), usedforsecurity=False).hexdigest()


def sha256(text: str) -> str:
    return hashlib.sha256(str(text).encode()).hexdigest()


def md5(text: str) -> str:
    return hashlib.md5(str(text).encode(), usedforsecurity=False).hexdigest()


def json_unmarshal(receiver: Any, text: Any) -> Any:
    expect(receiver, "json", "json.unmarshal")
    try:
        return json.loads(str(text))
    except ValueError as exc:
        raise LibraryError(f"json.unmarshal: {exc}") from exc


def list_obj_to_map(keys: Sequence[Any], values: Sequence[Any], key: str, value: str) -> Any:
    if len(keys) != len(values):
        raise LibraryError(
            f"listObjToMap must take lists of equal length. list1: {len(keys)}, "
            f"list2: {len(values)}"
        )
    found: dict[str, Any] = {}
    for entry, other in zip(keys, values, strict=True):
        name = entry.get(key) if isinstance(entry, Mapping) else None
        if not isinstance(name, str):
            raise LibraryError("the passed key name cannot be handled as a string")
        found[name] = other.get(value) if isinstance(other, Mapping) else None
    return found


def _rfc3339(text: str, which: str) -> datetime:
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError as exc:
        raise LibraryError(f"invalid {which}timestamp: {text!r}") from exc


def format_rfc3339(moment: datetime) -> str:
    text = moment.isoformat()
    return text.replace("+00:00", "Z")


_GO_UNITS = {"ns": 1e-9, "us": 1e-6, "\u00b5s": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}
_GO_DURATION = re.compile(r"([0-9.]+)(ns|us|\u00b5s|ms|s|m|h)")


def _go_duration(text: str) -> timedelta:
    text = str(text)
    sign = -1 if text.startswith("-") else 1
    body = text.lstrip("+-")
    parts = _GO_DURATION.findall(body)
    if not parts or "".join(n + u for n, u in parts) != body:
        raise LibraryError(f"invalid duration: {text!r}")
    return timedelta(seconds=sign * sum(float(n) * _GO_UNITS[u] for n, u in parts))


def _go_duration_text(delta: timedelta) -> str:
    seconds = delta.total_seconds()
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = f"{secs:g}s"
    if hours or minutes:
        text = f"{int(minutes)}m" + text
    if hours:
        text = f"{int(hours)}h" + text
    return sign + text


def time_add(stamp: str, duration: str) -> str:
    return format_rfc3339(_rfc3339(stamp, "") + _go_duration(duration))


def time_diff(first: str, second: str) -> str:
    return _go_duration_text(_rfc3339(second, "second ") - _rfc3339(first, "first "))


def time_before(first: str, second: str) -> bool:
    return _rfc3339(first, "first ") < _rfc3339(second, "second ")


def time_after(first: str, second: str) -> bool:
    return _rfc3339(first, "first ") > _rfc3339(second, "second ")


_GO_LAYOUT = (
    ("2006", "%Y"), ("01", "%m"), ("02", "%d"), ("15", "%H"), ("04", "%M"), ("05", "%S"),
    ("Z07:00", "%z"), ("-07:00", "%z"), ("-0700", "%z"), ("MST", "%Z"), ("Jan", "%b"),
    ("Mon", "%a"),
)  # fmt: skip


def time_parse(layout: str, value: str) -> str:
    """``time_parse(layout, value)``: a Go layout (or a number: ``value`` is epoch seconds)."""
    layout, value = str(layout), str(value)
    if layout.isdigit():
        if not value.lstrip("-").isdigit():
            raise LibraryError(f"invalid epoch timestamp: {value!r}")
        return format_rfc3339(datetime.fromtimestamp(int(value), tz=UTC))
    pattern = layout
    for go, python in _GO_LAYOUT:
        pattern = pattern.replace(go, python)
    try:
        moment = datetime.strptime(value.replace("Z", "+0000"), pattern)  # noqa: DTZ007 - UTC below
    except ValueError as exc:
        raise LibraryError(f"failed to parse time: {value!r} as {layout!r}") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return format_rfc3339(moment)


# ---- Kyverno context libraries: receivers carry the test's data ----------------------------


def plural(kind: str) -> str:
    """The resource name Kubernetes serves a kind under (``Ingress`` → ``ingresses``)."""
    lower = kind.lower()
    if lower in _IRREGULAR:
        return _IRREGULAR[lower]
    if lower.endswith(("s", "x", "ch", "sh")):
        return lower + "es"
    if lower.endswith("y") and lower[-2:-1] not in "aeiou":
        return lower[:-1] + "ies"
    return lower + "s"


_IRREGULAR = {"endpoints": "endpoints", "podsecuritypolicy": "podsecuritypolicies"}


def _objects(receiver: Any) -> list[Mapping[str, Any]]:
    return list(expect(receiver, "resource", "resource")["objects"] or [])


def _matches(obj: Mapping[str, Any], api_version: str, resource: str, namespace: str) -> bool:
    metadata = obj.get("metadata") or {}
    return (
        (not api_version or str(obj.get("apiVersion", "")) == api_version)
        and plural(str(obj.get("kind", ""))) == resource
        and (not namespace or str(metadata.get("namespace") or "") == namespace)
    )


def resource_get(receiver: Any, api_version: str, resource: str, namespace: str, name: str) -> Any:
    for obj in _objects(receiver):
        if (
            _matches(obj, api_version, resource, namespace)
            and (obj.get("metadata") or {}).get("name") == name
        ):
            return obj
    raise LibraryError(f'{resource} "{name}" not found in namespace {namespace!r}')


def resource_list(receiver: Any, api_version: str, resource: str, namespace: str = "") -> Any:
    items = [o for o in _objects(receiver) if _matches(o, api_version, resource, namespace)]
    return {"apiVersion": api_version, "kind": "List", "items": items}


def http_get(receiver: Any, address: str, headers: Any = None) -> Any:
    del headers
    responses = expect(receiver, "http", "http.Get")["responses"] or {}
    if address in responses:
        return responses[address]
    raise LibraryError(f"http.Get: no response for {address!r} in the test's context")


def http_post(receiver: Any, address: str, body: Any, headers: Any = None) -> Any:
    del body
    return http_get(receiver, address, headers)


def image_metadata(receiver: Any, reference: str) -> Any:
    images = expect(receiver, "imagedata", "image.GetMetadata")["images"] or {}
    if reference in images:
        entry = images[reference]
        found = dict(entry) if isinstance(entry, Mapping) else {}
        return {"image": reference, "manifest": {}, "config": {}, **found}
    raise LibraryError(f"image.GetMetadata: no metadata for {reference!r} in the test's context")


def global_context_get(receiver: Any, name: str, projection: str = "") -> Any:
    entries = expect(receiver, "globalContext", "globalContext.Get")["entries"] or {}
    if name not in entries:
        raise LibraryError(f"globalContext.Get: no entry {name!r} in the test's context")
    value = entries[name]
    if projection and isinstance(value, Mapping):
        return value.get(projection)
    return value


# the ``generator.Apply`` calls of the evaluation in progress, when a caller records them
# (:func:`recording_apply_calls`): a GeneratingPolicy's resources are what its expressions
# apply, wherever the calls sit (``ns.all(n, generator.Apply(n, [...]))``)
_APPLY_CALLS: ContextVar[list[tuple[str | None, Any]] | None] = ContextVar(
    "generator_apply_calls", default=None
)


@contextmanager
def recording_apply_calls() -> Iterator[list[tuple[str | None, Any]]]:
    """Collect (namespace, objects) of every ``generator.Apply`` evaluated inside the block
    (namespace None: the one-argument form, objects keep their own namespace)."""
    calls: list[tuple[str | None, Any]] = []
    token = _APPLY_CALLS.set(calls)
    try:
        yield calls
    finally:
        _APPLY_CALLS.reset(token)


def generator_apply(receiver: Any, namespace: Any, objects: Any = None) -> bool:
    del receiver
    calls = _APPLY_CALLS.get()
    if calls is not None:
        if objects is None:  # generator.Apply(objects)
            calls.append((None, namespace))
        else:
            calls.append((str(namespace), objects))
    return True


def get(receiver: Any, *args: Any) -> Any:
    """``Get`` of the ``resource``, ``http`` and ``globalContext`` libraries."""
    kind = kind_of(receiver)
    if kind == "resource":
        return resource_get(receiver, *args)
    if kind == "http":
        return http_get(receiver, *args)
    if kind == "globalContext":
        return global_context_get(receiver, *args)
    raise LibraryError(f"Get: no such function on {receiver!r}")


def library_bindings(
    cluster_objects: Sequence[Mapping[str, Any]] = (),
    images: Mapping[str, Any] | None = None,
    http_responses: Mapping[str, Any] | None = None,
    global_context: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The variables Kyverno's context libraries are called on, carrying the test's data."""
    return {
        "resource": tagged("resource", objects=list(cluster_objects)),
        "image": tagged("imagedata", images=dict(images or {})),
        "imagedata": tagged("imagedata", images=dict(images or {})),
        "http": tagged("http", responses=dict(http_responses or {})),
        "globalContext": tagged("globalContext", entries=dict(global_context or {})),
        "generator": tagged("generator"),
        "json": tagged("json"),
    }


# ---- authorization responses (ValidatingPolicy HTTP and Envoy modes) -----------------------

AUTHZ_KINDS = ("httpAuthz", "envoyAuthz")


def authz_allowed(receiver: Any) -> dict[str, Any]:
    """``http.Allowed()`` / ``envoy.Allowed()``: a response builder that lets the request in."""
    if kind_of(receiver) not in AUTHZ_KINDS:
        raise LibraryError(f"Allowed: no such function on {receiver!r}")
    return tagged("authzResponse", allowed=True, status=200, reason="", body="", headers={})


def authz_denied(receiver: Any, reason: Any) -> dict[str, Any]:
    """``http.Denied(reason)`` / ``envoy.Denied(code)``: a builder that turns the request away."""
    if kind_of(receiver) not in AUTHZ_KINDS:
        raise LibraryError(f"Denied: no such function on {receiver!r}")
    status = reason if isinstance(reason, int) and not isinstance(reason, bool) else 403
    text = "" if isinstance(reason, int) else str(reason)
    return tagged("authzResponse", allowed=False, status=status, reason=text, body="", headers={})


def authz_with_body(builder: Any, body: Any) -> dict[str, Any]:
    return {**expect(builder, "authzResponse", "WithBody"), "body": str(body)}


def authz_with_header(builder: Any, key: Any, value: Any) -> dict[str, Any]:
    found = expect(builder, "authzResponse", "WithHeader")
    return {**found, "headers": {**found["headers"], str(key): str(value)}}


def authz_response(builder: Any) -> dict[str, Any]:
    """``.Response()``: the decision a validation returns."""
    found = expect(builder, "authzResponse", "Response")
    return {**found, TYPE_KEY: "authzDecision"}
