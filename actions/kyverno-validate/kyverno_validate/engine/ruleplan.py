"""The validate rules a resource meets, planned once per policy list and kind key.

``evaluate`` walks the same rules for every resource of a kind. What does not depend on the
resource is settled here once per (policy list, :func:`matchcache.kind_key`): the rules whose
``match``/``exclude`` read nothing but the kind (:func:`matchcache.kinds_only`) are matched once
(a rule that does not match is left out), and each rule's constant parts are kept in a
:class:`Step`: the outcome of a pass, the failure message and validate block of a rule decided
without a JSON context, and which rules can share the resource's JSON context.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kyverno_validate.engine.match import Request, rule_matches
from kyverno_validate.engine.matchcache import KindKey, kind_key, kinds_only
from kyverno_validate.engine.model import Action, Policy, Rule
from kyverno_validate.engine.outcome import Outcome
from kyverno_validate.engine.patternplan import Check
from kyverno_validate.engine.patterns import pattern_check

# how a rule without context entries or preconditions is decided without a JSON context
NO_FAST, FAST_PATTERN, FAST_ANY_PATTERN = 0, 1, 2


@dataclass(frozen=True, slots=True)
class Step:
    policy: Policy
    rule: Rule
    policy_name: str
    rule_name: str
    action: Action
    namespace: str | None  # a namespaced Policy applies in its own namespace only
    apply_one: bool
    scored: bool
    dynamic_match: bool  # match/exclude read more than the kind: matched per resource
    shared_data: bool  # no context entries: the resource's JSON context serves as it is
    fast: int  # NO_FAST, FAST_PATTERN or FAST_ANY_PATTERN
    check: Check | None  # a fast pattern's compiled verdict
    passed: Outcome  # a pattern's pass
    fixed_message: str | None  # a fast pattern's failure message (None: it has variables)
    fixed_validate: Mapping[str, Any] | None  # a fast anyPattern's validate block
    allow_existing: bool  # ``allowExistingViolations: true``


def fixed_validate(rule: Rule) -> dict[str, Any] | None:
    """The validate block ``evaluate_rule`` would check, when it needs no JSON context: a
    compiled pattern or anyPattern (no deny, no cel) and a message without variables."""
    validate = rule.validate or {}
    if validate.get("deny") is not None or validate.get("cel") is not None:
        return None
    message = validate.get("message")
    if isinstance(message, str) and "{{" in message:
        return None
    return {**validate, "pattern": rule.pattern, "anyPattern": rule.any_pattern}


def plan_step(policy: Policy, rule: Rule, dynamic_match: bool) -> Step:
    validate = rule.validate or {}
    context_free = not rule.raw.get("context")
    plain = context_free and rule.raw.get("preconditions") is None
    fixed = fixed_validate(rule)
    fast = NO_FAST
    fixed_message: str | None = None
    check = pattern_check(rule.pattern) if plain else None
    if check is not None:  # a compiled map or list pattern
        fast = FAST_PATTERN
        if fixed is not None and fixed.get("anyPattern") is None:
            fixed_message = str(fixed.get("message") or "")
    elif plain and rule.pattern is None and rule.any_pattern is not None and fixed is not None:
        fast = FAST_ANY_PATTERN
    return Step(
        policy,
        rule,
        policy.name,
        rule.name,
        rule.action,
        policy.namespace,
        policy.apply_one,
        policy.scored,
        dynamic_match,
        context_free,
        fast,
        check,
        Outcome("pass", f"validation rule '{rule.name}' passed."),
        fixed_message,
        fixed if fast == FAST_ANY_PATTERN else None,
        validate.get("allowExistingViolations") is True,
    )


_PLANS: dict[tuple[int, ...], tuple[Sequence[Policy], dict[KindKey, list[Step]]]] = {}


def plan_for(policies: Sequence[Policy], request: Request) -> list[Step]:
    """The steps (in policy order) of the validate rules that may match ``request``."""
    key = tuple(map(id, policies))
    cached = _PLANS.get(key)
    if cached is None:
        if len(_PLANS) > 16:
            _PLANS.clear()
        cached = (list(policies), {})  # holding the policies keeps their ids unique
        _PLANS[key] = cached
    by_kind = cached[1]
    request_key = kind_key(request)
    found = by_kind.get(request_key)
    if found is None:
        found = by_kind[request_key] = _plan(policies, request)
    return found


def _plan(policies: Sequence[Policy], request: Request) -> list[Step]:
    # a subresource (Scale) is matched as its parent's kind too (Deployment/scale)
    kinds = (request.sub_kind, request.kind) if request.subresource else (request.kind,)
    steps: list[Step] = []
    for policy in policies:
        if policy.kinds is not None and policy.kinds.isdisjoint(kinds):
            continue
        for rule in policy.rules:
            if rule.validate is None or (rule.kinds is not None and rule.kinds.isdisjoint(kinds)):
                continue
            match, exclude = rule.raw["match"], rule.raw.get("exclude")
            dynamic = not (kinds_only(match) and kinds_only(exclude))
            # a kinds-only block gives the same answer for every request of this kind key
            if dynamic or rule_matches(match, exclude, request):
                steps.append(plan_step(policy, rule, dynamic))
    return steps
