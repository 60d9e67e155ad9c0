"""Terraform modules (release-please's ``terraform-module`` strategy): in the module and its
submodules, ``README.md`` / ``readme.md`` (``version = "~> X.Y"``), ``versions.tf`` /
``versions.tf.tmpl`` (every ``vX.Y.Z``, the module's ``module_name:vX.Y.Z`` user agents) and
``metadata.yaml`` (every ``version: X.Y.Z``)."""

from __future__ import annotations

import posixpath
import re

from relkit.core.versions import Version

from release_pr.updaters import Found, Package, Updater

_README = re.compile(r'version = "~> [\d]+.[\d]+"')
_MODULE_VERSION = re.compile(r"v[0-9]+\.[0-9]+\.[0-9]+(?:-\w+)?")
_METADATA_VERSION = re.compile(r"version: [0-9]+\.[0-9]+\.[0-9]+(?:-\w+)?")


def update_readme(content: str, version: Version) -> str:
    """The usage snippet's constraint: ``version = "~> 1.3"``."""
    return _README.sub(f'version = "~> {version.major}.{version.minor}"', content, count=1)


def update_versions_tf(content: str, version: Version) -> str:
    return _MODULE_VERSION.sub(f"v{version}", content)


def update_metadata_yaml(content: str, version: Version) -> str:
    return _METADATA_VERSION.sub(f"version: {version}", content)


_BY_NAME: dict[str, Updater] = {
    "README.md": update_readme,
    "readme.md": update_readme,
    "versions.tf": update_versions_tf,
    "versions.tf.tmpl": update_versions_tf,
    "metadata.yaml": update_metadata_yaml,
}


def discover(package: Package) -> Found:
    return Found(
        tuple(
            (path, _BY_NAME[posixpath.basename(path)])
            for path in package.listing()
            if posixpath.basename(path) in _BY_NAME
        )
    )
