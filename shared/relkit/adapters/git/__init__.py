"""git through subprocess (no shell), with git's errors turned into advice.

Every call goes through :func:`run_git`, which runs ``git`` with :func:`git_env`: the workspace is
trusted through ``GIT_CONFIG_COUNT``/``GIT_CONFIG_KEY_n``/``GIT_CONFIG_VALUE_n`` (the "dubious
ownership" refusal inside Docker actions, reference §7; nothing is written to any gitconfig),
prompts are off and messages are in the C locale so they can be recognised.

User-supplied revisions are passed after ``--end-of-options``, so a ref named ``--output=x``
is never read as an option.

Commits are read byte-exact: ``git rev-list`` lists them, then one ``git cat-file --batch`` reads
the raw objects, so :attr:`Commit.message` is the message exactly as stored (``%B`` of
``git log`` would add a newline to a message stored without one), whatever bytes it holds
(decoded as UTF-8, or the commit's ``encoding`` header, with ``errors="replace"``). Two processes
for any number of commits.
"""

from __future__ import annotations

from relkit.adapters.git.commits import (
    Commit,
    PendingMessages,
    log_commits,
    log_messages,
    parse_commit_object,
    read_commits,
    read_messages,
    start_log_messages,
)
from relkit.adapters.git.files import (
    changed_files,
    show_file,
    show_file_bytes,
)
from relkit.adapters.git.refs import (
    HEAD_STATE_ARGS,
    HeadState,
    commit_exists,
    current_branch,
    default_branch,
    head_and_shallow,
    head_state,
    is_ancestor,
    is_shallow,
    merge_base,
    read_head_state,
    rev_parse,
)
from relkit.adapters.git.run import (
    PendingGit,
    explain_failure,
    folder_error,
    git_env,
    run_git,
    start_git,
)

__all__ = [
    "HEAD_STATE_ARGS",
    "Commit",
    "HeadState",
    "PendingGit",
    "PendingMessages",
    "changed_files",
    "commit_exists",
    "current_branch",
    "default_branch",
    "explain_failure",
    "folder_error",
    "git_env",
    "head_and_shallow",
    "head_state",
    "is_ancestor",
    "is_shallow",
    "log_commits",
    "log_messages",
    "merge_base",
    "parse_commit_object",
    "read_commits",
    "read_head_state",
    "read_messages",
    "rev_parse",
    "run_git",
    "show_file",
    "show_file_bytes",
    "start_git",
    "start_log_messages",
]
