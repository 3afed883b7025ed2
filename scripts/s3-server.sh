#!/usr/bin/env bash
# Builds versitygw (an S3-compatible server; its posix backend keeps objects as plain files) and
# prints the binary's path. Dev mode and the backup tests start it on loopback as the object store
# for tenant database backups.
set -euo pipefail
VERSION="${WINGU_VERSITYGW_VERSION:-1.8.0}"
exec bash "$(dirname "$0")/go-tool.sh" versitygw "github.com/versity/versitygw/cmd/versitygw@v$VERSION" \
  "${WINGU_VERSITYGW_DIR:-$HOME/.cache/wingu/versitygw/$VERSION}"
