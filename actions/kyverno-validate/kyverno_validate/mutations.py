"""Mutate rules in ``relkit kyverno-validate``: admission order for stage 3, and
``--show-mutations``, each changed resource as a unified diff of its YAML.

Pure: parsed files, loaded policies and the engine in, text out.
"""

from __future__ import annotations

import difflib
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from kyverno_validate import yamlio
from kyverno_validate.pipeline import resource_label


class MutatingEngine(Protocol):
    """The part of ``kyverno_validate.engine`` that mutates."""

    def load_policies(self, documents: Iterable[tuple[str, Mapping[str, Any]]]) -> list[Any]: ...

    def admit(
        self, policies: Sequence[Any], resource: Mapping[str, Any], context: Any = None
    ) -> list[Any]: ...

    def mutate_resource(
        self, policies: Sequence[Any], resource: Mapping[str, Any], context: Any = None
    ) -> tuple[Mapping[str, Any], list[Any]]: ...


class AdmissionEngine:
    """The engine as stage 3 sees it when policies mutate: ``evaluate`` runs the mutate rules
    and then the validate rules on the patched resource, as admission does."""

    def __init__(self, engine: MutatingEngine) -> None:
        self._engine = engine

    def load_policies(self, documents: Iterable[tuple[str, Mapping[str, Any]]]) -> list[Any]:
        return self._engine.load_policies(documents)

    def evaluate(
        self, policies: Sequence[Any], resource: Mapping[str, Any], context: Any = None
    ) -> list[Any]:
        return self._engine.admit(policies, resource, context)


def mutates(engine: Any, policies: Sequence[Any]) -> bool:
    """Whether any policy has a mutate rule (an engine without mutation has none)."""
    check = getattr(engine, "has_mutate_rules", None)
    return bool(check(policies)) if callable(check) else False


def to_yaml(obj: Any) -> str:
    """Block-style YAML of a JSON document, keys in their order."""
    from ruamel.yaml import YAML  # noqa: PLC0415 - heavy import kept lazy

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    out = io.StringIO()
    yaml.dump(obj, out)
    return out.getvalue()


def mutation_diffs(
    files: Sequence[yamlio.LoadedFile],
    policies: Sequence[Any],
    engine: MutatingEngine,
    context: Any = None,
) -> list[str]:
    """A unified diff per resource the mutate rules change (files with YAML problems are
    left out, as stage 3 leaves them out)."""
    diffs = []
    for loaded in files:
        if loaded.problems:
            continue
        for doc in (d for obj in yamlio.iter_objects(loaded) for d in yamlio.expand_list(obj)):
            patched, _ = engine.mutate_resource(policies, doc.data, context)
            if patched == doc.data:
                continue
            label = f"{doc.file} ({resource_label(doc.data)})"
            lines = difflib.unified_diff(
                to_yaml(doc.data).splitlines(keepends=True),
                to_yaml(patched).splitlines(keepends=True),
                fromfile=label,
                tofile=f"{label} mutated",
            )
            diffs.append("".join(lines))
    return diffs


def render_mutations(diffs: Sequence[str]) -> str:
    if not diffs:
        return "Mutations: no resource changed."
    return f"Mutations ({len(diffs)} resources changed):\n\n" + "\n".join(diffs)


def render_mutations_summary(diffs: Sequence[str]) -> str:
    if not diffs:
        return "### Mutations\n\nNo resource changed.\n"
    body = "\n".join(diffs)
    fence = "````" if "```" in body else "```"
    return f"### Mutations\n\n{len(diffs)} resources changed.\n\n{fence}diff\n{body}{fence}\n"
