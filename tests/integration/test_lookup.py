#!/usr/bin/env python3
"""Integration tests of dnsdeck's batch lookup against the lab (contrib/lab).

Every demo case is asked of every lab server with `dnsdeck --json` and with dig; rcode,
flags and the answer RRset must agree. dig's +unknownformat prints rdata as RFC 3597 hex,
compared byte for byte with dnsdeck's RDATAHEX. Only 127.0.53.0/24 is ever queried.
Prints "ok - NAME" / "not ok - NAME" per test and writes "PASS FAIL" counts to
$TMPDIR/dnsdeck-it-counts.<parent pid> for tests/run-integration.sh.
"""
import json
import os
import re
import socket
import subprocess

from itlib import (BIND, DNSDECK, KNOT, NSD, TMP, UNBOUND, finish, no_raw_control,
                   run, test)
from itlib import run_json as dnsdeck_json

SILENT = "127.0.53.98"  # a socket in this process reads and never answers
DEAD = "127.0.53.99"    # nothing listens: ICMP port unreachable

CASES = [
    ("example.test", "MX"), ("example.test", "SOA"), ("example.test", "TXT"),
    ("example.test", "NS"), ("_dmarc.example.test", "TXT"), ("group.example.test", "MX"),
    ("nullmx.example.test", "MX"), ("implicit.example.test", "MX"),
    ("implicit.example.test", "AAAA"), ("cname-mx.example.test", "MX"),
    ("alias.example.test", "A"), ("dangling.example.test", "MX"),
    ("missing.example.test", "A"), ("ttl30.example.test", "A"), ("www.example.test", "A"),
    ("host.example.test", "AAAA"), ("foo.wild.example.test", "A"),
    ("foo.wild.example.test", "TXT"), ("escape.example.test", "TXT"),
    ("spf2.example.test", "TXT"), ("iplit.example.test", "MX"),
]

def dig(server, name, qtype):
    out = subprocess.run(["dig", "@" + server, name, qtype, "+unknownformat", "+nocookie",
                          "+time=2", "+tries=2"], capture_output=True, text=True,
                         timeout=20).stdout
    status = re.search(r"status: (\w+)", out).group(1)
    flags = set(re.search(r";; flags:([^;]*);", out).group(1).split())
    answer, in_answer = set(), False
    for line in out.splitlines():
        if line.startswith(";; ANSWER SECTION"):
            in_answer = True
        elif in_answer and not line.strip():
            in_answer = False
        elif in_answer and not line.startswith(";"):
            f = line.split()
            # owner TTL class type \# len hex...
            answer.add((f[0].lower(), f[3], "".join(f[6:]).upper()))
    return status, flags, answer


def ours(msg):
    flags = {k.lower() for k in ("QR", "AA", "TC", "RD", "RA", "AD", "CD") if msg[k]}
    # dig +unknownformat names every type TYPEnn (RFC 3597 §5)
    answer = {(rr["NAME"].lower(), "TYPE%d" % rr["TYPE"], rr["RDATAHEX"].upper())
              for rr in msg.get("answerRRs", [])}
    return flags, answer


RCODES = {0: "NOERROR", 2: "SERVFAIL", 3: "NXDOMAIN", 5: "REFUSED"}


def agree(server, name, qtype):
    status, dflags, danswer = dig(server, name, qtype)
    r = dnsdeck_json(["@" + server, name, qtype])
    assert r["error"] is None, r["error"]
    flags, answer = ours(r["message"])
    assert RCODES.get(r["message"]["RCODE"]) == status, (name, qtype, r["message"]["RCODE"], status)
    assert flags == dflags, (server, name, qtype, flags, dflags)
    assert answer == danswer, (server, name, qtype, answer ^ danswer)
    return r


def make_agree_test(server, label):
    def fn():
        for name, qtype in CASES:
            agree(server, name, qtype)
    fn.__name__ = "json_agrees_with_dig_on_%s" % label
    return fn


for server, label in ((NSD, "nsd"), (KNOT, "knot"), (BIND, "bind"), (UNBOUND, "unbound")):
    test(make_agree_test(server, label))


@test
def json_reply_object_fields():
    r = dnsdeck_json(["@" + NSD, "example.test", "MX"])
    for k in ("server", "transport", "tc_retry", "rtt_ms", "size", "tries", "discarded",
              "error", "message"):
        assert k in r, k
    m = r["message"]
    for k in ("ID", "QR", "Opcode", "AA", "TC", "RD", "RA", "AD", "CD", "RCODE", "QDCOUNT",
              "ANCOUNT", "NSCOUNT", "ARCOUNT", "QNAME", "QTYPE", "QTYPEname", "QCLASS",
              "answerRRs"):
        assert k in m, k
    assert r["transport"] == "udp" and r["tc_retry"] is False
    assert m["QTYPEname"] == "MX" and m["QTYPE"] == 15 and m["ANCOUNT"] == 2
    assert m["AA"] == 1 and m["QR"] == 1  # kdig +json form: 1/0
    mx = sorted(rr["rdataMX"] for rr in m["answerRRs"])
    assert mx == ["10 mx1.example.test.", "20 mx2.example.test."], mx


@test
def knot_serves_the_newer_copy():
    r = dnsdeck_json(["@" + KNOT, "example.test", "MX"])
    mx = sorted(rr["rdataMX"] for rr in r["message"]["answerRRs"])
    assert mx == ["10 mx1.example.test.", "30 mx3.example.test."], mx


@test
def large_rrset_arrives_over_tcp_after_tc():
    status, _, danswer = dig(NSD, "big.example.test", "TXT")
    r = dnsdeck_json(["@" + NSD, "big.example.test", "TXT"])
    assert r["transport"] == "tcp" and r["tc_retry"] is True, (r["transport"], r["tc_retry"])
    assert r["tries"] == 2, r["tries"]
    assert r["size"] > 1232, r["size"]
    _, answer = ours(r["message"])
    assert answer == danswer and len(answer) == 40, len(answer)
    assert r["message"]["TC"] == 0


@test
def ignore_keeps_the_truncated_reply():
    r = dnsdeck_json(["@" + NSD, "big.example.test", "TXT", "+ignore"])
    assert r["transport"] == "udp" and r["message"]["TC"] == 1


@test
def tcp_option_asks_over_tcp():
    r = dnsdeck_json(["@" + BIND, "example.test", "MX", "+tcp"])
    assert r["transport"] == "tcp" and r["tc_retry"] is False


@test
def escape_case_never_emits_raw_control_bytes():
    for server in (NSD, KNOT, BIND, UNBOUND):
        rc, out, err, _ = run(["--json", "@" + server, "escape.example.test", "TXT"])
        assert rc == 0
        no_raw_control(out)
        txt = json.loads(out)["message"]["answerRRs"][0]["rdataTXT"]
        assert "\\027[31m" in txt and "\\007" in txt and "\\127" in txt, txt
        assert "\\195\\169" in txt and "\\009" in txt, txt
        rc, out, err, _ = run(["--text", "@" + server, "escape.example.test", "TXT"])
        assert rc == 0
        no_raw_control(out, allowed=b"\n\t")
        assert b"\\027[31m" in out


@test
def text_output_is_dig_like():
    rc, out, err, _ = run(["--text", "@" + NSD, "example.test", "MX"])
    assert rc == 0, err
    text = out.decode()
    assert ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: " in text
    assert re.search(r";; flags: qr aa rd; QUERY: 1, ANSWER: 2, AUTHORITY: 3, ADDITIONAL: \d+",
                     text), text
    assert ";; QUESTION SECTION:" in text and ";; ANSWER SECTION:" in text
    assert re.search(r"example\.test\.\s+3600\s+IN\s+MX\s+10 mx1\.example\.test\.", text)
    assert ";; SERVER: 127.0.53.1#53" in text
    assert re.search(r";; MSG SIZE\s+rcvd: \d+", text)


@test
def stdout_not_a_tty_gives_text():
    rc, out, err, _ = run(["@" + NSD, "example.test", "MX"])
    assert rc == 0 and b";; ANSWER SECTION:" in out


@test
def several_servers_give_an_array():
    rs = dnsdeck_json(["@" + NSD, "@" + KNOT, "@" + BIND, "example.test", "SOA"])
    assert isinstance(rs, list) and len(rs) == 3
    serials = [r["message"]["answerRRs"][0]["rdataSOA"].split()[2] for r in rs]
    assert serials == ["2026112101", "2026112102", "2026112101"], serials


@test
def nxdomain_and_refused_exit_zero():
    r = dnsdeck_json(["@" + NSD, "missing.example.test", "A"])
    assert r["message"]["RCODE"] == 3
    r = dnsdeck_json(["@" + NSD, "example.org", "A"])  # NSD is not authoritative: REFUSED
    assert r["message"]["RCODE"] == 5


@test
def default_server_comes_from_resolv_conf():
    r = dnsdeck_json(["ttl30.example.test"])
    assert r["server"] == UNBOUND, r["server"]
    assert r["message"]["RA"] == 1 and r["message"]["QTYPEname"] == "A"
    assert r["message"]["answerRRs"][0]["rdataA"] == "203.0.113.30"


@test
def server_given_by_hostname_is_resolved():
    r = dnsdeck_json(["@ns2.example.test", "example.test", "SOA"])
    assert r["error"] is None, r["error"]
    assert r["address"].startswith("127.0.53.2#53"), r["address"]
    assert "2026112102" in r["message"]["answerRRs"][0]["rdataSOA"]


@test
def silent_server_times_out_within_bound():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((SILENT, 53))
    try:
        rc, out, err, secs = run(["--json", "@" + SILENT, "example.test", "+time=1", "+tries=2"])
        assert rc == 9, rc
        assert 1.9 <= secs < 3.5, secs
        r = json.loads(out)
        assert r["error"] == "timed out" and r["message"] is None and r["tries"] == 2, r
    finally:
        s.close()


@test
def dead_address_is_unreachable():
    rc, out, err, secs = run(["--json", "@" + DEAD, "example.test", "+time=1"])
    assert rc == 9 and secs < 1.5, (rc, secs)
    assert "refused" in json.loads(out)["error"]


@test
def one_dead_one_alive_exits_zero():
    rs = dnsdeck_json(["@" + DEAD, "@" + NSD, "example.test"])
    assert rs[0]["error"] and rs[1]["error"] is None


@test
def usage_errors_exit_one_with_a_message():
    for args in (["+bogus"], ["-t", "NOSUCHTYPE", "x.test"], ["@127.0.0.1#0", "x.test"],
                 ["a" * 64 + ".test"], ["a..b"], ["one.test", "two.test"]):
        rc, out, err, _ = run(args)
        assert rc == 1, (args, rc)
        assert err.startswith(b"dnsdeck: ") and b"--help" in err, err
        assert out == b"", out


@test
def missing_resolv_conf_is_a_clear_error():
    p = subprocess.run([DNSDECK, "--resolv-conf", os.path.join(TMP, "none"), "x.test"],
                       capture_output=True, timeout=10)
    assert p.returncode == 1 and b"cannot read" in p.stderr, p.stderr


@test
def help_and_version():
    p = subprocess.run([DNSDECK, "--help"], capture_output=True, timeout=10)
    assert p.returncode == 0 and b"usage: dnsdeck" in p.stdout
    p = subprocess.run([DNSDECK, "--version"], capture_output=True, timeout=10)
    assert p.returncode == 0 and p.stdout.startswith(b"dnsdeck ")


@test
def nsid_option_is_sent():
    r = dnsdeck_json(["@" + NSD, "example.test", "+nsid"])
    assert r["error"] is None  # the lab does not configure an NSID; the query must still work


finish("lookup")
