"""The Actions runtime adapter against the runner's parsers (tests/harness.py)."""

from __future__ import annotations

import io
import logging
import sys
from pathlib import Path
from typing import Any

import pytest
from harness import parse_command_line, parse_env_file, parse_path_file, scan_commands
from relkit.adapters import gha
from relkit.adapters.gha_logging import WorkflowCommandHandler
from relkit.errors import ConfigError

RUNNER = {"GITHUB_ACTIONS": "true"}  # the environment of a step: a runner reads the commands


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param("plain", "plain", id="plain"),
        pytest.param("100%", "100%25", id="percent"),
        pytest.param("a\nb\r\nc", "a%0Ab%0D%0Ac", id="newlines"),
        pytest.param("%0A", "%250A", id="percent-first"),
        pytest.param("a:b,c", "a:b,c", id="data-keeps-colon-comma"),
    ],
)
def test_escape_data(data: str, expected: str) -> None:
    assert gha.escape_data(data) == expected


def test_escape_property_also_escapes_colon_and_comma() -> None:
    assert gha.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


@pytest.mark.parametrize(
    "message",
    [
        pytest.param("simple", id="simple"),
        pytest.param("multi\nline\r\nwith %0A literal", id="multiline"),
        pytest.param("::error::inside", id="nested-command"),
        pytest.param("", id="empty"),
    ],
)
def test_annotation_round_trips_through_the_runner_parser(
    message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    gha.annotate("warning", message, RUNNER, title="T: a, b", file="src/x.py", line=3, col=2)
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    command = parse_command_line(out.rstrip("\n"))
    assert command is not None
    assert command.name == "warning"
    assert command.data == message
    assert command.properties == {"title": "T: a, b", "file": "src/x.py", "line": "3", "col": "2"}


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        pytest.param({}, {}, id="none"),
        pytest.param({"col": 3}, {}, id="col-without-line-dropped"),
        pytest.param({"line": 5, "end_line": 4}, {"line": "5"}, id="end-line-before-line"),
        pytest.param(
            {"line": 5, "end_line": 7, "col": 1, "end_column": 2},
            {"line": "5", "endline": "7"},
            id="col-dropped-on-multi-line",
        ),
        pytest.param(
            {"line": 5, "col": 4, "end_column": 2},
            {"line": "5", "col": "4"},
            id="end-col-before-col",
        ),
        pytest.param(
            {"line": 5, "end_line": 5, "col": 1, "end_column": 9},
            {"line": "5", "endline": "5", "col": "1", "endcolumn": "9"},
            id="all-valid",
        ),
        pytest.param({"title": ""}, {}, id="empty-title-omitted"),
    ],
)
def test_annotate_omits_what_the_runner_would_drop(
    kwargs: dict[str, object], expected: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    gha.annotate("error", "m", RUNNER, **kwargs)  # type: ignore[arg-type]
    command = parse_command_line(capsys.readouterr().out.rstrip("\n"))
    assert command is not None
    assert dict(command.properties) == expected


def test_add_mask_masks_the_value_and_each_line(capsys: pytest.CaptureFixture[str]) -> None:
    gha.add_mask("abc\ndef")
    gha.add_mask("")
    masks = [c.data for c in scan_commands(capsys.readouterr().out) if c.name == "add-mask"]
    assert masks == ["abc\ndef", "abc", "def"]


def test_stop_commands_suspends_every_command_inside(capsys: pytest.CaptureFixture[str]) -> None:
    gha.print_untrusted("fix: x\n::add-mask::evil\n::error::owned\n##[error]legacy", RUNNER)
    gha.print_untrusted("no commands here", RUNNER)
    gha.info("after")
    out = capsys.readouterr().out
    names = [c.name for c in scan_commands(out)]
    assert names[0] == "stop-commands"
    assert len(names) == 4  # stop and resume, twice
    assert "add-mask" not in names
    assert "error" not in names
    assert "no commands here\n" in out
    assert out.endswith("::\nafter\n")


def test_stop_commands_token_is_fresh_each_time(capsys: pytest.CaptureFixture[str]) -> None:
    with gha.stop_commands(RUNNER):
        pass
    with gha.stop_commands(RUNNER):
        pass
    tokens = [c.data for c in scan_commands(capsys.readouterr().out) if c.name == "stop-commands"]
    assert len(set(tokens)) == 2


def test_groups_do_not_nest(capsys: pytest.CaptureFixture[str]) -> None:
    with gha.group("outer", RUNNER):
        with gha.group("inner", RUNNER):
            gha.info("x")
        gha.info("y")
    names = [c.name for c in scan_commands(capsys.readouterr().out)]
    assert names == ["group", "endgroup"]


def test_group_closes_on_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(RuntimeError), gha.group("g", RUNNER):
        raise RuntimeError
    assert capsys.readouterr().out.endswith("::endgroup::\n")
    with gha.group("again", RUNNER):  # depth was reset
        pass
    assert "::group::again" in capsys.readouterr().out


# --- inputs -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("token", "INPUT_TOKEN", id="simple"),
        pytest.param("dry-run", "INPUT_DRY-RUN", id="hyphen-kept"),
        pytest.param("my input", "INPUT_MY_INPUT", id="space"),
    ],
)
def test_input_env_name(name: str, expected: str) -> None:
    assert gha.input_env_name(name) == expected


def test_get_input_trims_unless_asked_and_checks_required() -> None:
    env = {"INPUT_NAME": "  v \n", "INPUT_EMPTY": ""}
    assert gha.get_input("name", env) == "v"
    assert gha.get_input("name", env, trim=False) == "  v \n"
    assert gha.get_input("missing", env) == ""
    with pytest.raises(ConfigError, match="input 'empty' is required"):
        gha.get_input("empty", env, required=True)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("true", True, id="true"),
        pytest.param("True", True, id="True"),
        pytest.param("TRUE", True, id="TRUE"),
        pytest.param("false", False, id="false"),
        pytest.param("False", False, id="False"),
        pytest.param("FALSE", False, id="FALSE"),
    ],
)
def test_parse_bool_yaml_core(value: str, expected: bool) -> None:
    assert gha.parse_bool("flag", value) is expected


@pytest.mark.parametrize("value", ["yes", "on", "1", "tRue", "", "y"])
def test_parse_bool_rejects_yaml_11_words(value: str) -> None:
    with pytest.raises(ConfigError, match=f"input 'flag' must be true or false.*got {value!r}"):
        gha.parse_bool("flag", value)


def test_get_bool_input_default_and_multiline() -> None:
    env = {"INPUT_A": "", "INPUT_B": " TRUE ", "INPUT_L": " a \n\n b\n"}
    assert gha.get_bool_input("a", env, default=True) is True
    assert gha.get_bool_input("b", env) is True
    with pytest.raises(ConfigError):
        gha.get_bool_input("a", env)
    assert gha.get_multiline_input("l", env) == ["a", "b"]


# --- file commands ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("1.2.3", id="simple"),
        pytest.param("", id="empty"),
        pytest.param("line1\nline2\n", id="multiline-trailing-newline"),
        pytest.param("a\r\nb", id="crlf"),
        pytest.param("EOF\nx<<EOF\ny=z", id="looks-like-commands"),
    ],
)
def test_set_output_round_trips_through_the_runner_parser(value: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.write_text("")
    env = {"GITHUB_OUTPUT": str(out)}
    gha.set_output("first", value, env)
    gha.set_output("second", "x", env)
    assert parse_env_file(out.read_bytes().decode()) == {"first": value, "second": "x"}
    assert "ghadelimiter_" in out.read_text()


@pytest.mark.parametrize("name", ["", "a=b", "a<<b", "a\nb"])
def test_set_output_refuses_names_that_corrupt_the_file(name: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="invalid file-command name"):
        gha.set_output(name, "v", {"GITHUB_OUTPUT": str(tmp_path / "o")})


def test_file_commands_without_runner_files_are_no_ops(tmp_path: Path) -> None:
    gha.set_output("a", "b", {})
    gha.export_variable("a", "b", {})
    gha.add_path("/x", {})
    gha.save_state("a", "b", {})
    assert gha.write_summary("# hi", {}) is True
    assert list(tmp_path.iterdir()) == []


def test_env_path_state_files(tmp_path: Path) -> None:
    env = {name: str(tmp_path / name) for name in ("GITHUB_ENV", "GITHUB_PATH", "GITHUB_STATE")}
    gha.export_variable("FOO", "a\nb", env)
    gha.add_path("/opt/tool/bin", env)
    gha.save_state("pid", "42", env)
    assert parse_env_file((tmp_path / "GITHUB_ENV").read_text()) == {"FOO": "a\nb"}
    assert parse_path_file((tmp_path / "GITHUB_PATH").read_text()) == ["/opt/tool/bin"]
    assert parse_env_file((tmp_path / "GITHUB_STATE").read_text()) == {"pid": "42"}
    assert gha.get_state("pid", {"STATE_pid": "42"}) == "42"
    with pytest.raises(ValueError, match="NODE_OPTIONS"):
        gha.export_variable("node_options", "x", env)
    with pytest.raises(ValueError, match="invalid path"):
        gha.add_path("a\nb", env)


def test_write_summary_within_budget(tmp_path: Path) -> None:
    summary = tmp_path / "summary"
    env = {"GITHUB_STEP_SUMMARY": str(summary)}
    assert gha.write_summary("# One\n", env) is True
    assert gha.write_summary("two\n", env) is True
    assert summary.read_text() == "# One\ntwo\n"


def test_write_summary_truncates_at_a_line_and_never_exceeds_1_mib(tmp_path: Path) -> None:
    summary = tmp_path / "summary"
    env = {"GITHUB_STEP_SUMMARY": str(summary)}
    line = "| é row | value |\n"
    assert gha.write_summary(line * 80_000, env) is False
    data = summary.read_bytes()
    assert len(data) <= gha.SUMMARY_LIMIT
    text = data.decode("utf-8")
    assert text.endswith("limited to 1 MiB.\n")
    assert text.startswith(line)
    body = text.split("\n\n> Summary truncated")[0]
    assert body.count(line) * len(line) == len(body)  # whole lines only
    assert gha.write_summary("more\n", env) is False  # full: nothing more is appended
    assert summary.read_bytes() == data


# --- logging and errors -----------------------------------------------------------------------


def test_logging_maps_levels_to_commands(capsys: pytest.CaptureFixture[str]) -> None:
    gha.install_logging({"RUNNER_DEBUG": "1", **RUNNER})
    gha.install_logging({"RUNNER_DEBUG": "1", **RUNNER})  # idempotent: one handler
    log = logging.getLogger("relkit.test")
    log.debug("dbg")
    log.info("plain ::error::from a commit subject")
    log.warning("careful: 50%")
    log.error("broken\nline")
    out = capsys.readouterr().out
    names = [(c.name, c.data) for c in scan_commands(out) if not c.name.startswith(("stop", "0"))]
    assert ("debug", "dbg") in names
    assert ("warning", "careful: 50%") in names
    assert ("error", "broken\nline") in names
    assert ("error", "from a commit subject") not in names


def test_logging_level_without_debug() -> None:
    gha.install_logging({})
    assert logging.getLogger("relkit").level == logging.INFO
    handlers = logging.getLogger("relkit").handlers
    assert sum(isinstance(h, WorkflowCommandHandler) for h in handlers) == 1


def test_report_error_in_actions_and_locally(capsys: pytest.CaptureFixture[str]) -> None:
    gha.report_error("commit-lint", "bad: value", {"GITHUB_ACTIONS": "true"})
    gha.report_error("commit-lint", "bad value", {})
    captured = capsys.readouterr()
    command = parse_command_line(captured.out.strip())
    assert command is not None
    assert (command.name, command.properties["title"], command.data) == (
        "error",
        "commit-lint",
        "bad: value",
    )
    assert captured.err == "relkit commit-lint: error: bad value\n"


def test_get_secret_input_masks_in_actions_only(capsys: pytest.CaptureFixture[str]) -> None:
    assert gha.get_secret_input("token", {"INPUT_TOKEN": " s3cret "}) == "s3cret"
    assert capsys.readouterr().out == ""
    env = {"INPUT_TOKEN": "s3cret", "GITHUB_ACTIONS": "true"}
    assert gha.get_secret_input("token", env) == "s3cret"
    assert [c.data for c in scan_commands(capsys.readouterr().out)] == ["s3cret"]
    with pytest.raises(ConfigError, match="input 'token' is required"):
        gha.get_secret_input("token", {"GITHUB_ACTIONS": "true"}, required=True)


def test_flush_survives_a_closed_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    class Closed(io.StringIO):
        def flush(self) -> None:
            raise BrokenPipeError

    monkeypatch.setattr(sys, "stdout", Closed())
    gha.flush()  # no exception: nobody is left to read


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        pytest.param({}, "warning: x\n", id="bare"),
        pytest.param({"title": "lint"}, "warning (lint): x\n", id="title"),
        pytest.param({"file": "a.yaml"}, "warning: a.yaml: x\n", id="file"),
        pytest.param({"file": "a.yaml", "line": 3}, "warning: a.yaml:3: x\n", id="file-line"),
    ],
)
def test_annotations_on_a_terminal_are_plain_lines(
    kwargs: dict[str, Any], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    gha.annotate("warning", "x", {}, **kwargs)
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", expected)


def test_untrusted_text_on_a_terminal_has_no_markers(capsys: pytest.CaptureFixture[str]) -> None:
    gha.print_untrusted("::error::from a commit subject", {})
    with gha.stop_commands({"GITHUB_ACTIONS": "false"}):
        gha.info("inside")
    assert capsys.readouterr().out == "::error::from a commit subject\ninside\n"


def test_log_lines_get_markers_only_for_a_runner(capsys: pytest.CaptureFixture[str]) -> None:
    log = logging.getLogger("relkit.test")
    gha.install_logging({})
    log.info("subject ::error::x")
    assert capsys.readouterr().out == "subject ::error::x\n"
    gha.install_logging(RUNNER)
    log.info("subject ::error::x")
    assert next(c.name for c in scan_commands(capsys.readouterr().out)) == "stop-commands"


def test_workspace_is_the_checkout_or_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert gha.workspace({}) == str(tmp_path)
    assert gha.workspace({"GITHUB_WORKSPACE": "/"}) == "/"
    with pytest.raises(ConfigError, match=r"GITHUB_WORKSPACE '.*nope' does not exist"):
        gha.workspace({"GITHUB_WORKSPACE": str(tmp_path / "nope")})
