"""The metrics as Prometheus text exposition, built with ``prometheus_client``.

A fresh ``CollectorRegistry`` holds one custom collector that yields gauge families computed from
scratch (counters cannot be set, and a process-wide registry would leak series between runs).
Every series carries the grouping labels ``job``, ``repository`` and ``environment``, and the
window as ``window="30d"`` (``"3mo"`` for ``model: fourkeys``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from dora_push.fourkeys import FourKeysMetrics
from dora_push.metrics import QUANTILES, WindowMetrics

if TYPE_CHECKING:
    from prometheus_client.metrics_core import Metric

GROUPING = ("job", "repository", "environment")

HELP = {
    "dora_deployments": "Successful deployments finished in the window.",
    "dora_deployment_frequency_per_day": "Successful deployments per day over the window.",
    "dora_lead_time_seconds": "Lead time for changes: deployment finish minus commit time, "
    "quantiles over the changes shipped in the window.",
    "dora_change_failure_ratio": "Failed deployments divided by all deployments in the window.",
    "dora_failed_deployments": "Deployments in the window that failed (status, incident, or "
    "followed by a rollback or hotfix).",
    "dora_failed_deployment_recovery_seconds": "Failed deployment recovery time, quantiles over "
    "the recovered failures of the window.",
    "dora_unrecovered_failures": "Failed deployments of the window not recovered at as-of.",
    "dora_deployment_rework_ratio": "Rollback and hotfix deployments divided by all deployments "
    "in the window.",
    "dora_performance_level": "1 for the DORA performance level (2023 report bands) each metric "
    "falls in.",
    "dora_fourkeys_band": "1 for the Four Keys dashboard bucket each metric falls in.",
    "dora_as_of_timestamp_seconds": "The end of the windows (the as-of time), Unix seconds.",
}


SUMMARIES = frozenset({"dora_lead_time_seconds", "dora_failed_deployment_recovery_seconds"})


def _summary(
    name: str, window: dict[str, str], quantiles: dict[str, float], values: Sequence[float]
) -> Iterator[tuple[str, dict[str, str], float]]:
    """A summary's samples: its quantiles, ``_count`` and ``_sum``."""
    for q, value in quantiles.items():
        yield name, {"quantile": q, **window}, value
    yield f"{name}_count", window, float(len(values))
    yield f"{name}_sum", window, float(sum(values))


def _rows(
    windows: Sequence[WindowMetrics], fourkeys: FourKeysMetrics | None
) -> Iterator[tuple[str, dict[str, str], float]]:
    """(metric name, labels beyond the grouping ones, value) for every series."""
    for w in windows:
        window = {"window": w.label}
        yield "dora_deployments", window, float(w.deployments)
        yield "dora_deployment_frequency_per_day", window, w.frequency_per_day
        if w.lead_times:
            quantiles = {str(q): w.lead_time(q) or 0.0 for q in QUANTILES}
            yield from _summary("dora_lead_time_seconds", window, quantiles, w.lead_times)
        if w.change_failure_ratio is not None:
            yield "dora_change_failure_ratio", window, w.change_failure_ratio
        yield "dora_failed_deployments", window, float(w.failed)
        if w.recoveries:
            quantiles = {"0.5": w.recovery(0.5) or 0.0}
            name = "dora_failed_deployment_recovery_seconds"
            yield from _summary(name, window, quantiles, w.recoveries)
        yield "dora_unrecovered_failures", window, float(w.unrecovered)
        if w.rework_ratio is not None:
            yield "dora_deployment_rework_ratio", window, w.rework_ratio
        for metric, level in sorted(w.levels().items()):
            labels = {"metric": metric, "level": level.label, **window}
            yield "dora_performance_level", labels, 1.0
    if fourkeys is not None:
        yield from _fourkeys_rows(fourkeys)


def _fourkeys_rows(fk: FourKeysMetrics) -> Iterator[tuple[str, dict[str, str], float]]:
    window = {"window": fk.label}
    yield "dora_deployments", window, float(fk.deployments)
    yield "dora_deployment_frequency_per_day", window, fk.deployments / fk.days
    lead = {"0.5": fk.lead_time_minutes * 60}
    yield from _summary("dora_lead_time_seconds", window, lead, [m * 60 for m in fk.lead_minutes])
    if fk.change_failure_rate is not None:
        yield "dora_change_failure_ratio", window, fk.change_failure_rate
    if fk.restore_hours is not None:
        name = "dora_failed_deployment_recovery_seconds"
        hours = [h * 3600 for h in fk.restore_hours_each]
        yield from _summary(name, window, {"0.5": fk.restore_hours * 3600}, hours)
    buckets = {
        "deployment_frequency": fk.deployment_frequency,
        "lead_time": fk.lead_time_bucket,
        "change_failure_ratio": fk.change_failure_bucket,
        "failed_deployment_recovery": fk.restore_bucket,
    }
    for metric, bucket in buckets.items():
        if bucket is not None:
            yield "dora_fourkeys_band", {"metric": metric, "band": bucket, **window}, 1.0


def families(
    windows: Sequence[WindowMetrics],
    fourkeys: FourKeysMetrics | None,
    grouping: Mapping[str, str],
    as_of_seconds: float,
) -> list[Metric]:
    from prometheus_client.core import (  # noqa: PLC0415 - heavy
        GaugeMetricFamily,
        SummaryMetricFamily,
    )
    from prometheus_client.samples import Sample  # noqa: PLC0415 - heavy

    built: dict[str, tuple[Metric, tuple[str, ...]]] = {}
    for name, extra, value in _rows(windows, fourkeys):
        labels = {**{key: grouping[key] for key in GROUPING}, **extra}
        family_name = name.removesuffix("_count").removesuffix("_sum")
        if family_name in SUMMARIES:
            if family_name not in built:
                keys = tuple(key for key in labels if key != "quantile")
                summary = SummaryMetricFamily(family_name, HELP[family_name], labels=keys)
                built[family_name] = (summary, keys)
            built[family_name][0].samples.append(Sample(name, labels, value))
            continue
        if name not in built:
            keys = tuple(labels)
            built[name] = (GaugeMetricFamily(name, HELP[name], labels=keys), keys)
        family, keys = built[name]
        assert isinstance(family, GaugeMetricFamily)  # noqa: S101 - built above
        family.add_metric([labels[key] for key in keys], value)
    stamp = GaugeMetricFamily(
        "dora_as_of_timestamp_seconds", HELP["dora_as_of_timestamp_seconds"], labels=GROUPING
    )
    stamp.add_metric([grouping[key] for key in GROUPING], as_of_seconds)
    found: list[Metric] = [family for family, _ in built.values()]
    return [*found, stamp]


class _Collector:
    def __init__(self, metrics: list[Metric]) -> None:
        self._metrics = metrics

    def collect(self) -> Iterator[Metric]:
        yield from self._metrics


def render(
    windows: Sequence[WindowMetrics],
    fourkeys: FourKeysMetrics | None,
    grouping: Mapping[str, str],
    as_of_seconds: float,
) -> str:
    """The text exposition (format 0.0.4) of every series, ending with a newline."""
    from prometheus_client import CollectorRegistry, generate_latest  # noqa: PLC0415 - heavy

    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Collector(families(windows, fourkeys, grouping, as_of_seconds)))
    return generate_latest(registry).decode("utf-8")
