"""ActionSpec: CLI flags and INPUT_* read through one declaration."""

from __future__ import annotations

import pytest
from harness import scan_commands
from relkit.actionspec import ActionSpec, InputSpec, ResolvedInputs, build_parser, parse_args
from relkit.errors import ConfigError

SPEC = ActionSpec(
    "demo",
    "A demo action: 100% fake",
    (
        InputSpec("token", "GitHub token", secret=True, env_fallback="GITHUB_TOKEN"),
        InputSpec("dry-run", "Only report", default="false", kind="boolean"),
        InputSpec("depth", "How deep", default="3", kind="integer"),
        InputSpec("mode", "Which mode", default="fast", kind="choice", choices=("fast", "slow")),
        InputSpec("paths", "Paths, one a line", kind="multiline"),
        InputSpec("format", "strftime like %Y-%m", default="%Y"),
        InputSpec("config", "Config file", required=True),
    ),
)


def resolve(argv: list[str], env: dict[str, str]) -> ResolvedInputs:
    return parse_args(SPEC, argv, env)[1]


def test_parser_mirrors_inputs_and_survives_percent_in_help() -> None:
    text = build_parser(SPEC).format_help()
    for flag in ("--token TOKEN", "--dry-run, --no-dry-run", "--depth DEPTH", "--config CONFIG"):
        assert flag in text
    assert "strftime like %Y-%m (default: %Y)" in text
    assert "100% fake" in text


def test_spec_lookup() -> None:
    assert SPEC.input("mode").choices == ("fast", "slow")
    with pytest.raises(KeyError):
        SPEC.input("nope")


def test_defaults_and_precedence() -> None:
    env = {"INPUT_CONFIG": "a.yml", "INPUT_DEPTH": "5", "GITHUB_TOKEN": "local-token"}
    inputs = resolve([], env)
    assert inputs.values == {
        "token": "local-token",
        "dry-run": "false",
        "depth": "5",
        "mode": "fast",
        "paths": "",
        "format": "%Y",
        "config": "a.yml",
    }
    assert resolve(["--depth", "7", "--dry-run"], env).values["depth"] == "7"
    assert resolve(["--dry-run"], env).bool("dry-run") is True
    assert resolve(["--token", "flag"], {**env, "INPUT_TOKEN": "input"}).str("token") == "flag"
    assert resolve([], {**env, "INPUT_TOKEN": "input"}).str("token") == "input"


def test_empty_input_from_the_runner_falls_back_to_the_default() -> None:
    inputs = resolve([], {"INPUT_CONFIG": "c", "INPUT_DEPTH": "", "INPUT_MODE": "  "})
    assert (inputs.int("depth"), inputs.str("mode")) == (3, "fast")


def test_multiline_keeps_inner_whitespace() -> None:
    inputs = resolve([], {"INPUT_CONFIG": "c", "INPUT_PATHS": "\n a/b \nc, d\n\n"})
    assert inputs.str("paths") == " a/b \nc, d"
    assert inputs.lines("paths") == ["a/b", "c", "d"]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        pytest.param({}, "input 'config' is required: pass --config", id="required"),
        pytest.param(
            {"INPUT_CONFIG": "c", "INPUT_DRY-RUN": "yes"},
            "input 'dry-run' must be true or false",
            id="boolean",
        ),
        pytest.param(
            {"INPUT_CONFIG": "c", "INPUT_DEPTH": "1.5"},
            "input 'depth' must be a whole number, got '1.5'",
            id="integer",
        ),
        pytest.param(
            {"INPUT_CONFIG": "c", "INPUT_MODE": "medium"},
            "input 'mode' must be one of fast, slow; got 'medium'",
            id="choice",
        ),
    ],
)
def test_bad_inputs_are_config_errors(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as info:
        resolve([], env)
    assert str(info.value).startswith(message)


def test_typed_accessors() -> None:
    inputs = ResolvedInputs({"n": "x", "m": "2", "b": "TRUE"})
    assert inputs.bool("b") is True
    with pytest.raises(ConfigError, match="whole number, got 'x'"):
        inputs.int("n")
    with pytest.raises(ConfigError, match="at least 3, got 2"):
        inputs.int("m", minimum=3)
    assert inputs.int("m", minimum=1) == 2


def test_secrets_are_masked_in_actions_only(capsys: pytest.CaptureFixture[str]) -> None:
    resolve([], {"INPUT_CONFIG": "c", "INPUT_TOKEN": " ghs_abc \n"})
    assert capsys.readouterr().out == ""  # locally a mask command would only print the token
    resolve([], {"INPUT_CONFIG": "c", "INPUT_TOKEN": "ghs_abc", "GITHUB_ACTIONS": "true"})
    masks = [c.data for c in scan_commands(capsys.readouterr().out) if c.name == "add-mask"]
    assert masks == ["ghs_abc"]
