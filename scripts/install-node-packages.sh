#!/usr/bin/env bash
# Installs what the one-node cluster (dev/LocalCluster) runs beside the Kubernetes binaries:
# Debian's containerd (with ctr), runc and the CNI plugins (bridge, host-local), and a C compiler
# with static libc that builds the sandbox (pause) image from Kubernetes' own pause.c, and ipset,
# which kube-router's network-policy controller (scripts/netpol-binaries.sh) calls.
# Idempotent: does nothing when all of them are already installed.
set -euo pipefail

if command -v containerd >/dev/null && command -v ctr >/dev/null && command -v runc >/dev/null \
  && [ -x /usr/lib/cni/bridge ] && [ -x /usr/lib/cni/host-local ] && command -v gcc >/dev/null \
  && [ -f /usr/lib/x86_64-linux-gnu/libc.a ] && command -v ipset >/dev/null; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-node-packages: containerd, runc, the CNI plugins, gcc and ipset are missing and installing them needs root (run: sudo $0)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# --no-install-recommends: containerd must not pull in a second service set; nothing is enabled or started here
apt-get install -y -q --no-install-recommends containerd runc containernetworking-plugins gcc libc6-dev ipset
