"""The ``events-file`` input: one JSON document of deployments, commits and incidents.

Validated against ``events.schema.json`` (shipped beside this module and printed in the action
README) with ``fastjsonschema``, and ``jsonschema`` for the message: a bad document is a
:class:`ConfigError` naming the JSON path of the first problem, e.g.
``$.deployments[2].status``. References between records (a commit's ``deployment``, an
incident's ``deployment``) must name a deployment of the file.
"""

from __future__ import annotations

import copy
import json
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

from relkit.errors import ConfigError

from dora_push.metrics import Commit, Deployment, Events, Incident


@cache
def schema() -> dict[str, Any]:
    text = resources.files("dora_push").joinpath("events.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _time(value: str, source: str = "", path: str = "$") -> datetime:
    try:
        return datetime.fromisoformat(value.replace("z", "Z").replace("t", "T", 1))
    except ValueError:  # the schema's pattern lets 2026-02-30 or +25:00 through
        raise _fail(source, path, f"{value!r} is not a valid time") from None


def _fail(source: str, path: str, message: str) -> ConfigError:
    return ConfigError(f"events-file {source}: {path}: {message}; fix the document (schema in "
                       "actions/dora-push/README.md)")  # fmt: skip


@cache
def _fast_validator() -> Any:
    import fastjsonschema  # noqa: PLC0415 - heavy, lazy

    return fastjsonschema.compile(copy.deepcopy(schema()))  # it rewrites $ref in place


def _check_schema(document: Any, source: str) -> None:
    """fastjsonschema (schema compiled to Python: ~10x faster on 100,000 commits) says whether
    the document is valid; only a bad one goes through jsonschema, whose best match names the
    JSON path of the problem."""
    import fastjsonschema  # noqa: PLC0415 - heavy, lazy

    try:
        _fast_validator()(document)
    except fastjsonschema.JsonSchemaException as fast:
        fast_message = str(fast)
    else:
        return
    import jsonschema  # type: ignore[import-untyped]  # noqa: PLC0415 - heavy, lazy

    validator = jsonschema.Draft202012Validator(schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(document))
    path, message = "$", fast_message
    if error is not None:
        path, message = error.json_path, error.message
    message = " ".join(message.split())
    if len(message) > 200:
        message = message[:200] + "…"
    raise _fail(source, path, message)


def parse_events(text: str, *, source: str, environment: str) -> Events:
    """The events of ``text`` (a JSON document); deployments of other environments are left
    out, a deployment without ``environment`` belongs to ``environment``."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"events-file {source}: not JSON ({exc.msg} at line {exc.lineno} column "
            f"{exc.colno}); fix the document"
        ) from None
    _check_schema(document, source)
    deployments = []
    seen: set[str] = set()
    for index, item in enumerate(document["deployments"]):
        if item["id"] in seen:
            raise _fail(source, f"$.deployments[{index}].id", f"{item['id']!r} is used twice")
        seen.add(item["id"])
        created = _time(item["created_at"], source, f"$.deployments[{index}].created_at")
        finished = _time(item["finished_at"], source, f"$.deployments[{index}].finished_at")
        if finished < created:
            raise _fail(source, f"$.deployments[{index}].finished_at", "is before created_at")
        deployments.append(
            Deployment(
                id=item["id"],
                environment=item.get("environment") or environment,
                sha=item["sha"],
                status=item["status"],
                created_at=created,
                finished_at=finished,
                kind=item.get("kind", "deploy"),
            )
        )
    commits = []
    for index, item in enumerate(document.get("commits", [])):
        target = item.get("deployment")
        if target is not None and target not in seen:
            raise _fail(source, f"$.commits[{index}].deployment", f"{target!r} names no deployment")
        committed = _time(item["committed_at"], source, f"$.commits[{index}].committed_at")
        authored = item.get("authored_at")
        commits.append(
            Commit(
                sha=item["sha"],
                committed_at=committed,
                authored_at=(
                    _time(authored, source, f"$.commits[{index}].authored_at")
                    if authored
                    else committed
                ),
                deployment=target,
                push=item.get("push"),
            )
        )
    incidents = []
    for index, item in enumerate(document.get("incidents", [])):
        target = item.get("deployment")
        if target is not None and target not in seen:
            raise _fail(
                source, f"$.incidents[{index}].deployment", f"{target!r} names no deployment"
            )
        opened = _time(item["opened_at"], source, f"$.incidents[{index}].opened_at")
        resolved_text = item.get("resolved_at")
        resolved = (
            None
            if resolved_text is None
            else _time(resolved_text, source, f"$.incidents[{index}].resolved_at")
        )
        if resolved is not None and resolved < opened:
            raise _fail(source, f"$.incidents[{index}].resolved_at", "is before opened_at")
        incidents.append(
            Incident(
                id=item["id"],
                opened_at=opened,
                resolved_at=resolved,
                deployment=target,
                root_cause=item.get("root_cause"),
            )
        )
    wanted = {d.id for d in deployments if d.environment == environment}
    return Events(
        deployments=tuple(d for d in deployments if d.id in wanted),
        commits=tuple(commits),
        incidents=tuple(incidents),
    )
