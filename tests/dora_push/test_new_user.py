"""Defects found by trying dora-push as a new user (issue 10's QA pass), each pinned here."""

from __future__ import annotations

import os
import re
import socket
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from dora_push import entry
from relkit import cli
from relkit.adapters.http import HttpClient, HttpRetryPolicy
from relkit.errors import ExternalError

HISTORY = Path(__file__).parent / "data" / "history.json"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port  # closed again: nobody listens there


def test_the_metrics_file_is_readable_by_later_steps(tmp_path: Path) -> None:
    """A container action runs as root: a 0600 file in RUNNER_TEMP is unreadable to the next
    step (upload-artifact, promtool) that runs as the runner's user."""
    metrics = tmp_path / "dora.prom"
    argv = ["dora-push", "--events-file", str(HISTORY), "--dry-run", "--metrics-file", str(metrics)]
    assert cli.main(argv, {"GITHUB_REPOSITORY": "octo/demo"}) == 0
    mask = os.umask(0o022)
    os.umask(mask)
    assert stat.S_IMODE(metrics.stat().st_mode) == 0o666 & ~mask


def test_no_repository_outside_actions_says_how_to_give_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    metrics = tmp_path / "dora.prom"
    argv = ["dora-push", "--events-file", str(HISTORY), "--dry-run", "--metrics-file", str(metrics)]
    assert cli.main(argv, {}) == 2
    err = capsys.readouterr().err
    assert "--repository owner/name" in err
    assert err.count("\n") == 1
    assert not metrics.exists()


def test_a_refused_push_names_the_metrics_file(tmp_path: Path) -> None:
    metrics = tmp_path / "dora.prom"
    url = f"http://127.0.0.1:{free_port()}"
    argv = ["--events-file", str(HISTORY), "--pushgateway-url", url]
    env = {"GITHUB_REPOSITORY": "octo/demo"}
    _, inputs = entry.parse_args(entry.SPEC, [*argv, "--metrics-file", str(metrics)], env)
    http = HttpClient(policy=HttpRetryPolicy(max_attempts=1))
    with pytest.raises(ExternalError, match=re.escape(str(metrics))) as failed:
        entry.run(inputs, env, now=datetime(2026, 12, 1, tzinfo=UTC), http=http)
    assert failed.value.exit_code == 1
    assert metrics.read_text().startswith("# HELP dora_")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(["--window-days", "99999999"], "input 'window-days'", id="huge window"),
        pytest.param(["--window-days", "7,40000"], "input 'window-days'", id="window over 100y"),
        pytest.param(["--as-of", "0001-01-01"], "input 'as-of'", id="as-of year 1"),
        pytest.param(["--as-of", "9999-12-31"], "input 'as-of'", id="as-of year 9999"),
        pytest.param(["--as-of", "1900-01-01T00:00:00Z"], "input 'as-of'", id="as-of before 1970"),
    ],
)
def test_out_of_range_dates_are_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    metrics = tmp_path / "dora.prom"
    base = ["dora-push", "--events-file", str(HISTORY), "--dry-run", "--metrics-file", str(metrics)]
    assert cli.main([*base, *argv], {"GITHUB_REPOSITORY": "octo/demo"}) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1
    assert not metrics.exists()


def test_a_metrics_file_that_is_a_folder_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["dora-push", "--events-file", str(HISTORY), "--dry-run", "--metrics-file"]
    assert cli.main([*argv, str(tmp_path)], {"GITHUB_REPOSITORY": "octo/demo"}) == 2
    err = capsys.readouterr().err
    assert f"input 'metrics-file' {str(tmp_path)!r}" in err
    assert err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []  # no scratch file left behind


@pytest.mark.parametrize("variable", ["GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY"])
def test_an_unwritable_file_command_path_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], variable: str
) -> None:
    """A local run with GITHUB_OUTPUT pointing into a missing folder: no traceback."""
    missing = tmp_path / "no-such-folder" / "file"
    argv = ["dora-push", "--events-file", str(HISTORY), "--dry-run"]
    argv += ["--metrics-file", str(tmp_path / "dora.prom")]
    env = {"GITHUB_REPOSITORY": "octo/demo", variable: str(missing)}
    assert cli.main(argv, env) == 2
    err = capsys.readouterr().err
    assert f"{variable} {str(missing)!r} cannot be written" in err
    assert err.count("\n") == 1


DEPLOYMENT = (
    '{{"deployments": [{{"id": "d1", "sha": "abcd", "status": "success", '
    '"created_at": "{created}", "finished_at": "{finished}"}}]{rest}}}'
)


@pytest.mark.parametrize(
    ("document", "where"),
    [
        pytest.param(
            DEPLOYMENT.format(
                created="2026-02-28T10:00:00Z", finished="2026-02-30T10:06:00Z", rest=""
            ),
            "$.deployments[0].finished_at: '2026-02-30T10:06:00Z' is not a valid time",
            id="february 30",
        ),
        pytest.param(
            DEPLOYMENT.format(
                created="2026-02-28T10:00:00+25:00", finished="2026-02-28T10:06:00Z", rest=""
            ),
            "$.deployments[0].created_at: '2026-02-28T10:00:00+25:00' is not a valid time",
            id="offset +25:00",
        ),
        pytest.param(
            DEPLOYMENT.format(
                created="2026-02-28T10:00:00Z",
                finished="2026-02-28T10:06:00Z",
                rest=', "commits": [{"sha": "abcd", "committed_at": "2026-01-01T24:30:00Z"}]',
            ),
            "$.commits[0].committed_at: '2026-01-01T24:30:00Z' is not a valid time",
            id="hour 24",
        ),
        pytest.param(
            DEPLOYMENT.format(
                created="2026-02-28T10:00:00Z",
                finished="2026-02-28T10:06:00Z",
                rest=', "incidents": [{"id": "i1", "opened_at": "2026-01-01T10:00:00Z", '
                '"resolved_at": "2026-13-01T10:00:00Z"}]',
            ),
            "$.incidents[0].resolved_at: '2026-13-01T10:00:00Z' is not a valid time",
            id="month 13",
        ),
    ],
)
def test_an_impossible_time_in_the_events_file_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], document: str, where: str
) -> None:
    events = tmp_path / "events.json"
    events.write_text(document)
    metrics = tmp_path / "dora.prom"
    argv = ["dora-push", "--events-file", str(events), "--dry-run", "--metrics-file", str(metrics)]
    assert cli.main(argv, {"GITHUB_REPOSITORY": "octo/demo"}) == 2
    err = capsys.readouterr().err
    assert where in err
    assert err.count("\n") == 1
    assert not metrics.exists()
