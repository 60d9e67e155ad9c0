"""In Actions: push the promotion commit, as a pull request or straight to the base branch.

``pull-request: true`` force-pushes ``<branch-prefix><target-env>`` to one commit on top of the
base branch and opens or updates one pull request from it (looked up before it is created, so a
re-run never makes a duplicate; a create whose answer was lost is found again). Otherwise the
commit goes to the base branch; when the branch moved meanwhile, the commit is rebuilt on the new
tip and pushed again (three times at most). Retries of GitHub calls are the shared client's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from relkit.errors import ConfigError, ExternalError

from promote_env.gitops import Repo

if TYPE_CHECKING:
    from promote_env.entry import Inputs

log = logging.getLogger("relkit.promote_env")
PUSH_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class Delivered:
    sha: str  # empty: the base branch already had the promotion
    pull_number: int | None = None
    pull_url: str = ""


def _content_at(repo: Repo, sha: str, path: str) -> str:
    content = repo.show(sha, path)
    if content is None:
        raise ConfigError(
            f"{path} does not exist on the base branch at {sha[:12]}; promote there first"
        )
    return content


def _already_there(base: str, tip: str) -> Delivered:
    """The base branch already has these values (a re-run of the job, whose checkout is older
    than the branch): nothing to commit, push or open."""
    log.info("%s already has these images at %s: nothing to push", base, tip[:12])
    return Delivered("")


def pull_body(message: str) -> str:
    _subject, _, rest = message.partition("\n\n")
    return (
        f"{rest.strip()}\n\n---\nOpened by relkit promote-env. Merge to promote; the commit's "
        "trailers let `mode: rollback` undo it.\n"
    )


def deliver(
    inputs: Inputs,
    *,
    repo: Repo,
    env: Mapping[str, str],
    path: str,
    target_env: str,
    rebuild: Callable[[str], str],
    message: str,
) -> Delivered:
    base = inputs.base_branch or repo.default_branch()
    if not inputs.pull_request:
        for _ in range(PUSH_ATTEMPTS):
            tip = repo.fetch(base)
            content = _content_at(repo, tip, path)
            if rebuild(content) == content:
                return _already_there(base, tip)
            sha = repo.commit_on(tip, path, rebuild(content), message)
            if repo.push(sha, base):
                log.info("pushed %s to %s", sha, base)
                return Delivered(sha)
            log.info("%s moved while promoting: rebuilding the commit on its new tip", base)
        raise ExternalError(
            f"branch {base!r} kept moving: the promotion was refused {PUSH_ATTEMPTS} times; "
            "re-run the job"
        )
    tip = repo.fetch(base)
    content = _content_at(repo, tip, path)
    if rebuild(content) == content:
        return _already_there(base, tip)
    sha = repo.commit_on(tip, path, rebuild(content), message)
    branch = f"{inputs.branch_prefix}{target_env}"
    repo.push(sha, branch, force=True)
    log.info("pushed %s to %s", sha, branch)

    from relkit.adapters.github import AlreadyExists, GitHubClient  # noqa: PLC0415 - heavy

    gh = GitHubClient.from_env(inputs.token, env)
    title = message.split("\n", 1)[0]
    body = pull_body(message)
    pull = gh.find_open_pull(branch, base)
    if pull is None:
        try:
            pull = gh.create_pull(title=title, head=branch, base=base, body=body)
            log.info("opened pull request #%d: %s", pull.number, pull.html_url)
        except AlreadyExists:
            pull = gh.find_open_pull(branch, base)
            if pull is None:
                raise
    if pull.title != title or pull.body != body:
        pull = gh.update_pull(pull.number, title=title, body=body)
        log.info("updated pull request #%d: %s", pull.number, pull.html_url)
    return Delivered(sha, pull.number, pull.html_url)
