#!/bin/sh
# The entrypoint of every Stockade image (quarkus.jib.jvm-entrypoint), copied into the base image
# by build-base.sh. Starts the Quarkus fast-jar in the working directory with the environment
# contract of the UBI images' run-java.sh that k8s/ was written for, reduced to what Stockade uses:
#   JAVA_OPTS         the image's JVM options (set per service in its application.properties)
#   JAVA_OPTS_APPEND  added by the deployment (the manifests: -XX:MaxRAMPercentage=75.0)
#   JAVA_APP_JAR      the jar to run (default: quarkus-run.jar in the working directory)
# Arguments are passed to the application.
# shellcheck disable=SC2086  # JAVA_OPTS and JAVA_OPTS_APPEND are word-split on purpose
exec java $JAVA_OPTS $JAVA_OPTS_APPEND -jar "${JAVA_APP_JAR:-quarkus-run.jar}" "$@"
