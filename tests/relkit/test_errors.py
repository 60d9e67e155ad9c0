"""The exception classes and their exit codes (the boundary is tested in test_cli.py)."""

from __future__ import annotations

import pytest
from relkit.errors import CheckFailed, ConfigError, ExternalError, RelkitError


@pytest.mark.parametrize(
    ("cls", "code"),
    [
        pytest.param(RelkitError, 1, id="relkit"),
        pytest.param(ConfigError, 2, id="config"),
        pytest.param(ExternalError, 1, id="external"),
        pytest.param(CheckFailed, 1, id="check"),
    ],
)
def test_exit_codes(cls: type[RelkitError], code: int) -> None:
    assert cls.exit_code == code
    assert issubclass(cls, RelkitError)
    assert str(cls("input 'x' must be y, got 'z'")) == "input 'x' must be y, got 'z'"
