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

from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple, Protocol

from relkit.adapters.github_models import PullRequest
from relkit.errors import RelkitError

from release_pr.commit_parser import RawCommit, apply_commit_override, pull_number

RELEASE_BRANCH_PREFIX = "release-please--"
MARKER = "BEGIN_COMMIT_OVERRIDE"


# at most this many pull requests are read one by one in a run; more are read by listing
GET_ONE_BY_ONE = 10
# the listing stops after this many pull requests (30 pages)
LIST_LIMIT = 3000


class PullReader(Protocol):
    """What this module needs of ``relkit.adapters.github.GitHubClient``."""

    def get_pull(self, number: int) -> PullRequest | None: ...

    def iter_closed_pulls(self, base: str, *, limit: int = ...) -> Iterator[PullRequest]: ...


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
    of a run; each pull request is read once). A few pull requests are read one by one
    (``GET /pulls/{number}``); more are read by listing the closed pull requests into the target
    branch, newest first, down to the oldest number wanted (100 a request)."""

    def __init__(
        self,
        gh: PullReader,
        target_branch: str,
        *,
        tell: Callable[[str], None] | None = None,
    ) -> None:
        """``tell``: where to say which commits took an override (the action's log; a dry run
        prints only its plan)."""
        self._gh = gh
        self._tell = tell
        self._base = target_branch
        self._pulls: dict[int, PullRequest | None] = {}  # None: no such PR merged into base
        self._unread: dict[int, None] = {}  # numbers whose pull request could not be read
        self._failure: str | None = None  # the first read that failed; no more are tried
        self._why_unread = ""
        self._told: set[str] = set()  # commits whose override was logged

    def _read(self, wanted: Sequence[int]) -> None:
        if self._failure is not None:
            self._unread.update(dict.fromkeys(wanted))
            return
        try:
            if len(wanted) <= GET_ONE_BY_ONE:
                for number in wanted:
                    self._pulls[number] = self._gh.get_pull(number)
            else:
                self._list(wanted)
        except RelkitError as exc:  # ExternalError after retries, or a refused token
            self._failure = str(exc)
            self._why_unread = f"reading pull requests failed ({exc})"
            self._unread.update(dict.fromkeys(n for n in wanted if n not in self._pulls))

    def _list(self, wanted: Sequence[int]) -> None:
        lowest, count, last = min(wanted), 0, None
        for pull in self._gh.iter_closed_pulls(self._base, limit=LIST_LIMIT):
            self._pulls[pull.number] = pull
            count, last = count + 1, pull.number
            if last <= lowest:
                break
        # stopped by the limit before the lowest number: older ones are unread, not absent
        cut = last if count == LIST_LIMIT and last is not None and last > lowest else None
        for number in wanted:
            if number in self._pulls:
                continue
            if cut is not None and number < cut:
                self._unread[number] = None
                self._why_unread = f"only the newest {LIST_LIMIT} pull requests are read"
            else:
                self._pulls[number] = None

    def __call__(self, commits: Sequence[RawCommit]) -> Rewritten:
        named = [pull_number(commit.message) for commit in commits]
        known = self._pulls.keys() | self._unread.keys()  # unread ones are not asked again
        wanted = [n for n in dict.fromkeys(named) if n is not None and n not in known]
        if wanted:
            self._read(wanted)
        out: list[RawCommit] = []
        for commit, number in zip(commits, named, strict=True):
            message = override_for(commit, None if number is None else self._pulls.get(number))
            if message is None:
                out.append(commit)
                continue
            out.append(commit._replace(message=message))
            if self._tell is not None and commit.sha not in self._told:
                self._told.add(commit.sha)
                self._tell(
                    f"commit {commit.sha[:7]}: message from #{number}'s BEGIN_COMMIT_OVERRIDE"
                )
        unread = [n for n in dict.fromkeys(named) if n is not None and n in self._unread]
        if not unread:
            return Rewritten(out, ())
        numbers = ", ".join(f"#{n}" for n in unread)
        warning = (
            f"{self._why_unread}; the BEGIN_COMMIT_OVERRIDE blocks of {numbers} were not "
            "applied (their commits keep their own messages)"
        )
        return Rewritten(out, (warning,))
