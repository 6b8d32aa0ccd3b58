#!/usr/bin/env python3
"""Integration tests of `dnsdeck --explain` against the lab (contrib/lab).

--explain adds ";;   <text> (RFC ...)" comment lines to the dig-like text (src/dns/explain.def).
Checked here on real servers: the expected explanations appear after what they explain, each
concept once per output, every line is printable ASCII, explanation lines fit 100 columns,
and without the explanation lines the output is --text's. NSID and Extended DNS Errors come
from a small dnspython responder on 127.0.0.1 (a kernel-chosen port), since no lab server is
configured with an NSID. Only loopback addresses are ever asked.
"""
import difflib
import re
import subprocess
import textwrap

from itlib import BIND, KNOT, NSD, UNBOUND, finish, no_raw_control, run, test

EXPLAIN = ";;   "  # every explanation line starts so; continuations ";;     "

# Answers every query on 127.0.0.1 (port chosen by the kernel, printed first): an A record
# with NSID "it-responder" when the query asked for it, or REFUSED with EDE 18 for refused.test.
RESPONDER = textwrap.dedent("""
    import socket, sys
    import dns.edns, dns.flags, dns.message, dns.rcode, dns.rrset
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1], flush=True)
    while True:
        data, peer = s.recvfrom(65535)
        try:
            q = dns.message.from_wire(data)
        except Exception:
            continue
        r = dns.message.make_response(q)
        r.flags |= dns.flags.RA
        opts = []
        if q.question[0].name.to_text() == "refused.test.":
            r.set_rcode(dns.rcode.REFUSED)
            opts.append(dns.edns.EDEOption(18, "not for you"))
        else:
            r.answer.append(dns.rrset.from_text(q.question[0].name, 60, "IN", "A", "127.0.0.1"))
            if any(o.otype == dns.edns.NSID for o in q.options):
                opts.append(dns.edns.GenericOption(dns.edns.NSID, b"it-responder"))
        if q.edns >= 0:
            r.use_edns(0, 0, 1232, options=opts)
        s.sendto(r.to_wire(), peer)
""")


def explained(args):
    """Run dnsdeck --explain; check exit 0 and the line rules; return the text."""
    rc, out, err, _ = run(["--explain"] + args)
    assert rc == 0, "exit %d: %r" % (rc, err)
    no_raw_control(out, allowed=b"\n\t")
    text = out.decode("ascii")
    items = []
    for line in text.splitlines():
        if line.startswith(EXPLAIN):
            assert len(line) <= 100, "too wide: %r" % line
            if line.startswith(EXPLAIN + "  "):
                items[-1] += " " + line[len(EXPLAIN) + 2:]
            else:
                items.append(line[len(EXPLAIN):])
    # each explanation ends with its source: "(RFC nnnn section s.s, ...)" or dnsdeck's own
    for item in items:
        assert re.search(r"\((RFC \d+[^()]*|dnsdeck\(1\))\)$", item), item
    return text


def strip(text):
    """The text without explanation lines, with what changes from run to run masked."""
    out = []
    for line in text.splitlines():
        if line.startswith(EXPLAIN):
            continue
        line = re.sub(r"id: \d+", "id: N", line)
        line = re.sub(r"^;; (Query time|WHEN): .*", r";; \1: X", line)
        # a caching resolver's TTLs count down between the two runs
        line = re.sub(r"^(\S+\t+)\d+(\t)", r"\1T\2", line)
        out.append(line)
    # a server may rotate the RRs of an RRset (BIND does): sort each run of RR lines
    runs, i = [], 0
    while i < len(out):
        j = i
        while j < len(out) and out[j] and not out[j].startswith(";"):
            j += 1
        runs += sorted(out[i:j]) if j > i else [out[i]]
        i = max(j, i + 1)
    return "\n".join(runs)


def same_text(t, args):
    """Assert that t without its explanations is what --text prints for args."""
    a, b = strip(t), strip(plain(args))
    assert a == b, "\n".join(difflib.unified_diff(b.splitlines(), a.splitlines(), lineterm=""))


def plain(args):
    rc, out, err, _ = run(["--text"] + args)
    assert rc == 0, "exit %d: %r" % (rc, err)
    return out.decode("ascii")


def after(text, line_start, expl_start):
    """Assert that the line starting with line_start is followed, after at most a few other
    explanation lines, by the explanation starting with expl_start."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(line_start):
            j = i + 1
            while j < len(lines) and lines[j].startswith(";;  "):
                if lines[j].startswith(EXPLAIN + expl_start):
                    return
                j += 1
    raise AssertionError("%r not explained by %r" % (line_start, expl_start))


def once(text, expl_start):
    n = sum(1 for line in text.splitlines() if line.startswith(EXPLAIN + expl_start))
    assert n == 1, "%r explained %d times" % (expl_start, n)


def dig_parse(text):
    """What test_lookup.py's dig parser reads: status, flags and the answer RRs."""
    status = re.search(r"status: (\w+)", text).group(1)
    flags = set(re.search(r";; flags:([^;]*);", text).group(1).split())
    answer, in_answer = [], False
    for line in text.splitlines():
        if line.startswith(";; ANSWER SECTION"):
            in_answer = True
        elif in_answer and not line.strip():
            in_answer = False
        elif in_answer and not line.startswith(";"):
            answer.append(tuple(line.split()[0:1] + line.split()[2:]))
    return status, flags, sorted(answer)


@test
def soa_from_nsd():
    args = ["@" + NSD, "example.test", "SOA"]
    t = explained(args)
    after(t, ";; ->>HEADER<<-", "opcode: the kind of request")
    after(t, ";; ->>HEADER<<-", "NOERROR (0): no error.")
    after(t, ";; flags:", "aa, Authoritative Answer")
    after(t, ";; OPT PSEUDOSECTION:", "OPT pseudosection")
    after(t, ";; QUESTION SECTION:", "QUESTION: what was asked")
    after(t, "example.test.\t", "SOA SERIAL (3rd field)")
    for field in ("MNAME", "RNAME", "SERIAL", "REFRESH", "RETRY", "EXPIRE", "MINIMUM"):
        once(t, "SOA %s " % field)
    after(t, ";; AUTHORITY SECTION:", "AUTHORITY: records about")
    once(t, "NS: a name server")  # three NS records, one explanation
    after(t, ";; Query time:", "rtt (Query time)")
    after(t, ";; SERVER:", "udp: the reply came in one UDP datagram")
    after(t, ";; TRANSPORT:", "discarded: replies that arrived")
    assert "(RFC 1035 section 3.3.13)" in t
    assert "RFC 1982 section 3)" in t
    # still dig's text: the same as --text once the explanations are dropped
    same_text(t, args)
    assert dig_parse(t) == dig_parse(plain(args))


@test
def mx_through_unbound_and_two_servers():
    t = explained(["@" + UNBOUND, "example.test", "MX"])
    after(t, ";; flags:", "ra, Recursion Available")
    # a type is explained where it first shows: the question
    after(t, ";example.test.\t", "MX: a mail exchanger")
    after(t, "example.test.\t", "TTL: how many seconds")
    once(t, "MX: a mail exchanger")
    # several servers: each concept still explained once per output
    args = ["@" + NSD, "@" + KNOT, "@" + BIND, "example.test", "MX"]
    t = explained(args)
    assert t.count(";; ANSWER SECTION:") == 3
    for start in ("MX: a mail exchanger", "ANSWER: the records", "flags: one-bit fields",
                  "aa, Authoritative Answer", "TTL: how many seconds", "server: the address"):
        once(t, start)
    same_text(t, args)


@test
def escaped_txt():
    t = explained(["@" + NSD, "escape.example.test", "TXT"])
    after(t, ";escape.example.test.\t", "TXT: free-form text")
    after(t, "escape.example.test.\t", "data (RDATA)")
    assert "\\DDD (decimal)" in t
    assert "\\027[31mred" in t  # the hostile bytes stay escaped


@test
def nxdomain():
    t = explained(["@" + NSD, "missing.example.test", "A"])
    after(t, ";; ->>HEADER<<-", "NXDOMAIN (3): the name asked does not exist")
    after(t, "example.test.\t", "Negative caching:")
    once(t, "SOA MINIMUM (7th field)")
    assert "(RFC 2308 section 3)" in t


@test
def nsid_option():
    # the lab sends no NSID; the EDNS fields of the reply are explained all the same
    t = explained(["@" + NSD, "example.test", "SOA", "+nsid"])
    after(t, "; EDNS: version:", "version: the EDNS version")
    after(t, "; EDNS: version:", "udp: the largest UDP message")
    # a server that sends one
    srv = subprocess.Popen(["/usr/bin/python3", "-c", RESPONDER], stdout=subprocess.PIPE,
                           stdin=subprocess.DEVNULL, text=True)
    try:
        port = int(srv.stdout.readline())
        at = "@127.0.0.1#%d" % port
        t = explained([at, "nsid.test", "A", "+nsid"])
        after(t, "; NSID: ", "NSID (3): Name Server Identifier")
        assert '("it-responder")' in t
        assert "(RFC 5001 section 2.3)" in t
        t = explained([at, "refused.test", "A"])
        after(t, ";; ->>HEADER<<-", "REFUSED (5)")
        after(t, "; EDE: 18 (Prohibited)", "EDE (15): Extended DNS Error")
        after(t, "; EDE: 18 (Prohibited)", "EDE 18, Prohibited")
    finally:
        srv.terminate()
        srv.wait(timeout=10)


@test
def usage_errors():
    for extra in (["--json"], ["--tui"], ["-C"], ["--mx", "example.test"]):
        rc, out, err, _ = run(["--explain", "@" + NSD, "example.test"] + extra)
        assert rc == 1, (extra, rc)
        assert b"--explain" in err, err
        assert out == b""


finish("explain")
