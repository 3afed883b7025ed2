#!/usr/bin/env bash
# Builds Mailpit, the SMTP server the notification tests, the benchmark and dev mode deliver mail
# to, and prints the binary's path. It keeps every message it receives and shows them over an
# HTTP API on loopback, which the tests read.
set -euo pipefail
VERSION="${WINGU_MAILPIT_VERSION:-1.33.1}"
exec bash "$(dirname "$0")/go-tool.sh" mailpit "github.com/axllent/mailpit@v$VERSION" \
  "${WINGU_MAILPIT_DIR:-$HOME/.cache/wingu/mailpit}/$VERSION"
