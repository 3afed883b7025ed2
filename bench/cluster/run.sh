#!/usr/bin/env bash
# One-node cluster benchmark (issue 16): the real cluster's start time (binaries and images built
# before the clock starts), then small sites approved at a steady rate through the API — each
# webmaster deploying revision 1 right after the approval — timed from approval to the first
# answer of the home page from the site's own pod (p50, p99, max), and the roll of a deployment
# (revision 2 deployed → its content served), with the CPU the cluster's parts and the control
# plane used. BENCH_SITES sites (50) are measured; they take turns on the node, which holds fewer at
# the pods' requests: each waits for room before it is made and is suspended once measured.
# Usage (root, Linux): bench/cluster/run.sh   (BENCH_SITES=50 BENCH_INTERVAL_MS=2000 BENCH_ROLLS=5)
#
# Like ./wingu test it first installs what the node needs (containerd, runc, CNI plugins, gcc;
# nginx for the site image), builds the Kubernetes binaries, and builds the images with
# mvn -Pimages when they are missing or older than the sources.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
if [ "$(id -u)" -ne 0 ]; then
  echo "bench/cluster: the one-node cluster needs root (containerd, kubelet, a bridge)" >&2
  exit 1
fi
bash scripts/install-node-packages.sh
bash scripts/install-web-server.sh
source "$ROOT/bench/java-bench.sh"   # the JDK and scripts/kube-binaries.sh

site_image=$ROOT/target/site-image/wingu-site-web.tar
plane_image=$ROOT/control-plane/target/jib-image.tar
if [ ! -f "$site_image" ] || [ ! -f "$plane_image" ] \
  || [ -n "$(find pom.xml templates/pom.xml templates/src templates/catalog control-plane/pom.xml control-plane/src/main -newer "$plane_image" -print -quit)" ]; then
  echo "bench/cluster: building the images (mvn -Pimages -DskipTests install)" >&2
  mvn -B -q -Pimages -DskipTests install -pl control-plane -am
fi

run_java_bench ClusterBench -Dwingu.image.site-web="$site_image" -Dwingu.image.control-plane="$plane_image" \
  -Dbench.sites="${BENCH_SITES:-50}" -Dbench.interval="${BENCH_INTERVAL_MS:-2000}" -Dbench.rolls="${BENCH_ROLLS:-5}"
