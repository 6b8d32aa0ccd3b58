#!/usr/bin/python3
"""make_seeds.py -- (re)make the seed corpora of tests/fuzz/.

    /usr/bin/python3 tests/fuzz/make_seeds.py [--no-lab] [OUT_DIR]

corpus/reply/: the raw bytes of real replies from the lab (contrib/lab: NSD 127.0.53.1, Knot
.2, BIND .3, BIND's refusing view .4, Unbound .53; nothing else is ever asked), one file per
question and server, for every demo name of contrib/lab/example.test.zone (MX plans, NODATA,
NXDOMAIN, CNAME chains, wildcards, the big TXT both as the TC=1 UDP reply and whole over TCP,
the escape TXT, REFUSED, CHAOS, EDNS with NSID and DO), plus hand-made hostile packets: a
real-looking reply built with dnspython, then broken on purpose (compression pointer loops,
labels over 63 octets, names over 255, RDLENGTH past the end, counts larger than the
content, trailing garbage, short headers, OPT and TSIG misplaced or malformed, hostile bytes
in names, TXT and EDNS options, garbage rdata for types ldns prints field by field).

corpus/args/: command lines and prompt lines (tests/check_args.c shows what is accepted), in
fuzz_args.c's format: the input up to its first NUL is the command, split at newlines into
argv and taken whole as the ':' prompt line; after the NUL comes the --servers file.

Needs dnspython (Debian's python3-dnspython, hence /usr/bin/python3) and, without --no-lab, a
running lab (contrib/lab/start.sh). Files are named after what they hold; IDs are fixed so
that a re-run makes the same bytes when the servers say the same.
"""
import os
import socket
import struct
import sys

import dns.edns
import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset

LAB = {"nsd": "127.0.53.1", "knot": "127.0.53.2", "bind": "127.0.53.3",
       "unbound": "127.0.53.53"}
REFUSING = "127.0.53.4"
QID = 0x2a2a

# (name, type) asked of every lab server: every demo case of the zone.
QUESTIONS = [
    ("example.test", "MX"), ("example.test", "SOA"), ("example.test", "NS"),
    ("example.test", "TXT"), ("example.test", "A"), ("example.test", "ANY"),
    ("_dmarc.example.test", "TXT"), ("group.example.test", "MX"),
    ("nullmx.example.test", "MX"), ("nullmx.example.test", "TXT"),
    ("implicit.example.test", "MX"), ("implicit.example.test", "AAAA"),
    ("cname-mx.example.test", "MX"), ("alias.example.test", "A"),
    ("dangling.example.test", "MX"), ("missing.example.test", "A"),
    ("noaddr.example.test", "MX"), ("noaddr-host.example.test", "A"),
    ("iplit.example.test", "MX"), ("spf2.example.test", "TXT"),
    ("ttl30.example.test", "A"), ("lowttl.example.test", "A"),
    ("escape.example.test", "TXT"), ("www.example.test", "A"),
    ("anything.wild.example.test", "TXT"), ("a.b.wild.example.test", "A"),
    ("wild.example.test", "A"), ("smtp-lab.example.test", "MX"),
    ("ns1.example.test", "A"), ("mx1.example.test", "AAAA"), ("mx3.example.test", "A"),
    ("EXAMPLE.Test", "mx"),
]


def fname(*parts):
    return "-".join(p.replace("/", "_").replace("*", "star") for p in parts)


def ask_udp(addr, msg):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2)
    try:
        s.connect((addr, 53))
        s.send(msg.to_wire())
        while True:
            data = s.recv(65535)
            if len(data) >= 2 and struct.unpack("!H", data[:2])[0] == msg.id:
                return data
    except OSError:
        return None
    finally:
        s.close()


def ask_tcp(addr, msg):
    wire = msg.to_wire()
    try:
        with socket.create_connection((addr, 53), timeout=2) as s:
            s.sendall(struct.pack("!H", len(wire)) + wire)
            buf = b""
            while len(buf) < 2 or len(buf) < 2 + struct.unpack("!H", buf[:2])[0]:
                chunk = s.recv(65535)
                if not chunk:
                    return None
                buf += chunk
            return buf[2:2 + struct.unpack("!H", buf[:2])[0]]
    except OSError:
        return None


def query(name, rtype, rdclass="IN", edns=0, payload=1232, want_dnssec=False, options=None,
          rd=True):
    q = dns.message.make_query(name, rtype, rdclass, use_edns=edns, payload=payload,
                               want_dnssec=want_dnssec, options=options or [])
    q.id = QID
    if not rd:
        q.flags &= ~dns.flags.RD
    return q


def lab_seeds(out):
    made = {}

    def keep(label, data):
        if data is not None and data not in made.values():
            made[label] = data

    for server, addr in LAB.items():
        for name, rtype in QUESTIONS:
            keep(fname(server, name, rtype),
                 ask_udp(addr, query(name, rtype, rd=server == "unbound")))
        big = query("big.example.test", "TXT")
        keep(fname(server, "big-TXT-udp-tc"), ask_udp(addr, big))
        keep(fname(server, "big-TXT-tcp"), ask_tcp(addr, big))
        keep(fname(server, "big-TXT-noedns-tc"),
             ask_udp(addr, query("big.example.test", "TXT", edns=-1)))
        keep(fname(server, "nsid-do"),
             ask_udp(addr, query("example.test", "SOA", want_dnssec=True,
                                 options=[dns.edns.GenericOption(dns.edns.NSID, b"")])))
        keep(fname(server, "cookie"),
             ask_udp(addr, query("example.test", "MX",
                                 options=[dns.edns.GenericOption(dns.edns.COOKIE,
                                                                 b"\x01" * 8)])))
        keep(fname(server, "edns1-badvers"), ask_udp(addr, query("example.test", "MX", edns=1)))
        keep(fname(server, "chaos-version"), ask_udp(addr, query("version.bind", "TXT", "CH")))
        keep(fname(server, "outside-zone"), ask_udp(addr, query("example.org", "A", rd=False)))
        keep(fname(server, "type65280"), ask_udp(addr, query("example.test", "TYPE65280")))
    keep("bind-refusing-view", ask_udp(REFUSING, query("example.test", "MX")))
    keep("nsd-axfr-tcp", ask_tcp(LAB["nsd"], query("example.test", "AXFR", edns=-1)))
    for label, data in made.items():
        with open(os.path.join(out, label), "wb") as f:
            f.write(data)
    return len(made)


def response(qname="example.test.", qtype="MX", answers=(), authority=(), additional=(),
             edns=-1, options=None, rcode=dns.rcode.NOERROR):
    """A well-formed reply to example.test MX (or qname/qtype) built by dnspython."""
    q = query(qname, qtype, edns=edns)
    r = dns.message.make_response(q)
    r.flags |= dns.flags.AA | dns.flags.RA
    r.set_rcode(rcode)
    if edns >= 0:
        r.use_edns(edns, payload=1232, options=options or [])
    for section, texts in ((r.answer, answers), (r.authority, authority),
                           (r.additional, additional)):
        for text in texts:
            owner, ttl, rdclass, rdtype, rdata = text.split(None, 4)
            section.append(dns.rrset.from_text(owner, int(ttl), rdclass, rdtype, rdata))
    return bytearray(r.to_wire())


def wname(*labels):
    """A name in wire form from raw labels (any length, any bytes: that is the point)."""
    return b"".join(bytes([len(l)]) + l for l in labels) + b"\x00"


def wrr(owner, rtype, rdata, rdclass=1, ttl=60, rdlength=None):
    """One RR in wire form; rdlength overrides the true length."""
    if isinstance(rtype, str):
        rtype = dns.rdatatype.from_text(rtype)
    n = len(rdata) if rdlength is None else rdlength
    return owner + struct.pack("!HHIH", rtype, rdclass, ttl, n) + rdata


def counts(wire, qd=None, an=None, ns=None, ar=None):
    for off, v in ((4, qd), (6, an), (8, ns), (10, ar)):
        if v is not None:
            struct.pack_into("!H", wire, off, v)
    return wire


def with_rrs(head, an=(), ns=(), ar=()):
    """A dnspython header and question followed by hand-made RRs, counts set to match."""
    w = bytearray(head) + b"".join(an) + b"".join(ns) + b"".join(ar)
    return counts(w, an=len(an), ns=len(ns), ar=len(ar))


QPTR = struct.pack("!H", 0xC00C)  # compression pointer to the question name
MX = ["example.test. 3600 IN MX 10 mx1.example.test.",
      "example.test. 3600 IN MX 20 mx2.example.test."]


def hostile_seeds(out):
    seeds = {}
    head = response()  # header + question example.test. MX, no RRs
    rr = len(head)  # where the first RR starts
    mx = wrr(QPTR, "MX", b"\x00\x0a" + QPTR)
    base = response(answers=MX)
    seeds["base-mx"] = base

    # compression pointers (RFC 1035 §4.1.4)
    seeds["ptr-loop-self"] = with_rrs(head, an=[
        wrr(struct.pack("!H", 0xC000 | rr), "MX", b"\x00\x0a" + QPTR)])
    seeds["ptr-loop-pair"] = with_rrs(head, an=[
        struct.pack("!HH", 0xC000 | (rr + 2), 0xC000 | rr)[0:2] +
        wrr(struct.pack("!H", 0xC000 | rr), "MX", b"\x00\x0a" + QPTR)])
    seeds["ptr-past-end"] = with_rrs(head, an=[
        wrr(struct.pack("!H", 0xC000 | 0x3fff), "MX", b"\x00\x0a" + QPTR)])
    seeds["ptr-into-header"] = with_rrs(head, an=[
        wrr(struct.pack("!H", 0xC002), "MX", b"\x00\x0a" + QPTR)])
    seeds["ptr-in-rdata-loop"] = with_rrs(head, an=[
        wrr(QPTR, "MX", b"\x00\x0a" + struct.pack("!H", 0xC000 | (rr + 12)))])
    seeds["ptr-long-chain"] = with_rrs(head, an=[
        b"\x01a" * 40 + struct.pack("!H", 0xC000 | rr) + struct.pack("!HHIH", 15, 1, 60, 4) +
        b"\x00\x0a" + QPTR])

    # labels and names (RFC 1035 §2.3.4: labels <= 63 octets, names <= 255)
    w = bytearray(base)
    w[12] = 64
    seeds["label-64-question"] = w
    seeds["label-64-answer"] = with_rrs(head, an=[wrr(wname(b"x" * 64), "A", b"\xc6\x33\x64\x0b")])
    seeds["label-type-0x40"] = with_rrs(head, an=[wrr(b"\x41\x01\x00", "A", b"\x01" * 4)])
    seeds["label-type-0x80"] = with_rrs(head, an=[wrr(b"\x80\x00", "A", b"\x01" * 4)])
    seeds["name-256-octets"] = with_rrs(head, an=[wrr(wname(*[b"y" * 63] * 4), "A", b"\x01" * 4)])
    seeds["name-hostile-bytes"] = with_rrs(head, an=[
        wrr(wname(b"a\x00.\\\"", b"\x1b[2J", b"\xff\xfe\x80\x7f\t", b"\xc3\xa9") + b"", "TXT",
            b"\x05\x1b[31m"),
        wrr(QPTR, "CNAME", wname(b"\x1b]0;title\x07", b"example", b"test"))])
    w = bytearray(base)
    w[13:25] = b"\x1b[31mEVIL\x07\x00"
    seeds["question-hostile-bytes"] = w

    # lengths and counts
    seeds["rdlength-past-end"] = with_rrs(head, an=[wrr(QPTR, "MX", b"\x00\x0a" + QPTR,
                                                        rdlength=4000)])
    seeds["rdlength-short"] = with_rrs(head, an=[wrr(QPTR, "MX", b"\x00", rdlength=1), mx])
    seeds["rdlength-zero-mx"] = with_rrs(head, an=[wrr(QPTR, "MX", b""), mx])
    seeds["counts-larger"] = counts(bytearray(base), an=5, ns=3, ar=7)
    seeds["counts-ffff"] = counts(bytearray(base), qd=0xFFFF, an=0xFFFF, ns=0xFFFF, ar=0xFFFF)
    seeds["qdcount-0"] = counts(bytearray(base[:12]), qd=0, an=0)
    seeds["qdcount-2"] = counts(bytearray(head) + head[12:] + mx, qd=2, an=1)
    seeds["trailing-garbage"] = bytearray(base) + b"\x00\xff" * 64 + b"\x1b[2J"
    seeds["cut-mid-rr"] = bytearray(base[:rr + 7])
    seeds["header-only"] = bytearray(base[:12])
    seeds["short-11"] = bytearray(base[:11])
    seeds["short-1"] = bytearray(base[:1])
    seeds["empty"] = bytearray()
    w = bytearray(base[:rr + 7])
    w[2] |= 0x02  # TC=1 and cut, as a truncating server may send it
    seeds["tc-cut"] = w

    # header oddities
    w = bytearray(base)
    w[2], w[3] = 0xFF, 0xFF  # QR, opcode 15, AA, TC, RD, RA, Z, AD, CD, rcode 15
    seeds["header-all-bits"] = w
    w = bytearray(base)
    w[2] = (w[2] & 0x87) | (4 << 3)
    seeds["opcode-notify"] = w
    w = bytearray(base)
    w[2] &= 0x7F
    seeds["qr-0"] = w

    # EDNS (RFC 6891): options with hostile bytes, broken lengths, misplaced OPT RRs
    seeds["opt-nsid-escape"] = response(answers=MX, edns=0, options=[
        dns.edns.GenericOption(dns.edns.NSID, b"\x1b]0;pwned\x07\\027\x00\xff")])
    seeds["opt-ede-control"] = response(rcode=dns.rcode.SERVFAIL, edns=0, options=[
        dns.edns.GenericOption(15, b"\x00\x06\x1b[2Jbogus\r\n\x00\xc3\xa9")])
    seeds["opt-ede-short"] = response(edns=0, options=[dns.edns.GenericOption(15, b"\x00")])
    seeds["opt-unknown-options"] = response(edns=0, options=[
        dns.edns.GenericOption(65001, b"\x00" * 3), dns.edns.GenericOption(12, b""),
        dns.edns.GenericOption(8, b"\x00\x01\x18\x00\xc0\x00\x02"),
        dns.edns.GenericOption(10, b"\x01" * 40)])
    opt = b"\x00" + struct.pack("!HHIH", 41, 1232, 0, 0)
    seeds["opt-option-past-end"] = with_rrs(head, an=[mx], ar=[
        b"\x00" + struct.pack("!HHIH", 41, 1232, 0, 8) + struct.pack("!HH", 3, 200) + b"abcd"])
    seeds["opt-twice"] = with_rrs(head, an=[mx], ar=[opt, opt])
    seeds["opt-owner-not-root"] = with_rrs(head, an=[mx], ar=[QPTR + opt[1:]])
    seeds["opt-extended-rcode"] = with_rrs(head, an=[mx], ar=[
        b"\x00" + struct.pack("!HHIH", 41, 512, 0xFF078000, 0)])  # ext rcode 255, version 7, DO
    seeds["opt-in-answer"] = with_rrs(head, an=[opt])
    seeds["opt-in-authority"] = with_rrs(head, ns=[opt], ar=[opt])

    # TSIG (RFC 8945) that is garbage, and one that is not the last RR
    tsig = wname(b"key") + struct.pack("!HHIH", 250, 255, 0, 10) + b"\x00" * 10
    seeds["tsig-garbage"] = with_rrs(head, an=[mx], ar=[tsig])
    seeds["tsig-not-last"] = with_rrs(head, an=[mx], ar=[tsig, mx])

    # garbage rdata for the types ldns reads and prints field by field
    garbage = {
        "A": "010203", "AAAA": "0102030405", "SOA": "0378787800ff", "TXT": "0a1b5b326a07",
        "NSEC": "00000500ffffff", "LOC": "ff" * 16, "APL": "00010f0301020304",
        "WKS": "01020304ff0000", "SSHFP": "0101", "NAPTR": "0001000202", "CAA": "0005697373756500",
        "IPSECKEY": "0a03020102", "SVCB": "000100000100030102", "HTTPS": "0001000001000568326a07",
        "HIP": "ff020001aabb", "DS": "000102", "RRSIG": "0001020304", "TYPE65280": "1b5b3264",
        "CERT": "ffffff00", "NSEC3": "01000000ff", "NSEC3PARAM": "010000ff", "AMTRELAY": "0a8303",
        "TKEY": "00000000", "HINFO": "0201ff", "SRV": "000100020003", "DNSKEY": "01010300",
        "ZONEMD": "000000010101", "L32": "0001", "EUI48": "0102030405", "URI": "0001000a",
        "OPENPGPKEY": "", "TLSA": "030101", "CSYNC": "0000000100", "X25": "05313233",
        "ISDN": "", "GPOS": "0131", "NID": "000a", "RP": "0378", "MINFO": "00", "SIG": "00",
        "KEY": "0100", "NXT": "00ff", "A6": "8001", "DNAME": "c0ff", "PTR": "00ff00",
    }
    for rtype, hexdata in garbage.items():
        try:
            code = dns.rdatatype.from_text(rtype)
        except dns.rdatatype.UnknownRdatatype:
            print("make_seeds: skipped %s" % rtype, file=sys.stderr)
            continue
        seeds["rdata-garbage-" + rtype] = with_rrs(
            response(qname="g.example.test.", qtype=code),
            an=[wrr(QPTR, code, bytes.fromhex(hexdata)),
                wrr(QPTR, code, bytes.fromhex(hexdata) + b"\x1b[2J\x00\xff" * 3)])

    # well-formed but unusual rdata, and every byte value in a TXT
    seeds["txt-all-bytes"] = response(qname="t.example.test.", qtype="TXT", answers=[
        "t.example.test. 60 IN TXT " + " ".join(
            '"' + "".join("\\%03d" % b for b in range(i, i + 64)) + '"'
            for i in range(0, 256, 64))])
    unusual = [
        "u.example.test. 60 IN LOC 52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m",
        "u.example.test. 60 IN CAA 0 issue \"ca.example\\027[2J\"",
        "u.example.test. 60 IN NAPTR 100 10 \"U\" \"E2U+sip\" \"!^.*$!sip:x@example.test!\" .",
        "u.example.test. 60 IN SSHFP 1 1 0123456789abcdef0123456789abcdef01234567",
        "u.example.test. 60 IN SRV 0 5 5060 sip.example.test.",
        "u.example.test. 60 IN HINFO \"\\027[1m\" \"\\000\"",
        "u.example.test. 60 IN SVCB 1 . alpn=h2,h3 port=853 ipv4hint=192.0.2.1 key65000=\\027",
        "u.example.test. 60 IN APL 1:192.0.2.0/24 !2:2001:db8::/32",
        "u.example.test. 0 CH TYPE65534 \\# 0",
        "u.example.test. 4294967295 IN TYPE65280 \\# 4 1b5b3264",
    ]
    rrs = []
    for text in unusual:
        try:
            rrs.append(response(qname="u.example.test.", qtype="ANY", answers=[text])[
                len(response(qname="u.example.test.", qtype="ANY")):])
        except Exception as e:  # a type this dnspython cannot write from text
            print("make_seeds: skipped %r: %s" % (text, e), file=sys.stderr)
    seeds["unusual-types"] = with_rrs(response(qname="u.example.test.", qtype="ANY"), an=rrs)
    seeds["cname-chain-nxdomain"] = response(qname="www.example.test.", qtype="A", answers=[
        "www.example.test. 3600 IN CNAME web.example.test.",
        "web.example.test. 3600 IN CNAME host.example.test."], authority=[
        "example.test. 300 IN SOA ns1.example.test. hostmaster.example.test. 1 2 3 4 300"],
        rcode=dns.rcode.NXDOMAIN)
    seeds["soa-serial-max"] = response(qtype="SOA", answers=[
        "example.test. 300 IN SOA ns1.example.test. h\\.x.example.test. 4294967295 0 0 0 0"])
    for label, data in seeds.items():
        with open(os.path.join(out, "hostile-" + label), "wb") as f:
            f.write(bytes(data))
    return len(seeds)


ARGS = [
    "example.test MX",
    "@127.0.53.1 example.test MX",
    "@127.0.53.1 @127.0.53.2#5353 @[::1]#53 @ns1.example.test example.test MX +norec",
    "MX example.test IN @127.0.53.53",
    "-t AAAA -c CH -p 5353 mx1.example.test @::1",
    "-x 127.0.53.1",
    "-x 2001:db8::11 TXT",
    "example.test +time=1 +tries=3 +retry=2 +tcp +ignore +dnssec +cd +adflag +nsid",
    "example.test +noedns +bufsize=4096 +edns=0 +norec +nodnssec +nocd +noadflag +nonsid",
    "+vc +notcp +recurse +cdflag +noignore",
    "--text --json --tui --smtp --auth -C --compare example.test SOA",
    "--mx user@group.example.test @127.0.53.53 --smtp",
    "--resolv-conf /tmp/r.conf ttl30.example.test",
    "--resolv-conf=/tmp/r.conf example.test TYPE65280 CLASS3",
    "--servers",
    "--public -C example.test",
    "--help", "--version", "-h", "-v",
    "",
    "AAAA",
    "example.test MX extra",
    "+time=0", "+tries=101", "+bufsize=65536", "+edns=1", "+unknown", "-q", "-t", "-t BOGUS",
    "-p 0", "-x not-an-address", "@", "@127.0.0.1#", "@127.0.0.1#99999", "@bad..name",
    "\x1b[2J\x07 MX", "a" * 64 + ".example.test", "\\000\\255.example.test",
    "example.test.. MX", ".",
]

ARGV = [
    # argv: one word per line (a word may hold blanks); a NUL ends the command, and what
    # follows it is the content of the file every --servers names (see fuzz_args.c)
    "@127.0.53.1\nexample.test\nMX\n+norec",
    "--servers\nx\n-C\nexample.test\nMX\0"
    "127.0.53.1 nsd\n# comment\n127.0.53.2#5353 knot lab\n\n::1\n; other\n[::1]#53\n",
    "--servers\nx\0127.0.53.1 \x1b[2Jlabel\n",
    "--servers\nx\0not..a.server label\n",
    "--servers\nx\0ns1.example.test ns one\n127.0.53.4\t refusing\r\n" + "a" * 600 + "\n",
    "--mx\n@bad\n",
    "--mx\nuser@\n",
    "-C\n--auth\n--public\nexample.test\nSOA",
    "--resolv-conf\n\n",
    "example test\nMX",
    "example.test\n\n\nMX",
    "-x\n127.0.53.1\n-p\n5353\n@127.0.0.1\n@127.0.0.2#53",
]
def args_seeds(out):
    for i, line in enumerate(ARGS):
        with open(os.path.join(out, "line-%02d" % i), "wb") as f:
            f.write(line.encode("latin-1"))
    for i, text in enumerate(ARGV):
        with open(os.path.join(out, "argv-%02d" % i), "wb") as f:
            f.write(text.encode("latin-1"))
    return len(ARGS) + len(ARGV)


def main():
    args = sys.argv[1:]
    lab = "--no-lab" not in args
    args = [a for a in args if a != "--no-lab"]
    top = args[0] if args else os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
    reply, argdir = os.path.join(top, "reply"), os.path.join(top, "args")
    os.makedirs(reply, exist_ok=True)
    os.makedirs(argdir, exist_ok=True)
    n = lab_seeds(reply) if lab else 0
    if lab and n < 100:
        sys.exit("make_seeds: only %d lab replies: is the lab running (contrib/lab/start.sh)?" % n)
    h = hostile_seeds(reply)
    a = args_seeds(argdir)
    print("make_seeds: %d lab replies, %d hostile packets in %s; %d args inputs in %s" %
          (n, h, reply, a, argdir))


if __name__ == "__main__":
    main()
