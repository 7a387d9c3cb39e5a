#!/usr/bin/env bash
# Builds Stockade's base images without Docker and without a container registry: a minimal
# Debian bookworm root filesystem made by debootstrap from Debian's package mirror, packed as a
# one-layer image tarball in `docker save` format, which Quarkus' Jib extension takes as a base
# (quarkus.jib.base-jvm-image=tar://...). See tilt/images/README.md.
#
#   tilt/images/build-base.sh [--if-missing] [jvm|agent|all]     (default: all)
#
#   jvm    openjdk-17-jre-headless, user jboss (185:185, home /home/jboss), /opt/stockade/run-java.sh
#          -> tilt/images/target/stockade-base-jvm.tar     (listener, compiler, dispatcher)
#   agent  the same plus nftables and iproute2 (nft, ip); default user root
#          -> tilt/images/target/stockade-base-agent.tar   (agent)
#
# Needs root (debootstrap, chroot), `debootstrap` (apt-get install debootstrap) and python3.
# Environment: STOCKADE_IMAGE_DIR (output, default tilt/images/target), DEBIAN_MIRROR
# (default http://deb.debian.org/debian). The .deb files are cached in $STOCKADE_IMAGE_DIR/debs.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${STOCKADE_IMAGE_DIR:-$HERE/target}
SUITE=bookworm
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

if_missing=false
variants=()
for arg in "$@"; do
  case "$arg" in
    --if-missing) if_missing=true ;;
    jvm|agent) variants+=("$arg") ;;
    all) variants+=(jvm agent) ;;
    *) echo "usage: $0 [--if-missing] [jvm|agent|all]" >&2; exit 2 ;;
  esac
done
[ ${#variants[@]} -gt 0 ] || variants=(jvm agent)

packages_of() {
  case "$1" in
    jvm) echo openjdk-17-jre-headless ;;
    agent) echo openjdk-17-jre-headless,nftables,iproute2 ;;
  esac
}

work=""
cleanup() {
  if [ -n "$work" ] && [ -d "$work" ]; then
    # debootstrap unmounts what it mounted; this is for an interrupted run.
    for m in proc sys dev/pts dev; do
      mountpoint -q "$work/rootfs/$m" 2>/dev/null && umount -l "$work/rootfs/$m" || true
    done
    rm -rf "$work"
  fi
}
trap cleanup EXIT

build() {
  local variant=$1 tarball="$OUT/stockade-base-$1.tar"
  if $if_missing && [ -s "$tarball" ]; then
    echo "$tarball exists"
    return
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "build-base.sh: debootstrap and chroot need root" >&2
    exit 1
  fi
  command -v debootstrap >/dev/null || { echo "build-base.sh: apt-get install debootstrap" >&2; exit 1; }
  local arch
  arch=$(dpkg --print-architecture)   # amd64, arm64: the same names as OCI's
  mkdir -p "$OUT/debs"
  work=$(mktemp -d "$OUT/.work-$variant.XXXXXX")
  local root="$work/rootfs"

  echo "== $variant: debootstrap $SUITE ($(packages_of "$variant")) from $MIRROR"
  debootstrap --variant=minbase --arch="$arch" --include="$(packages_of "$variant")" \
    --cache-dir="$OUT/debs" "$SUITE" "$root" "$MIRROR" >"$work/debootstrap.log" 2>&1 \
    || { tail -30 "$work/debootstrap.log" >&2; exit 1; }

  # The services' user, as in the UBI OpenJDK images Quarkus' defaults assume.
  chroot "$root" groupadd --gid 185 jboss
  chroot "$root" useradd --no-log-init --key UID_MIN=100 --uid 185 --gid 185 --home-dir /home/jboss --create-home \
    --shell /usr/sbin/nologin --comment "Stockade services" jboss
  install -D -m 0755 "$HERE/run-java.sh" "$root/opt/stockade/run-java.sh"

  # What the image must do, checked before it is packed (java finds libjli through /proc/self/exe).
  mount -t proc proc "$root/proc"
  chroot "$root" /usr/bin/java -version 2>&1 | head -1
  test -s "$root/etc/ssl/certs/java/cacerts"
  if [ "$variant" = agent ]; then
    chroot "$root" /usr/sbin/nft --version
    chroot "$root" /usr/bin/ip -V
  fi
  umount "$root/proc"

  # Nothing a container runtime provides, nothing only apt needs.
  chroot "$root" apt-get clean
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/debconf/*-old "$root"/var/log/* \
    "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/* \
    "$root"/tmp/* "$root"/var/tmp/* "$root"/dev/* "$root"/proc/* "$root"/sys/* "$root"/run/*
  find "$root/usr/share/doc" -type f ! -name copyright -delete   # keep the licences
  : >"$root/etc/resolv.conf"
  : >"$root/etc/hostname"

  echo "== $variant: packing $tarball"
  tar --numeric-owner --sort=name --xattrs -C "$root" -cf "$work/layer.tar" .
  local user=185
  [ "$variant" = agent ] && user=0
  python3 - "$work" "$variant" "$arch" "$user" "$SUITE" "$(packages_of "$variant")" <<'PY'
import hashlib, json, sys
work, variant, arch, user, suite, packages = sys.argv[1:]
h = hashlib.sha256()
with open(work + "/layer.tar", "rb") as f:
    for chunk in iter(lambda: f.read(1 << 20), b""):
        h.update(chunk)
created = "1970-01-01T00:00:00Z"   # reproducible; Jib sets the image's own time
config = {
    "architecture": arch,
    "os": "linux",
    "created": created,
    "config": {
        "User": user,
        "Env": [
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "JAVA_HOME=/usr/lib/jvm/java-17-openjdk-" + arch,
            "LANG=C.UTF-8",
        ],
        "WorkingDir": "/home/jboss",
        "Entrypoint": ["/opt/stockade/run-java.sh"],
    },
    "rootfs": {"type": "layers", "diff_ids": ["sha256:" + h.hexdigest()]},
    "history": [{"created": created,
                 "created_by": "tilt/images/build-base.sh %s: debootstrap --variant=minbase %s + %s"
                               % (variant, suite, packages)}],
}
with open(work + "/config.json", "w") as f:
    json.dump(config, f, indent=1)
with open(work + "/manifest.json", "w") as f:
    json.dump([{"Config": "config.json", "RepoTags": ["stockade-base-%s:%s" % (variant, suite)],
                "Layers": ["layer.tar"]}], f)
PY
  tar -C "$work" -cf "$tarball.tmp" manifest.json config.json layer.tar
  mv "$tarball.tmp" "$tarball"
  rm -rf "$work"
  work=""
  echo "== $variant: $(du -h "$tarball" | cut -f1) $tarball"
}

for v in "${variants[@]}"; do
  build "$v"
done
