"""relkit.adapters.http through `responses`: retries, Retry-After, timeouts, redaction."""

from __future__ import annotations

import json
import re

import pytest
import requests
import responses
from relkit.adapters.http import HttpClient, HttpError, HttpRetryPolicy, redact_url
from relkit.errors import ConfigError

URL = "http://pushgateway.local:9091/metrics/job/dora"


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(sleeps: list[float]) -> HttpClient:
    return HttpClient(
        sleep=sleeps.append,
        jitter=lambda: 1.0,
        policy=HttpRetryPolicy(max_attempts=3, backoff_base=1, max_total_wait=30),
        auth=("user", "secret-password"),
        headers={"X-Extra": "1"},
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        pytest.param(
            "https://u:p@host:8443/a?key=s", "https://host:8443/a", id="credentials-query"
        ),
        pytest.param("http://host/x", "http://host/x", id="plain"),
    ],
)
def test_redact_url(url: str, expected: str) -> None:
    assert redact_url(url) == expected


@responses.activate
def test_success_sends_body_auth_and_headers(client: HttpClient, sleeps: list[float]) -> None:
    responses.put(URL, status=202, body="ok")
    answer = client.request("put", URL, json={"a": 1}, params={"q": "1"})
    assert (answer.status, answer.text) == (202, "ok")
    request = responses.calls[0].request
    assert json.loads(request.body) == {"a": 1}
    assert request.headers["Authorization"].startswith("Basic ")
    assert request.headers["X-Extra"] == "1"
    assert request.headers["User-Agent"] == "relkit"
    assert sleeps == []


@responses.activate
def test_5xx_then_success_and_retry_after(client: HttpClient, sleeps: list[float]) -> None:
    responses.post(URL, status=502)
    responses.post(URL, status=429, headers={"Retry-After": "5"})
    responses.post(URL, status=200)
    assert client.request("POST", URL, data=b"x").status == 200
    assert sleeps == [1.0, 5.0]


@pytest.mark.parametrize(
    "fault",
    [
        pytest.param(requests.exceptions.ConnectTimeout("c"), id="connect-timeout"),
        pytest.param(requests.exceptions.ReadTimeout("r"), id="read-timeout"),
    ],
)
@responses.activate
def test_timeout_then_success(client: HttpClient, sleeps: list[float], fault: Exception) -> None:
    responses.get(URL, body=fault)
    responses.get(URL, status=200)
    assert client.request("GET", URL).status == 200
    assert sleeps == [1.0]


@responses.activate
def test_gives_up_after_max_attempts(client: HttpClient, sleeps: list[float]) -> None:
    for _ in range(3):
        responses.get(URL, body=requests.exceptions.ConnectionError("refused"))
    with pytest.raises(
        HttpError,
        match=r"GET http://pushgateway\.local:9091/\S+ failed \(ConnectionError\) after 3",
    ) as info:
        client.request("GET", URL)
    assert info.value.status == 0
    assert sleeps == [1.0, 2.0]


@responses.activate
def test_4xx_is_final_and_secrets_stay_out(client: HttpClient, sleeps: list[float]) -> None:
    responses.post(
        re.compile(r"https://.*hooks\.example\.com/x.*"), status=400, body="bad\n  payload"
    )
    with pytest.raises(HttpError) as info:
        client.request("POST", "https://u:secret-password@hooks.example.com/x?token=abc")
    assert str(info.value) == "POST https://hooks.example.com/x failed with 400: bad payload"
    assert info.value.status == 400
    assert sleeps == []


@responses.activate
def test_retry_budget(sleeps: list[float]) -> None:
    responses.get(URL, status=503, headers={"Retry-After": "100"})
    client = HttpClient(sleep=sleeps.append, policy=HttpRetryPolicy(max_total_wait=10))
    with pytest.raises(HttpError, match="retry budget"):
        client.request("GET", URL)
    assert sleeps == []


def test_bad_url(client: HttpClient) -> None:
    with pytest.raises(ConfigError, match="must start with http"):
        client.request("GET", "ftp://x/y")


@responses.activate
def test_ok_statuses_are_returned_to_the_caller(client: HttpClient, sleeps: list[float]) -> None:
    challenge = 'Bearer realm="https://auth.example/token",service="registry"'
    responses.get(URL, status=401, headers={"WWW-Authenticate": challenge})
    answer = client.request("GET", URL, ok_statuses=frozenset({401}))
    assert answer.status == 401
    assert answer.headers["WWW-Authenticate"] == challenge
    with pytest.raises(HttpError, match="failed with 401"):
        client.request("GET", URL)
    assert sleeps == []
