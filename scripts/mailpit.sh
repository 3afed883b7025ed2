#!/usr/bin/env bash
# Builds Mailpit, the SMTP server the notification tests, the benchmark and dev mode deliver mail
# to, from its Go module into a cache folder, and prints the binary's path on stdout. It keeps
# every message it receives and shows them over an HTTP API on loopback, which the tests read.
# These machines reach only package registries, so a release binary is not an option.
# Idempotent: a second run with the binary present only prints its path.
set -euo pipefail

VERSION="${WINGU_MAILPIT_VERSION:-1.33.1}"
TARGET_DIR="${WINGU_MAILPIT_DIR:-$HOME/.cache/wingu/mailpit}/$VERSION"
BIN="$TARGET_DIR/mailpit"

say() { printf 'mailpit: %s\n' "$*" >&2; }

if [ ! -x "$BIN" ]; then
  command -v go >/dev/null || { say "Go is needed to build Mailpit; install Go >= 1.23"; exit 1; }
  say "building Mailpit v$VERSION from its Go module into $TARGET_DIR (first time only; takes minutes)"
  mkdir -p "$TARGET_DIR"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  # GOBIN puts the binary in a temporary folder; the final name appears only for a finished build
  CGO_ENABLED=0 GOBIN="$tmp" go install -trimpath -ldflags "-s -w" "github.com/axllent/mailpit@v$VERSION"
  mv "$tmp/mailpit" "$BIN"
fi
echo "$BIN"
