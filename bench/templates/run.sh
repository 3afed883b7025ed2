#!/usr/bin/env bash
# Site build benchmark of the templates module: time of one site revision (render + tar.gz +
# SHA-256, p50/p99) and of rebuilding many different sites after a template version change.
# Usage: bench/templates/run.sh [runs=50] [sites=500]. Run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

mvn -B -q -pl templates -am test-compile -DskipTests
CP_FILE=templates/target/bench-classpath.txt
mvn -B -q -pl templates dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$CP_FILE"
exec "$JAVA" -Xms512m -Xmx2g -cp "templates/target/classes:templates/target/test-classes:$(cat "$CP_FILE")" \
  io.wingu.templates.bench.TemplateBench "$@"
