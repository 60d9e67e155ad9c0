"""The image's size per layer, unpacked and compressed, and the container's start time.

    python bench/image_size.py [IMAGE] [--runs N]    (default: the image make container-env
                                                      built, named in build/container-env.json)

Reported, never a timed test. Per layer: the instruction that made it, its unpacked size (the
layer tar as ``docker save`` writes it) and its gzip size (what a registry stores and a runner
pulls; ``docker save IMAGE | gzip`` for the whole). Then the median wall time of ``docker run
--rm IMAGE --version`` and of ``docker run --rm IMAGE commit-lint --help`` on a warm engine.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

MB = 1_000_000


def docker() -> str:
    return "/usr/bin/docker" if Path("/usr/bin/docker").is_file() else "docker"


def layers(image: str) -> list[tuple[str, int, int]]:
    """(instruction, unpacked bytes, gzip bytes) per layer, base first."""
    with tempfile.TemporaryDirectory(prefix="relkit-image-size-") as scratch:
        saved = Path(scratch) / "image.tar"
        subprocess.run([docker(), "save", "-o", str(saved), image], check=True)
        with tarfile.open(saved) as tar:
            manifest = json.load(_member(tar, "manifest.json"))[0]
            config = json.load(_member(tar, manifest["Config"]))
            steps = [
                entry.get("created_by", "")
                for entry in config.get("history", [])
                if not entry.get("empty_layer")
            ]
            result = []
            for index, name in enumerate(manifest["Layers"]):
                data = _member(tar, name).read()
                step = steps[index] if index < len(steps) else ""
                result.append((_short(step), len(data), len(gzip.compress(data, 6))))
    return result


def _member(tar: tarfile.TarFile, name: str) -> object:
    handle = tar.extractfile(name)
    assert handle is not None, name
    return handle


def _short(step: str) -> str:
    text = " ".join(step.replace("/bin/sh -c ", "").split()) or "(base: docker import)"
    return text if len(text) <= 60 else text[:59] + "…"


def start_times(image: str, runs: int) -> dict[str, float]:
    times: dict[str, float] = {}
    commands = {"--version": ["--version"], "commit-lint --help": ["commit-lint", "--help"]}
    for label, args in commands.items():
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run([docker(), "run", "--rm", image, *args], check=True, capture_output=True)
            samples.append(time.perf_counter() - started)
        times[label] = statistics.median(samples)
    return times


def default_image() -> str:
    status = Path(__file__).resolve().parents[1] / "build" / "container-env.json"
    if status.is_file():
        return str(json.loads(status.read_text(encoding="utf-8")).get("image", "relkit:test"))
    return "relkit:test"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("image", nargs="?", default=default_image())
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    rows = layers(args.image)
    print(f"{'layer':62} {'unpacked':>10} {'gzip':>10}")
    for step, unpacked, packed in rows:
        print(f"{step:62} {unpacked / MB:8.1f}MB {packed / MB:8.1f}MB")
    total_unpacked = sum(row[1] for row in rows)
    total_packed = sum(row[2] for row in rows)
    print(f"{'total':62} {total_unpacked / MB:8.1f}MB {total_packed / MB:8.1f}MB")
    mine = rows[1:]
    print(
        f"{'relkit layers (without the base)':62} {sum(r[1] for r in mine) / MB:8.1f}MB "
        f"{sum(r[2] for r in mine) / MB:8.1f}MB"
    )
    for label, seconds in start_times(args.image, args.runs).items():
        print(f"docker run --rm {args.image} {label}: median {seconds:.2f} s of {args.runs}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
