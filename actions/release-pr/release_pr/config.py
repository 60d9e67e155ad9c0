"""``release-please-config.json`` + ``.release-please-manifest.json``, or single-package inputs.

``parse_config`` is pure (text in, ``ReleaseConfig`` out, JSON Schema validated with
``jsonschema``); ``load_config`` reads the files. Keys release-please documents are typed; other
keys are kept out and named in ``ReleaseConfig.warnings``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from relkit.core.changelog import ChangelogSection
from relkit.errors import ConfigError

from release_pr.config_schema import (
    CONFIG_SCHEMA,
    MANIFEST_SCHEMA,
    PACKAGE_PROPERTIES,
    TOP_PROPERTIES,
    validate,
)
from release_pr.strategies import (
    KNOWN_RELEASE_TYPES,
    RELEASE_TYPES,
    STRATEGY_NAMES,
    UNBUILT_RELEASE_TYPES,
    parse_sections,
)

DEFAULT_CONFIG_FILE = "release-please-config.json"
DEFAULT_MANIFEST_FILE = ".release-please-manifest.json"
# the release-please GitHub App's file (release-please-action v3 setups still carry it)
LEGACY_CONFIG_FILE = ".github/release-please.yml"
# its keys that name no package setting: the app's own behaviour (the workflow decides here)
_LEGACY_APP_KEYS = frozenset(
    {"primaryBranch", "handleGHRelease", "branches", "monorepoTags", "manifestFile"}
)
_BOOLEANS = frozenset({"true", "True", "TRUE", "false", "False", "FALSE"})  # as gha.parse_bool
_LEGACY_RENAMED = {"pullRequestTitle": "pull-request-title-pattern"}
# release-please's sentence-case, and the relkit plugins of release_pr.conventions
SUPPORTED_PLUGINS = frozenset({"sentence-case", "gitmoji", "conventional-changelog"})
_VERSION_IN = r"\d+\.\d+\.\d+"  # compiled on first use: only release-as / initial-version


class ExtraFile(NamedTuple):
    path: str
    type: str = "generic"  # generic | json | yaml | toml | xml | pom
    jsonpath: str | None = None
    xpath: str | None = None  # type: xml
    glob: bool = False  # path is a glob (``*``, ``**``, ``?``) over the tracked files


class PackageConfig(NamedTuple):
    path: str = "."
    release_type: str = "simple"
    component: str | None = None
    package_name: str | None = None
    versioning: str = "default"
    bump_minor_pre_major: bool = False
    bump_patch_for_minor_pre_major: bool = False
    prerelease: bool | None = None
    prerelease_type: str | None = None
    release_as: str | None = None
    initial_version: str | None = None
    changelog_sections: tuple[ChangelogSection, ...] | None = None
    changelog_path: str = "CHANGELOG.md"
    changelog_host: str | None = None
    include_v_in_tag: bool = True
    include_component_in_tag: bool = True
    tag_separator: str = "-"
    pull_request_title_pattern: str | None = None
    pull_request_header: str | None = None
    pull_request_footer: str | None = None
    extra_files: tuple[ExtraFile, ...] = ()
    exclude_paths: tuple[str, ...] = ()
    draft: bool = False
    force_tag_creation: bool = False  # draft releases: create the tag now, not on publishing
    skip_github_release: bool = False
    skip_changelog: bool = False
    changelog_type: str = "default"  # "github": GitHub generates the notes (live runs)
    draft_pull_request: bool = False  # open the release PR as a draft
    extra_labels: tuple[str, ...] = ()  # `extra-label`: more labels on the release PR
    version_file: str | None = None  # `version-file`: simple, go, ruby and bazel's version file


class ReleaseConfig(NamedTuple):
    packages: tuple[PackageConfig, ...]
    manifest: Mapping[str, str] = MappingProxyType({})
    manifest_path: str | None = None  # None in single-package mode
    separate_pull_requests: bool = False
    bootstrap_sha: str | None = None
    last_release_sha: str | None = None
    label: str = "autorelease: pending"
    release_label: str = "autorelease: tagged"
    group_pull_request_title_pattern: str | None = None
    plugins: tuple[str, ...] = ()  # the supported ones (SUPPORTED_PLUGINS)
    warnings: tuple[str, ...] = ()
    signoff: str | None = None  # "Name <email>": a Signed-off-by trailer on the release commit


def _package(raw: Mapping[str, Any], path: str, defaults: Mapping[str, Any]) -> PackageConfig:
    merged = {**{k: v for k, v in defaults.items() if k in PACKAGE_PROPERTIES}, **raw}
    extra = []
    for item in merged.get("extra-files", []):
        if isinstance(item, str):
            extra.append(ExtraFile(item))
        else:
            extra.append(
                ExtraFile(
                    item["path"],
                    item.get("type", "generic"),
                    item.get("jsonpath"),
                    item.get("xpath"),
                    bool(item.get("glob", False)),
                )
            )
    for key in ("initial-version", "release-as"):
        value = merged.get(key)
        if value and not re.search(_VERSION_IN, value):
            raise ConfigError(
                f'{key} {value!r} for package {path!r} is not a version; use e.g. "1.2.3"'
            )
    versioning = merged.get("versioning", "default")
    if versioning not in STRATEGY_NAMES:
        raise ConfigError(
            f"versioning {versioning!r} for package {path!r} is not supported; "
            f"use one of: {', '.join(STRATEGY_NAMES)}"
        )
    return PackageConfig(
        path=path,
        release_type=merged.get("release-type", "simple"),
        component=merged.get("component"),
        package_name=merged.get("package-name"),
        versioning=versioning,
        bump_minor_pre_major=merged.get("bump-minor-pre-major", False),
        bump_patch_for_minor_pre_major=merged.get("bump-patch-for-minor-pre-major", False),
        prerelease=merged.get("prerelease"),
        prerelease_type=merged.get("prerelease-type"),
        release_as=merged.get("release-as") or None,
        initial_version=merged.get("initial-version"),
        changelog_sections=parse_sections(merged.get("changelog-sections")),
        changelog_path=merged.get("changelog-path", "CHANGELOG.md"),
        changelog_host=merged.get("changelog-host"),
        include_v_in_tag=merged.get("include-v-in-tag", True),
        include_component_in_tag=merged.get("include-component-in-tag", path != "."),
        # release-please's ruby strategy always tags a component as "<gem>/v1.2.3"
        tag_separator="/"
        if merged.get("release-type") == "ruby"
        else merged.get("tag-separator", "-"),
        pull_request_title_pattern=merged.get("pull-request-title-pattern"),
        pull_request_header=merged.get("pull-request-header"),
        pull_request_footer=merged.get("pull-request-footer"),
        extra_files=tuple(extra),
        exclude_paths=tuple(merged.get("exclude-paths", ())),
        draft=merged.get("draft", False),
        force_tag_creation=merged.get("force-tag-creation", False),
        skip_github_release=merged.get("skip-github-release", False),
        skip_changelog=merged.get("skip-changelog", False),
        changelog_type=merged.get("changelog-type", "default"),
        draft_pull_request=merged.get("draft-pull-request", False),
        extra_labels=tuple(
            label.strip() for label in merged.get("extra-label", "").split(",") if label.strip()
        ),
        version_file=merged.get("version-file") or None,
    )


def check_release_type(value: object, where: str) -> None:
    """A release type release-please does not know is an error (a typo would otherwise release
    with no version file updated); the message lists the types."""
    if isinstance(value, str) and value in KNOWN_RELEASE_TYPES:
        return
    raise ConfigError(
        f"{where}release-type {value!r} is not a release-please release type; use one of: "
        f"{', '.join(sorted(RELEASE_TYPES))} (or, updating no version files: "
        f"{', '.join(UNBUILT_RELEASE_TYPES)})"
    )


def unbuilt_warning(release_type: str, where: str) -> list[str]:
    """release-please types relkit accepts but updates no version file for."""
    if release_type not in UNBUILT_RELEASE_TYPES:
        return []
    return [
        f'{where}release-type "{release_type}" updates no version files in relkit: only '
        "CHANGELOG.md and the manifest are updated; add its version files to extra-files"
    ]


def _load_json(text: str, name: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{name} is not valid JSON ({exc}); fix the file") from None


def parse_config(
    config_text: str,
    manifest_text: str | None,
    *,
    config_name: str = DEFAULT_CONFIG_FILE,
    manifest_name: str = DEFAULT_MANIFEST_FILE,
) -> ReleaseConfig:
    """Manifest mode from the two files' text. Unknown keys become warnings naming them."""
    data = _load_json(config_text, config_name)
    validate(data, CONFIG_SCHEMA, config_name)
    manifest = _load_json(manifest_text, manifest_name) if manifest_text is not None else {}
    validate(manifest, MANIFEST_SCHEMA, manifest_name)
    warnings = [
        f"{config_name}: unknown key {key!r} ignored" for key in data if key not in TOP_PROPERTIES
    ]
    plugins: list[str] = []
    for item in data.get("plugins") or []:
        name = (
            item if isinstance(item, str) else item.get("type") if isinstance(item, dict) else None
        )
        if isinstance(name, str) and name in SUPPORTED_PLUGINS:
            plugins.append(name)
        else:
            warnings.append(f"{config_name}: plugin {name or item!r} is not supported; ignored")
    if "release-type" in data:
        check_release_type(data["release-type"], f"{config_name}: ")
    packages_raw: Mapping[str, Any] = data.get("packages") or {".": {}}
    packages = []
    for path, raw in packages_raw.items():
        unknown = [k for k in raw if k not in PACKAGE_PROPERTIES]
        warnings += [
            f"{config_name}: packages[{path!r}]: unknown key {k!r} ignored" for k in unknown
        ]
        where = f"{config_name}: packages[{path!r}]: " if "release-type" in raw else ""
        if where:
            check_release_type(raw["release-type"], where)
        package = _package(raw, path.strip("/") or ".", data)
        packages.append(package)
        warnings += unbuilt_warning(package.release_type, where or f"{config_name}: ")
    return ReleaseConfig(
        packages=tuple(packages),
        manifest={str(k).strip("/") or ".": str(v) for k, v in manifest.items()},
        manifest_path=manifest_name,
        separate_pull_requests=bool(data.get("separate-pull-requests", False)),
        bootstrap_sha=data.get("bootstrap-sha"),
        last_release_sha=data.get("last-release-sha"),
        label=data.get("label", "autorelease: pending"),
        release_label=data.get("release-label", "autorelease: tagged"),
        group_pull_request_title_pattern=data.get("group-pull-request-title-pattern"),
        plugins=tuple(plugins),
        warnings=tuple(dict.fromkeys(warnings)),  # one line per inherited setting
        signoff=data.get("signoff") or None,
    )


INPUTS_SCHEMA: dict[str, Any] = {"type": "object", "properties": PACKAGE_PROPERTIES}


def single_package_config(options: Mapping[str, str]) -> ReleaseConfig:
    """Single-package mode from action inputs (``release-type``, ``package-name``, …)."""
    raw = _package_inputs(options)
    check_release_type(raw.get("release-type", "simple"), "input ")
    package = _package(raw, options.get("path") or ".", {})
    # single-package tags carry no component unless the include-component-in-tag input says so
    include = bool(raw.get("include-component-in-tag", False))
    return ReleaseConfig(
        packages=(package._replace(include_component_in_tag=include),),
        warnings=tuple(unbuilt_warning(package.release_type, "input ")),
    )


def _package_inputs(options: Mapping[str, str]) -> dict[str, Any]:
    """The package inputs as config values; a value no run could read stops it (exit 2)."""
    raw: dict[str, Any] = {}
    for key, value in options.items():
        if value == "" or key not in PACKAGE_PROPERTIES:
            continue
        kind = PACKAGE_PROPERTIES[key].get("type")
        if kind == "boolean":
            if value.strip() not in _BOOLEANS:
                raise ConfigError(
                    f"input '{key}' must be true or false (YAML 1.2 core: "
                    f"true|True|TRUE|false|False|FALSE), got {value!r}"
                )
            raw[key] = value.strip().lower() == "true"
        elif kind == "array" or "oneOf" in PACKAGE_PROPERTIES[key]:
            raw[key] = _load_json(value, f"input {key}")
        else:
            raw[key] = value
    # the JSON-valued inputs (extra-files, exclude-paths, changelog-sections): the config's
    # schema, checked as for the files (plain values never load jsonschema)
    validate(raw, INPUTS_SCHEMA, "inputs")
    return raw


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as file:
        return file.read()


def load_config(
    workspace: str | os.PathLike[str],
    *,
    config_file: str = DEFAULT_CONFIG_FILE,
    manifest_file: str = DEFAULT_MANIFEST_FILE,
    inputs: Mapping[str, str] | None = None,
) -> ReleaseConfig:
    """Manifest mode when the config file exists, else single-package mode from ``inputs``."""
    config_path = os.path.join(workspace, config_file)
    options = dict(inputs or {})
    if os.path.isfile(config_path):
        if options.get("release-type"):  # release-please-action v4: the input wins
            single = single_package_config(options)
            warning = (
                f"input 'release-type' is set, so {config_file} is not read (as in "
                "release-please-action v4); remove the input to use the config file"
            )
            return single._replace(warnings=(warning, *single.warnings))
        manifest_path = os.path.join(workspace, manifest_file)
        manifest = _read(manifest_path) if os.path.isfile(manifest_path) else None
        config = parse_config(
            _read(config_path),
            manifest,
            config_name=config_file,
            manifest_name=manifest_file,
        )
        # changelog-host also sets the links' host of the config's packages
        ignored = [k for k, v in options.items() if v and k != "changelog-host"]
        if not ignored:
            return config
        _package_inputs({key: options[key] for key in ignored})  # ignored, yet never unreadable
        warning = (
            f"inputs {', '.join(map(repr, ignored))} apply only with 'release-type' and are "
            f"ignored: {config_file} is read; set them there"
        )
        return config._replace(warnings=(*config.warnings, warning))
    if not options.get("release-type"):
        legacy = os.path.join(workspace, LEGACY_CONFIG_FILE)
        if os.path.isfile(legacy):
            return legacy_config(workspace, _read(legacy))
        raise ConfigError(
            f"no {config_file} in {workspace} and no release-type input: add the config file, "
            "fix the path given to --config-file (input 'config-file') "
            f"or pass --release-type ({', '.join(sorted(RELEASE_TYPES))}, …)"
        )
    return single_package_config(options)


def legacy_config(workspace: str | os.PathLike[str], text: str) -> ReleaseConfig:
    """``.github/release-please.yml`` (the release-please App's camelCase keys) as a
    single-package config; ``manifest: true`` points at the manifest config files instead."""
    from ruamel.yaml import YAML  # noqa: PLC0415 - only older setups need it
    from ruamel.yaml.error import YAMLError  # noqa: PLC0415

    name = LEGACY_CONFIG_FILE
    try:
        data = YAML(typ="safe", pure=True).load(text) or {}
    except YAMLError as exc:
        raise ConfigError(f"{name} is not valid YAML ({exc}); fix the file") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{name} must be a mapping of settings, got {data!r}; fix the file")
    if data.get("manifest") is True:
        return load_config(
            workspace,
            config_file=str(data.get("manifestConfig") or DEFAULT_CONFIG_FILE),
            manifest_file=str(data.get("manifestFile") or DEFAULT_MANIFEST_FILE),
        )
    raw: dict[str, Any] = {"include-component-in-tag": False}  # single-package tags
    top: dict[str, Any] = {}
    warnings = []
    for key, value in data.items():
        kebab = _LEGACY_RENAMED.get(key) or re.sub(r"(?<!^)([A-Z])", r"-\1", str(key)).lower()
        if kebab in PACKAGE_PROPERTIES:
            if kebab == "release-type" and not isinstance(value, str):
                raise ConfigError(f"{name}: releaseType must be a string, got {value!r}")
            raw[kebab] = value
        elif key == "releaseLabels" and isinstance(value, list):
            top["label"] = ",".join(str(label) for label in value)
        elif key not in _LEGACY_APP_KEYS and key not in {"manifest", "manifestConfig"}:
            warnings.append(f"{name}: unknown key {key!r} ignored")
    path = str(raw.pop("path", ".")).strip("/") or "."
    if "release-type" not in raw:
        raise ConfigError(f"{name} names no releaseType; add one (node, python, simple, …)")
    config = parse_config(json.dumps({**top, "packages": {path: raw}}), None, config_name=name)
    return config._replace(manifest_path=None, warnings=(*warnings, *config.warnings))
