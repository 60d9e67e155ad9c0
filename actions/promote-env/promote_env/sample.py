"""A built-in sample GitOps repository: base + staging + production (+ a regional layer).

Used by ``make demo`` and the tests. It has what real overlays have: several images, comments,
Flux ``$imagepolicy`` markers, digests, quoted tags, ``newName``, multi-document files, a
``---`` before and after the kustomization, and a second overlay layer
(``production-eu`` on top of ``production``).
"""

from __future__ import annotations

APP_DIGEST = "sha256:" + "a1" * 32
OLD_APP_DIGEST = "sha256:" + "b2" * 32

BASE = {
    "k8s/base/kustomization.yaml": (
        "apiVersion: kustomize.config.k8s.io/v1beta1\n"
        "kind: Kustomization\n"
        "resources:\n"
        "  - web.yaml\n"
        "  - worker.yaml\n"
    ),
    "k8s/base/web.yaml": (
        "apiVersion: apps/v1\n"
        "kind: Deployment\n"
        "metadata:\n"
        "  name: web\n"
        "spec:\n"
        "  replicas: 2\n"
        "  selector:\n"
        "    matchLabels: {app: web}\n"
        "  template:\n"
        "    metadata:\n"
        "      labels: {app: web}\n"
        "    spec:\n"
        "      containers:\n"
        "        - name: app\n"
        "          image: registry.example/app:1.0.0\n"
        "        - name: proxy\n"
        "          image: registry.example/proxy:2.0.0\n"
        "---\n"
        "apiVersion: v1\n"
        "kind: Service\n"
        "metadata:\n"
        "  name: web\n"
        "spec:\n"
        "  selector: {app: web}\n"
        "  ports:\n"
        "    - port: 80\n"
    ),
    "k8s/base/worker.yaml": (
        "apiVersion: batch/v1\n"
        "kind: CronJob\n"
        "metadata:\n"
        "  name: cleanup\n"
        "spec:\n"
        '  schedule: "0 3 * * *"\n'
        "  jobTemplate:\n"
        "    spec:\n"
        "      template:\n"
        "        spec:\n"
        "          restartPolicy: OnFailure\n"
        "          containers:\n"
        "            - name: worker\n"
        "              image: registry.example/worker:1.0.0\n"
    ),
}

STAGING = (
    "# Staging: Flux image automation moves the tags below.\n"
    "apiVersion: kustomize.config.k8s.io/v1beta1\n"
    "kind: Kustomization\n"
    "namespace: staging\n"
    "resources:\n"
    "  - ../../base\n"
    "images:\n"
    "  - name: registry.example/app\n"
    '    newTag: "1.4.0" # {"$imagepolicy": "flux-system:app:tag"}\n'
    f'    digest: {APP_DIGEST} # {{"$imagepolicy": "flux-system:app:digest"}}\n'
    "  - name: registry.example/worker\n"
    "    newName: mirror.example/worker\n"
    "    newTag: '2.1.0'\n"
    "  - name: registry.example/proxy\n"
    '    newTag: "2.10"\n'
)

PRODUCTION = (
    "---\n"
    "# Production: changed only by relkit promote-env (reviewed pull requests).\n"
    "apiVersion: kustomize.config.k8s.io/v1beta1\n"
    "kind: Kustomization\n"
    "namespace: production\n"
    "\n"
    "resources:\n"
    "- ../../base\n"
    "replicas:\n"
    "- name: web\n"
    "  count: 4\n"
    "images:\n"
    "# the web application, pinned by digest\n"
    "- name: registry.example/app\n"
    '  newTag: 1.3.2 # {"$imagepolicy": "flux-system:app-prod:tag"}\n'
    f"  digest: {OLD_APP_DIGEST}\n"
    "- name: registry.example/worker   # batch jobs\n"
    "  newName: mirror.example/worker\n"
    '  newTag: "2.0.0"\n'
    "---\n"
    "# end of the production overlay\n"
)

PRODUCTION_EU = (
    "apiVersion: kustomize.config.k8s.io/v1beta1\n"
    "kind: Kustomization\n"
    "nameSuffix: -eu\n"
    "resources:\n"
    "  - ../production\n"
)

FILES: dict[str, str] = {
    **BASE,
    "k8s/environments/staging/kustomization.yaml": STAGING,
    "k8s/environments/production/kustomization.yaml": PRODUCTION,
    "k8s/environments/production-eu/kustomization.yaml": PRODUCTION_EU,
}
