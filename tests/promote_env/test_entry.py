"""`relkit promote-env` is not built yet: it parses its flags, then says so with exit 2."""

from __future__ import annotations

import pytest
from promote_env import entry
from relkit.errors import ConfigError


def test_main_says_not_built_yet() -> None:
    with pytest.raises(ConfigError, match="the promote-env action is not built yet"):
        entry.main([], {})


def test_main_rejects_unknown_flags_before_anything_else() -> None:
    with pytest.raises(SystemExit) as exited:
        entry.main(["--no-such-input", "x"], {})
    assert exited.value.code == 2


def test_every_declared_input_is_a_flag() -> None:
    argv = []
    for item in entry.SPEC.inputs:
        argv += [f"--{item.name}"] if item.kind == "boolean" else [f"--{item.name}", "x"]
    with pytest.raises(ConfigError, match="not built yet"):
        entry.main(argv, {})
