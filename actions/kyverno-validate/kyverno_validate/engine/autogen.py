"""Autogen: Pod rules also apply to pod controllers (``pkg/autogen/v1``).

A Pod rule yields ``autogen-<rule>`` for Deployment, DaemonSet, StatefulSet, Job, ReplicaSet and
ReplicationController (the pattern nested under ``spec.template``) and ``autogen-cronjob-<rule>``
for CronJob (under ``spec.jobTemplate.spec.template``), with JMESPath paths rewritten.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

ANNOTATION = "pod-policies.kyverno.io/autogen-controllers"
POD_CONTROLLERS = (
    "DaemonSet",
    "Deployment",
    "Job",
    "StatefulSet",
    "ReplicaSet",
    "ReplicationController",
)
MAX_NAME = 63


def _descriptions(block: Mapping[str, Any] | None) -> list[Mapping[str, Any]]:
    if not block:
        return []
    found = [f.get("resources") or {} for f in (block.get("any") or [])]
    found += [f.get("resources") or {} for f in (block.get("all") or [])]
    if block.get("resources"):
        found.append(block["resources"])
    return found


def _kinds(block: Mapping[str, Any] | None) -> list[str]:
    return [k for d in _descriptions(block) for k in (d.get("kinds") or [])]


def _kind_name(selector: str) -> str:
    parts = selector.split("/")
    return parts[-1] if parts[-1][:1].isupper() or len(parts) == 1 else parts[-2]


def _supports(desc: Mapping[str, Any]) -> bool:
    kinds = [_kind_name(k) for k in desc.get("kinds") or []]
    if desc.get("name") or desc.get("names") or desc.get("selector") or desc.get("annotations"):
        return False
    return not (len(kinds) > 1 and "Pod" in kinds)


def _json_patches(mutate: Any) -> bool:
    """A mutate block with ``patchesJson6902`` (itself or in a ``foreach`` entry): no autogen."""
    if not isinstance(mutate, Mapping):
        return False
    foreach = mutate.get("foreach")
    entries: list[Any] = foreach if isinstance(foreach, list) else []
    return bool(mutate.get("patchesJson6902")) or any(
        isinstance(entry, Mapping) and entry.get("patchesJson6902") for entry in entries
    )


def controllers_for(spec: Mapping[str, Any], annotations: Mapping[str, Any]) -> list[str]:
    """The controller kinds a policy's Pod rules are generated for (empty: no autogen)."""
    needed = False
    for rule in spec.get("rules") or []:
        if rule.get("generate") or _json_patches(rule.get("mutate")):
            return []
        for block in (rule.get("match"), rule.get("exclude")):
            for desc in _descriptions(block):
                if not _supports(desc):
                    return []
        if "Pod" in [_kind_name(k) for k in _kinds(rule.get("match"))]:
            needed = True
    if not needed:
        return []
    configured = annotations.get(ANNOTATION)
    if configured is None:
        return [*POD_CONTROLLERS, "CronJob"]
    if str(configured).strip() == "none":
        return []
    wanted = [c.strip() for c in str(configured).split(",")]
    return [c for c in (*POD_CONTROLLERS, "CronJob") if c in wanted]


_REWRITES = {
    "template": (
        ("request.object.spec", "request.object.spec.template.spec"),
        ("request.oldObject.spec", "request.oldObject.spec.template.spec"),
        ("request.object.metadata", "request.object.spec.template.metadata"),
        ("request.oldObject.metadata", "request.oldObject.spec.template.metadata"),
    ),
    "cronjob": (
        ("request.object.spec.template", "request.object.spec.jobTemplate.spec.template"),
        ("request.oldObject.spec.template", "request.oldObject.spec.jobTemplate.spec.template"),
    ),
}


def _rewrite(value: Any, rewrites: tuple[tuple[str, str], ...]) -> Any:
    text = json.dumps(value)
    for old, new in rewrites:
        text = text.replace(old, new)
    return json.loads(text)


# Kyverno writes the generated kinds fully qualified (``internal/gvk.go``); CronJob matches
# every served batch version
GVK = {
    "DaemonSet": "apps/v1/DaemonSet",
    "Deployment": "apps/v1/Deployment",
    "Job": "batch/v1/Job",
    "StatefulSet": "apps/v1/StatefulSet",
    "ReplicaSet": "apps/v1/ReplicaSet",
    "ReplicationController": "v1/ReplicationController",
    # any served version: a batch/v1beta1 CronJob gets the autogen-cronjob rule too
    "CronJob": "batch/*/CronJob",
}


def _replace_kinds(
    block: Mapping[str, Any] | None, kinds: list[str], *, only_pod: bool
) -> dict[str, Any] | None:
    """``match``/``exclude`` with the controllers' kinds: in the filters naming Pod (or, for
    the CronJob rule, in every filter) - ``generateRule`` in ``pkg/autogen/v1/rule.go``."""
    if not block:
        return None
    gvks = [GVK.get(k, k) for k in kinds]
    new_block: dict[str, Any] = dict(block)
    filters_key = next((k for k in ("any", "all") if block.get(k)), None)
    if filters_key is not None:
        new_block[filters_key] = [
            _replace_filter(f, gvks, only_pod=only_pod) for f in block[filters_key]
        ]
    elif block.get("resources"):
        resources = dict(block["resources"])
        if resources.get("kinds") or not only_pod:
            resources["kinds"] = gvks
        new_block["resources"] = resources
    return new_block


def _replace_filter(filt: Mapping[str, Any], kinds: list[str], *, only_pod: bool) -> dict[str, Any]:
    resources = dict(filt.get("resources") or {})
    if not only_pod or any(_kind_name(k) == "Pod" for k in resources.get("kinds") or []):
        resources["kinds"] = list(kinds)
    return {**filt, "resources": resources}


def _wrap_validate(validate: Mapping[str, Any], prefix: list[str]) -> dict[str, Any]:
    def nest(pattern: Any) -> Any:
        for key in reversed(prefix):
            pattern = {key: pattern}
        return pattern

    new_validate = dict(validate)
    if "pattern" in validate:
        new_validate["pattern"] = nest(validate["pattern"])
    if "anyPattern" in validate:
        new_validate["anyPattern"] = [nest(p) for p in validate["anyPattern"] or []]
    tree = validate.get("assert")
    if isinstance(tree, Mapping):  # createAutogenAssertion: object and oldObject nested
        new_validate["assert"] = {
            key: nest(value) if key in ("object", "oldObject") and isinstance(value, Mapping)
            else value
            for key, value in tree.items()
        }  # fmt: skip
    return new_validate


def _wrap_mutate(mutate: Mapping[str, Any], prefix: list[str]) -> dict[str, Any]:
    """A mutate block for a controller, built anew as ``generateRule`` does: the strategic-merge
    patch nested under the pod template, or ``foreach`` entries keeping only their list,
    context, preconditions and nested patch."""

    def nest(patch: Any) -> Any:
        for key in reversed(prefix):
            patch = {key: patch}
        return patch

    if mutate.get("patchStrategicMerge") is not None:
        return {"patchStrategicMerge": nest(mutate["patchStrategicMerge"])}
    if isinstance(mutate.get("foreach"), list):
        kept = ("list", "context", "preconditions")
        return {
            "foreach": [
                {
                    **{k: entry[k] for k in kept if k in entry},
                    "patchStrategicMerge": nest(entry.get("patchStrategicMerge")),
                }
                for entry in mutate["foreach"]
                if isinstance(entry, Mapping)
            ]
        }
    return dict(mutate)


def _name(prefix: str, name: str) -> str:
    return (prefix + name)[:MAX_NAME]


def generate_rules(rule: Mapping[str, Any], controllers: list[str]) -> list[dict[str, Any]]:
    """The autogen rules for one rule (none when it does not match Pods)."""
    match_kinds = [_kind_name(k) for k in _kinds(rule.get("match"))]
    exclude_kinds = [_kind_name(k) for k in _kinds(rule.get("exclude"))]
    if "Pod" not in match_kinds or (exclude_kinds and "Pod" not in exclude_kinds):
        return []
    out: list[dict[str, Any]] = []
    plain = sorted(c for c in controllers if c != "CronJob") or ["CronJob"]
    base = _rewrite(dict(rule), _REWRITES["template"])
    template_rule: dict[str, Any] = dict(base)
    template_rule["match"] = _replace_kinds(rule.get("match"), plain, only_pod=True)
    exclude = _replace_kinds(rule.get("exclude"), plain, only_pod=True)
    if exclude is not None:
        template_rule["exclude"] = exclude
    if "validate" in base:
        template_rule["validate"] = _wrap_validate(base["validate"], ["spec", "template"])
    if isinstance(base.get("mutate"), Mapping):
        template_rule["mutate"] = _wrap_mutate(base["mutate"], ["spec", "template"])
    if plain != ["CronJob"]:
        out.append({**template_rule, "name": _name("autogen-", rule["name"])})
    if "CronJob" in controllers:
        cron = _rewrite(template_rule, _REWRITES["cronjob"])
        cron["name"] = _name("autogen-cronjob-", rule["name"])
        cron["match"] = _replace_kinds(template_rule["match"], ["CronJob"], only_pod=False)
        cron_exclude = _replace_kinds(template_rule.get("exclude"), ["CronJob"], only_pod=False)
        if cron_exclude is not None:
            cron["exclude"] = cron_exclude
        if "validate" in cron:
            cron["validate"] = _wrap_validate(cron["validate"], ["spec", "jobTemplate"])
        if isinstance(cron.get("mutate"), Mapping):
            cron["mutate"] = _wrap_mutate(cron["mutate"], ["spec", "jobTemplate"])
        out.append(cron)
    return out
