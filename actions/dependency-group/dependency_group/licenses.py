"""The licence gate: which licence a proposed version has, and whether the policy allows it.

Pure. PyPI metadata resolves as ``license_expression`` (PEP 639) → an SPDX-looking ``license``
→ Trove classifiers → unknown. Policy decisions walk the expression tree of the
``license-expression`` library (imported on first use): an ``OR`` passes when any branch is
allowed, an ``AND`` only when all are; ``X WITH exception`` is decided on the whole
``X WITH exception`` first (so an allow list can name it), then on ``X``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

# Trove classifiers → SPDX (the common ones; a generic GPL classifier counts as the GPL family)
_OSI = "License :: OSI Approved :: "
CLASSIFIERS: Mapping[str, str] = {
    _OSI + "MIT License": "MIT",
    _OSI + "MIT No Attribution License (MIT-0)": "MIT-0",
    _OSI + "Apache Software License": "Apache-2.0",
    _OSI + "BSD License": "BSD-3-Clause",
    _OSI + "ISC License (ISCL)": "ISC",
    _OSI + "Python Software Foundation License": "PSF-2.0",
    _OSI + "Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
    _OSI + "The Unlicense (Unlicense)": "Unlicense",
    _OSI + "zlib/libpng License": "Zlib",
    _OSI + "GNU General Public License (GPL)": "GPL-1.0-or-later",
    _OSI + "GNU General Public License v2 (GPLv2)": "GPL-2.0-only",
    _OSI + "GNU General Public License v2 or later (GPLv2+)": "GPL-2.0-or-later",
    _OSI + "GNU General Public License v3 (GPLv3)": "GPL-3.0-only",
    _OSI + "GNU General Public License v3 or later (GPLv3+)": "GPL-3.0-or-later",
    _OSI + "GNU Lesser General Public License v2 (LGPLv2)": "LGPL-2.0-only",
    _OSI + "GNU Lesser General Public License v2 or later (LGPLv2+)": "LGPL-2.0-or-later",
    _OSI + "GNU Lesser General Public License v3 (LGPLv3)": "LGPL-3.0-only",
    _OSI + "GNU Lesser General Public License v3 or later (LGPLv3+)": "LGPL-3.0-or-later",
    _OSI + "GNU Library or Lesser General Public License (LGPL)": "LGPL-2.0-or-later",
    _OSI + "GNU Affero General Public License v3": "AGPL-3.0-only",
    _OSI + "GNU Affero General Public License v3 or later (AGPLv3+)": "AGPL-3.0-or-later",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Policy:
    deny: tuple[str, ...] = ("GPL-*", "AGPL-*")
    allow: tuple[str, ...] = ()
    allow_lgpl: bool = True
    allow_unknown: bool = False


@dataclass(frozen=True, slots=True)
class Decision:
    ok: bool
    reason: str


@functools.cache
def _licensing() -> Any:
    from license_expression import get_spdx_licensing  # noqa: PLC0415 - heavy, on first use

    return get_spdx_licensing()


def normalize(text: str) -> str | None:
    """A valid SPDX expression, normalised (``gpl-3.0+`` → ``GPL-3.0-or-later``), or None."""
    from license_expression import ExpressionError  # noqa: PLC0415

    try:
        parsed = _licensing().parse(text, validate=True, strict=False)
    except (ExpressionError, ValueError, TypeError):
        return None
    if parsed is None:
        return None
    return str(parsed.render("{symbol.key}"))


def from_pypi(info: Mapping[str, Any]) -> str | None:
    """The licence of a PyPI release from its ``info``: expression, licence text, classifiers."""
    expression = info.get("license_expression")
    if isinstance(expression, str) and expression.strip():
        return normalize(expression.strip()) or expression.strip()
    text = info.get("license")
    if isinstance(text, str) and text.strip() and len(text) < 100:
        normalized = normalize(text.strip())
        if normalized:
            return normalized
    classifiers = [
        CLASSIFIERS[item]
        for item in info.get("classifiers") or []
        if isinstance(item, str) and item in CLASSIFIERS
    ]
    if classifiers:
        return " OR ".join(dict.fromkeys(classifiers))
    return None


def _denied_id(key: str, policy: Policy) -> bool:
    if policy.allow_lgpl and key.upper().startswith("LGPL-"):
        return False
    if not policy.allow_lgpl and key.upper().startswith("LGPL-"):
        return True
    return any(fnmatchcase(key.upper(), pattern.upper()) for pattern in policy.deny)


def _allowed_id(key: str, policy: Policy) -> bool:
    if policy.allow and not any(fnmatchcase(key.upper(), p.upper()) for p in policy.allow):
        return False
    return not _denied_id(key, policy)


def _allowed(node: Any, policy: Policy) -> bool:
    from license_expression import AND, OR, LicenseWithExceptionSymbol  # noqa: PLC0415

    if isinstance(node, OR):
        return any(_allowed(arg, policy) for arg in node.args)
    if isinstance(node, AND):
        return all(_allowed(arg, policy) for arg in node.args)
    if isinstance(node, LicenseWithExceptionSymbol):
        whole = f"{node.license_symbol.key} WITH {node.exception_symbol.key}"
        if policy.allow and any(fnmatchcase(whole.upper(), p.upper()) for p in policy.allow):
            return True
        if any(fnmatchcase(whole.upper(), p.upper()) for p in policy.deny):
            return False
        return _allowed_id(str(node.license_symbol.key), policy)
    return _allowed_id(str(node.key), policy)


def evaluate(license_text: str | None, policy: Policy) -> Decision:
    """Whether a licence (an SPDX expression, or None for unknown) passes the policy."""
    if not license_text:
        if policy.allow_unknown:
            return Decision(True, "licence unknown (allowed by allow-unknown-license)")
        return Decision(False, "licence unknown (set allow-unknown-license: true to allow it)")
    from license_expression import ExpressionError  # noqa: PLC0415

    try:
        parsed = _licensing().parse(license_text, validate=False, strict=False)
    except (ExpressionError, ValueError, TypeError):
        parsed = None
    if parsed is None:
        if policy.allow_unknown:
            return Decision(True, f"licence {license_text!r} is not SPDX (allowed as unknown)")
        return Decision(False, f"licence {license_text!r} is not an SPDX expression")
    if _allowed(parsed, policy):
        return Decision(True, "")
    return Decision(False, f"licence {license_text} is denied by the licence policy")
