#!/usr/bin/env bash
# Usage benchmark (issue: node agent and usage). Ingestion sustained for BENCH_SECONDS (60) at each
# of BENCH_RATES reports per second of 150 pods each (open loop), then the latency of one
# institution's usage over a year of hourly rollups. The agent's own footprint next to
# prometheus-node-exporter is measured by bench/agent/footprint.sh.
source "$(dirname "$0")/../java-bench.sh"
run_java_bench UsageBench -Dbench.seconds="${BENCH_SECONDS:-60}" -Dbench.rates="${BENCH_RATES:-200,350,500}"
