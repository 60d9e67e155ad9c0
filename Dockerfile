# One image for all six relkit actions. Each action.yml selects its action with `args: [<name>]`.
#
# Released action.yml files pin `image: docker://ghcr.io/<owner>/relkit:<version>`, built from this
# file by the release workflow; the runner runs it as root with `--workdir /github/workspace` and
# passes only the variables it lists (INPUT_*, GITHUB_*, RUNNER_*, HOME, CI). Hence: an absolute
# ENTRYPOINT, no USER (the workspace must stay writable), no WORKDIR reliance, unbuffered output.
#
# Base: Debian 12 slim with CPython 3.12, pinned by exact version tag and multi-arch index digest.
# An ARG, so the tests build this same file on a local Debian base where no registry is reachable
# (scripts/container_env.py: `--build-arg BASE=relkit-base:bookworm`). Any Debian bookworm base
# with `python3` and pip on PATH works.
ARG BASE=python:3.12.11-slim-bookworm@sha256:519591d6871b7bc437060736b9f7456b8731f1499a57e22e6c285135ae657bf7

# --- build: the virtual environment, then only what runs is copied out ----------------------------
FROM ${BASE} AS build

# Only what the wheel needs (see .dockerignore): no tests, no .git, no virtualenv.
COPY pyproject.toml README.md /tmp/relkit/
COPY shared /tmp/relkit/shared
COPY actions /tmp/relkit/actions
COPY scripts/pack_schemas.py /tmp/relkit/scripts/

# binutils' strip, for the extension modules below; this stage is thrown away.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends binutils \
    && rm -rf /var/lib/apt/lists/*

# A venv without pip (the base's pip installs into it with --python), a regular non-editable
# install without dev extras, byte-compiled by pip for a fast start. Then:
# - cryptography goes: PyGithub needs it only to sign GitHub App JWTs (pyjwt[crypto]); relkit
#   authenticates with a token, and pyjwt imports it optionally (~16 MB);
# - kubernetes-validate's schema folders (one per Kubernetes version, plain and strict) are packed
#   into one xz file each, read lazily by kyverno_validate.schema (~108 MB → ~5 MB);
# - pycparser goes: cffi needs it only to compile cdefs; PyNaCl ships its bindings compiled;
# - extension modules lose their debug symbols (PyNaCl's libsodium alone: 3.7 → 0.6 MB), and
#   the test suites some packages install are dropped.
RUN python3 -m venv --without-pip /opt/relkit \
    && python3 -m pip --python /opt/relkit/bin/python install \
        --no-cache-dir --disable-pip-version-check --root-user-action=ignore /tmp/relkit \
    && python3 -m pip --python /opt/relkit/bin/python uninstall \
        --yes --disable-pip-version-check --root-user-action=ignore cryptography pycparser \
    && /opt/relkit/bin/python /tmp/relkit/scripts/pack_schemas.py \
    && find /opt/relkit -name "*.so" -exec strip --strip-unneeded {} + \
    && find /opt/relkit -depth -type d \( -name tests -o -name benchmarks \) \
        -path "*/site-packages/*" -exec rm -rf {} + \
    && rm -rf /tmp/relkit

# --- the image ------------------------------------------------------------------------------------
FROM ${BASE}

LABEL org.opencontainers.image.title="relkit" \
      org.opencontainers.image.description="Release engineering as GitHub Actions: commit-lint, release-pr, kyverno-validate, dependency-group, promote-env, dora-push" \
      org.opencontainers.image.licenses="Apache-2.0"

# git is the only system tool relkit runs (no shell, no other binaries). Not pinned to an exact
# Debian version: bookworm's security updates replace it in the archive, and a pin would then
# fail the build; the base image already fixes the Debian release. Removed in the same layer
# (relkit runs only git's own commands over the checkout and HTTPS remotes):
# - its perl parts (perl, its modules, liberror-perl: git-svn, send-email, …) and manual pages;
# - its translations (relkit reads git's output in the C locale), the programs of a git
#   server or mail client (daemon, http-backend, http-push, imap-send, shell, scalar) and the
#   dumb-HTTP fetcher (smart HTTP goes through git-remote-http);
# - apt's lists, downloaded packages and logs.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends git \
    && dpkg --purge --force-depends git-man liberror-perl perl perl-modules-5.36 libperl5.36 \
    && apt-get clean \
    && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log \
        /usr/share/doc/git /usr/share/perl5/Git /usr/share/perl5/Git.pm /usr/share/gitweb \
        /usr/share/git-core/contrib /usr/share/locale/*/LC_MESSAGES/git.mo \
        /usr/bin/git-shell /usr/bin/scalar /usr/lib/git-core/scalar /usr/lib/git-core/git-shell \
        /usr/lib/git-core/git-daemon /usr/lib/git-core/git-http-backend \
        /usr/lib/git-core/git-http-push /usr/lib/git-core/git-imap-send \
        /usr/lib/git-core/git-http-fetch /usr/share/bash-completion/completions/git \
        /usr/share/doc/libcurl3-gnutls /usr/share/doc/libssh2-1 /usr/share/doc/libldap-2.5-0 \
        /var/lib/dpkg/*-old /var/cache/debconf/*-old

COPY --from=build /opt/relkit /opt/relkit

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH=/opt/relkit/bin:$PATH

# The console script of the venv: an absolute path, exec form (relkit is PID 1 and handles
# SIGTERM like SIGINT).
ENTRYPOINT ["/opt/relkit/bin/relkit"]
