"""The engine's values: policies, rules, results and the evaluation context; policy loading.

``load_policies`` validates each ClusterPolicy/Policy document and raises one
:class:`relkit.errors.ConfigError` naming the source and the field for a malformed one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, Literal

from relkit.errors import ConfigError

from kyverno_validate.engine.autogen import controllers_for, generate_rules
from kyverno_validate.engine.nodes import compile_pattern
from kyverno_validate.engine.schema import PolicyShapeError, check_rule
from kyverno_validate.engine.variables import has_variables

Result = Literal["pass", "fail", "skip", "warn", "error"]
Action = Literal["Audit", "Enforce"]
POLICY_KINDS = ("ClusterPolicy", "Policy")
RULE_TYPES = ("validate", "mutate", "generate", "verifyImages")
VALIDATE_TYPES = (
    "pattern", "anyPattern", "deny", "foreach", "podSecurity", "cel", "manifests", "assert"
)  # fmt: skip
_EMPTY: Mapping[str, Any] = MappingProxyType({})
SCORED = "policies.kyverno.io/scored"


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    raw: Mapping[str, Any]
    action: Action
    autogen: bool = False
    # precompiled at load time: kind names the rule can match (None: any kind), the validate
    # block, and the compiled pattern / anyPattern when they hold no variables
    kinds: frozenset[str] | None = None
    validate: Mapping[str, Any] | None = None
    pattern: Any = None
    any_pattern: tuple[Any, ...] | None = None


def _match_kinds(raw: Mapping[str, Any]) -> frozenset[str] | None:
    match = raw.get("match") or {}
    filters = [*(match.get("any") or []), *(match.get("all") or [])]
    if match.get("resources"):
        filters.append(match)
    # ``all`` filters must each hold: the union of their kinds is still a safe superset
    names: set[str] = set()
    for filt in filters:
        kinds = ((filt or {}).get("resources") or {}).get("kinds") or []
        if not kinds:
            return None
        for kind in kinds:
            name = str(kind).split("/")
            text = name[-1] if name[-1][:1].isupper() or len(name) == 1 else name[-2]
            if "*" in text or "?" in text:
                return None
            names.add(text)
    return frozenset(names) if names else None


def build_rule(name: str, raw: Mapping[str, Any], action: Action, *, autogen: bool = False) -> Rule:
    validate = raw.get("validate")
    validate = validate if isinstance(validate, Mapping) else None
    pattern = any_pattern = None
    if validate is not None:
        if validate.get("pattern") is not None and not has_variables(validate["pattern"]):
            pattern = compile_pattern(validate["pattern"])
        candidates = validate.get("anyPattern")
        if isinstance(candidates, list) and not has_variables(candidates):
            any_pattern = tuple(compile_pattern(c) for c in candidates)
    return Rule(name, raw, action, autogen, _match_kinds(raw), validate, pattern, any_pattern)


@dataclass(frozen=True, slots=True)
class Policy:
    name: str
    namespace: str | None
    kind: str
    rules: tuple[Rule, ...]
    validation_failure_action: Action
    background: bool
    source: str
    raw: Mapping[str, Any]
    # union of the rules' kind names (None: some rule matches any kind)
    kinds: frozenset[str] | None = None
    # ``spec.applyRules: One``: only the first rule that applies gives a result
    apply_one: bool = False
    # annotation ``policies.kyverno.io/scored: "false"``: failures are reported as ``warn``
    scored: bool = True


@dataclass(frozen=True, slots=True)
class RuleResult:
    policy: str
    rule: str
    kind: str
    name: str
    namespace: str
    result: Result
    message: str
    action: Action
    field_path: str | None = None


# the slots' own setters: a frozen dataclass's __init__ goes through object.__setattr__ per field
_SETTERS = tuple(getattr(RuleResult, name).__set__ for name in RuleResult.__slots__)
(
    _SET_POLICY,
    _SET_RULE,
    _SET_KIND,
    _SET_NAME,
    _SET_NAMESPACE,
    _SET_RESULT,
    _SET_MESSAGE,
    _SET_ACTION,
    _SET_FIELD_PATH,
) = _SETTERS


def new_result(  # noqa: PLR0917 - one argument per field, in field order
    policy: str,
    rule: str,
    kind: str,
    name: str,
    namespace: str,
    result: Result,
    message: str,
    action: Action,
    field_path: str | None,
) -> RuleResult:
    """``RuleResult(...)`` at about half the cost (the engine makes one per rule and resource)."""
    made = object.__new__(RuleResult)
    _SET_POLICY(made, policy)
    _SET_RULE(made, rule)
    _SET_KIND(made, kind)
    _SET_NAME(made, name)
    _SET_NAMESPACE(made, namespace)
    _SET_RESULT(made, result)
    _SET_MESSAGE(made, message)
    _SET_ACTION(made, action)
    _SET_FIELD_PATH(made, field_path)
    return made


@dataclass(frozen=True, slots=True)
class EvaluationContext:
    operation: str = "CREATE"
    userinfo: Mapping[str, Any] | None = None
    namespace_labels: Mapping[str, Mapping[str, str]] = field(default_factory=lambda: _EMPTY)
    values: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    old_object: Mapping[str, Any] | None = None
    # objects a cluster would hold (kyverno test ``context``/``clusterResources``): configMap
    # and apiCall context entries are answered from them
    cluster_resources: Sequence[Mapping[str, Any]] = ()
    # PolicyException documents (kyverno.io/v2*): a matching exception turns a rule into skip
    exceptions: Sequence[Mapping[str, Any]] = ()
    # the evaluation time for time_now*/time_since (aware UTC); None: those functions error
    now: datetime | None = None
    # CEL policies: policies.kyverno.io PolicyExceptions, image metadata by reference
    # (image.GetMetadata), and more objects for resource.Get/List and VAP params
    cel_exceptions: Sequence[Mapping[str, Any]] = ()
    images: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    objects: Sequence[Mapping[str, Any]] = ()


def _action(value: Any, where: str, source: str) -> Action:
    text = str(value).strip().lower()
    if text == "audit":
        return "Audit"
    if text == "enforce":
        return "Enforce"
    raise ConfigError(f"{source}: {where}: must be Audit or Enforce, got {value!r}")


def _check_rule(rule: Any, index: int, source: str) -> None:
    where = f"spec.rules[{index}]"
    if not isinstance(rule, Mapping):
        raise ConfigError(f"{source}: {where}: must be a mapping")
    name = rule.get("name")
    if not isinstance(name, str) or not name:
        raise ConfigError(f"{source}: {where}.name: a rule needs a non-empty name")
    if not isinstance(rule.get("match"), Mapping):
        raise ConfigError(f"{source}: {where}.match: rule {name!r} needs a match block")
    present = [t for t in RULE_TYPES if rule.get(t) is not None]
    if len(present) != 1:
        raise ConfigError(
            f"{source}: {where}: rule {name!r} needs exactly one of {', '.join(RULE_TYPES)}"
        )
    try:
        check_rule(rule, where)
    except PolicyShapeError as exc:
        raise ConfigError(f"{source}: {exc} (rule {name!r})") from exc
    validate = rule.get("validate")
    if validate is not None:
        kinds = [t for t in VALIDATE_TYPES if validate.get(t) is not None]
        if not kinds:
            raise ConfigError(
                f"{source}: {where}.validate: rule {name!r} needs one of "
                f"{', '.join(VALIDATE_TYPES)}"
            )


def parse_policy(source: str, document: Mapping[str, Any]) -> Policy:
    kind = document.get("kind")
    metadata = document.get("metadata")
    if not isinstance(metadata, Mapping) or not isinstance(metadata.get("name"), str):
        raise ConfigError(f"{source}: metadata.name: a {kind} needs a name")
    spec = document.get("spec")
    if not isinstance(spec, Mapping):
        raise ConfigError(f"{source}: spec: a {kind} needs a spec mapping")
    rules = spec.get("rules")
    if not isinstance(rules, list) or not rules:
        raise ConfigError(f"{source}: spec.rules: a {kind} needs a non-empty list of rules")
    for index, rule in enumerate(rules):
        _check_rule(rule, index, source)
    default_action = _action(
        spec.get("validationFailureAction") or "Audit", "spec.validationFailureAction", source
    )
    annotations = metadata.get("annotations") or {}
    controllers = controllers_for(spec, annotations if isinstance(annotations, Mapping) else {})
    built: list[Rule] = []
    for index, raw in enumerate(rules):
        validate = raw.get("validate") or {}
        action = default_action
        if isinstance(validate, Mapping) and validate.get("failureAction") is not None:
            action = _action(
                validate["failureAction"], f"spec.rules[{index}].validate.failureAction", source
            )
        built.append(build_rule(raw["name"], raw, action))
    for rule in list(built):
        for generated in generate_rules(rule.raw, controllers) if controllers else []:
            built.append(build_rule(generated["name"], generated, rule.action, autogen=True))
    kinds: frozenset[str] | None = frozenset()
    for rule in built:
        kinds = None if kinds is None or rule.kinds is None else kinds | rule.kinds
    background = spec.get("background", True)
    namespace = metadata.get("namespace") if kind == "Policy" else None
    return Policy(
        name=metadata["name"],
        namespace=(namespace or "default") if kind == "Policy" else None,
        kind=str(kind),
        rules=tuple(built),
        validation_failure_action=default_action,
        background=background is not False,
        source=source,
        raw=document,
        kinds=kinds,
        apply_one=str(spec.get("applyRules", "All")).lower() == "one",
        scored=not (isinstance(annotations, Mapping) and annotations.get(SCORED) == "false"),
    )


def is_policy(document: Any) -> bool:
    return (
        isinstance(document, Mapping)
        and document.get("kind") in POLICY_KINDS
        and str(document.get("apiVersion", "")).startswith("kyverno.io/")
    )


def load_policies(documents: Iterable[tuple[str, Mapping[str, Any]]]) -> list[Policy]:
    """Parse every ClusterPolicy/Policy among the documents; other documents are skipped."""
    return [parse_policy(source, doc) for source, doc in documents if is_policy(doc)]
