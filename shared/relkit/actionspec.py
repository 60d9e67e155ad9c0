"""One declaration of an action's inputs, read from CLI flags or the runner's ``INPUT_*``.

Each action's ``entry.py`` declares an :class:`ActionSpec`; the CLI builds its flags from it and
the container path reads the same names from ``INPUT_<NAME>`` (hyphens kept). A flag given on the
command line wins over ``INPUT_*``, which wins over the declared default. ``tests`` check that the
spec, ``action.yml`` and the action's README agree.
"""

from __future__ import annotations

import argparse
import builtins
from collections.abc import Mapping, Sequence
from typing import Literal, NamedTuple, NoReturn

from relkit.adapters import gha
from relkit.errors import ConfigError

InputKind = Literal["string", "boolean", "integer", "multiline", "choice"]


class InputSpec(NamedTuple):
    name: str
    description: str
    default: str = ""
    kind: InputKind = "string"
    required: bool = False
    secret: bool = False
    choices: tuple[str, ...] = ()
    # read from this environment variable when neither the flag nor INPUT_* is set (local runs:
    # ``token`` falls back to GITHUB_TOKEN)
    env_fallback: str | None = None


class ActionSpec(NamedTuple):
    name: str
    summary: str
    inputs: tuple[InputSpec, ...] = ()

    def input(self, name: str) -> InputSpec:
        for spec in self.inputs:
            if spec.name == name:
                return spec
        raise KeyError(name)


def input_dest(name: str) -> str:
    """The argparse ``dest`` of input ``name``'s flag."""
    return _dest(name)


def _dest(name: str) -> str:
    return "input_" + name.replace("-", "_")


def build_parser(
    spec: ActionSpec, parser: argparse.ArgumentParser | None = None
) -> argparse.ArgumentParser:
    """The argparse parser for ``relkit <action>``: one flag per input. Entries may add more,
    or pass their own ``parser`` (local modes first) to get the inputs added to it."""
    parser = parser or argparse.ArgumentParser(
        prog=f"relkit {spec.name}",
        description=spec.summary,
        allow_abbrev=False,
    )
    group = parser.add_argument_group("action inputs (also read from INPUT_<NAME>)")
    for item in spec.inputs:
        help_text = item.description.replace("%", "%%")  # argparse %-formats help
        if item.default:
            help_text += f" (default: {item.default.replace('%', '%%')})"
        if item.kind == "boolean":
            group.add_argument(
                f"--{item.name}",
                dest=_dest(item.name),
                action=argparse.BooleanOptionalAction,
                default=None,
                help=help_text,
            )
        else:
            group.add_argument(
                f"--{item.name}",
                dest=_dest(item.name),
                default=None,
                metavar=item.name.upper().replace("-", "_"),
                help=help_text,
            )
    return parser


class ResolvedInputs(NamedTuple):
    """Raw string values by input name, with typed accessors that raise ConfigError."""

    values: Mapping[str, str]

    def str(self, name: str) -> str:
        return self.values[name]

    def bool(self, name: builtins.str) -> builtins.bool:
        return gha.parse_bool(name, self.values[name])

    def int(self, name: builtins.str, *, minimum: builtins.int | None = None) -> builtins.int:
        raw = self.values[name]
        try:
            value = int(raw)
        except ValueError:
            raise ConfigError(f"input '{name}' must be a whole number, got {raw!r}") from None
        if minimum is not None and value < minimum:
            raise ConfigError(f"input '{name}' must be at least {minimum}, got {value}")
        return value

    def lines(self, name: builtins.str) -> list[builtins.str]:
        """A multi-line (or comma-separated) input as a list of non-empty stripped items."""
        raw = self.values[name]
        items: list[builtins.str] = []
        for line in raw.splitlines():
            items.extend(part.strip() for part in line.split(","))
        return [item for item in items if item]


def resolve_inputs(
    spec: ActionSpec,
    namespace: argparse.Namespace,
    env: Mapping[str, str],
) -> ResolvedInputs:
    """Merge flags, ``INPUT_*`` and defaults; validate; mask secrets as soon as they are read."""
    values: dict[str, str] = {}
    in_actions = env.get("GITHUB_ACTIONS") == "true"
    for item in spec.inputs:
        flag = getattr(namespace, _dest(item.name), None)
        env_name = gha.input_env_name(item.name)
        if flag is not None:
            raw = ("true" if flag else "false") if isinstance(flag, bool) else str(flag)
        elif env_name in env:
            raw = env[env_name]
        elif item.env_fallback and env.get(item.env_fallback):
            raw = env[item.env_fallback]
        else:
            raw = item.default
        raw = raw.strip() if item.kind != "multiline" else raw.strip("\n")
        if item.secret and raw and in_actions:
            gha.add_mask(raw)
        if not raw and item.default and item.kind != "multiline" and env_name in env:
            raw = item.default  # the runner sets "" for an input given as empty
        if item.required and not raw:
            raise ConfigError(
                f"input '{item.name}' is required: pass --{item.name} or set it under 'with:'"
            )
        if item.kind == "boolean" and raw:
            gha.parse_bool(item.name, raw)
        if item.kind == "integer" and raw:
            try:
                int(raw)
            except ValueError:
                raise ConfigError(
                    f"input '{item.name}' must be a whole number, got {raw!r}"
                ) from None
        if item.kind == "choice" and raw and raw not in item.choices:
            raise ConfigError(
                f"input '{item.name}' must be one of {', '.join(item.choices)}; got {raw!r}"
            )
        values[item.name] = raw
    return ResolvedInputs(values)


def parse_args(
    spec: ActionSpec,
    argv: Sequence[str],
    env: Mapping[str, str],
    parser: argparse.ArgumentParser | None = None,
) -> tuple[argparse.Namespace, ResolvedInputs]:
    parser = parser or build_parser(spec)
    namespace = parser.parse_args(list(argv))
    return namespace, resolve_inputs(spec, namespace, env)


def refuse_not_built(spec: ActionSpec, argv: Sequence[str]) -> NoReturn:
    """The whole ``main`` of an action that is declared but not built: parse the flags (so
    ``--help`` and usage errors work), then stop with exit 2 instead of pretending to work."""
    build_parser(spec).parse_args(list(argv))
    raise ConfigError(
        f"the {spec.name} action is not built yet in this version of relkit; "
        "pin a release that lists it as built in the README's table of actions"
    )
