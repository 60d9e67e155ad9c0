"""Differential test: relkit commit-lint against @commitlint/lint on inputs nobody recorded.

Mutates the public corpus messages (case of type and subject, CRLF, tabs and odd whitespace, ``!``
and BREAKING CHANGE footers, trailers, ``---`` dividers, comment lines, long lines, merge / revert /
fixup! / version messages …), adds random character soup, and lints every message with
commitlint 20.5.3 (one Node process per config, ``@commitlint/load`` from the config's folder, the
CLI's options) and with ``relkit commit-lint --json-batch`` on the same config. Prints the
messages compared and the disagreements (valid flag, error rules, warning rules) by rule.

Configs: ``@commitlint/config-conventional`` and a few user shapes (YAML, a rule per kind of
value, trailers, parser options); ``--config-dir DIR`` adds folders of your own. commitlint is
installed with npm into ``bench/.scratch/`` (gitignored), never by the product.
Run from the project root:  ``.venv/bin/python bench/commit_lint_diff.py --seed 1 --count 20000``
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

from relkit.core.jsregex import JS_WHITESPACE

ROOT = Path(__file__).resolve().parents[1]
SCRATCH = ROOT / "bench" / ".scratch"
VERSION = "20.5.3"
NODE_DRIVE = """\
import fs from "node:fs";
import load from "@commitlint/load";
import lint from "@commitlint/lint";
const [cwd, inp, out] = process.argv.slice(2);
const messages = JSON.parse(fs.readFileSync(inp, "utf8"));
const loaded = await load({}, { cwd });
const opts = { parserOpts: {}, plugins: {}, ignores: [], defaultIgnores: true };
if (loaded.parserPreset && typeof loaded.parserPreset.parserOpts === "object")
  opts.parserOpts = loaded.parserPreset.parserOpts;
if (loaded.plugins) opts.plugins = loaded.plugins;
if (loaded.ignores) opts.ignores = loaded.ignores;
if (loaded.defaultIgnores === false) opts.defaultIgnores = false;
const res = [];
for (const m of messages) {
  try {
    const r = await lint(m, loaded.rules, opts);
    res.push({ valid: r.valid, errors: r.errors.map((e) => e.name),
      warnings: r.warnings.map((e) => e.name) });
  } catch (e) {
    res.push({ crash: String(e.message) });  // e.g. "Expected a raw commit"
  }
}
fs.writeFileSync(out, JSON.stringify(res));
"""
CONVENTIONAL = ["@commitlint/config-conventional"]
CONFIGS: dict[str, str] = {
    "conventional.json": json.dumps({"extends": CONVENTIONAL}),
    "yaml.yaml": "extends: ['@commitlint/config-conventional']\n"
    "rules:\n  type-enum: [2, always, [feat, fix]]\n  subject-case: [2, always, lower-case]\n",
    "cases.json": json.dumps(
        {
            "rules": {
                "scope-case": [2, "always", "kebab-case"],
                "header-case": [1, "never", ["upper-case", "pascal-case"]],
                "body-case": [1, "always", "sentence-case"],
                "type-case": [2, "never", "camel-case"],
            }
        }
    ),
    "lengths.json": json.dumps(
        {
            "extends": CONVENTIONAL,
            "rules": {
                "subject-max-length": [2, "always", 30],
                "scope-min-length": [2, "always", 3],
                "body-max-line-length": [2, "always", 20],
                "footer-max-length": [1, "always", 10],
                "header-full-stop": [1, "always", "."],
            },
        }
    ),
    "trailers.json": json.dumps(
        {
            "rules": {
                "trailer-exists": [2, "always", "Signed-off-by:"],
                "signed-off-by": [1, "always", "Signed-off-by:"],
                "references-empty": [1, "never"],
                "breaking-change-exclamation-mark": [2, "always"],
            }
        }
    ),
    "parser.json": json.dumps(
        {
            "extends": CONVENTIONAL,
            "defaultIgnores": False,
            "parserPreset": {
                "parserOpts": {
                    "headerPattern": r"^(?:\p{Emoji}\s)?(\w*)(?:\((.*)\))?!?: (.*)$",
                    "issuePrefixes": ["#", "GH-"],
                }
            },
            "rules": {"scope-enum": [2, "always", ["core", "api"]], "scope-empty": [1, "never"]},
        }
    ),
}
_HEADER = re.compile(r"^(\w*)(?:\((.*)\))?(!?): (.*)$")
_FOOTERS = [
    "\n\nBREAKING CHANGE: gone",
    "\n\nBREAKING-CHANGE: gone",
    "\nBREAKING CHANGE: no blank line",
    "\n\nCloses #12\nSigned-off-by: A <a@b.c>",
    "\n\nCo-authored-by: B <b@c.d>\n---\n",
    "\n\nRefs: GH-7\nReviewed-by: Z\n  continued",
    "\n\n(cherry picked from commit " + "a" * 40 + ")",
    "\n\nsee https://example.com/" + "z" * 120,
    "\n\n" + "y" * 120,
    "\n\n# comment\n#",
]
_SPECIAL = [
    "Merge branch 'main' into dev",
    "Merge pull request #1 from a/b\n\nfeat: x",
    'Revert "feat: x"\n\nThis reverts commit abcdef1.',
    "fixup! feat: x",
    "squash! x",
    "amend! x",
    "Initial commit",
    "v1.2.3",
    "chore(release): 1.2.3 [skip ci]",
    "Automatic merge from x",
    "Merged PR 12: thing",
    "Auto-merged a into b",
]
_SOUP = [*"abXZ09 :()!#\n\r\t.,/-_'\"`", "feat", "fix", ": ", "\n\n", "🔥", "é", "\u2028"]
_SOUP += ["\u00a0", "\u3000", "\ufeff", "BREAKING CHANGE: ", "Merge ", "1.2.3", "https://x.y/"]


def shared_dir() -> Path:
    for candidate in (ROOT.parent / "shared", Path("/work/shared")):
        if (candidate / "conformance" / "commits" / "lint-public.jsonl").is_file():
            return candidate
    sys.exit("cannot find shared/conformance/commits/lint-public.jsonl next to the project")


def _mutate_header(rng: random.Random, message: str) -> str:
    header, newline, rest = message.partition("\n")
    match = _HEADER.match(header)
    if match is None:
        return message
    kind, scope, bang, subject = match.groups()
    kind = rng.choice([kind, kind.upper(), kind.title(), kind + "s"])
    scope = rng.choice([scope, None, "", "a/b", "a, b", "A B", "élan", "🔥"])
    subject = rng.choice([subject, subject.capitalize(), subject.upper(), subject + ".", ""])
    bang = rng.choice([bang, "!"])
    sep = rng.choice([": ", ": ", ":", ":  ", " : ", ":\t", ":\u00a0"])
    header = kind + (f"({scope})" if scope is not None else "") + bang + sep + subject
    return header + newline + rest


def mutate(rng: random.Random, message: str) -> str:
    for op in rng.sample(range(8), rng.randint(1, 3)):
        if op == 0:
            message = message.replace("\n", "\r\n")
        elif op == 1:
            message = message.rstrip("\n") + rng.choice(["", "\n", "\n\n", " \n", "\t"])
        elif op == 2:
            message = _mutate_header(rng, message)
        elif op == 3:
            message = rng.choice([" ", "\t", "\ufeff", "\n"]) + message
        elif op == 4:
            message = message.rstrip("\n") + rng.choice(_FOOTERS)
        elif op == 5:
            message = message.replace("\n\n", "\n", 1)
        elif op == 6:
            header, newline, rest = message.partition("\n")
            message = header + " " + "z" * rng.randint(1, 110) + newline + rest
        else:
            message = "# Please enter the commit message\n" + message
    return message


def generate(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)  # noqa: S311 - reproducible test inputs, not secrets
    with open(shared_dir() / "conformance" / "commits" / "lint-public.jsonl") as handle:
        corpus = [json.loads(line)["message"] for line in handle if line.strip()]
    out = [rng.choice(_SPECIAL) for _ in range(count // 20)]
    out += ["".join(rng.choices(_SOUP, k=rng.randint(1, 25))) for _ in range(count // 5)]
    while len(out) < count:
        out.append(mutate(rng, rng.choice(corpus)))
    # the commitlint CLI skips messages that JavaScript's trim() empties
    return [message for message in out if message.strip(JS_WHITESPACE)]


def ensure_anchor() -> Path:
    scratch = SCRATCH / "lintdiff"
    if not (scratch / "node_modules" / "@commitlint" / "lint").is_dir():
        if shutil.which("npm") is None:
            sys.exit("npm is needed to install @commitlint/lint for the differential test")
        scratch.mkdir(parents=True, exist_ok=True)
        (scratch / "package.json").write_text('{"private": true, "type": "module"}\n')
        packages = ["cli", "lint", "load", "config-conventional"]
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--silent"]
            + [f"@commitlint/{name}@{VERSION}" for name in packages],
            cwd=scratch,
            check=True,
        )
    (scratch / "drive.mjs").write_text(NODE_DRIVE)
    return scratch


def config_dirs(scratch: Path, extra: list[Path]) -> list[Path]:
    folders = []
    for name, text in CONFIGS.items():
        stem, suffix = name.split(".")
        folder = scratch / "configs" / stem
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f".commitlintrc.{suffix}").write_text(text)
        folders.append(folder)
    return folders + [path.resolve() for path in extra]


def compare(scratch: Path, folder: Path, messages: list[str]) -> collections.Counter[str]:
    inp, out = scratch / "in.json", scratch / "out.json"
    inp.write_text(json.dumps(messages))
    subprocess.run(
        ["node", str(scratch / "drive.mjs"), str(folder), str(inp), str(out)], check=True
    )
    anchor = json.loads(out.read_text())
    relkit = str(ROOT / ".venv" / "bin" / "relkit")
    ours = json.loads(
        subprocess.run(
            [relkit, "commit-lint", "--json-batch", "--working-directory", str(folder)],
            input=json.dumps(messages).encode(),
            capture_output=True,
            check=True,
        ).stdout
    )
    by_rule: collections.Counter[str] = collections.Counter()
    for message, want, got in zip(messages, anchor, ours, strict=True):
        if "crash" in want:
            by_rule["(commitlint threw)"] += 1
            continue
        errors = set(want["errors"]) ^ set(got["errors"])
        warnings = {f"{rule} (warning)" for rule in set(want["warnings"]) ^ set(got["warnings"])}
        if want["valid"] != got["valid"] or errors or warnings:
            by_rule["(any)"] += 1
            by_rule["(valid flag)"] += want["valid"] != got["valid"]
            by_rule.update(errors | warnings)
            if by_rule["(any)"] <= 3:
                print(f"  {json.dumps(message)[:160]}\n    commitlint {want}\n    relkit     {got}")
    return by_rule


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=20000)
    parser.add_argument("--config-dir", type=Path, action="append", default=[])
    args = parser.parse_args()
    scratch = ensure_anchor()
    messages = generate(args.seed, args.count)
    total: collections.Counter[str] = collections.Counter()
    for folder in config_dirs(scratch, args.config_dir):
        by_rule = compare(scratch, folder, messages)
        print(f"{folder.name}: {len(messages)} messages, {by_rule['(any)']} disagreements")
        total.update(by_rule)
    print(f"disagreements by rule: {dict(total) or 'none'}")


if __name__ == "__main__":
    main()
