#!/usr/bin/env bash
# Builds the NetworkPolicy enforcers the one-node cluster (dev/LocalCluster) can run, from their Go
# modules into a cache folder, and prints the folder on stdout. These machines reach only package
# registries, so release binaries and images are not an option.
#   - kube-router (cloudnativelabs), run with only its network-policy controller: iptables filter
#     chains and ipsets, which this kernel has (nftables' compat layer + ip_set).
#   - kube-network-policies (SIG Network): nftables + nfqueue. Built so it can be tried, but its
#     rules use the native nftables "queue" expression, and a kernel without CONFIG_NFT_QUEUE
#     refuses them (see README.md, "NetworkPolicies").
# Idempotent: a second run with the binaries present only prints the folder.
set -euo pipefail

KUBE_ROUTER_VERSION="${WINGU_KUBE_ROUTER_VERSION:-2.1.0}"          # keep in step with NetworkPolicyEnforcer
KNP_VERSION="${WINGU_KUBE_NETWORK_POLICIES_VERSION:-0.8.0}"
TARGET_DIR="${WINGU_NETPOL_DIR:-$HOME/.cache/wingu/netpol}"

say() { printf 'netpol-binaries: %s\n' "$*" >&2; }

build() { # name module-path version
  local name=$1 pkg=$2 version=$3 bin="$TARGET_DIR/$1-v$3"
  [ -x "$bin" ] && return 0
  command -v go >/dev/null || { say "Go is needed to build $name; install Go >= 1.23"; exit 1; }
  say "building $name v$version from its Go module into $TARGET_DIR (first time only; takes minutes)"
  local tmp
  tmp=$(mktemp -d)
  # GOBIN puts the binary in a temporary folder; the final name appears only for a finished build
  CGO_ENABLED=0 GOBIN="$tmp" go install -trimpath -ldflags "-s -w" "$pkg@v$version"
  mv "$tmp/$(basename "$pkg")" "$bin"
  rm -rf "$tmp"
}

mkdir -p "$TARGET_DIR"
build kube-router github.com/cloudnativelabs/kube-router/v2/cmd/kube-router "$KUBE_ROUTER_VERSION"
if [ "${WINGU_NETPOL_ALL:-}" = 1 ]; then
  build kube-network-policies sigs.k8s.io/kube-network-policies/cmd "$KNP_VERSION"
fi
echo "$TARGET_DIR"
