#!/usr/bin/env bash
# Starts an image tarball without a container engine, as far as a pod would run it, to prove the
# image boots: its layers unpacked in order into a root filesystem mounted READ-ONLY (as
# readOnlyRootFilesystem: true) with a tmpfs on /tmp (the pods' emptyDir), in new network, mount
# and PID namespaces (only loopback: nothing leaves the machine), as the config's user, with the
# config's environment, working directory and entrypoint, plus JAVA_OPTS_APPEND as the manifests
# set it. Waits for GET /q/health/live on PORT, prints the answer and the JVM's command line, stops.
#
#   tilt/images/run-image.sh IMAGE.tar [PORT] [NAME=VALUE...]     (PORT default 8080; needs root)
#
# Not a container runtime: no cgroups, no seccomp, no capabilities dropped; whiteout files are
# not applied (Jib's application layers have none).
set -euo pipefail
tarball=$(realpath "$1"); shift
port=8080
if [ $# -gt 0 ] && [[ "$1" =~ ^[0-9]+$ ]]; then port=$1; shift; fi
work=$(mktemp -d /tmp/stockade-run.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir "$work/image" "$work/rootfs"
tar -xf "$tarball" -C "$work/image"
python3 - "$work" "$@" <<'PY'
import json, shlex, subprocess, sys
work, extra = sys.argv[1], sys.argv[2:]
manifest = json.load(open(work + "/image/manifest.json"))[0]
for layer in manifest["Layers"]:
    subprocess.run(["tar", "--numeric-owner", "--warning=no-unknown-keyword", "-xf", work + "/image/" + layer, "-C", work + "/rootfs"], check=True)
c = json.load(open(work + "/image/" + manifest["Config"]))["config"]
user = c.get("User") or "0"
env = c.get("Env", []) + ["HOME=/home/jboss" if user == "185" else "HOME=/root",
                          "JAVA_OPTS_APPEND=-XX:MaxRAMPercentage=75.0"] + extra
with open(work + "/run.env", "w") as f:
    f.write("USERSPEC=%s\nWORKDIR=%s\nCOMMAND=%s\nENVIRONMENT=%s\n" % (
        shlex.quote(user + ":" + (user if user != "0" else "0")), shlex.quote(c.get("WorkingDir", "/")),
        shlex.quote(" ".join(shlex.quote(a) for a in c.get("Entrypoint", []) + (c.get("Cmd") or []))),
        shlex.quote(" ".join(shlex.quote(e) for e in env))))
PY
# shellcheck disable=SC1091
. "$work/run.env"
echo "user $USERSPEC, workdir $WORKDIR, entrypoint $COMMAND"
export work port USERSPEC WORKDIR COMMAND ENVIRONMENT
unshare --net --mount --pid --fork --mount-proc bash -c '
  set -euo pipefail
  ip link set lo up
  root=$work/rootfs
  for d in null zero random urandom; do touch "$root/dev/$d"; done   # mount points; the image has no /dev
  mount --bind "$root" "$root"
  mount -o remount,bind,ro "$root"
  mount -t proc proc "$root/proc"
  mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
  for d in null zero random urandom; do mount --bind "/dev/$d" "$root/dev/$d"; done
  eval "chroot --userspec=$USERSPEC \"$root\" /usr/bin/env -i $ENVIRONMENT /bin/sh -c \"cd $WORKDIR && exec $COMMAND\"" >"$work/app.log" 2>&1 &
  app=$!
  ok=1
  for i in $(seq 1 60); do
    if body=$(curl -s --max-time 2 "http://127.0.0.1:$port/q/health/live"); then ok=0; break; fi
    kill -0 $app 2>/dev/null || break
    sleep 1
  done
  echo "--- GET /q/health/live: ${body:-no answer}"
  echo "--- JVM: $(tr "\0" " " </proc/$(pgrep -n java || echo $app)/cmdline 2>/dev/null) (uid $(stat -c %u /proc/$(pgrep -n java || echo $app) 2>/dev/null))"
  kill $app 2>/dev/null || true; wait $app 2>/dev/null || true
  echo "--- log (last 25 lines, without stack frames)"; grep -v -E "^\s+(at |\.\.\. [0-9]+ more)" "$work/app.log" | tail -25
  exit $ok
'
