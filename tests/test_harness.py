"""The runner-contract harness itself: YAML stringification, the runner's parsers, a full run."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import pytest
from fakeserver import FakeServer
from gitrepo import GitRepo
from harness import (
    ACTIONS_DIR,
    FAKE_TOKEN,
    FileCommandError,
    HarnessError,
    evaluate,
    load_action,
    load_yaml,
    parse_command_line,
    parse_env_file,
    resolve_uses,
    run_action,
    run_workflow_step,
    scan_commands,
    yaml_scalar_to_string,
)


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        pytest.param("1.10", "1.1", id="float-loses-zero"),
        pytest.param("'1.10'", "1.10", id="quoted"),
        pytest.param("0x1F", "31", id="hex"),
        pytest.param("0o17", "15", id="octal"),
        pytest.param("True", "true", id="bool-title"),
        pytest.param("FALSE", "false", id="bool-upper"),
        pytest.param("yes", "yes", id="yaml11-yes-is-a-string"),
        pytest.param("on", "on", id="yaml11-on-is-a-string"),
        pytest.param("~", "", id="tilde"),
        pytest.param("null", "", id="null"),
        pytest.param("", "", id="empty"),
        pytest.param("1e20", "1E+20", id="exponent"),
        pytest.param("12345678901234567890", "1.23456789012346E+19", id="g15"),
        pytest.param("007", "7", id="leading-zeros"),
        pytest.param("${{ github.token }}", "${{ github.token }}", id="expression"),
    ],
)
def test_yaml_12_core_stringification(yaml_text: str, expected: str) -> None:
    value = load_yaml(f"key: {yaml_text}\n")["key"]
    assert yaml_scalar_to_string(value) == expected


def test_evaluate_expressions() -> None:
    context = {"inputs.dry-run": "true", "github.token": "t"}
    assert evaluate("--x=${{ inputs.dry-run }}", context) == "--x=true"
    assert evaluate("${{github.TOKEN}}", context) == "t"
    assert evaluate("${{ inputs['dry-run'] }}", context) == "true"
    assert evaluate("[${{ secrets.UNSET_SECRET }}]", context) == "[]"
    with pytest.raises(HarnessError, match=r"\$\{\{ vars.X \}\}"):
        evaluate("${{ vars.X }}", context)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("a=1\nb=2\n", {"a": "1", "b": "2"}, id="simple"),
        pytest.param("\n\na=1\n\n", {"a": "1"}, id="empty-lines"),
        pytest.param("a=x<<y\n", {"a": "x<<y"}, id="equals-before-heredoc"),
        pytest.param("a<<EOF\nl1\nl2\nEOF\n", {"a": "l1\nl2"}, id="heredoc"),
        pytest.param("a<<EOF\nEOF\n", {"a": ""}, id="heredoc-empty"),
        pytest.param("a<<EOF\nx\nEOF", {"a": "x"}, id="delimiter-last-line-no-newline"),
        pytest.param("a<<EOF\nx\r\nEOF\n", {"a": "x\r"}, id="cr-stays"),
        pytest.param("a=1\na=2\n", {"a": "2"}, id="last-wins"),
        pytest.param("a =1\n", {"a ": "1"}, id="key-not-trimmed"),
    ],
)
def test_parse_env_file(text: str, expected: dict[str, str]) -> None:
    assert parse_env_file(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("justtext\n", "Invalid format", id="no-separator"),
        pytest.param("=v\n", "Invalid format", id="empty-key"),
        pytest.param("<<EOF\nx\nEOF\n", "Invalid format", id="empty-heredoc-key"),
        pytest.param("a<<\nx\n", "Invalid format", id="empty-delimiter"),
        pytest.param("a<<EOF\nx\n", "Matching delimiter not found", id="unclosed"),
        pytest.param("a<<EOF\nx\nEOF\r\n", "Matching delimiter not found", id="crlf-delimiter"),
        pytest.param("a<<EOF\nx", "EOF marker missing new line", id="no-final-newline"),
    ],
)
def test_parse_env_file_errors(text: str, message: str) -> None:
    with pytest.raises(FileCommandError, match=message):
        parse_env_file(text)


@pytest.mark.parametrize(
    ("line", "name", "properties", "data"),
    [
        pytest.param("::error::boom", "error", {}, "boom", id="plain"),
        pytest.param(
            "  ::Warning file=a.py,line=3::x",
            "warning",
            {"file": "a.py", "line": "3"},
            "x",
            id="leading-space-and-case",
        ),
        pytest.param(
            "::error title=a%3Ab%2Cc,line=::m%0An%25",
            "error",
            {"title": "a:b,c"},
            "m\nn%",
            id="escapes-and-empty-value",
        ),
        pytest.param(
            "##[warning file=x;line=1]legacy",
            "warning",
            {"file": "x", "line": "1"},
            "legacy",
            id="legacy",
        ),
        pytest.param("::endgroup::", "endgroup", {}, "", id="no-data"),
    ],
)
def test_parse_command_line(line: str, name: str, properties: dict[str, str], data: str) -> None:
    command = parse_command_line(line)
    assert command is not None
    assert (command.name, dict(command.properties), command.data) == (name, properties, data)


@pytest.mark.parametrize("line", ["::endgroup", "plain text", "a ::error::x", ":: ::x", "##[x"])
def test_not_commands(line: str) -> None:
    assert parse_command_line(line) is None


def test_scan_commands_honours_stop_commands() -> None:
    text = "::stop-commands::tok\n::error::hidden\n::TOK::\n::error::shown\n"
    assert [(c.name, c.data) for c in scan_commands(text)] == [
        ("stop-commands", "tok"),
        ("tok", ""),
        ("error", "shown"),
    ]


# --- running an action ---------------------------------------------------------------------

FAKE_ENTRY = textwrap.dedent(
    """
    import json, os, sys
    env = dict(os.environ)
    with open(env["GITHUB_OUTPUT"], "a") as out:
        out.write("env<<EOF_x\\n" + json.dumps(env) + "\\nEOF_x\\n")
        out.write("argv=" + json.dumps(sys.argv[1:]) + "\\n")
        out.write("cwd=" + os.getcwd() + "\\n")
    with open(env["GITHUB_STEP_SUMMARY"], "a") as summary:
        summary.write("# Summary\\n")
    print("::add-mask::" + env["INPUT_TOKEN"])
    print("token is " + env["INPUT_TOKEN"])
    print("::notice title=hi::from stdout")
    print("::warning::from stderr", file=sys.stderr)
    if env.get("INPUT_BREAK-OUTPUT") == "true":
        open(env["GITHUB_OUTPUT"], "a").write("broken<<EOF\\nno end\\n")
    sys.exit(int(env.get("INPUT_EXIT", "0") or 0))
    """
)

FAKE_ACTION = textwrap.dedent(
    """
    name: Fake
    description: A fake action for the harness tests
    inputs:
      token:
        description: token
        default: ${{ github.token }}
      dry-run:
        description: a hyphenated input
        default: false
      version:
        description: unquoted version
        default: 1.10
      no-default:
        description: none
      exit:
        description: exit code
        default: '0'
      break-output:
        description: write a malformed output
        default: 'false'
    runs:
      using: docker
      image: ../../Dockerfile
      env:
        FROM_RUNS_ENV: ${{ inputs.version }}
        WORKFLOW_VAR: from-runs-env
      args:
        - fake
        - --dry-run=${{ inputs.dry-run }}
        - ${{ inputs.no-default }}
    """
)


@pytest.fixture
def fake_actions(tmp_path: Path) -> Path:
    folder = tmp_path / "repo" / "actions" / "fake"
    folder.mkdir(parents=True)
    (folder / "action.yml").write_text(FAKE_ACTION)
    (folder / "entry.py").write_text(FAKE_ENTRY)
    return folder.parent


def run_fake(fake_actions: Path, workspace: GitRepo, tmp_path: Path, **kwargs: object):
    return run_action(
        "fake",
        workspace=workspace.path,
        tmp_path=tmp_path,
        actions_dir=fake_actions,
        image_entrypoint=[sys.executable, str(fake_actions / "fake" / "entry.py")],
        **kwargs,  # type: ignore[arg-type]
    )


def test_run_action_builds_the_runner_environment(
    fake_actions: Path, workspace: GitRepo, tmp_path: Path
) -> None:
    run = run_fake(
        fake_actions,
        workspace,
        tmp_path,
        inputs={"Dry-Run": " true "},
        env={"WORKFLOW_VAR": "from-workflow", "GITHUB_SHA": "ignored", "CI": "custom"},
        event={"ref": "refs/heads/main"},
    )
    assert run.exit_code == 0
    assert not run.failed
    env = json.loads(run.outputs["env"])
    assert env["INPUT_TOKEN"] == FAKE_TOKEN
    assert env["INPUT_DRY-RUN"] == " true "  # never trimmed, matched case-insensitively
    assert env["INPUT_VERSION"] == "1.1"
    assert env["INPUT_NO-DEFAULT"] == ""
    assert env["FROM_RUNS_ENV"] == "1.1"
    assert env["WORKFLOW_VAR"] == "from-workflow"  # runs.env never overrides
    assert env["GITHUB_SHA"] == workspace.head()  # a user env cannot override GITHUB_*
    assert env["CI"] == "custom"
    assert env["GITHUB_ACTIONS"] == "true"
    assert env["HOME"].endswith("_github_home")
    assert env["GITHUB_WORKSPACE"] == str(workspace.path)
    assert "GITHUB_TOKEN" not in env
    assert not {k for k in env if k.startswith("GIT_AUTHOR")}  # only PATH from the host
    assert json.loads(run.outputs["argv"]) == ["fake", "--dry-run= true ", ""]
    assert run.outputs["cwd"] == str(workspace.path)
    assert json.loads(run.event_path.read_text()) == {"ref": "refs/heads/main"}
    assert run.summary == "# Summary\n"
    assert [c.name for c in run.annotations()] == ["notice", "warning"]
    assert run.warnings[0].stream == "stderr"
    assert run.masks == [FAKE_TOKEN]
    assert run.leaks(FAKE_TOKEN) == []
    assert not run.summary_too_large


def test_a_malformed_output_file_fails_the_step_even_with_exit_0(
    fake_actions: Path, workspace: GitRepo, tmp_path: Path
) -> None:
    run = run_fake(fake_actions, workspace, tmp_path, inputs={"break-output": "true"})
    assert run.exit_code == 0
    assert run.failed
    assert "Matching delimiter not found" in run.file_command_errors[0]
    assert run.outputs == {}


def test_exit_code_and_leak_detection(
    fake_actions: Path, workspace: GitRepo, tmp_path: Path
) -> None:
    run = run_fake(fake_actions, workspace, tmp_path, inputs={"exit": "3"})
    assert (run.exit_code, run.failed) == (3, True)
    assert run.leaks("token is") == ["token is " + FAKE_TOKEN]


def test_load_action_rejects_what_the_runner_rejects(tmp_path: Path) -> None:
    folder = tmp_path / "x"
    folder.mkdir()
    with pytest.raises(HarnessError, match=r"no action\.yml"):
        load_action(folder)
    (folder / "action.yml").write_text("name: x\nruns:\n  using: node20\n  main: x.js\n")
    with pytest.raises(HarnessError, match=r"runs\.using must be 'docker'"):
        load_action(folder)
    (folder / "action.yml").write_text("name: x\nruns:\n  using: docker\n  image: ghcr.io/o/x:1\n")
    with pytest.raises(HarnessError, match="should be either"):
        load_action(folder)


def test_resolve_uses(tmp_path: Path) -> None:
    actions = tmp_path / "actions"
    assert resolve_uses("./actions/commit-lint", actions) == actions / "commit-lint"
    assert resolve_uses("octo/relkit/actions/dora-push@v1", actions) == actions / "dora-push"
    with pytest.raises(HarnessError, match="not a relkit action"):
        resolve_uses("actions/checkout@v4", actions)


def test_run_workflow_step(fake_actions: Path, workspace: GitRepo, tmp_path: Path) -> None:
    workflow = tmp_path / "wf.yml"
    workflow.write_text(
        textwrap.dedent(
            """
            on:
              pull_request:
            env:
              LEVEL: workflow
            jobs:
              lint:
                runs-on: ubuntu-latest
                env:
                  JOB: job
                steps:
                  - uses: actions/checkout@v4
                  - uses: ./actions/fake
                    env:
                      STEP: ${{ github.repository }}
                    with:
                      token: ${{ secrets.GITHUB_TOKEN }}
                      dry-run: true
                      version: ${{ steps.x.outputs.version }}
            """
        )
    )
    run = run_workflow_step(
        workflow,
        "lint",
        1,
        workspace=workspace.path,
        tmp_path=tmp_path,
        context={"steps.x.outputs.version": "2.0.0"},
        actions_dir=fake_actions,
        image_entrypoint=[sys.executable, str(fake_actions / "fake" / "entry.py")],
    )
    env = json.loads(run.outputs["env"])
    assert (env["INPUT_TOKEN"], env["INPUT_DRY-RUN"], env["INPUT_VERSION"]) == (
        FAKE_TOKEN,
        "true",
        "2.0.0",
    )
    assert (env["LEVEL"], env["JOB"], env["STEP"]) == ("workflow", "job", "octo-org/octo-repo")
    assert env["GITHUB_EVENT_NAME"] == "pull_request"
    workflow.write_text("on: push\njobs:\n  a:\n    steps:\n      - run: echo\n")
    with pytest.raises(HarnessError, match="has no 'uses'"):
        run_workflow_step(workflow, "a", 0, workspace=workspace.path, tmp_path=tmp_path)
    with pytest.raises(HarnessError, match="no step 3"):
        run_workflow_step(workflow, "a", 3, workspace=workspace.path, tmp_path=tmp_path)


def _not_built() -> list[str]:
    """Registered actions whose entry module is still the "not built yet" placeholder."""
    import importlib.util  # noqa: PLC0415

    from relkit.cli import ACTIONS  # noqa: PLC0415

    names = []
    for name, command in ACTIONS.items():
        spec = importlib.util.find_spec(command.module)
        if spec and spec.origin and "not built yet" in Path(spec.origin).read_text():
            names.append(name)
    return names


@pytest.mark.skipif(not _not_built(), reason="every action is built")
def test_not_built_action_exits_2_with_one_error_annotation(
    tmp_path: Path, workspace: GitRepo
) -> None:
    """Through the real `relkit` entrypoint: a registered action that is still a placeholder."""
    name = _not_built()[0]
    folder = tmp_path / "actions" / name
    folder.mkdir(parents=True)
    (folder / "action.yml").write_text(
        "name: x\ndescription: x\nruns:\n  using: docker\n  image: ../../Dockerfile\n"
        f"  args: [{name}]\n"
    )
    run = run_action(
        name, workspace=workspace.path, tmp_path=tmp_path, actions_dir=tmp_path / "actions"
    )
    assert run.exit_code == 2
    [error] = run.errors
    assert error.properties["title"] == name
    assert "not built yet" in error.data
    assert run.outputs == {}


def test_unknown_action_exits_2_with_one_error_annotation(
    tmp_path: Path, workspace: GitRepo
) -> None:
    folder = tmp_path / "actions" / "x"
    folder.mkdir(parents=True)
    (folder / "action.yml").write_text(
        "name: x\ndescription: x\nruns:\n  using: docker\n  image: Dockerfile\n  args: [nope]\n"
    )
    run = run_action(
        "x", workspace=workspace.path, tmp_path=tmp_path, actions_dir=tmp_path / "actions"
    )
    assert run.exit_code == 2
    [error] = run.errors
    assert "unknown action 'nope'" in error.data


REAL_ACTIONS = sorted(p.parent.name for p in ACTIONS_DIR.glob("*/action.yml"))


@pytest.mark.skipif(not REAL_ACTIONS, reason="no action.yml in this checkout yet")
@pytest.mark.parametrize("name", REAL_ACTIONS)
def test_every_action_yml_loads_like_the_runner(name: str) -> None:
    from relkit.cli import ACTIONS  # noqa: PLC0415

    meta = load_action(name)
    assert meta.args is not None
    assert meta.args[0] in ACTIONS
    for item in meta.inputs:
        assert item.description, f"{name}: input {item.name} needs a description"


@pytest.mark.skipif(not REAL_ACTIONS, reason="no action.yml in this checkout yet")
@pytest.mark.parametrize("name", REAL_ACTIONS)
def test_every_action_runs_without_a_crash_on_defaults(
    name: str, workspace: GitRepo, tmp_path: Path, http_server: FakeServer
) -> None:
    """The container contract on the host: default inputs in a one-commit workspace, GitHub
    answering 404 to everything. Any outcome but a crash: exit 0, 1 or 2, file commands the
    runner can parse, no traceback."""
    run = run_action(
        name,
        workspace=workspace.path,
        tmp_path=tmp_path,
        github={"GITHUB_API_URL": http_server.url},
        timeout=60,
    )
    assert run.exit_code in {0, 1, 2}, run.stdout + run.stderr
    assert not run.file_command_errors
    assert "Traceback" not in run.stdout + run.stderr
    if run.exit_code:
        assert run.errors, "a failed step says why in an error annotation"
    assert run.leaks(FAKE_TOKEN) == []


def _example_steps() -> list[tuple[str, str, int, str]]:
    steps = []
    for path in sorted((ACTIONS_DIR.parent / "workflows-examples").glob("*.yml")):
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
        for job, job_data in (data.get("jobs") or {}).items():
            for index, step in enumerate(job_data.get("steps") or ()):
                uses = str(step.get("uses", ""))
                try:
                    resolve_uses(uses)
                except HarnessError:
                    continue  # not a relkit action (actions/checkout, a run step, …)
                steps.append((path.name, str(job), index, uses))
    return steps


EXAMPLE_STEPS = _example_steps()


@pytest.mark.skipif(not EXAMPLE_STEPS, reason="no example workflow uses a relkit action yet")
@pytest.mark.parametrize(
    ("workflow", "job", "index", "uses"),
    [pytest.param(*step, id=f"{step[0]}:{step[1]}:{step[2]}") for step in EXAMPLE_STEPS],
)
def test_example_steps_pass_only_declared_inputs(
    workflow: str, job: str, index: int, uses: str
) -> None:
    """What actionlint checks for local actions: the action exists and every `with:` key is an
    input of its action.yml (the runner itself would only warn)."""
    meta = load_action(resolve_uses(uses))
    path = ACTIONS_DIR.parent / "workflows-examples" / workflow
    step = load_yaml(path.read_text(encoding="utf-8"))["jobs"][job]["steps"][index]
    declared = {item.name.lower() for item in meta.inputs}
    unknown = [key for key in (step.get("with") or {}) if str(key).lower() not in declared]
    assert not unknown, f"{workflow} {job}[{index}] passes undeclared inputs {unknown} to {uses}"


@pytest.mark.skipif(not EXAMPLE_STEPS, reason="no example workflow uses a relkit action yet")
@pytest.mark.parametrize(
    "step",
    [pytest.param(step, id=f"{step[0]}:{step[1]}:{step[2]}") for step in EXAMPLE_STEPS],
)
def test_example_steps_run_without_a_crash(
    step: tuple[str, str, int, str], workspace: GitRepo, tmp_path: Path, http_server: FakeServer
) -> None:
    """Each example step, run as the runner would in a one-commit workspace with GitHub
    answering 404: exit 0, 1 or 2 with a reason, never a crash or a leaked token."""
    workflow, job, index, uses = step
    path = ACTIONS_DIR.parent / "workflows-examples" / workflow
    try:
        run = run_workflow_step(
            path,
            job,
            index,
            workspace=workspace.path,
            tmp_path=tmp_path,
            github={"GITHUB_API_URL": http_server.url},
        )
    except HarnessError as exc:
        pytest.skip(f"{uses}: {exc}")
    assert run.exit_code in {0, 1, 2}, run.stdout + run.stderr
    assert not run.file_command_errors
    assert "Traceback" not in run.stdout + run.stderr
    if run.exit_code:
        assert run.errors, "a failed step says why in an error annotation"
    assert run.leaks(FAKE_TOKEN) == []
