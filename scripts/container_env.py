"""A Docker engine, a local base image and relkit's image, for the container tests.

    python scripts/container_env.py [--status build/container-env.json] [--no-build]

No registry is reachable from the machines that run the tests, so no base image can be pulled.
This script, run by ``make test`` before pytest:

1. installs Debian's ``docker.io`` and ``debootstrap`` when they are missing (as root, apt-get);
2. starts ``dockerd --iptables=false --ip6tables=false --bridge=none --storage-driver=overlay2``
   in the background when no daemon answers (there is no systemd; the log goes to
   ``/tmp/relkit-dockerd.log``);
3. makes the local base image ``relkit-base:bookworm`` once (cached by tag): ``debootstrap
   --variant=minbase bookworm`` plus python3, pip, venv, ca-certificates and tzdata, with the
   host's extra CA certificates (outbound HTTPS may pass an intercepting proxy), then
   ``docker import``. It stands in for the Dockerfile's default ``python:*-slim`` base: Debian
   with a Python and pip, no git (the Dockerfile installs its own lean git);
4. builds the project's Dockerfile on that base (``--build-arg BASE=relkit-base:bookworm``,
   BuildKit through Debian's CLI, ``--network=host`` since the daemon has no bridge) as
   ``relkit:test-<hash of this checkout's path>`` (worktrees share the engine, not the image),
   named in the status file.

It never fails ``make test``: whatever step cannot be done is written as the reason in the status
file, and the container tests skip with that reason, visibly. Exit 0 either way.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASE_TAG = "relkit-base:bookworm"
# One tag per checkout: worktrees of the project share the engine, never each other's image.
IMAGE_TAG = "relkit:test-" + hashlib.sha256(str(ROOT).encode()).hexdigest()[:10]
DEFAULT_STATUS = ROOT / "build" / "container-env.json"
DOCKERD_LOG = Path(tempfile.gettempdir()) / "relkit-dockerd.log"
DEBIAN_MIRROR = "http://deb.debian.org/debian"
DEBOOTSTRAP = Path("/usr/sbin/debootstrap")  # root's PATH has /usr/sbin, a user's may not
BASE_PACKAGES = ("python3", "python3-pip", "python3-venv", "ca-certificates", "tzdata")
DOCKERD_ARGS = (
    "--iptables=false",
    "--ip6tables=false",
    "--bridge=none",
    "--storage-driver=overlay2",
)


class Unavailable(Exception):
    """The engine or an image cannot be had here; the message is the tests' skip reason."""


def log(message: str) -> None:
    sys.stderr.write(f"container-env: {message}\n")
    sys.stderr.flush()


def is_root() -> bool:
    return os.geteuid() == 0


def docker_cli() -> str | None:
    """Debian's CLI first: it builds with BuildKit without buildx (the 28.x CLI in
    /usr/local/bin lacks buildx and its legacy builder cannot do multi-stage ``COPY --from``
    as fast)."""
    if Path("/usr/bin/docker").is_file():
        return "/usr/bin/docker"
    return shutil.which("docker")


def run(
    args: list[str], *, timeout: float, check: bool = True, **kwargs: object
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(  # noqa: PLW1510 - checked below with a readable message
        args, capture_output=True, text=True, timeout=timeout, **kwargs
    )
    if check and result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        command = " ".join(args[:3])
        raise Unavailable(f"`{command} …` exited {result.returncode}: {' | '.join(tail)}")
    return result


def install_packages() -> None:
    missing = []
    if docker_cli() is None or shutil.which("dockerd") is None:
        missing.append("docker.io")
    if shutil.which("debootstrap") is None and not DEBOOTSTRAP.exists():
        missing.append("debootstrap")
    if not missing:
        return
    if not is_root() or shutil.which("apt-get") is None:
        raise Unavailable(
            f"missing {' and '.join(missing)}; install them as root "
            f"(apt-get install {' '.join(missing)})"
        )
    log(f"installing {' '.join(missing)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(["apt-get", "update", "-qq"], timeout=300, env=env)
    run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
        timeout=600,
        env=env,
    )


def daemon_answers(cli: str) -> bool:
    try:
        answer = run([cli, "info", "--format", "{{.ServerVersion}}"], timeout=20, check=False)
    except subprocess.TimeoutExpired:
        return False
    return answer.returncode == 0


def ensure_daemon(cli: str) -> None:
    if daemon_answers(cli):
        return
    dockerd = shutil.which("dockerd") or "/usr/sbin/dockerd"
    if not is_root() or not Path(dockerd).exists():
        raise Unavailable("no Docker daemon answers and this user cannot start dockerd (not root)")
    log(f"starting dockerd in the background (log: {DOCKERD_LOG})")
    with DOCKERD_LOG.open("ab") as out:
        subprocess.Popen(
            [dockerd, *DOCKERD_ARGS],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if daemon_answers(cli):
            return
        time.sleep(0.5)
    tail = DOCKERD_LOG.read_text(errors="replace").strip().splitlines()[-3:]
    raise Unavailable(f"dockerd did not answer within 60 s: {' | '.join(tail)}")


def image_exists(cli: str, tag: str) -> bool:
    return run([cli, "image", "inspect", tag], timeout=30, check=False).returncode == 0


def make_base(cli: str) -> None:
    """debootstrap minbase + Python → ``docker import``, once: the tag is the cache."""
    if image_exists(cli, BASE_TAG):
        return
    if not is_root():
        raise Unavailable(f"no image {BASE_TAG} and debootstrap needs root")
    log(f"making {BASE_TAG} with debootstrap (about 2 minutes, once)")
    with tempfile.TemporaryDirectory(prefix="relkit-base-") as scratch:
        rootfs = Path(scratch) / "rootfs"
        run(
            [
                "debootstrap",
                "--variant=minbase",
                f"--include={','.join(BASE_PACKAGES)}",
                "bookworm",
                str(rootfs),
                DEBIAN_MIRROR,
            ],
            timeout=900,
        )
        extra = Path("/usr/local/share/ca-certificates")
        if extra.is_dir() and any(extra.iterdir()):
            target = rootfs / "usr/local/share/ca-certificates"
            target.mkdir(parents=True, exist_ok=True)
            for cert in extra.iterdir():
                if cert.suffix == ".crt":
                    shutil.copy2(cert, target / cert.name)
            run(["chroot", str(rootfs), "update-ca-certificates"], timeout=120)
        # What a slim base leaves out: apt lists and caches, docs, man pages, locales.
        for leftover in ("var/lib/apt/lists", "var/cache/apt", "usr/share/doc", "usr/share/man"):
            shutil.rmtree(rootfs / leftover, ignore_errors=True)
        (rootfs / "var/lib/apt/lists/partial").mkdir(parents=True, exist_ok=True)
        tar = subprocess.Popen(
            ["tar", "-C", str(rootfs), "--numeric-owner", "-c", "."], stdout=subprocess.PIPE
        )
        try:
            run(
                [
                    cli,
                    "import",
                    "--change",
                    'CMD ["python3"]',
                    "--change",
                    "ENV LANG=C.UTF-8",
                    "-",
                    BASE_TAG,
                ],
                timeout=600,
                stdin=tar.stdout,
            )
        finally:
            if tar.stdout is not None:
                tar.stdout.close()
            tar.wait()


def build_image(cli: str, tag: str = IMAGE_TAG) -> None:
    log(f"building {tag} from the Dockerfile on {BASE_TAG}")
    run(
        [
            cli,
            "build",
            "--network=host",
            "--build-arg",
            f"BASE={BASE_TAG}",
            "--tag",
            tag,
            str(ROOT),
        ],
        timeout=1200,
        env={**os.environ, "DOCKER_BUILDKIT": "1"},
    )


def ensure(*, build: bool = True) -> dict[str, str]:
    """Every step above; raises ``Unavailable`` with the reason the tests skip with."""
    if sys.platform != "linux":
        raise Unavailable(f"Docker actions run on Linux only (this is {sys.platform})")
    install_packages()
    cli = docker_cli()
    if cli is None:
        raise Unavailable("no docker CLI on PATH")
    ensure_daemon(cli)
    make_base(cli)
    if build:
        build_image(cli)
    elif not image_exists(cli, IMAGE_TAG):
        raise Unavailable(f"no image {IMAGE_TAG}: run `python scripts/container_env.py`")
    return {"docker": cli, "image": IMAGE_TAG, "base": BASE_TAG}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--status", type=Path, default=DEFAULT_STATUS)
    parser.add_argument("--no-build", action="store_true", help="only check for the image")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        status: dict[str, str] = ensure(build=not args.no_build)
        log(f"{IMAGE_TAG} ready in {time.monotonic() - started:.1f} s")
    except (Unavailable, subprocess.TimeoutExpired, OSError) as exc:
        status = {"skip": f"no container engine: {exc}"}
        log(f"container tests will be skipped: {exc}")
    args.status.parent.mkdir(parents=True, exist_ok=True)
    args.status.write_text(json.dumps(status, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
