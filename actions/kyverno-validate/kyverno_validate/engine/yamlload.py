"""Multi-document YAML as Kyverno reads it (sigs.k8s.io/yaml, YAML 1.1 rules): ``yes``/``on``
are booleans, timestamps stay strings, and base-60 numbers (``1:20``) stay strings."""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _yaml() -> Any:
    from ruamel.yaml import YAML  # noqa: PLC0415 - heavy import kept lazy
    from ruamel.yaml.constructor import SafeConstructor  # noqa: PLC0415

    class _Constructor(SafeConstructor):
        def construct_yaml_int(self, node: Any) -> Any:
            if ":" in str(node.value):
                return self.construct_scalar(node)
            return super().construct_yaml_int(node)

        def construct_yaml_float(self, node: Any) -> Any:
            text = str(node.value)
            if ":" in text:
                return self.construct_scalar(node)
            if "." not in text and text.lower().lstrip("+-") not in (".inf", ".nan"):
                return float(text.replace("_", ""))  # 1e3: a float without YAML 1.1's warning
            return super().construct_yaml_float(node)

    _Constructor.add_constructor("tag:yaml.org,2002:timestamp", SafeConstructor.construct_yaml_str)
    _Constructor.add_constructor("tag:yaml.org,2002:int", _Constructor.construct_yaml_int)
    _Constructor.add_constructor("tag:yaml.org,2002:float", _Constructor.construct_yaml_float)
    yaml = YAML(typ="safe", pure=True)
    yaml.version = (1, 1)
    yaml.Constructor = _Constructor
    return yaml


def load_all(text: str) -> list[Any]:
    """Every document of ``text``; raises ValueError on a syntax error."""
    from ruamel.yaml.error import YAMLError  # noqa: PLC0415

    yaml = _yaml()
    # ruamel drops the version after a document that ends in a bare ``---``: set it each time
    yaml.version = (1, 1)
    try:
        return list(yaml.load_all(text))
    except YAMLError as exc:
        raise ValueError(str(exc).replace("\n", " ")) from exc
