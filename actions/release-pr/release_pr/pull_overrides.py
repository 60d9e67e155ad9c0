"""``BEGIN_COMMIT_OVERRIDE`` blocks of merged pull requests, read from GitHub.

release-please (``src/commit.ts`` ``preprocessCommitMessage``) replaces a commit's message by the
``BEGIN_COMMIT_OVERRIDE … END_COMMIT_OVERRIDE`` block of its pull request's body, and the block
is then read like any message (several conventional commits, footers such as ``Release-As:``).
The pull request of a commit is the one whose merge commit *is* that commit (``src/github.ts``:
``associatedPullRequests`` filtered on ``mergeCommit.oid``): a squash merge's commit, or the
merge button's merge commit (then the branch's own commits stay as they are, which is why
release-please's README says the override is for squash merges).

release-please reads every commit's associated pull requests (GraphQL, 25 commits a request).
Over REST that is a request per commit, so only commits whose subject names a pull request the
way GitHub's merge buttons write it (``Title (#12)``, ``Merge pull request #12 from …``) are
looked up, one ``GET /pulls/{number}`` per pull request, cached for the run; the answer counts
only when the pull request is merged and its ``merge_commit_sha`` is that commit. Not looked up:
commits of a rebase merge (no number in the subject) and squash subjects edited to drop it.

A release PR (its branch ``release-please--…`` or an ``autorelease:`` label) is never read: its
merge commit is the previous release, which release-please never parses either. A failed lookup
(after the client's retries) does not fail the run: the commit keeps its own message, the run
says which pull request could not be read, and stops asking GitHub for more bodies.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, Protocol

from relkit.adapters.github_models import PullRequest
from relkit.errors import RelkitError

from release_pr.commit_parser import RawCommit, apply_commit_override, pull_number

RELEASE_BRANCH_PREFIX = "release-please--"
MARKER = "BEGIN_COMMIT_OVERRIDE"


class PullReader(Protocol):
    """What this module needs of ``relkit.adapters.github.GitHubClient``."""

    def get_pull(self, number: int) -> PullRequest | None: ...


class Rewritten(NamedTuple):
    commits: list[RawCommit]
    warnings: tuple[str, ...]


def is_release_pull(pull: PullRequest) -> bool:
    return pull.head_ref.startswith(RELEASE_BRANCH_PREFIX) or any(
        label.startswith("autorelease:") for label in pull.labels
    )


def override_for(commit: RawCommit, pull: PullRequest | None) -> str | None:
    """The message that replaces ``commit``'s, when ``pull`` merged as that very commit and its
    body holds a non-empty override block; None otherwise. Pure."""
    if pull is None or not pull.merged or pull.merge_commit_sha != commit.sha:
        return None
    if is_release_pull(pull) or MARKER not in pull.body:
        return None
    message = apply_commit_override(commit.message, pull.body)
    return message if message != commit.message else None


class PullOverrides:
    """Rewrites commits with their merged pull requests' override blocks (the one GitHub client
    of a run; pull requests are read once each)."""

    def __init__(self, gh: PullReader) -> None:
        self._gh = gh
        self._pulls: dict[int, PullRequest | None] = {}
        self._failure: str | None = None  # the first lookup that failed; no more are tried

    def _pull(self, number: int) -> PullRequest | None:
        if number not in self._pulls:
            try:
                self._pulls[number] = self._gh.get_pull(number)
            except RelkitError as exc:  # ExternalError after retries, or a refused token
                self._failure = f"#{number}: {exc}"
                return None
        return self._pulls[number]

    def __call__(self, commits: Sequence[RawCommit]) -> Rewritten:
        out: list[RawCommit] = []
        unread: list[int] = []
        for commit in commits:
            number = pull_number(commit.message)
            if number is None:
                out.append(commit)
                continue
            if self._failure is not None:
                unread.append(number)
                out.append(commit)
                continue
            pull = self._pull(number)
            if self._failure is not None:
                unread.append(number)
            message = override_for(commit, pull)
            out.append(commit if message is None else commit._replace(message=message))
        warnings: tuple[str, ...] = ()
        if unread:
            numbers = ", ".join(f"#{n}" for n in dict.fromkeys(unread))
            warnings = (
                f"could not read pull request {self._failure}; the BEGIN_COMMIT_OVERRIDE blocks "
                f"of {numbers} were not applied (their commits keep their own messages): "
                "re-run the job to apply them",
            )
        return Rewritten(out, warnings)
