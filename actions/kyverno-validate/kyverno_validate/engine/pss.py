"""Pod Security Standards for ``validate.podSecurity`` (``pkg/pss``, upstream PSA checks).

Each check reports violations at the pod level (``image`` None) or on one container; an
``exclude`` entry with the check's ``controlName`` excuses pod-level violations when it lists no
images, and container violations whose image matches one of its ``images``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from kyverno_validate.engine import wildcard
from kyverno_validate.engine.context import pod_spec


@dataclass(frozen=True, slots=True)
class Violation:
    control: str
    image: str | None
    values: tuple[str, ...] = ()


Pod = Mapping[str, Any]
Check = Callable[[Pod, Mapping[str, Any], tuple[int, int]], Iterator[Violation]]

_BASELINE_CAPS = {
    "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
    "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
}  # fmt: skip
_SAFE_SYSCTLS: tuple[tuple[str, tuple[int, int]], ...] = (
    ("kernel.shm_rmid_forced", (1, 0)),
    ("net.ipv4.ip_local_port_range", (1, 0)),
    ("net.ipv4.ip_unprivileged_port_start", (1, 22)),
    ("net.ipv4.tcp_syncookies", (1, 0)),
    ("net.ipv4.ping_group_range", (1, 18)),
    ("net.ipv4.ip_local_reserved_ports", (1, 27)),
    ("net.ipv4.tcp_keepalive_time", (1, 29)),
    ("net.ipv4.tcp_fin_timeout", (1, 29)),
    ("net.ipv4.tcp_keepalive_intvl", (1, 29)),
    ("net.ipv4.tcp_keepalive_probes", (1, 29)),
    ("net.ipv4.tcp_rmem", (1, 32)),
    ("net.ipv4.tcp_wmem", (1, 32)),
)
_RESTRICTED_VOLUMES = {
    "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim",
    "projected", "secret",
}  # fmt: skip
_SELINUX_TYPES = {"", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"}
LATEST = (1, 99)


def _containers(spec: Pod) -> Iterator[Mapping[str, Any]]:
    for key in ("initContainers", "containers", "ephemeralContainers"):
        for container in _items(spec.get(key)):
            if isinstance(container, Mapping):
                yield container


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _maps(value: Any) -> list[Mapping[str, Any]]:
    return [item for item in _items(value) if isinstance(item, Mapping)]


def _sc(item: Mapping[str, Any]) -> Mapping[str, Any]:
    return _map(item.get("securityContext"))


def _image(container: Mapping[str, Any]) -> str:
    return str(container.get("image") or "")


def check_host_namespaces(
    spec: Pod, meta: Mapping[str, Any], v: tuple[int, int]
) -> Iterator[Violation]:
    del meta, v
    bad = [k for k in ("hostNetwork", "hostPID", "hostIPC") if spec.get(k) is True]
    if bad:
        yield Violation("Host Namespaces", None, tuple(bad))


def check_privileged(spec: Pod, meta: Mapping[str, Any], v: tuple[int, int]) -> Iterator[Violation]:
    del meta, v
    for c in _containers(spec):
        if _sc(c).get("privileged") is True:
            yield Violation("Privileged Containers", _image(c), ("true",))


def check_capabilities_baseline(
    spec: Pod, meta: Mapping[str, Any], v: tuple[int, int]
) -> Iterator[Violation]:
    del meta, v
    for c in _containers(spec):
        added = [str(x) for x in _items(_map(_sc(c).get("capabilities")).get("add"))]
        bad = [x for x in added if x not in _BASELINE_CAPS]
        if bad:
            yield Violation("Capabilities", _image(c), tuple(bad))


def check_host_path(spec: Pod, meta: Mapping[str, Any], v: tuple[int, int]) -> Iterator[Violation]:
    del meta, v
    bad = [
        str(vol.get("name"))
        for vol in _maps(spec.get("volumes"))
        if vol.get("hostPath") is not None
    ]
    if bad:
        yield Violation("HostPath Volumes", None, tuple(bad))


def check_host_ports(spec: Pod, meta: Mapping[str, Any], v: tuple[int, int]) -> Iterator[Violation]:
    del meta, v
    for c in _containers(spec):
        bad = [str(p.get("hostPort")) for p in _maps(c.get("ports")) if p.get("hostPort")]
        if bad:
            yield Violation("Host Ports", _image(c), tuple(bad))


def check_apparmor(spec: Pod, meta: Mapping[str, Any], v: tuple[int, int]) -> Iterator[Violation]:
    del v
    prefix = "container.apparmor.security.beta.kubernetes.io/"
    bad = [
        str(value)
        for key, value in _map(meta.get("annotations")).items()
        if str(key).startswith(prefix)
        and value != "runtime/default"
        and not str(value).startswith("localhost/")
    ]
    profile = _map(_sc(spec).get("appArmorProfile"))
    if profile and profile.get("type") not in ("RuntimeDefault", "Localhost"):
        bad.append(str(profile.get("type")))
    if bad:
        yield Violation("AppArmor", None, tuple(bad))
    for c in _containers(spec):
        profile = _map(_sc(c).get("appArmorProfile"))
        if profile and profile.get("type") not in ("RuntimeDefault", "Localhost"):
            yield Violation("AppArmor", _image(c), (str(profile.get("type")),))


def _selinux_bad(options: Any) -> tuple[str, ...]:
    if not isinstance(options, Mapping):
        return ()
    bad = []
    if str(options.get("type") or "") not in _SELINUX_TYPES:
        bad.append(str(options.get("type")))
    bad += [str(options[k]) for k in ("user", "role") if options.get(k)]
    return tuple(bad)


def check_selinux(spec: Pod, meta: Mapping[str, Any], v: tuple[int, int]) -> Iterator[Violation]:
    del meta, v
    bad = _selinux_bad(_sc(spec).get("seLinuxOptions"))
    if bad:
        yield Violation("SELinux", None, bad)
    for c in _containers(spec):
        bad = _selinux_bad(_sc(c).get("seLinuxOptions"))
        if bad:
            yield Violation("SELinux", _image(c), bad)


def check_proc_mount(spec: Pod, meta: Mapping[str, Any], v: tuple[int, int]) -> Iterator[Violation]:
    del meta, v
    for c in _containers(spec):
        mount = _sc(c).get("procMount")
        if mount is not None and mount != "Default":
            yield Violation("/proc Mount Type", _image(c), (str(mount),))


def _seccomp(item: Mapping[str, Any]) -> Any:
    return _map(_sc(item).get("seccompProfile")).get("type")


def check_seccomp_baseline(
    spec: Pod, meta: Mapping[str, Any], v: tuple[int, int]
) -> Iterator[Violation]:
    del meta, v
    if _seccomp(spec) == "Unconfined":
        yield Violation("Seccomp", None, ("Unconfined",))
    for c in _containers(spec):
        if _seccomp(c) == "Unconfined":
            yield Violation("Seccomp", _image(c), ("Unconfined",))


def check_sysctls(spec: Pod, meta: Mapping[str, Any], v: tuple[int, int]) -> Iterator[Violation]:
    del meta
    safe = {name for name, since in _SAFE_SYSCTLS if v >= since}
    names = [str(s.get("name")) for s in _maps(_sc(spec).get("sysctls"))]
    bad = [n for n in names if n not in safe]
    if bad:
        yield Violation("Sysctls", None, tuple(bad))


def check_host_process(
    spec: Pod, meta: Mapping[str, Any], v: tuple[int, int]
) -> Iterator[Violation]:
    del meta, v
    if _map(_sc(spec).get("windowsOptions")).get("hostProcess") is True:
        yield Violation("HostProcess", None, ("true",))
    for c in _containers(spec):
        if _map(_sc(c).get("windowsOptions")).get("hostProcess") is True:
            yield Violation("HostProcess", _image(c), ("true",))


def check_volume_types(
    spec: Pod, meta: Mapping[str, Any], v: tuple[int, int]
) -> Iterator[Violation]:
    del meta, v
    bad = [
        key
        for vol in _maps(spec.get("volumes"))
        for key in vol
        if key != "name" and key not in _RESTRICTED_VOLUMES
    ]
    if bad:
        yield Violation("Volume Types", None, tuple(bad))


def check_privilege_escalation(
    spec: Pod, meta: Mapping[str, Any], v: tuple[int, int]
) -> Iterator[Violation]:
    del meta, v
    for c in _containers(spec):
        if _sc(c).get("allowPrivilegeEscalation") is not False:
            yield Violation("Privilege Escalation", _image(c))


def check_run_as_non_root(
    spec: Pod, meta: Mapping[str, Any], v: tuple[int, int]
) -> Iterator[Violation]:
    del meta, v
    pod_value = _sc(spec).get("runAsNonRoot")
    if pod_value is False:
        yield Violation("Running as Non-root", None, ("false",))
    for c in _containers(spec):
        value = _sc(c).get("runAsNonRoot")
        if value is False or (value is None and pod_value is not True):
            yield Violation("Running as Non-root", _image(c))


def check_run_as_user(
    spec: Pod, meta: Mapping[str, Any], v: tuple[int, int]
) -> Iterator[Violation]:
    del meta
    if v < (1, 23):
        return
    if _sc(spec).get("runAsUser") == 0:
        yield Violation("Running as Non-root user", None, ("0",))
    for c in _containers(spec):
        if _sc(c).get("runAsUser") == 0:
            yield Violation("Running as Non-root user", _image(c), ("0",))


def check_seccomp_restricted(
    spec: Pod, meta: Mapping[str, Any], v: tuple[int, int]
) -> Iterator[Violation]:
    del meta
    if v < (1, 19):
        return
    allowed = ("RuntimeDefault", "Localhost")
    pod_type = _seccomp(spec)
    if pod_type is not None and pod_type not in allowed:
        yield Violation("Seccomp", None, (str(pod_type),))
    for c in _containers(spec):
        own = _seccomp(c)
        if (own is not None and own not in allowed) or (own is None and pod_type is None):
            yield Violation("Seccomp", _image(c), (str(own),))


def check_capabilities_restricted(
    spec: Pod, meta: Mapping[str, Any], v: tuple[int, int]
) -> Iterator[Violation]:
    del meta
    if v < (1, 22):
        return
    for c in _containers(spec):
        caps = _map(_sc(c).get("capabilities"))
        dropped = [str(x) for x in _items(caps.get("drop"))]
        added = [str(x) for x in _items(caps.get("add"))]
        bad = [x for x in added if x != "NET_BIND_SERVICE"]
        if "ALL" not in dropped or bad:
            yield Violation("Capabilities", _image(c), tuple(bad))


BASELINE: tuple[Check, ...] = (
    check_host_namespaces, check_privileged, check_capabilities_baseline, check_host_path,
    check_host_ports, check_apparmor, check_selinux, check_proc_mount, check_seccomp_baseline,
    check_sysctls, check_host_process,
)  # fmt: skip
RESTRICTED: tuple[Check, ...] = (
    check_host_namespaces, check_privileged, check_capabilities_baseline, check_host_path,
    check_host_ports, check_apparmor, check_selinux, check_proc_mount, check_sysctls,
    check_host_process, check_volume_types, check_privilege_escalation, check_run_as_non_root,
    check_run_as_user, check_seccomp_restricted, check_capabilities_restricted,
)  # fmt: skip
LEVELS: dict[str, tuple[Check, ...]] = {
    "privileged": (),
    "baseline": BASELINE,
    "restricted": RESTRICTED,
}


_VERSION = re.compile(r"^v1\.(0|[1-9][0-9]*)$")


def parse_version(text: Any) -> tuple[int, int] | None:
    """Pod Security Admission's ``ParseVersion``: empty or ``latest``, else ``v1.<minor>``;
    None for anything else."""
    value = str(text or "latest").strip()
    if value == "latest":
        return LATEST
    found = _VERSION.match(value)
    return (1, int(found.group(1))) if found else None


def _excused(violation: Violation, exclusions: list[Mapping[str, Any]]) -> bool:
    for entry in exclusions:
        if entry.get("controlName") != violation.control:
            continue
        images = [str(i) for i in _items(entry.get("images"))]
        if violation.image is None and images:
            continue
        if violation.image is not None and not any(
            wildcard.match(i, violation.image) for i in images
        ):
            continue
        values = [str(x) for x in _items(entry.get("values"))]
        if (
            values
            and entry.get("restrictedField")
            and not all(x in values for x in violation.values)
        ):
            continue
        return True
    return False


def _template_metadata(resource: Mapping[str, Any]) -> Mapping[str, Any]:
    """The pod's metadata: the object's own for a Pod, the pod template's for controllers."""
    if resource.get("kind") == "Pod":
        path: tuple[str, ...] = ("metadata",)
    elif resource.get("kind") == "CronJob":
        # getSpec in validate_pss.go reads a CronJob's metadata from the job template
        path = ("spec", "jobTemplate", "metadata")
    else:
        path = ("spec", "template", "metadata")
    current: Any = resource
    for key in path:
        current = current.get(key) if isinstance(current, Mapping) else None
    return current if isinstance(current, Mapping) else {}


# the kinds Kyverno reads a pod from (``getSpec`` in ``validate_pss.go``)
POD_KINDS = frozenset(
    {"Pod", "DaemonSet", "Deployment", "Job", "StatefulSet", "ReplicaSet",
     "ReplicationController", "CronJob"}
)  # fmt: skip


def evaluate_pod_security(settings: Mapping[str, Any], resource: Any) -> tuple[bool | None, str]:
    """(failed, message) for one pod or pod controller; failed is None for a bad setting."""
    level = str(settings.get("level") or "").lower()
    checks = LEVELS.get(level)
    if checks is None:
        return None, f"unknown podSecurity level {settings.get('level')!r}"
    kind = resource.get("kind") if isinstance(resource, Mapping) else None
    if kind not in POD_KINDS:
        return None, "Error while getting new resource: could not find correct resource type"
    spec = pod_spec(resource) or {}
    meta = _template_metadata(resource)
    version = parse_version(settings.get("version"))
    if version is None:
        return None, (
            "failed to parse pod security api version: "
            f'{settings.get("version")!r} must be "latest" or "v1.x"'
        )
    exclusions = _maps(settings.get("exclude"))
    failing = [
        violation
        for check in checks
        for violation in check(spec, meta, version)
        if not _excused(violation, exclusions)
    ]
    if not failing:
        return False, ""
    controls = sorted({v.control for v in failing})
    return (
        True,
        f'It violates PodSecurity "{level}:{settings.get("version", "latest")}": '
        + ", ".join(controls),
    )
