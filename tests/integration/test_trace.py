#!/usr/bin/env python3
"""Integration tests of +trace against the lab's private root (contrib/lab/root.zone).

dnsdeck +trace --root-hints contrib/lab/lab-root.hints is compared with dig +trace
@127.0.53.100 (the lab root): the same zone cuts in the same order, the same NS names at
every cut, the same final rdata. The lab: root "." on .100 delegates test. to .101, which
delegates example.test. to ns1/ns2/ns3 (NSD .1, Knot .2 with a newer MX RRset, BIND .3) and
partly-lame.test. to a (.99, nothing listens), b (.4, REFUSED) and c.lab-servers.invalid.
(.102, no glue: the root answers its address).

dig +trace finds the address of every NS name with getaddrinfo(), that is through /etc/hosts
and the system's resolver, never through the glue. So dig runs in a private mount namespace
(unshare --mount, root only) where /etc/hosts names the lab's servers and /etc/resolv.conf
points at 127.0.53.99, where nothing listens: it cannot ask anything outside loopback. It
runs with +time=1 +tries=1 under a timeout that kills it, and every address in its output is
checked to be a lab address. dig +trace also picks the servers of a cut at random and stops
at a REFUSED server, while dnsdeck tries them in canonical order and skips failing ones (as
a resolver would); so dig is run again (bounded) until it took its final answer from the
server dnsdeck took it from, and only then are the final answers compared.
"""
import json
import os
import re
import socket
import subprocess

from itlib import BIND, KNOT, NSD, TMP, finish, no_raw_control, run, test

ROOT, TLD, PARTLY, REFUSING, DEAD = ("127.0.53.100", "127.0.53.101", "127.0.53.102",
                                     "127.0.53.4", "127.0.53.99")
LAB = re.compile(r"^127\.0\.53\.\d{1,3}$")
HERE = os.path.dirname(os.path.abspath(__file__))
HINTS = os.path.join(HERE, "..", "..", "contrib", "lab", "lab-root.hints")

# Every NS name of the private namespace and its lab address: dig's /etc/hosts.
LAB_HOSTS = {
    "a.root-servers.invalid": ROOT,
    "ns1.nic.test": TLD,
    "ns1.example.test": NSD,
    "ns2.example.test": KNOT,
    "ns3.example.test": BIND,
    "a.partly-lame.test": DEAD,
    "b.partly-lame.test": REFUSING,
    "c.lab-servers.invalid": PARTLY,
}
DIG_HOSTS = os.path.join(TMP, "hosts")
DIG_RESOLV = os.path.join(TMP, "dig-resolv.conf")
with open(DIG_HOSTS, "w") as f:
    f.write("127.0.0.1 localhost\n")
    for name, addr in LAB_HOSTS.items():
        f.write("%s %s\n" % (addr, name))
with open(DIG_RESOLV, "w") as f:
    f.write("nameserver %s\n" % DEAD)  # a lookup that misses /etc/hosts goes nowhere

DIG_SH = ('h=$1 r=$2; shift 2; mount --bind "$h" /etc/hosts && '
          'mount --bind "$r" /etc/resolv.conf && exec dig "$@"')
RECEIVED = re.compile(r"^;; Received (\d+) bytes from ([0-9.]+)#53\(([^)]*)\) in [0-9.]+ ms$")


def dig_trace(name, qtype):
    """dig +trace from the lab root in the sandbox; a list of blocks, each {"rrs": [(owner,
    type, rdata)], "addr": ..., "server": ...}, the last one the final answer."""
    p = subprocess.run(["unshare", "--mount", "sh", "-c", DIG_SH, "sh", DIG_HOSTS, DIG_RESOLV,
                        "-4", "+trace", "+time=1", "+tries=1", "@" + ROOT, name, qtype],
                       capture_output=True, timeout=30, stdin=subprocess.DEVNULL)
    out = p.stdout.decode("ascii", "replace")
    assert p.returncode == 0, "dig exit %d: %s %s" % (p.returncode, out, p.stderr)
    assert "couldn't get address" not in out, out
    blocks, rrs = [], []
    for line in out.splitlines():
        for addr in re.findall(r"\d+\.\d+\.\d+\.\d+(?=#\d+)", line):
            assert LAB.match(addr), "dig left the lab: %s" % line
        m = RECEIVED.match(line)
        if m:
            blocks.append({"rrs": rrs, "addr": m.group(2), "server": m.group(3)})
            rrs = []
        elif line and not line.startswith(";"):
            f = line.split(None, 4)
            rrs.append((f[0].lower(), f[3], f[4]))
    assert blocks, out
    return blocks


def dig_cuts(blocks):
    """[(zone, {NS names})] of every block but the last (the referrals, priming first)."""
    cuts = []
    for b in blocks[:-1]:
        owners = {o for o, t, _ in b["rrs"] if t == "NS"}
        assert len(owners) == 1, b
        cuts.append((owners.pop(), {r.lower() for _, t, r in b["rrs"] if t == "NS"}))
    return cuts


def trace(name, qtype, want_rc=0, hints=HINTS, extra=()):
    rc, out, err, secs = run(["+trace", "--root-hints", hints, "--json", "+time=1", "+tries=1"] +
                             list(extra) + [name, qtype], timeout=60)
    assert rc == want_rc, "exit %d (wanted %d): %r" % (rc, want_rc, err)
    no_raw_control(out)
    return json.loads(out)


def our_cuts(doc):
    return [(s["child"], set(s["ns"])) for s in doc["steps"]
            if s["depth"] == 0 and s["kind"] in ("priming", "referral")]


def our_final(doc):
    fin = [s for s in doc["steps"] if s["depth"] == 0 and s["kind"] in
           ("answer", "nxdomain", "nodata")]
    assert len(fin) == 1 and fin[0] is doc["steps"][-1], doc["steps"]
    return fin[0]


def records(lines, qtype):
    return {tuple(r.split(None, 4)[i] for i in (0, 3, 4)) for r in lines
            if r.split(None, 4)[3] == qtype}


def compare_with_dig(name, qtype, want_result):
    """Trace name/qtype with dnsdeck and dig; compare cuts, NS sets and the final rdata."""
    doc = trace(name, qtype)
    assert doc["status"] == "done" and doc["result"] == want_result, doc["error"]
    fin = our_final(doc)
    our_addr = fin["address"].split("#")[0]
    assert fin["message"]["AA"] == 1
    final_type = qtype if want_result == "answer" else "SOA"
    ours = records(fin["records"], final_type)
    assert ours, fin["records"]
    for attempt in range(40):
        blocks = dig_trace(name, qtype)
        cuts = dig_cuts(blocks)
        assert cuts == our_cuts(doc), (cuts, our_cuts(doc))
        assert [c for c, _ in cuts] == doc["zone_cuts"]
        if blocks[-1]["addr"] == our_addr:
            break  # dig took its answer where we did: compare the answers
    else:
        raise AssertionError("dig never asked %s last in 40 runs" % our_addr)
    theirs = {(o, t, r) for o, t, r in blocks[-1]["rrs"] if t == final_type}
    assert theirs == ours, (theirs, ours)
    assert blocks[-1]["server"] == fin["server"], (blocks[-1], fin["server"])
    return doc, attempt + 1


@test
def lab_root_answers():
    for addr, zone in ((ROOT, "."), (TLD, "test"), (PARTLY, "partly-lame.test")):
        p = subprocess.run(["dig", "@" + addr, zone, "SOA", "+norec", "+short", "+time=1",
                            "+tries=1"], capture_output=True, timeout=10)
        assert p.stdout.split()[2:3] == [b"2026112101"], (addr, p.stdout)


@test
def example_test_mx_matches_dig():
    doc, runs = compare_with_dig("example.test", "MX", "answer")
    assert doc["zone_cuts"] == [".", "test.", "example.test."]
    assert doc["queries"] == 4 and len(doc["steps"]) == 4
    fin = our_final(doc)
    # ns1 first (canonical order): NSD's copy, MX 10 mx1 / 20 mx2
    assert fin["server"] == "ns1.example.test" and fin["address"] == NSD + "#53"
    assert sorted(r.split(None, 4)[4] for r in fin["records"]) == [
        "10 mx1.example.test.", "20 mx2.example.test."]
    referral = doc["steps"][2]
    assert referral["zone"] == "test." and referral["server"] == "ns1.nic.test"
    assert {g["name"]: g["address"] for g in referral["glue"]} == {
        "ns1.example.test.": NSD, "ns2.example.test.": KNOT, "ns3.example.test.": BIND}
    assert all(s["message"]["RD"] == 0 for s in doc["steps"])


@test
def mail_exchange_address_matches_dig():
    doc, _ = compare_with_dig("mx1.example.test", "A", "answer")
    assert records(our_final(doc)["records"], "A") == {
        ("mx1.example.test.", "A", "198.51.100.11")}


@test
def smtp_lab_mx_matches_dig():
    doc, _ = compare_with_dig("smtp-lab.example.test", "MX", "answer")
    assert {r[2] for r in records(our_final(doc)["records"], "MX")} == {
        "10 smtp1.example.test.", "20 smtp2.example.test.", "30 smtp3.example.test."}


@test
def nxdomain_matches_dig():
    doc, _ = compare_with_dig("nosuch.example.test", "A", "nxdomain")
    fin = our_final(doc)
    assert fin["message"]["RCODE"] == 3 and "answerRRs" not in fin["message"]


@test
def partly_lame_delegation_skips_like_a_resolver():
    doc, runs = compare_with_dig("partly-lame.test", "MX", "answer")
    steps = [(s["kind"], s["depth"], s["address"], s["reason"]) for s in doc["steps"]]
    assert steps[3:] == [
        ("skipped", 0, DEAD + "#53", "connection refused or unreachable"),
        ("skipped", 0, REFUSING + "#53", "REFUSED"),
        ("answer", 1, ROOT + "#53", None),  # c.lab-servers.invalid. A, from the root
        ("answer", 0, PARTLY + "#53", None),
    ], steps
    side = doc["steps"][5]
    assert side["asked"] == {"qname": "c.lab-servers.invalid.", "qtype": "A"}
    assert side["records"] == ["c.lab-servers.invalid. 86400 IN A 127.0.53.102"]
    assert doc["steps"][4]["message"]["RCODE"] == 5  # the REFUSED reply itself is kept
    fin = our_final(doc)
    assert fin["server"] == "c.lab-servers.invalid" and fin["zone"] == "partly-lame.test."
    # the text: dig +trace style, skipped servers on their own lines
    rc, out, err, _ = run(["+trace", "--root-hints", HINTS, "--text", "partly-lame.test", "MX"])
    assert rc == 0, err
    text = out.decode()
    for line in (";; skipped 127.0.53.99#53 (a.partly-lame.test): connection refused or "
                 "unreachable",
                 ";; skipped 127.0.53.4#53 (b.partly-lame.test): REFUSED",
                 ";; resolving c.lab-servers.invalid. A (a name server without glue)",
                 "  c.lab-servers.invalid.\t86400\tIN\tA\t127.0.53.102",
                 "partly-lame.test.\t3600\tIN\tMX\t10 mail.partly-lame.test.",
                 ";; TRACE DONE: NOERROR, 1 answer record, authoritative (aa) from "
                 "c.lab-servers.invalid"):
        assert line + "\n" in text, (line, text)
    assert re.search(r"^;; Received \d+ bytes from 127\.0\.53\.102#53\(c\.lab-servers\.invalid\)"
                     r" in [0-9.]+ ms$", text, re.M), text


@test
def silent_root_times_out_and_is_skipped():
    # a root hint that reads and never answers, tried before the real one
    silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    silent.bind(("127.0.53.96", 53))
    hints = os.path.join(TMP, "two-roots.hints")
    with open(hints, "w") as f:
        f.write(". 3600000 IN NS a.quiet.invalid.\n"
                ". 3600000 IN NS a.root-servers.invalid.\n"
                "a.quiet.invalid. 3600000 IN A 127.0.53.96\n"
                "a.root-servers.invalid. 3600000 IN A %s\n" % ROOT)
    try:
        rc, out, err, secs = run(["+trace", "--root-hints", hints, "--text", "+time=1",
                                  "+tries=1", "example.test", "MX"])
    finally:
        silent.close()
    assert rc == 0, err
    text = out.decode()
    assert text.startswith(";; TRACE example.test. IN MX from the root hints, RD=0\n\n"
                           ";; skipped 127.0.53.96#53 (a.quiet.invalid): timed out\n"), text
    assert "1 server skipped" in text and 0.9 < secs < 5, secs


@test
def dead_root_exits_9():
    hints = os.path.join(TMP, "dead.hints")
    with open(hints, "w") as f:
        f.write(". 3600000 IN NS dead.root.invalid.\n"
                "dead.root.invalid. 3600000 IN A %s\n" % DEAD)
    doc = trace("example.test", "MX", want_rc=9, hints=hints)
    assert doc["status"] == "failed" and doc["result"] is None
    assert doc["error"] == "no server of . answered (1 address tried)"
    assert [s["reason"] for s in doc["steps"]] == ["connection refused or unreachable"]


@test
def escaped_txt_from_the_root():
    doc = trace("escape.example.test", "TXT")
    rec = our_final(doc)["records"]
    assert rec == ['escape.example.test. 3600 IN TXT "\\027[31mred\\007bell\\127del\\195\\169t'
                   '\\009tab"'], rec
    rc, out, err, _ = run(["+trace", "--root-hints", HINTS, "--text", "escape.example.test",
                           "TXT"])
    no_raw_control(out, allowed=b"\n\t")


@test
def root_hints_errors():
    rc, out, err, _ = run(["+trace", "--root-hints", "/nonexistent/root.hints", "example.test"])
    assert rc == 1 and b"cannot read root hints /nonexistent/root.hints" in err, err
    rc, out, err, _ = run(["+trace", "--root-hints", HINTS, "@" + NSD, "example.test"])
    assert rc == 1 and b"not with @server" in err, err
    rc, out, err, _ = run(["+trace", "--root-hints"])
    assert rc == 1 and b"--root-hints needs a file name" in err, err


finish("trace")
