"""Run an action exactly as the GitHub runner does, on the host (no Docker engine).

Facts: ``/work/shared/reference/actions-runtime.md`` §1-§5 and §11. The harness

- loads ``actions/<name>/action.yml`` with YAML 1.2 core stringification (``1.10`` → ``"1.1"``,
  ``True`` → ``"true"``, ``~`` → ``""``, ``yes`` stays ``"yes"``);
- builds ``INPUT_<NAME>`` (hyphens kept) for every declared input, defaults filled (``""`` when
  none, ``${{ github.token }}`` → the fake token), plus the given inputs, never trimmed;
- builds the environment with the runner's precedence: workflow ``env`` < ``INPUT_*`` <
  ``runs.env`` (fills only missing keys) < ``GITHUB_*``/``RUNNER_*`` < ``HOME``; ``CI=true``
  unless set, ``GITHUB_ACTIONS=true``; from the host only ``PATH``;
- creates empty file-command files and an ``event.json``, runs the image's entrypoint
  (``relkit`` + ``runs.args``) with cwd = the workspace;
- scans stdout and stderr for workflow commands (escaping, ``stop-commands``, masks) and parses
  the file commands with the runner's heredoc parser: a malformed file fails the step even
  with exit code 0.

Use :func:`run_action` for an action folder and :func:`run_workflow_step` for a step of a
``workflows-examples/*.yml`` file.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

REPO_ROOT = Path(__file__).resolve().parents[1]
ACTIONS_DIR = REPO_ROOT / "actions"
FAKE_TOKEN = "ghs_relkitHarnessFakeToken0123456789abcdef"  # a fake, never valid
SUMMARY_LIMIT = 1024 * 1024
_DEFAULT_SHA = "0" * 40

Stream = Literal["stdout", "stderr"]


class HarnessError(Exception):
    """The action or workflow cannot be run the way the runner would run it."""


class FileCommandError(Exception):
    """The runner's "Unable to process file command" failure: the step fails."""


# --- YAML 1.2 core, stringified like the runner's Token.ToString() ---------------------------


def load_yaml(text: str) -> Any:
    """YAML 1.2 core schema (pure ruamel: its C loader is YAML 1.1, where ``yes`` is true)."""
    from ruamel.yaml import YAML  # noqa: PLC0415 - heavy, only when a test loads YAML

    return YAML(typ="safe", pure=True).load(text)


def yaml_scalar_to_string(value: object) -> str:
    """The runner's stringification of a scalar: booleans lowercase, null empty, numbers G15."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _g15(float(value))
    return str(value)


def _g15(number: float) -> str:
    if math.isnan(number):
        return "NaN"
    if number in {float("inf"), float("-inf")}:
        return "Infinity" if number > 0 else "-Infinity"
    text = format(number, ".15G")
    if "E" in text:
        mantissa, exponent = text.split("E")
        sign = exponent[0] if exponent[0] in "+-" else "+"
        text = f"{mantissa}E{sign}{exponent.lstrip('+-').rjust(2, '0')}"
    return text


# --- expressions (only what action.yml and example workflows need) ---------------------------

_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def evaluate(text: str, context: Mapping[str, str]) -> str:
    """Substitute ``${{ a.b }}`` from ``context`` (keys like ``inputs.name``, ``github.token``).

    Names are case-insensitive, as in the runner; ``a['b']`` is accepted; an unset
    ``secrets.X`` is ``""`` as on the runner. Anything else raises
    :class:`HarnessError` naming the expression, so a test never runs with a silent blank.
    """
    lowered = {key.lower(): value for key, value in context.items()}

    def replace(match: re.Match[str]) -> str:
        expr = match.group(1)
        key = re.sub(r"\[\s*'([^']*)'\s*\]", r".\1", expr).lower()
        if key not in lowered and re.fullmatch(r"secrets\.[a-z0-9_]+", key):
            return ""  # an unset secret is an empty string on the runner
        if key not in lowered:
            raise HarnessError(f"expression not supported by the harness: ${{{{ {expr} }}}}")
        return lowered[key]

    return _EXPR.sub(replace, text)


# --- action.yml -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActionInput:
    name: str
    default: str
    has_default: bool
    required: bool
    description: str


@dataclass(frozen=True, slots=True)
class ActionMetadata:
    path: Path
    name: str
    inputs: tuple[ActionInput, ...]
    outputs: tuple[str, ...]
    image: str
    args: tuple[str, ...] | None
    env: Mapping[str, str]
    entrypoint: str | None


_IMAGE_FILE = re.compile(r"(^|/)(Dockerfile\.[^/]*|[^/]*Dockerfile)$", re.IGNORECASE)


def load_action(action: str | Path, actions_dir: Path = ACTIONS_DIR) -> ActionMetadata:
    """Read ``action.yml`` (or ``action.yaml``) of an action name or folder."""
    folder = (
        Path(action) if isinstance(action, Path) or "/" in str(action) else actions_dir / action
    )
    path = folder / "action.yml"
    if not path.exists():
        path = folder / "action.yaml"
    if not path.exists():
        raise HarnessError(f"no action.yml in {folder}")
    data = load_yaml(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise HarnessError(f"{path}: not a mapping")
    runs = data.get("runs") or {}
    if runs.get("using") != "docker":
        raise HarnessError(f"{path}: runs.using must be 'docker', got {runs.get('using')!r}")
    image = yaml_scalar_to_string(runs.get("image"))
    if not (image.startswith("docker://") or _IMAGE_FILE.search(image)):
        raise HarnessError(
            f"{path}: '{image}' should be either '[path]/Dockerfile' or 'docker://image[:tag]'"
        )
    inputs = []
    for name, raw_spec in (data.get("inputs") or {}).items():
        spec = raw_spec or {}
        inputs.append(
            ActionInput(
                name=str(name),
                default=yaml_scalar_to_string(spec.get("default")),
                has_default="default" in spec,
                required=spec.get("required") is True,
                description=yaml_scalar_to_string(spec.get("description")),
            )
        )
    raw_args = runs.get("args")
    args = None if raw_args is None else tuple(yaml_scalar_to_string(a) for a in raw_args)
    entrypoint = runs.get("entrypoint")
    return ActionMetadata(
        path=path,
        name=yaml_scalar_to_string(data.get("name")),
        inputs=tuple(inputs),
        outputs=tuple(str(name) for name in (data.get("outputs") or {})),
        image=image,
        args=args,
        env={str(k): yaml_scalar_to_string(v) for k, v in (runs.get("env") or {}).items()},
        entrypoint=None if entrypoint is None else yaml_scalar_to_string(entrypoint),
    )


def input_env_name(name: str) -> str:
    """``Handler.AddInputsToEnvironment``: spaces → ``_``, upper case, hyphens kept."""
    return "INPUT_" + name.replace(" ", "_").upper()


# --- workflow commands (ActionCommand.TryParseV2 / legacy ##[ ]) -----------------------------


@dataclass(frozen=True, slots=True)
class WorkflowCommand:
    name: str  # lower case
    properties: Mapping[str, str]  # keys lower case, values unescaped
    data: str  # unescaped
    stream: Stream
    line: str  # the raw line


def _unescape_data(value: str) -> str:
    return value.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _unescape_property(value: str) -> str:
    return (
        value.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
    )


def parse_command_line(line: str, stream: Stream = "stdout") -> WorkflowCommand | None:
    """One line → a command, or None when the runner would print it as text."""
    text = line.lstrip()
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            return None
        head, data = text[2:end], text[end + 2 :]
        name, _, props = head.partition(" ")
        separator = ","
        unescape_data = _unescape_data
    elif text.startswith("##["):
        end = text.find("]")
        if end < 0:
            return None
        head, data = text[3:end], text[end + 1 :]
        name, _, props = head.partition(" ")
        separator = ";"
        unescape_data = _unescape_data
    else:
        return None
    if not name:
        return None
    properties: dict[str, str] = {}
    for entry in props.split(separator):
        if not entry:
            continue
        key, _, value = entry.partition("=")
        if key and value:
            properties[key.lower()] = _unescape_property(value)
    return WorkflowCommand(name.lower(), properties, unescape_data(data), stream, line)


def scan_commands(text: str, stream: Stream = "stdout") -> list[WorkflowCommand]:
    """Every command the runner would process in ``text``, honouring ``stop-commands``."""
    commands: list[WorkflowCommand] = []
    stop_token: str | None = None
    for line in text.split("\n"):
        command = parse_command_line(line.rstrip("\r"), stream)
        if command is None:
            continue
        if stop_token is not None:
            if command.name == stop_token.lower():
                stop_token = None
                commands.append(command)
            continue
        if command.name == "stop-commands" and command.data:
            stop_token = command.data
        commands.append(command)
    return commands


# --- file commands (FileCommandManager.EnvFileKeyValuePairs) ---------------------------------


def parse_env_file(text: str) -> dict[str, str]:
    """The runner's parser for ``GITHUB_OUTPUT``/``GITHUB_ENV``/``GITHUB_STATE``.

    Raises :class:`FileCommandError` with the runner's message where the runner fails the step.
    """
    result: dict[str, str] = {}
    index = 0

    def read_line() -> tuple[str, bool] | None:
        nonlocal index
        if index >= len(text):
            return None
        end = text.find("\n", index)
        if end < 0:
            line, index = text[index:], len(text)
            return line, False
        line, index = text[index:end], end + 1
        return line, True

    while (item := read_line()) is not None:
        line, _ = item
        if line == "":
            continue
        equals, heredoc = line.find("="), line.find("<<")
        if equals >= 0 and (heredoc < 0 or equals < heredoc):
            key, value = line[:equals], line[equals + 1 :]
            if not key:
                raise FileCommandError(f"Invalid format '{line}'")
        elif heredoc >= 0:
            key, delimiter = line[:heredoc], line[heredoc + 2 :]
            if not key or not delimiter:
                raise FileCommandError(f"Invalid format '{line}'")
            values: list[str] = []
            while True:
                part = read_line()
                if part is None:
                    raise FileCommandError(
                        f"Invalid value. Matching delimiter not found '{delimiter}'"
                    )
                value_line, had_newline = part
                if value_line == delimiter:
                    break
                if not had_newline:
                    raise FileCommandError("Invalid value. EOF marker missing new line.")
                values.append(value_line)
            value = "\n".join(values)
        else:
            raise FileCommandError(f"Invalid format '{line}'")
        result[key] = value
    return result


def parse_path_file(text: str) -> list[str]:
    return [line for line in text.split("\n") if line]


# --- running ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActionRun:
    """What the runner saw: exit code, outputs, summary, commands, masks."""

    exit_code: int
    stdout: str
    stderr: str
    outputs: Mapping[str, str]
    exported_env: Mapping[str, str]
    state: Mapping[str, str]
    added_paths: Sequence[str]
    summary: str
    commands: Sequence[WorkflowCommand]
    file_command_errors: Sequence[str]
    env: Mapping[str, str]
    argv: Sequence[str]
    workspace: Path
    event_path: Path = field(repr=False)

    @property
    def failed(self) -> bool:
        """The step fails on a non-zero exit *or* a file command the runner cannot parse."""
        return self.exit_code != 0 or bool(self.file_command_errors)

    @property
    def masks(self) -> list[str]:
        values: list[str] = []
        for command in self.commands:
            if command.name == "add-mask" and command.data:
                values.append(command.data)
                values += [p for p in re.split(r"\r?\n|\r", command.data) if p]
        return list(dict.fromkeys(values))

    def annotations(self, level: str | None = None) -> list[WorkflowCommand]:
        levels = {level} if level else {"error", "warning", "notice"}
        return [c for c in self.commands if c.name in levels]

    @property
    def errors(self) -> list[WorkflowCommand]:
        return self.annotations("error")

    @property
    def warnings(self) -> list[WorkflowCommand]:
        return self.annotations("warning")

    @property
    def summary_too_large(self) -> bool:
        return len(self.summary.encode("utf-8")) > SUMMARY_LIMIT

    def leaks(self, secret: str) -> list[str]:
        """Lines of stdout/stderr showing ``secret`` unmasked (its own ``add-mask`` excepted).

        The runner masks only values registered *before* the line is printed.
        """
        found: list[str] = []
        masked: set[str] = set()
        for stream in (self.stdout, self.stderr):
            for line in stream.split("\n"):
                command = parse_command_line(line)
                if command is not None and command.name == "add-mask":
                    masked.add(command.data)
                    continue
                if secret in line and secret not in masked:
                    found.append(line)
        return found


def _host_entrypoint() -> list[str]:
    script = Path(sys.executable).with_name("relkit")
    return [str(script)] if script.exists() else [sys.executable, "-m", "relkit"]


def _git_head(workspace: Path) -> str:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--verify", "-q", "HEAD"],
            cwd=workspace,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return _DEFAULT_SHA
    return done.stdout.strip() if done.returncode == 0 else _DEFAULT_SHA


def github_env(
    tmp: Path,
    workspace: Path,
    *,
    event_name: str = "push",
    repository: str = "octo-org/octo-repo",
    ref: str = "refs/heads/main",
    sha: str | None = None,
) -> dict[str, str]:
    """The ``GITHUB_*``/``RUNNER_*`` variables a hosted runner sets (GitHubContext.cs)."""
    owner = repository.split("/", maxsplit=1)[0]
    kind = "tag" if ref.startswith("refs/tags/") else "branch"
    ref_name = ref.split("/", 2)[-1] if ref.startswith("refs/") else ref
    files = tmp / "_runner_file_commands"
    return {
        "GITHUB_ACTION": "__run",
        "GITHUB_ACTOR": "octocat",
        "GITHUB_ACTOR_ID": "583231",
        "GITHUB_API_URL": "https://api.github.com",
        "GITHUB_BASE_REF": "",
        "GITHUB_ENV": str(files / "set_env_harness"),
        "GITHUB_EVENT_NAME": event_name,
        "GITHUB_EVENT_PATH": str(tmp / "_github_workflow" / "event.json"),
        "GITHUB_GRAPHQL_URL": "https://api.github.com/graphql",
        "GITHUB_HEAD_REF": "",
        "GITHUB_JOB": "build",
        "GITHUB_OUTPUT": str(files / "set_output_harness"),
        "GITHUB_PATH": str(files / "add_path_harness"),
        "GITHUB_REF": ref,
        "GITHUB_REF_NAME": ref_name,
        "GITHUB_REF_PROTECTED": "false",
        "GITHUB_REF_TYPE": kind,
        "GITHUB_REPOSITORY": repository,
        "GITHUB_REPOSITORY_ID": "1296269",
        "GITHUB_REPOSITORY_OWNER": owner,
        "GITHUB_REPOSITORY_OWNER_ID": "9919",
        "GITHUB_RETENTION_DAYS": "90",
        "GITHUB_RUN_ATTEMPT": "1",
        "GITHUB_RUN_ID": "1658821493",
        "GITHUB_RUN_NUMBER": "3",
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_SHA": sha or _git_head(workspace),
        "GITHUB_STATE": str(files / "save_state_harness"),
        "GITHUB_STEP_SUMMARY": str(files / "step_summary_harness"),
        "GITHUB_TRIGGERING_ACTOR": "octocat",
        "GITHUB_WORKFLOW": "CI",
        "GITHUB_WORKFLOW_REF": f"{repository}/.github/workflows/ci.yml@{ref}",
        "GITHUB_WORKFLOW_SHA": sha or _git_head(workspace),
        "GITHUB_WORKSPACE": str(workspace),
        "RUNNER_ARCH": "X64",
        "RUNNER_ENVIRONMENT": "github-hosted",
        "RUNNER_NAME": "GitHub Actions 2",
        "RUNNER_OS": "Linux",
        "RUNNER_TEMP": str(tmp / "runner_temp"),
        "RUNNER_TOOL_CACHE": str(tmp / "tool_cache"),
    }


def run_action(
    action: str | Path,
    inputs: Mapping[str, str] | None = None,
    *,
    workspace: Path,
    tmp_path: Path,
    token: str = FAKE_TOKEN,
    event: Mapping[str, object] | None = None,
    event_name: str = "push",
    env: Mapping[str, str] | None = None,
    github: Mapping[str, str] | None = None,
    debug: bool = False,
    image_entrypoint: Sequence[str] | None = None,
    image_env: Mapping[str, str] | None = None,
    actions_dir: Path = ACTIONS_DIR,
    timeout: float = 120,
) -> ActionRun:
    """Run ``action`` (a name under ``actions/`` or a folder) as the runner would.

    ``inputs`` are the step's ``with:`` (strings, not trimmed). ``env`` is the workflow/job/step
    ``env:`` (lowest precedence; ``STATE_*`` go here). ``github`` overrides ``GITHUB_*``/
    ``RUNNER_*`` (point ``GITHUB_API_URL`` at a loopback server). ``image_entrypoint`` replaces
    the image's ENTRYPOINT (default: this venv's ``relkit``), ``image_env`` its ``ENV``.
    """
    meta = load_action(action, actions_dir)
    tmp = tmp_path / "runner"
    for folder in ("_runner_file_commands", "_github_workflow", "_github_home", "runner_temp"):
        (tmp / folder).mkdir(parents=True, exist_ok=True)
    (tmp / "tool_cache").mkdir(exist_ok=True)
    gh = github_env(tmp, workspace, event_name=event_name)
    gh.update(github or {})
    event_path = Path(gh["GITHUB_EVENT_PATH"])
    event_path.parent.mkdir(parents=True, exist_ok=True)
    event_path.write_text(json.dumps(dict(event or {})), encoding="utf-8")
    for key in (
        "GITHUB_OUTPUT",
        "GITHUB_ENV",
        "GITHUB_PATH",
        "GITHUB_STATE",
        "GITHUB_STEP_SUMMARY",
    ):
        Path(gh[key]).parent.mkdir(parents=True, exist_ok=True)
        Path(gh[key]).write_text("", encoding="utf-8")

    default_context = {
        f"github.{k[7:].lower()}": v for k, v in gh.items() if k.startswith("GITHUB_")
    }
    default_context["github.token"] = token
    default_context["runner.os"] = gh["RUNNER_OS"]
    default_context["runner.temp"] = gh["RUNNER_TEMP"]

    given = {name.lower(): (name, value) for name, value in (inputs or {}).items()}
    values: dict[str, str] = {}
    for spec in meta.inputs:
        if spec.name.lower() in given:
            values[spec.name] = given.pop(spec.name.lower())[1]
        else:
            values[spec.name] = evaluate(spec.default, default_context)
    for name, value in given.values():  # undeclared: the runner warns and still exports
        values[name] = value

    environ: dict[str, str] = dict(image_env if image_env is not None else {})
    environ.setdefault("PYTHONUNBUFFERED", "1")
    environ["PATH"] = os.environ.get("PATH", "/usr/bin:/bin")
    environ.update(env or {})
    environ.update({input_env_name(name): value for name, value in values.items()})
    input_context = {f"inputs.{name}": value for name, value in values.items()}
    for key, value in meta.env.items():
        environ.setdefault(key, evaluate(value, input_context))
    environ.update(gh)
    environ["HOME"] = str(tmp / "_github_home")
    environ["GITHUB_ACTIONS"] = "true"
    environ.setdefault("CI", "true")
    if debug:
        environ["RUNNER_DEBUG"] = "1"

    argv = _command_line(meta, values, input_context, image_entrypoint)
    done = subprocess.run(
        argv,
        cwd=workspace,
        env=environ,
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    stdout = done.stdout.decode("utf-8", errors="replace")
    stderr = done.stderr.decode("utf-8", errors="replace")

    errors: list[str] = []

    def read_env_file(key: str) -> dict[str, str]:
        try:
            return parse_env_file(_read(gh[key]))
        except FileCommandError as exc:
            errors.append(f"Unable to process file command '{key[7:].lower()}' successfully: {exc}")
            return {}

    outputs = read_env_file("GITHUB_OUTPUT")
    exported = read_env_file("GITHUB_ENV")
    if "NODE_OPTIONS" in {k.upper() for k in exported}:
        errors.append("Can't store NODE_OPTIONS output parameter using '$GITHUB_ENV' command.")
    state = read_env_file("GITHUB_STATE")
    return ActionRun(
        exit_code=done.returncode,
        stdout=stdout,
        stderr=stderr,
        outputs=outputs,
        exported_env=exported,
        state=state,
        added_paths=parse_path_file(_read(gh["GITHUB_PATH"])),
        summary=_read(gh["GITHUB_STEP_SUMMARY"]),
        commands=[*scan_commands(stdout, "stdout"), *scan_commands(stderr, "stderr")],
        file_command_errors=errors,
        env=environ,
        argv=argv,
        workspace=workspace,
        event_path=event_path,
    )


def _read(path: str) -> str:
    """The file's text with CR kept (the runner splits on LF only)."""
    return Path(path).read_bytes().decode("utf-8", errors="replace")


def _command_line(
    meta: ActionMetadata,
    values: Mapping[str, str],
    input_context: Mapping[str, str],
    image_entrypoint: Sequence[str] | None,
) -> list[str]:
    """``runs.entrypoint`` (or the image's ENTRYPOINT) + ``runs.args`` (or the ``args`` input)."""
    if meta.args is not None:
        args = [evaluate(item, input_context) for item in meta.args]
    else:
        args = values.get("args", "").split()
    if meta.entrypoint is not None:
        entry = [meta.entrypoint]
    elif image_entrypoint is not None:
        entry = list(image_entrypoint)
    else:
        entry = _host_entrypoint()
    return [*entry, *args]


_REMOTE_USES = re.compile(r"^[^/@]+/[^/@]+/actions/(?P<name>[^@]+)@.+$")


def resolve_uses(uses: str, actions_dir: Path = ACTIONS_DIR) -> Path:
    """``./actions/x`` or ``OWNER/relkit/actions/x@ref`` → the local action folder."""
    if uses.startswith("./"):
        return actions_dir.parent / uses[2:]
    match = _REMOTE_USES.match(uses)
    if match:
        return actions_dir / match.group("name")
    raise HarnessError(f"step uses {uses!r}, which is not a relkit action")


def run_workflow_step(
    workflow_path: Path,
    job: str,
    step_index: int,
    *,
    workspace: Path,
    tmp_path: Path,
    token: str = FAKE_TOKEN,
    context: Mapping[str, str] | None = None,
    event: Mapping[str, object] | None = None,
    github: Mapping[str, str] | None = None,
    actions_dir: Path = ACTIONS_DIR,
    image_entrypoint: Sequence[str] | None = None,
) -> ActionRun:
    """Run step ``step_index`` of ``job`` in a workflow file through :func:`run_action`.

    ``with:`` and ``env:`` values may use ``${{ github.token }}``, ``${{ secrets.GITHUB_TOKEN }}``,
    ``${{ github.<key> }}`` and whatever ``context`` adds (``{"steps.x.outputs.y": "1"}``).
    """
    data = load_yaml(workflow_path.read_text(encoding="utf-8"))
    try:
        job_data = data["jobs"][job]
        step = job_data["steps"][step_index]
    except (KeyError, IndexError, TypeError) as exc:
        raise HarnessError(f"{workflow_path}: no step {step_index} in job {job!r}") from exc
    if "uses" not in step:
        raise HarnessError(f"{workflow_path}: job {job!r} step {step_index} has no 'uses'")
    folder = resolve_uses(str(step["uses"]), actions_dir)
    tmp = tmp_path / "runner"
    names = github_env(tmp, workspace)
    names.update(github or {})
    expressions = {
        f"github.{k[7:].lower()}": v for k, v in names.items() if k.startswith("GITHUB_")
    }
    expressions.update(
        {"github.token": token, "secrets.GITHUB_TOKEN": token, "secrets.github_token": token}
    )
    expressions.update(context or {})

    def strings(mapping: object) -> dict[str, str]:
        if not isinstance(mapping, dict):
            return {}
        return {str(k): evaluate(yaml_scalar_to_string(v), expressions) for k, v in mapping.items()}

    workflow_env = {**strings(data.get("env")), **strings(job_data.get("env"))}
    workflow_env.update(strings(step.get("env")))
    return run_action(
        folder,
        strings(step.get("with")),
        workspace=workspace,
        tmp_path=tmp_path,
        token=token,
        event=event,
        event_name=_first_event(data.get("on")),
        env=workflow_env,
        github=github,
        actions_dir=actions_dir,
        image_entrypoint=image_entrypoint,
    )


def _first_event(on: object) -> str:
    if isinstance(on, str):
        return on
    if isinstance(on, list) and on:
        return str(on[0])
    if isinstance(on, dict) and on:
        return str(next(iter(on)))
    return "push"
