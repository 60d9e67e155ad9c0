"""Coverage-guided fuzzing (atheris / libFuzzer) of kyverno-validate's YAML stage and policy loader.

Every input is read as a manifest file (``yamlio.parse_bytes``), and each mapping it holds is
handed to the policy loader and, when it loads, evaluated against a small Pod. The only allowed
outcomes are data, stage-1 problems and ``ConfigError`` (a policy refused with one line): any
other exception is a crash, and an input that takes longer than libFuzzer's ``-timeout`` a hang.

    .venv/bin/python tests/fuzz/fuzz_kyverno.py -atheris_runs=20000 -timeout=5 CORPUS_DIR

``tests/kyverno_validate/test_fuzz.py`` runs it for a bounded number of inputs, seeded with the
public corpus's policies and resources.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["kyverno_validate"]):
    from kyverno_validate import engine, yamlio
    from relkit.errors import ConfigError

POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "web", "namespace": "prod", "labels": {"app": "web"}},
    "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]},
}


def one_input(data: bytes) -> None:
    loaded = yamlio.parse_bytes(data, "fuzz.yaml")
    for problem in loaded.problems:
        problem.render()
    for doc in yamlio.iter_objects(loaded):
        for item in yamlio.expand_list(doc):
            item.line_of("spec.containers[0].image")
            item.line_of("metadata.labels.app")
        try:
            policies = engine.load_policies([(doc.source, doc.data)])
        except ConfigError:
            continue
        if policies:
            engine.evaluate(policies, POD)


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
