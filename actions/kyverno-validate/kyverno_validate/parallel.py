"""Stage 3 over several processes: the engine is pure and CPU-bound, so on a multi-core runner
evaluating chunks of resources in forked workers cuts the wall time of big repositories.

Workers are forked after the policies are loaded, so they inherit the engine and the policies
instead of receiving them; only resources go out and rule results come back (in order, as
:class:`RuleOutcome` tuples with the ``RuleResult`` fields). Small runs, one CPU, or a platform
without ``fork`` stay in this process.

Stage 1 too (:func:`load_manifests`): big sets of files are parsed in forked workers, each
sending its parsed files back (pickling them costs a tenth of parsing them).
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import operator
import os
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, NamedTuple

from kyverno_validate import discovery, yamlio
from kyverno_validate.pipeline import Engine, EvaluateMany

logger = logging.getLogger("relkit.kyverno_validate")
MIN_PER_WORKER = 250  # below this many resources per worker, forking costs more than it saves
CHUNK = 100
WINDOW = 4  # stage 3: chunks in flight per worker
MIN_BYTES_PER_WORKER = 512 * 1024  # stage 1: below this much YAML per worker, parse in process


class RuleOutcome(NamedTuple):
    """A rule result as it comes back from a worker: the engine's ``RuleResult`` fields."""

    policy: str
    rule: str
    kind: str
    name: str
    namespace: str
    result: str
    message: str
    action: str
    field_path: str | None


# what the forked workers inherit: (engine, policies, context)
_WORK: tuple[Engine, Sequence[Any], Any] | None = None


def worker_count(resources: int, cpus: int | None) -> int:
    """How many processes are worth it for ``resources`` on ``cpus`` CPUs (1 = in process)."""
    if not cpus or cpus < 2:
        return 1
    return max(1, min(cpus, resources // MIN_PER_WORKER))


def evaluator(
    engine: Engine, policies: Sequence[Any], context: Any = None, *, cpus: int | None = None
) -> EvaluateMany:
    """An ``evaluate_many`` for :func:`kyverno_validate.pipeline.run_pipeline`."""

    def evaluate_many(resources: Sequence[Mapping[str, Any]]) -> Iterable[Sequence[Any]]:
        workers = worker_count(len(resources), _cpus() if cpus is None else cpus)
        if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
            return _streamed(engine, policies, context, resources, workers)
        # lazily: each resource's results become findings before the next is evaluated
        return (engine.evaluate(policies, resource, context) for resource in resources)

    return evaluate_many


def _cpus() -> int | None:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count()


def _streamed(
    engine: Engine,
    policies: Sequence[Any],
    context: Any,
    resources: Sequence[Mapping[str, Any]],
    workers: int,
) -> Iterator[Sequence[Any]]:
    """Each resource's results as its chunk comes back, so the caller turns them into findings
    (and drops them) while the workers go on: the whole run's results are never all held."""
    done = 0
    try:
        for rules in _in_workers(engine, policies, context, resources, workers):
            yield rules
            done += 1
    except (OSError, BrokenProcessPool) as exc:  # no /dev/shm, a killed worker …
        logger.debug("stage 3 in workers failed (%s); evaluating in process", exc)
    for resource in resources[done:]:
        yield engine.evaluate(policies, resource, context)


def _in_workers(
    engine: Engine,
    policies: Sequence[Any],
    context: Any,
    resources: Sequence[Mapping[str, Any]],
    workers: int,
) -> Iterator[list[RuleOutcome]]:
    global _WORK  # noqa: PLW0603 - handed to the forked workers, reset right after
    _WORK = (engine, policies, context)
    try:
        chunks = [list(resources[i : i + CHUNK]) for i in range(0, len(resources), CHUNK)]
        context_fork = multiprocessing.get_context("fork")
        # the workers' garbage collector would touch (and so copy) every inherited page
        gc.freeze()
        with ProcessPoolExecutor(max_workers=workers, mp_context=context_fork) as pool:
            # a bounded window of chunks in flight: workers faster than this process turns
            # results into findings would otherwise pile every result up here (+130 MB on
            # 20,000 Deployments)
            pending = deque(pool.submit(_evaluate_chunk, c) for c in chunks[: WINDOW * workers])
            waiting = iter(chunks[WINDOW * workers :])
            while pending:
                done = pending.popleft().result()
                following = next(waiting, None)
                if following is not None:
                    pending.append(pool.submit(_evaluate_chunk, following))
                for rules in done:
                    yield [RuleOutcome._make(values) for values in rules]
    finally:
        gc.unfreeze()
        _WORK = None


_FIELDS = operator.attrgetter(*RuleOutcome._fields)


def _evaluate_chunk(resources: list[Mapping[str, Any]]) -> list[list[tuple[Any, ...]]]:
    assert _WORK is not None  # noqa: S101 - set before the fork
    engine, policies, context = _WORK
    # plain tuples: pickling frozen dataclasses back costs about half of the evaluation itself;
    # equal messages and field paths made one object (names are one already), so the pickle
    # carries each once per chunk
    strings: dict[Any, Any] = {None: None}
    share = strings.setdefault
    chunk = []
    for resource in resources:
        rows = []
        for rule in engine.evaluate(policies, resource, context):
            row = _FIELDS(rule)
            message, field_path = row[6], row[8]
            rows.append((*row[:6], share(message, message), row[7], share(field_path, field_path)))
        chunk.append(rows)
    return chunk


def load_manifests(
    files: Sequence[Path], root: Path, *, cpus: int | None = None
) -> list[yamlio.LoadedFile]:
    """``discovery.load_manifests``, the files parsed in forked workers when there is enough
    YAML for each (``cpus``: None = the CPUs this process may use); same files, same order."""
    files = list(files)
    workers = _parse_workers(files, _cpus() if cpus is None else cpus)
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        size = -(-len(files) // (workers * 4))  # a few chunks per worker evens out file sizes
        chunks = [(files[i : i + size], root) for i in range(0, len(files), size)]
        gc.freeze()  # the workers' garbage collector would touch (and so copy) inherited pages
        try:
            context_fork = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context_fork) as pool:
                return [loaded for chunk in pool.map(_load_chunk, chunks) for loaded in chunk]
        except (OSError, BrokenProcessPool) as exc:  # no /dev/shm, a killed worker …
            logger.debug("stage 1 in workers failed (%s); parsing in process", exc)
        finally:
            gc.unfreeze()
    return discovery.load_manifests(files, root)


def _parse_workers(files: Sequence[Path], cpus: int | None) -> int:
    if not cpus or cpus < 2 or len(files) < 2:
        return 1
    total = 0
    for path in files:
        try:
            total += path.stat().st_size
        except OSError:
            continue  # parsing reports it
    return max(1, min(cpus, len(files), total // MIN_BYTES_PER_WORKER))


def _load_chunk(chunk: tuple[list[Path], Path]) -> list[yamlio.LoadedFile]:
    files, root = chunk
    return discovery.load_manifests(files, root)
