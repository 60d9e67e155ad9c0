"""The GitHub Actions runtime contract: workflow commands, file commands, inputs.

The only module that writes to stdout. Facts: ../shared/reference/actions-runtime.md.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, Mapping
from typing import Literal, TextIO

from relkit.errors import ConfigError

SUMMARY_LIMIT = 1024 * 1024
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})

AnnotationLevel = Literal["error", "warning", "notice"]


def _out() -> TextIO:
    return sys.stdout


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def format_command(name: str, message: str = "", **properties: str | int | None) -> str:
    props = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in properties.items()
        if value is not None and str(value) != ""
    )
    head = f"::{name} {props}" if props else f"::{name}"
    return f"{head}::{escape_data(message)}"


def issue_command(name: str, message: str = "", **properties: str | int | None) -> None:
    out = _out()
    out.write(format_command(name, message, **properties) + "\n")
    out.flush()


def annotate(
    level: AnnotationLevel,
    message: str,
    env: Mapping[str, str],
    *,
    title: str | None = None,
    file: str | None = None,
    line: int | None = None,
    end_line: int | None = None,
    col: int | None = None,
    end_column: int | None = None,
) -> None:
    """Print an annotation, omitting unset properties and combinations the runner drops. On a
    terminal (``env`` has no ``GITHUB_ACTIONS=true``: no runner reads commands) it is a plain
    ``warning: file:line: message`` line."""
    if not in_actions(env):
        where = f"{file}:{line}: " if file and line else f"{file}: " if file else ""
        label = f"{level}" + (f" ({title})" if title else "")
        sys.stderr.write(f"{label}: {where}{message}\n")
        return
    if line is None:
        col = end_column = end_line = None
    if end_line is not None and line is not None and end_line < line:
        end_line = None
    if col is not None and end_line is not None and end_line != line:
        col = end_column = None
    if col is None or (end_column is not None and end_column < col):
        end_column = None
    issue_command(
        level,
        message,
        title=title,
        file=file,
        line=line,
        endLine=end_line,
        col=col,
        endColumn=end_column,
    )


def debug(message: str) -> None:
    issue_command("debug", message)


def info(message: str) -> None:
    out = _out()
    out.write(message + "\n")
    out.flush()


def add_mask(secret: str) -> None:
    """Mask a secret (and each of its lines) in all later log output."""
    if not secret:
        return
    issue_command("add-mask", secret)
    for part in secret.replace("\r", "\n").split("\n"):
        if part and part != secret:
            issue_command("add-mask", part)


_GROUP_DEPTH = [0]


@contextlib.contextmanager
def group(title: str, env: Mapping[str, str]) -> Iterator[None]:
    """Fold the lines printed inside. The runner does not nest groups: an inner group only
    prints its title as a plain line, so the outer fold stays intact."""
    if _GROUP_DEPTH[0]:
        _print_maybe_untrusted(f"-- {title}", env)
        yield
        return
    _GROUP_DEPTH[0] += 1
    issue_command("group", title)
    try:
        yield
    finally:
        _GROUP_DEPTH[0] -= 1
        issue_command("endgroup")


@contextlib.contextmanager
def stop_commands(env: Mapping[str, str]) -> Iterator[None]:
    """Print untrusted text inside this block: the runner executes no command in it.

    On a terminal (``env`` has no ``GITHUB_ACTIONS=true``) nothing reads workflow commands, and
    the block prints no markers of its own.
    """
    if not in_actions(env):
        yield
        return
    token = os.urandom(16).hex()  # what uuid4().hex holds, without importing uuid
    issue_command("stop-commands", token)
    try:
        yield
    finally:
        issue_command(token)


def flush() -> None:
    """Push out what stdout and stderr still buffer (before a process ends with ``os._exit``);
    a closed pipe has nobody left to read it."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):
            stream.flush()


def drop_stdout() -> None:
    """stdout's reader went away (``relkit … | head -1``): point it at /dev/null, so the
    interpreter's last flush fails no more."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no file descriptor (a test's capture): nothing to flush
        pass
    finally:
        os.close(devnull)


def print_untrusted(text: str, env: Mapping[str, str]) -> None:
    """Print text from outside (commit messages, PR titles, file contents) so that no line of
    it is executed as a workflow command."""
    with stop_commands(env):
        info(text)


def _print_maybe_untrusted(text: str, env: Mapping[str, str]) -> None:
    """A log line: wrapped in stop-commands only when it could hold a command."""
    if _looks_like_command(text):
        print_untrusted(text, env)
    else:
        info(text)


def _looks_like_command(text: str) -> bool:
    return "::" in text or "##[" in text


# --- inputs -------------------------------------------------------------------------------


def input_env_name(name: str) -> str:
    return "INPUT_" + name.replace(" ", "_").upper()


def get_input(
    name: str, env: Mapping[str, str], *, required: bool = False, trim: bool = True
) -> str:
    value = env.get(input_env_name(name), "")
    if trim:
        value = value.strip()
    if required and not value:
        raise ConfigError(f"input '{name}' is required and was not supplied")
    return value


def get_secret_input(name: str, env: Mapping[str, str], *, required: bool = False) -> str:
    """An input holding a secret, masked in the log right away (only in Actions: locally the
    mask command would just print the secret)."""
    value = get_input(name, env, required=required)
    if value and in_actions(env):
        add_mask(value)
    return value


def parse_bool(name: str, value: str) -> bool:
    """YAML 1.2 core booleans only, exactly like @actions/core getBooleanInput."""
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(
        f"input '{name}' must be true or false (YAML 1.2 core: true|True|TRUE|false|False|FALSE), "
        f"got {value!r}"
    )


def get_bool_input(
    name: str, env: Mapping[str, str], *, required: bool = False, default: bool | None = None
) -> bool:
    """``core.getBooleanInput``; an empty value gives ``default`` when one is given."""
    value = get_input(name, env, required=required)
    if not value and default is not None:
        return default
    return parse_bool(name, value)


def get_multiline_input(name: str, env: Mapping[str, str]) -> list[str]:
    return [line.strip() for line in get_input(name, env).splitlines() if line.strip()]


# --- file commands ------------------------------------------------------------------------


def _append(path: str, text: str, variable: str = "") -> None:
    try:
        with open(path, "a", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except OSError as exc:  # a local run with a stale GITHUB_OUTPUT, say: bad input, one line
        name = variable or "a GITHUB_* file variable"
        raise ConfigError(
            f"{name} {path!r} cannot be written ({exc.strerror or type(exc).__name__}); point "
            "it at a writable file, or unset it"
        ) from None


def format_key_value(name: str, value: str) -> str:
    """``name<<ghadelimiter_<uuid4>`` heredoc, exactly as ``@actions/core`` writes it.

    The runner reads ``NAME=VALUE`` when ``=`` comes before ``<<``, so a name holding ``=``,
    ``<<`` or a line break would corrupt the file (and fail the step): refuse it.
    """
    if not name or any(bad in name for bad in ("=", "<<", "\n", "\r")):
        raise ValueError(f"invalid file-command name {name!r}")
    import uuid  # noqa: PLC0415 - uuid imports platform: kept off the start-up path

    delimiter = f"ghadelimiter_{uuid.uuid4()}"
    if delimiter in value:  # pragma: no cover - a uuid4 collision
        raise ValueError(f"value of {name!r} contains the delimiter {delimiter}")
    return f"{name}<<{delimiter}\n{value}\n{delimiter}\n"


def set_output(name: str, value: str, env: Mapping[str, str] | None = None) -> None:
    env = os.environ if env is None else env
    path = env.get("GITHUB_OUTPUT")
    if not path:
        return  # outside Actions (a local CLI run): outputs go nowhere
    _append(path, format_key_value(name, value), "GITHUB_OUTPUT")


def export_variable(name: str, value: str, env: Mapping[str, str] | None = None) -> None:
    """Set an environment variable for the later steps of the job (``GITHUB_ENV``)."""
    if name.upper() == "NODE_OPTIONS":
        raise ValueError("the runner refuses NODE_OPTIONS in GITHUB_ENV")
    env = os.environ if env is None else env
    path = env.get("GITHUB_ENV")
    if path:
        _append(path, format_key_value(name, value))


def add_path(directory: str, env: Mapping[str, str] | None = None) -> None:
    """Prepend a directory to PATH for later steps (``GITHUB_PATH``; not seen by Docker steps)."""
    if not directory or "\n" in directory or "\r" in directory:
        raise ValueError(f"invalid path {directory!r}")
    env = os.environ if env is None else env
    path = env.get("GITHUB_PATH")
    if path:
        _append(path, directory + "\n")


def save_state(name: str, value: str, env: Mapping[str, str] | None = None) -> None:
    """Save a value for the post step, which reads it as ``STATE_<name>``."""
    env = os.environ if env is None else env
    path = env.get("GITHUB_STATE")
    if path:
        _append(path, format_key_value(name, value))


def get_state(name: str, env: Mapping[str, str]) -> str:
    return env.get(f"STATE_{name}", "")


def write_summary(markdown: str, env: Mapping[str, str] | None = None) -> bool:
    """Append Markdown to the job summary, keeping within the runner's 1 MiB cap.

    Returns False (and writes a truncated summary with a note) when the text did not fit.
    """
    env = os.environ if env is None else env
    path = env.get("GITHUB_STEP_SUMMARY")
    if not path:
        return True
    try:
        used = os.path.getsize(path)
    except OSError:
        used = 0
    data = markdown.encode("utf-8")
    budget = SUMMARY_LIMIT - used
    if len(data) <= budget:
        _append(path, markdown, "GITHUB_STEP_SUMMARY")
        return True
    note = "\n\n> Summary truncated: the job summary is limited to 1 MiB.\n"
    room = budget - len(note.encode())
    if room < 0:
        return False  # already full: adding even the note would make the runner drop it all
    cut = data[:room].decode("utf-8", errors="ignore")
    cut = cut[: cut.rfind("\n") + 1] if "\n" in cut else ""
    _append(path, cut + note, "GITHUB_STEP_SUMMARY")
    return False


# --- logging --------------------------------------------------------------------------------


def install_logging(env: Mapping[str, str] | None = None) -> None:
    """Route the ``relkit`` loggers to workflow commands (:mod:`relkit.adapters.gha_logging`).
    ``logging`` loads here, not with this module: with traceback, tokenize and textwrap it costs
    ~4 ms of a start, which a run that never logs (release-pr's dry run) does without."""
    import logging  # noqa: PLC0415 - see above

    from relkit.adapters.gha_logging import WorkflowCommandHandler  # noqa: PLC0415

    env = os.environ if env is None else env
    root = logging.getLogger("relkit")
    for handler in list(root.handlers):
        if isinstance(handler, WorkflowCommandHandler):
            root.removeHandler(handler)
    root.addHandler(WorkflowCommandHandler(env))
    root.setLevel(logging.DEBUG if env.get("RUNNER_DEBUG") == "1" else logging.INFO)
    root.propagate = False


def in_actions(env: Mapping[str, str]) -> bool:
    return env.get("GITHUB_ACTIONS") == "true"


def workspace(env: Mapping[str, str]) -> str:
    """The checkout: ``GITHUB_WORKSPACE``, else (a local run) the current folder. One error
    line when it is no folder, before anything is read or written."""
    where = env.get("GITHUB_WORKSPACE") or os.getcwd()
    if not os.path.isdir(where):
        what = "is a file, not a folder" if os.path.exists(where) else "does not exist"
        raise ConfigError(
            f"GITHUB_WORKSPACE {where!r} {what}: point it at the checkout (actions/checkout), "
            "or unset it to use the current folder"
        )
    return where


def report_error(title: str, message: str, env: Mapping[str, str]) -> None:
    """The one-line error of the boundary: an annotation in Actions, a plain line locally."""
    if in_actions(env):
        annotate("error", message, env, title=title)
    else:
        sys.stderr.write(f"relkit {title}: error: {message}\n")
        sys.stderr.flush()
