"""Elixir ``mix.exs`` (release-please's ``ElixirMixExs``): the ``@version "…"`` module attribute,
else the inline ``version: "…",`` of ``project/0``."""

from __future__ import annotations

import re

from relkit.core.versions import Version

_ATTRIBUTE = re.compile(r'(@version[ \t]+")([A-Za-z0-9_\-+.~]+)(")')
_INLINE = re.compile(r'(\bversion:[ \t]*")([A-Za-z0-9_\-+.~]+)(",)')


def update_mix_exs(content: str, version: Version) -> str:
    pattern = _ATTRIBUTE if _ATTRIBUTE.search(content) else _INLINE
    return pattern.sub(lambda m: f"{m[1]}{version}{m[3]}", content, count=1)
