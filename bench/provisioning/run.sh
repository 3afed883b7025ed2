#!/usr/bin/env bash
# Provisioning benchmark (issue: provisioning). Provisions N tenants (one site and one database
# each) on a real kube-apiserver + etcd and real PostgreSQL, next to kubectl apply --server-side of
# the same objects, then resyncs the unchanged tenants counting writes at the Kubernetes client.
# Approvals arrive at BENCH_RATE per second; each tenant's time-to-ready counts from its own approval.
# Usage: bench/provisioning/run.sh  (BENCH_SIZES=200,1000 BENCH_RATE=25 BENCH_WORKERS=8 BENCH_KUBECTL=8)
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/jdk.sh
bash scripts/kube-binaries.sh
mvn -B -q -DskipTests install -pl control-plane -am
mvn -B -q -pl control-plane exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=io.wingu.controlplane.bench.ProvisioningBench -Dbench.sizes="${BENCH_SIZES:-200,1000}" \
  -Dbench.workers="${BENCH_WORKERS:-8}" -Dbench.kubectl="${BENCH_KUBECTL:-8}" -Dbench.rate="${BENCH_RATE:-25}"
