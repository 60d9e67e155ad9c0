"""``relkit <action> …``: one CLI for every action, the same code path as in the container.

The registry below names each action's entry module; it is imported only when that action runs,
so ``relkit commit-lint`` never loads the Kyverno engine and ``relkit --help`` loads nothing heavy.
Every entry module exposes ``main(argv, env) -> int``.
"""

from __future__ import annotations

import importlib
import os
import signal
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple, NoReturn

from relkit import __version__
from relkit.adapters import gha
from relkit.errors import CheckFailed, RelkitError


class Command(NamedTuple):
    module: str
    summary: str
    # arguments selecting a mode that never logs (local modes printing through ``gha``): such a
    # run installs no log handler, so it does not import ``logging`` (~4 ms of a start)
    quiet_with: tuple[str, ...] = ()


ACTIONS: dict[str, Command] = {
    "commit-lint": Command(
        "commit_lint.entry",
        "Lint commit messages against Conventional Commits (commitlint rules)",
        quiet_with=("--json-batch",),
    ),
    "release-pr": Command(
        "release_pr.entry",
        "Release PRs, changelogs, tags and GitHub Releases (release-please)",
        quiet_with=("--dry-run", "--json-batch"),
    ),
    "kyverno-validate": Command(
        "kyverno_validate.entry", "YAML syntax, Kubernetes schema and Kyverno policy validation"
    ),
    "dependency-group": Command(
        "dependency_group.entry", "Grouped dependency-update PRs with a licence policy (Renovate)"
    ),
    "promote-env": Command(
        "promote_env.entry", "Promote one image between Kustomize overlays; drift and rollback"
    ),
    "dora-push": Command(
        "dora_push.entry", "DORA metrics from GitHub data, pushed to a Prometheus Pushgateway"
    ),
}

# Commands that are not actions of their own.
EXTRA: dict[str, Command] = {
    "kyverno": Command(
        "kyverno_validate.kyverno_cli", "Kyverno CLI compatible commands: `relkit kyverno test DIR`"
    ),
}

Entry = Callable[[Sequence[str], Mapping[str, str]], int]


def usage() -> str:
    width = max(len(name) for name in (*ACTIONS, *EXTRA))
    lines = [
        "usage: relkit <action> [options]    (relkit <action> --help for its options)",
        "",
        "Release engineering as GitHub Actions. Actions:",
    ]
    lines += [
        f"  {name.ljust(width)}  {cmd.summary}{'' if is_built(cmd) else ' (not built yet)'}"
        for name, cmd in ACTIONS.items()
    ]
    lines += ["", "Other commands:"]
    lines += [f"  {name.ljust(width)}  {cmd.summary}" for name, cmd in EXTRA.items()]
    lines += ["", "Options:", "  -h, --help     show this help"]
    lines += ["  --version      show the version"]
    return "\n".join(lines)


def is_built(command: Command) -> bool:
    """Whether the action runs: an entry module that calls ``refuse_not_built`` is a declared,
    planned action. Read from its source, not imported: ``relkit --help`` stays fast."""
    package, _, name = command.module.rpartition(".")
    for finder in sys.meta_path:  # the package's folders, found without running its __init__
        find = getattr(finder, "find_spec", None)
        spec = find(package, None) if find is not None else None
        if spec is not None:
            break
    else:
        return False
    for folder in spec.submodule_search_locations or ():
        try:
            with open(os.path.join(folder, f"{name}.py"), encoding="utf-8") as file:
                return "refuse_not_built(" not in file.read()
        except OSError:
            continue
    return False


# 128 + SIGPIPE: what a shell reports for a tool whose reader went away (``relkit … | head``)
CLOSED_PIPE = 141


def closed_pipe() -> int:
    """stdout's reader is gone: nothing more can be said there; end quietly."""
    gha.drop_stdout()
    return CLOSED_PIPE


def run_boundary(action: str, entry: Callable[[], int], env: Mapping[str, str]) -> int:  # noqa: PLR0911
    """The one error boundary of the process: exception class → message and exit code.

    0 success · 1 failed check or outside system · 2 bad input/config/usage · 3 a bug (traceback
    folded in a ``::group::``) · 130 interrupted. Expected errors are one line, no traceback.
    ``SystemExit`` (argparse's ``--help`` → 0, usage errors → 2) passes through.
    """
    try:
        return entry()
    except Terminated:
        gha.report_error(action, "terminated (SIGTERM), nothing more was written", env)
        return 143
    except BrokenPipeError:
        return closed_pipe()
    except KeyboardInterrupt:
        gha.report_error(action, "interrupted", env)
        return 130
    except CheckFailed as exc:
        if str(exc):
            gha.report_error(action, str(exc), env)
        return exc.exit_code
    except RelkitError as exc:
        gha.report_error(action, str(exc), env)
        return exc.exit_code
    except Exception as exc:  # the boundary: anything else is a bug
        import traceback  # noqa: PLC0415 - only a bug needs it (linecache, tokenize: ~2 ms)

        text = traceback.format_exc().rstrip()
        if gha.in_actions(env):
            with gha.group("traceback", env):
                gha.print_untrusted(text, env)
        else:
            sys.stderr.write(text + "\n")
        gha.report_error(action, f"unexpected error, please report: {_one_line(exc)}", env)
        return 3


def _one_line(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    first = text.splitlines()[0] if text.strip() else type(exc).__name__
    return first[:500]


def load_entry(command: Command) -> Entry:
    module = importlib.import_module(command.module)
    entry: Entry = module.main
    return entry


def unknown_action(name: str, env: Mapping[str, str]) -> None:
    """One line: the closest action when one is close (a typo), else all of them."""
    import difflib  # noqa: PLC0415 - only a mistyped name needs it

    names = [*ACTIONS, *EXTRA]
    close = difflib.get_close_matches(name.replace("_", "-"), names, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}?" if close else f"choose one of: {', '.join(names)}"
    message = f"unknown action {name!r}; {hint}"
    if gha.in_actions(env):
        gha.annotate("error", message, env, title="relkit")
    else:
        sys.stderr.write(f"relkit: error: {message}\n")


def print_only(args: Sequence[str]) -> bool:
    """``relkit ACTION …`` runs a print-only local mode (one of the action's ``quiet_with``)."""
    command = ACTIONS.get(args[0]) if args else None
    return command is not None and any(arg in command.quiet_with for arg in args[1:])


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is, so it unwinds like Ctrl-C: ``docker stop`` and a
    cancelled workflow run end relkit at once, exit 143 (128 + 15), instead of the kernel
    ignoring the signal for PID 1 until the engine's SIGKILL."""


def _terminate(signum: int, frame: object) -> NoReturn:  # noqa: ARG001 - signal handler shape
    raise Terminated


def console() -> NoReturn:
    """The ``relkit`` command. A print-only local mode (``quiet_with``: a dry run, a JSON batch)
    ends with ``os._exit``: it wrote only to stdout/stderr, flushed here, so the interpreter's
    teardown (module cleanup, a last garbage collection: ~5 ms of a 50 ms run) buys nothing."""
    signal.signal(signal.SIGTERM, _terminate)
    try:
        code = main()
    except BrokenPipeError:  # the usage text, written outside an action's boundary
        code = closed_pipe()
    if print_only(sys.argv[1:]):
        gha.flush()
        os._exit(code)
    sys.exit(code)


def main(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    environ: Mapping[str, str] = os.environ if env is None else env
    if not args or args[0] in {"-h", "--help", "help"}:
        gha.info(usage())
        return 0 if args else 2
    if args[0] == "--version":
        gha.info(f"relkit {__version__}")
        return 0
    name, rest = args[0], args[1:]
    command = ACTIONS.get(name) or EXTRA.get(name)
    if command is None:
        unknown_action(name, environ)
        return 2
    if not print_only(args):
        gha.install_logging(environ)
    return run_boundary(name, lambda: load_entry(command)(rest, environ), environ)
