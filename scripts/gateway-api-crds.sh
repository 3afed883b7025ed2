#!/usr/bin/env bash
# Puts the CRD files of a pinned Gateway API release (standard channel: GatewayClass, Gateway,
# HTTPRoute, ListenerSet, ReferenceGrant…) into a cache folder and prints the folder on stdout.
# The files are the release's own: its Go module (sigs.k8s.io/gateway-api) carries config/crd/,
# and the Go toolchain fetches the module through the module proxy. Nothing is copied into the repo.
# The integration tests (GatewayRoutingIT, TenantGuardrailsIT) install them into the test
# kube-apiserver. Idempotent: with the files present it only prints the folder.
set -euo pipefail

VERSION="${WINGU_GATEWAY_API_VERSION:-v1.6.3}"   # keep in step with testing/GatewayApiCrds.java
TARGET_DIR="${WINGU_GATEWAY_API_DIR:-$HOME/.cache/wingu/gateway-api}/$VERSION/standard"

say() { printf 'gateway-api-crds: %s\n' "$*" >&2; }

if [ -f "$TARGET_DIR/gateway.networking.k8s.io_httproutes.yaml" ] \
  && [ -f "$TARGET_DIR/gateway.networking.k8s.io_listenersets.yaml" ]; then
  echo "$TARGET_DIR"
  exit 0
fi
command -v go >/dev/null || { say "Go is needed to fetch the Gateway API module; install Go >= 1.23"; exit 1; }
say "fetching the Gateway API $VERSION CRDs from its Go module"
# a throwaway module: `go mod download` of a bare path needs no go.mod of ours
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dir=$(cd "$work" && GOFLAGS=-mod=mod go mod download -json "sigs.k8s.io/gateway-api@$VERSION" \
  | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -d "$dir/config/crd/standard" ] || { say "the module has no config/crd/standard folder ($dir)"; exit 1; }
mkdir -p "$TARGET_DIR.tmp"
for f in "$dir"/config/crd/standard/gateway.networking.k8s.io_*.yaml; do
  # the CRDs only (the release's upgrade-guard admission policy is the cluster owner's choice)
  grep -q '^kind: CustomResourceDefinition' "$f" && cp "$f" "$TARGET_DIR.tmp/"
done
rm -rf "$TARGET_DIR"
mv "$TARGET_DIR.tmp" "$TARGET_DIR"
echo "$TARGET_DIR"
