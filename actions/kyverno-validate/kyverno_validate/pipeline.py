"""The three stages: YAML syntax → Kubernetes schema → Kyverno policies, as one report.

Pure: parsed files and loaded policies in, a :class:`Report` out. A file that fails a stage is
left out of the later ones; every other file goes through all three, so one run reports every
problem. The engine is passed in (``kyverno_validate.engine`` satisfies :class:`Engine`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple, Protocol

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


# stage 3 over many documents: each document's policy findings, in order (see ``parallel``)
FindingsMany = Callable[[Sequence["yamlio.Document"], "FailOn"], Iterable[Sequence["Finding"]]]


class Engine(Protocol):
    """The engine's public API (``kyverno_validate.engine``), as the pipeline uses it."""

    def load_policies(self, documents: Iterable[tuple[str, Mapping[str, Any]]]) -> list[Any]: ...

    def evaluate(
        self, policies: Sequence[Any], resource: Mapping[str, Any], context: Any = None
    ) -> list[Any]: ...


class Finding(NamedTuple):
    """One row of the report: a stage-1/2 problem or one rule's result for one resource.

    A named tuple: a big run makes a million of them, and a tuple is built (and sent back by a
    worker) several times cheaper than a frozen dataclass."""

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
    findings_many: FindingsMany | None = None,
) -> Report:
    """Run the stages. ``findings_many`` may spread stage 3 over processes (see ``parallel``);
    it returns (or yields), in order, each document's policy findings."""
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
        outcomes: Iterable[Sequence[Finding]]
        if findings_many is None:
            outcomes = policy_findings(engine, policies, context, passed_schema, fail_on)
        else:
            outcomes = findings_many(passed_schema, fail_on)
        for rows in outcomes:
            findings.extend(rows)
    return Report(
        tuple(findings),
        files=len(files),
        resources=resources,
        policies=len(policies),
        kubernetes_version=validator.version,
        fail_on=fail_on,
        notices=tuple(notices),
    )


def policy_findings(
    engine: Engine,
    policies: Sequence[Any],
    context: Any,
    docs: Sequence[yamlio.Document],
    fail_on: FailOn,
) -> Iterator[list[Finding]]:
    """Stage 3 in this process: each document's findings, evaluated as they are asked for."""
    strings: dict[Any, Any] = {}  # one object per distinct message: 1M rows hold ~100
    make = Finding._make
    for doc in docs:
        rows = finding_rows(doc, engine.evaluate(policies, doc.data, context), fail_on, strings)
        yield list(map(make, rows))


def finding_rows(
    doc: yamlio.Document,
    rules: Sequence[Any],
    fail_on: FailOn,
    strings: dict[Any, Any],
) -> list[tuple[Any, ...]]:
    """One document's rule results as :class:`Finding` field tuples (what a worker sends back:
    plain tuples pickle several times faster); equal strings are made one object through
    ``strings``, so a million rows hold each message once."""
    if not rules:
        return []
    file, start = doc.file, doc.line
    label = resource_label(doc.data)
    shared = strings.setdefault
    rows = []
    for rule in rules:
        result: Result = rule.result
        action = rule.action
        if result == "fail" and action == "Audit" and fail_on == "enforce":
            result = "warn"
        # only annotated rows need the failing field's line
        line = doc.line_of(rule.field_path) if result in _ANNOTATED else start
        message = rule.message or ""
        rows.append(
            (
                "policy",
                result,
                file,
                line,
                shared(message, message),
                label,
                shared(rule.policy, rule.policy),
                shared(rule.rule, rule.rule),
                None,
                action,
            )
        )
    return rows
