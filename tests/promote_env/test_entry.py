"""`relkit promote-env` on sample GitOps repositories: promote, dry-run, refusals, freeze
windows, drift and rollback, run locally (outside Actions) through the CLI's error boundary."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from gitrepo import GitRepo, make_git_repo  # type: ignore[import-not-found]
from harness import parse_env_file  # type: ignore[import-not-found]
from promote_env import entry, kubectl, rendered
from promote_env.sample import APP_DIGEST, FILES, OLD_APP_DIGEST
from promote_env.sample import PRODUCTION as PROD_TEXT
from promote_samples import (  # type: ignore[import-not-found]
    KUBECTL,
    PROD_FILE,
    PRODUCTION,
    STAGING,
    git_in,
    needs_kubectl,
)
from relkit import cli

APP = "registry.example/app"
EU = "k8s/environments/production-eu"
PROMOTE = ["promote-env", "--source", STAGING, "--target", PRODUCTION, "--no-pull-request"]


def local_env(repo: GitRepo, tmp_path: Path, **extra: str) -> dict[str, str]:
    output = tmp_path / "outputs.txt"
    summary = tmp_path / "summary.md"
    output.write_text("")
    summary.write_text("")
    return {
        **os.environ,
        "GITHUB_WORKSPACE": str(repo.path),
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(summary),
        **extra,
    }


def outputs(env: dict[str, str]) -> dict[str, str]:
    return parse_env_file(Path(env["GITHUB_OUTPUT"]).read_text())


def summary(env: dict[str, str]) -> str:
    return Path(env["GITHUB_STEP_SUMMARY"]).read_text()


def prod(repo: GitRepo) -> str:
    return (repo.path / PROD_FILE).read_text()


def clean(repo: GitRepo) -> bool:
    return repo.git("status", "--porcelain") == ""


GOLDEN_PROMOTION = [
    '-  newTag: 1.3.2 # {"$imagepolicy": "flux-system:app-prod:tag"}',
    f"-  digest: {OLD_APP_DIGEST}",
    '+  newTag: 1.4.0 # {"$imagepolicy": "flux-system:app-prod:tag"}',
    f"+  digest: {APP_DIGEST}",
    '-  newTag: "2.0.0"',
    '+  newTag: "2.1.0"',
    "+- name: registry.example/proxy",
    '+  newTag: "2.10"',
]


def diff_lines(repo: GitRepo, rev: str = "HEAD") -> list[str]:
    text = repo.git("show", "--format=", "-U0", rev, "--", PROD_FILE)
    return [
        line
        for line in text.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_promote_commits_on_the_current_branch(
    gitops: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env = local_env(gitops, tmp_path)
    source_sha = gitops.head()
    assert cli.main(PROMOTE, env) == 0
    assert diff_lines(gitops) == GOLDEN_PROMOTION
    assert clean(gitops)
    message = gitops.git("log", "-1", "--format=%B")
    assert message.startswith(
        "chore(production): promote registry.example/app, registry.example/worker, "
        "registry.example/proxy\n\n"
    )
    assert f"Promoted-From: {STAGING}@{source_sha}\n" in message
    assert (
        f"Promoted-Images: {APP}={APP}:1.4.0@{APP_DIGEST},registry.example/worker="
        "mirror.example/worker:2.1.0,registry.example/proxy=registry.example/proxy:2.10\n"
    ) in message
    got = outputs(env)
    assert got["changed"] == "true"
    assert got["commit-sha"] == gitops.head()
    assert got["pull-request-number"] == ""
    assert json.loads(got["images"])[0] == {
        "name": APP,
        "from": f"{APP}:1.3.2@{OLD_APP_DIGEST}",
        "to": f"{APP}:1.4.0@{APP_DIGEST}",
    }
    assert json.loads(got["drift"]) == []
    assert f"| {APP} | `{APP}:1.3.2@{OLD_APP_DIGEST}` | `{APP}:1.4.0@{APP_DIGEST}` | yes |" in (
        summary(env)
    )
    assert gitops.git("ls-remote", "origin", "main").split()[0] == source_sha  # nothing pushed
    # a second run converges: nothing left to change
    env = local_env(gitops, tmp_path)
    assert cli.main(PROMOTE, env) == 0
    assert outputs(env)["changed"] == "false"
    assert outputs(env)["commit-sha"] == ""
    assert "already has these images" in capsys.readouterr().out


@needs_kubectl
def test_promote_verifies_the_render(
    gitops: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main([*PROMOTE, "--images", APP], local_env(gitops, tmp_path)) == 0
    assert "kubectl kustomize k8s/environments/production renders the promoted images" in (
        capsys.readouterr().out
    )


def test_promote_without_kubectl_says_so_and_goes_on(
    gitops: GitRepo, tmp_path: Path, no_kubectl_path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    env = local_env(gitops, tmp_path, PATH=no_kubectl_path)
    assert cli.main([*PROMOTE, "--images", APP], env) == 0
    assert capsys.readouterr().out.count("kubectl is not on PATH") == 1
    assert outputs(env)["changed"] == "true"


def test_dry_run_prints_the_diff_and_writes_nothing(
    gitops: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    env = local_env(gitops, tmp_path)
    head = gitops.head()
    assert cli.main([*PROMOTE, "--dry-run", "--images", APP], env) == 0
    out = capsys.readouterr().out
    assert f"--- a/{PROD_FILE}\n+++ b/{PROD_FILE}\n" in out
    assert f"+  digest: {APP_DIGEST}\n" in out
    assert gitops.head() == head
    assert clean(gitops)
    assert prod(gitops) == PROD_TEXT
    assert outputs(env)["changed"] == "true"
    assert outputs(env)["commit-sha"] == ""
    assert "Would change (dry run):" in summary(env)
    # the remaining drift: the images not promoted
    assert [d["name"] for d in json.loads(outputs(env)["drift"])] == [
        "registry.example/worker",
        "registry.example/proxy",
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(
            ["--source", "k8s/environments/qa", "--target", PRODUCTION],
            "source overlay 'k8s/environments/qa' does not exist",
            id="missing-overlay",
        ),
        pytest.param(
            ["--source", "k8s", "--target", PRODUCTION],
            "source overlay 'k8s' has no kustomization.yaml",
            id="missing-kustomization",
        ),
        pytest.param(
            ["--source", STAGING, "--target", PRODUCTION, "--images", "registry.example/nope"],
            "input 'images' names 'registry.example/nope'",
            id="unknown-image",
        ),
        pytest.param(
            ["--source", STAGING, "--target", PRODUCTION, "--freeze-windows", "someday"],
            "freeze window 'someday' is malformed",
            id="malformed-freeze",
        ),
        pytest.param(
            ["--source", STAGING, "--target", "../elsewhere"],
            "input 'target' must be a folder inside the repository",
            id="outside",
        ),
        pytest.param(["--source", STAGING], "input 'target' is required", id="no-target"),
        pytest.param(
            ["--source", PRODUCTION, "--target", STAGING],
            "; registry.example/worker: mirror.example/worker:2.1.0 → mirror.example/worker:2.0.0",
            id="downgrade",
        ),
    ],
)
def test_bad_input_is_one_line_exit_2_nothing_written(
    gitops: GitRepo,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    head = gitops.head()
    assert cli.main(["promote-env", "--no-pull-request", *argv], local_env(gitops, tmp_path)) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert gitops.head() == head
    assert clean(gitops)


def test_downgrade_allowed_when_asked(gitops: GitRepo, tmp_path: Path) -> None:
    argv = ["promote-env", "--source", PRODUCTION, "--target", STAGING, "--allow-downgrade"]
    assert (
        cli.main([*argv, "--images", "registry.example/worker"], local_env(gitops, tmp_path)) == 0
    )
    assert "newTag: '2.0.0'" in (gitops.path / STAGING / "kustomization.yaml").read_text()


def test_yaml_error_names_file_and_line(
    gitops: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gitops.commit("chore: break it", {PROD_FILE: PROD_TEXT.replace("- ../../base\n", "- [\n")})
    assert cli.main(PROMOTE, local_env(gitops, tmp_path)) == 2
    assert f"{PROD_FILE}:" in capsys.readouterr().err


@needs_kubectl
def test_render_error_fails_with_nothing_written(
    gitops: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = PROD_TEXT.replace("- ../../base\n", "- ../../base\n- missing.yaml\n")
    gitops.commit("chore: a broken overlay", {PROD_FILE: broken})
    head = gitops.head()
    assert cli.main(PROMOTE, local_env(gitops, tmp_path)) == 1
    assert "kubectl kustomize k8s/environments/production failed" in capsys.readouterr().err
    assert gitops.head() == head
    assert prod(gitops) == broken


@needs_kubectl
def test_render_must_use_the_promoted_image(
    gitops: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    staging = gitops.path / STAGING / "kustomization.yaml"
    text = staging.read_text() + "  - name: registry.example/unused\n    newTag: '1.0.0'\n"
    gitops.commit("chore: an image no container uses", {f"{STAGING}/kustomization.yaml": text})
    argv = [*PROMOTE, "--images", "registry.example/unused"]
    assert cli.main(argv, local_env(gitops, tmp_path)) == 1
    assert "no container uses registry.example/unused" in capsys.readouterr().err
    assert prod(gitops) == PROD_TEXT


# --- freeze windows ------------------------------------------------------------------------------

FRIDAY_EVENING = datetime(2026, 7, 3, 15, 0, tzinfo=UTC)  # 17:00 in Berlin
WINDOW = "Fri 16:00 - Mon 08:00 Europe/Berlin"


def test_freeze_window_blocks(gitops: GitRepo, tmp_path: Path) -> None:
    env = local_env(gitops, tmp_path)
    head = gitops.head()
    code = cli.run_boundary(
        "promote-env",
        lambda: entry.main([*PROMOTE[1:], "--freeze-windows", WINDOW], env, now=FRIDAY_EVENING),
        env,
    )
    assert code == 1
    assert gitops.head() == head


def test_freeze_window_override_is_recorded(gitops: GitRepo, tmp_path: Path) -> None:
    env = local_env(gitops, tmp_path)
    argv = [*PROMOTE[1:], "--freeze-windows", f"# comment\n{WINDOW}"]
    argv += ["--override-freeze", "hotfix for INC-42"]
    assert entry.main(argv, env, now=FRIDAY_EVENING) == 0
    assert "Freeze-Override: hotfix for INC-42\n" in gitops.git("log", "-1", "--format=%B")


def test_outside_a_window_nothing_blocks(gitops: GitRepo, tmp_path: Path) -> None:
    monday = datetime(2026, 7, 6, 9, 0, tzinfo=UTC)
    argv = [*PROMOTE[1:], "--freeze-windows", WINDOW]
    assert entry.main(argv, local_env(gitops, tmp_path), now=monday) == 0


# --- drift ---------------------------------------------------------------------------------------

DRIFT = ["promote-env", "--mode", "drift", "--source", STAGING, "--target", PRODUCTION]


def test_image_drift_without_render(gitops: GitRepo, tmp_path: Path) -> None:
    env = local_env(gitops, tmp_path)
    assert cli.main([*DRIFT, "--no-render"], env) == 0
    drift = json.loads(outputs(env)["drift"])
    assert [item["name"] for item in drift] == [
        APP,
        "registry.example/worker",
        "registry.example/proxy",
    ]
    assert drift[2] == {
        "name": "registry.example/proxy",
        "source": {"newName": None, "newTag": "2.10", "digest": None},
        "target": None,
    }
    assert json.loads(outputs(env)["rendered-drift"]) == []
    assert "| registry.example/proxy | `newTag=2.10` | `(absent)` |" in summary(env)
    assert clean(gitops)


def test_fail_on_drift(gitops: GitRepo, tmp_path: Path) -> None:
    assert cli.main([*DRIFT, "--no-render", "--fail-on-drift"], local_env(gitops, tmp_path)) == 1


@needs_kubectl
def test_rendered_drift_with_expected_differences_ignored(gitops: GitRepo, tmp_path: Path) -> None:
    env = local_env(gitops, tmp_path)
    assert cli.main([*DRIFT, "--ignore-drift", "metadata.namespace\n/spec/replicas"], env) == 0
    found = json.loads(outputs(env)["rendered-drift"])
    paths = {(item["resource"], item["path"]) for item in found}
    assert paths == {
        ("Deployment/web", "spec.template.spec.containers[0].image"),
        ("Deployment/web", "spec.template.spec.containers[1].image"),
        ("CronJob/cleanup", "spec.jobTemplate.spec.template.spec.containers[0].image"),
    }
    assert "Rendered drift:" in summary(env)


@needs_kubectl
def test_in_sync_after_promotion(gitops: GitRepo, tmp_path: Path) -> None:
    assert cli.main(PROMOTE, local_env(gitops, tmp_path)) == 0
    env = local_env(gitops, tmp_path)
    ignore = "metadata.namespace, spec.replicas"
    assert cli.main([*DRIFT, "--ignore-drift", ignore, "--fail-on-drift"], env) == 0
    assert outputs(env)["drift"] == "[]"
    assert outputs(env)["rendered-drift"] == "[]"


# --- rollback ------------------------------------------------------------------------------------

ROLLBACK = ["promote-env", "--mode", "rollback", "--target", PRODUCTION, "--no-pull-request"]


def test_rollback_restores_the_file_byte_for_byte(gitops: GitRepo, tmp_path: Path) -> None:
    assert cli.main(PROMOTE, local_env(gitops, tmp_path)) == 0
    promotion = gitops.head()
    env = local_env(gitops, tmp_path)
    assert cli.main(ROLLBACK, env) == 0
    assert prod(gitops) == PROD_TEXT
    message = gitops.git("log", "-1", "--format=%B")
    assert message.startswith("chore(production): roll back registry.example/app, ")
    assert f"Rolled-Back-From: {promotion}\n" in message
    assert f"Promoted-From: {PRODUCTION}@{gitops.git('rev-parse', 'HEAD~2').strip()}\n" in message
    assert ",registry.example/proxy=\n" in message
    assert json.loads(outputs(env)["images"])[-1] == {
        "name": "registry.example/proxy",
        "from": "registry.example/proxy:2.10",
        "to": "",
    }
    # rolling back the rollback re-applies the promotion
    assert cli.main(ROLLBACK, local_env(gitops, tmp_path)) == 0
    assert prod(gitops) == gitops.git("show", f"{promotion}:{PROD_FILE}")


def test_rollback_keeps_later_unrelated_edits(gitops: GitRepo, tmp_path: Path) -> None:
    assert cli.main([*PROMOTE, "--images", APP], local_env(gitops, tmp_path)) == 0
    edited = prod(gitops).replace("  count: 4\n", "  count: 6\n")
    gitops.commit("chore: scale production", {PROD_FILE: edited})
    assert cli.main(ROLLBACK, local_env(gitops, tmp_path)) == 0
    assert prod(gitops) == PROD_TEXT.replace("  count: 4\n", "  count: 6\n")


def test_rollback_to_a_ref(gitops: GitRepo, tmp_path: Path) -> None:
    start = gitops.head()
    assert cli.main([*PROMOTE, "--images", APP], local_env(gitops, tmp_path)) == 0
    assert cli.main(PROMOTE, local_env(gitops, tmp_path)) == 0
    assert cli.main([*ROLLBACK, "--to", start], local_env(gitops, tmp_path)) == 0
    assert prod(gitops) == PROD_TEXT
    assert f"Promoted-From: {PRODUCTION}@{start}\n" in gitops.git("log", "-1", "--format=%B")


def test_rollback_without_a_promotion_is_exit_2(
    gitops: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(ROLLBACK, local_env(gitops, tmp_path)) == 2
    assert "no commit with a 'Promoted-Images' trailer changed" in capsys.readouterr().err
    assert cli.main([*ROLLBACK, "--to", "no-such-ref"], local_env(gitops, tmp_path)) == 2


def test_rollback_is_blocked_by_a_freeze_window(gitops: GitRepo, tmp_path: Path) -> None:
    assert cli.main(PROMOTE, local_env(gitops, tmp_path)) == 0
    env = local_env(gitops, tmp_path)
    code = cli.run_boundary(
        "promote-env",
        lambda: entry.main([*ROLLBACK[1:], "--freeze-windows", WINDOW], env, now=FRIDAY_EVENING),
        env,
    )
    assert code == 1


def test_help_lists_the_inputs(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        entry.main(["--help"], {})
    assert exited.value.code == 0
    assert "--freeze-windows" in capsys.readouterr().out


# --- the second overlay layer, rendered before and after -----------------------------------------


def rendered_images(repo: GitRepo, overlay: str) -> list[str]:
    assert KUBECTL is not None
    text = kubectl.render(KUBECTL, str(repo.path), overlay, dict(os.environ))
    return sorted(rendered.container_images(rendered.load_documents(text, overlay)))


@needs_kubectl
def test_renders_before_and_after_through_the_second_layer(gitops: GitRepo, tmp_path: Path) -> None:
    before = {o: rendered_images(gitops, o) for o in (STAGING, PRODUCTION, EU)}
    assert before[PRODUCTION] == before[EU] != before[STAGING]
    assert cli.main(PROMOTE, local_env(gitops, tmp_path)) == 0
    after = {o: rendered_images(gitops, o) for o in (STAGING, PRODUCTION, EU)}
    assert after[STAGING] == after[PRODUCTION] == after[EU] == before[STAGING]


@needs_kubectl
def test_promote_into_a_layer_without_images(gitops: GitRepo, tmp_path: Path) -> None:
    argv = ["promote-env", "--source", STAGING, "--target", EU, "--images", APP]
    assert cli.main(argv, local_env(gitops, tmp_path)) == 0
    text = (gitops.path / EU / "kustomization.yaml").read_text()
    assert text.endswith(
        f"  - ../production\nimages:\n- name: {APP}\n  newTag: 1.4.0\n  digest: {APP_DIGEST}\n"
    )
    assert f"{APP}:1.4.0@{APP_DIGEST}" in rendered_images(gitops, EU)
    assert "chore(production-eu): promote registry.example/app" in gitops.git(
        "log", "-1", "--format=%s"
    )


# --- more refusals and fallbacks -----------------------------------------------------------------


def test_a_kustomization_that_is_not_utf8(
    gitops: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (gitops.path / PROD_FILE).write_bytes(b"images:\n- name: \xff\n")
    assert cli.main(PROMOTE, local_env(gitops, tmp_path)) == 2
    assert f"{PROD_FILE} is not UTF-8 text" in capsys.readouterr().err


def test_rollback_to_a_ref_without_the_overlay(
    gitops: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = gitops.git("rev-list", "--max-parents=0", "HEAD").strip()
    gitops.git("checkout", "--quiet", "--orphan", "other")
    gitops.git("rm", "--quiet", "-r", "--cached", ".")
    gitops.commit("chore: empty start", {"README.md": "x\n"})
    gitops.git("checkout", "--quiet", "-f", "main")
    other = gitops.git("rev-parse", "other").strip()
    assert first != other
    assert cli.main([*ROLLBACK, "--to", other], local_env(gitops, tmp_path)) == 2
    assert f"{PROD_FILE} does not exist at" in capsys.readouterr().err


def test_rollback_of_the_commit_that_created_the_overlay(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_git_repo(tmp_path / "fresh")
    repo.commit("chore: overlays\n\nPromoted-Images: a=b\n", dict(FILES))
    assert cli.main(ROLLBACK, local_env(repo, tmp_path)) == 2
    assert "created or deleted" in capsys.readouterr().err


def test_rollback_falls_back_to_editing_values_when_lines_collide(
    gitops: GitRepo, tmp_path: Path
) -> None:
    assert cli.main([*PROMOTE, "--images", APP], local_env(gitops, tmp_path)) == 0
    # someone re-wrote the promoted line by hand (a comment added): a three-way revert collides
    edited = prod(gitops).replace(
        '  newTag: 1.4.0 # {"$imagepolicy"', '  newTag: 1.4.0 # hand-checked # {"$imagepolicy"'
    )
    gitops.commit("chore: note", {PROD_FILE: edited})
    assert cli.main(ROLLBACK, local_env(gitops, tmp_path)) == 0
    text = prod(gitops)
    assert '  newTag: 1.3.2 # hand-checked # {"$imagepolicy"' in text
    assert f"  digest: {OLD_APP_DIGEST}\n" in text


def test_rollback_to_a_ref_restores_moved_lines_byte_for_byte(
    gitops: GitRepo, tmp_path: Path
) -> None:
    # production lists the digest before the tag; staging's app has no digest
    tag = '  newTag: 1.3.2 # {"$imagepolicy": "flux-system:app-prod:tag"}\n'
    digest = f"  digest: {OLD_APP_DIGEST}\n"
    swapped = PROD_TEXT.replace(tag + digest, digest + tag)
    assert swapped != PROD_TEXT
    staging = (gitops.path / STAGING / "kustomization.yaml").read_text()
    staging = staging.replace(
        f'    digest: {APP_DIGEST} # {{"$imagepolicy": "flux-system:app:digest"}}\n', ""
    )
    gitops.commit("chore: swap", {PROD_FILE: swapped, f"{STAGING}/kustomization.yaml": staging})
    start = gitops.head()
    assert cli.main([*PROMOTE, "--images", APP], local_env(gitops, tmp_path)) == 0
    assert OLD_APP_DIGEST not in prod(gitops)
    gitops.commit("chore: scale", {PROD_FILE: prod(gitops).replace("count: 4", "count: 5")})
    # with a later edit the earlier file is not restored whole: the values are edited instead
    assert cli.main([*ROLLBACK, "--to", start], local_env(gitops, tmp_path)) == 0
    assert "  newTag: 1.3.2 # " in prod(gitops)
    assert "count: 5" in prod(gitops)
    gitops.git("reset", "--quiet", "--hard", "HEAD~2")
    assert cli.main([*ROLLBACK, "--to", start], local_env(gitops, tmp_path)) == 0
    assert prod(gitops) == swapped


def test_rollback_in_a_shallow_clone_asks_for_the_history(
    gitops: GitRepo, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(PROMOTE, local_env(gitops, tmp_path)) == 0
    gitops.commit("docs: later", {"NOTES.md": "x\n"})
    shallow = tmp_path / "shallow"
    url = f"file://{gitops.path}"
    git_in(tmp_path, "clone", "--quiet", "--depth", "1", url, str(shallow))
    clone = GitRepo(shallow)
    assert cli.main(ROLLBACK, local_env(clone, tmp_path)) == 2
    assert "this clone is shallow: check out with 'fetch-depth: 0'" in capsys.readouterr().err
