#!/usr/bin/env bash
# Scale benchmark (issue 24): a real kube-apiserver + etcd with kube-controller-manager,
# kube-scheduler and kwok simulating BENCH_NODES nodes (kwok's own Stage definitions make nodes and
# pods Ready); BENCH_INSTITUTIONS institutions made through the API, their site requests approved
# at BENCH_RATE per second and revision 1 deployed at once, each timed to its site's Available;
# then the control plane's heap after a full GC, the objects in its informers, a full resync and
# its writes, and agents' usage reports from every node (BENCH_PODS_PER_NODE pods, one report
# every 15 s each, BENCH_USAGE_WINDOWS windows of 60 s). Prints one table.
# Usage: bench/scale/run.sh   (BENCH_NODES=1000 BENCH_INSTITUTIONS=2000 BENCH_RATE=3
#        BENCH_PODS_PER_NODE=30 BENCH_USAGE_WINDOWS=2 BENCH_DATA_DIR=/var/tmp)
source "$(dirname "$0")/../java-bench.sh"
kwok=$(bash scripts/kwok-binary.sh)
# sites are routed by Gateway API (the default): the pinned release's CRDs go into the API server
WINGU_GATEWAY_API_CRDS=$(bash scripts/gateway-api-crds.sh)
export WINGU_GATEWAY_API_CRDS
run_java_bench ScaleBench -Dbench.nodes="${BENCH_NODES:-1000}" -Dbench.institutions="${BENCH_INSTITUTIONS:-2000}" \
  -Dbench.rate="${BENCH_RATE:-3}" -Dbench.podsPerNode="${BENCH_PODS_PER_NODE:-30}" \
  -Dbench.usageWindows="${BENCH_USAGE_WINDOWS:-2}" -Dbench.dir="${BENCH_DATA_DIR:-/var/tmp}" \
  -Dbench.waitMinutes="${BENCH_WAIT_MINUTES:-20}" -Dbench.kwok="$kwok" -Dbench.kwokStages="$(dirname "$kwok")/stage"
