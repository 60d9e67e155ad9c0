"""The runner's ``docker run`` for a container action, as an image entrypoint for tests/harness.py.

    python docker_run.py DOCKER IMAGE RUNNER_DIR WORKSPACE -- ARGS…

tests/harness.py builds the step's environment with host paths (its ``RUNNER_TEMP``, file
commands, event file, home, workspace) and runs this script instead of the image's entrypoint.
It does what actions/runner's ContainerActionHandler does (shared/reference/actions-runtime.md
§1): mounts each of those folders at its ``/github/...`` path, rewrites host paths inside every
value to container paths (``TranslateToContainerPath``), passes each variable as ``-e NAME``
(values from this process's environment, so multi-line values are safe), never the host's
``PATH`` (the image's own applies), and runs ``docker run --rm --workdir /github/workspace``.
The daemon has no bridge here, so the container shares the host's network: the tests' loopback
fakes stay reachable. The exit code is the container's.
"""

from __future__ import annotations

import os
import sys

IMAGE_ENV = {"PATH", "PYTHONUNBUFFERED"}  # the image sets these; the runner never passes them


def mounts(runner_dir: str, workspace: str) -> dict[str, str]:
    return {
        f"{runner_dir}/runner_temp": "/github/runner_temp",
        f"{runner_dir}/_github_home": "/github/home",
        f"{runner_dir}/_github_workflow": "/github/workflow",
        f"{runner_dir}/_runner_file_commands": "/github/file_commands",
        workspace: "/github/workspace",
    }


def translate(value: str, table: dict[str, str]) -> str:
    for host in sorted(table, key=len, reverse=True):
        if value == host or value.startswith(host + "/"):
            return table[host] + value[len(host) :]
    return value


def main(argv: list[str]) -> int:
    docker, image, runner_dir, workspace, separator, *args = argv
    assert separator == "--", argv
    table = mounts(runner_dir, workspace)
    env = {
        name: translate(value, table) for name, value in os.environ.items() if name not in IMAGE_ENV
    }
    command = [docker, "run", "--rm", "--network=host", "--workdir", "/github/workspace"]
    for host, container in table.items():
        command += ["-v", f"{host}:{container}"]
    for name in sorted(env):
        command += ["-e", name]
    command += [image, *args]
    env["PATH"] = os.environ.get("PATH", "/usr/bin:/bin")  # for the docker CLI only
    os.execve(docker, command, env)  # noqa: S606 - exec of the docker CLI, no shell
    return 127  # pragma: no cover - execve does not return


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
