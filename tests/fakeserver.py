"""A loopback HTTP server with scripted answers: a fake GitHub API (or Pushgateway, webhook)
that also works for subprocesses run by the harness, where ``responses`` cannot reach.

    server.add("POST", "/repos/o/r/pulls", status=201, json={...})
    ... GITHUB_API_URL=server.url ...
    assert server.requests[0].json() == {...}

Answers for one (method, path) are served in order; the last one repeats. Unscripted requests
get GitHub's ``404 {"message": "Not Found"}`` and are recorded too.
"""

from __future__ import annotations

import json as jsonlib
import socket
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    method: str
    path: str
    query: Mapping[str, list[str]]
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        return jsonlib.loads(self.body) if self.body else None


@dataclass(frozen=True, slots=True)
class Answer:
    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)


class FakeServer:
    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self._routes: dict[tuple[str, str], list[Answer]] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def add(
        self,
        method: str,
        path: str,
        *,
        status: int = 200,
        json: Any = None,
        body: bytes | str = b"",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        payload = body.encode() if isinstance(body, str) else body
        all_headers = dict(headers or {})
        if json is not None:
            payload = jsonlib.dumps(json).encode()
            all_headers.setdefault("Content-Type", "application/json; charset=utf-8")
        with self._lock:
            self._routes.setdefault((method.upper(), path), []).append(
                Answer(status, payload, all_headers)
            )

    def calls(self, method: str, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if (r.method, r.path) == (method.upper(), path)]

    def _answer(self, method: str, path: str) -> Answer:
        with self._lock:
            queue = self._routes.get((method, path))
            if not queue:
                return Answer(
                    404,
                    b'{"message": "Not Found"}',
                    {"Content-Type": "application/json; charset=utf-8"},
                )
            return queue.pop(0) if len(queue) > 1 else queue[0]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with server._lock:
                    server.requests.append(
                        RecordedRequest(
                            self.command,
                            parts.path,
                            parse_qs(parts.query),
                            {k.lower(): v for k, v in self.headers.items()},
                            body,
                        )
                    )
                answer = server._answer(self.command, parts.path)
                self.send_response(answer.status)
                for key, value in answer.headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

            def log_message(self, format: str, *args: Any) -> None:
                return  # keep test output clean

        return Handler

    def __enter__(self) -> FakeServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def serve() -> Iterator[FakeServer]:
    with FakeServer() as server:
        yield server


class SilentServer:
    """Accepts TCP connections on a free loopback port and never answers."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.connected = threading.Event()
        self.conns: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)
            self.connected.set()

    def close(self) -> None:
        for conn in self.conns:
            conn.close()
        self.sock.close()
