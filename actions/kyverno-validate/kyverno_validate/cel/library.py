"""The Kubernetes CEL library functions, as plain Python (pure).

Each function here is registered with cel-expr-python by :mod:`kyverno_validate.cel.environment`
(Kyverno's own libraries are in :mod:`kyverno_validate.cel.kyverno_library`). Opaque CEL values
(Kubernetes ``Quantity``, ``URL``, ``IP``, ``CIDR``, ``Semver``, Kyverno's ``Image``) are maps
tagged with :data:`TYPE_KEY`. A function raises :class:`LibraryError` for bad input; CEL turns it
into an error value.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any
from urllib.parse import urlsplit

TYPE_KEY = "__kyverno_type__"


def parse_quantity(text: str) -> Fraction | None:
    """The engine's quantity parser, imported late: the engine imports this package."""
    from kyverno_validate.engine.quantity import parse_quantity as parse  # noqa: PLC0415

    return parse(text)


class LibraryError(ValueError):
    """A CEL library function was called with a value it cannot handle."""


def tagged(kind: str, **fields: Any) -> dict[str, Any]:
    return {TYPE_KEY: kind, **fields}


def kind_of(value: Any) -> str:
    return str(value.get(TYPE_KEY, "")) if isinstance(value, Mapping) else ""


def expect(value: Any, kind: str, function: str) -> Mapping[str, Any]:
    if kind_of(value) != kind:
        raise LibraryError(f"{function}: expected a {kind}, got {value!r}")
    return value  # type: ignore[no-any-return]


# ---- Kubernetes lists library -------------------------------------------------------------


def list_index_of(values: Sequence[Any], item: Any) -> int:
    return next((i for i, v in enumerate(values) if v == item), -1)


def list_last_index_of(values: Sequence[Any], item: Any) -> int:
    return next((i for i in range(len(values) - 1, -1, -1) if values[i] == item), -1)


def list_is_sorted(values: Sequence[Any]) -> bool:
    return all(values[i] <= values[i + 1] for i in range(len(values) - 1))


def list_sum(values: Sequence[Any]) -> Any:
    return sum(values)


def list_min(values: Sequence[Any]) -> Any:
    if not values:
        raise LibraryError("min: the list is empty")
    return min(values)


def list_max(values: Sequence[Any]) -> Any:
    if not values:
        raise LibraryError("max: the list is empty")
    return max(values)


# ---- regex --------------------------------------------------------------------------------


def regex_find(text: str, pattern: str) -> str:
    found = re.search(pattern, text)
    return found.group() if found else ""


def regex_find_all(text: str, pattern: str, limit: int = -1) -> list[str]:
    found = [m.group() for m in re.finditer(pattern, text)]
    return found if limit < 0 else found[:limit]


# ---- URL ----------------------------------------------------------------------------------


def url(text: str) -> dict[str, Any]:
    parts = urlsplit(text)
    if not parts.scheme and not text.startswith("/"):
        raise LibraryError(f"url: {text!r} is not an absolute URI or an absolute path")
    return tagged("URL", value=text)


def is_url(text: str) -> bool:
    try:
        url(text)
    except (LibraryError, ValueError):
        return False
    return True


def _url_parts(value: Any, function: str) -> Any:
    return urlsplit(str(expect(value, "URL", function)["value"]))


def url_scheme(value: Any) -> str:
    return str(_url_parts(value, "getScheme").scheme)


def url_host(value: Any) -> str:
    return str(_url_parts(value, "getHost").netloc.rpartition("@")[2])


def url_hostname(value: Any) -> str:
    host = _url_parts(value, "getHostname").hostname or ""
    return str(host)


def url_port(value: Any) -> str:
    parts = _url_parts(value, "getPort")
    netloc = parts.netloc.rpartition("@")[2]
    if netloc.endswith("]") or ":" not in netloc:
        return ""
    return str(netloc.rpartition(":")[2])


def url_escaped_path(value: Any) -> str:
    return str(_url_parts(value, "getEscapedPath").path)


def url_query(value: Any) -> dict[str, list[str]]:
    from urllib.parse import parse_qs  # noqa: PLC0415

    return parse_qs(_url_parts(value, "getQuery").query, keep_blank_values=True)


# ---- quantity ------------------------------------------------------------------------------


def quantity(text: str) -> dict[str, Any]:
    if parse_quantity(str(text)) is None:
        raise LibraryError(f"quantity: {text!r} is not a Kubernetes quantity")
    return tagged("Quantity", value=str(text))


def is_quantity(text: str) -> bool:
    return parse_quantity(str(text)) is not None


def _quantity_value(value: Any, function: str) -> Fraction:
    if isinstance(value, int) and not isinstance(value, bool):
        return Fraction(value)
    parsed = parse_quantity(str(expect(value, "Quantity", function)["value"]))
    if parsed is None:  # pragma: no cover - quantity() checked it
        raise LibraryError(f"{function}: bad quantity {value!r}")
    return parsed


def _format_quantity(number: Fraction) -> dict[str, Any]:
    if number.denominator == 1:
        return tagged("Quantity", value=str(number.numerator))
    milli = number * 1000
    if milli.denominator == 1:
        return tagged("Quantity", value=f"{milli.numerator}m")
    return tagged("Quantity", value=str(float(number)))


def quantity_add(left: Any, right: Any) -> dict[str, Any]:
    return _format_quantity(_quantity_value(left, "add") + _quantity_value(right, "add"))


def quantity_sub(left: Any, right: Any) -> dict[str, Any]:
    return _format_quantity(_quantity_value(left, "sub") - _quantity_value(right, "sub"))


def quantity_as_integer(value: Any) -> int:
    number = _quantity_value(value, "asInteger")
    if number.denominator != 1:
        raise LibraryError(f"asInteger: {value['value']!r} is not an integer")
    return number.numerator


def quantity_is_integer(value: Any) -> bool:
    return _quantity_value(value, "isInteger").denominator == 1


def quantity_as_float(value: Any) -> float:
    return float(_quantity_value(value, "asApproximateFloat"))


def quantity_sign(value: Any) -> int:
    number = _quantity_value(value, "sign")
    return (number > 0) - (number < 0)


# ---- semver ---------------------------------------------------------------------------------

_SEMVER = re.compile(
    r"^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$"
)


def semver(text: str) -> dict[str, Any]:
    found = _SEMVER.match(str(text))
    if found is None:
        raise LibraryError(f"semver: {text!r} is not a semantic version")
    return tagged("Semver", value=str(text))


def is_semver(text: str) -> bool:
    return _SEMVER.match(str(text)) is not None


def _semver_key(value: Any, function: str) -> tuple[Any, ...]:
    found = _SEMVER.match(str(expect(value, "Semver", function)["value"]))
    assert found is not None  # noqa: S101 - semver() checked it
    pre = found.group(4)
    pre_key: tuple[Any, ...] = (1,)
    if pre:
        pre_key = (0, *((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split(".")))
    return (int(found.group(1)), int(found.group(2)), int(found.group(3)), pre_key)


def semver_part(value: Any, index: int) -> int:
    return int(_semver_key(value, "major/minor/patch")[index])


# ---- comparisons shared by Quantity and Semver ------------------------------------------------


def compare(left: Any, right: Any) -> int:
    if kind_of(left) == "Semver":
        a: Any = _semver_key(left, "compareTo")
        b: Any = _semver_key(right, "compareTo")
    else:
        a, b = _quantity_value(left, "compareTo"), _quantity_value(right, "compareTo")
    return int(a > b) - int(a < b)


def is_less_than(left: Any, right: Any) -> bool:
    return compare(left, right) < 0


def is_greater_than(left: Any, right: Any) -> bool:
    return compare(left, right) > 0


# ---- IP and CIDR ------------------------------------------------------------------------------


def ip(text: str) -> dict[str, Any]:
    try:
        address = ipaddress.ip_address(str(text))
    except ValueError as exc:
        raise LibraryError(f"ip: {text!r} is not an IP address") from exc
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        raise LibraryError(f"ip: IPv4-mapped IPv6 address {text!r} is not allowed")
    return tagged("IP", value=str(address))


def is_ip(text: str) -> bool:
    try:
        ip(text)
    except LibraryError:
        return False
    return True


def _address(value: Any, function: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    if isinstance(value, str):
        return ipaddress.ip_address(ip(value)["value"])
    return ipaddress.ip_address(str(expect(value, "IP", function)["value"]))


def ip_family(value: Any) -> int:
    return _address(value, "family").version


def ip_is_unspecified(value: Any) -> bool:
    return _address(value, "isUnspecified").is_unspecified


def ip_is_loopback(value: Any) -> bool:
    return _address(value, "isLoopback").is_loopback


def ip_is_link_local_multicast(value: Any) -> bool:
    address = _address(value, "isLinkLocalMulticast")
    if address.version == 4:
        return address in ipaddress.ip_network("224.0.0.0/24")
    return address in ipaddress.ip_network("ff02::/16")


def ip_is_link_local_unicast(value: Any) -> bool:
    return _address(value, "isLinkLocalUnicast").is_link_local


def ip_is_global_unicast(value: Any) -> bool:
    address = _address(value, "isGlobalUnicast")
    return not (
        address.is_unspecified
        or address.is_loopback
        or address.is_multicast
        or address.is_link_local
        or address == ipaddress.ip_address("255.255.255.255")
    )


def cidr(text: str) -> dict[str, Any]:
    try:
        network = ipaddress.ip_network(str(text), strict=False)
    except ValueError as exc:
        raise LibraryError(f"cidr: {text!r} is not a CIDR") from exc
    return tagged("CIDR", value=str(text), network=str(network))


def is_cidr(text: str) -> bool:
    try:
        cidr(text)
    except LibraryError:
        return False
    return True


def _network(value: Any, function: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    if isinstance(value, str):
        value = cidr(value)
    return ipaddress.ip_network(str(expect(value, "CIDR", function)["network"]))


def cidr_contains_ip(value: Any, address: Any) -> bool:
    return _address(address, "containsIP") in _network(value, "containsIP")


def cidr_contains_cidr(value: Any, other: Any) -> bool:
    inner, outer = _network(other, "containsCIDR"), _network(value, "containsCIDR")
    return inner.version == outer.version and inner.subnet_of(outer)  # type: ignore[arg-type]


def cidr_ip(value: Any) -> dict[str, Any]:
    text = str(expect(value, "CIDR", "ip")["value"])
    return tagged("IP", value=str(ipaddress.ip_interface(text).ip))


def cidr_masked(value: Any) -> dict[str, Any]:
    network = _network(value, "masked")
    return tagged("CIDR", value=str(network), network=str(network))


def cidr_prefix_length(value: Any) -> int:
    return _network(value, "prefixLength").prefixlen


def to_string(value: Any) -> str:
    """``string(x)`` for the opaque types."""
    kind = kind_of(value)
    if not kind:
        raise LibraryError(f"string: no conversion for {value!r}")
    return str(value.get("value") or value.get("ref") or "")
