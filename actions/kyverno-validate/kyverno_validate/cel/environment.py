"""The cel-expr-python environment: Kubernetes + Kyverno libraries, compile cache, evaluation.

cel-expr-python (Google's cel-cpp) is imported here, lazily, on the first compile: ``relkit
--help`` and the classic engine never load it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from kyverno_validate.cel import kyverno_library as kyv
from kyverno_validate.cel import library as lib
from kyverno_validate.cel.rewrite import rewrite, tokenize

# every variable a Kyverno or Kubernetes CEL expression may read, all typed dyn
VARIABLES = (
    "object",
    "oldObject",
    "request",
    "params",
    "namespaceObject",
    "variables",
    "authorizer",
    "resource",
    "image",
    "imagedata",
    "http",
    "globalContext",
    "generator",
    "images",
    "attestations",
    "exceptions",
    "json",
)


@dataclass(frozen=True, slots=True)
class CelError:
    """A compile or evaluation error, returned as a value (never raised)."""

    message: str
    expression: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, slots=True)
class Program:
    """One compiled expression; :meth:`evaluate` runs it on a set of variables."""

    source: str
    compiled: Any
    # the names the expression reads: only those bindings are converted to CEL values per call
    names: frozenset[str] = frozenset(VARIABLES)

    def evaluate(self, bindings: Mapping[str, Any], now: datetime | None = None) -> Any:
        """The plain Python value (dict, list, str, int, float, bool, None, datetime,
        timedelta), or a :class:`CelError`. Bound values that came out of CEL as datetime or
        timedelta must go through :func:`to_cel` first."""
        from cel_expr_python import cel  # noqa: PLC0415

        defaults = _defaults()
        data = {
            name: bindings[name] if name in bindings else defaults[name]
            for name in self.names
            if name in bindings or name in defaults
        }
        try:
            if now is None:
                value = self.compiled.eval(data=data)
            else:
                moment = now.astimezone(UTC)
                text = kyv.format_rfc3339(moment)
                functions = [
                    cel.Function("time.now", [], False, lambda: moment, cel.Type.TIMESTAMP),
                    cel.Function("time_now", [], False, lambda: text, cel.Type.STRING),
                    cel.Function("time_now_utc", [], False, lambda: text, cel.Type.STRING),
                ]
                value = self.compiled.eval(_env().Activation(data, functions=functions))
        except (RuntimeError, TypeError, ValueError) as exc:  # pragma: no cover - defensive
            return CelError(_clean(str(exc)), self.source)
        if value.type() == cel.Type.ERROR:
            return CelError(_clean(str(value.plain_value())), self.source)
        return _plain(value.plain_value())


_UNBOUND = ("object", "oldObject", "request", "params", "namespaceObject", "authorizer")


@functools.cache
def _defaults() -> dict[str, Any]:
    """Unbound variables are null; the context libraries answer nothing unless given data."""
    return {**dict.fromkeys(_UNBOUND), "variables": {}, **kyv.library_bindings()}


_SHOWN = 300  # characters of an expression / parser message shown in a compile error


def _clean(message: str) -> str:
    return " ".join(message.split())


def _plain(value: Any) -> Any:
    """Optional values unwrap to their value (or None)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


_PLAIN = (str, int, float, bool, type(None))


def to_cel(value: Any) -> Any:
    """A value CEL returned, made fit to be bound again (durations, timestamps)."""
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, timedelta):
        from google.protobuf import duration_pb2  # noqa: PLC0415

        duration = duration_pb2.Duration()
        duration.FromTimedelta(value)
        return duration
    if isinstance(value, datetime):
        from google.protobuf import timestamp_pb2  # noqa: PLC0415

        stamp = timestamp_pb2.Timestamp()
        stamp.FromDatetime(value.astimezone(UTC).replace(tzinfo=None))
        return stamp
    if isinstance(value, dict):
        return {k: to_cel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_cel(v) for v in value]
    return value


@functools.lru_cache(maxsize=8192)
def compile_expression(source: str) -> Program | CelError:
    """Compile once (cached by source); a syntax error comes back as a :class:`CelError`."""
    rewritten = rewrite(source)
    try:
        compiled = _env().compile(rewritten, disable_check=True)
    except (RuntimeError, ValueError) as exc:
        shown = _clean(source)
        shown = shown if len(shown) <= _SHOWN else shown[: _SHOWN - 3] + "..."
        reason = _clean(str(exc))
        reason = reason if len(reason) <= _SHOWN else reason[: _SHOWN - 3] + "..."
        return CelError(f"failed to compile {shown!r}: {reason}", source)
    return Program(source, compiled, _variables_read(rewritten))


def _variables_read(source: str) -> frozenset[str]:
    """The variables an expression may read: every identifier not after a ``.``."""
    tokens = [t for t in tokenize(source) if t.kind not in ("ws", "comment")]
    return frozenset(
        t.text.split(".", 1)[0]
        for i, t in enumerate(tokens)
        if t.kind == "ident" and (i == 0 or tokens[i - 1].text not in (".", ".?"))
    )


def evaluate_expression(
    source: str, bindings: Mapping[str, Any], now: datetime | None = None
) -> Any:
    """Compile (cached) and evaluate: the value, or a :class:`CelError`."""
    program = compile_expression(source)
    if isinstance(program, CelError):
        return program
    return program.evaluate(bindings, now)


def _overloads() -> list[tuple[str, str, bool, list[str], str, Callable[..., Any]]]:
    """(function, overload id, member?, parameter types, result type, impl)."""
    d, s, i, b, m, li = "dyn", "string", "int", "bool", "map", "list"
    return [
        ("indexOf", "list_index_of", True, [li, d], i, lib.list_index_of),
        ("lastIndexOf", "list_last_index_of", True, [li, d], i, lib.list_last_index_of),
        ("isSorted", "list_is_sorted", True, [li], b, lib.list_is_sorted),
        ("sum", "list_sum", True, [li], d, lib.list_sum),
        ("min", "list_min", True, [li], d, lib.list_min),
        ("max", "list_max", True, [li], d, lib.list_max),
        ("find", "string_find", True, [s, s], s, lib.regex_find),
        ("findAll", "string_find_all", True, [s, s], li, lib.regex_find_all),
        ("findAll", "string_find_all_n", True, [s, s, i], li, lib.regex_find_all),
        ("url", "string_to_url", False, [s], m, lib.url),
        ("isURL", "is_url", False, [s], b, lib.is_url),
        ("getScheme", "url_scheme", True, [m], s, lib.url_scheme),
        ("getHost", "url_host", True, [m], s, lib.url_host),
        ("getHostname", "url_hostname", True, [m], s, lib.url_hostname),
        ("getPort", "url_port", True, [m], s, lib.url_port),
        ("getEscapedPath", "url_path", True, [m], s, lib.url_escaped_path),
        ("getQuery", "url_query", True, [m], m, lib.url_query),
        ("quantity", "string_to_quantity", False, [s], m, lib.quantity),
        ("isQuantity", "is_quantity", False, [s], b, lib.is_quantity),
        ("add", "quantity_add", True, [m, d], m, lib.quantity_add),
        ("sub", "quantity_sub", True, [m, d], m, lib.quantity_sub),
        ("asInteger", "quantity_as_integer", True, [m], i, lib.quantity_as_integer),
        ("isInteger", "quantity_is_integer", True, [m], b, lib.quantity_is_integer),
        ("asApproximateFloat", "quantity_float", True, [m], "double", lib.quantity_as_float),
        ("sign", "quantity_sign", True, [m], i, lib.quantity_sign),
        ("semver", "string_to_semver", False, [s], m, lib.semver),
        ("isSemver", "is_semver", False, [s], b, lib.is_semver),
        ("major", "semver_major", True, [m], i, lambda v: lib.semver_part(v, 0)),
        ("minor", "semver_minor", True, [m], i, lambda v: lib.semver_part(v, 1)),
        ("patch", "semver_patch", True, [m], i, lambda v: lib.semver_part(v, 2)),
        ("compareTo", "opaque_compare", True, [m, m], i, lib.compare),
        ("isLessThan", "opaque_less", True, [m, m], b, lib.is_less_than),
        ("isGreaterThan", "opaque_greater", True, [m, m], b, lib.is_greater_than),
        ("ip", "string_to_ip", False, [s], m, lib.ip),
        ("ip", "cidr_ip", True, [m], m, lib.cidr_ip),
        ("isIP", "is_ip", False, [s], b, lib.is_ip),
        ("family", "ip_family", True, [m], i, lib.ip_family),
        ("isUnspecified", "ip_unspecified", True, [m], b, lib.ip_is_unspecified),
        ("isLoopback", "ip_loopback", True, [m], b, lib.ip_is_loopback),
        ("isLinkLocalMulticast", "ip_llm", True, [m], b, lib.ip_is_link_local_multicast),
        ("isLinkLocalUnicast", "ip_llu", True, [m], b, lib.ip_is_link_local_unicast),
        ("isGlobalUnicast", "ip_global", True, [m], b, lib.ip_is_global_unicast),
        ("cidr", "string_to_cidr", False, [s], m, lib.cidr),
        ("isCIDR", "is_cidr", False, [s], b, lib.is_cidr),
        ("containsIP", "cidr_contains_ip", True, [m, d], b, lib.cidr_contains_ip),
        ("containsCIDR", "cidr_contains_cidr", True, [m, d], b, lib.cidr_contains_cidr),
        ("masked", "cidr_masked", True, [m], m, lib.cidr_masked),
        ("prefixLength", "cidr_prefix_length", True, [m], i, lib.cidr_prefix_length),
        ("string", "opaque_to_string", False, [m], s, lib.to_string),
        ("jsonpatch.escapeKey", "jsonpatch_escape_key", False, [s], s, kyv.jsonpatch_escape_key),
        ("parseServiceAccount", "parse_sa", False, [s], m, kyv.parse_service_account),
        ("image", "string_to_image", False, [s], m, kyv.image),
        ("parseImageReference", "parse_image_reference", False, [s], m, kyv.image),
        ("isImage", "is_image", False, [s], b, kyv.is_image),
        ("registry", "image_registry", True, [m], s, kyv.image_registry),
        ("repository", "image_repository", True, [m], s, kyv.image_repository),
        ("tag", "image_tag", True, [m], s, kyv.image_tag),
        ("digest", "image_digest", True, [m], s, kyv.image_digest),
        ("identifier", "image_identifier", True, [m], s, kyv.image_identifier),
        ("containsDigest", "image_contains_digest", True, [m], b, kyv.image_contains_digest),
        ("Get", "lib_get_1", True, [m, d], d, kyv.get),
        ("Get", "lib_get_2", True, [m, d, d], d, kyv.get),
        ("Get", "lib_get_4", True, [m, d, d, d, d], d, kyv.get),
        ("List", "resource_list_2", True, [m, d, d], d, kyv.resource_list),
        ("List", "resource_list_3", True, [m, d, d, d], d, kyv.resource_list),
        ("Post", "http_post_2", True, [m, d, d], d, kyv.http_post),
        ("Post", "http_post_3", True, [m, d, d, d], d, kyv.http_post),
        ("GetMetadata", "image_metadata", True, [m, d], d, kyv.image_metadata),
        ("Allowed", "authz_allowed", True, [m], m, kyv.authz_allowed),
        ("Denied", "authz_denied", True, [m, d], m, kyv.authz_denied),
        ("WithBody", "authz_with_body", True, [m, d], m, kyv.authz_with_body),
        ("WithHeader", "authz_with_header", True, [m, d, d], m, kyv.authz_with_header),
        ("Response", "authz_response", True, [m], m, kyv.authz_response),
        # newer Kyverno policies spell the context functions in lower case
        # (``resource.get``, ``resource.list``, ``http.post``)
        ("get", "lib_get_1_lower", True, [m, d], d, kyv.get),
        ("get", "lib_get_2_lower", True, [m, d, d], d, kyv.get),
        ("get", "lib_get_4_lower", True, [m, d, d, d, d], d, kyv.get),
        ("list", "resource_list_2_lower", True, [m, d, d], d, kyv.resource_list),
        ("list", "resource_list_3_lower", True, [m, d, d, d], d, kyv.resource_list),
        ("post", "http_post_2_lower", True, [m, d, d], d, kyv.http_post),
        ("post", "http_post_3_lower", True, [m, d, d, d], d, kyv.http_post),
        ("Apply", "generator_apply", True, [m, d, d], b, kyv.generator_apply),
        ("Apply", "generator_apply_1", True, [m, d], b, kyv.generator_apply),
        # ``generator.apply`` in lower case, as newer Kyverno releases accept it
        ("apply", "generator_apply_lower", True, [m, d, d], b, kyv.generator_apply),
        ("apply", "generator_apply_lower_1", True, [m, d], b, kyv.generator_apply),
        ("sha1", "sha1_string", False, [s], s, kyv.sha1),
        ("sha256", "sha256_string", False, [s], s, kyv.sha256),
        ("md5", "md5_string", False, [s], s, kyv.md5),
        ("unmarshal", "json_unmarshal", True, [m, d], d, kyv.json_unmarshal),
        ("listObjToMap", "list_obj_to_map", False, [li, li, s, s], m, kyv.list_obj_to_map),
        ("time_add", "time_add", False, [s, s], s, kyv.time_add),
        ("time_diff", "time_diff", False, [s, s], s, kyv.time_diff),
        ("time_before", "time_before", False, [s, s], b, kyv.time_before),
        ("time_after", "time_after", False, [s, s], b, kyv.time_after),
        ("time_parse", "time_parse", False, [s, s], s, kyv.time_parse),
    ]


@functools.cache
def _env() -> Any:
    from cel_expr_python import cel  # noqa: PLC0415
    from cel_expr_python.ext import (  # noqa: PLC0415
        ext_bindings,
        ext_encoders,
        ext_math,
        ext_optional,
        ext_strings,
    )

    kind = cel.Type
    types = {
        "dyn": kind.DYN,
        "string": kind.STRING,
        "int": kind.INT,
        "bool": kind.BOOL,
        "double": kind.DOUBLE,
        "map": kind.Map(kind.STRING, kind.DYN),
        "list": kind.List(kind.DYN),
    }
    declarations: dict[str, list[Any]] = {}
    for name, overload_id, member, params, result, impl in _overloads():
        declarations.setdefault(name, []).append(
            cel.Overload(
                overload_id,
                types[result],
                [types[p] for p in params],
                is_member=member,
                impl=_guard(impl),
            )
        )
    for name, result in (
        ("time.now", "TIMESTAMP"),
        ("time_now", "STRING"),
        ("time_now_utc", "STRING"),
    ):
        declarations.setdefault(name, []).append(cel.Overload(name, getattr(kind, result), []))
    functions = [cel.FunctionDecl(name, overloads) for name, overloads in declarations.items()]
    kubernetes = cel.CelExtension("relkit-kubernetes-kyverno", functions)
    return cel.NewEnv(
        variables=dict.fromkeys(VARIABLES, kind.DYN),
        extensions=[
            ext_optional.ExtOptional(),
            ext_strings.ExtStrings(),  # before ours: we add a list overload to its indexOf
            ext_math.ExtMath(),
            ext_encoders.ExtEncoders(),
            ext_bindings.ExtBindings(),
            kubernetes,
        ],
    )


def _guard(impl: Callable[..., Any]) -> Callable[..., Any]:
    """Library errors become CEL errors with the library's message."""

    @functools.wraps(impl)
    def call(*args: Any) -> Any:
        try:
            return impl(*args)
        except (lib.LibraryError, TypeError, ValueError, KeyError) as exc:
            raise RuntimeError(str(exc)) from exc

    return call
