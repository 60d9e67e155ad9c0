"""Configs: Renovate packageRules semantics, Dependabot groups, and bad configs (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from dependency_group import config_files, plan
from dependency_group.config import DEFAULT as DEFAULT_CONFIG
from dependency_group.config import parse_dependabot, parse_renovate
from dependency_group.matchers import glob_to_regex, match_names, wildcard_match
from dependency_group.model import Dependency, Update
from relkit.errors import ConfigError


def dep(package: str = "requests", manager: str = "pip_requirements", **kw: str) -> Dependency:
    fields = {"file": "requirements.txt", "datasource": "pypi", "dep_type": "", "value": "==1.0"}
    fields.update(kw)
    return Dependency(manager=manager, package=package, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("patterns", "name", "matched"),
    [
        pytest.param(["requests"], "requests", True, id="exact"),
        pytest.param(["Requests"], "requests", True, id="exact-case-insensitive"),
        pytest.param(["req*"], "requests", True, id="glob"),
        pytest.param(["@types/*"], "@types/node", True, id="glob-scope"),
        pytest.param(["*"], "a/b", True, id="star-alone-matches-all"),
        pytest.param(["actions/*"], "actions/checkout", True, id="glob-slash"),
        pytest.param(["a*"], "a/b", False, id="star-does-not-cross-slash"),
        pytest.param(["a/**"], "a/b/c", True, id="globstar"),
        pytest.param(["{flask,django}"], "django", True, id="braces"),
        pytest.param(["py[a-z]est"], "pytest", True, id="class"),
        pytest.param(["py[!a]est"], "pytest", True, id="negated-class"),
        pytest.param(["/^py/"], "pytest", True, id="regex"),
        pytest.param(["/^PY/i"], "pytest", True, id="regex-flag"),
        pytest.param(["/^PY/"], "pytest", False, id="regex-case"),
        pytest.param(["!pytest"], "requests", True, id="only-negative-passes"),
        pytest.param(["!pytest"], "pytest", False, id="only-negative-fails"),
        pytest.param(["*", "!/^py/"], "pytest", False, id="negative-wins"),
        pytest.param(["r*", "!requests"], "rich", True, id="positive-and-negative"),
        pytest.param(["[abc"], "[abc", True, id="unclosed-class-literal"),
    ],
)
def test_match_names(patterns: list[str], name: str, matched: bool) -> None:
    assert match_names(patterns, name) is matched


def test_globs() -> None:
    assert glob_to_regex("**/tests/**") == "(?:.*/)?tests/.*"
    assert wildcard_match("django*", "Django-Storages")
    assert not wildcard_match("django", "django-storages")


def test_package_names_of_pypi_dependencies_are_normalised() -> None:
    config = parse_renovate(
        {"packageRules": [{"matchPackageNames": ["ruamel.yaml"], "groupName": "a"},
                          {"matchDepNames": ["Ruamel.YAML"], "automerge": True},
                          {"matchPackageNames": ["ruamel-yaml"], "groupSlug": "b"}]},
        "renovate.json",
    )  # fmt: skip
    settings = plan.settings_for(config, dep("ruamel.yaml"), None)
    assert settings["groupName"] is None  # matched against the packageName ruamel-yaml
    assert settings["automerge"] is True
    assert settings["groupSlug"] == "b"
    docker = dep("Ruamel.YAML", "dockerfile", datasource="docker")
    assert plan.settings_for(config, docker, None)["groupName"] == "a"


def test_rules_apply_in_order_later_ones_win() -> None:
    config = parse_renovate(
        {
            "packageRules": [
                {"matchDatasources": ["pypi"], "groupName": "Python"},
                {"matchPackageNames": ["pytest"], "groupName": "Test tools"},
                {"matchUpdateTypes": ["patch"], "automerge": True},
                {"matchManagers": ["pep621"], "enabled": False},
                {"matchDepTypes": ["project.optional-dependencies"], "groupSlug": "opt"},
                {"matchFileNames": ["sub/**"], "groupName": "Sub"},
                {"matchCategories": ["python"], "separateMajorMinor": True},
            ]
        },
        "renovate.json",
    )
    assert plan.settings_for(config, dep("requests"), None)["groupName"] == "Python"
    assert plan.settings_for(config, dep("pytest"), None)["groupName"] == "Test tools"
    assert plan.settings_for(config, dep(), "patch")["automerge"] is True
    assert plan.settings_for(config, dep(), None)["automerge"] is False
    assert plan.is_enabled(config, dep(manager="poetry"))
    assert not plan.is_enabled(config, dep(manager="pep621"))
    optional = dep(dep_type="project.optional-dependencies")
    assert plan.settings_for(config, optional, None)["groupSlug"] == "opt"
    assert plan.settings_for(config, dep(file="sub/requirements.txt"), None)["groupName"] == "Sub"


def _update(d: Dependency, kind: str, value: str, major: int) -> Update:
    return Update(d, kind, value, new_major=major)


def test_branch_names_and_automerge() -> None:
    config = parse_renovate(
        {"packageRules": [{"matchDatasources": ["pypi"], "groupName": "Python dependencies"},
                          {"matchUpdateTypes": ["patch"], "automerge": True}]},
        "renovate.json",
    )  # fmt: skip
    docker = dep("node", "dockerfile", datasource="docker", value="18")
    updates = [
        _update(dep("flask"), "minor", "==2.3.3", 2),
        _update(dep("django"), "patch", "==4.2.30", 4),
        _update(dep("django"), "major", "==6.1.3", 6),
        _update(docker, "major", "22", 22),
        _update(docker, "digest", "18", 18),
    ]
    branches = plan.group(updates, config, "deps/")
    assert [(b.name, b.group, b.automerge, len(b.updates)) for b in branches] == [
        ("deps/major-python-dependencies", "Python dependencies", False, 1),
        ("deps/node-22.x", None, False, 1),
        ("deps/node-digest", None, False, 1),
        ("deps/python-dependencies", "Python dependencies", False, 2),
    ]
    only_patch = plan.group(updates[1:2], config, "deps/")
    assert only_patch[0].automerge is True


def test_separate_multiple_major_and_minor_patch_branches() -> None:
    config = parse_renovate(
        {"separateMultipleMajor": True, "separateMinorPatch": True,
         "packageRules": [{"matchPackageNames": ["django"], "groupName": "Django"}]},
        "renovate.json",
    )  # fmt: skip
    flask, django = dep("flask"), dep("django")
    updates = [
        Update(flask, "patch", "==2.0.3", new_major=2, new_minor=0),
        Update(flask, "minor", "==2.3.3", new_major=2, new_minor=3),
        Update(django, "patch", "==4.2.30", new_major=4, new_minor=2),
        Update(django, "major", "==5.2.8", new_major=5, new_minor=2),
        Update(django, "major", "==6.1.3", new_major=6, new_minor=1),
    ]
    assert [b.name for b in plan.group(updates, config, "")] == [
        "flask-2.0.x", "flask-2.x", "major-5-django", "major-6-django", "patch-django",
    ]  # fmt: skip


def test_migrated_matchers_and_warnings() -> None:
    config = parse_renovate(
        {
            "extends": ["config:recommended", ":semanticCommits"],
            "schedule": ["weekly"],
            "surprise": 1,
            "packageRules": [
                {
                    "matchPackagePatterns": ["^py"],
                    "matchPackagePrefixes": ["django"],
                    "excludePackageNames": ["pytest"],
                    "excludePackagePatterns": ["^pyyaml$"],
                    "excludePackagePrefixes": ["djangorestframework"],
                    "matchDatasources": ["npm"],
                    "rangeStrategy": "pin",
                    "groupName": "G",
                }
            ],
        },
        "renovate.json",
    )
    assert config.rules[0].matchers["matchPackageNames"] == (
        "/^py/", "django**", "!pytest", "!/^pyyaml$/", "!djangorestframework**",
    )  # fmt: skip
    rule = config.rules[0]
    assert plan.rule_matches(rule, dep("pyjwt", datasource="npm"), None)
    assert not plan.rule_matches(rule, dep("pytest", datasource="npm"), None)
    assert not plan.rule_matches(rule, dep("djangorestframework", datasource="npm"), None)
    text = "\n".join(config.warnings)
    assert "preset ':semanticCommits'" in text
    assert "'schedule' does not change the plan" in text
    assert "unknown key 'surprise'" in text
    assert "'packageRules[0].rangeStrategy' is not supported" in text
    assert "datasource 'npm' is not looked up" in text
    assert config.node_docker_versioning
    assert "**/tests/**" in config.ignore_paths


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param({"packageRules": [{"matchManagers": ["pip"]}]},
                     "'packageRules[0].matchManagers' names an unknown manager 'pip'",
                     id="unknown-manager"),
        pytest.param({"packageRules": [{}, {"matchPackageNames": ["/(unclosed/"]}]},
                     "renovate.json: 'packageRules[1].matchPackageNames' has an invalid regex",
                     id="invalid-regex"),
        pytest.param({"packageRules": [{"matchPackagePatterns": ["(x"]}]},
                     "'packageRules[0].matchPackageNames' has an invalid regex '/(x/'",
                     id="invalid-migrated-regex"),
        pytest.param({"packageRules": [{"matchUpdateTypes": ["huge"]}]},
                     "'packageRules[0].matchUpdateTypes' names an unknown update type 'huge'",
                     id="unknown-update-type"),
        pytest.param({"packageRules": [{"automerge": "yes"}]},
                     "'packageRules[0].automerge' must be true or false", id="bad-bool"),
        pytest.param({"packageRules": [{"groupName": 3}]},
                     "'packageRules[0].groupName' must be a string", id="bad-string"),
        pytest.param({"packageRules": [{"matchManagers": [1]}]},
                     "'packageRules[0].matchManagers' must be a list of strings", id="bad-list"),
        pytest.param({"packageRules": ["x"]}, "'packageRules[0]' must be an object",
                     id="bad-rule"),
        pytest.param({"packageRules": {}}, "'packageRules' must be a list", id="bad-rules"),
        pytest.param({"automerge": 1}, "'automerge' must be true or false", id="bad-top-bool"),
        pytest.param([], "the config must be a JSON object", id="not-an-object"),
        pytest.param({"enabledManagers": ["nope"]}, "unknown manager 'nope'",
                     id="bad-enabled-managers"),
    ],
)  # fmt: skip
def test_bad_renovate_configs(data: object, message: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_renovate(data, "renovate.json")
    assert message in str(err.value)
    assert str(err.value).startswith("renovate.json: ")


def test_config_files_are_found_and_syntax_errors_name_the_file(tmp_path: Path) -> None:
    assert config_files.load(tmp_path, "").kind == "default"
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "renovate.json5").write_text(
        "// comment\n{packageRules: [{matchDatasources: ['pypi'], groupName: 'py',},],}\n"
    )
    loaded = config_files.load(tmp_path, "")
    assert loaded.source == ".github/renovate.json5"
    assert loaded.rules[0].settings == {"groupName": "py"}
    (tmp_path / "renovate.json5").write_text("{packageRules: [\n  {groupName: 'x' 'y'}]}\n")
    with pytest.raises(ConfigError, match=r"^renovate.json5: JSON5 syntax error: .*2"):
        config_files.load(tmp_path, "")
    (tmp_path / "renovate.json").write_text('{"packageRules": [,]}')
    with pytest.raises(ConfigError, match=r"renovate\.json: JSON syntax error at line 1 column 19"):
        config_files.load(tmp_path, "")
    with pytest.raises(ConfigError, match=r"config file 'missing\.json' does not exist"):
        config_files.load(tmp_path, "missing.json")
    (tmp_path / "dependabot.yml").write_text("updates: [\n")
    with pytest.raises(ConfigError, match=r"dependabot\.yml: YAML syntax error"):
        config_files.load(tmp_path, "dependabot.yml")


DEPENDABOT = {
    "version": 2,
    "updates": [
        {
            "package-ecosystem": "pip",
            "directory": "/",
            "schedule": {"interval": "weekly"},
            "groups": {
                "django": {"patterns": ["django*"], "update-types": ["minor", "patch"]},
                "python": {"patterns": ["*"], "exclude-patterns": ["pytest"],
                           "dependency-type": "production"},
            },
        },
        {"package-ecosystem": "github-actions", "directory": "/", "groups": {"actions": {}}},
        {"package-ecosystem": "npm", "directory": "/"},
    ],
}  # fmt: skip


def test_dependabot_groups_map_to_the_same_plan() -> None:
    config = parse_dependabot(DEPENDABOT, ".github/dependabot.yml")
    assert "'updates[2].package-ecosystem' 'npm' is not handled" in config.warnings[0]
    django, flask, pytest_dep = dep("Django"), dep("flask"), dep("pytest")
    updates = [
        _update(django, "minor", "==4.3", 4),
        _update(dep("django-storages"), "major", "==2.0", 2),
        _update(flask, "minor", "==2.3.3", 2),
        _update(pytest_dep, "patch", "==7.4.4", 7),
        _update(dep("ruff", file="requirements-dev.txt"), "patch", "==1.1", 1),
        _update(dep("actions/checkout", "github-actions", file=".github/workflows/ci.yml"),
                "major", "v4", 4),
        _update(dep("node", "dockerfile", file="Dockerfile"), "major", "22", 22),
    ]  # fmt: skip
    branches = {b.name: sorted(u.dependency.package for u in b.updates)
                for b in plan.group(updates, config, "")}  # fmt: skip
    assert branches == {
        "pip-django": ["Django"],  # first matching group wins
        "pip-python": ["django-storages", "flask"],  # major is not in django's update-types
        "pytest-7.x": ["pytest"],  # excluded from python
        "ruff-1.x": ["ruff"],  # a development dependency
        "github-actions-actions": ["actions/checkout"],
    }  # dockerfile: no docker ecosystem, so disabled
    assert config.base == {"separateMajorMinor": False}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param({}, "'updates' must be a list", id="no-updates"),
        pytest.param({"updates": ["x"]}, "'updates[0]' must be a mapping", id="bad-entry"),
        pytest.param({"updates": [{}]}, "'updates[0].package-ecosystem' must be one of",
                     id="no-ecosystem"),
        pytest.param({"updates": [{"package-ecosystem": "pip", "groups": []}]},
                     "'updates[0].groups' must be a mapping", id="bad-groups"),
        pytest.param({"updates": [{"package-ecosystem": "pip", "groups": {"g": 1}}]},
                     "'updates[0].groups.g' must be a mapping", id="bad-group"),
        pytest.param({"updates": [{"package-ecosystem": "pip",
                                   "groups": {"g": {"update-types": ["huge"]}}}]},
                     "'updates[0].groups.g.update-types' must hold major, minor or patch",
                     id="bad-update-type"),
        pytest.param({"updates": [{"package-ecosystem": "pip",
                                   "groups": {"g": {"dependency-type": "dev"}}}]},
                     "'updates[0].groups.g.dependency-type' must be production or development",
                     id="bad-dependency-type"),
    ],
)  # fmt: skip
def test_bad_dependabot_configs(data: object, message: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_dependabot(data, ".github/dependabot.yml")
    assert message in str(err.value)


def test_dependabot_warnings() -> None:
    config = parse_dependabot(
        {"updates": [{"package-ecosystem": "docker", "directory": "/app", "ignore": [],
                      "surprise": 1,
                      "groups": {"sec": {"applies-to": "security-updates", "odd": 1}}}]},
        "d.yml",
    )  # fmt: skip
    text = "\n".join(config.warnings)
    assert "'updates[0].ignore' is not supported" in text
    assert "unknown key 'updates[0].surprise'" in text
    assert "unknown key 'updates[0].groups.sec.odd'" in text
    assert "applies to security updates" in text
    assert config.rules[1].matchers["matchFileNames"] == ("app/*",)


def test_bad_config_through_the_entry_exits_2(tmp_path: Path) -> None:
    from relkit import cli  # noqa: PLC0415

    (tmp_path / "renovate.json").write_text(
        json.dumps({"packageRules": [{"matchManagers": ["pipenv", "bogus"]}]})
    )
    env = {"GITHUB_WORKSPACE": str(tmp_path), "RUNNER_TEMP": str(tmp_path)}
    assert cli.main(["dependency-group", "--dry-run"], env=env) == 2
    assert not (tmp_path / "dependency-group-plan.json").exists()  # nothing half-written


def test_edge_cases_of_patterns_and_rules() -> None:
    assert glob_to_regex("a?c") == "a[^/]c"
    with pytest.raises(ConfigError, match="unbalanced"):
        parse_renovate({"packageRules": [{"matchPackageNames": ["{a,b"]}]}, "r.json")
    with pytest.raises(ConfigError, match="invalid glob"):
        parse_renovate({"packageRules": [{"matchFileNames": ["[z-a]"]}]}, "r.json")
    one = parse_renovate({"packageRules": [{"matchManagers": "poetry", "enabled": False}]}, "r")
    assert one.rules[0].matchers["matchManagers"] == ("poetry",)
    assert plan.dependabot_type(dep(dep_type="dev")) == "development"
    assert plan.dependabot_type(dep(dep_type="project.dependencies")) == "production"
    node = dep("node", "dockerfile", datasource="docker", value="18", versioning="")
    assert plan.versioning_for(node, DEFAULT_CONFIG) == "docker"
    poetry = dep("x", "poetry", value="^1.0", versioning="poetry")
    assert plan.versioning_for(poetry, DEFAULT_CONFIG) == "poetry"
    assert [p.new_value for p in plan.propose(poetry, ["1.0", "2.0"], DEFAULT_CONFIG)] == ["^2.0"]
    runner = dep("ubuntu", "github-actions", datasource="github-runners", value="22.04")
    assert [p.new_value for p in plan.propose(runner, ["24.04"], DEFAULT_CONFIG)] == ["24.04"]


def test_summary_lists_config_warnings() -> None:
    from dependency_group import report  # noqa: PLC0415

    text = report.summary([], [], ["renovate.json: unknown key 'x' is ignored"])
    assert "### Config warnings" in text
    assert "unknown key 'x'" in text


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        pytest.param("Python dependencies", "python-dependencies", id="words"),
        pytest.param("GitHub Actions", "github-actions", id="camel"),
        pytest.param("Lint & format", "lint-and-format", id="ampersand"),
        pytest.param("  Café  tools ", "cafe-tools", id="accents-and-spaces"),
        pytest.param("docker (all)", "docker-(all)", id="parentheses-kept"),
        pytest.param("a/b#c", "abc", id="removed"),
    ],
)
def test_group_slugs_as_renovate(name: str, slug: str) -> None:
    assert plan.slugify(name) == slug


@pytest.mark.parametrize(
    ("name", "clean"),
    [
        pytest.param("renovate/a~b:c", "renovate/a-b-c", id="invalid-characters"),
        pytest.param("renovate/-x--y-", "renovate/x-y", id="hyphens"),
        pytest.param(".renovate/.x", "renovate/x", id="dots"),
    ],
)
def test_branch_names_are_valid_git_refs(name: str, clean: str) -> None:
    assert plan.clean_branch_name(name) == clean
