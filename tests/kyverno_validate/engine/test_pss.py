from typing import Any

import pytest
from kyverno_validate.engine.pss import evaluate_pod_security, parse_version

RESTRICTED_OK: dict[str, Any] = {
    "securityContext": {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}},
    "containers": [
        {
            "name": "a",
            "image": "nginx",
            "securityContext": {
                "allowPrivilegeEscalation": False,
                "capabilities": {"drop": ["ALL"]},
            },
        }
    ],
}


def pod(spec: dict[str, Any], annotations: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "kind": "Pod",
        "metadata": {"name": "p", "annotations": annotations or {}},
        "spec": spec,
    }


def with_container(**security: Any) -> dict[str, Any]:
    container = {**RESTRICTED_OK["containers"][0]}
    container["securityContext"] = {**container["securityContext"], **security}
    return {**RESTRICTED_OK, "containers": [container]}


@pytest.mark.parametrize(
    ("level", "spec", "failed"),
    [
        pytest.param("restricted", RESTRICTED_OK, False, id="restricted-ok"),
        pytest.param("privileged", {"hostNetwork": True}, False, id="privileged-allows-all"),
        pytest.param("baseline", {"hostNetwork": True}, True, id="host-namespaces"),
        pytest.param(
            "baseline",
            {"volumes": [{"name": "h", "hostPath": {"path": "/"}}]},
            True,
            id="host-path",
        ),
        pytest.param("baseline", with_container(privileged=True), True, id="privileged"),
        pytest.param(
            "baseline",
            with_container(capabilities={"add": ["SYS_ADMIN"]}),
            True,
            id="caps-baseline",
        ),
        pytest.param(
            "baseline",
            with_container(capabilities={"add": ["CHOWN"]}),
            False,
            id="caps-baseline-ok",
        ),
        pytest.param("baseline", with_container(procMount="Unmasked"), True, id="proc-mount"),
        pytest.param(
            "baseline", with_container(seLinuxOptions={"type": "spc_t"}), True, id="selinux"
        ),
        pytest.param(
            "baseline",
            with_container(seccompProfile={"type": "Unconfined"}),
            True,
            id="seccomp-baseline",
        ),
        pytest.param(
            "baseline",
            {"securityContext": {"sysctls": [{"name": "kernel.msgmax", "value": "1"}]}},
            True,
            id="sysctls",
        ),
        pytest.param(
            "baseline",
            {"containers": [{"name": "a", "image": "x", "ports": [{"hostPort": 80}]}]},
            True,
            id="host-ports",
        ),
        pytest.param(
            "restricted",
            with_container(allowPrivilegeEscalation=True),
            True,
            id="privilege-escalation",
        ),
        pytest.param("restricted", with_container(runAsUser=0), True, id="run-as-root-user"),
        pytest.param("restricted", with_container(runAsNonRoot=False), True, id="run-as-root"),
        pytest.param(
            "restricted",
            with_container(capabilities={"drop": ["NET_RAW"]}),
            True,
            id="caps-drop-all",
        ),
        pytest.param(
            "restricted",
            {**RESTRICTED_OK, "volumes": [{"name": "n", "nfs": {"server": "s"}}]},
            True,
            id="volume-types",
        ),
        pytest.param(
            "restricted",
            {**RESTRICTED_OK, "securityContext": {"runAsNonRoot": True}},
            True,
            id="seccomp-required",
        ),
        pytest.param(
            "baseline",
            {"securityContext": {"appArmorProfile": {"type": "Unconfined"}}},
            True,
            id="apparmor-pod-field",
        ),
        pytest.param(
            "baseline",
            with_container(appArmorProfile={"type": "Unconfined"}),
            True,
            id="apparmor-container",
        ),
        pytest.param(
            "baseline",
            with_container(appArmorProfile={"type": "RuntimeDefault"}),
            False,
            id="apparmor-ok",
        ),
        pytest.param(
            "baseline",
            {"securityContext": {"seLinuxOptions": {"user": "root"}}},
            True,
            id="selinux-pod-user",
        ),
        pytest.param(
            "baseline",
            {"securityContext": {"seccompProfile": {"type": "Unconfined"}}},
            True,
            id="seccomp-pod",
        ),
        pytest.param(
            "baseline",
            {"securityContext": {"windowsOptions": {"hostProcess": True}}},
            True,
            id="host-process-pod",
        ),
        pytest.param(
            "baseline",
            with_container(windowsOptions={"hostProcess": True}),
            True,
            id="host-process-container",
        ),
        pytest.param(
            "restricted",
            {
                **RESTRICTED_OK,
                "securityContext": {**RESTRICTED_OK["securityContext"], "runAsNonRoot": False},
            },
            True,
            id="run-as-root-pod",
        ),
        pytest.param(
            "restricted",
            {
                **RESTRICTED_OK,
                "securityContext": {**RESTRICTED_OK["securityContext"], "runAsUser": 0},
            },
            True,
            id="run-as-root-user-pod",
        ),
    ],
)
def test_levels(level: str, spec: dict[str, Any], failed: bool) -> None:
    result, _ = evaluate_pod_security({"level": level, "version": "latest"}, pod(spec))
    assert result is failed


def test_exclusions_by_image_and_pod_level() -> None:
    spec = with_container(capabilities={"add": ["SYS_ADMIN"], "drop": ["ALL"]})
    settings: dict[str, Any] = {"level": "restricted", "version": "latest"}
    assert evaluate_pod_security(settings, pod(spec))[0] is True
    settings["exclude"] = [{"controlName": "Capabilities", "images": ["nginx*"]}]
    assert evaluate_pod_security(settings, pod(spec))[0] is False
    settings["exclude"] = [{"controlName": "Capabilities"}]
    assert evaluate_pod_security(settings, pod(spec))[0] is True
    host = {**RESTRICTED_OK, "hostIPC": True}
    assert (
        evaluate_pod_security(
            {**settings, "exclude": [{"controlName": "Host Namespaces"}]}, pod(host)
        )[0]
        is False
    )


def test_apparmor_annotation_and_controllers() -> None:
    annotations = {"container.apparmor.security.beta.kubernetes.io/a": "unconfined"}
    assert evaluate_pod_security({"level": "baseline"}, pod({}, annotations))[0] is True
    deployment = {
        "kind": "Deployment",
        "spec": {"template": {"metadata": {}, "spec": {"hostPID": True}}},
    }
    assert evaluate_pod_security({"level": "baseline"}, deployment)[0] is True
    cron = {
        "kind": "CronJob",
        "spec": {"jobTemplate": {"spec": {"template": {"spec": RESTRICTED_OK}}}},
    }
    assert evaluate_pod_security({"level": "restricted"}, cron)[0] is False
    # getSpec in validate_pss.go: a kind that holds no pod is an error
    assert evaluate_pod_security({"level": "baseline"}, {"kind": "Service"})[0] is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("latest", (1, 99), id="latest"),
        pytest.param("v1.24", (1, 24), id="v-prefixed"),
        pytest.param(None, (1, 99), id="missing"),
        pytest.param("v1.0", (1, 0), id="v1.0"),
        pytest.param("bogus", None, id="invalid"),
        pytest.param("1.24", None, id="without-v"),
        pytest.param("v2.1", None, id="not-v1"),
    ],
)
def test_parse_version(text: Any, expected: tuple[int, int] | None) -> None:
    assert parse_version(text) == expected


def test_an_unparsable_version_is_an_error() -> None:
    failed, message = evaluate_pod_security(
        {"level": "baseline", "version": "1.24"}, {"kind": "Pod"}
    )
    assert failed is None
    assert "must be" in message


def test_older_versions_skip_newer_checks() -> None:
    spec = with_container(runAsUser=0)
    assert evaluate_pod_security({"level": "restricted", "version": "v1.22"}, pod(spec))[0] is False
    no_seccomp = {**RESTRICTED_OK, "securityContext": {"runAsNonRoot": True}}
    assert (
        evaluate_pod_security({"level": "restricted", "version": "v1.18"}, pod(no_seccomp))[0]
        is False
    )
    no_drop = with_container(capabilities={})
    assert (
        evaluate_pod_security({"level": "restricted", "version": "v1.21"}, pod(no_drop))[0] is False
    )


def test_exclusions_need_the_control_and_allowed_values() -> None:
    spec = {"containers": [{"name": "a", "image": "nginx", "ports": [{"hostPort": 80}]}]}
    settings: dict[str, Any] = {"level": "baseline"}
    other = [{"controlName": "Capabilities", "images": ["*"]}]
    assert evaluate_pod_security({**settings, "exclude": other}, pod(spec))[0] is True
    narrow = [
        {
            "controlName": "Host Ports",
            "images": ["*"],
            "restrictedField": "ports",
            "values": ["8080"],
        }
    ]
    assert evaluate_pod_security({**settings, "exclude": narrow}, pod(spec))[0] is True
    wide = [
        {"controlName": "Host Ports", "images": ["*"], "restrictedField": "ports", "values": ["80"]}
    ]
    assert evaluate_pod_security({**settings, "exclude": wide}, pod(spec))[0] is False


def test_pod_level_seccomp_and_image_exclusions() -> None:
    unconfined = {
        **RESTRICTED_OK,
        "securityContext": {"runAsNonRoot": True, "seccompProfile": {"type": "Unconfined"}},
    }
    settings: dict[str, Any] = {"level": "restricted", "version": "latest"}
    assert evaluate_pod_security(settings, pod(unconfined))[0] is True
    # an exclusion naming images covers containers only, never the pod-level field
    by_image = [{"controlName": "Seccomp", "images": ["nginx"]}]
    assert evaluate_pod_security({**settings, "exclude": by_image}, pod(unconfined))[0] is True
    pod_level = [
        {
            "controlName": "Seccomp",
            "restrictedField": "spec.securityContext.seccompProfile.type",
            "values": ["Unconfined"],
        }
    ]
    assert evaluate_pod_security({**settings, "exclude": pod_level}, pod(unconfined))[0] is False


def test_entries_that_are_not_containers_are_ignored() -> None:
    spec = {"containers": ["junk", {"name": "a", "securityContext": {"privileged": True}}]}
    assert evaluate_pod_security({"level": "baseline"}, pod(spec))[0] is True
    assert evaluate_pod_security({"level": "baseline"}, pod({"containers": ["junk"]}))[0] is False
