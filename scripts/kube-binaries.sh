#!/usr/bin/env bash
# Builds kube-apiserver, kubectl and etcd from their Go modules and places them where
# Fabric8's kube-api-test looks for them: ~/.kubeapitest/k8s/<1.N.P>-linux-amd64/; beside them
# kube-controller-manager, kube-scheduler, kubelet and kube-proxy for the one-node cluster (dev/LocalCluster).
# kube-api-test would download them itself, but these machines reach only package registries.
# Idempotent: a second run with the binaries present does nothing; a folder missing some of them
# gets only those built.
set -euo pipefail

KUBE_VERSION="${WINGU_KUBE_VERSION:-1.35.4}"   # keep in step with KubeBinaries.VERSION in the Java code
ARCH=amd64
TARGET="${KUBE_API_TEST_DIR:-$HOME/.kubeapitest}/k8s/${KUBE_VERSION}-linux-${ARCH}"
WORK="${WINGU_KUBE_BUILD_DIR:-$HOME/.cache/wingu/kube-build/${KUBE_VERSION}}"

say() { printf 'kube-binaries: %s\n' "$*" >&2; }

KUBE_COMMANDS="kube-apiserver kubectl kube-controller-manager kube-scheduler kubelet kube-proxy"
missing=""
for b in $KUBE_COMMANDS etcd pause coredns; do [ -x "$TARGET/$b" ] || missing="$missing $b"; done
[ -n "$missing" ] || exit 0
command -v go >/dev/null || { say "Go is needed to build the Kubernetes test binaries offline; install Go ≥ 1.25"; exit 1; }

say "building${missing} (Kubernetes v${KUBE_VERSION}) into $TARGET (first time only; takes several minutes)"
mkdir -p "$WORK/kube" "$WORK/etcd" "$TARGET"
export GOFLAGS="${GOFLAGS:-} -mod=mod"
export CGO_ENABLED=0

# --- kube-apiserver and kubectl -------------------------------------------------------------
# k8s.io/kubernetes requires its staging modules at v0.0.0 with local replaces, so `go install`
# of it fails; a throw-away module requires it and replaces each staging module with v0.N.P.
minor="${KUBE_VERSION#*.}"; minor="${minor%%.*}"; patch="${KUBE_VERSION##*.}"
staging_version="v0.${minor}.${patch}"
cd "$WORK/kube"
if [ ! -f go.mod ]; then
  go mod init wingu.local/kubebuild >/dev/null 2>&1
fi
go mod edit -require="k8s.io/kubernetes@v${KUBE_VERSION}"
say "resolving k8s.io/kubernetes v${KUBE_VERSION}"
kmod=$(go mod download -json "k8s.io/kubernetes@v${KUBE_VERSION}" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p')
kdir=$(go mod download -json "k8s.io/kubernetes@v${KUBE_VERSION}" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')
for m in $(sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\1#p' "$kmod"); do
  go mod edit -replace="${m}=${m}@${staging_version}"
done
cat > tools.go <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubelet"
	_ "k8s.io/kubernetes/cmd/kube-proxy"
	_ "k8s.io/kubectl/pkg/cmd"
)
GO
go mod tidy >/dev/null 2>&1 || true
ldflags="-s -w -X k8s.io/component-base/version.gitVersion=v${KUBE_VERSION} -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=${minor} -X k8s.io/client-go/pkg/version.gitVersion=v${KUBE_VERSION}"
# each binary lands under its final name only when its build succeeded (kubelet runs fine without cgo)
for b in $KUBE_COMMANDS; do
  [ -x "$TARGET/$b" ] && continue
  say "compiling $b"
  go build -trimpath -ldflags "$ldflags" -o "$TARGET/$b.tmp" "k8s.io/kubernetes/cmd/$b"
  mv "$TARGET/$b.tmp" "$TARGET/$b"
done

# --- pause: the pod sandbox's program, from Kubernetes' own source, linked statically ----------
# (a one-file image built from it is the node's sandbox image, since no registry is reachable)
if [ ! -x "$TARGET/pause" ]; then
  if command -v gcc >/dev/null && [ -f /usr/lib/x86_64-linux-gnu/libc.a ]; then
    say "compiling pause"
    gcc -Os -static -DVERSION="v${KUBE_VERSION}-wingu" -o "$TARGET/pause.tmp" "$kdir/build/pause/linux/pause.c"
    strip "$TARGET/pause.tmp" 2>/dev/null || true
    mv "$TARGET/pause.tmp" "$TARGET/pause"
  else
    say "skipping pause: gcc with a static libc is missing (scripts/install-node-packages.sh installs it); only the one-node cluster needs it"
  fi
fi

# --- etcd: its own module so the two dependency sets never mix ----------------------------
if [ ! -x "$TARGET/etcd" ]; then
etcd_version=$(awk '/- name: "etcd"/{f=1} f && /version:/{gsub(/[" ]/,"",$2); print $2; exit}' "$kdir/build/dependencies.yaml")
etcd_version="${etcd_version%%-*}"
[ -n "$etcd_version" ] || { say "could not read the etcd version from $kdir/build/dependencies.yaml"; exit 1; }
say "compiling etcd v${etcd_version} (the version Kubernetes v${KUBE_VERSION} names)"
cd "$WORK/etcd"
[ -f go.mod ] || go mod init wingu.local/etcdbuild >/dev/null 2>&1
cat > main.go <<'GO'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
go mod edit -require="go.etcd.io/etcd/server/v3@v${etcd_version}"
go mod tidy >/dev/null
go build -trimpath -ldflags "-s -w" -o "$TARGET/etcd.tmp" .
mv "$TARGET/etcd.tmp" "$TARGET/etcd"
fi

# --- CoreDNS: the cluster's DNS (the one-node cluster runs it on the node's address) --------
# Its own module, with only the plugins LocalCluster's Corefile names (bind, errors, kubernetes):
# CoreDNS's plugin list is compiled in, and the full list pulls in every cloud provider's SDK.
COREDNS_VERSION="${WINGU_COREDNS_VERSION:-1.14.7}"
if [ ! -x "$TARGET/coredns" ]; then
say "compiling coredns v${COREDNS_VERSION}"
mkdir -p "$WORK/coredns"
cd "$WORK/coredns"
[ -f go.mod ] || go mod init wingu.local/corednsbuild >/dev/null 2>&1
cat > main.go <<'GO'
package main

import (
	"github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/coremain"
	_ "github.com/coredns/coredns/plugin/bind"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/kubernetes"
)

// only the plugins the one-node cluster's Corefile names, in CoreDNS's own order
func init() { dnsserver.Directives = []string{"bind", "errors", "kubernetes"} }

func main() { coremain.Run() }
GO
go mod edit -require="github.com/coredns/coredns@v${COREDNS_VERSION}"
go mod tidy >/dev/null
go build -trimpath -ldflags "-s -w" -o "$TARGET/coredns.tmp" .
mv "$TARGET/coredns.tmp" "$TARGET/coredns"
fi

"$TARGET/kube-apiserver" --version >&2
say "done: $TARGET"
