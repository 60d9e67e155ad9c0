"""The action contract: ``commit_lint.entry.main(argv, env)`` on real git repositories."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest
from commit_lint import entry
from relkit.adapters import gha
from relkit.cli import run_boundary
from relkit.errors import ExternalError


def outputs_of(path: str) -> dict[str, str]:
    """Parse a GITHUB_OUTPUT file with the runner's heredoc grammar."""
    values: dict[str, str] = {}
    lines = Path(path).read_text().split("\n")
    index = 0
    while index < len(lines):
        if "<<" in lines[index]:
            name, delimiter = lines[index].split("<<", 1)
            end = lines.index(delimiter, index + 1)
            values[name] = "\n".join(lines[index + 1 : end])
            index = end
        index += 1
    return values


GOOD = "feat(api): add the thing\n\nBody text.\n"
BAD = "Fix: Bad Subject.\n"
WARN = "fix: works\nno blank line before body\n"


def run(argv: list[str], env: dict[str, str]) -> int:
    """Through the CLI's error boundary, as ``relkit commit-lint`` runs."""
    gha.install_logging(env)
    return run_boundary("commit-lint", lambda: entry.main(argv, env), env)


def event(tmp_path: Path, env: dict[str, str], name: str, payload: dict[str, object]) -> None:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(payload))
    env.update({"GITHUB_EVENT_NAME": name, "GITHUB_EVENT_PATH": str(path)})


def pr_payload(base: str, head: str, title: str = "feat: a title") -> dict[str, object]:
    return {
        "pull_request": {
            "number": 7,
            "title": title,
            "base": {"sha": base},
            "head": {"sha": head},
            "commits": 2,
        },
        "repository": {"full_name": "o/r", "default_branch": "main"},
    }


def test_pull_request_with_good_and_bad_commits(
    repo, tmp_path: Path, actions_env: dict[str, str], capsys: pytest.CaptureFixture[str]
):
    base = repo.shas[-1]
    good = repo.commit(GOOD)
    bad = repo.commit(BAD)
    event(tmp_path, actions_env, "pull_request", pr_payload(base, bad))
    code = run(["--working-directory", str(repo.path)], actions_env)
    out = capsys.readouterr().out
    assert code == 1
    outputs = outputs_of(actions_env["GITHUB_OUTPUT"])
    assert outputs["valid"] == "false"
    assert outputs["error-count"] == "4"
    assert outputs["warning-count"] == "0"
    report = json.loads(Path(outputs["report"]).read_text())
    assert [item["sha"] for item in report["results"]] == [bad, good]  # newest first
    assert sorted(e["rule"] for e in report["results"][0]["errors"]) == [
        "subject-case",
        "subject-full-stop",
        "type-case",
        "type-enum",
    ]
    # one annotation per violation, titled with the short sha and the rule
    titles = re.findall(r"^::error title=([^:]+)::", out, re.MULTILINE)
    assert len(titles) == int(outputs["error-count"])
    assert all(title.startswith(bad[:7] + " ") for title in titles)
    # the commit text is printed only inside stop-commands
    token = re.search(r"^::stop-commands::(\w+)$", out, re.MULTILINE)
    assert token is not None
    inside = out[token.end() : out.index(f"::{token.group(1)}::")]
    assert "Fix: Bad Subject." in inside
    summary = Path(actions_env["GITHUB_STEP_SUMMARY"]).read_text()
    assert "| commit | header | errors | warnings |" in summary
    assert f"`{bad[:7]}`" in summary
    assert "commitlint/#what-is-commitlint" in summary


def test_untrusted_text_cannot_issue_commands(
    repo, tmp_path: Path, actions_env: dict[str, str], capsys: pytest.CaptureFixture[str]
):
    base = repo.shas[-1]
    head = repo.commit("Feat: x\n::add-mask::secret\n::error::forged\n")
    event(tmp_path, actions_env, "pull_request", pr_payload(base, head, title="::warning::t"))
    actions_env["INPUT_LINT-PR-TITLE"] = "true"
    assert run(["--working-directory", str(repo.path)], actions_env) == 1
    out = capsys.readouterr().out
    start = out.index("::stop-commands::")
    token = out[start:].split("\n", 1)[0].removeprefix("::stop-commands::")
    end = out.index(f"::{token}::")
    assert start < out.index("⧗   input: ::warning::t") < end
    outside = out[:start] + out[end:]
    assert not re.search(r"^::(add-mask|warning)::", outside, re.MULTILINE)
    assert "::error::forged" not in outside


def test_pull_request_title(repo, tmp_path: Path, actions_env: dict[str, str]):
    base = repo.shas[-1]
    head = repo.commit(GOOD)
    event(tmp_path, actions_env, "pull_request", pr_payload(base, head, title="Update stuff"))
    actions_env["INPUT_LINT-PR-TITLE"] = "true"
    assert run(["--working-directory", str(repo.path)], actions_env) == 1
    report = json.loads(Path(outputs_of(actions_env["GITHUB_OUTPUT"])["report"]).read_text())
    assert report["results"][-1]["label"] == "PR title"
    assert {e["rule"] for e in report["results"][-1]["errors"]} == {"type-empty", "subject-empty"}


def test_warnings_fail_only_when_asked(repo, tmp_path: Path, actions_env: dict[str, str]):
    base = repo.shas[-1]
    head = repo.commit(WARN)
    event(tmp_path, actions_env, "pull_request", pr_payload(base, head))
    assert run(["--working-directory", str(repo.path)], actions_env) == 0
    outputs = outputs_of(actions_env["GITHUB_OUTPUT"])
    assert (outputs["valid"], outputs["warning-count"]) == ("true", "1")
    assert run(["--working-directory", str(repo.path), "--fail-on-warnings"], actions_env) == 1


def test_push_before_after(repo, tmp_path: Path, actions_env: dict[str, str]):
    before = repo.shas[-1]
    repo.commit(GOOD)
    after = repo.commit(GOOD.replace("thing", "other thing"))
    event(tmp_path, actions_env, "push", {"before": before, "after": after, "ref": "refs/heads/x"})
    assert run(["--working-directory", str(repo.path)], actions_env) == 0
    report = json.loads(Path(outputs_of(actions_env["GITHUB_OUTPUT"])["report"]).read_text())
    assert len(report["results"]) == 2


def test_push_new_branch_lints_commits_not_on_default(
    repo, tmp_path: Path, actions_env: dict[str, str]
):
    repo.git("update-ref", "refs/remotes/origin/main", repo.shas[-1])
    repo.commit(BAD)
    head = repo.commit(GOOD)
    payload = {
        "before": "0" * 40,
        "after": head,
        "created": True,
        "ref": "refs/heads/feature",
        "repository": {"default_branch": "main"},
    }
    event(tmp_path, actions_env, "push", payload)
    assert run(["--working-directory", str(repo.path)], actions_env) == 1
    report = json.loads(Path(outputs_of(actions_env["GITHUB_OUTPUT"])["report"]).read_text())
    assert len(report["results"]) == 2


def test_push_new_branch_without_default_lints_head(
    repo, tmp_path: Path, actions_env: dict[str, str]
):
    repo.commit(BAD)
    head = repo.commit(GOOD)
    payload = {"before": "0" * 40, "after": head, "ref": "refs/heads/main", "created": True}
    event(tmp_path, actions_env, "push", payload)
    assert run(["--working-directory", str(repo.path)], actions_env) == 0
    report = json.loads(Path(outputs_of(actions_env["GITHUB_OUTPUT"])["report"]).read_text())
    assert [item["sha"] for item in report["results"]] == [head]


def test_forced_push_with_unknown_before_lints_head(
    repo, tmp_path: Path, actions_env: dict[str, str], capsys: pytest.CaptureFixture[str]
):
    repo.commit(BAD)
    head = repo.commit(GOOD)
    payload = {"before": "1" * 40, "after": head, "forced": True, "ref": "refs/heads/x"}
    event(tmp_path, actions_env, "push", payload)
    assert run(["--working-directory", str(repo.path)], actions_env) == 0
    assert "forced push" in capsys.readouterr().out


def test_deleted_branch_push_lints_nothing(repo, tmp_path: Path, actions_env: dict[str, str]):
    payload = {"before": repo.shas[-1], "after": "0" * 40, "deleted": True}
    event(tmp_path, actions_env, "push", payload)
    assert run(["--working-directory", str(repo.path)], actions_env) == 0
    outputs = outputs_of(actions_env["GITHUB_OUTPUT"])
    assert (outputs["valid"], outputs["error-count"]) == ("true", "0")


def test_other_event_lints_github_sha(repo, tmp_path: Path, actions_env: dict[str, str]):
    head = repo.commit(BAD)
    event(tmp_path, actions_env, "workflow_dispatch", {})
    actions_env["GITHUB_SHA"] = head
    assert run(["--working-directory", str(repo.path)], actions_env) == 1


def test_shallow_clone_says_fetch_depth(
    repo, tmp_path: Path, actions_env: dict[str, str], capsys: pytest.CaptureFixture[str]
):
    repo.commit(GOOD)
    repo.commit(GOOD)
    clone = tmp_path / "shallow"
    repo.git("clone", "-q", "--depth", "1", f"file://{repo.path}", str(clone))
    event(tmp_path, actions_env, "pull_request", pr_payload(repo.shas[0], repo.shas[-1]))
    assert run(["--working-directory", str(clone)], actions_env) == 2
    assert "fetch-depth: 0" in capsys.readouterr().out
    event(tmp_path, actions_env, "push", {"before": repo.shas[0], "after": repo.shas[-1]})
    assert run(["--working-directory", str(clone)], actions_env) == 2


def test_message_and_edit(repo, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    env = {"PATH": "/usr/bin:/bin"}
    assert run(["--message", "feat: ok"], env) == 0
    assert run(["--message", "bad message"], env) == 1
    out = capsys.readouterr().out
    assert "subject may not be empty [subject-empty]" in out
    edit = repo.path / ".git" / "COMMIT_EDITMSG"
    edit.write_text("feat: ok\n# Please enter the commit message\n# Bad Comment Line.\n")
    assert run(["--working-directory", str(repo.path), "--edit"], env) == 0
    other = tmp_path / "msg.txt"
    other.write_text("Nope\n")
    assert run(["--working-directory", str(repo.path), "--edit", str(other)], env) == 1


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        pytest.param(b"feat: \xff\xfe bad\n", "not valid utf-8", id="not-utf8"),
        pytest.param(b"feat: nul\x00byte\n", "NUL", id="nul"),
        pytest.param(b"feat: big\n\n" + b"x" * (1024 * 1024 + 1), "1 MiB", id="huge"),
    ],
)
def test_bad_message_files(
    repo, tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes, needle: str
):
    path = tmp_path / "msg"
    path.write_bytes(data)
    assert run(["--working-directory", str(repo.path), "--edit", str(path)], {}) == 2
    assert needle in capsys.readouterr().err


def test_range_and_bad_ranges(repo, capsys: pytest.CaptureFixture[str]):
    first = repo.shas[-1]
    repo.commit(GOOD)
    repo.commit(BAD)
    cwd = ["--working-directory", str(repo.path)]
    assert run([*cwd, "--from", first, "--to", "HEAD"], {}) == 1
    assert run([*cwd, "--from", first, "--to", "HEAD~1"], {}) == 0
    assert run([*cwd, "--from", "HEAD", "--to", "HEAD"], {}) == 2
    assert "has no commits" in capsys.readouterr().err
    assert run([*cwd, "--from", "nope"], {}) == 2
    assert "unknown revision or ref 'nope'" in capsys.readouterr().err
    assert run([*cwd, "--to", "HEAD"], {}) == 2


def raw_commit(repo, parent: str, extra_headers: bytes, message: bytes) -> str:
    """A commit object written byte for byte (git itself would re-encode the message)."""
    tree = repo.git("write-tree").strip()
    head = f"tree {tree}\nparent {parent}\nauthor A <a@b> 1 +0000\ncommitter A <a@b> 1 +0000\n"
    sha = repo.git(
        "hash-object", "-t", "commit", "-w", "--stdin", "--literally",
        input=head.encode() + extra_headers + b"\n" + message,
    ).strip()  # fmt: skip
    repo.git("update-ref", "refs/heads/main", sha)
    return sha


def test_non_utf8_commit_in_range(repo, capsys: pytest.CaptureFixture[str]):
    first = repo.shas[-1]
    raw_commit(repo, first, b"", b"feat: caf\xe9\n")
    assert run(["--working-directory", str(repo.path), "--from", first], {}) == 2
    assert "not valid utf-8" in capsys.readouterr().err


def test_nul_in_commit_message(repo, capsys: pytest.CaptureFixture[str]):
    first = repo.shas[-1]
    raw_commit(repo, first, b"", b"feat: a\x00b\n")
    assert run(["--working-directory", str(repo.path), "--from", first], {}) == 2
    assert "NUL" in capsys.readouterr().err


def test_latin1_commit_with_encoding_header(repo):
    first = repo.shas[-1]
    raw_commit(repo, first, b"encoding ISO-8859-1\n", b"feat: caf\xe9\n")
    assert run(["--working-directory", str(repo.path), "--from", first], {}) == 0


def test_nothing_to_lint(capsys: pytest.CaptureFixture[str]):
    assert run([], {}) == 2
    assert "nothing to lint" in capsys.readouterr().err


def test_json_batch(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    messages = ["feat: ok", "Merge branch 'x'", "nope", "", "fix: y\nbody\n"]
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(json.dumps(messages).encode())))
    assert run(["--json-batch"], {}) == 0
    result = json.loads(capsys.readouterr().out)
    assert result == [
        {"valid": True, "errors": [], "warnings": []},
        {"valid": True, "errors": [], "warnings": []},
        {"valid": False, "errors": ["subject-empty", "type-empty"], "warnings": []},
        {"valid": True, "errors": [], "warnings": []},
        {"valid": True, "errors": [], "warnings": ["body-leading-blank"]},
    ]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"{}", id="not-a-list"),
        pytest.param(b"[1]", id="not-strings"),
        pytest.param(b"\xff", id="not-utf8"),
        pytest.param(b"[", id="not-json"),
    ],
)
def test_json_batch_bad_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], data: bytes
):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert run(["--json-batch"], {}) == 2
    assert "JSON list of strings" in capsys.readouterr().err


def test_bad_config_is_exit_2(repo, capsys: pytest.CaptureFixture[str]):
    (repo.path / ".commitlintrc.json").write_text('{"rules": {"no-such-rule": [2, "always"]}}')
    assert run(["--working-directory", str(repo.path), "--message", "feat: x"], {}) == 2
    assert "unknown rule(s) no-such-rule" in capsys.readouterr().err


def test_repository_config_is_used(repo):
    (repo.path / ".commitlintrc.yml").write_text(
        "extends: ['@commitlint/config-conventional']\nrules:\n  type-enum: [2, always, [wip]]\n"
    )
    cwd = ["--working-directory", str(repo.path)]
    assert run([*cwd, "--message", "wip: x"], {}) == 0
    assert run([*cwd, "--message", "feat: x"], {}) == 1


def test_help_url_and_report_file(repo, actions_env: dict[str, str], tmp_path: Path):
    actions_env["INPUT_HELP-URL"] = "https://example.com/commits"
    actions_env["INPUT_REPORT-FILE"] = "out/report.json"
    argv = ["--working-directory", str(repo.path), "--message", "nope"]
    assert run(argv, actions_env) == 1
    report = json.loads((repo.path / "out" / "report.json").read_text())
    assert report["helpUrl"] == "https://example.com/commits"
    assert "https://example.com/commits" in Path(actions_env["GITHUB_STEP_SUMMARY"]).read_text()


def test_unwritable_report_is_external_error(repo, actions_env: dict[str, str]):
    (repo.path / "blocker").write_text("a file, not a folder")
    actions_env["INPUT_REPORT-FILE"] = "blocker/report.json"
    assert run(["--working-directory", str(repo.path), "--message", "feat: x"], actions_env) == 1


def test_unreadable_event(tmp_path: Path, actions_env: dict[str, str]):
    actions_env.update(
        {"GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": str(tmp_path / "missing.json")}
    )
    assert run([], actions_env) == 2


def test_edit_relative_and_missing_files(repo, capsys: pytest.CaptureFixture[str]):
    (repo.path / "msg.txt").write_text("feat: relative path\n")
    cwd = ["--working-directory", str(repo.path)]
    assert run([*cwd, "--edit", "msg.txt"], {}) == 0
    assert run([*cwd, "--edit", "missing.txt"], {}) == 2
    assert "cannot read commit message file" in capsys.readouterr().err


def test_push_of_a_commit_missing_from_the_clone(repo, tmp_path: Path, actions_env: dict[str, str]):
    event(tmp_path, actions_env, "push", {"before": repo.shas[-1], "after": "2" * 40})
    assert run(["--working-directory", str(repo.path)], actions_env) == 2


def test_tree_in_a_push_event_is_a_config_error(
    repo, tmp_path: Path, actions_env: dict[str, str], capsys: pytest.CaptureFixture[str]
):
    tree = repo.git("write-tree").strip()
    event(tmp_path, actions_env, "workflow_dispatch", {})
    actions_env["GITHUB_SHA"] = tree
    assert run(["--working-directory", str(repo.path)], actions_env) == 2
    assert f"unknown revision or ref '{tree}'" in capsys.readouterr().out


def test_git_missing_is_a_config_error(
    repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert run(["--working-directory", str(repo.path), "--from", "HEAD"], {}) == 2
    assert "git was not found" in capsys.readouterr().err


def test_range_revisions_are_not_options(repo, capsys: pytest.CaptureFixture[str]):
    assert run(["--working-directory", str(repo.path), "--from=--output=x"], {}) == 2
    assert "invalid git revision '--output=x..HEAD'" in capsys.readouterr().err


def test_git_failure_after_good_revisions_is_external(repo, monkeypatch: pytest.MonkeyPatch):
    from relkit.adapters import git  # noqa: PLC0415

    def broken(*args: object, **kwargs: object) -> list[object]:
        raise ExternalError("git rev-list failed: boom")

    first = repo.shas[-1]
    repo.commit(GOOD)
    monkeypatch.setattr(git.PendingMessages, "result", broken)
    assert run(["--working-directory", str(repo.path), "--from", first], {}) == 1


def test_relative_working_directory_is_trusted_by_full_path(repo, monkeypatch: pytest.MonkeyPatch):
    """safe.directory holds the resolved folder, so ``working-directory: sub`` works in Docker."""
    from relkit.adapters.git import commits  # noqa: PLC0415
    from relkit.adapters.git import run as git_run  # noqa: PLC0415

    seen: list[str] = []
    real = git_run._trusted_env

    def spy(cwd, env):  # type: ignore[no-untyped-def]
        seen.append(os.fspath(cwd))
        return real(cwd, env)

    first = repo.shas[-1]
    repo.commit(GOOD)
    monkeypatch.chdir(repo.path.parent)
    monkeypatch.setattr(git_run, "_trusted_env", spy)
    monkeypatch.setattr(commits, "_trusted_env", spy)  # the reader of commit messages
    assert run(["--working-directory", repo.path.name, "--from", first], {}) == 0
    assert seen
    assert all(Path(cwd).is_absolute() for cwd in seen)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown")
def test_checkout_owned_by_the_runner_user(repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The container runs as root on a checkout owned by uid 1001: git must still read it."""
    first = repo.shas[-1]
    repo.commit(BAD)
    for path in [repo.path, *repo.path.rglob("*")]:
        os.chown(path, 1001, 1001, follow_symlinks=False)
    monkeypatch.delenv("GIT_CONFIG_GLOBAL", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))  # no global safe.directory to lean on
    assert run(["--working-directory", str(repo.path), "--from", first], {}) == 1
