#!/usr/bin/env python3
"""Checks a Stockade image tarball (`docker save` format, as docker-load-to-tar.sh writes it)
against what k8s/ expects of it, with no Docker: every layer is present and matches its diff_id,
the config has the entrypoint, user, exposed ports and environment of the service, and the files
the service runs are in the layers (the application, java, and for the agent nft and ip).

    tilt/images/check-image.py SERVICE IMAGE.tar     e.g. listener tilt/images/target/stockade-listener-0.1.0.tar

Prints one line per check and 'N passed, N failed'; exits 1 on a failure.
"""
import gzip
import hashlib
import io
import json
import sys
import tarfile

# What the manifests in k8s/ assume (k8s/README.md, "Conventions the services must follow").
EXPECTED = {
    "listener": {"user": "185", "ports": {"8080/tcp"}},
    "compiler": {"user": "185", "ports": {"8080/tcp", "7800/tcp"}},
    "dispatcher": {"user": "185", "ports": {"8080/tcp", "9000/tcp", "7800/tcp"}},
    "agent": {"user": "0", "ports": {"9180/tcp"}, "files": ["usr/sbin/nft", "usr/bin/ip"]},
}
ENTRYPOINT = ["/opt/stockade/run-java.sh"]
WORKDIR = "/home/jboss"
ALWAYS = ["opt/stockade/run-java.sh", "usr/lib/jvm/java-17-openjdk-{arch}/bin/java",
          "home/jboss/quarkus-run.jar", "home/jboss/quarkus/quarkus-application.dat"]


def main(service, path):
    exp = EXPECTED[service]
    results = []

    def check(name, ok, detail=""):
        results.append(ok)
        print(("ok   " if ok else "FAIL ") + name + ("" if ok else ": " + str(detail)))

    with tarfile.open(path) as t:
        manifest = json.load(t.extractfile("manifest.json"))
        check("one image in the tarball", len(manifest) == 1, len(manifest))
        entry = manifest[0]
        check("tagged ghcr.io/stockade/stockade-%s:0.1.0" % service,
              entry.get("RepoTags") == ["ghcr.io/stockade/stockade-%s:0.1.0" % service], entry.get("RepoTags"))
        config = json.load(t.extractfile(entry["Config"]))
        layers = entry["Layers"]
        diff_ids = config["rootfs"]["diff_ids"]
        check("as many layers as diff_ids (%d)" % len(layers), len(layers) == len(diff_ids), (len(layers), len(diff_ids)))
        files = set()
        for layer, diff_id in zip(layers, diff_ids):
            raw = t.extractfile(layer).read()
            data = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
            digest = "sha256:" + hashlib.sha256(data).hexdigest()
            check("layer %s matches its diff_id" % layer[:19], digest == diff_id, (digest, diff_id))
            with tarfile.open(fileobj=io.BytesIO(data)) as lt:
                for m in lt.getmembers():
                    files.add(m.name[2:] if m.name.startswith("./") else m.name.lstrip("/"))
        c = config["config"]
        arch = config.get("architecture")
        check("os/architecture linux/" + str(arch), config.get("os") == "linux" and arch in ("amd64", "arm64"),
              (config.get("os"), arch))
        check("entrypoint %s" % ENTRYPOINT, c.get("Entrypoint") == ENTRYPOINT, c.get("Entrypoint"))
        check("no command arguments", not c.get("Cmd"), c.get("Cmd"))
        check("working directory %s" % WORKDIR, c.get("WorkingDir") == WORKDIR, c.get("WorkingDir"))
        check("user %s" % exp["user"], c.get("User") == exp["user"], c.get("User"))
        check("exposed ports %s" % sorted(exp["ports"]), set(c.get("ExposedPorts", {})) == exp["ports"],
              sorted(c.get("ExposedPorts", {})))
        env = dict(e.split("=", 1) for e in c.get("Env", []))
        check("JAVA_OPTS sets the JBoss log manager",
              "-Djava.util.logging.manager=org.jboss.logmanager.LogManager" in env.get("JAVA_OPTS", ""), env)
        check("JAVA_HOME and PATH from the base", "JAVA_HOME" in env and "/usr/bin" in env.get("PATH", ""), env)
        for f in [a.format(arch=arch) for a in ALWAYS] + exp.get("files", []):
            check("file /" + f, f in files)
        app_jars = [f for f in files if f.startswith("home/jboss/app/") or f.startswith("home/jboss/lib/main/")]
        check("application classes and libraries (%d files)" % len(app_jars), len(app_jars) > 10, len(app_jars))
    passed = sum(results)
    print("%s: %d passed, %d failed" % (service, passed, len(results) - passed))
    return 0 if all(results) else 1


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in EXPECTED:
        sys.exit("usage: check-image.py {%s} IMAGE.tar" % ",".join(EXPECTED))
    sys.exit(main(sys.argv[1], sys.argv[2]))
