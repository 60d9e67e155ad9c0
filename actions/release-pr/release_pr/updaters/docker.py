"""Pin ``image: docker://…:X.Y.Z`` in ``action.yml`` files to the released version."""

from __future__ import annotations

import re

from relkit.core.versions import Version

_IMAGE = re.compile(
    r"""^(\s*image:\s*["']?docker://[^\s"':@]+(?::\d+)?(?:/[^\s"':@]+)*:)(v?)"""
    r"""(\d+\.\d+\.\d+[0-9A-Za-z.+-]*)(["']?\s*(?:#.*)?)$""",
    re.M,
)


def update_action_image(content: str, version: Version) -> str:
    """Only version-tagged images change; ``latest`` / digests / ``Dockerfile`` stay."""
    return _IMAGE.sub(lambda m: f"{m[1]}{m[2]}{version}{m[4]}", content)
