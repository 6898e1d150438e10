# Sourced by ./mvnw. NiFi 2.x (and so this build) needs a JDK 21 or newer. When JAVA_HOME is
# unset or older, look for the newest suitable JDK in the usual install locations and use it.

pd_java_major() {
  # Reads the feature version from the JDK's release file, falling back to asking java itself.
  pd_v=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$1/release" 2>/dev/null)
  [ -n "$pd_v" ] || pd_v=$("$1/bin/java" -version 2>&1 | sed -n '1s/.*version "\([0-9][0-9]*\).*/\1/p')
  printf %s "${pd_v:-0}"
}

pd_usable() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] && [ "$(pd_java_major "$1")" -ge 21 ]
}

if [ -z "${JAVA_HOME-}" ] || ! pd_usable "$JAVA_HOME"; then
  pd_best= pd_best_v=0
  pd_javac=$(command -v javac 2>/dev/null || :)
  [ -z "$pd_javac" ] || pd_javac_home=$(dirname "$(dirname "$(readlink -f "$pd_javac")")")
  set +f # mvnw turns globbing off; the candidate list needs it
  for pd_home in ${JAVA_HOME-} ${pd_javac_home-} /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* \
      "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    if pd_usable "$pd_home"; then
      pd_v=$(pd_java_major "$pd_home")
      if [ "$pd_v" -gt "$pd_best_v" ]; then pd_best=$pd_home pd_best_v=$pd_v; fi
    fi
  done
  set -f
  if [ -z "$pd_best" ]; then
    echo "nifi-publicdata needs a JDK 21 or newer (Apache NiFi 2.x runs on Java 21+)." >&2
    echo "No JDK 21+ found in JAVA_HOME, on the PATH or under /usr/lib/jvm, /usr/java, /opt, ~/.sdkman, ~/.jdks." >&2
    echo "Install one (e.g. 'apt-get install openjdk-21-jdk-headless' or Temurin 21/25 from https://adoptium.net)" >&2
    echo "and either put it in one of those places or set JAVA_HOME to it." >&2
    exit 1
  fi
  [ -z "${JAVA_HOME-}" ] || echo "JAVA_HOME=$JAVA_HOME is older than Java 21; using $pd_best" >&2
  JAVA_HOME=$pd_best
  export JAVA_HOME
fi

# Maven's own Guice warns about sun.misc.Unsafe on Java 24+; the warning is harmless, silence it there
if [ "$(pd_java_major "$JAVA_HOME")" -ge 24 ]; then
  MAVEN_OPTS="${MAVEN_OPTS-} --sun-misc-unsafe-memory-access=allow"
  export MAVEN_OPTS
fi
