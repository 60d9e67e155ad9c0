"""The session's Pushgateway and Prometheus (see tests/prometheus_stack.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from prometheus_stack import Stack, running_stack


@pytest.fixture(scope="session")
def prometheus_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    try:
        with running_stack(tmp_path_factory.mktemp("prometheus")) as stack:
            yield stack
    except (FileNotFoundError, TimeoutError) as exc:
        pytest.fail(str(exc))
