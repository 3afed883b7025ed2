#!/usr/bin/env bash
# Provisioning benchmark (issue: provisioning). Provisions N tenants (one site and one database
# each) on a real kube-apiserver + etcd and real PostgreSQL, next to kubectl apply --server-side of
# the same objects, then resyncs the unchanged tenants counting writes at the Kubernetes client.
# Approvals arrive at BENCH_RATE per second; each tenant's time-to-ready counts from its own approval.
# Usage: bench/provisioning/run.sh  (BENCH_SIZES=200,1000 BENCH_RATE=25 BENCH_WORKERS=8 BENCH_KUBECTL=8)
source "$(dirname "$0")/../java-bench.sh"
run_java_bench ProvisioningBench -Dbench.sizes="${BENCH_SIZES:-200,1000}" -Dbench.workers="${BENCH_WORKERS:-8}" \
  -Dbench.kubectl="${BENCH_KUBECTL:-8}" -Dbench.rate="${BENCH_RATE:-25}"
