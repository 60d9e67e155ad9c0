"""Pack kubernetes-validate's schema folders into one xz file each (run in the image build).

    python scripts/pack_schemas.py [SCHEMA_DIR]

kubernetes-validate ships one folder of JSON schemas per Kubernetes minor version, plain and
strict (``v1.37.0-local``, ``v1.37.0-local-strict``: ~860 files, 5.6 MB each, ~108 MB in all).
The files of a folder share most of their text, so ``v1.37.0-local.json.xz`` — a JSON object
``{file name: file text}``, xz-compressed — holds a folder in ~175 kB. kyverno_validate.schema
reads a folder, else its packed file, once per run and only when a manifest needs a schema.

The folder is then removed and the distribution's RECORD rewritten to list the packed files, so
``pip show -f`` stays truthful. Without an argument the installed package's folder is packed.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import lzma
import shutil
import sys
from pathlib import Path

SUFFIX = ".json.xz"
# xz's default: ~3 s a folder; 9 | PRESET_EXTREME saves 6 % for twice the build time. The tests
# pass a faster preset.
SMALLEST = lzma.PRESET_DEFAULT


def pack_folder(folder: Path, preset: int = SMALLEST) -> Path:
    """``folder`` → ``folder.json.xz`` beside it; the folder is removed."""
    files = {
        path.name: path.read_text(encoding="utf-8")
        for path in sorted(folder.iterdir())
        if path.is_file() and path.suffix == ".json"
    }
    packed = folder.with_name(folder.name + SUFFIX)
    data = json.dumps(files, separators=(",", ":"), sort_keys=True).encode("utf-8")
    packed.write_bytes(lzma.compress(data, preset=preset))
    shutil.rmtree(folder)
    return packed


def pack_all(schema_dir: Path, preset: int = SMALLEST) -> list[Path]:
    folders = sorted(path for path in schema_dir.iterdir() if path.is_dir())
    return [pack_folder(folder, preset) for folder in folders]


def rewrite_record(record: Path, package_root: Path, schema_dir: Path, packed: list[Path]) -> None:
    """Drop the removed files from a wheel RECORD and list the packed ones with their hashes."""
    prefix = schema_dir.relative_to(package_root).as_posix() + "/"
    rows = [row for row in csv.reader(io.StringIO(record.read_text(encoding="utf-8"))) if row]
    kept = [row for row in rows if not row[0].startswith(prefix)]
    for path in packed:
        digest = base64.urlsafe_b64encode(hashlib.sha256(path.read_bytes()).digest())
        name = path.relative_to(package_root).as_posix()
        kept.append([name, "sha256=" + digest.rstrip(b"=").decode(), str(path.stat().st_size)])
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(kept)
    record.write_text(out.getvalue(), encoding="utf-8")


def main(argv: list[str]) -> int:
    if argv:
        schema_dir = Path(argv[0])
        record = None
    else:
        import kubernetes_validate  # noqa: PLC0415 - only the installed case needs it

        package = Path(kubernetes_validate.__file__).parent
        schema_dir = package / "kubernetes-json-schema"
        records = list(package.parent.glob("kubernetes_validate-*.dist-info/RECORD"))
        record = records[0] if records else None
    packed = pack_all(schema_dir)
    if record is not None:
        rewrite_record(record, record.parent.parent, schema_dir, packed)
    size = sum(path.stat().st_size for path in packed)
    sys.stderr.write(f"packed {len(packed)} schema folders into {size / 1e6:.1f} MB\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
