# syntax=docker/dockerfile:1
# The argocd-secret-plugin sidecar image: Node 24 (maintained LTS), the bundled CLI, pinned helm,
# kustomize and sops, git and CA certificates, running as uid 999 with a writable
# HOME under /tmp. Argo CD starts it with `command: [/var/run/argocd/argocd-cmp-server]`
# (the binary comes from the repo-server's shared var-files volume), which reads
# /home/argocd/cmp-server/config/plugin.yaml (docs/design/argocd-cmp-contract.md).
#
# Tool versions: keep equal to scripts/tool-versions.env (the tests use those;
# test/integration/dockerfile.test.ts checks that both agree).
ARG HELM_VERSION=v3.19.0
ARG KUSTOMIZE_VERSION=v5.7.1
ARG SOPS_VERSION=v3.13.3
# Node 24, the maintained LTS: the image runs the bundle with Node's compile
# cache (Node 20, the floor in package.json, runs the same dist/ without it).
# CI runs the integration suite under this Node too (IMAGE_NODE_VERSION).
ARG NODE_IMAGE=node:24-bookworm-slim
ARG GO_IMAGE=golang:1.24-bookworm

# --- build: bundle the CLI and each backend's SDK into dist/ (self-contained:
# the image carries no node_modules, see docs/performance.md)
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json ./
COPY scripts/build.mjs scripts/warm-code-cache.js scripts/
COPY src/ src/
# Shown by `argocd-secret-plugin version` (build args reach RUN as environment
# variables): docker build --build-arg PLUGIN_COMMIT=$(git rev-parse HEAD) .
ARG PLUGIN_COMMIT=""
ARG PLUGIN_BUILD_DATE=""
RUN npm run build

# --- tools: helm, kustomize and sops (AVP_TYPE=sops) from source at the pinned versions
FROM ${GO_IMAGE} AS tools
ARG HELM_VERSION
ARG KUSTOMIZE_VERSION
ARG SOPS_VERSION
ENV CGO_ENABLED=0 GOBIN=/out
RUN go install -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=${HELM_VERSION}" \
      "helm.sh/helm/v3/cmd/helm@${HELM_VERSION}" \
 && go install -ldflags "-s -w" "sigs.k8s.io/kustomize/kustomize/v5@${KUSTOMIZE_VERSION}" \
 && go install -ldflags "-s -w" "github.com/getsops/sops/v3/cmd/sops@${SOPS_VERSION}" \
 && /out/helm version --short && /out/kustomize version \
 && /out/sops --version --disable-version-check

# --- the sidecar image
FROM ${NODE_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates git \
 && rm -rf /var/lib/apt/lists/*
COPY --from=tools /out/helm /out/kustomize /out/sops /usr/local/bin/
WORKDIR /opt/argocd-secret-plugin
COPY --from=build /src/dist/ dist/
# Compiled code is cached here at build time, by root, and only read at run
# time (uid 999 cannot write it, and no Application setting can move it):
# each run then skips most of V8's compile work. An operator may point the
# variable elsewhere, or unset it to run uncached.
ENV ARGOCD_SECRET_PLUGIN_COMPILE_CACHE=/opt/argocd-secret-plugin/compile-cache
RUN printf '#!/bin/sh\nexec node /opt/argocd-secret-plugin/dist/cli.cjs "$@"\n' \
      > /usr/local/bin/argocd-secret-plugin \
 && chmod 0755 /usr/local/bin/argocd-secret-plugin \
 && argocd-secret-plugin version \
 && printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: warm\ndata:\n  k: <path:warm#k>\n' > /tmp/warm.yaml \
 && printf 'warm:\n  k: v\n' > /tmp/warm-secrets.yaml \
 && AVP_TYPE=file AVP_FILE_PATH=/tmp/warm-secrets.yaml argocd-secret-plugin generate /tmp/warm.yaml >/dev/null \
 && node -e 'require("node:module").enableCompileCache(process.env.ARGOCD_SECRET_PLUGIN_COMPILE_CACHE); for (const f of require("node:fs").readdirSync("dist/backends")) if (f.endsWith(".cjs")) require("./dist/backends/" + f)' \
 && rm /tmp/warm.yaml /tmp/warm-secrets.yaml \
 && chmod -R a+rX,go-w /opt/argocd-secret-plugin
COPY plugin.yaml /home/argocd/cmp-server/config/plugin.yaml

# uid 999 has no passwd entry and the pod gives the sidecar its own emptyDir at
# /tmp: HOME and Helm's directories live there (the plugin creates HOME when
# missing). NODE_ENV only affects libraries; the plugin reads no other default.
ENV HOME=/tmp/argocd-secret-plugin-home \
    HELM_CACHE_HOME=/tmp/argocd-secret-plugin-home/.cache/helm \
    HELM_CONFIG_HOME=/tmp/argocd-secret-plugin-home/.config/helm \
    HELM_DATA_HOME=/tmp/argocd-secret-plugin-home/.local/share/helm \
    NODE_ENV=production
USER 999:999
WORKDIR /home/argocd
# Argo CD overrides the command with /var/run/argocd/argocd-cmp-server; the same
# default here keeps `docker run` honest and drops the node image's entrypoint.
ENTRYPOINT []
CMD ["/var/run/argocd/argocd-cmp-server"]
