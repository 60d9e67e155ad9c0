"""`relkit dora-push` end to end through the CLI boundary: events files, outputs, summary, push
to a loopback server, and bad input (exit 2, nothing written, nothing pushed)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from dora_push import entry
from dora_push.events_file import parse_events, schema
from dora_push.metrics import compute
from dora_push.pushgateway import Pushgateway, encode_label, grouping_path
from fakeserver import FakeServer
from harness import parse_env_file
from prometheus_client.parser import text_string_to_metric_families
from relkit import cli
from relkit.adapters.http import HttpClient, HttpRetryPolicy
from relkit.errors import ConfigError, ExternalError

DATA = Path(__file__).parent / "data"
HISTORY = DATA / "history.json"
AS_OF = "2026-11-30T00:00:00Z"
NOW = datetime(2026, 12, 5, tzinfo=UTC)
NOW_AS_OF = datetime(2026, 11, 30, tzinfo=UTC)


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            labels = {k: v for k, v in sample.labels.items() if k not in {"job", "repository"}}
            labels.pop("environment", None)
            found[(sample.name, frozenset(labels.items()))] = sample.value
    return found


def value(text: str, name: str, **labels: str) -> float | None:
    return samples(text).get((name, frozenset(labels.items())))


def run(tmp_path: Path, *args: str, **env: str) -> tuple[int, dict[str, str], Path]:
    output, summary = tmp_path / "output.txt", tmp_path / "summary.md"
    metrics = tmp_path / "out" / "dora.prom"
    environ = {
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_REPOSITORY": "octo/demo",
        **env,
    }
    code = cli.main(["dora-push", "--metrics-file", str(metrics), *args], environ)
    outputs = parse_env_file(output.read_text("utf-8")) if output.exists() else {}
    return code, outputs, metrics


def test_dry_run_computes_writes_and_prints(tmp_path: Path, capsys: Any) -> None:
    code, outputs, metrics = run(
        tmp_path,
        *("--events-file", str(HISTORY), "--as-of", AS_OF, "--window-days", "7,30", "--dry-run"),
    )
    assert code == 0
    text = metrics.read_text("utf-8")
    assert outputs["metrics"] == text
    assert outputs["metrics-file"] == str(metrics)
    assert text in capsys.readouterr().out
    # the 7-day window is the first: it feeds the outputs
    assert outputs["deployments"] == "2"
    assert outputs["lead-time-seconds"] == "3600"
    assert float(outputs["change-failure-ratio"]) == pytest.approx(2 / 3)
    assert outputs["recovery-seconds"] == "5400"
    assert float(outputs["rework-ratio"]) == pytest.approx(1 / 3)
    # the 30-day window, hand-computed in the fixture's comments (see test_history_by_hand)
    assert value(text, "dora_deployments", window="30d") == 5
    assert value(text, "dora_lead_time_seconds", window="30d", quantile="0.5") == 45000
    assert value(text, "dora_lead_time_seconds", window="30d", quantile="0.9") == 90180
    assert value(text, "dora_lead_time_seconds_count", window="30d") == 6
    assert value(text, "dora_change_failure_ratio", window="30d") == pytest.approx(4 / 7)
    assert value(text, "dora_failed_deployment_recovery_seconds", window="30d", quantile="0.5") == (
        7200
    )
    assert value(text, "dora_unrecovered_failures", window="30d") == 1
    assert value(text, "dora_deployment_rework_ratio", window="30d") == pytest.approx(1 / 7)
    level = {"metric": "lead_time", "level": "elite", "window": "30d"}
    assert value(text, "dora_performance_level", **level) == 1
    summary = (tmp_path / "summary.md").read_text("utf-8")
    assert "| deployments | 2 | 5 |" in summary
    assert summary.count("```mermaid") == 2
    assert "xychart-beta" in summary
    assert "Dry run: nothing pushed." in summary


def test_history_by_hand() -> None:
    """The fixture's 30-day numbers, derived by hand:

    successful d1 d3 d4 d5 d6 (d9 is after as-of, d8 is staging) → 5, 5/30 per day;
    lead times c1 86760, c2 3600, c3 93600 (shipped by d3 after d2 failed), c4 3600, c5 dropped
    (committed after d4 finished), c6 86400, c7 3600 → p50 = 3600 + (86400-3600)/2 = 45000,
    p90 = 86760 + (93600-86760)/2 = 90180; failed d2 (status) d4 (incident) d5 (then rollback
    d6) d7 (error) of 7 → 4/7; recoveries d2 7200 (d3), d4 10800 (incident), d5 5400 (d6,
    whose +01:00 finish is 09:30Z), d7 open → p50 7200, one unrecovered; rework d6 → 1/7.
    """
    events = parse_events(HISTORY.read_text("utf-8"), source="h", environment="production")
    [w] = compute(events, entry.parse_as_of(AS_OF, NOW), [30])
    assert sorted(w.lead_times) == [3600, 3600, 3600, 86400, 86760, 93600]


def test_fourkeys_model_dry_run(tmp_path: Path) -> None:
    code, outputs, metrics = run(
        tmp_path,
        *("--events-file", str(HISTORY), "--as-of", AS_OF, "--model", "fourkeys", "--dry-run"),
    )
    assert code == 0
    text = metrics.read_text("utf-8")
    assert value(text, "dora_deployments", window="3mo") == 5
    band = {"metric": "deployment_frequency", "band": "Weekly", "window": "3mo"}
    assert value(text, "dora_fourkeys_band", **band) == 1
    assert outputs["rework-ratio"] == ""
    summary = (tmp_path / "summary.md").read_text("utf-8")
    assert "Four Keys bucket" in summary


def test_push_puts_the_group_with_basic_auth(tmp_path: Path, http_server: FakeServer) -> None:
    path = grouping_path("dora", "octo/demo", "production")
    http_server.add("PUT", path, status=200)
    code, outputs, metrics = run(
        tmp_path,
        *("--events-file", str(HISTORY), "--as-of", AS_OF),
        *("--pushgateway-url", http_server.url, "--pushgateway-username", "dora"),
        *("--pushgateway-password", "s3cret-pw"),
    )
    assert code == 0
    [put] = http_server.requests
    assert put.method == "PUT"
    b64 = base64.urlsafe_b64encode(b"octo/demo").decode()
    assert put.path == f"/metrics/job/dora/repository@base64/{b64}/environment/production"
    assert put.headers["authorization"] == "Basic " + base64.b64encode(b"dora:s3cret-pw").decode()
    assert put.headers["content-type"].startswith("text/plain; version=0.0.4")
    assert put.body.decode() == metrics.read_text("utf-8") == outputs["metrics"]
    assert "Pushed to group" in (tmp_path / "summary.md").read_text("utf-8")


def test_push_with_a_bearer_token(tmp_path: Path, http_server: FakeServer) -> None:
    path = grouping_path("dora", "octo/demo", "production")
    http_server.add("PUT", path, status=200)
    code, _, _ = run(
        tmp_path,
        *("--events-file", str(HISTORY), "--pushgateway-url", http_server.url + "/"),
        *("--pushgateway-token", "tok-123"),
    )
    assert code == 0
    assert http_server.requests[0].headers["authorization"] == "Bearer tok-123"


def test_gateway_down_exits_1_after_retries_with_the_file_on_disk(
    tmp_path: Path, http_server: FakeServer
) -> None:
    path = grouping_path("dora", "octo/demo", "production")
    http_server.add("PUT", path, status=503, body="unavailable")
    waits: list[float] = []
    http = HttpClient(policy=HttpRetryPolicy(max_attempts=3), sleep=waits.append, jitter=lambda: 0)
    argv = ["--events-file", str(HISTORY), "--pushgateway-url", http_server.url]
    argv += ["--pushgateway-username", "u", "--pushgateway-password", "hunter2"]
    metrics = tmp_path / "m.prom"
    argv += ["--metrics-file", str(metrics)]
    _, inputs = entry.parse_args(entry.SPEC, argv, {"GITHUB_REPOSITORY": "octo/demo"})
    with pytest.raises(ExternalError, match="failed with 503") as failed:
        entry.run(inputs, {"GITHUB_REPOSITORY": "octo/demo"}, now=NOW_AS_OF, http=http)
    assert "hunter2" not in str(failed.value)
    assert "still in metrics-file" in str(failed.value)
    assert len(http_server.requests) == 3
    assert waits == [0.25, 0.5]
    assert metrics.read_text("utf-8").startswith("# HELP dora_deployments")


def test_gateway_down_through_the_boundary_is_exit_1(tmp_path: Path) -> None:
    """A closed port: the connection fails; the retry budget is tiny through max_attempts=1."""
    argv = ["--events-file", str(HISTORY), "--pushgateway-url", "http://127.0.0.1:9"]
    metrics = tmp_path / "m.prom"
    argv += ["--metrics-file", str(metrics)]
    _, inputs = entry.parse_args(entry.SPEC, argv, {"GITHUB_REPOSITORY": "o/r"})
    http = HttpClient(policy=HttpRetryPolicy(max_attempts=1))
    with pytest.raises(ExternalError) as failed:
        entry.run(inputs, {"GITHUB_REPOSITORY": "o/r"}, now=NOW_AS_OF, http=http)
    assert failed.value.exit_code == 1
    assert metrics.is_file()


BAD_DOCUMENTS = [
    pytest.param("{", "not JSON", id="not json"),
    pytest.param("[]", "$: [] is not of type 'object'", id="not an object"),
    pytest.param('{"commits": []}', "'deployments' is a required property", id="no deployments"),
    pytest.param(
        '{"deployments": [{"id": "d1", "sha": "abcd", "status": "done", '
        '"created_at": "2026-11-02T10:00:00Z", "finished_at": "2026-11-02T10:00:00Z"}]}',
        "$.deployments[0].status: 'done' is not one of",
        id="bad status",
    ),
    pytest.param(
        '{"deployments": [{"id": "d1", "sha": "abcd", "status": "success", '
        '"created_at": "2026-11-02T10:00:00", "finished_at": "2026-11-02T10:00:00Z"}]}',
        "$.deployments[0].created_at",
        id="time without offset",
    ),
    pytest.param(
        '{"deployments": [{"id": "d1", "sha": "abcd", "status": "success", '
        '"created_at": "2026-11-02T10:00:00Z", "finished_at": "2026-11-01T10:00:00Z"}]}',
        "$.deployments[0].finished_at: is before created_at",
        id="finished before created",
    ),
    pytest.param(
        '{"deployments": [{"id": "d1", "sha": "abcd", "status": "success", '
        '"created_at": "2026-11-02T10:00:00Z", "finished_at": "2026-11-02T10:00:00Z"},'
        '{"id": "d1", "sha": "abcd", "status": "success", '
        '"created_at": "2026-11-02T10:00:00Z", "finished_at": "2026-11-02T10:00:00Z"}]}',
        "$.deployments[1].id: 'd1' is used twice",
        id="duplicate id",
    ),
    pytest.param(
        '{"deployments": [], "commits": [{"sha": "abcd", "committed_at": '
        '"2026-11-02T10:00:00Z", "deployment": "d7"}]}',
        "$.commits[0].deployment: 'd7' names no deployment",
        id="commit names no deployment",
    ),
    pytest.param(
        '{"deployments": [], "incidents": [{"id": "i", "opened_at": '
        '"2026-11-02T10:00:00Z", "deployment": "d7"}]}',
        "$.incidents[0].deployment: 'd7' names no deployment",
        id="incident names no deployment",
    ),
    pytest.param(
        '{"deployments": [], "incidents": [{"id": "i", "opened_at": '
        '"2026-11-02T10:00:00Z", "resolved_at": "2026-11-01T10:00:00Z"}]}',
        "$.incidents[0].resolved_at: is before opened_at",
        id="resolved before opened",
    ),
    pytest.param(
        '{"deployments": [], "extra": 1}', "Additional properties", id="unknown top-level key"
    ),
]


@pytest.mark.parametrize(("document", "message"), BAD_DOCUMENTS)
def test_bad_events_file_exits_2_and_pushes_nothing(
    tmp_path: Path, http_server: FakeServer, capsys: Any, document: str, message: str
) -> None:
    bad = tmp_path / "events.json"
    bad.write_text(document, encoding="utf-8")
    code, outputs, metrics = run(
        tmp_path, "--events-file", str(bad), "--pushgateway-url", http_server.url
    )
    assert code == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not metrics.exists()
    assert outputs == {}
    assert http_server.requests == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--window-days", "7,x"], "'window-days' must be whole numbers", id="window"),
        pytest.param(["--window-days", "0"], "'window-days' must be whole numbers", id="zero"),
        pytest.param(["--window-days", " , "], "'window-days' is empty", id="empty window"),
        pytest.param(["--as-of", "yesterday"], "'as-of' must be RFC 3339", id="as-of"),
        pytest.param(["--as-of", "2026-11-30T00:00:00"], "with an offset", id="naive as-of"),
        pytest.param(["--repository", "nope"], "'repository' must be owner/name", id="repo"),
        pytest.param(["--environment", " "], "'environment' is empty", id="environment"),
        pytest.param(["--job", ""], "'job' is empty", id="job"),
        pytest.param(["--model", "x"], "'model' must be one of dora, fourkeys", id="model"),
        pytest.param(["--events-file", "/nope/x.json"], "cannot be read", id="missing file"),
        pytest.param(
            ["--pushgateway-url", "ftp://x"], "'pushgateway-url' must be an http(s) URL", id="url"
        ),
        pytest.param(
            [
                "--pushgateway-url",
                "http://x",
                "--pushgateway-token",
                "t",
                "--pushgateway-username",
                "u",
            ],
            "not both",
            id="two auths",
        ),
        pytest.param(
            ["--pushgateway-url", "http://x", "--pushgateway-password", "p"],
            "needs 'pushgateway-username'",
            id="password alone",
        ),
    ],
)
def test_bad_inputs_exit_2(tmp_path: Path, capsys: Any, args: list[str], message: str) -> None:
    argv = ["--events-file", str(HISTORY), "--dry-run", *args]
    if "--pushgateway-url" in args:
        argv.remove("--dry-run")
    code, outputs, metrics = run(tmp_path, *argv)
    assert code == 2
    assert message in capsys.readouterr().err
    assert not metrics.exists()
    assert outputs == {}


def test_pushing_needs_a_url(tmp_path: Path, capsys: Any) -> None:
    code, _, metrics = run(tmp_path, "--events-file", str(HISTORY))
    assert code == 2
    assert "'pushgateway-url' is empty" in capsys.readouterr().err
    assert not metrics.exists()


def test_secrets_are_masked_in_actions(tmp_path: Path, capsys: Any) -> None:
    code, _, _ = run(
        tmp_path,
        *("--events-file", str(HISTORY), "--dry-run", "--pushgateway-password", "pw-xyz"),
        GITHUB_ACTIONS="true",
    )
    assert code == 0
    assert "::add-mask::pw-xyz" in capsys.readouterr().out


def test_default_metrics_file_is_in_runner_temp(tmp_path: Path) -> None:
    _, inputs = entry.parse_args(entry.SPEC, ["--dry-run"], {})
    request = entry.build_request(
        inputs,
        {"RUNNER_TEMP": str(tmp_path), "GITHUB_REPOSITORY": "o/r"},
        entry.parse_as_of(AS_OF, NOW),
    )
    assert request.metrics_file == tmp_path / "dora-metrics.prom"
    assert request.windows == (30,)


def test_as_of_forms() -> None:
    day_end = entry.parse_as_of("2026-11-30", NOW)
    assert day_end.isoformat() == "2026-12-01T00:00:00+00:00"
    shifted = entry.parse_as_of("2026-11-30T02:00:00+02:00", NOW)
    assert shifted.isoformat() == "2026-11-30T00:00:00+00:00"
    assert entry.parse_windows("1, 7d,30,7") == (1, 7, 30)


@pytest.mark.parametrize(
    ("name", "value", "segment"),
    [
        pytest.param("environment", "prod", "/environment/prod", id="plain"),
        pytest.param("environment", "", "/environment@base64/=", id="empty"),
        pytest.param("environment", "eu/west", "/environment@base64/ZXUvd2VzdA==", id="slash"),
        pytest.param("job", "a b", "/job/a+b", id="space"),
    ],
)
def test_grouping_segments(name: str, value: str, segment: str) -> None:
    assert encode_label(name, value) == segment


def test_gateway_config_errors() -> None:
    with pytest.raises(ConfigError):
        Pushgateway("pushgateway:9091")


def test_written_file_is_replaced_atomically(tmp_path: Path) -> None:
    target = tmp_path / "a" / "m.prom"
    entry.write_atomically(target, "one\n")
    entry.write_atomically(target, "two\n")
    assert target.read_text("utf-8") == "two\n"
    assert [p.name for p in target.parent.iterdir()] == ["m.prom"]


def test_json_schema_in_the_readme_is_the_shipped_one() -> None:
    readme = (Path(entry.__file__).parents[1] / "README.md").read_text("utf-8")
    block = readme.split("The JSON Schema", 1)[1].split("```json\n", 1)[1].split("```", 1)[0]
    assert json.loads(block) == schema()
