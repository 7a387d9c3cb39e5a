#!/usr/bin/env bash
# Stands in for `docker` so that Quarkus' Jib extension writes image tarballs with no Docker engine
# and no registry (tilt/images/README.md). Quarkus builds "to the Docker daemon" when push is off,
# and Jib then pipes the finished image, a `docker save` tarball, into `<docker> load`;
# with -Dquarkus.jib.docker-executable-name=<this file> that tarball lands in
#   $STOCKADE_IMAGE_DIR/<name>-<tag>.tar      (default tilt/images/target), e.g. stockade-listener-0.1.0.tar
# These are the same bytes `jib:buildTar` writes: `docker load -i` or `k3d image import` take them.
# Only the two commands Jib sends to a daemon it builds for are answered: load and info.
set -euo pipefail
dir=${STOCKADE_IMAGE_DIR:-$(cd "$(dirname "$0")" && pwd)/target}
case "${1:-}" in
  load)
    mkdir -p "$dir"
    tmp=$(mktemp "$dir/.load.XXXXXX")
    trap 'rm -f "$tmp"' EXIT
    cat >"$tmp"
    ref=$(tar -xOf "$tmp" manifest.json | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["RepoTags"][0])')
    name=${ref##*/}                     # ghcr.io/stockade/stockade-listener:0.1.0 -> stockade-listener:0.1.0
    out="$dir/${name%%:*}-${name##*:}.tar"
    chmod 0644 "$tmp"
    mv "$tmp" "$out"
    trap - EXIT
    echo "Loaded image: $ref"
    echo "Wrote $out" >&2
    ;;
  info)
    # What `docker info -f '{{json .}}'` says about the platform; Jib picks the base image's for it.
    printf '{"OSType":"linux","Architecture":"%s"}\n' "$(uname -m)"
    ;;
  *)
    echo "docker-load-to-tar.sh is not Docker: it answers only 'load' and 'info', not: $*" >&2
    exit 1
    ;;
esac
