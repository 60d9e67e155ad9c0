"""The action against a real Pushgateway scraped by a real Prometheus: push fixture histories,
read the values back through Prometheus' query API, and check the exposition with promtool."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import requests
from prometheus_stack import Stack
from relkit import cli

HISTORY = Path(__file__).parent / "data" / "history.json"
AS_OF = "2026-11-30T00:00:00Z"


def push(tmp_path: Path, stack: Stack, repository: str, *args: str) -> int:
    return cli.main(
        [
            "dora-push",
            *("--events-file", str(HISTORY), "--as-of", AS_OF),
            *("--pushgateway-url", stack.pushgateway, "--repository", repository),
            *("--metrics-file", str(tmp_path / "dora.prom")),
            *args,
        ],
        {"GITHUB_OUTPUT": str(tmp_path / "out.txt")},
    )


def test_pushed_history_reads_back_through_promql(tmp_path: Path, prometheus_stack: Stack) -> None:
    stack = prometheus_stack
    assert push(tmp_path, stack, "octo/live", "--window-days", "7,30") == 0
    sel = 'repository="octo/live",environment="production",job="dora"'
    assert stack.wait_value(f'dora_deployments{{{sel},window="30d"}}', 5) == 5
    assert stack.value(f'dora_deployments{{{sel},window="7d"}}') == 2
    lead = f'dora_lead_time_seconds{{{sel},window="30d",quantile="0.5"}}'
    assert stack.value(lead) == 45000
    assert stack.value(f'dora_lead_time_seconds{{{sel},window="30d",quantile="0.9"}}') == 90180
    assert stack.value(f'dora_lead_time_seconds_count{{{sel},window="30d"}}') == 6
    assert stack.value(f'dora_change_failure_ratio{{{sel},window="30d"}}') == pytest.approx(4 / 7)
    recovery = f'dora_failed_deployment_recovery_seconds{{{sel},window="30d",quantile="0.5"}}'
    assert stack.value(recovery) == 7200
    assert stack.value(f'dora_deployment_rework_ratio{{{sel},window="7d"}}') == pytest.approx(1 / 3)
    levels = stack.query(f'dora_performance_level{{{sel},window="30d"}} == 1')
    assert {(r["metric"]["metric"], r["metric"]["level"]) for r in levels} == {
        ("deployment_frequency", "high"),
        ("lead_time", "elite"),
        ("change_failure_ratio", "low"),
        ("failed_deployment_recovery", "high"),
    }
    [series] = stack.query(f'dora_deployments{{{sel},window="30d"}}')
    assert "exported_job" not in series["metric"]
    assert stack.value(f"push_time_seconds{{{sel}}}") is not None


def test_a_rerun_replaces_the_group_without_stale_series(
    tmp_path: Path, prometheus_stack: Stack
) -> None:
    stack = prometheus_stack
    sel = 'repository="octo/rerun"'
    assert push(tmp_path, stack, "octo/rerun", "--window-days", "7,30") == 0
    stack.wait_value(f'dora_deployments{{{sel},window="30d"}}', 5)
    assert push(tmp_path, stack, "octo/rerun", "--window-days", "7") == 0
    # the Pushgateway holds only the new push for the group...
    exposed = requests.get(f"{stack.pushgateway}/metrics", timeout=5).text
    rerun = [line for line in exposed.splitlines() if 'repository="octo/rerun"' in line]
    assert any('window="7d"' in line for line in rerun)
    assert not any('window="30d"' in line for line in rerun)
    # ...and Prometheus marks the 30-day series stale after its next scrape
    stack.wait_absent(f'dora_deployments{{{sel},window="30d"}}')
    assert stack.value(f'dora_deployments{{{sel},window="7d"}}') == 2


def test_two_environments_are_two_groups(tmp_path: Path, prometheus_stack: Stack) -> None:
    stack = prometheus_stack
    assert push(tmp_path, stack, "octo/envs") == 0
    assert push(tmp_path, stack, "octo/envs", "--environment", "staging") == 0
    sel = 'repository="octo/envs",window="30d"'
    # staging: d8, and d4, which names no environment and so belongs to the input's
    stack.wait_value(f'dora_deployments{{{sel},environment="staging"}}', 2)
    assert stack.value(f'dora_deployments{{{sel},environment="production"}}') == 5


def test_fourkeys_model_pushes_too(tmp_path: Path, prometheus_stack: Stack) -> None:
    stack = prometheus_stack
    assert push(tmp_path, stack, "octo/fourkeys", "--model", "fourkeys") == 0
    sel = 'repository="octo/fourkeys",window="3mo"'
    stack.wait_value(f"dora_deployments{{{sel}}}", 5)
    assert stack.value(f'dora_fourkeys_band{{{sel},metric="deployment_frequency"}}') == 1


@pytest.mark.parametrize("model", ["dora", "fourkeys"])
def test_exposition_passes_promtool(tmp_path: Path, model: str) -> None:
    code = cli.main(
        [
            "dora-push",
            *("--events-file", str(HISTORY), "--as-of", AS_OF, "--dry-run"),
            *("--repository", "octo/promtool", "--window-days", "1,7,30", "--model", model),
            *("--metrics-file", str(tmp_path / "dora.prom")),
        ],
        {},
    )
    assert code == 0
    checked = subprocess.run(
        ["promtool", "check", "metrics"],
        input=(tmp_path / "dora.prom").read_bytes(),
        capture_output=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout.decode() + checked.stderr.decode()
