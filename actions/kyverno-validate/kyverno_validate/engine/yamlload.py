"""Multi-document YAML as Kyverno reads it: JSON-like values, timestamps kept as strings."""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _yaml() -> Any:
    from ruamel.yaml import YAML  # noqa: PLC0415 - heavy import kept lazy
    from ruamel.yaml.constructor import SafeConstructor  # noqa: PLC0415

    class _Constructor(SafeConstructor):
        pass

    _Constructor.add_constructor("tag:yaml.org,2002:timestamp", SafeConstructor.construct_yaml_str)
    yaml = YAML(typ="safe", pure=True)
    yaml.Constructor = _Constructor
    return yaml


def load_all(text: str) -> list[Any]:
    """Every document of ``text``; raises ValueError on a syntax error."""
    from ruamel.yaml.error import YAMLError  # noqa: PLC0415

    try:
        return list(_yaml().load_all(text))
    except YAMLError as exc:
        raise ValueError(str(exc).replace("\n", " ")) from exc
