# One image for all six relkit actions. Each action.yml selects its action with `args: [<name>]`.
#
# The runner builds this file with the repository root as build context (`image: ../../Dockerfile`
# from `actions/<name>/`), runs the container as root with `--workdir /github/workspace`, and
# passes only the variables it lists (INPUT_*, GITHUB_*, RUNNER_*, HOME, CI). Hence: an absolute
# ENTRYPOINT, no USER (the workspace must stay writable), no WORKDIR reliance, unbuffered output.
#
# Base: Debian 12 slim with CPython 3.12, pinned by exact version tag and multi-arch index digest.
FROM python:3.12.11-slim-bookworm@sha256:519591d6871b7bc437060736b9f7456b8731f1499a57e22e6c285135ae657bf7

LABEL org.opencontainers.image.title="relkit" \
      org.opencontainers.image.description="Release engineering as GitHub Actions: commit-lint, release-pr, kyverno-validate, dependency-group, promote-env, dora-push" \
      org.opencontainers.image.licenses="Apache-2.0"

# git is the only system tool relkit runs (no shell, no other binaries). Not pinned to an exact
# Debian version: bookworm's security updates replace it in the archive, and a pin would then
# fail the build; the base image already fixes the Debian release.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends git \
    && rm -rf /var/lib/apt/lists/*

# Only what the wheel needs (see .dockerignore): no tests, no .git, no virtualenv.
COPY pyproject.toml README.md /tmp/relkit/
COPY shared /tmp/relkit/shared
COPY actions /tmp/relkit/actions

# A regular (non-editable) install without dev extras. pip byte-compiles the modules, which keeps
# `relkit <action>` start-up fast, and discards its isolated build environment; the sources stay
# only in the small COPY layers above.
RUN python -m pip install --no-cache-dir --disable-pip-version-check --root-user-action=ignore \
        /tmp/relkit \
    && rm -rf /tmp/relkit

ENV PYTHONUNBUFFERED=1

# pip puts console scripts of the image's /usr/local Python in /usr/local/bin.
ENTRYPOINT ["/usr/local/bin/relkit"]
