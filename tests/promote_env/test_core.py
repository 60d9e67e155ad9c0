"""The pure modules around the editor: planning, drift, commit records, freeze windows,
rendered drift, the three-way revert and the report."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from promote_env import freeze, record, rendered
from promote_env.kustomize import Image, Triple
from promote_env.promotion import (
    Change,
    Drift,
    downgrades,
    image_drift,
    plan_promotion,
    plan_restore,
)
from promote_env.report import Report
from promote_env.revert import revert
from relkit.errors import ConfigError

A1 = Triple(None, "1.0.0", None)
A2 = Triple(None, "1.1.0", "sha256:ab")
W1 = Triple("m/w", "2.0.0", None)


def images(**triples: Triple) -> list[Image]:
    return [Image(name, triple, index + 1) for index, (name, triple) in enumerate(triples.items())]


# --- planning -----------------------------------------------------------------------------------


def test_plan_promotion_copies_only_what_differs() -> None:
    source = images(app=A2, worker=W1)
    target = images(app=A1, worker=W1, db=A1)
    assert plan_promotion(source, target) == [Change("app", A1, A2)]


def test_plan_promotion_of_named_images_and_new_entries() -> None:
    source = images(app=A2, worker=W1)
    assert plan_promotion(source, images(app=A1), ["worker", "worker"]) == [
        Change("worker", None, W1)
    ]


def test_plan_promotion_refuses_an_image_the_source_lacks() -> None:
    with pytest.raises(ConfigError, match=r"names 'nope', which the source overlay st .*has: app"):
        plan_promotion(images(app=A1), [], ["nope"], source_path="st")


def test_plan_restore_removes_what_the_earlier_state_lacked() -> None:
    current = images(app=A2, new=W1)
    wanted = images(app=A1)
    assert plan_restore(current, wanted, ["app", "new", "app"]) == [
        Change("app", A2, A1),
        Change("new", W1, None),
    ]


@pytest.mark.parametrize(
    ("before", "after", "older"),
    [
        pytest.param("1.2.0", "1.1.9", True, id="older"),
        pytest.param("v2.0.0", "v2.0.0-rc.1", True, id="prerelease"),
        pytest.param("1.2.0", "1.3.0", False, id="newer"),
        pytest.param("latest", "1.0.0", False, id="not-semver"),
        pytest.param(None, "1.0.0", False, id="no-tag"),
    ],
)
def test_downgrades(before: str | None, after: str, older: bool) -> None:
    change = Change("app", Triple(None, before, None), Triple(None, after, None))
    assert bool(downgrades([change])) is older
    assert downgrades([Change("app", None, Triple(None, after, None))]) == []


def test_image_drift_lists_both_sides() -> None:
    drift = image_drift(images(app=A2, worker=W1), images(app=A1, db=A1, worker=W1))
    assert drift == [Drift("app", A2, A1), Drift("db", None, A1)]
    assert drift[1].as_json() == {
        "name": "db",
        "source": None,
        "target": {"newName": None, "newTag": "1.0.0", "digest": None},
    }


def test_change_refs() -> None:
    change = Change("app", A1, A2)
    assert change.as_json() == {"name": "app", "from": "app:1.0.0", "to": "app:1.1.0@sha256:ab"}
    assert change.pinned
    assert not Change("app", A2, None).pinned


# --- commit records -----------------------------------------------------------------------------


def test_commit_message_format_and_trailers_round_trip() -> None:
    rec = record.Record(
        "production",
        (Change("app", A1, A2), Change("worker", None, W1)),
        "k8s/staging@abc",
        rolled_back_from="def",
        freeze_override="hotfix\nfor the outage",
    )
    message = record.commit_message(rec)
    assert message == (
        "chore(production): roll back app, worker\n"
        "\n"
        "app: app:1.0.0 → app:1.1.0@sha256:ab\n"
        "worker: (none) → m/w:2.0.0\n"
        "\n"
        "Promoted-From: k8s/staging@abc\n"
        "Promoted-Images: app=app:1.1.0@sha256:ab,worker=m/w:2.0.0\n"
        "Rolled-Back-From: def\n"
        "Freeze-Override: hotfix for the outage\n"
    )
    assert record.promoted_images(message) == {"app": "app:1.1.0@sha256:ab", "worker": "m/w:2.0.0"}
    assert record.trailers(message)["Rolled-Back-From"] == ["def"]


def test_subject_stays_within_100_characters() -> None:
    changes = [Change(f"registry.example/team/image-{i}", None, A1) for i in range(8)]
    subject = record.subject("production", changes)
    assert len(subject) <= record.SUBJECT_LIMIT
    assert subject.endswith(" more")
    huge = [Change("x" * 120, None, A1)]
    assert record.subject("production", huge) == "chore(production): promote 1 images"


def test_trailers_of_a_subject_alone() -> None:
    assert record.trailers("chore: x") == {}
    assert record.promoted_images("chore: x\n\nPromoted-Images: a=,=b\n") == {"a": ""}
    assert record.trailers("chore: x\n\nnot a trailer\nKey: v\n") == {"Key": ["v"]}


# --- freeze windows -----------------------------------------------------------------------------

WINDOWS = """
# the holidays
2026-12-22T00:00/2026-12-24T00:00 Europe/Berlin
Fri 16:00 - Mon 08:00 Europe/Berlin
Wed 10:00 - Wed 11:00
"""


@pytest.mark.parametrize(
    ("now", "window"),
    [
        pytest.param("2026-12-21T22:59:00+00:00", None, id="before-the-interval"),
        pytest.param("2026-12-21T23:00:00+00:00", 0, id="interval-starts-at-berlin-midnight"),
        pytest.param("2026-12-23T22:59:00+00:00", 0, id="interval-last-minute"),
        pytest.param("2026-12-23T23:00:00+00:00", None, id="interval-end-excluded"),
        pytest.param("2026-12-26T12:00:00+00:00", 1, id="weekend-in-winter"),
        pytest.param("2026-07-03T13:59:00+00:00", None, id="friday-before-16-berlin-summer"),
        pytest.param("2026-07-03T14:00:00+00:00", 1, id="friday-16-berlin-summer"),
        pytest.param("2026-11-06T14:30:00+00:00", None, id="friday-15-30-berlin-winter"),
        pytest.param("2026-07-05T12:00:00+00:00", 1, id="sunday"),
        pytest.param("2026-07-06T06:00:00+00:00", None, id="monday-8-berlin"),
        pytest.param("2026-07-08T10:30:00+00:00", 2, id="wednesday-utc"),
        pytest.param("2026-07-08T11:00:00+00:00", None, id="wednesday-end-excluded"),
    ],
)
def test_freeze_windows_at_fixed_clocks(now: str, window: int | None) -> None:
    windows = freeze.parse_windows(WINDOWS)
    found = freeze.active_window(windows, datetime.fromisoformat(now))
    assert found == (None if window is None else windows[window])


@pytest.mark.parametrize(
    ("line", "message"),
    [
        pytest.param("tomorrow", "is malformed", id="free-text"),
        pytest.param(
            "Fri 16:00 - Mon 08:00 Mars/Olympus", "unknown time zone 'Mars/Olympus'", id="zone"
        ),
        pytest.param("Fry 16:00 - Mon 08:00", "unknown day 'Fry'", id="day"),
        pytest.param("Fri 25:00 - Mon 08:00", "is not a time of day", id="hour"),
        pytest.param("Fri 16:00 - Fri 16:00", "the same moment", id="empty-weekly"),
        pytest.param("2026-12-20T00:00/2026-12-19T00:00", "the end must come after", id="reversed"),
        pytest.param("2026-13-20T00:00/2027-01-04T00:00", "expected", id="month"),
    ],
)
def test_malformed_windows_name_the_line(line: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        freeze.parse_windows(f"Sat 00:00 - Sun 00:00\n{line}\n")


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError, match="aware"):
        freeze.active_window([], datetime(2026, 1, 1))  # noqa: DTZ001


def test_no_windows_never_block() -> None:
    assert freeze.active_window(freeze.parse_windows(""), datetime(2026, 1, 1, tzinfo=UTC)) is None


# --- rendered overlays --------------------------------------------------------------------------

SOURCE = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: staging}
spec:
  replicas: 1
  template:
    spec:
      initContainers: [{name: init, image: "busybox:1"}]
      containers: [{name: app, image: "app:2", env: [{name: A, value: "1"}]}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: job}
spec: {jobTemplate: {spec: {template: {spec: {containers: [{name: w, image: "w:1"}]}}}}}
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec: {containers: [{name: c, image: "c:1"}, {name: d}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: only-source}
data: {a: b}
"""

TARGET = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: production}
spec:
  replicas: 3
  template:
    spec:
      initContainers: [{name: init, image: "busybox:1"}]
      containers: [{name: app, image: "app:1", env: [{name: A, value: "2"}]}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: job}
spec: {jobTemplate: {spec: {template: {spec: {containers: [{name: w, image: "w:1"}]}}}}}
---
apiVersion: v1
kind: Service
metadata: {name: only-target}
"""


def test_container_images() -> None:
    docs = rendered.load_documents(SOURCE, "staging")
    assert rendered.container_images(docs) == ["busybox:1", "app:2", "w:1", "c:1"]


def test_rendered_drift_minus_expected_differences() -> None:
    source = rendered.load_documents(SOURCE, "s")
    target = rendered.load_documents(TARGET, "t")
    found = rendered.rendered_drift(
        source, target, ["metadata.namespace", "/spec/replicas", "Pod", "ConfigMap", ""]
    )
    assert [item.as_json() for item in found] == [
        {
            "resource": "Deployment/web",
            "path": "spec.template.spec.containers[0].image",
            "source": "app:2",
            "target": "app:1",
        },
        {
            "resource": "Deployment/web",
            "path": "spec.template.spec.containers[0].env[0].value",
            "source": "1",
            "target": "2",
        },
        {"resource": "Service/only-target", "path": "", "source": None, "target": "present"},
    ]
    wild = rendered.rendered_drift(
        source[:1],
        target[:1],
        ["metadata.namespace", "spec.replicas", "spec.template.spec.containers[*].env"],
    )
    assert [item.path for item in wild] == ["spec.template.spec.containers[0].image"]


def test_normalise_ignore() -> None:
    assert rendered.normalise_ignore("/spec/containers/0/image") == "spec.containers[0].image"
    assert rendered.normalise_ignore("/metadata/annotations/a~1b") == "metadata.annotations.a/b"
    assert rendered.normalise_ignore(" spec.replicas ") == "spec.replicas"


def test_rendered_output_that_is_not_yaml() -> None:
    with pytest.raises(ConfigError, match="not YAML"):
        rendered.load_documents("a: [\n", "prod")


# --- revert -------------------------------------------------------------------------------------


def test_revert_undoes_one_edit_and_keeps_later_ones() -> None:
    before = "a\nb: 1\nc\nd\ne\nf: 1\n"
    after = "a\nb: 2\nc\nd\ne\nf: 2\n"
    assert revert(after, before, after) == before
    later = "a\nb: 2\nc\nX\ne\nf: 2\ng\n"
    assert revert(later, before, after) == "a\nb: 1\nc\nX\ne\nf: 1\ng\n"


def test_revert_refuses_colliding_edits() -> None:
    before = "a\nb: 1\nc\n"
    after = "a\nb: 2\nc\n"
    assert revert("a\nb: 3\nc\n", before, after) is None
    assert revert("a\nx\nc\n", "a\nb\nc\n", "a\nc\n") is None  # two insertions at one point
    assert revert("a\nb: 2\nnew\nc\n", "a\nc\n", "a\nb: 2\nc\n") == "a\nnew\nc\n"
    assert revert("a\nX\n", "a\nb\nc\n", "a\nc\n") == "a\nb\nX\n"  # insertion before an edit


# --- report -------------------------------------------------------------------------------------


def test_report_outputs_and_summary() -> None:
    report = Report(
        "promote",
        "production",
        (Change("app", A1, A2), Change("new|x", None, W1)),
        (Drift("db", None, A1),),
        (rendered.ResourceDrift("Deployment/web", "spec.replicas", 1, 3),),
        commit_sha="abc",
        pull_number=7,
        pull_url="https://x/7",
        notes=("a note",),
    )
    outputs = report.outputs()
    assert outputs["changed"] == "true"
    assert json.loads(outputs["images"])[0] == {
        "name": "app",
        "from": "app:1.0.0",
        "to": "app:1.1.0@sha256:ab",
    }
    assert outputs["pull-request-number"] == "7"
    assert json.loads(outputs["drift"])[0]["source"] is None
    assert json.loads(outputs["rendered-drift"])[0]["target"] == 3
    summary = report.summary()
    assert "| app | `app:1.0.0` | `app:1.1.0@sha256:ab` | yes |" in summary
    assert "| new\\|x | — | `m/w:2.0.0` | no |" in summary
    assert "| db | `(absent)` | `newTag=1.0.0` |" in summary
    assert "| Deployment/web | `spec.replicas` | `1` | `3` |" in summary
    assert "Pull request [#7](https://x/7)." in summary
    assert "> a note" in summary


def test_report_when_nothing_changed() -> None:
    report = Report("drift", "production")
    assert report.outputs()["changed"] == "false"
    assert report.outputs()["pull-request-number"] == ""
    assert "No image drift" in report.summary()
    dry = Report("promote", "p", (Change("a", None, Triple()),), dry_run=True)
    assert "Would change (dry run):" in dry.summary()
    assert "nothing to change" in Report("promote", "p").summary()
