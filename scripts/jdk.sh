# Sourced by ./wingu and the bench scripts: exports JAVA_HOME of a JDK >= 21
# (JAVA_HOME first, then the newest under /usr/lib/jvm) and puts it first on PATH.
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }

# A JDK >= 21: JAVA_HOME first, then the newest under /usr/lib/jvm.
pick_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(java_major "$JAVA_HOME")" -ge 21 ] 2>/dev/null; then
    return
  fi
  local best="" best_v=0 d v
  for d in /usr/lib/jvm/*; do
    [ -x "$d/bin/javac" ] || continue
    v=$(java_major "$d"); v=${v%%.*}
    if [ -n "$v" ] && [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best=$d; best_v=$v; fi
  done
  [ -n "$best" ] || { echo "wingu: no JDK 21 or newer found: install one and set JAVA_HOME" >&2; exit 1; }
  export JAVA_HOME=$best
}

pick_jdk
export PATH="$JAVA_HOME/bin:$PATH"
