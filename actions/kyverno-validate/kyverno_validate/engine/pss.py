"""Pod Security Standards for ``validate.podSecurity`` (placeholder until the checks land)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def evaluate_pod_security(spec: Mapping[str, Any], resource: Any) -> tuple[str, str]:
    del spec, resource
    return "pass", "podSecurity checks are not implemented yet"
