from __future__ import annotations

from concurrent.futures.process import BrokenProcessPool
from typing import Any

import pytest
from kyverno_validate import parallel, pipeline, yamlio
from kyverno_validate.schema import SchemaValidator


@pytest.mark.parametrize(
    ("resources", "cpus", "workers"),
    [
        pytest.param(10_000, 4, 4, id="big-run-all-cpus"),
        pytest.param(600, 4, 2, id="two-workers-worth-it"),
        pytest.param(100, 8, 1, id="small-run-in-process"),
        pytest.param(10_000, 1, 1, id="one-cpu"),
        pytest.param(10_000, None, 1, id="unknown-cpus"),
    ],
)
def test_worker_count(resources: int, cpus: int | None, workers: int) -> None:
    assert parallel.worker_count(resources, cpus) == workers


def test_forked_workers_give_the_in_process_results_in_order(
    monkeypatch: pytest.MonkeyPatch, fake_engine: Any, make_deployment: Any, make_policy: Any
) -> None:
    monkeypatch.setattr(parallel, "MIN_PER_WORKER", 1)
    monkeypatch.setattr(parallel, "CHUNK", 3)
    texts = {f"d{i}": make_deployment(f"d{i}", "x:latest" if i % 3 else "x:1") for i in range(10)}
    files = [yamlio.parse_text(text, f"{name}.yaml") for name, text in texts.items()]
    policies = pipeline.load_policy_texts(
        [pipeline.PolicyText("p.yaml", make_policy("block").encode())], fake_engine
    )
    validator = SchemaValidator()
    serial = pipeline.run_pipeline(files, policies, fake_engine, validator)
    forked = pipeline.run_pipeline(
        files,
        policies,
        fake_engine,
        validator,
        evaluate_many=parallel.evaluator(fake_engine, policies, cpus=2),
    )
    assert forked.findings == serial.findings
    assert [f.result for f in forked.findings].count("fail") == 6
    assert fake_engine.evaluated == [f"d{i}" for i in range(10)]  # serial run only: forked
    assert parallel._WORK is None  # workers' state is not left behind


def test_in_process_when_not_worth_forking(fake_engine: Any, make_deployment: Any) -> None:
    evaluate_many = parallel.evaluator(fake_engine, [], cpus=1)
    doc = yamlio.parse_text(make_deployment("a", "x:1"), "a.yaml").documents[0]
    assert evaluate_many([doc.data]) == [[]]
    assert fake_engine.evaluated == ["a"]


def test_falls_back_to_in_process_when_workers_cannot_start(
    monkeypatch: pytest.MonkeyPatch, fake_engine: Any, make_deployment: Any
) -> None:
    def no_shm(*args: Any, **kwargs: Any) -> Any:
        raise OSError(38, "Function not implemented")

    monkeypatch.setattr(parallel, "MIN_PER_WORKER", 1)
    monkeypatch.setattr(parallel, "ProcessPoolExecutor", no_shm)
    docs = [
        yamlio.parse_text(make_deployment(name, "x:1"), "a.yaml").documents[0].data
        for name in ("a", "b")
    ]
    assert list(parallel.evaluator(fake_engine, [], cpus=2)(docs)) == [[], []]
    assert fake_engine.evaluated == ["a", "b"]


def test_cpus_are_those_this_process_may_use() -> None:
    assert (parallel._cpus() or 1) >= 1


def test_a_worker_evaluates_its_chunk_with_the_inherited_engine(
    monkeypatch: pytest.MonkeyPatch, fake_engine: Any, make_deployment: Any
) -> None:
    monkeypatch.setattr(parallel, "_WORK", (fake_engine, [], None))
    data = yamlio.parse_text(make_deployment("w", "x:1"), "w.yaml").documents[0].data
    assert parallel._evaluate_chunk([data]) == [[]]
    assert fake_engine.evaluated == ["w"]


def test_a_worker_failing_midway_leaves_the_rest_to_this_process(
    monkeypatch: pytest.MonkeyPatch, fake_engine: Any, make_deployment: Any
) -> None:
    def one_then_broken(*args: Any) -> Any:
        yield ["from a worker"]
        raise BrokenProcessPool("a worker was killed")

    monkeypatch.setattr(parallel, "MIN_PER_WORKER", 1)
    monkeypatch.setattr(parallel, "_in_workers", one_then_broken)
    docs = [
        yamlio.parse_text(make_deployment(name, "x:1"), "a.yaml").documents[0].data
        for name in ("a", "b", "c")
    ]
    results = list(parallel.evaluator(fake_engine, [], cpus=2)(docs))
    assert results == [["from a worker"], [], []]
    assert fake_engine.evaluated == ["b", "c"]  # each resource evaluated once


def test_worker_results_share_equal_strings(
    monkeypatch: pytest.MonkeyPatch, make_deployment: Any
) -> None:
    class TwoRules:
        def evaluate(self, policies: Any, resource: Any, context: Any = None) -> list[Any]:
            return [
                parallel.RuleOutcome(
                    "p", "r", "Deployment", "a", "", "pass", f"rule {n}.", "", None
                )
                for n in ("x", "x")
            ]

    monkeypatch.setattr(parallel, "_WORK", (TwoRules(), [], None))
    data = yamlio.parse_text(make_deployment("w", "x:1"), "w.yaml").documents[0].data
    (rules,) = parallel._evaluate_chunk([data])
    assert rules[0] == rules[1]
    assert rules[0][6] is rules[1][6]  # one message object: pickled once
