#!/usr/bin/env bash
# Builds kube-score (the Kubernetes object checker KubeScoreIT runs over the chart and a tenant's
# objects) and prints the binary's path.
set -euo pipefail
VERSION="${WINGU_KUBE_SCORE_VERSION:-1.20.0}"
exec bash "$(dirname "$0")/go-tool.sh" kube-score "github.com/zegl/kube-score/cmd/kube-score@v$VERSION" \
  "${WINGU_KUBE_SCORE_DIR:-$HOME/.cache/wingu/kube-score/$VERSION}"
