# Sourced by the bench/*/run.sh scripts: builds the control plane and runs one of the benchmark
# mains in its test sources. Usage: run_java_bench <MainClass> [-Dbench.x=y ...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/jdk.sh
bash scripts/kube-binaries.sh

run_java_bench() {
  local main=$1
  shift
  mvn -B -q -DskipTests install -pl control-plane -am
  mvn -B -q -pl control-plane exec:java -Dexec.classpathScope=test \
    -Dexec.mainClass="io.wingu.controlplane.bench.$main" "$@"
}
