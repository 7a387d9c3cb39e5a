#!/usr/bin/env python3
"""Writes Stockade's own NetworkPolicy fixture corpus (see README.md) next to this script.

Every case is written here once: its pods, policies and watch events as plain data, and its
expected reachability as a short hand-written rule per step ("into x/a only from x/b"), read off
the policy's meaning. Nothing here evaluates NetworkPolicy in general and nothing calls Stockade:
the verdicts are the rules below applied to every ordered pod pair (self pairs included) and
every probe of the step.

    python3 generate.py          # rewrite every case folder
    python3 generate.py --check  # exit 1 if a case folder differs from what this script writes

Standard library only (Python 3.8+).
"""
import json
import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
IMAGE = "registry.k8s.io/e2e-test-images/agnhost:2.53"

# ---------------------------------------------------------------------------------------------
# The cluster model: namespaces x, y, z (label ns=<name>); pods a, b, c in each (label pod=<name>),
# pod a on node-1, b on node-2, c on node-3; one container serving 80 and 81 on TCP, UDP and
# SCTP, ports named serve-<port>-<proto>. Namespace n's pods live in 10.60.<n>.0/24.
# ---------------------------------------------------------------------------------------------
NAMESPACES = ["x", "y", "z"]
POD_NAMES = ["a", "b", "c"]
NODE_OF = {"a": "node-1", "b": "node-2", "c": "node-3"}
SUBNET_OF = {"x": 1, "y": 2, "z": 3}
HOST_OF = {"a": 21, "b": 22, "c": 23}


def ip(ns, pod):
    return f"10.60.{SUBNET_OF[ns]}.{HOST_OF[pod]}"


def namespace(name, labels=None, implicit_name_label=True):
    all_labels = {"ns": name}
    if implicit_name_label:
        all_labels["kubernetes.io/metadata.name"] = name
    all_labels.update(labels or {})
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": all_labels}}


def pod(ns, name, labels=None, port_names=None):
    """A pod of the model; port_names renames ports, e.g. {(81, "TCP"): "http"}."""
    port_names = port_names or {}
    ports = []
    for number in (80, 81):
        for protocol in ("TCP", "UDP", "SCTP"):
            ports.append({"name": port_names.get((number, protocol), f"serve-{number}-{protocol.lower()}"),
                          "containerPort": number, "protocol": protocol})
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": ns, "labels": {"pod": name, **(labels or {})}},
        "spec": {"nodeName": NODE_OF[name],
                 "containers": [{"name": "server", "image": IMAGE,
                                 "ports": ports}]},
        "status": {"phase": "Running", "podIP": ip(ns, name), "podIPs": [{"ip": ip(ns, name)}]},
    }


def policy(ns, name, spec):
    return {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": {"name": name, "namespace": ns}, "spec": spec}


def labels(**kv):
    return {"matchLabels": dict(kv)}


def expr(key, operator, values=None):
    e = {"key": key, "operator": operator}
    if values is not None:
        e["values"] = list(values)
    return e


class P:
    """A pod as the rules see it: ns, name, and 'x/a' as key."""

    def __init__(self, ns, name):
        self.ns, self.name, self.key = ns, name, f"{ns}/{name}"


# ---------------------------------------------------------------------------------------------
# The cases. rule(step, src, dst, port, proto) -> allowed, written from the policy's meaning.
# ---------------------------------------------------------------------------------------------
CASES = []


def case(name, title, policies, steps, rule, namespaces=None, pods=None, events=None, notes=()):
    CASES.append(dict(name=name, title=title, policies=policies, steps=steps, rule=rule,
                      namespaces=namespaces, pods=pods, events=events or [], notes=list(notes)))


def standard_namespaces(**kw):
    return [namespace(n, **kw) for n in NAMESPACES]


def standard_pods(overrides=None):
    overrides = overrides or {}
    return [overrides.get(f"{n}/{p}") or pod(n, p) for n in NAMESPACES for p in POD_NAMES]


TCP80 = "80/TCP"

case("np01-default-deny-ingress", "a default-deny ingress policy isolates every pod of its namespace",
     [policy("x", "deny-ingress", {"podSelector": {}, "policyTypes": ["Ingress"]})],
     [(0, ["80/TCP", "81/UDP", "80/SCTP"], "x denies all ingress; y and z are not isolated")],
     lambda s, src, dst, port, proto: dst.ns != "x")

case("np02-default-deny-all", "a default-deny policy for ingress and egress cuts a namespace off both ways",
     [policy("y", "deny-all", {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]})],
     [(0, ["80/TCP", "81/TCP"], "nothing leaves or enters y, not even y to y")],
     lambda s, src, dst, port, proto: src.ns != "y" and dst.ns != "y")

case("np03-same-namespace-podselector", "a podSelector peer alone selects pods of the policy's own namespace",
     [policy("x", "b-to-a", {"podSelector": labels(pod="a"),
                             "ingress": [{"from": [{"podSelector": labels(pod="b")}]}]})],
     [(0, ["80/TCP", "81/TCP"], "x/a accepts x/b only (not y/b or z/b)")],
     lambda s, src, dst, port, proto: dst.key != "x/a" or src.key == "x/b")

case("np04-other-namespace-nsselector", "a namespaceSelector peer admits every pod of the matching namespaces only",
     [policy("x", "from-y", {"podSelector": {},
                             "ingress": [{"from": [{"namespaceSelector": labels(ns="y")}]}]})],
     [(0, ["80/TCP", "81/UDP"], "x accepts y only; x to x is denied too")],
     lambda s, src, dst, port, proto: dst.ns != "x" or src.ns == "y")


def np05(s, src, dst, port, proto):
    if dst.key == "x/a":   # one peer: namespace y AND pod b
        return src.key == "y/b"
    if dst.key == "x/b":   # one peer: any namespace AND pod c
        return src.name == "c"
    if dst.key == "x/c":   # two peers: namespace y OR pod b of x
        return src.ns == "y" or src.key == "x/b"
    return True


case("np05-pod-and-namespace-selector-peers",
     "podSelector and namespaceSelector in one peer are ANDed; in two peers they are ORed",
     [policy("x", "and-peer", {"podSelector": labels(pod="a"), "ingress": [{"from": [
         {"namespaceSelector": labels(ns="y"), "podSelector": labels(pod="b")}]}]}),
      policy("x", "any-namespace-pod-c", {"podSelector": labels(pod="b"), "ingress": [{"from": [
          {"namespaceSelector": {}, "podSelector": labels(pod="c")}]}]}),
      policy("x", "or-peers", {"podSelector": labels(pod="c"), "ingress": [{"from": [
          {"namespaceSelector": labels(ns="y")}, {"podSelector": labels(pod="b")}]}]})],
     [(0, ["80/TCP"], "x/a from y/b; x/b from every c; x/c from all of y or x/b")],
     np05)


def np06(s, src, dst, port, proto):
    if dst.ns == "y" and dst.name in ("a", "b"):
        other_namespace_not_c = src.ns != "y" and src.name != "c"
        return other_namespace_not_c or src.key == "y/c"
    return True


case("np06-match-expressions", "matchExpressions (In, NotIn, Exists) on pods and on the implicit namespace name label",
     [policy("y", "expressions", {
         "podSelector": {"matchExpressions": [expr("pod", "In", ["a", "b"])]},
         "ingress": [{"from": [
             {"namespaceSelector": {"matchExpressions": [expr("kubernetes.io/metadata.name", "NotIn", ["y"])]},
              "podSelector": {"matchExpressions": [expr("pod", "NotIn", ["c"])]}},
             {"podSelector": {"matchExpressions": [expr("pod", "Exists"), expr("pod", "NotIn", ["a", "b"])]}}]}]})],
     [(0, ["80/TCP", "81/TCP"], "y/a and y/b accept a and b of x and z, and y/c; y/c is not selected")],
     np06,
     namespaces=standard_namespaces(implicit_name_label=False),
     notes=["the namespaces carry no kubernetes.io/metadata.name label in this case: the API server sets it on "
            "every namespace, so a selector on it must match as if it were written"])


def np07(s, src, dst, port, proto):
    if dst.key == "x/a":   # 'http' is 81/TCP on x/a
        return (port, proto) in ((81, "TCP"), (80, "UDP"))
    if dst.key == "x/b":   # 'http' is 80/TCP on x/b
        return (port, proto) in ((80, "TCP"), (80, "UDP"))
    if dst.key == "x/c":   # UDP 81-90
        return proto == "UDP" and 81 <= port <= 90
    return True


case("np07-named-ports-and-end-port",
     "a named port resolves on each destination pod; endPort opens a range of one protocol",
     [policy("x", "named", {"podSelector": {"matchExpressions": [expr("pod", "In", ["a", "b"])]},
                            "ingress": [{"ports": [{"port": "http"}, {"protocol": "UDP", "port": "serve-80-udp"}]}]}),
      policy("x", "range", {"podSelector": labels(pod="c"),
                            "ingress": [{"ports": [{"protocol": "UDP", "port": 81, "endPort": 90}]}]})],
     [(0, ["80/TCP", "81/TCP", "80/UDP", "81/UDP"],
       "x/a: 81/TCP (its http) and 80/UDP; x/b: 80/TCP (its http) and 80/UDP; x/c: 81/UDP only")],
     np07,
     pods=standard_pods({"x/a": pod("x", "a", port_names={(81, "TCP"): "http"}),
                         "x/b": pod("x", "b", port_names={(80, "TCP"): "http"})}),
     notes=["x/a names its 81/TCP port 'http', x/b its 80/TCP port; the other pods have no 'http' port"])


def np08(s, src, dst, port, proto):
    if src.key == "x/a":
        return dst.key == "y/b" and (port, proto) == (80, "TCP")
    return True


case("np08-egress-to-one-pod-no-dns", "egress to one pod on one named port denies everything else, DNS included",
     [policy("x", "a-egress", {"podSelector": labels(pod="a"), "policyTypes": ["Egress"], "egress": [{
         "to": [{"namespaceSelector": labels(ns="y"), "podSelector": labels(pod="b")}],
         "ports": [{"port": "serve-80-tcp"}]}]})],
     [(0, ["80/TCP", "81/TCP", "80/UDP", "53/UDP"], "x/a reaches y/b on 80/TCP only; no DNS rule, so 53/UDP is denied")],
     np08,
     notes=["upstream egress tests add a DNS rule; this one has none, so nothing else leaves x/a"])


def np09(s, src, dst, port, proto):
    egress = True
    if src.key == "x/c":   # to 10.60.2.0/24 except 10.60.2.23/32 = y/a, y/b
        egress = dst.key in ("y/a", "y/b")
    ingress = True
    if dst.ns == "y":      # from 10.60.0.0/16 except 10.60.3.0/24 (z) and 10.60.1.22/32 (x/b)
        ingress = src.ns != "z" and src.key != "x/b"
    return egress and ingress


case("np09-ipblock-except", "ipBlock with except matches pod IPs, for ingress and for egress",
     [policy("y", "from-cidr", {"podSelector": {}, "policyTypes": ["Ingress"], "ingress": [{"from": [
         {"ipBlock": {"cidr": "10.60.0.0/16", "except": ["10.60.3.0/24", "10.60.1.22/32"]}}]}]}),
      policy("x", "c-to-cidr", {"podSelector": labels(pod="c"), "policyTypes": ["Egress"], "egress": [{"to": [
          {"ipBlock": {"cidr": "10.60.2.0/24", "except": ["10.60.2.23/32"]}}]}]})],
     [(0, ["80/TCP", "81/UDP"], "y accepts x/a, x/c and y; x/c reaches y/a and y/b only")],
     np09)


def np10(s, src, dst, port, proto):
    guarded = {"x/a"} if s < 3 else {"x/a", "x/c"}
    if s == 4 or dst.key not in guarded:
        return True
    if s == 0:
        return src.key == "x/b"
    if s == 1:
        return False
    return src.ns == "y"


guard_v1 = policy("x", "guard", {"podSelector": labels(pod="a"),
                                 "ingress": [{"from": [{"podSelector": labels(pod="b")}]}]})
guard_v2 = policy("x", "guard", {"podSelector": labels(pod="a"),
                                 "ingress": [{"from": [{"namespaceSelector": labels(team="blue")}]}]})
case("np10-update-relabel-delete",
     "a policy update, a namespace relabel, a pod relabel and a policy delete, each step checked",
     [guard_v1],
     [(0, ["80/TCP", "81/UDP"], "x/a accepts x/b only"),
      (1, ["80/TCP", "81/UDP"], "guard now admits namespaces labelled team=blue: there are none, x/a accepts nothing"),
      (2, ["80/TCP", "81/UDP"], "y is labelled team=blue: x/a accepts all of y"),
      (3, ["80/TCP", "81/UDP"], "x/c is relabelled pod=a: guard selects it too"),
      (4, ["80/TCP", "81/UDP"], "guard is deleted: nothing is isolated")],
     np10,
     events=[("MODIFIED", guard_v2),
             ("MODIFIED", namespace("y", {"team": "blue"})),
             ("MODIFIED", {**pod("x", "c"), "metadata": {"name": "c", "namespace": "x", "labels": {"pod": "a"}}}),
             ("DELETED", guard_v2)])

case("np11-udp-only-blocks-tcp", "a rule naming only the UDP protocol admits every UDP port and no TCP",
     [policy("z", "udp-only", {"podSelector": {}, "ingress": [{"ports": [{"protocol": "UDP"}]}]})],
     [(0, ["80/TCP", "81/TCP", "80/UDP", "81/UDP"], "z accepts UDP on any port from anyone, TCP from no one")],
     lambda s, src, dst, port, proto: dst.ns != "z" or proto == "UDP")

case("np12-sctp-port", "an SCTP port opens SCTP only, and only that port",
     [policy("y", "sctp-81", {"podSelector": labels(pod="a"), "ingress": [{
         "from": [{"namespaceSelector": {}}], "ports": [{"protocol": "SCTP", "port": 81}]}]})],
     [(0, ["80/SCTP", "81/SCTP", "81/TCP", "81/UDP"], "y/a accepts 81/SCTP from every pod and nothing else")],
     lambda s, src, dst, port, proto: dst.key != "y/a" or (port, proto) == (81, "SCTP"),
     namespaces=[namespace("x"), namespace("y")],
     pods=[pod(n, p) for n in ("x", "y") for p in ("a", "b")],
     notes=["a smaller cluster: namespaces x and y with pods a and b only"])


def np13(s, src, dst, port, proto):
    if dst.key == "x/c":
        return True
    if dst.key == "x/a":
        return src.ns == "z" and (port, proto) == (80, "TCP")
    return dst.ns != "x"


case("np13-stacked-policies-are-additive", "policies add up: a default deny, an allow-all for one pod, a port for another",
     [policy("x", "deny-ingress", {"podSelector": {}, "policyTypes": ["Ingress"]}),
      policy("x", "allow-all-to-c", {"podSelector": labels(pod="c"), "ingress": [{}]}),
      policy("x", "z-to-a-on-80", {"podSelector": labels(pod="a"), "ingress": [{
          "from": [{"namespaceSelector": labels(ns="z")}], "ports": [{"port": 80}]}]})],
     [(0, ["80/TCP", "81/TCP"], "x/c accepts all; x/a accepts z on 80/TCP; x/b accepts nothing")],
     np13)


def np14(s, src, dst, port, proto):
    if dst.key == "z/a":
        return False
    if src.key == "z/a":
        return dst.ns == "x"
    return True


case("np14-policy-types-default-with-egress",
     "without policyTypes a policy with egress rules isolates ingress and egress",
     [policy("z", "egress-to-x", {"podSelector": labels(pod="a"),
                                  "egress": [{"to": [{"namespaceSelector": labels(ns="x")}]}]})],
     [(0, ["80/TCP", "81/UDP"], "z/a reaches x only and accepts nothing")],
     np14)


def np15(s, src, dst, port, proto):
    egress = src.ns != "x" or dst.ns == "z"
    ingress = dst.ns != "y" or src.ns == "x"
    return egress and ingress


case("np15-client-egress-deny-beats-server-allow",
     "the client's egress isolation denies a connection the server's ingress allows",
     [policy("x", "egress-to-z", {"podSelector": {}, "policyTypes": ["Egress"],
                                  "egress": [{"to": [{"namespaceSelector": labels(ns="z")}]}]}),
      policy("y", "from-x", {"podSelector": {}, "ingress": [{"from": [{"namespaceSelector": labels(ns="x")}]}]})],
     [(0, ["80/TCP"], "x may only reach z; y accepts only x; so nothing reaches y")],
     np15)


# ---------------------------------------------------------------------------------------------
# Writing.
# ---------------------------------------------------------------------------------------------
YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def scalar(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    plain = re.fullmatch(r"[A-Za-z][A-Za-z0-9._/-]*", value) and value.lower() not in YAML11_WORDS
    return value if plain else json.dumps(value)


def yaml_lines(value, indent=0):
    """Block YAML; strings double-quoted unless plainly safe (so 'y' and IPs stay strings)."""
    pad = " " * indent
    lines = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{key}:")
                lines.extend(yaml_lines(item, indent + (2 if isinstance(item, dict) else 0)))
            else:
                lines.append(f"{pad}{key}: {('{}' if isinstance(item, dict) else '[]') if isinstance(item, (dict, list)) else scalar(item)}")
    else:
        for item in value:
            if isinstance(item, (dict, list)) and item:
                sub = yaml_lines(item, indent + 2)
                lines.append(f"{pad}- {sub[0].lstrip()}")
                lines.extend(sub[1:])
            else:
                lines.append(f"{pad}- {('{}' if isinstance(item, dict) else '[]') if isinstance(item, (dict, list)) else scalar(item)}")
    return lines


def documents(objects):
    return "".join("---\n" + "\n".join(yaml_lines(o)) + "\n" for o in objects)


def pod_list(pods):
    return "---\n" + "\n".join(yaml_lines({"apiVersion": "v1", "kind": "List", "items": pods})) + "\n"


def state_pods(c, step_events):
    """The pods present after the first step_events events, as P objects with an IP."""
    pods = {f"{p['metadata']['namespace']}/{p['metadata']['name']}": p for p in (c["pods"] or standard_pods())}
    for kind, obj in c["events"][:step_events]:
        if obj["kind"] == "Pod":
            key = f"{obj['metadata']['namespace']}/{obj['metadata']['name']}"
            if kind == "DELETED":
                pods.pop(key, None)
            else:
                pods[key] = obj
    return [P(p["metadata"]["namespace"], p["metadata"]["name"])
            for key, p in sorted(pods.items()) if p.get("status", {}).get("podIP")]


def expected(c):
    steps = []
    for index, (events, probes, description) in enumerate(c["steps"]):
        pods = state_pods(c, events)
        verdicts = []
        for src in pods:
            for dst in pods:
                for probe in probes:
                    port, proto = probe.split("/")
                    verdicts.append({"from": src.key, "to": dst.key, "protocol": proto, "port": int(port),
                                     "allowed": bool(c["rule"](index, src, dst, int(port), proto))})
        steps.append({"events": events, "probes": probes, "description": description, "verdicts": verdicts})
    return {"case": c["name"], "origin": "stockade", "title": c["title"],
            "source": "services/testdata/netpol-cases/generate.py: verdicts from a hand-written reachability rule "
                      "per step, read off the policies' meaning",
            "notes": c["notes"] + ["self pairs follow the same rule as any other pair"],
            "steps": steps}


def expected_json(document):
    head = {k: v for k, v in document.items() if k != "steps"}
    out = ["{"]
    for key, value in head.items():
        out.append(f" {json.dumps(key)}: {json.dumps(value)},")
    out.append(' "steps": [')
    for i, step in enumerate(document["steps"]):
        out.append(f'  {{"events": {step["events"]}, "probes": {json.dumps(step["probes"])}, '
                   f'"description": {json.dumps(step["description"])}, "verdicts": [')
        rows = [f"   {json.dumps(v)}" for v in step["verdicts"]]
        out.append(",\n".join(rows))
        out.append("  ]}" + ("," if i < len(document["steps"]) - 1 else ""))
    out.append(" ]")
    out.append("}")
    return "\n".join(out) + "\n"


def files_of(c):
    files = {
        "manifests/10-namespaces.yaml": documents(c["namespaces"] or standard_namespaces()),
        "manifests/20-pods.yaml": pod_list(c["pods"] or standard_pods()),
        "manifests/30-policies.yaml": documents(c["policies"]),
        "expected.json": expected_json(expected(c)),
    }
    if c["events"]:
        files["events.jsonl"] = "".join(json.dumps({"type": kind, "object": obj}, separators=(",", ":")) + "\n"
                                        for kind, obj in c["events"])
    return files


def main(argv):
    check = "--check" in argv
    stale = []
    wanted = {c["name"] for c in CASES}
    for existing in sorted(p for p in HERE.iterdir() if p.is_dir() and p.name.startswith("np")):
        if existing.name not in wanted:
            stale.append(f"{existing.name}: not a case of generate.py")
            if not check:
                shutil.rmtree(existing)
    for c in CASES:
        folder = HERE / c["name"]
        files = files_of(c)
        on_disk = {str(p.relative_to(folder)): p.read_text() for p in folder.rglob("*") if p.is_file()} \
            if folder.exists() else {}
        if on_disk != files:
            stale.append(c["name"])
            if not check:
                shutil.rmtree(folder, ignore_errors=True)
                for relative, text in files.items():
                    (folder / relative).parent.mkdir(parents=True, exist_ok=True)
                    (folder / relative).write_text(text)
    if check and stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    print(f"{len(CASES)} cases" + ("" if check else f", {len(stale)} rewritten"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
