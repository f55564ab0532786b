#!/usr/bin/env bash
# Builds the CLI and runs it on examples/quickstart with the `file` backend:
# no Vault, no cloud account, nothing else to install.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent build
AVP_TYPE=file AVP_FILE_PATH=examples/quickstart/secrets.yaml \
  node dist/cli.cjs generate examples/quickstart/manifests
