"""The Pushgateway client (an adapter: only dora-push talks to a Pushgateway).

``PUT /metrics/job/<job>/repository@base64/<owner/name>/environment/<env>`` replaces the whole
group, so a full recompute never leaves stale series. Grouping values are encoded as
``prometheus_client`` does (url-safe base64 when a value holds ``/``, ``@base64/=`` for an empty
one); the repository is always base64. Retries (5xx, 429, connection errors, backoff) are the
shared :class:`relkit.adapters.http.HttpClient`'s; credentials never reach a message.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from urllib.parse import quote_plus

from relkit.adapters.http import HttpClient, redact_url
from relkit.errors import ConfigError, ExternalError

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def _b64(value: str) -> str:
    return base64.urlsafe_b64encode(value.encode("utf-8")).decode("ascii")


def encode_label(name: str, value: str, *, force_base64: bool = False) -> str:
    """One ``/<label>/<value>`` segment of a grouping key."""
    if not value:
        return f"/{name}@base64/="
    if force_base64 or "/" in value:
        return f"/{name}@base64/{_b64(value)}"
    return f"/{name}/{quote_plus(value)}"


def grouping_path(job: str, repository: str, environment: str) -> str:
    """``/metrics/job/<job>/repository@base64/<b64>/environment/<env>``."""
    if not job:
        raise ConfigError("input 'job' is empty: give the Pushgateway job name, e.g. dora")
    return (
        "/metrics"
        + encode_label("job", job)
        + encode_label("repository", repository, force_base64=True)
        + encode_label("environment", environment)
    )


@dataclass
class Pushgateway:
    url: str
    username: str = ""
    password: str = field(default="", repr=False)
    token: str = field(default="", repr=False)
    http: HttpClient | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if not self.url.startswith(("http://", "https://")):
            raise ConfigError(
                f"input 'pushgateway-url' must be an http(s) URL, got {redact_url(self.url)!r}; "
                "or set dry-run: true to push nothing"
            )
        if self.token and (self.username or self.password):
            raise ConfigError(
                "give either pushgateway-username/pushgateway-password or pushgateway-token, "
                "not both"
            )
        if self.password and not self.username:
            raise ConfigError("input 'pushgateway-password' needs 'pushgateway-username'")
        if self.http is None:
            self.http = HttpClient(timeout=30.0)
        if self.username:
            self.http.auth = (self.username, self.password)
        if self.token:
            self.http.headers = {**self.http.headers, "Authorization": f"Bearer {self.token}"}

    def put(self, path: str, body: str) -> int:
        """Replace the group at ``path`` with ``body``; the answer's status."""
        assert self.http is not None  # noqa: S101 - set in __post_init__
        target = self.url.rstrip("/") + path
        try:
            answer = self.http.request(
                "PUT", target, data=body.encode("utf-8"), headers={"Content-Type": CONTENT_TYPE}
            )
        except ExternalError as exc:
            raise ExternalError(
                f"pushing to the Pushgateway failed: {exc}; the metrics are still in metrics-file"
            ) from None
        return answer.status
