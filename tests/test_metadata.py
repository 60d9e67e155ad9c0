"""Every ``actions/*/action.yml`` against the house conventions, its README and its CLI.

Checked per action folder: the metadata conventions (name, description, author, branding,
kebab-case documented inputs, quoted defaults, ``token`` defaulting to ``${{ github.token }}``,
described outputs (ids may keep a replaced tool's names, e.g. ``releases_created``), ``runs:
{using: docker, image: ../../Dockerfile | docker://…:X.Y.Z, args: [<folder>]}``); every input and
output in the README's tables; ``<pkg>.entry.SPEC`` declaring exactly the same inputs (names,
defaults, booleans, secrets); ``relkit <name> --help`` listing ``--<input>`` for each.

An action whose ``entry`` module does not define ``SPEC`` yet is a placeholder of another
engineer's work: the SPEC-dependent checks (and the checks of files it has not written yet) skip
with that reason. Nothing else skips.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import re
from pathlib import Path
from typing import Any

import pytest
from relkit import cli
from relkit.actionspec import ActionSpec
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
ACTIONS_DIR = ROOT / "actions"
NAMES = sorted(cli.ACTIONS)

KEBAB = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
OUTPUT_ID = re.compile(r"^[_a-zA-Z][a-zA-Z0-9_-]*$")  # SchemaStore github-action.json
# A released action.yml pins the published image: docker://registry/owner/repo:X.Y.Z[@sha256:…]
DOCKER_PIN = re.compile(r"^docker://[a-z0-9][a-z0-9._/-]*:\d+\.\d+\.\d+(@sha256:[0-9a-f]{64})?$")
LOCAL_IMAGE = "../../Dockerfile"
BRANDING_COLORS = {
    "white",
    "black",
    "yellow",
    "blue",
    "green",
    "orange",
    "red",
    "purple",
    "gray-dark",
}
TOKEN_DEFAULT = "${{ github.token }}"


def load_yaml(path: Path) -> Any:
    """YAML 1.2 core, as the runner reads action.yml (``on``/``yes`` stay strings)."""
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


def package_of(name: str) -> str:
    return name.replace("-", "_")


def spec_of(name: str) -> ActionSpec | None:
    module = importlib.import_module(f"{package_of(name)}.entry")
    spec = getattr(module, "SPEC", None)
    assert spec is None or isinstance(spec, ActionSpec), f"{module.__name__}.SPEC is no ActionSpec"
    return spec


def require_spec(name: str) -> ActionSpec:
    spec = spec_of(name)
    if spec is None:
        pytest.skip(
            f"{package_of(name)}.entry defines no SPEC yet (placeholder of the {name} work)"
        )
    return spec


def action_file(name: str, filename: str) -> Path:
    """The action's file; skip only for a placeholder action (no SPEC), fail otherwise."""
    path = ACTIONS_DIR / name / filename
    if not path.is_file():
        require_spec(name)
        pytest.fail(f"actions/{name}/{filename} is missing but {package_of(name)}.entry has a SPEC")
    return path


def metadata(name: str) -> dict[str, Any]:
    data = load_yaml(action_file(name, "action.yml"))
    assert isinstance(data, dict), f"actions/{name}/action.yml is not a mapping"
    return data


def inputs_of(name: str) -> dict[str, dict[str, Any]]:
    inputs = metadata(name).get("inputs") or {}
    assert isinstance(inputs, dict)
    return inputs


def outputs_of(name: str) -> dict[str, dict[str, Any]]:
    outputs = metadata(name).get("outputs") or {}
    assert isinstance(outputs, dict)
    return outputs


def readme_tables(text: str) -> dict[str, set[str]]:
    """First-column names of the table rows under headings mentioning inputs / outputs."""
    found: dict[str, set[str]] = {"inputs": set(), "outputs": set()}
    section: str | None = None
    lines = text.splitlines()
    for index, line in enumerate(lines):
        heading = re.match(r"^#{1,6}\s+(.*)$", line)
        if heading:
            title = heading.group(1).lower()
            section = "inputs" if "input" in title else "outputs" if "output" in title else None
            continue
        if section is None or not line.lstrip().startswith("|"):
            continue
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if re.match(r"^\s*\|[\s:|-]+\|?\s*$", line) or re.match(r"^\s*\|[\s:-]+\|", following):
            continue  # the separator row, or the header row above it
        first = line.strip().strip("|").split("|")[0].strip().strip("`").strip()
        if first:
            found[section].add(first)
    return found


# --- the set of actions --------------------------------------------------------------------


def test_action_folders_are_the_registry() -> None:
    folders = {path.name for path in ACTIONS_DIR.iterdir() if path.is_dir()}
    assert folders == set(cli.ACTIONS), "actions/<name>/ folders and relkit.cli.ACTIONS differ"


@pytest.mark.parametrize("name", NAMES)
def test_registry_points_at_the_entry_module(name: str) -> None:
    assert cli.ACTIONS[name].module == f"{package_of(name)}.entry"
    entry = importlib.import_module(cli.ACTIONS[name].module)
    assert callable(getattr(entry, "main", None)), f"{entry.__name__} has no main(argv, env)"


def test_action_names_are_unique() -> None:
    names = [load_yaml(path)["name"] for path in sorted(ACTIONS_DIR.glob("*/action.yml"))]
    assert len(names) == len(set(names)), f"duplicate action names: {names}"


# --- action.yml conventions ------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_metadata_conventions(name: str) -> None:
    data = metadata(name)
    where = f"actions/{name}/action.yml"
    for key in ("name", "description", "author"):
        assert isinstance(data.get(key), str), f"{where}: '{key}' must be a string"
        assert data[key].strip(), f"{where}: '{key}' is empty"
    assert name in data["name"], f"{where}: name {data['name']!r} should contain {name!r}"
    branding = data.get("branding") or {}
    assert branding.get("icon"), f"{where}: branding.icon is missing"
    assert branding.get("color") in BRANDING_COLORS, f"{where}: branding.color {branding!r}"
    assert "entrypoint" not in (data.get("runs") or {}), f"{where}: select the action by args"


@pytest.mark.parametrize("name", NAMES)
def test_inputs_follow_conventions(name: str) -> None:
    where = f"actions/{name}/action.yml"
    for key, spec in inputs_of(name).items():
        assert KEBAB.match(key), f"{where}: input {key!r} is not kebab-case"
        assert isinstance(spec, dict), f"{where}: input {key!r} must be a mapping"
        assert str(spec.get("description") or "").strip(), f"{where}: input {key!r} undocumented"
        if "default" in spec:
            # unquoted 1.10 / true / 0x1F reach the container as "1.1" / "true" / "31"
            assert isinstance(spec["default"], str), (
                f"{where}: quote the default of {key!r} (got {spec['default']!r})"
            )
        if key == "token":
            assert spec.get("default") == TOKEN_DEFAULT, (
                f"{where}: input 'token' must default to {TOKEN_DEFAULT}"
            )


@pytest.mark.parametrize("name", NAMES)
def test_outputs_are_described(name: str) -> None:
    where = f"actions/{name}/action.yml"
    for key, spec in outputs_of(name).items():
        # outputs may keep the names of the tool they replace (release-please's releases_created)
        assert OUTPUT_ID.match(key), f"{where}: output id {key!r} is not a valid id"
        assert isinstance(spec, dict), f"{where}: output {key!r} must be a mapping"
        assert str(spec.get("description") or "").strip(), f"{where}: output {key!r} undocumented"


@pytest.mark.parametrize("name", NAMES)
def test_runs_the_shared_image_with_the_action_as_first_arg(name: str) -> None:
    where = f"actions/{name}/action.yml"
    runs = metadata(name).get("runs") or {}
    assert runs.get("using") == "docker", f"{where}: runs.using must be docker"
    image = runs.get("image")
    if image == LOCAL_IMAGE:
        assert (ACTIONS_DIR / name / image).resolve() == ROOT / "Dockerfile"
    else:
        assert isinstance(image, str), f"{where}: runs.image missing"
        assert DOCKER_PIN.match(image), (
            f"{where}: runs.image {image!r} must be {LOCAL_IMAGE!r} or docker://…:X.Y.Z"
        )
    args = runs.get("args")
    assert isinstance(args, list), f"{where}: runs.args must be a list"
    assert args, f"{where}: runs.args is empty"
    assert args[0] == name, f"{where}: runs.args[0] must be {name!r}, got {args[0]!r}"
    assert args[0] in cli.ACTIONS


# --- README -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_readme_documents_every_input_and_output(name: str) -> None:
    declared_inputs = set(inputs_of(name))
    declared_outputs = set(outputs_of(name))
    tables = readme_tables(action_file(name, "README.md").read_text(encoding="utf-8"))
    where = f"actions/{name}/README.md"
    assert declared_inputs <= tables["inputs"], (
        f"{where}: inputs missing from its inputs table: "
        f"{sorted(declared_inputs - tables['inputs'])}"
    )
    assert tables["inputs"] <= declared_inputs, (
        f"{where}: documents inputs action.yml lacks: {sorted(tables['inputs'] - declared_inputs)}"
    )
    assert declared_outputs <= tables["outputs"], (
        f"{where}: outputs missing from its outputs table: "
        f"{sorted(declared_outputs - tables['outputs'])}"
    )


@pytest.mark.parametrize("name", NAMES)
def test_readme_has_an_exit_code_table(name: str) -> None:
    text = action_file(name, "README.md").read_text(encoding="utf-8")
    section = re.search(
        r"^#{1,6}[ \t]+[^\n]*exit codes?[^\n]*\n(.*?)(?=^#{1,6}[ \t]|\Z)", text, re.I | re.M | re.S
    )
    assert section, f"actions/{name}/README.md has no 'Exit codes' section"
    codes = set(re.findall(r"^\|\s*`?(\d+)`?\s*\|", section.group(1), flags=re.M))
    assert {"0", "2"} <= codes, f"actions/{name}/README.md: exit-code table lacks 0 or 2"


def test_readme_tables_parser() -> None:
    text = (
        "# x\n\n## Inputs\n\n| input | default |\n|---|---|\n| `token` | x |\n| dry-run | y |\n\n"
        "## Outputs\n\n| output | description |\n| :-- | --- |\n| `version` | v |\n\n"
        "## Exit codes\n\n| exit | meaning |\n|---|---|\n| 2 | bad |\n"
    )
    assert readme_tables(text) == {"inputs": {"token", "dry-run"}, "outputs": {"version"}}


# --- SPEC and the CLI ------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_spec_declares_exactly_the_action_inputs(name: str) -> None:
    spec = require_spec(name)
    assert spec.name == name
    declared = inputs_of(name)
    spec_names = [item.name for item in spec.inputs]
    assert len(spec_names) == len(set(spec_names)), f"{name}: duplicate SPEC inputs"
    assert set(spec_names) == set(declared), (
        f"{package_of(name)}.entry.SPEC and action.yml differ: only in SPEC "
        f"{sorted(set(spec_names) - set(declared))}, only in action.yml "
        f"{sorted(set(declared) - set(spec_names))}"
    )
    for item in spec.inputs:
        default = str(declared[item.name].get("default", ""))
        if "${{" not in default:
            assert item.default == default, (
                f"{name}: input {item.name!r} defaults to {item.default!r} in SPEC "
                f"but {default!r} in action.yml"
            )
        if item.kind == "boolean" and default:
            assert default in {"true", "false"}, f"{name}: boolean {item.name!r} = {default!r}"
        if item.kind == "choice" and item.default:
            assert item.default in item.choices, f"{name}: {item.name!r} default not a choice"
        required = declared[item.name].get("required", False) is True
        assert item.required is required, (
            f"{name}: input {item.name!r} is required={item.required} in SPEC "
            f"but required={required} in action.yml"
        )
        if item.name == "token" or item.name.endswith("-token"):
            assert item.secret, f"{name}: input {item.name!r} must be secret (masked)"


@pytest.mark.parametrize("name", NAMES)
def test_help_lists_a_flag_per_input(name: str) -> None:
    spec = require_spec(name)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            code = cli.main([name, "--help"], env={})
        except SystemExit as exited:  # argparse's exit, unless the boundary turns it into a code
            code = exited.code
    assert code in {0, None}, f"relkit {name} --help exited {code}"
    text = out.getvalue()
    for item in spec.inputs:
        assert f"--{item.name}" in text, f"relkit {name} --help does not list --{item.name}"


# --- the root README ------------------------------------------------------------------------


def test_root_readme_links_every_action_with_a_status() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in NAMES:
        row = re.search(rf"^\| \[{re.escape(name)}\]\(actions/{re.escape(name)}/README\.md\) .*$",
                        text, flags=re.MULTILINE)  # fmt: skip
        assert row, f"README.md's actions table has no row linking actions/{name}/README.md"
        assert (ACTIONS_DIR / name / "README.md").is_file() or spec_of(name) is None
        status = row.group(0).rstrip(" |").rsplit("|", 1)[1].strip()
        assert status in {"built", "being built", "not built yet"}, f"{name}: status {status!r}"


def test_root_readme_quick_start_is_two_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    assert block.split("\n")[:-1] == ["make demo", "make test"]
