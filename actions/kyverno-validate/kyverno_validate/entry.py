"""``relkit kyverno-validate [--policies DIR]... [PATH]...``: YAML → schema → Kyverno policies.

Reads the inputs (flags or ``INPUT_*``), finds the files, runs the three stages, then prints
the table (or JSON/SARIF), annotates every failure, writes the job summary, the outputs and the
SARIF file. Exit 0 when clean, 1 when a check failed, 2 for unusable input.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import tempfile
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import cast

from relkit.actionspec import ActionSpec, InputSpec, build_parser, resolve_inputs
from relkit.adapters import gha
from relkit.errors import ConfigError

from kyverno_validate import (
    builtin_policies,
    discovery,
    mutations,
    parallel,
    pipeline,
    report,
    sarif,
    yamlio,
)
from kyverno_validate.schema import SchemaValidator, crd_schemas, resolve_version

SPEC = ActionSpec(
    name="kyverno-validate",
    summary="Validate Kubernetes manifests in three stages: YAML syntax, Kubernetes schema "
    "and Kyverno policies.",
    inputs=(
        InputSpec(
            "paths",
            "Manifest files, folders or globs (one per line or comma-separated); "
            "positional PATHs on the CLI",
            default="k8s/**/*.y*ml",
            kind="multiline",
        ),
        InputSpec(
            "policies",
            "Kyverno policy files or folders, or built-in policy names "
            f"({', '.join(builtin_policies.NAMES)}); repeatable on the CLI",
            kind="multiline",
        ),
        InputSpec(
            "kubernetes-version",
            "Kubernetes version of the schemas, e.g. 1.33 (default: the newest bundled)",
        ),
        InputSpec(
            "schema-strict", "Unknown fields are schema errors", default="true", kind="boolean"
        ),
        InputSpec(
            "kustomize",
            "Render folders holding a kustomization.yaml with `kubectl kustomize`",
            default="false",
            kind="boolean",
        ),
        InputSpec(
            "fail-on",
            "enforce: only Enforce policies fail the run, Audit ones warn; audit: both fail",
            default="enforce",
            kind="choice",
            choices=("enforce", "audit"),
        ),
        InputSpec(
            "output",
            "Console format: table, json or sarif",
            default="table",
            kind="choice",
            choices=("table", "json", "sarif"),
        ),
        InputSpec("sarif-file", "Also write SARIF 2.1.0 to this file (for code scanning)"),
        InputSpec(
            "ecr-registry",
            "Registry pattern of the built-in require-ecr-images policy",
            default=builtin_policies.ECR_PLACEHOLDER,
        ),
        InputSpec(
            "show-mutations",
            "Print each resource the policies' mutate rules change, as a unified diff",
            default="false",
            kind="boolean",
        ),
    ),
)


def build_cli() -> argparse.ArgumentParser:
    # every input is a flag, except that --policies repeats and PATHs are positional
    flags = SPEC._replace(inputs=tuple(item for item in SPEC.inputs if item.name != "policies"))
    parser = build_parser(flags)
    parser.add_argument(
        "--policies",
        dest="input_policies",
        action="append",
        default=None,
        metavar="POLICIES",
        help=SPEC.input("policies").description,
    )
    parser.add_argument(
        "cli_paths", nargs="*", metavar="PATH", help="manifest files, folders or globs"
    )
    return parser


def main(argv: Sequence[str], env: Mapping[str, str]) -> int:
    parser = build_cli()
    namespace = parser.parse_args(list(argv))
    if namespace.cli_paths:
        namespace.input_paths = "\n".join(namespace.cli_paths)
    if namespace.input_policies is not None:
        namespace.input_policies = "\n".join(namespace.input_policies)
    inputs = resolve_inputs(SPEC, namespace, env)
    root = Path(gha.workspace(env))

    version = resolve_version(inputs.str("kubernetes-version"))
    strict = inputs.bool("schema-strict")
    fail_on = cast(pipeline.FailOn, inputs.str("fail-on"))
    registry = builtin_policies.check_registry(inputs.str("ecr-registry"))

    policy_texts = discovery.resolve_policies(inputs.lines("policies"), root)
    engine = _engine() if policy_texts else None
    policies = (
        pipeline.load_policy_texts(policy_texts, engine, ecr_registry=registry)
        if engine is not None
        else []
    )

    files = _load_files(inputs.lines("paths"), root, kustomize=inputs.bool("kustomize"), env=env)
    crds = [
        doc.data
        for loaded in files
        if loaded.ok
        for doc in yamlio.iter_objects(loaded)
        if crd_schemas(doc.data)
    ]
    validator = SchemaValidator(version, strict=strict, crds=crds)
    # the clock is read here, in the I/O layer: Kyverno's time_now*/time_since see it
    context = engine.EvaluationContext(now=datetime.now(UTC)) if engine is not None else None
    # mutate rules patch each resource before its validate rules run, as admission does
    stage3: pipeline.Engine | None = engine
    if engine is not None and mutations.mutates(engine, policies):
        stage3 = mutations.AdmissionEngine(cast(mutations.MutatingEngine, engine))
    findings_many = parallel.evaluator(stage3, policies, context) if stage3 is not None else None
    result = pipeline.run_pipeline(
        files, policies, stage3, validator, fail_on=fail_on, findings_many=findings_many
    )
    if not policies:
        result = _with_notice(result, "no policies given (input 'policies'); stage 3 skipped")
    else:
        from kyverno_validate.engine.unsupported import unsupported_notices  # noqa: PLC0415

        for notice in unsupported_notices(policies):
            result = _with_notice(result, notice)
    _publish(
        result,
        output=inputs.str("output"),
        sarif_file=inputs.str("sarif-file"),
        root=root,
        env=env,
    )
    if inputs.bool("show-mutations"):
        diffs = (
            mutations.mutation_diffs(
                files, policies, cast(mutations.MutatingEngine, engine), context
            )
            if engine is not None
            else []
        )
        _show_mutations(diffs, output=inputs.str("output"), env=env)
    return result.exit_code()


def _show_mutations(diffs: list[str], *, output: str, env: Mapping[str, str]) -> None:
    """The diffs follow the table on the console (on stderr when stdout is JSON or SARIF)
    and go to the job summary."""
    text = mutations.render_mutations(diffs)
    if output != "table":
        sys.stderr.write(text + "\n")
    elif gha.in_actions(env):
        gha.print_untrusted(text, env)
    else:
        gha.info(text)
    gha.write_summary(mutations.render_mutations_summary(diffs), env)


def _engine() -> ModuleType:
    try:
        module = importlib.import_module("kyverno_validate.engine")  # heavy: only when needed
    except ImportError:  # pragma: no cover - the engine ships in the same package
        raise ConfigError("the Kyverno engine is missing from this build of relkit") from None
    return module


def _load_files(
    patterns: list[str], root: Path, *, kustomize: bool, env: Mapping[str, str]
) -> list[yamlio.LoadedFile]:
    if not patterns:
        raise ConfigError("input 'paths' is empty; give manifest files, folders or globs")
    matched = discovery.expand_paths(patterns, root)
    if not matched.files:  # one error line, not a warning per pattern before it
        raise ConfigError(
            f"input 'paths' matched no files ({', '.join(patterns)}) under {root}; "
            "fix the paths or globs (default k8s/**/*.y*ml)"
        )
    for pattern in matched.unmatched:
        _warn(f"input 'paths': {pattern!r} matched no file", env)
    plain = list(matched.files)
    rendered: list[yamlio.LoadedFile] = []
    if kustomize:
        kustomizations, plain = discovery.split_kustomize(matched.files)
        if kustomizations:
            kubectl = discovery.find_kubectl(env.get("PATH"))
            for kustomization in kustomizations:
                label = discovery.relative_label(kustomization, root)
                rendered.append(
                    discovery.render_kustomization(kubectl, kustomization.parent, label, root)
                )
    return parallel.load_manifests(plain, root) + rendered


def _warn(message: str, env: Mapping[str, str]) -> None:
    if gha.in_actions(env):
        gha.annotate("warning", message, env, title="kyverno-validate")
    else:
        sys.stderr.write(f"relkit kyverno-validate: warning: {message}\n")


def _with_notice(result: pipeline.Report, notice: str) -> pipeline.Report:
    return pipeline.Report(
        result.findings,
        result.files,
        result.resources,
        result.policies,
        result.kubernetes_version,
        result.fail_on,
        (*result.notices, notice),
    )


def _publish(
    result: pipeline.Report,
    *,
    output: str,
    sarif_file: str,
    root: Path,
    env: Mapping[str, str],
) -> None:
    if output == "json":
        text = report.render_json(result)
    elif output == "sarif":
        text = sarif.render_sarif(result)
    else:
        text = report.render_table(result)
    if gha.in_actions(env):
        gha.print_untrusted(text, env)
        for note in report.annotations_for(result):
            gha.annotate(
                cast(gha.AnnotationLevel, note.level),
                note.message,
                env,
                title=note.title,
                file=note.file or None,
                line=note.line,
                col=note.column,
            )
    else:
        gha.info(text)
    if sarif_file:
        _write_atomic(root / sarif_file, sarif.render_sarif(result) + "\n")
    gha.write_summary(report.render_summary(result), env)
    for name, value in report.outputs(result).items():
        gha.set_output(name, value, env)


def _write_atomic(path: Path, text: str) -> None:
    temp: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        temp = Path(name)
        # mkstemp creates 0600; the next step (upload-sarif) runs as the runner's user, not as
        # the container's root: readable by all, as a plain open() under umask 022 would be
        os.fchmod(handle, 0o644)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        temp.replace(path)
    except OSError as exc:
        if temp is not None:
            temp.unlink(missing_ok=True)
        raise ConfigError(
            f"input 'sarif-file': cannot write {path}: {exc.strerror}; choose a writable path"
        ) from None
