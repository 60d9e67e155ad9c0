"""The three stages: YAML syntax → Kubernetes schema → Kyverno policies, as one report.

Pure: parsed files and loaded policies in, a :class:`Report` out. A file that fails a stage is
left out of the later ones; every other file goes through all three, so one run reports every
problem. The engine is passed in (``kyverno_validate.engine`` satisfies :class:`Engine`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from relkit.errors import ConfigError

from kyverno_validate import builtin_policies, yamlio
from kyverno_validate.schema import SchemaValidator

Stage = Literal["yaml", "schema", "policy"]
Result = Literal["pass", "fail", "warn", "skip", "error"]
FailOn = Literal["enforce", "audit"]
RESULTS: tuple[Result, ...] = ("pass", "fail", "warn", "skip", "error")
_ANNOTATED = frozenset({"fail", "warn", "error"})
STAGE_TITLES: Mapping[Stage, str] = {
    "yaml": "YAML syntax",
    "schema": "Kubernetes schema",
    "policy": "Kyverno policy",
}


EvaluateMany = Callable[[Sequence[Mapping[str, Any]]], Iterable[Sequence[Any]]]


class Engine(Protocol):
    """The engine's public API (``kyverno_validate.engine``), as the pipeline uses it."""

    def load_policies(self, documents: Iterable[tuple[str, Mapping[str, Any]]]) -> list[Any]: ...

    def evaluate(
        self, policies: Sequence[Any], resource: Mapping[str, Any], context: Any = None
    ) -> list[Any]: ...


@dataclass(frozen=True, slots=True)
class Finding:
    """One row of the report: a stage-1/2 problem or one rule's result for one resource."""

    stage: Stage
    result: Result
    file: str
    line: int | None
    message: str
    resource: str = ""  # "Deployment/prod/web"; "" for a file-level problem
    policy: str = ""
    rule: str = ""
    column: int | None = None
    action: str = ""  # "Audit" | "Enforce" for policy rows

    @property
    def check(self) -> str:
        """What was checked: ``policy/rule``, or the stage's title for stage-1/2 rows."""
        return f"{self.policy}/{self.rule}" if self.stage == "policy" else STAGE_TITLES[self.stage]


@dataclass(frozen=True, slots=True)
class Report:
    findings: tuple[Finding, ...]
    files: int
    resources: int
    policies: int
    kubernetes_version: str
    fail_on: FailOn
    notices: tuple[str, ...] = field(default=())

    def count(self, result: Result) -> int:
        return sum(1 for finding in self.findings if finding.result == result)

    def counts(self) -> dict[str, int]:
        found = Counter(finding.result for finding in self.findings)  # one pass over 1M rows
        return {result: found[result] for result in RESULTS}

    @property
    def failed(self) -> bool:
        return any(finding.result in ("fail", "error") for finding in self.findings)

    def exit_code(self) -> int:
        return 1 if self.failed else 0


# --- policies ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PolicyText:
    label: str
    data: bytes
    builtin: str | None = None


def load_policy_texts(
    texts: Sequence[PolicyText], engine: Engine, *, ecr_registry: str = ""
) -> list[Any]:
    """Parse policy files and hand their documents to the engine; problems are ConfigErrors."""
    documents: list[tuple[str, Mapping[str, Any]]] = []
    for text in texts:
        loaded = yamlio.parse_bytes(text.data, text.label)
        if loaded.problems:
            raise ConfigError(f"invalid policy file {loaded.problems[0].render()}")
        for doc in yamlio.iter_objects(loaded):
            data = doc.data
            if text.builtin == "require-ecr-images" and ecr_registry:
                data = builtin_policies.apply_registry(data, ecr_registry)
            documents.append((doc.source, data))
    policies = engine.load_policies(documents)
    if texts and not policies:
        labels = ", ".join(text.label for text in texts)
        raise ConfigError(
            f"input 'policies': no Kyverno ClusterPolicy or Policy found in {labels}; "
            "point it at policy files or use a built-in policy name"
        )
    return policies


# --- the stages -------------------------------------------------------------------------------


def resource_label(obj: Mapping[str, Any]) -> str:
    kind = str(obj.get("kind") or "?")
    metadata = obj.get("metadata")
    metadata = metadata if isinstance(metadata, Mapping) else {}
    name = str(metadata.get("name") or metadata.get("generateName") or "?")
    namespace = metadata.get("namespace")
    return f"{kind}/{namespace}/{name}" if namespace else f"{kind}/{name}"


def run_pipeline(
    files: Sequence[yamlio.LoadedFile],
    policies: Sequence[Any],
    engine: Engine | None,
    validator: SchemaValidator,
    *,
    fail_on: FailOn = "enforce",
    context: Any = None,
    evaluate_many: EvaluateMany | None = None,
) -> Report:
    """Run the stages. ``evaluate_many`` may spread stage 3 over processes (see ``parallel``);
    it returns (or yields), in order, each resource's rule results (objects with ``RuleResult``'s
    fields)."""
    findings: list[Finding] = []
    notices: dict[str, None] = {}
    passed_schema: list[yamlio.Document] = []
    resources = 0
    for loaded in files:  # stage 1
        if loaded.problems:
            findings.extend(
                Finding("yaml", "fail", p.file, p.line, p.message, column=p.column)
                for p in loaded.problems
            )
            continue
        objects = [item for doc in yamlio.iter_objects(loaded) for item in yamlio.expand_list(doc)]
        resources += len(objects)
        findings.extend(
            Finding("yaml", "fail", doc.file, doc.line, "document is not a mapping (object)")
            for doc in loaded.documents
            if not isinstance(doc.data, Mapping)
        )
        file_ok = all(isinstance(doc.data, Mapping) for doc in loaded.documents)
        checked: list[yamlio.Document] = []
        for doc in objects:  # stage 2
            result = validator.validate(doc.data)
            if result.status == "invalid":
                file_ok = False
                label = resource_label(doc.data)
                findings.extend(
                    Finding(
                        "schema",
                        "fail",
                        doc.file,
                        doc.line_of(issue.path),
                        f"{issue.path}: {issue.message}" if issue.path else issue.message,
                        label,
                    )
                    for issue in result.issues
                )
            elif result.status == "skipped":
                notices.setdefault(result.notice, None)
                findings.append(
                    Finding(
                        "schema",
                        "skip",
                        doc.file,
                        doc.line,
                        result.notice,
                        resource_label(doc.data),
                    )
                )
            checked.append(doc)
        if file_ok:
            passed_schema.extend(checked)
    if engine is not None and policies and passed_schema:  # stage 3
        resources_data = [doc.data for doc in passed_schema]
        outcomes: Iterable[Sequence[Any]]
        if evaluate_many is None:
            outcomes = (engine.evaluate(policies, data, context) for data in resources_data)
        else:
            outcomes = evaluate_many(resources_data)
        strings: dict[str, str] = {}  # one object per distinct message: 1M rows hold ~100
        for doc, rules in zip(passed_schema, outcomes, strict=True):
            findings.extend(_findings(doc, rules, fail_on, strings))
    return Report(
        tuple(findings),
        files=len(files),
        resources=resources,
        policies=len(policies),
        kubernetes_version=validator.version,
        fail_on=fail_on,
        notices=tuple(notices),
    )


def _findings(
    doc: yamlio.Document,
    rules: Sequence[Any],
    fail_on: FailOn,
    strings: dict[str, str],
) -> list[Finding]:
    if not rules:
        return []
    label = resource_label(doc.data)
    shared = strings.setdefault
    findings = []
    for rule in rules:
        result: Result = rule.result
        action = rule.action
        if result == "fail" and action == "Audit" and fail_on == "enforce":
            result = "warn"
        # only annotated rows need the failing field's line
        line = doc.line_of(rule.field_path) if result in _ANNOTATED else doc.line
        findings.append(
            Finding(
                "policy",
                result,
                doc.file,
                line,
                shared(rule.message or "", rule.message or ""),
                label,
                shared(rule.policy, rule.policy),
                shared(rule.rule, rule.rule),
                action=action,
            )
        )
    return findings
