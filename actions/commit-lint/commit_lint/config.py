"""commitlint configuration: built-in presets, ``extends`` merging, validation. Pure.

A configuration is the JSON/YAML form of a commitlint config (``extends``, ``rules``,
``parserPreset``, ``ignores``, ``defaultIgnores``, ``helpUrl``). :func:`resolve_config` merges it
over its ``extends`` chain the way ``@commitlint/load`` does (rules merge by name, other keys are
replaced), validates it with the JSON Schema next to this module and the rule registry, and
returns a :class:`LintConfig`. Reading files is :mod:`commit_lint.config_files`' job.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from relkit.core.commits import JsPattern, ParserOptions
from relkit.core.jsregex import JsRegexError, compile_js, parse_literal
from relkit.errors import ConfigError

from commit_lint.cases import CASES
from commit_lint.rules import PARTS, PASSES_WHEN_EMPTY, RULES, Rule

DEFAULT_HELP_URL = "https://github.com/conventional-changelog/commitlint/#what-is-commitlint"
CONVENTIONAL = "@commitlint/config-conventional"
# scope-enum from the repository's release-please components (config_files reads them), as
# commitlint's lerna/pnpm/nx scope presets read the workspace's packages
RELEASE_PLEASE_SCOPES = "@relkit/config-release-please-scopes"
ANGULAR = "@commitlint/config-angular"

_CONVENTIONAL_TYPES = [
    "build", "chore", "ci", "docs", "feat", "fix", "perf", "refactor", "revert", "style", "test",
]  # fmt: skip
_ANGULAR_TYPES = [
    "build",
    "ci",
    "docs",
    "feat",
    "fix",
    "perf",
    "refactor",
    "revert",
    "style",
    "test",
]
_SUBJECT_CASE = ["sentence-case", "start-case", "pascal-case", "upper-case"]

PRESETS: dict[str, dict[str, Any]] = {
    CONVENTIONAL: {
        "parserPreset": "conventional-changelog-conventionalcommits",
        "rules": {
            "body-leading-blank": [1, "always"],
            "body-max-line-length": [2, "always", 100],
            "footer-leading-blank": [1, "always"],
            "footer-max-line-length": [2, "always", 100],
            "header-max-length": [2, "always", 100],
            "header-trim": [2, "always"],
            "subject-case": [2, "never", _SUBJECT_CASE],
            "subject-empty": [2, "never"],
            "subject-full-stop": [2, "never", "."],
            "type-case": [2, "always", "lower-case"],
            "type-empty": [2, "never"],
            "type-enum": [2, "always", _CONVENTIONAL_TYPES],
        },
    },
    ANGULAR: {
        "parserPreset": {"parserOpts": {"headerPattern": r"^(\w*)(?:\((.*)\))?!?: (.*)$"}},
        "rules": {
            "subject-exclamation-mark": [2, "never"],
            "body-leading-blank": [1, "always"],
            "footer-leading-blank": [1, "always"],
            "header-max-length": [2, "always", 72],
            "scope-case": [2, "always", "lower-case"],
            "subject-case": [2, "never", _SUBJECT_CASE],
            "subject-empty": [2, "never"],
            "subject-full-stop": [2, "never", "."],
            "type-case": [2, "always", "lower-case"],
            "type-empty": [2, "never"],
            "type-enum": [2, "always", _ANGULAR_TYPES],
        },
    },
}
_ALIASES = {
    "conventional": CONVENTIONAL,
    "config-conventional": CONVENTIONAL,
    "@commitlint/config-conventional": CONVENTIONAL,
    "angular": ANGULAR,
    "config-angular": ANGULAR,
    "@commitlint/config-angular": ANGULAR,
}

# @commitlint/parse always starts from conventional-changelog-angular's parser options.
ANGULAR_PARSER = ParserOptions(
    header_pattern=JsPattern(r"^(\w*)(?:\((.*)\))?: (.*)$"),
    breaking_header_pattern=None,
    note_keywords=("BREAKING CHANGE",),
    revert_pattern=JsPattern(
        r'^(?:Revert|revert:)\s"?([\s\S]+?)"?\s*This reverts commit (\w{7,40})\b', "i"
    ),
)
CONVENTIONALCOMMITS_PARSER = ParserOptions()
_PARSER_PRESETS = {
    "conventional-changelog-conventionalcommits": CONVENTIONALCOMMITS_PARSER,
    "conventionalcommits": CONVENTIONALCOMMITS_PARSER,
    "conventional-changelog-angular": ANGULAR_PARSER,
    "angular": ANGULAR_PARSER,
}
_PATTERN_OPTS = {
    "headerPattern": "header_pattern",
    "breakingHeaderPattern": "breaking_header_pattern",
    "revertPattern": "revert_pattern",
    "mergePattern": "merge_pattern",
}
_WORD_OPTS = {
    "headerCorrespondence": "header_correspondence",
    "noteKeywords": "note_keywords",
    "referenceActions": "reference_actions",
    "issuePrefixes": "issue_prefixes",
    "revertCorrespondence": "revert_correspondence",
    "mergeCorrespondence": "merge_correspondence",
}


class RuleSetting(NamedTuple):
    name: str
    level: int  # 0 off, 1 warning, 2 error
    when: str
    value: object = None


# (check, when, value, name, level): what the linter calls, without lookups
PlannedRule = tuple[Rule, str, object, str, int]


class _LintSettings(NamedTuple):
    rules: tuple[RuleSetting, ...]
    parser_options: ParserOptions
    default_ignores: bool
    ignores: tuple[re.Pattern[str], ...]
    help_url: str
    source: str
    # derived from rules by LintConfig(): the enabled rules
    active: tuple[RuleSetting, ...]
    # the parser's references, trailers … are needed only by these rules
    needs_details: bool
    # the enabled rules to run, by which commit parts are non-empty (bit i = PARTS[i])
    plans: tuple[tuple[PlannedRule, ...], ...]


class LintConfig(_LintSettings):
    """A resolved configuration; ``active``, ``needs_details`` and ``plans`` are derived from
    ``rules``. Change one with :meth:`replace` (``_replace`` would not derive them again)."""

    __slots__ = ()

    def __new__(
        cls,
        rules: tuple[RuleSetting, ...],
        *,
        parser_options: ParserOptions = CONVENTIONALCOMMITS_PARSER,
        default_ignores: bool = True,
        ignores: tuple[re.Pattern[str], ...] = (),
        help_url: str = DEFAULT_HELP_URL,
        source: str = f"{CONVENTIONAL} (built in)",
    ) -> LintConfig:
        active = tuple(rule for rule in rules if rule.level > 0)
        detailed = {"references-empty", "trailer-exists"}
        bits = {part: 1 << index for index, part in enumerate(PARTS)}
        plans = tuple(
            tuple(
                (RULES[rule.name].check, rule.when, rule.value, rule.name, rule.level)
                for rule in active
                if rule.name not in PASSES_WHEN_EMPTY or mask & bits[PASSES_WHEN_EMPTY[rule.name]]
            )
            for mask in range(1 << len(PARTS))
        )
        return super().__new__(
            cls,
            rules,
            parser_options,
            default_ignores,
            ignores,
            help_url,
            source,
            active,
            any(rule.name in detailed for rule in active),
            plans,
        )

    def replace(
        self,
        *,
        parser_options: ParserOptions | None = None,
        help_url: str | None = None,
    ) -> LintConfig:
        return LintConfig(
            self.rules,
            parser_options=self.parser_options if parser_options is None else parser_options,
            default_ignores=self.default_ignores,
            ignores=self.ignores,
            help_url=self.help_url if help_url is None else help_url,
            source=self.source,
        )


ExtendsLoader = Callable[[str], Mapping[str, Any]]


def _no_files(name: str) -> Mapping[str, Any]:
    raise ConfigError(f"cannot read extended config {name!r} here")


Validator = Callable[[Mapping[str, Any], str], None]


def no_check(data: Mapping[str, Any], source: str) -> None:
    """For data already known good (tests, built-in presets): the CLI passes the JSON Schema
    check, ``commit_lint.config_files.validate_shape``."""


def _merge(base: dict[str, Any], top: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in top.items():
        if key == "extends":
            continue
        if key == "rules" and isinstance(value, Mapping):
            merged["rules"] = {**merged.get("rules", {}), **value}
        else:
            merged[key] = value
    return merged


def _expand(
    data: Mapping[str, Any],
    source: str,
    load: ExtendsLoader,
    validate: Validator,
    depth: int = 0,
) -> dict[str, Any]:
    if depth > 10:
        raise ConfigError(f"{source}: 'extends' nests more than 10 levels (a cycle?)")
    if not any(data is preset for preset in PRESETS.values()):  # built-in presets are known good
        validate(data, source)
    names = data.get("extends", [])
    merged: dict[str, Any] = {}
    for name in [names] if isinstance(names, str) else names:
        preset = _ALIASES.get(name)
        if preset is not None:
            parent: Mapping[str, Any] = PRESETS[preset]
        elif name.startswith((".", "/")) or name == RELEASE_PLEASE_SCOPES:
            parent = load(name)
        else:
            raise ConfigError(
                f"{source}: cannot extend {name!r}: built in are {CONVENTIONAL}, {ANGULAR} and "
                f"{RELEASE_PLEASE_SCOPES}, and relative paths to JSON/YAML configs; copy the "
                "shared config's rules instead"
            )
        merged = _merge(merged, _expand(parent, name, load, validate, depth + 1))
    return _merge(merged, data)


def _pattern(value: object, key: str, source: str) -> JsPattern | None:
    if value is None:
        return None
    pattern, flags = parse_literal(str(value))
    if pattern != str(value):
        # the parser runs header.match(text), i.e. new RegExp(text): the slashes are characters
        raise ConfigError(
            f"{source}: parserPreset.parserOpts.{key} {value!r} is written as a /regex/ "
            f"literal; commitlint reads a JSON/YAML pattern as the regex source, so the slashes "
            f"would have to appear in the header and nothing matches: write {pattern!r}"
        )
    try:
        compile_js(pattern, flags)
    except JsRegexError as exc:
        raise ConfigError(f"{source}: parserPreset.parserOpts.{key}: {exc}") from None
    return JsPattern(pattern, flags)


def parser_options(preset: object, source: str) -> ParserOptions:
    """The parser options of a ``parserPreset`` (a preset name or ``{parserOpts: {...}}``)."""
    if preset is None:
        return ANGULAR_PARSER
    if isinstance(preset, str):
        name = preset.removeprefix("conventional-changelog-")
        known = _PARSER_PRESETS.get(preset) or _PARSER_PRESETS.get(name)
        if known is None:
            raise ConfigError(
                f"{source}: unknown parserPreset {preset!r}; built in are "
                "conventional-changelog-conventionalcommits and conventional-changelog-angular, "
                "or give {parserOpts: {headerPattern: ...}}"
            )
        return known
    assert isinstance(preset, Mapping)  # noqa: S101 - the schema allows only these two shapes
    base = parser_options(preset.get("name"), source) if preset.get("name") else ANGULAR_PARSER
    opts = preset.get("parserOpts") or {}
    changes: dict[str, Any] = {}
    for key, attr in _PATTERN_OPTS.items():
        if key in opts:
            changes[attr] = _pattern(opts[key], key, source)
    for key, attr in _WORD_OPTS.items():
        if key in opts:
            changes[attr] = tuple(opts[key])
    if "issuePrefixesCaseSensitive" in opts:
        changes["issue_prefixes_case_sensitive"] = bool(opts["issuePrefixesCaseSensitive"])
    if "commentChar" in opts:
        changes["comment_char"] = opts["commentChar"]
    if changes.get("header_pattern") is None:
        changes.pop("header_pattern", None)
    return base._replace(**changes)


def _check_cases(value: object, name: str, source: str) -> None:
    items = value if isinstance(value, list) else [value]
    for item in items:
        case = item.get("case") if isinstance(item, Mapping) else item
        if case not in CASES:
            raise ConfigError(
                f"{source}: rule {name}: unknown case {case!r}; use one of {', '.join(CASES)}"
            )


def _check_value(name: str, value: object, source: str) -> None:
    kind = RULES[name].value
    if value is None or kind == "none":
        return
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{source}: rule {name} needs a whole number, got {value!r}")
        return
    if kind in {"char", "prefix"}:
        if not isinstance(value, str):
            raise ConfigError(f"{source}: rule {name} needs a string, got {value!r}")
        return
    if kind == "enum":
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ConfigError(f"{source}: rule {name} needs a list of strings, got {value!r}")
        return
    if kind == "scope-enum":
        items = value.get("scopes") if isinstance(value, Mapping) else value
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            raise ConfigError(
                f"{source}: rule {name} needs a list of scopes (or {{scopes: [...]}}), "
                f"got {value!r}"
            )
        return
    cases = (
        value.get("cases", []) if kind == "scope-cases" and isinstance(value, Mapping) else value
    )
    _check_cases(cases, name, source)


def _rule_settings(rules: Mapping[str, Any], source: str) -> tuple[RuleSetting, ...]:
    unknown = sorted(name for name in rules if name not in RULES)
    if unknown:
        raise ConfigError(
            f"{source}: unknown rule(s) {', '.join(unknown)}; supported: {', '.join(RULES)}"
        )
    settings: list[RuleSetting] = []
    for name, config in rules.items():
        level = config[0]
        if level == 0 and len(config) == 1:
            settings.append(RuleSetting(name, 0, "always"))
            continue
        if len(config) < 2:
            raise ConfigError(
                f"{source}: rule {name} must be [level, 'always'|'never', value?], got {config!r}"
            )
        value = config[2] if len(config) > 2 else None
        _check_value(name, value, source)
        settings.append(RuleSetting(name, level, config[1], value))
    return tuple(settings)


def _ignores(patterns: list[str], source: str) -> tuple[re.Pattern[str], ...]:
    compiled: list[re.Pattern[str]] = []
    for text in patterns:
        pattern, flags = parse_literal(text)
        try:
            compiled.append(compile_js(pattern, flags))
        except JsRegexError as exc:
            raise ConfigError(f"{source}: ignores: {exc}") from None
    return tuple(compiled)


def resolve_config(
    data: Mapping[str, Any],
    source: str,
    load: ExtendsLoader = _no_files,
    validate: Validator = no_check,
) -> LintConfig:
    """Merge ``data`` over its ``extends`` chain, validate it, and build the :class:`LintConfig`."""
    merged = _expand(data, source, load, validate)
    if not merged.get("rules"):
        raise ConfigError(
            f'{source}: no rules configured; add "extends": ["{CONVENTIONAL}"] or a "rules" map'
        )
    return LintConfig(
        rules=_rule_settings(merged["rules"], source),
        parser_options=parser_options(merged.get("parserPreset"), source),
        default_ignores=merged.get("defaultIgnores", True) is not False,
        ignores=_ignores(list(merged.get("ignores", [])), source),
        help_url=merged.get("helpUrl") or DEFAULT_HELP_URL,
        source=source,
    )


def default_config() -> LintConfig:
    """``@commitlint/config-conventional``: used when the repository has no commitlint config."""
    preset = PRESETS[CONVENTIONAL]
    return LintConfig(
        rules=tuple(
            RuleSetting(name, rule[0], rule[1], rule[2] if len(rule) > 2 else None)
            for name, rule in preset["rules"].items()
        ),
        parser_options=CONVENTIONALCOMMITS_PARSER,
    )
