"""The pull request commits API fallback, against a loopback HTTP server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from commit_lint import entry
from commit_lint.pulls import pull_request_commits
from relkit.cli import run_boundary
from relkit.errors import ExternalError


class Api(BaseHTTPRequestHandler):
    pages: ClassVar[dict[int, object]] = {}
    failures: ClassVar[list[int]] = []
    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.seen.append(self.headers.get("Authorization", ""))
        if self.failures:
            self.send_response(self.failures.pop(0))
            self.end_headers()
            return
        page = int(self.path.rsplit("page=", 1)[1])
        body = json.dumps(self.pages.get(page, [])).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def api() -> Iterator[str]:
    Api.pages, Api.failures, Api.seen = {}, [], []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Api)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def commit(number: int, message: str) -> dict[str, object]:
    return {"sha": f"{number:040d}", "commit": {"message": message}}


def test_pages_and_retries(api: str):
    Api.pages = {1: [commit(i, "feat: x") for i in range(100)], 2: [commit(100, "nope")]}
    Api.failures = [502]
    sleeps: list[float] = []
    commits = pull_request_commits(api, "o/r", 5, "tkn", sleep=sleeps.append)
    assert len(commits) == 101
    assert commits[-1].message == "nope"
    assert sleeps == [1]
    assert Api.seen[0] == "Bearer tkn"


@pytest.mark.parametrize(
    ("failures", "pages", "message"),
    [
        pytest.param([404], {}, "HTTP 404", id="client-error"),
        pytest.param([500, 500, 500], {}, "HTTP 500", id="server-error"),
        pytest.param([], {1: {"message": "x"}}, "not a list", id="not-list"),
        pytest.param([], {1: [{"sha": "a"}]}, "without sha/message", id="bad-item"),
    ],
)
def test_failures(api: str, failures: list[int], pages: dict[int, object], message: str):
    Api.failures, Api.pages = list(failures), pages
    with pytest.raises(ExternalError, match=message):
        pull_request_commits(api, "o/r", 5, "t", sleep=lambda _: None)


def test_unreachable_api_is_external_error():
    with pytest.raises(ExternalError, match="failed"):
        pull_request_commits("http://127.0.0.1:9", "o/r", 1, "t", sleep=lambda _: None)


def test_entry_falls_back_to_the_api(api: str, tmp_path: Path, repo, actions_env: dict[str, str]):
    Api.pages = {1: [commit(1, "feat: fine"), commit(2, "Bad")]}
    payload = {
        "pull_request": {"number": 9, "base": {"sha": "1" * 40}, "head": {"sha": "2" * 40}},
        "repository": {"full_name": "o/r"},
    }
    (tmp_path / "event.json").write_text(json.dumps(payload))
    actions_env.update(
        {
            "GITHUB_EVENT_NAME": "pull_request",
            "GITHUB_EVENT_PATH": str(tmp_path / "event.json"),
            "GITHUB_API_URL": api,
            "INPUT_TOKEN": "secret-token",
        }
    )
    argv = ["--working-directory", str(repo.path)]
    assert run_boundary("commit-lint", lambda: entry.main(argv, actions_env), actions_env) == 1
    assert Api.seen == ["Bearer secret-token"]


def test_stops_after_the_api_limit(api: str):
    Api.pages = {
        page: [commit(page * 100 + i, "feat: x") for i in range(100)] for page in (1, 2, 3, 4)
    }
    assert len(pull_request_commits(api, "o/r", 5, "t", sleep=lambda _: None)) == 300
