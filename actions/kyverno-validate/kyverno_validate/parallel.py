"""Stage 3 over several processes: the engine is pure and CPU-bound, so on a multi-core runner
evaluating chunks of resources in forked workers cuts the wall time of big repositories.

Workers are forked once the documents have passed the schema stage, so they inherit the engine,
the policies and the documents instead of receiving them; only index ranges go out, and each
document's finding rows come back in order (the failing fields' lines looked up in the worker).
Small runs, one CPU, or a platform without ``fork`` stay in this process.

Stage 1 too (:func:`load_manifests`): big sets of files are parsed in forked workers, each
sending its parsed files back (pickling them costs a tenth of parsing them).
"""

from __future__ import annotations

import gc
import logging
import marshal
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from kyverno_validate import discovery, yamlio
from kyverno_validate.pipeline import (
    Engine,
    FailOn,
    Finding,
    FindingsMany,
    finding_rows,
    policy_findings,
)

logger = logging.getLogger("relkit.kyverno_validate")
MIN_PER_WORKER = 250  # below this many resources per worker, forking costs more than it saves
CHUNK = 100
WINDOW = 4  # stage 3: chunks in flight per worker
MIN_BYTES_PER_WORKER = 512 * 1024  # stage 1: below this much YAML per worker, parse in process


# what the forked workers inherit: (engine, policies, context, documents, fail_on)
_WORK: tuple[Engine, Sequence[Any], Any, Sequence[yamlio.Document], FailOn] | None = None


def worker_count(resources: int, cpus: int | None) -> int:
    """How many processes are worth it for ``resources`` on ``cpus`` CPUs (1 = in process)."""
    if not cpus or cpus < 2:
        return 1
    return max(1, min(cpus, resources // MIN_PER_WORKER))


def evaluator(
    engine: Engine, policies: Sequence[Any], context: Any = None, *, cpus: int | None = None
) -> FindingsMany:
    """A ``findings_many`` for :func:`kyverno_validate.pipeline.run_pipeline`."""

    def findings_many(
        docs: Sequence[yamlio.Document], fail_on: FailOn
    ) -> Iterable[Sequence[Finding]]:
        workers = worker_count(len(docs), _cpus() if cpus is None else cpus)
        if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
            return _streamed(engine, policies, context, docs, fail_on=fail_on, workers=workers)
        # lazily: each document's findings are made before the next is evaluated
        return policy_findings(engine, policies, context, docs, fail_on)

    return findings_many


def _cpus() -> int | None:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count()


def _streamed(
    engine: Engine,
    policies: Sequence[Any],
    context: Any,
    docs: Sequence[yamlio.Document],
    *,
    fail_on: FailOn,
    workers: int,
) -> Iterator[Sequence[Finding]]:
    """Each document's findings as its chunk comes back, so the caller keeps them while the
    workers go on; the documents a failed pool left are evaluated here."""
    done = 0
    make = Finding._make
    try:
        for rows in _in_workers(engine, policies, context, docs, fail_on=fail_on, workers=workers):
            yield list(map(make, rows))
            done += 1
    except (OSError, BrokenProcessPool) as exc:  # no /dev/shm, a killed worker …
        logger.debug("stage 3 in workers failed (%s); evaluating in process", exc)
    yield from policy_findings(engine, policies, context, docs[done:], fail_on)


def _in_workers(
    engine: Engine,
    policies: Sequence[Any],
    context: Any,
    docs: Sequence[yamlio.Document],
    *,
    fail_on: FailOn,
    workers: int,
) -> Iterator[list[tuple[Any, ...]]]:
    global _WORK  # noqa: PLW0603 - handed to the forked workers, reset right after
    # the workers inherit the documents (data and line tables): only index ranges go out, and
    # finished finding rows (lines looked up there) come back
    _WORK = (engine, policies, context, docs, fail_on)
    try:
        spans = [(i, min(i + CHUNK, len(docs))) for i in range(0, len(docs), CHUNK)]
        context_fork = multiprocessing.get_context("fork")
        # the workers' garbage collector would touch (and so copy) every inherited page
        gc.freeze()
        with ProcessPoolExecutor(max_workers=workers, mp_context=context_fork) as pool:
            # a bounded window of chunks in flight: workers faster than this process takes
            # their rows would otherwise pile every result up here
            pending = deque(pool.submit(_evaluate_chunk, s) for s in spans[: WINDOW * workers])
            waiting = iter(spans[WINDOW * workers :])
            while pending:
                done = pending.popleft().result()
                following = next(waiting, None)
                if following is not None:
                    pending.append(pool.submit(_evaluate_chunk, following))
                # our own worker's bytes, made by marshal.dumps in _evaluate_chunk
                yield from marshal.loads(done) if isinstance(done, bytes) else done  # noqa: S302
    finally:
        gc.unfreeze()
        _WORK = None


def _evaluate_chunk(span: tuple[int, int]) -> bytes | list[list[tuple[Any, ...]]]:
    """A worker's share: the finding rows of documents ``span``, marshalled. Plain tuples cost
    a fraction of finding objects to send, and marshal (unlike pickle) sends an object met
    twice once: the line numbers and strings rows share stay shared here (pickle would make
    a million line numbers a million int objects, +26 MB on 20,000 Deployments)."""
    assert _WORK is not None  # noqa: S101 - set before the fork
    engine, policies, context, docs, fail_on = _WORK
    strings: dict[Any, Any] = {}  # equal strings one object: sent once per chunk
    rows = [
        finding_rows(doc, engine.evaluate(policies, doc.data, context), fail_on, strings)
        for doc in docs[span[0] : span[1]]
    ]
    try:
        return marshal.dumps(rows)
    except ValueError:  # a value marshal does not know (a str subclass …): pickled instead
        return rows


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
