#!/usr/bin/env bash
# Builds kwok (sigs.k8s.io/kwok, cmd/kwok) from its Go module into ~/.cache/wingu/kwok/<version>/kwok
# and prints that path; bench/scale/run.sh runs it to simulate many nodes beside the real API
# server. Idempotent: with the binary present it only prints the path. kwok's own Stage
# definitions (node heartbeat, pod Ready, ...) ship in the same module, under kustomize/stage/;
# the script copies the ones the bench uses next to the binary.
set -euo pipefail

KWOK_VERSION="${WINGU_KWOK_VERSION:-0.8.0}"
TARGET="${WINGU_KWOK_DIR:-$HOME/.cache/wingu/kwok/${KWOK_VERSION}}"
say() { printf 'kwok-binary: %s\n' "$*" >&2; }

if [ -x "$TARGET/kwok" ] && [ -d "$TARGET/stage" ]; then
  echo "$TARGET/kwok"
  exit 0
fi
command -v go >/dev/null || { say "Go is needed to build kwok; install Go >= 1.25"; exit 1; }
mkdir -p "$TARGET/build"
cd "$TARGET/build"
export GOFLAGS="${GOFLAGS:-} -mod=mod"
export CGO_ENABLED=0
[ -f go.mod ] || go mod init wingu.local/kwokbuild >/dev/null 2>&1
cat > tools.go <<'GO'
//go:build tools

package tools

import _ "sigs.k8s.io/kwok/cmd/kwok"
GO
go mod edit -require="sigs.k8s.io/kwok@v${KWOK_VERSION}"
say "resolving sigs.k8s.io/kwok v${KWOK_VERSION}"
go mod tidy >/dev/null 2>&1 || true
dir=$(go mod download -json "sigs.k8s.io/kwok@v${KWOK_VERSION}" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')
if [ ! -x "$TARGET/kwok" ]; then
  say "compiling kwok (first time only; a few minutes)"
  go build -trimpath -ldflags "-s -w" -o "$TARGET/kwok.tmp" sigs.k8s.io/kwok/cmd/kwok
  mv "$TARGET/kwok.tmp" "$TARGET/kwok"
fi
rm -rf "$TARGET/stage.tmp"
mkdir -p "$TARGET/stage.tmp"
cp -r "$dir/kustomize/stage/." "$TARGET/stage.tmp/"
chmod -R u+w "$TARGET/stage.tmp"
mv "$TARGET/stage.tmp" "$TARGET/stage"
echo "$TARGET/kwok"
