"""What the image adds on top of its base: the project installed the way the Dockerfile does it.

Creates a scratch virtual environment in ``bench/.scratch/`` (gitignored), runs
``pip install --no-cache-dir <repo>`` there (non-editable, no dev extras), and reports the size of
what that install put into site-packages, per distribution, largest first. What the venv had before
(pip, already in the base image) is left out. Usage: ``python bench/install_size.py``.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRATCH = ROOT / "bench" / ".scratch" / "install-size"


def distribution_sizes(site: Path, skip: set[str]) -> dict[str, int]:
    """Bytes on disk per distribution, from each ``*.dist-info/RECORD`` (byte code included)."""
    sizes: dict[str, int] = {}
    for info in sorted(site.glob("*.dist-info")):
        if info.name in skip:
            continue
        name = info.name.removesuffix(".dist-info").rsplit("-", 1)[0]
        total = 0
        for row in csv.reader((info / "RECORD").read_text(encoding="utf-8").splitlines()):
            path = (site / row[0]).resolve()
            if path.is_file():
                total += path.stat().st_size
        sizes[name] = total
    return sizes


def main() -> int:
    shutil.rmtree(SCRATCH, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(SCRATCH)], check=True)
    python = SCRATCH / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    before = {entry.name for entry in site.iterdir()}
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-cache-dir",
         "--disable-pip-version-check", str(ROOT)],
        check=True,
    )  # fmt: skip
    sizes = distribution_sizes(site, skip=before)
    total = sum(sizes.values())
    for name, size in sorted(sizes.items(), key=lambda item: -item[1]):
        print(f"{size / 1e6:9.2f} MB  {name}")
    print(
        f"{total / 1e6:9.2f} MB  total added to site-packages and bin "
        f"(python {sys.version.split()[0]})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
