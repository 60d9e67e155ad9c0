from __future__ import annotations

import marshal
from concurrent.futures.process import BrokenProcessPool
from types import SimpleNamespace
from typing import Any

import pytest
from kyverno_validate import parallel, pipeline, yamlio
from kyverno_validate.schema import SchemaValidator


def unmarshal(blob: Any) -> Any:
    """A worker's rows as the pipeline process reads them (our own bytes, not untrusted)."""
    return marshal.loads(blob)  # noqa: S302 - made by marshal.dumps in this test's worker


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
    monkeypatch.setattr(parallel, "WINDOW", 1)  # 4 chunks, 2 in flight: the rest wait
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
        findings_many=parallel.evaluator(fake_engine, policies, cpus=2),
    )
    assert forked.findings == serial.findings
    assert [f.result for f in forked.findings].count("fail") == 6
    assert fake_engine.evaluated == [f"d{i}" for i in range(10)]  # serial run only: forked
    assert parallel._WORK is None  # workers' state is not left behind


def _docs(make_deployment: Any, *names: str) -> list[yamlio.Document]:
    return [
        yamlio.parse_text(make_deployment(name, "x:1"), f"{name}.yaml").documents[0]
        for name in names
    ]


def test_in_process_when_not_worth_forking(fake_engine: Any, make_deployment: Any) -> None:
    findings_many = parallel.evaluator(fake_engine, [], cpus=1)
    assert list(findings_many(_docs(make_deployment, "a"), "enforce")) == [[]]
    assert fake_engine.evaluated == ["a"]


def test_falls_back_to_in_process_when_workers_cannot_start(
    monkeypatch: pytest.MonkeyPatch, fake_engine: Any, make_deployment: Any
) -> None:
    def no_shm(*args: Any, **kwargs: Any) -> Any:
        raise OSError(38, "Function not implemented")

    monkeypatch.setattr(parallel, "MIN_PER_WORKER", 1)
    monkeypatch.setattr(parallel, "ProcessPoolExecutor", no_shm)
    docs = _docs(make_deployment, "a", "b")
    assert list(parallel.evaluator(fake_engine, [], cpus=2)(docs, "enforce")) == [[], []]
    assert fake_engine.evaluated == ["a", "b"]
    assert parallel._WORK is None


def test_cpus_are_those_this_process_may_use() -> None:
    assert (parallel._cpus() or 1) >= 1


def test_a_worker_evaluates_its_span_of_the_inherited_documents(
    monkeypatch: pytest.MonkeyPatch, fake_engine: Any, make_deployment: Any
) -> None:
    docs = _docs(make_deployment, "v", "w", "x")
    monkeypatch.setattr(parallel, "_WORK", (fake_engine, [], None, docs, "enforce"))
    assert unmarshal(parallel._evaluate_chunk((1, 3))) == [[], []]
    assert fake_engine.evaluated == ["w", "x"]


def test_a_worker_failing_midway_leaves_the_rest_to_this_process(
    monkeypatch: pytest.MonkeyPatch, fake_engine: Any, make_deployment: Any
) -> None:
    row = ("policy", "pass", "a.yaml", 1, "", "Deployment/a", "p", "r", None, "Audit")

    def one_then_broken(*args: Any, **kwargs: Any) -> Any:
        yield [row]
        raise BrokenProcessPool("a worker was killed")

    monkeypatch.setattr(parallel, "MIN_PER_WORKER", 1)
    monkeypatch.setattr(parallel, "_in_workers", one_then_broken)
    docs = _docs(make_deployment, "a", "b", "c")
    results = list(parallel.evaluator(fake_engine, [], cpus=2)(docs, "enforce"))
    assert results == [[pipeline.Finding._make(row)], [], []]
    assert fake_engine.evaluated == ["b", "c"]  # each resource evaluated once


def test_worker_rows_share_equal_strings(
    monkeypatch: pytest.MonkeyPatch, make_deployment: Any
) -> None:
    class TwoRules:
        def evaluate(self, policies: Any, resource: Any, context: Any = None) -> list[Any]:
            return [
                SimpleNamespace(
                    policy="p",
                    rule="r",
                    result="fail",
                    message=f"rule {n}.",
                    action="Audit",
                    field_path=None,
                )
                for n in ("x", "x")
            ]

    docs = _docs(make_deployment, "w")
    monkeypatch.setattr(parallel, "_WORK", (TwoRules(), [], None, docs, "enforce"))
    ((first, second),) = unmarshal(parallel._evaluate_chunk((0, 1)))
    assert (
        first
        == second
        == ("policy", "warn", "w.yaml", 1, "rule x.", "Deployment/apps/w", "p", "r", None, "Audit")
    )
    assert first[4] is second[4]  # one message object: sent once


def test_a_row_marshal_cannot_send_is_pickled(
    monkeypatch: pytest.MonkeyPatch, make_deployment: Any
) -> None:
    class Text(str):
        pass

    class OneRule:
        def evaluate(self, policies: Any, resource: Any, context: Any = None) -> list[Any]:
            return [
                SimpleNamespace(
                    policy="p",
                    rule="r",
                    result="pass",
                    message=Text("ok"),
                    action="",
                    field_path=None,
                )
            ]

    docs = _docs(make_deployment, "w")
    monkeypatch.setattr(parallel, "_WORK", (OneRule(), [], None, docs, "enforce"))
    assert parallel._evaluate_chunk((0, 1)) == [
        [("policy", "pass", "w.yaml", 1, "ok", "Deployment/apps/w", "p", "r", None, "")]
    ]


def _manifests(tmp_path: Any, make_deployment: Any) -> list[Any]:
    files = []
    for index in range(7):
        path = tmp_path / f"m{index}.yaml"
        body = make_deployment(f"d{index}", "x:1") + "---\n" + make_deployment(f"e{index}", "y:2")
        path.write_text(body if index != 3 else "a: [unclosed\n", encoding="utf-8")
        files.append(path)
    return [*files, tmp_path / "missing.yaml"]


def _shape(loaded: list[yamlio.LoadedFile]) -> list[Any]:
    return [
        (f.path, f.problems, [(d.file, d.index, d.line, d.data, d.lines) for d in f.documents])
        for f in loaded
    ]


def test_stage_one_in_workers_parses_as_in_process(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any, make_deployment: Any
) -> None:
    monkeypatch.setattr(parallel, "MIN_BYTES_PER_WORKER", 1)
    files = _manifests(tmp_path, make_deployment)
    serial = parallel.discovery.load_manifests(files, tmp_path)
    assert parallel._parse_workers(files, 2) == 2
    assert _shape(parallel.load_manifests(files, tmp_path, cpus=2)) == _shape(serial)
    assert any(f.problems for f in serial)  # the broken and the missing file are reported


@pytest.mark.parametrize(
    ("count", "cpus", "min_bytes", "workers"),
    [
        pytest.param(8, 2, 1, 2, id="enough-yaml"),
        pytest.param(8, 4, 1, 4, id="one-per-cpu"),
        pytest.param(8, 2, 10**9, 1, id="too-little-yaml"),
        pytest.param(8, 1, 1, 1, id="one-cpu"),
        pytest.param(8, None, 1, 1, id="unknown-cpus"),
        pytest.param(1, 4, 1, 1, id="one-file"),
    ],
)
def test_stage_one_worker_count(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Any,
    make_deployment: Any,
    *,
    count: int,
    cpus: int | None,
    min_bytes: int,
    workers: int,
) -> None:
    monkeypatch.setattr(parallel, "MIN_BYTES_PER_WORKER", min_bytes)
    files = _manifests(tmp_path, make_deployment)[:count]
    assert parallel._parse_workers(files, cpus) == workers


def test_stage_one_in_process_when_workers_cannot_start(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any, make_deployment: Any
) -> None:
    def no_shm(*args: Any, **kwargs: Any) -> Any:
        raise OSError(38, "Function not implemented")

    monkeypatch.setattr(parallel, "MIN_BYTES_PER_WORKER", 1)
    monkeypatch.setattr(parallel, "ProcessPoolExecutor", no_shm)
    files = _manifests(tmp_path, make_deployment)
    loaded = parallel.load_manifests(files, tmp_path, cpus=2)
    assert _shape(loaded) == _shape(parallel.discovery.load_manifests(files, tmp_path))


def test_a_stage_one_worker_parses_its_chunk(tmp_path: Any, make_deployment: Any) -> None:
    files = _manifests(tmp_path, make_deployment)[:2]
    chunk = parallel._load_chunk((files, tmp_path))
    assert [f.path for f in chunk] == ["m0.yaml", "m1.yaml"]
    assert parallel.load_manifests(files, tmp_path)  # small: parsed in this process
