"""The licence gate: resolution from PyPI metadata and SPDX policy decisions."""

from __future__ import annotations

import pytest
from dependency_group.licenses import Policy, evaluate, from_pypi, normalize

NO_GPL = Policy()


@pytest.mark.parametrize(
    ("expression", "policy", "ok"),
    [
        pytest.param("GPL-3.0-only", NO_GPL, False, id="gpl-denied"),
        pytest.param("MIT OR GPL-2.0", NO_GPL, True, id="or-any-branch-allowed"),
        pytest.param("MIT AND GPL-3.0-only", NO_GPL, False, id="and-all-branches"),
        pytest.param("LGPL-2.1-or-later", NO_GPL, True, id="lgpl-allowed"),
        pytest.param("LGPL-2.1-or-later", Policy(allow_lgpl=False), False, id="lgpl-denied"),
        pytest.param("GPL-2.0-only WITH Classpath-exception-2.0", NO_GPL, False,
                     id="with-exception-still-gpl"),
        pytest.param("GPL-2.0-only WITH Classpath-exception-2.0",
                     Policy(allow=("GPL-2.0-only WITH Classpath-exception-2.0", "MIT")), True,
                     id="with-exception-allowed-whole"),
        pytest.param("Apache-2.0 WITH LLVM-exception",
                     Policy(deny=("Apache-2.0 WITH LLVM-exception",)), False,
                     id="with-exception-denied-whole"),
        pytest.param("Apache-2.0", Policy(allow=("MIT", "BSD-*")), False, id="not-in-allow"),
        pytest.param("BSD-3-Clause", Policy(allow=("MIT", "BSD-*")), True, id="allow-glob"),
        pytest.param("agpl-3.0-or-later", NO_GPL, False, id="agpl-case-insensitive"),
        pytest.param(None, NO_GPL, False, id="unknown-denied"),
        pytest.param(None, Policy(allow_unknown=True), True, id="unknown-allowed"),
        pytest.param("GPL v3", NO_GPL, False, id="free-text-denied"),
        pytest.param("GPL v3", Policy(allow_unknown=True), True, id="free-text-as-unknown"),
    ],
)  # fmt: skip
def test_evaluate(expression: str | None, policy: Policy, ok: bool) -> None:
    decision = evaluate(expression, policy)
    assert decision.ok is ok
    assert decision.ok or decision.reason  # a block always says why


@pytest.mark.parametrize(
    ("info", "expected"),
    [
        pytest.param({"license_expression": "Apache-2.0 OR BSD-2-Clause", "license": "x"},
                     "Apache-2.0 OR BSD-2-Clause", id="pep639"),
        pytest.param({"license_expression": "LicenseRef-Custom"}, "LicenseRef-Custom",
                     id="pep639-licenseref"),
        pytest.param({"license": "gpl-3.0+"}, "GPL-3.0-or-later", id="spdx-looking-license"),
        pytest.param({"license": "LGPL-2.1"}, "LGPL-2.1-only", id="deprecated-id"),
        pytest.param({"license": "GPL v3", "classifiers": []}, None, id="free-text-unknown"),
        pytest.param({"license": "GNU GPLv2 (with FOSS License Exception)", "classifiers": [
            "License :: OSI Approved :: GNU General Public License (GPL)"]},
            "GPL-1.0-or-later", id="generic-gpl-classifier"),
        pytest.param({"classifiers": ["License :: OSI Approved :: MIT License",
                                      "License :: OSI Approved :: Apache Software License",
                                      "Programming Language :: Python"]},
                     "MIT OR Apache-2.0", id="classifiers"),
        pytest.param({"license": "x" * 200}, None, id="licence-text-body"),
        pytest.param({}, None, id="nothing"),
    ],
)  # fmt: skip
def test_from_pypi(info: dict[str, object], expected: str | None) -> None:
    assert from_pypi(info) == expected


def test_normalize() -> None:
    assert normalize("mit or apache-2.0") == "MIT OR Apache-2.0"
    assert normalize("") is None
    assert normalize("((") is None
