"""relkit.adapters.git on real repositories in tmp_path."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from gitrepo import GitRepo
from relkit.adapters import git
from relkit.errors import ConfigError, ExternalError


def test_git_env_appends_safe_directory_without_touching_base() -> None:
    base = {"PATH": "/bin", "GIT_CONFIG_COUNT": "2", "GIT_CONFIG_KEY_1": "x.y"}
    env = git.git_env("/ws", base)
    assert env["GIT_CONFIG_COUNT"] == "3"
    assert (env["GIT_CONFIG_KEY_2"], env["GIT_CONFIG_VALUE_2"]) == ("safe.directory", "/ws")
    assert env["GIT_CONFIG_KEY_1"] == "x.y"
    assert (env["GIT_TERMINAL_PROMPT"], env["LC_ALL"]) == ("0", "C")
    assert base == {"PATH": "/bin", "GIT_CONFIG_COUNT": "2", "GIT_CONFIG_KEY_1": "x.y"}


@pytest.mark.parametrize("count", ["", "junk", "-4"])
def test_git_env_with_a_bad_count_starts_at_zero(count: str) -> None:
    env = git.git_env("/ws", {"GIT_CONFIG_COUNT": count})
    assert env["GIT_CONFIG_COUNT"] == "1"
    assert env["GIT_CONFIG_VALUE_0"] == "/ws"


MESSAGES = [
    pytest.param("feat: plain", id="no-final-newline"),
    pytest.param("fix: with newline\n", id="final-newline"),
    pytest.param("feat(x)!: title\r\n\r\nbody\r\n\r\nBREAKING CHANGE: crlf\r\n", id="crlf"),
    pytest.param("docs: ünïcödé ✓ 日本\n\n\x1e rec sep \x1f unit sep\n", id="separators"),
    pytest.param("chore: trailing spaces   \n\n\n# not a comment\n\n", id="verbatim"),
]


@pytest.mark.parametrize("message", MESSAGES)
def test_log_commits_returns_messages_exactly_as_stored(git_repo, message: str) -> None:
    repo: GitRepo = git_repo(["chore: root"])
    sha = repo.commit(message)
    [commit] = git.log_commits(repo.path, "HEAD", max_count=1)
    assert commit.sha == sha
    assert commit.message == message
    raw = subprocess.run(
        ["git", "cat-file", "commit", sha], cwd=repo.path, capture_output=True, check=True
    ).stdout
    assert raw.endswith(b"\n\n" + message.encode())


def test_log_commits_fields_and_order(git_repo) -> None:
    repo: GitRepo = git_repo()
    first = repo.commit("feat: a", {"a.txt": "a"})
    second = repo.commit("fix: b", {"b.txt": "b"}, author=("Ada", "ada@example.com"))
    commits = git.log_commits(repo.path, "HEAD")
    assert [c.sha for c in commits] == [second, first]
    assert commits[0].parents == (first,)
    assert commits[1].parents == ()
    assert (commits[0].author_name, commits[0].author_email) == ("Ada", "ada@example.com")
    assert commits[0].authored_at == datetime(2024, 1, 1, 0, 2, tzinfo=UTC)
    assert commits[0].committed_at.tzinfo is not None
    assert commits[0].subject == "fix: b"
    assert [c.sha for c in git.log_commits(repo.path, "HEAD", reverse=True)] == [first, second]
    assert git.log_commits(repo.path, f"{first}..HEAD") == commits[:1]
    assert git.log_commits(repo.path, [second, f"^{first}"]) == commits[:1]


def test_log_commits_keeps_the_author_offset(git_repo) -> None:
    repo: GitRepo = git_repo()
    repo.commit("feat: x", date="2024-03-01T10:00:00-05:30")
    [commit] = git.log_commits(repo.path, "HEAD")
    assert commit.authored_at.utcoffset() == -timedelta(hours=5, minutes=30)
    assert commit.authored_at == datetime(2024, 3, 1, 15, 30, tzinfo=UTC)


def test_log_commits_decodes_a_legacy_encoding(git_repo) -> None:
    repo: GitRepo = git_repo()
    subprocess.run(
        ["git", "-c", "i18n.commitEncoding=ISO-8859-1", "commit", "-q", "--allow-empty", "-F", "-"],
        cwd=repo.path,
        input="fix: caf\xe9\n".encode("latin-1"),
        check=True,
    )
    [commit] = git.log_commits(repo.path, "HEAD")
    assert commit.message == "fix: café\n"


def test_log_commits_paths_first_parent_and_merges(git_repo) -> None:
    repo: GitRepo = git_repo()
    base = repo.commit("chore: base", {"README.md": "x"})
    repo.branch("topic")
    repo.checkout("topic")
    side = repo.commit("feat(api): side", {"api/x.py": "1"})
    repo.checkout("main")
    repo.commit("fix(web): main", {"web/y.js": "1"})
    repo.git("merge", "--no-ff", "-q", "-m", "Merge branch 'topic'", "topic")
    merge = repo.head()
    everything = git.log_commits(repo.path, f"{base}..HEAD")
    assert len(everything) == 3
    assert len(everything[0].parents) == 2
    first = git.log_commits(repo.path, f"{base}..HEAD", first_parent=True)
    assert first[0].sha == merge
    assert side not in [c.sha for c in first]
    only_api = git.log_commits(repo.path, "HEAD", paths=["api"])
    assert [c.sha for c in only_api] == [side]
    assert git.changed_files(repo.path, merge) == ["api/x.py"]
    assert git.changed_files(repo.path, base) == ["README.md"]
    assert git.merge_base(repo.path, "topic", "main") == side
    assert git.is_ancestor(repo.path, base, "HEAD")
    assert not git.is_ancestor(repo.path, "HEAD", base)


def test_log_commits_is_one_process_for_thousands_of_commits(git_repo) -> None:
    repo: GitRepo = git_repo()
    stream = []
    for n in range(1, 1501):
        message = f"feat: commit {n}\n\nbody {n}\n".encode()
        stream.append(
            b"commit refs/heads/main\n"
            + f"committer T <t@example.com> {1_700_000_000 + n} +0000\n".encode()
            + f"data {len(message)}\n".encode()
            + message
            + b"\n"
        )
    subprocess.run(
        ["git", "fast-import", "--quiet"], cwd=repo.path, input=b"".join(stream), check=True
    )
    started = time.perf_counter()
    commits = git.log_commits(repo.path, "main")
    elapsed = time.perf_counter() - started
    assert len(commits) == 1500
    assert commits[0].message == "feat: commit 1500\n\nbody 1500\n"
    assert commits[-1].parents == ()
    assert elapsed < 5  # generous: about 0.05 s on a laptop; one process per commit is ~10 s


def test_errors_not_a_repository(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is not a git repository: run actions/checkout"):
        git.log_commits(tmp_path, "HEAD")


def test_errors_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        git.run_git(["status"], tmp_path / "nope")


def test_errors_empty_repository(git_repo) -> None:
    repo: GitRepo = git_repo()
    with pytest.raises(ConfigError, match="is empty: it has no commits yet"):
        git.log_commits(repo.path, "HEAD")
    with pytest.raises(ConfigError, match="is empty"):
        git.rev_parse(repo.path, "HEAD")
    assert git.current_branch(repo.path) == "main"
    assert git.head_and_shallow(repo.path) == (None, False)
    assert git.head_state(repo.path) is None  # unborn: current_branch names the branch


def test_errors_unknown_revision_names_it(git_repo) -> None:
    repo: GitRepo = git_repo(["feat: a"])
    with pytest.raises(ConfigError, match=r"unknown revision or ref 'v9\.9\.9'"):
        git.log_commits(repo.path, "v9.9.9..HEAD")
    with pytest.raises(ConfigError, match="'nope'"):
        git.rev_parse(repo.path, "nope")
    assert not git.commit_exists(repo.path, "nope")
    assert git.commit_exists(repo.path, "HEAD")


@pytest.mark.parametrize("rev", ["--output=/tmp/x", "-n1", "", "a\nb"])
def test_revisions_that_look_like_options_are_refused(git_repo, rev: str) -> None:
    repo: GitRepo = git_repo(["feat: a"])
    with pytest.raises(ConfigError, match="invalid git revision"):
        git.log_commits(repo.path, rev)


def test_other_failures_are_external_errors(git_repo) -> None:
    repo: GitRepo = git_repo(["feat: a"])
    with pytest.raises(ExternalError, match="git no-such-command failed"):
        git.run_git(["no-such-command"], repo.path)


def test_shallow_clone_advice(git_repo, tmp_path: Path) -> None:
    repo: GitRepo = git_repo(["feat: a", "fix: b"])
    repo.tag("v1.0.0", "HEAD~1")
    repo.commit("feat: c")
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo.path}", str(clone)], check=True
    )
    assert git.is_shallow(clone)
    assert not git.is_shallow(repo.path)
    head = git.rev_parse(repo.path, "HEAD")
    assert git.head_and_shallow(clone) == (head, True)
    assert git.head_and_shallow(repo.path) == (head, False)
    assert git.head_state(clone) == git.HeadState("main", shallow=True)
    assert git.head_state(repo.path) == git.HeadState("main", shallow=False)
    assert git.head_and_shallow(repo.path, "v1.0.0") == (git.rev_parse(repo.path, "v1.0.0"), False)
    assert len(git.log_commits(clone, "HEAD")) == 1
    with pytest.raises(
        ConfigError, match="shallow clone: use actions/checkout with 'fetch-depth: 0'"
    ):
        git.log_commits(clone, "HEAD~1..HEAD")
    assert git.default_branch(clone) == "main"
    assert git.default_branch(repo.path) is None


def test_branches_and_files(git_repo) -> None:
    repo: GitRepo = git_repo()
    first = repo.commit("feat: a", {"pkg/version.txt": "1.0.0\n", "bin.dat": b"\xff\x00\xfe"})
    repo.commit("feat: b", {"pkg/version.txt": "1.1.0\n"})
    assert git.current_branch(repo.path) == "main"
    assert git.show_file(repo.path, first, "pkg/version.txt") == "1.0.0\n"
    assert git.show_file(repo.path, "HEAD", "/pkg/version.txt") == "1.1.0\n"
    assert git.show_file(repo.path, "HEAD", "missing.txt") is None
    assert git.show_file_bytes(repo.path, "HEAD", "bin.dat") == b"\xff\x00\xfe"
    with pytest.raises(ConfigError, match="not UTF-8 text"):
        git.show_file(repo.path, "HEAD", "bin.dat")
    repo.checkout(first)
    assert git.current_branch(repo.path) is None
    assert git.head_state(repo.path) == git.HeadState(None, shallow=False)
    assert git.rev_parse(repo.path, "HEAD") == first


def test_unrelated_histories_have_no_merge_base(git_repo) -> None:
    repo: GitRepo = git_repo(["feat: a"])
    repo.git("checkout", "-q", "--orphan", "other")
    repo.commit("feat: other root")
    assert git.merge_base(repo.path, "main", "other") is None


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown")
def test_workspace_owned_by_another_user(git_repo, tmp_path: Path) -> None:
    repo: GitRepo = git_repo(["feat: a"])
    shutil.chown(repo.path, 1001, 1001)
    for path in repo.path.rglob("*"):
        os.chown(path, 1001, 1001, follow_symlinks=False)
    plain = subprocess.run(
        ["git", "status"], cwd=repo.path, capture_output=True, text=True, check=False
    )
    assert "dubious ownership" in plain.stderr
    assert len(git.log_commits(repo.path, "HEAD")) == 1
    env = {**os.environ, "GITHUB_WORKSPACE": str(tmp_path / "elsewhere")}
    assert len(git.log_commits(repo.path, "HEAD", env=env)) == 1  # cwd is trusted too
    sub = repo.path / "sub"
    sub.mkdir()
    with pytest.raises(ConfigError, match="dubious ownership"):
        git.log_commits(sub, "HEAD", env=env)
    assert len(git.log_commits(sub, "HEAD", env={**env, "GITHUB_WORKSPACE": str(repo.path)})) == 1


def test_parse_commit_object_with_signature_and_odd_identity() -> None:
    raw = (
        b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
        b"parent 1111111111111111111111111111111111111111\n"
        b"parent 2222222222222222222222222222222222222222\n"
        b"author Broken Ident\n"
        b"committer C <c@x> 1700000000 +0130\n"
        b"encoding no-such-codec\n"
        b"gpgsig -----BEGIN PGP SIGNATURE-----\n \n abc\n -----END PGP SIGNATURE-----\n"
        b"\n"
        b"Merge x\n\nbody\xff"
    )
    commit = git.parse_commit_object("abc", raw)
    assert commit.parents == ("1" * 40, "2" * 40)
    assert commit.author_name == "Broken Ident"
    assert commit.authored_at == datetime.fromtimestamp(0, UTC)
    assert commit.committed_at.utcoffset() == timezone(timedelta(hours=1, minutes=30)).utcoffset(
        None
    )
    assert commit.message == "Merge x\n\nbody\ufffd"
    assert len(commit.parents) == 2


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        pytest.param(b"tree t\n\nfix: ok\n", "fix: ok\n", id="utf8"),
        pytest.param(b"tree t\nencoding ISO-8859-1\n\nfix: caf\xe9", "fix: caf\xe9", id="latin1"),
        pytest.param(b"tree t\n\nfix: \xff\xfe", None, id="bad-utf8"),
    ],
)
def test_parse_commit_object_strict(raw: bytes, message: str | None) -> None:
    if message is None:
        with pytest.raises(ConfigError, match="commit abcdef1: the message is not valid utf-8"):
            git.parse_commit_object("abcdef1234", raw, strict=True)
        assert git.parse_commit_object("abcdef1234", raw).message == "fix: \ufffd\ufffd"
    else:
        assert git.parse_commit_object("abcdef1234", raw, strict=True).message == message


def test_log_commits_strict_names_the_unreadable_commit(git_repo) -> None:
    repo: GitRepo = git_repo(["feat: a"])
    tree = repo.git("rev-parse", "HEAD^{tree}").strip()
    head = repo.git("rev-parse", "HEAD").strip()
    raw = f"tree {tree}\nparent {head}\nauthor A <a@b> 1 +0000\ncommitter A <a@b> 1 +0000\n\n"
    written = subprocess.run(  # git commit-tree would re-encode the message: write it literally
        ["git", "hash-object", "-t", "commit", "-w", "--stdin", "--literally"],
        cwd=repo.path,
        input=raw.encode() + b"feat: \xff\n",
        capture_output=True,
        check=True,
    )
    bad = written.stdout.decode().strip()
    assert len(git.log_commits(repo.path, [bad])) == 2
    assert git.log_messages(repo.path, [bad])[0] == (bad, "feat: \ufffd\n")
    with pytest.raises(ConfigError, match=f"commit {bad[:7]}: the message is not valid"):
        git.log_commits(repo.path, f"{head}..{bad}", strict=True)
    with pytest.raises(ConfigError, match=f"commit {bad[:7]}: the message is not valid"):
        git.log_messages(repo.path, f"{head}..{bad}", strict=True)


def test_log_messages_match_log_commits(git_repo) -> None:
    repo: GitRepo = git_repo(["feat: a", "fix: b\n\nbody\n"])
    subprocess.run(
        ["git", "-c", "i18n.commitEncoding=ISO-8859-1", "commit", "-q", "--allow-empty", "-F", "-"],
        cwd=repo.path,
        input="fix: caf\xe9\n".encode("latin-1"),
        check=True,
    )
    commits = git.log_commits(repo.path, "HEAD", reverse=True)
    messages = git.log_messages(repo.path, "HEAD", reverse=True, strict=True)
    assert messages == [(c.sha, c.message) for c in commits]
    assert messages[-1][1] == "fix: caf\xe9\n"
    assert git.log_messages(repo.path, "HEAD~1..HEAD") == [messages[-1]]
    assert git.read_messages(repo.path, []) == []
    tree = repo.git("rev-parse", "HEAD^{tree}").strip()
    with pytest.raises(ConfigError, match="is not a commit"):
        git.read_messages(repo.path, [tree])
    with pytest.raises(ConfigError, match="invalid git revision"):
        git.log_messages(repo.path, "--all")


def test_start_log_messages_runs_while_the_caller_works(git_repo) -> None:
    repo: GitRepo = git_repo(["feat: a", "fix: b"])
    with git.start_log_messages(repo.path, "HEAD", reverse=True) as pending:
        expected = [(c.sha, c.message) for c in git.log_commits(repo.path, "HEAD", reverse=True)]
        assert pending.result() == expected
    with git.start_log_messages(repo.path, "HEAD"):
        pass  # left without result(): both processes are stopped and reaped
    with (
        pytest.raises(ConfigError, match="unknown revision or ref 'nope'"),
        git.start_log_messages(repo.path, "HEAD..nope") as pending,
    ):
        pending.result()


def test_start_log_messages_without_git_or_folder(
    git_repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo: GitRepo = git_repo(["feat: a"])
    with pytest.raises(ConfigError, match=r"the working directory .* does not exist"):
        git.start_log_messages(tmp_path / "missing", "HEAD")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(ConfigError, match="git was not found"):
        git.start_log_messages(repo.path, "HEAD")


def test_start_git_runs_while_the_caller_works(
    git_repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo: GitRepo = git_repo(["feat: a"])
    with git.start_git(["rev-parse", "HEAD"], repo.path) as pending:
        assert pending.result() == git.rev_parse(repo.path, "HEAD") + "\n"
        assert pending.wait()[0] == 0  # asked again: the same answer
    failing = git.start_git(["log", "nope"], repo.path)
    for _ in range(2):
        with pytest.raises(ConfigError, match="unknown revision or ref 'nope'"):
            failing.result()
    assert failing.wait()[0] != 0
    # never waited for: closing stops it (a repository's whole history walk here)
    with git.start_git(["log", "--format=%B", "HEAD"], repo.path):
        pass
    with pytest.raises(ConfigError, match=r"the working directory .* does not exist"):
        git.start_git(["status"], tmp_path / "missing")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(ConfigError, match="git was not found"):
        git.start_git(["status"], repo.path)


def test_read_commits_edge_cases(git_repo) -> None:
    repo: GitRepo = git_repo(["feat: a"])
    assert git.read_commits(repo.path, []) == []
    tree = repo.git("rev-parse", "HEAD^{tree}").strip()
    with pytest.raises(ConfigError, match="is not a commit"):
        git.read_commits(repo.path, [tree])
    with pytest.raises(ConfigError, match="is not a commit"):
        git.read_commits(repo.path, ["f" * 40])
    assert git.log_commits(repo.path, "HEAD..HEAD") == []


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(git.current_branch, id="current-branch"),
        pytest.param(git.is_shallow, id="is-shallow"),
    ],
)
def test_helpers_outside_a_repository(tmp_path: Path, call) -> None:
    with pytest.raises(ConfigError, match="is not a git repository"):
        call(tmp_path)


def test_head_and_shallow_outside_a_repository_names_no_commit(tmp_path: Path) -> None:
    assert git.head_and_shallow(tmp_path) == (None, False)
    assert git.head_state(tmp_path) is None


@pytest.mark.parametrize(
    "branch",
    [
        pytest.param("feature/x", id="slash"),
        pytest.param("v1.0.0", id="same-name-as-a-tag"),  # current_branch says heads/v1.0.0
    ],
)
def test_head_state_names_the_branch_as_current_branch_does(git_repo, branch: str) -> None:
    repo: GitRepo = git_repo(["feat: a"])
    repo.tag("v1.0.0")
    repo.git("checkout", "-q", "-b", branch)
    state = git.head_state(repo.path)
    assert state is not None
    assert state.branch == git.current_branch(repo.path)


def test_missing_side_of_a_range_is_named(git_repo) -> None:
    repo: GitRepo = git_repo(["feat: a"])
    with pytest.raises(ConfigError, match="'nope'"):
        git.log_commits(repo.path, "HEAD...nope")
    with pytest.raises(ConfigError, match="'gone'"):
        git.log_commits(repo.path, ["HEAD", "^gone"])
