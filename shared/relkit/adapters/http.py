"""A small retrying HTTP client for services other than GitHub (webhooks, the Pushgateway).

``requests`` is imported on first use. 5xx answers, 429 and 408, timeouts and connection errors
are retried with exponential backoff and jitter (``Retry-After`` honoured), within a total wait
budget; ``sleep`` and ``jitter`` are injectable so tests never sleep. Failures become one-line
:class:`~relkit.errors.ExternalError` messages naming the method and URL, with any credentials in
the URL removed.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from relkit.errors import ConfigError, ExternalError

if TYPE_CHECKING:
    import requests

_RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


class HttpError(ExternalError):
    """An HTTP call failed after retries; ``status`` is 0 for network failures."""

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True, slots=True)
class HttpRetryPolicy:
    max_attempts: int = 5
    backoff_base: float = 0.5
    backoff_max: float = 20.0
    max_total_wait: float = 120.0


@dataclass(frozen=True, slots=True)
class HttpResponse:
    status: int
    headers: Mapping[str, str]
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")


def redact_url(url: str) -> str:
    """The URL without ``user:password@`` and without its query (which may hold a key)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


@dataclass
class HttpClient:
    """Retrying HTTP calls; one per outside service (its timeout and auth are shared)."""

    timeout: float = 10.0
    policy: HttpRetryPolicy = field(default_factory=HttpRetryPolicy)
    auth: tuple[str, str] | None = field(default=None, repr=False)
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    jitter: Callable[[], float] = field(default=random.random, repr=False)
    _session: requests.Session | None = field(default=None, init=False, repr=False)

    def _get_session(self) -> requests.Session:
        if self._session is None:
            import requests  # noqa: PLC0415 - heavy, imported on first call

            session = requests.Session()
            session.headers["User-Agent"] = "relkit"
            session.headers.update(self.headers)
            if self.auth is not None:
                session.auth = self.auth
            self._session = session
        return self._session

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.policy.backoff_max, self.policy.backoff_base * 2.0 ** (attempt - 1))
        return ceiling * (0.5 + self.jitter() / 2)

    def request(
        self,
        method: str,
        url: str,
        *,
        json: Any = None,
        data: bytes | str | None = None,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
        ok_statuses: frozenset[int] = frozenset(),
    ) -> HttpResponse:
        """Send one request (retried); return the answer when its status is below 400 or in
        ``ok_statuses`` (e.g. a 401 whose authentication challenge the caller answers)."""
        import requests  # noqa: PLC0415 - heavy

        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"URL must start with http:// or https://, got {redact_url(url)!r}")
        where = f"{method.upper()} {redact_url(url)}"
        waited, attempt = 0.0, 0
        while True:
            attempt += 1
            try:
                answer = self._get_session().request(
                    method.upper(),
                    url,
                    json=json,
                    data=data,
                    headers=dict(headers or {}),
                    params=dict(params or {}),
                    timeout=self.timeout,
                )
            except (requests.exceptions.Timeout, requests.exceptions.ConnectionError) as exc:
                kind = "timed out" if isinstance(exc, requests.exceptions.Timeout) else "failed"
                failure = HttpError(
                    f"{where} {kind} ({type(exc).__name__}) after {attempt} attempt(s)", status=0
                )
                delay: float | None = self._backoff(attempt)
            else:
                if answer.status_code < 400 or answer.status_code in ok_statuses:
                    return HttpResponse(answer.status_code, dict(answer.headers), answer.content)
                snippet = " ".join(answer.text.split())[:200]
                said = f": {snippet}" if snippet else ""
                failure = HttpError(
                    f"{where} failed with {answer.status_code}{said}", status=answer.status_code
                )
                delay = None
                if answer.status_code in _RETRY_STATUSES:
                    retry_after = answer.headers.get("Retry-After", "").strip()
                    delay = float(retry_after) if retry_after.isdigit() else self._backoff(attempt)
            if delay is None or attempt >= self.policy.max_attempts:
                raise failure
            if waited + delay > self.policy.max_total_wait:
                raise HttpError(
                    f"{failure} (gave up: the {self.policy.max_total_wait:.0f}s retry budget "
                    "is spent)",
                    status=failure.status,
                )
            self.sleep(delay)
            waited += delay
