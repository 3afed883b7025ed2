#!/usr/bin/env bash
# Usage benchmark (issue: node agent and usage). Ingestion sustained for BENCH_SECONDS (60) at each
# of BENCH_RATES reports per second of 150 pods each (open loop), then the latency of one
# institution's usage over a year of hourly rollups. The agent's own footprint next to
# prometheus-node-exporter is measured by bench/agent/footprint.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/jdk.sh
bash scripts/kube-binaries.sh
mvn -B -q -DskipTests install -pl control-plane -am
mvn -B -q -pl control-plane exec:java -Dexec.classpathScope=test \
  -Dexec.mainClass=io.wingu.controlplane.bench.UsageBench -Dbench.seconds="${BENCH_SECONDS:-60}" \
  -Dbench.rates="${BENCH_RATES:-200,350,500}"
