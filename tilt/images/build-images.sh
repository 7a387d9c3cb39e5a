#!/usr/bin/env bash
# Builds Stockade's service images as tarballs with Quarkus' Jib extension: no Docker engine, no
# registry. One command from the repository root (tilt/images/README.md):
#
#   tilt/images/build-images.sh [SERVICE...]    (default: every service whose pom has quarkus-container-image-jib)
#
# 1. the base image tarballs, if missing (build-base.sh: debootstrap, needs root)
# 2. ./mvnw -pl services/<svc>,... -am package -DskipTests -Dquarkus.container-image.build=true, with
#    docker-load-to-tar.sh standing in for `docker load`  -> tilt/images/target/stockade-<svc>-0.1.0.tar
# 3. check-image.py on each tarball (layers, entrypoint, user, ports, files)
#
# Extra Maven flags go in MAVEN_ARGS (e.g. MAVEN_ARGS=-o). To push to a registry instead, run
# Maven yourself with -Dquarkus.container-image.push=true (k8s/README.md, "Images").
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
export STOCKADE_IMAGE_DIR=${STOCKADE_IMAGE_DIR:-$HERE/target}
cd "$ROOT"

services=("$@")
if [ ${#services[@]} -eq 0 ]; then
  for pom in services/*/pom.xml; do
    grep -q '<artifactId>quarkus-container-image-jib</artifactId>' "$pom" && services+=("$(basename "$(dirname "$pom")")")
  done
fi
[ ${#services[@]} -gt 0 ] || { echo "no service module has quarkus-container-image-jib" >&2; exit 1; }

bases=(jvm)
modules=()
for s in "${services[@]}"; do
  [ -f "services/$s/pom.xml" ] || { echo "no module services/$s" >&2; exit 1; }
  [ "$s" = agent ] && bases+=(agent)
  modules+=("services/$s")
done
"$HERE/build-base.sh" --if-missing "${bases[@]}"

for s in "${services[@]}"; do rm -f "$STOCKADE_IMAGE_DIR/stockade-$s-0.1.0.tar"; done
(IFS=,; set -x; ./mvnw -q -pl "${modules[*]}" -am package -DskipTests \
  -Dquarkus.container-image.build=true \
  -Dquarkus.jib.docker-executable-name="$HERE/docker-load-to-tar.sh")

failed=0
for s in "${services[@]}"; do
  "$HERE/check-image.py" "$s" "$STOCKADE_IMAGE_DIR/stockade-$s-0.1.0.tar" || failed=1
done
ls -l "$STOCKADE_IMAGE_DIR"/stockade-*-0.1.0.tar
exit $failed
