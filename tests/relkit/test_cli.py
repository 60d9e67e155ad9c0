"""The CLI and its one error boundary: exit codes 0/1/2/3/130, one line per expected error."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest
from harness import parse_command_line, scan_commands
from relkit import cli
from relkit.actionspec import ActionSpec, InputSpec, parse_args
from relkit.errors import CheckFailed, ConfigError, ExternalError

ACTIONS_ENV = {"GITHUB_ACTIONS": "true"}


def test_help_lists_every_action(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"], {}) == 0
    out = capsys.readouterr().out
    for name in cli.ACTIONS:
        assert f"  {name}" in out
    assert len(cli.ACTIONS) == 6


def test_no_arguments_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([], {}) == 2
    assert "usage: relkit" in capsys.readouterr().out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--version"], {}) == 0
    assert capsys.readouterr().out.startswith("relkit ")


def test_unknown_action_is_exit_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["nope"], {}) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "unknown action 'nope'; choose one of: commit-lint" in err


def test_unknown_action_in_actions_is_one_annotation(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["nope"], ACTIONS_ENV) == 2
    [command] = scan_commands(capsys.readouterr().out)
    assert (command.name, command.properties["title"]) == ("error", "relkit")


def boom(exc: BaseException) -> int:
    raise exc


@pytest.mark.parametrize(
    ("exc", "code", "message"),
    [
        pytest.param(
            ConfigError("input 'x' must be a number, got 'y'"), 2, "input 'x'", id="config"
        ),
        pytest.param(ExternalError("GitHub API GET /x failed"), 1, "GitHub API", id="external"),
        pytest.param(CheckFailed("3 commits failed the lint"), 1, "3 commits", id="check"),
        pytest.param(KeyboardInterrupt(), 130, "interrupted", id="interrupt"),
    ],
)
def test_boundary_expected_errors_are_one_annotation(
    exc: BaseException, code: int, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.run_boundary("commit-lint", lambda: boom(exc), ACTIONS_ENV) == code
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    command = parse_command_line(out.strip())
    assert command is not None
    assert command.name == "error"
    assert command.properties == {"title": "commit-lint"}
    assert command.data.startswith(message)


def test_boundary_check_failed_without_message_prints_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.run_boundary("commit-lint", lambda: boom(CheckFailed()), ACTIONS_ENV) == 1
    assert capsys.readouterr().out == ""


def test_boundary_success_returns_the_entry_code() -> None:
    assert cli.run_boundary("x", lambda: 0, {}) == 0


def test_boundary_unexpected_error_folds_the_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    error = RuntimeError("::add-mask::evil\nsecond line")
    assert cli.run_boundary("release-pr", lambda: boom(error), ACTIONS_ENV) == 3
    commands = scan_commands(capsys.readouterr().out)
    names = [c.name for c in commands]
    assert names[0] == "group"
    assert commands[0].data == "traceback"
    assert "endgroup" in names
    assert "add-mask" not in names  # the traceback text is printed inside stop-commands
    last = commands[-1]
    assert last.name == "error"
    assert last.data == "unexpected error, please report: RuntimeError: ::add-mask::evil"


def test_boundary_unexpected_error_locally_goes_to_stderr(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.run_boundary("release-pr", lambda: boom(ValueError()), {}) == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Traceback (most recent call last)" in captured.err
    assert captured.err.endswith(
        "relkit release-pr: error: unexpected error, please report: ValueError\n"
    )


def test_boundary_lets_system_exit_through() -> None:
    with pytest.raises(SystemExit) as info:
        cli.run_boundary("x", lambda: boom(SystemExit(2)), {})
    assert info.value.code == 2


SPEC = ActionSpec(
    "fake",
    "A fake action",
    (
        InputSpec("dry-run", "Do nothing", default="false", kind="boolean"),
        InputSpec("token", "The token", secret=True),
    ),
)


def fake_main(argv: Sequence[str], env: Mapping[str, str]) -> int:
    _, inputs = parse_args(SPEC, argv, env)
    return 0 if inputs.bool("dry-run") else 1


@pytest.fixture
def fake_action(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(cli.ACTIONS, "fake", cli.Command("unused", "fake"))
    monkeypatch.setattr(cli, "load_entry", lambda _command: fake_main)


@pytest.mark.usefixtures("fake_action")
def test_action_help_shows_flags_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["fake", "--help"], {})
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "--dry-run, --no-dry-run" in out
    assert "--token TOKEN" in out


@pytest.mark.usefixtures("fake_action")
def test_action_unknown_option_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["fake", "--nope"], {})
    assert info.value.code == 2
    assert "unrecognized arguments: --nope" in capsys.readouterr().err


@pytest.mark.usefixtures("fake_action")
def test_action_reads_inputs_from_env() -> None:
    assert cli.main(["fake"], {"INPUT_DRY-RUN": "true"}) == 0
    assert cli.main(["fake", "--no-dry-run"], {"INPUT_DRY-RUN": "true"}) == 1
    assert cli.main(["fake"], {"INPUT_DRY-RUN": "yes"}) == 2


@pytest.mark.parametrize(
    ("argv", "installed"),
    [
        pytest.param(["fake"], True, id="a run that may log"),
        pytest.param(["fake", "--local"], False, id="a quiet mode"),
    ],
)
def test_quiet_modes_install_no_log_handler(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], *, installed: bool
) -> None:
    monkeypatch.setitem(cli.ACTIONS, "fake", cli.Command("unused", "fake", quiet_with=("--local",)))
    monkeypatch.setattr(cli, "load_entry", lambda _command: lambda _argv, _env: 0)
    calls: list[Mapping[str, str]] = []
    monkeypatch.setattr(cli.gha, "install_logging", calls.append)
    assert cli.main(argv, {}) == 0
    assert bool(calls) is installed


@pytest.mark.parametrize("action", sorted(cli.ACTIONS))
def test_every_registered_entry_imports_and_has_main(action: str) -> None:
    entry = cli.load_entry(cli.ACTIONS[action])
    assert callable(entry)


HEAVY = ("github", "requests", "jsonschema", "ruamel", "urllib3")


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["--help"], id="help"),
        pytest.param(["commit-lint", "--help"], id="action-help"),
    ],
)
def test_help_does_not_import_heavy_libraries(argv: list[str]) -> None:
    code = (
        "import sys\n"
        "from relkit.cli import main\n"
        f"try:\n    main({argv!r}, {{}})\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_python_m_relkit_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "relkit", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert "commit-lint" in done.stdout


def test_untrusted_text_gets_stop_commands_markers_only_for_a_runner(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["commit-lint", "--message", "Bad ::error::x"]
    assert cli.main(argv, {}) == 1
    out = capsys.readouterr().out
    assert "input: Bad ::error::x" in out
    assert "::stop-commands::" not in out  # a terminal reads no workflow commands
    assert cli.main(argv, {"GITHUB_ACTIONS": "true"}) == 1
    assert "::stop-commands::" in capsys.readouterr().out


class _Exit(Exception):
    pass


@pytest.mark.parametrize(
    ("argv", "fast"),
    [
        pytest.param(["release-pr", "--json-batch"], True, id="print-only-local-mode"),
        pytest.param(["commit-lint", "--json-batch"], True, id="commit-lint-batch"),
        pytest.param(["commit-lint", "--message", "feat: x"], False, id="action"),
        pytest.param([], False, id="usage"),
    ],
)
def test_console_skips_teardown_only_for_print_only_modes(
    argv: list[str], fast: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    exits: list[tuple[str, int]] = []

    def record(kind: str) -> Callable[[int], None]:
        def exit_(code: int) -> None:
            exits.append((kind, code))
            raise _Exit

        return exit_

    monkeypatch.setattr(sys, "argv", ["relkit", *argv])
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"[]")))
    monkeypatch.setattr(cli.os, "_exit", record("os._exit"))
    monkeypatch.setattr(cli.sys, "exit", record("sys.exit"))
    with pytest.raises(_Exit):
        cli.console()
    assert exits == [("os._exit" if fast else "sys.exit", 0 if argv else 2)]


def test_console_output_is_complete_through_a_pipe(tmp_path: Path) -> None:
    cases = [
        {"id": str(i), "commits": [{"sha": "a" * 40, "message": "fix: x"}]} for i in range(3000)
    ]
    relkit = Path(sys.executable).with_name("relkit")
    done = subprocess.run(
        [str(relkit), "release-pr", "--json-batch"],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        check=True,
    )
    assert len(json.loads(done.stdout)) == 3000
