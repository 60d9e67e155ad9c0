"""relkit's built-in starter policies, shipped as YAML package data and selected by name.

``require-ecr-images`` has one setting, the registry pattern (input ``ecr-registry``): every
occurrence of :data:`ECR_PLACEHOLDER` in that policy is replaced by the configured pattern.
"""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

from relkit.errors import ConfigError

NAMES = ("block-default-namespace", "block-latest-tag", "require-ecr-images")
ECR_PLACEHOLDER = "*.dkr.ecr.*.amazonaws.com"
_REGISTRY = re.compile(r"^[A-Za-z0-9*?.\-]+(:[0-9*]+)?(/[A-Za-z0-9*?._\-/]+)?$")


def read_builtin(name: str) -> bytes:
    """The YAML text of a built-in policy (package data; no user files are read)."""
    if name not in NAMES:
        raise ConfigError(f"unknown built-in policy {name!r}; choose from {', '.join(NAMES)}")
    return resources.files(__name__).joinpath(f"{name}.yaml").read_bytes()


def check_registry(pattern: str) -> str:
    """Validate the ``ecr-registry`` setting: a registry host glob, optionally with a path."""
    value = pattern.strip().rstrip("/")
    if not value or not _REGISTRY.match(value):
        raise ConfigError(
            f"input 'ecr-registry' must be a registry host pattern such as "
            f"'123456789012.dkr.ecr.eu-west-1.amazonaws.com' or '{ECR_PLACEHOLDER}', "
            f"got {pattern!r}"
        )
    return value


def apply_registry(data: Any, registry: str) -> Any:
    """A copy of a parsed policy with every :data:`ECR_PLACEHOLDER` replaced by ``registry``."""
    if isinstance(data, str):
        return data.replace(ECR_PLACEHOLDER, registry)
    if isinstance(data, dict):
        return {key: apply_registry(value, registry) for key, value in data.items()}
    if isinstance(data, list):
        return [apply_registry(value, registry) for value in data]
    return data
