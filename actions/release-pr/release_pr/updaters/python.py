"""Python version files: ``pyproject.toml``, ``setup.cfg``, ``setup.py``, ``__version__``.

Lines are rewritten in place with regular expressions, so comments and layout stay. Versions
are written in PEP 440 form (``1.2.0-rc.1`` → ``1.2.0rc1``), as packaging tools expect.
"""

from __future__ import annotations

import re

from relkit.core.versions import Version, VersionError, to_pep440

from release_pr.updaters import Found, Package

_TABLE = re.compile(r"^\s*\[([^\]]+)\]\s*(?:#.*)?$")
_TOML_VERSION = re.compile(r"""^(\s*version\s*=\s*)(["'])([^"']*)(\2)""")
_CFG_VERSION = re.compile(r"^(\s*version\s*[=:]\s*)(\S.*?)\s*$")
_SETUP_PY = re.compile(r"""(\bversion\s*=\s*)(["'])([^"']*)(\2)""")
_DUNDER = re.compile(r"""^(\s*__version__\s*(?::\s*str\s*)?=\s*)(["'])([^"']*)(\2)""", re.M)


def python_version(version: Version) -> str:
    try:
        return to_pep440(version)
    except VersionError:
        return str(version)


def update_pyproject(content: str, version: Version) -> str:
    """``[project].version`` (or ``[tool.poetry].version``); a dynamic version is left alone."""
    lines = content.splitlines(keepends=True)
    table = ""
    for i, line in enumerate(lines):
        head = _TABLE.match(line)
        if head:
            table = head[1].strip()
            continue
        if table in ("project", "tool.poetry"):
            match = _TOML_VERSION.match(line)
            if match:
                new = f"{match[1]}{match[2]}{python_version(version)}{match[4]}"
                lines[i] = new + line[match.end() :]
                return "".join(lines)
    return content


def update_setup_cfg(content: str, version: Version) -> str:
    """``version = …`` in ``[metadata]``."""
    lines = content.splitlines(keepends=True)
    section = ""
    for i, line in enumerate(lines):
        head = _TABLE.match(line)
        if head:
            section = head[1].strip()
            continue
        match = _CFG_VERSION.match(line)
        if section == "metadata" and match and not match[2].startswith(("attr:", "file:")):
            ending = line[len(line.rstrip("\r\n")) :]
            lines[i] = f"{match[1]}{python_version(version)}{ending}"
            return "".join(lines)
    return content


def update_setup_py(content: str, version: Version) -> str:
    return _SETUP_PY.sub(lambda m: f"{m[1]}{m[2]}{python_version(version)}{m[4]}", content, count=1)


def update_dunder_version(content: str, version: Version) -> str:
    """``__version__ = "…"`` in a package's ``__init__.py`` / ``version.py``."""
    return _DUNDER.sub(lambda m: f"{m[1]}{m[2]}{python_version(version)}{m[4]}", content)


def discover(package: Package) -> Found:
    """Every ``version.py`` of the package, as release-please's python strategy finds them
    (``google/api_core/version.py``): their ``__version__`` follows the release."""
    return Found(
        tuple(
            (path, update_dunder_version)
            for path in package.listing()
            if path.rsplit("/", 1)[-1] == "version.py"
        )
    )
