#!/usr/bin/env bash
# Footprint of the Wingu node agent next to Debian's prometheus-node-exporter on this machine:
# resident memory and CPU time per collection (agent: one report of 100 pods; node exporter: one scrape).
#   usage: bench/agent/footprint.sh [collections]     (default 30; each takes one second)
# Needs JAVA_HOME (JDK 21+) or java/javac on PATH, Maven, curl; installs prometheus-node-exporter with apt if missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
N=${1:-30}
TCK=$(getconf CLK_TCK)
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
PORT=19187

echo "building the agent (and its test classes, which hold the bench)" >&2
mvn -B -q -pl agent -am package -DskipTests >&2

echo "agent: 100 pods, 1 s interval, $N measured collections after 5 of warm-up" >&2
# the bench's own class path (its fake control plane reads reports with jackson-databind, a test dependency)
test_cp=$(mktemp)
mvn -B -q -pl agent dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$test_cp" >&2
agent_line=$("$JAVA" -Dwingu.agent.launcher="$ROOT/agent/bin/wingu-agent" -Dwingu.agent.jar="$ROOT/agent/target/wingu-agent.jar" \
  -cp "$ROOT/agent/target/test-classes:$ROOT/agent/target/classes:$(cat "$test_cp")" \
  io.wingu.agent.bench.FootprintBench "$N" "$TCK")
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$agent_line"; }

if ! command -v prometheus-node-exporter >/dev/null; then
  echo "installing prometheus-node-exporter" >&2
  apt-get update -q >&2
  apt-get install -y -q prometheus-node-exporter >&2
fi
echo "prometheus-node-exporter: $N scrapes, one a second, after 2 of warm-up" >&2
prometheus-node-exporter --web.listen-address=127.0.0.1:$PORT >/dev/null 2>&1 &
ne=$!
trap 'kill $ne 2>/dev/null; wait $ne 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/metrics" && break; sleep 0.2; done
curl -sf -o /dev/null "http://127.0.0.1:$PORT/metrics"
ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$ne/stat"; }
t0=$(ticks)
for _ in $(seq "$N"); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/metrics"; sleep 1; done
t1=$(ticks)
ne_rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$ne/status")
ne_hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$ne/status")
ne_ms=$(awk -v d=$((t1 - t0)) -v n="$N" -v t="$TCK" 'BEGIN { printf "%.2f", d * 1000 / t / n }')
ne_bytes=$(curl -sf "http://127.0.0.1:$PORT/metrics" | wc -c)

mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
echo
printf '%-34s %10s %15s %22s %16s\n' "process" "RSS MiB" "peak RSS MiB" "CPU ms / collection" "output bytes"
printf '%-34s %10s %15s %22s %16s\n' "wingu-agent ($(field pods) pods)" "$(mib "$(field rss_kib)")" "$(mib "$(field hwm_kib)")" \
  "$(field cpu_ms_per_collection)" "$(field report_bytes)"
printf '%-34s %10s %15s %22s %16s\n' "prometheus-node-exporter (scrape)" "$(mib "$ne_rss")" "$(mib "$ne_hwm")" "$ne_ms" "$ne_bytes"
echo
echo "targets for the agent: RSS <= 48 MiB, CPU <= 20 ms per collection with 100 pods; $(nproc) CPUs, CLK_TCK $TCK, $N collections"
