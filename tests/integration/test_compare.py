#!/usr/bin/env python3
"""Integration tests of the propagation comparison (dnsdeck -C) against the lab.

The lab is out of step on purpose: NSD (.1) and BIND (.3) serve serial 2026112101 with
MX 10 mx1 / 20 mx2, Knot (.2) serial 2026112102 with MX 10 mx1 / 30 mx3, Unbound (.53)
resolves through BIND; BIND's "refusing" view on .4 answers REFUSED; nothing listens on
.99. A socket of this file on .98 reads and never answers. Only 127.0.53.0/24 is asked.
"""
import json
import os
import socket

from itlib import BIND, KNOT, NSD, TMP, UNBOUND, finish, no_raw_control, run, test

REFUSING, DEAD, SILENT = "127.0.53.4", "127.0.53.99", "127.0.53.98"


def compare(args, want_rc):
    rc, out, err, secs = run(["-C", "--json"] + args, timeout=30)
    assert rc == want_rc, "exit %d (wanted %d): %r" % (rc, want_rc, err)
    no_raw_control(out)
    return json.loads(out), secs


def by_server(doc):
    return {r["server"]: r for r in doc["results"]}


@test
def lab_out_of_step_is_found():
    doc, _ = compare(["@" + s for s in (NSD, KNOT, BIND, REFUSING, UNBOUND, DEAD)] +
                     ["example.test", "MX"], 1)
    assert doc["question"]["qname"] == "example.test." and doc["question"]["qtype"] == "MX"
    assert doc["consistent"] is False
    assert doc["newest_serial"] == 2026112102
    r = by_server(doc)
    assert len(r) == 6
    old = r[NSD]["group"]
    assert r[BIND]["group"] == old and r[UNBOUND]["group"] == old
    assert r[KNOT]["group"] != old and r[KNOT]["outlier"] is True
    g = doc["groups"]
    assert g[0]["majority"] is True and g[0]["size"] == 3, g
    assert g[0]["answer"] == "10 mx1.example.test., 20 mx2.example.test.", g[0]
    assert g[1]["answer"] == "10 mx1.example.test., 30 mx3.example.test.", g[1]
    assert r[KNOT]["soa_serial"] == 2026112102 and r[KNOT]["behind"] is False
    for s in (NSD, BIND, UNBOUND):
        assert r[s]["soa_serial"] == 2026112101 and r[s]["behind"] is True, r[s]
    assert r[REFUSING]["status"] == "refused" and r[REFUSING]["group"] is None
    assert r[DEAD]["status"] == "unreachable" and r[DEAD]["outlier"] is True
    assert r[NSD]["message"]["AA"] == 1 and r[UNBOUND]["message"]["RA"] == 1
    s = doc["summary"]
    assert s.startswith("6 of 6 servers differ:"), s
    for part in ("3 behind serial 2026112102", "1 with another answer", "1 REFUSED",
                 "1 unreachable"):
        assert part in s, (part, s)


@test
def agreeing_servers_are_consistent():
    doc, _ = compare(["@" + NSD, "@" + BIND, "@" + UNBOUND, "example.test", "MX"], 0)
    assert doc["consistent"] is True and len(doc["groups"]) == 1
    assert doc["summary"] == "consistent: 3 servers agree", doc["summary"]


@test
def nxdomain_everywhere_is_one_group_but_serials_differ():
    doc, _ = compare(["@" + NSD, "@" + KNOT, "@" + BIND, "missing.example.test", "A"], 1)
    assert [r["status"] for r in doc["results"]] == ["nxdomain"] * 3
    assert len(doc["groups"]) == 1 and doc["groups"][0]["answer"] == "NXDOMAIN"
    # the serial comes from the SOA in the authority section (RFC 2308 §3): the answer
    # agrees, the zone versions do not, so the change has not propagated everywhere
    assert {r["soa_serial"] for r in doc["results"]} == {2026112101, 2026112102}
    assert doc["summary"] == "2 of 3 servers differ: 2 behind serial 2026112102", doc["summary"]


@test
def auth_discovers_the_zones_servers():
    doc, _ = compare(["--auth", "example.test", "SOA"], 1)  # resolv.conf: Unbound
    r = by_server(doc)
    assert set(r) == {UNBOUND, "ns1.example.test.", "ns2.example.test.", "ns3.example.test."}, r
    assert r["ns2.example.test."]["address"] == "127.0.53.2#53"
    assert doc["discovery"] == "zone example.test.: 3 NS, 3 addresses", doc["discovery"]
    # discovered servers are asked with RD=0 (RFC 1035 §4.1.1)
    assert r["ns1.example.test."]["message"]["RD"] == 0
    assert r[UNBOUND]["message"]["RD"] == 1


@test
def servers_file_with_labels():
    path = os.path.join(TMP, "servers")
    with open(path, "w") as f:
        f.write("# lab\n127.0.53.1 nsd old copy\n127.0.53.2 knot new copy\n\n127.0.53.3\n")
    doc, _ = compare(["--servers", path, "example.test", "SOA"], 1)
    assert [r["server"] for r in doc["results"]] == ["nsd old copy", "knot new copy",
                                                    "127.0.53.3"]
    rc, out, err, _ = run(["-C", "--servers", os.path.join(TMP, "nope"), "example.test"])
    assert rc == 1 and b"cannot read" in err, err


@test
def silent_server_times_out_and_the_rest_fill_in():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((SILENT, 53))
    try:
        doc, secs = compare(["@" + NSD, "@" + SILENT, "@" + BIND, "example.test", "MX",
                             "+time=1", "+tries=1"], 1)
    finally:
        s.close()
    r = by_server(doc)
    assert r[SILENT]["status"] == "timeout" and r[SILENT]["error"] == "timed out"
    assert r[NSD]["status"] == "answer" and r[BIND]["group"] == r[NSD]["group"]
    assert 0.9 <= secs < 3.0, secs
    assert "1 timed out" in doc["summary"], doc["summary"]


@test
def text_output():
    rc, out, err, _ = run(["-C", "--text", "@" + NSD, "@" + KNOT, "example.test", "MX"])
    assert rc == 1, err
    text = out.decode()
    assert "10 mx1.example.test., 30 mx3.example.test." in text
    assert "2 of 2 servers differ" in text or "1 of 2 servers differ" in text, text


finish("compare")
