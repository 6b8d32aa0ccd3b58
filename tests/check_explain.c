/*
 * check_explain.c -- the explain table (dns/explain.c, explain.def) and --explain text output
 * (out/text.c): every entry has a text and an RFC, keys are unique, the key builders never
 * give a key without a text, and for a set of realistic replies built with ldns (every common
 * RR type, SOA, EDNS with NSID/COOKIE/EDE, NXDOMAIN, NODATA, referral, TSIG, each rcode 0-23,
 * BADVERS) the walk over what the views show finds a text for every key it names.
 */
#include "config.h"
#include "tests.h"
#include "dns/explain.h"
#include "dns/rrtext.h"
#include "engine/lookup.h"
#include "out/text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The UTF-8 section sign, the one non-ASCII character the table may hold. */
#define SECT "\xc2\xa7"

/* Fail unless s is printable ASCII, apart from "§" when sect is true. */
static void assert_table_text(const char *key, const char *what, const char *s, bool sect)
{
	for (const char *p = s; *p != '\0'; p++) {
		if (sect && strncmp(p, SECT, 2) == 0) {
			p++;
			continue;
		}
		ck_assert_msg(*p >= 0x20 && *p <= 0x7e, "%s: %s has byte 0x%02x", key, what,
		              (unsigned char)*p);
	}
}

/* One "RFC nnnn" or "RFC nnnn §a.b.c" reference. */
static bool rfc_ref_ok(const char *s, size_t len)
{
	size_t i = 4;

	if (len < 5 || strncmp(s, "RFC ", 4) != 0)
		return false;
	while (i < len && isdigit((unsigned char)s[i]))
		i++;
	if (i == 4)
		return false;
	if (i == len)
		return true;
	if (len - i < 4 || strncmp(s + i, " " SECT, 3) != 0)
		return false;
	for (i += 3; i < len; i++)
		if (!isdigit((unsigned char)s[i]) && s[i] != '.')
			return false;
	return isdigit((unsigned char)s[len - 1]) != 0;
}

/* --- the table --------------------------------------------------------------------------- */

START_TEST(test_explain_table)
{
	size_t n = explain_count();

	ck_assert_uint_gt(n, 150);
	ck_assert_ptr_null(explain_at(n));
	ck_assert_ptr_null(explain_get("no.such.key"));
	ck_assert_ptr_null(explain_get(NULL));
	for (size_t i = 0; i < n; i++) {
		const struct explain *e = explain_at(i);
		const char *r = e->rfc;

		ck_assert_msg(e->key != NULL && *e->key != '\0', "entry %zu has no key", i);
		ck_assert_msg(strlen(e->key) < EXPLAIN_KEY_MAX, "%s: key too long", e->key);
		ck_assert_msg(e->text != NULL && strlen(e->text) >= 20, "%s: no text", e->key);
		/* one or two lines of about 90 columns */
		ck_assert_msg(strlen(e->text) <= 190, "%s: text of %zu bytes", e->key,
		              strlen(e->text));
		ck_assert_msg(e->text[strlen(e->text) - 1] == '.' ||
		                  e->text[strlen(e->text) - 1] == ')',
		              "%s: text does not end a sentence", e->key);
		assert_table_text(e->key, "text", e->text, true);
		assert_table_text(e->key, "rfc", e->rfc, true);
		/* "RFC nnnn §s.s" references joined by ", ", or our own measurement */
		ck_assert_msg(r != NULL && *r != '\0', "%s: no RFC", e->key);
		if (strcmp(r, "dnsdeck(1)") != 0) {
			while (*r != '\0') {
				size_t len = strcspn(r, ",");

				ck_assert_msg(rfc_ref_ok(r, len), "%s: bad reference '%s'", e->key,
				              e->rfc);
				r += len;
				if (*r == ',') {
					ck_assert_msg(r[1] == ' ', "%s: bad list '%s'", e->key,
					              e->rfc);
					r += 2;
				}
			}
		}
		/* keys are unique: the lookup finds this very entry */
		ck_assert_msg(explain_get(e->key) == e, "%s: duplicate key", e->key);
		for (size_t k = i + 1; k < n; k++)
			ck_assert_msg(strcmp(e->key, explain_at(k)->key) != 0, "%s twice", e->key);
	}
	/* every group the builders map codes into has its documented fallback */
	ck_assert_ptr_nonnull(explain_get("rr.unknown"));
	ck_assert_ptr_nonnull(explain_get("class.unknown"));
	ck_assert_ptr_nonnull(explain_get("opcode.unknown"));
	ck_assert_ptr_nonnull(explain_get("rcode.unknown"));
	ck_assert_ptr_nonnull(explain_get("option.unknown"));
	ck_assert_ptr_nonnull(explain_get("ede.unknown"));
	/* RFC 3597: the generic type text says how unknown types are shown */
	ck_assert_ptr_nonnull(strstr(explain_get("rr.unknown")->rfc, "RFC 3597"));
	ck_assert_ptr_nonnull(strstr(explain_get("rr.unknown")->text, "TYPE"));
}
END_TEST

START_TEST(test_explain_format)
{
	const struct explain *e = explain_get("flag.aa");
	char buf[512], small[16];
	size_t n;

	n = explain_format(buf, sizeof(buf), e, false);
	ck_assert_uint_eq(n, strlen(buf));
	ck_assert_ptr_nonnull(strstr(buf, "(RFC 1035 " SECT "4.1.1)"));
	ck_assert(strncmp(buf, e->text, strlen(e->text)) == 0);
	n = explain_format(buf, sizeof(buf), e, true);
	ck_assert_uint_eq(n, strlen(buf));
	ck_assert_ptr_nonnull(strstr(buf, "(RFC 1035 section 4.1.1)"));
	ck_assert_ptr_null(strstr(buf, SECT));
	/* truncation: NUL-terminated, and the full length is returned */
	ck_assert_uint_eq(explain_format(small, sizeof(small), e, true), n);
	ck_assert_uint_eq(strlen(small), sizeof(small) - 1);
	ck_assert(strncmp(small, buf, sizeof(small) - 1) == 0);
	/* every entry fits the 512 bytes the header promises, in both forms */
	for (size_t i = 0; i < explain_count(); i++) {
		ck_assert_uint_lt(explain_format(buf, sizeof(buf), explain_at(i), false),
		                  sizeof(buf));
		ck_assert_uint_lt(explain_format(buf, sizeof(buf), explain_at(i), true),
		                  sizeof(buf));
		for (const char *p = buf; *p; p++)
			ck_assert_msg(*p >= 0x20 && *p <= 0x7e, "%s: not ASCII",
			              explain_at(i)->key);
	}
}
END_TEST

/* --- key builders ------------------------------------------------------------------------ */

/* Every RR type a reply shows often enough to deserve its own text (issue 7's list and the
 * types the lab and real servers hand out). */
static const ldns_rr_type own_types[] = {
    LDNS_RR_TYPE_A,          LDNS_RR_TYPE_AAAA,  LDNS_RR_TYPE_CNAME, LDNS_RR_TYPE_MX,
    LDNS_RR_TYPE_NS,         LDNS_RR_TYPE_SOA,   LDNS_RR_TYPE_TXT,   LDNS_RR_TYPE_PTR,
    LDNS_RR_TYPE_SRV,        LDNS_RR_TYPE_CAA,   LDNS_RR_TYPE_TLSA,  LDNS_RR_TYPE_DS,
    LDNS_RR_TYPE_DNSKEY,     LDNS_RR_TYPE_RRSIG, LDNS_RR_TYPE_NSEC,  LDNS_RR_TYPE_NSEC3,
    LDNS_RR_TYPE_NSEC3PARAM, LDNS_RR_TYPE_OPT,   LDNS_RR_TYPE_TSIG,  LDNS_RR_TYPE_DNAME,
    LDNS_RR_TYPE_HINFO,      LDNS_RR_TYPE_SPF,   LDNS_RR_TYPE_CDS,   LDNS_RR_TYPE_CDNSKEY,
    LDNS_RR_TYPE_SVCB,       LDNS_RR_TYPE_HTTPS, LDNS_RR_TYPE_SSHFP, LDNS_RR_TYPE_ZONEMD,
    LDNS_RR_TYPE_ANY,        LDNS_RR_TYPE_AXFR,  LDNS_RR_TYPE_IXFR,
};

START_TEST(test_explain_key_rr_type)
{
	char key[EXPLAIN_KEY_MAX], want[EXPLAIN_KEY_MAX], tiny[4];

	for (size_t i = 0; i < sizeof(own_types) / sizeof(own_types[0]); i++) {
		char *name = ldns_rr_type2str(own_types[i]);

		ck_assert_ptr_nonnull(name);
		snprintf(want, sizeof(want), "rr.%s", name);
		ck_assert_str_eq(explain_key_rr_type(key, sizeof(key), own_types[i]), want);
		ck_assert_ptr_nonnull(explain_get(key));
		free(name);
	}
	/* any type at all: its own text or the RFC 3597 fallback, never nothing */
	for (unsigned t = 0; t <= 65535; t++) {
		explain_key_rr_type(key, sizeof(key), (ldns_rr_type)t);
		ck_assert_msg(explain_get(key) != NULL, "type %u: no text for %s", t, key);
	}
	ck_assert_str_eq(explain_key_rr_type(key, sizeof(key), (ldns_rr_type)65280), "rr.unknown");
	ck_assert_str_eq(explain_key_rr_type(key, sizeof(key), LDNS_RR_TYPE_MD), "rr.unknown");
	/* a buffer too small is never overrun */
	memset(tiny, 'x', sizeof(tiny));
	explain_key_rr_type(tiny, sizeof(tiny), LDNS_RR_TYPE_MX);
	ck_assert_uint_lt(strlen(tiny), sizeof(tiny));
}
END_TEST

START_TEST(test_explain_key_codes)
{
	char key[EXPLAIN_KEY_MAX];

	/* rcodes: 0-11 and 16-23 have their own texts, the rest the unassigned one */
	for (unsigned rc = 0; rc <= 4095; rc++) {
		bool own = rc <= 11 || (rc >= 16 && rc <= 23);

		explain_key_rcode(key, sizeof(key), rc);
		ck_assert_msg(explain_get(key) != NULL, "rcode %u: %s", rc, key);
		ck_assert_msg(own == (strcmp(key, "rcode.unknown") != 0), "rcode %u: %s", rc, key);
	}
	ck_assert_str_eq(explain_key_rcode(key, sizeof(key), 3), "rcode.3");
	ck_assert_ptr_nonnull(strstr(explain_get("rcode.3")->text, "NXDOMAIN"));
	ck_assert_ptr_nonnull(strstr(explain_get("rcode.16")->text, "BADVERS"));
	ck_assert_ptr_nonnull(strstr(explain_get("rcode.23")->text, "BADCOOKIE"));
	ck_assert_str_eq(explain_key_rcode(key, sizeof(key), 100000), "rcode.unknown");
	/* opcodes 0-15: QUERY, IQUERY, STATUS, NOTIFY, UPDATE, DSO, else unassigned */
	for (unsigned op = 0; op <= 15; op++) {
		bool own = op <= 6 && op != 3;

		explain_key_opcode(key, sizeof(key), op);
		ck_assert_msg(explain_get(key) != NULL, "opcode %u", op);
		ck_assert_msg(own == (strcmp(key, "opcode.unknown") != 0), "opcode %u: %s", op,
		              key);
	}
	ck_assert_ptr_nonnull(strstr(explain_get("opcode.4")->text, "NOTIFY"));
	/* EDNS options: the ones dns/rrtext.c names have texts */
	for (unsigned code = 0; code <= 65535; code++) {
		bool own = code == 3 || (code >= 5 && code <= 15);

		explain_key_edns_option(key, sizeof(key), (uint16_t)code);
		ck_assert_msg(explain_get(key) != NULL, "option %u", code);
		ck_assert_msg(own == (strcmp(key, "option.unknown") != 0), "option %u: %s", code,
		              key);
	}
	ck_assert_ptr_nonnull(strstr(explain_get("option.3")->text, "NSID"));
	ck_assert_ptr_nonnull(strstr(explain_get("option.10")->text, "COOKIE"));
	ck_assert_ptr_nonnull(strstr(explain_get("option.15")->text, "Extended DNS Error"));
	/* Extended DNS Errors: RFC 8914's 0-24 and the registered 25-27 */
	for (unsigned code = 0; code <= 65535; code++) {
		bool own = code <= 27;

		explain_key_ede(key, sizeof(key), code);
		ck_assert_msg(explain_get(key) != NULL, "ede %u", code);
		ck_assert_msg(own == (strcmp(key, "ede.unknown") != 0), "ede %u: %s", code, key);
		if (own && code <= 24) {
			char sect[32];

			/* RFC 8914 defines code N in section 4.(N+1) */
			snprintf(sect, sizeof(sect), "RFC 8914 " SECT "4.%u", code + 1);
			ck_assert_str_eq(explain_get(key)->rfc, sect);
		}
	}
	/* classes */
	ck_assert_str_eq(explain_key_class(key, sizeof(key), LDNS_RR_CLASS_IN), "class.IN");
	ck_assert_str_eq(explain_key_class(key, sizeof(key), LDNS_RR_CLASS_CH), "class.CH");
	ck_assert_str_eq(explain_key_class(key, sizeof(key), LDNS_RR_CLASS_HS), "class.HS");
	ck_assert_str_eq(explain_key_class(key, sizeof(key), LDNS_RR_CLASS_ANY), "class.ANY");
	for (unsigned c = 0; c <= 65535; c++) {
		explain_key_class(key, sizeof(key), (ldns_rr_class)c);
		ck_assert_msg(explain_get(key) != NULL, "class %u", c);
	}
}
END_TEST

/* --- the walk over realistic replies ------------------------------------------------------ */

/* One EDNS option of a canned reply. */
struct opt {
	uint16_t code;
	size_t len;
	const char *data;
};

/* A canned reply: header, sections as zone-file text, EDNS, and the keys the walk must name
 * (beyond the header keys every reply has). */
struct reply_case {
	const char *name;
	const char *qname;
	ldns_rr_type qtype;
	ldns_rr_class qclass; /* 0 = IN */
	unsigned opcode;
	unsigned rcode;    /* full rcode; above 15 needs edns */
	const char *flags; /* any of "aa tc ra ad cd" */
	const char *an[6], *ns[6], *ar[6];
	bool edns, do_bit, tsig;
	struct opt opts[6];
	const char *expect[12];
};

#define ZEROS32 "0000000000000000000000000000000000000000000000000000000000000000"
#define KEYB64  "AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3"
#define SIGB64  "ZXhhbXBsZSBzaWduYXR1cmUgYnl0ZXMgZm9yIGEgdGVzdA=="

static const struct reply_case cases[] = {
    {.name = "SOA from NSD",
     .qname = "example.test.",
     .qtype = LDNS_RR_TYPE_SOA,
     .flags = "aa",
     .an = {"example.test. 3600 IN SOA ns1.example.test. hostmaster.example.test. 2026112101 "
            "3600 900 604800 300"},
     .ns = {"example.test. 3600 IN NS ns1.example.test.",
            "example.test. 3600 IN NS ns2.example.test."},
     .ar = {"ns1.example.test. 3600 IN A 198.51.100.53",
            "ns2.example.test. 3600 IN AAAA 2001:db8::53"},
     .edns = true,
     .expect = {"rr.SOA", "soa.mname", "soa.rname", "soa.serial", "soa.refresh", "soa.retry",
                "soa.expire", "soa.minimum", "rr.NS", "rr.A", "rr.AAAA", "flag.aa"}},
    {.name = "MX through a resolver",
     .qname = "example.test.",
     .qtype = LDNS_RR_TYPE_MX,
     .flags = "ra",
     .an = {"example.test. 3600 IN MX 10 mx1.example.test.",
            "example.test. 3600 IN MX 20 mx2.example.test."},
     .edns = true,
     .expect = {"rr.MX", "class.IN", "section.answer", "edns.opt", "edns.udp", "edns.none"}},
    {.name = "escaped TXT",
     .qname = "escape.example.test.",
     .qtype = LDNS_RR_TYPE_TXT,
     .flags = "aa",
     .an = {"escape.example.test. 3600 IN TXT \"\\027[31mred\\007bell\""},
     .edns = true,
     .expect = {"rr.TXT", "column.rdata"}},
    {.name = "NXDOMAIN",
     .qname = "missing.example.test.",
     .qtype = LDNS_RR_TYPE_A,
     .rcode = LDNS_RCODE_NXDOMAIN,
     .flags = "aa",
     .ns = {"example.test. 300 IN SOA ns1.example.test. hostmaster.example.test. 2026112101 "
            "3600 900 604800 300"},
     .edns = true,
     .expect = {"rcode.3", "reply.negative_ttl", "section.authority", "soa.minimum"}},
    {.name = "NODATA",
     .qname = "www.example.test.",
     .qtype = LDNS_RR_TYPE_MX,
     .flags = "aa",
     .ns = {"example.test. 300 IN SOA ns1.example.test. hostmaster.example.test. 2026112101 "
            "3600 900 604800 300"},
     .edns = true,
     .expect = {"reply.nodata", "reply.negative_ttl", "rcode.0"}},
    {.name = "referral without EDNS",
     .qname = "www.sub.example.test.",
     .qtype = LDNS_RR_TYPE_A,
     .ns = {"sub.example.test. 86400 IN NS ns.sub.example.test."},
     .ar = {"ns.sub.example.test. 86400 IN A 198.51.100.54"},
     .expect = {"reply.referral", "edns.none", "rr.NS", "rr.A"}},
    {.name = "CNAME chain",
     .qname = "alias.example.test.",
     .qtype = LDNS_RR_TYPE_A,
     .flags = "ra",
     .an = {"alias.example.test. 3600 IN CNAME www.example.test.",
            "www.example.test. 3600 IN A 198.51.100.80"},
     .edns = true,
     .expect = {"rr.CNAME", "rr.A"}},
    {.name = "PTR",
     .qname = "80.100.51.198.in-addr.arpa.",
     .qtype = LDNS_RR_TYPE_PTR,
     .flags = "ra",
     .an = {"80.100.51.198.in-addr.arpa. 3600 IN PTR www.example.test."},
     .edns = true,
     .expect = {"rr.PTR"}},
    {.name = "SRV, CAA, TLSA",
     .qname = "example.test.",
     .qtype = LDNS_RR_TYPE_ANY,
     .flags = "aa",
     .an = {"_sip._tcp.example.test. 3600 IN SRV 10 60 5060 sip.example.test.",
            "example.test. 3600 IN CAA 0 issue \"ca.example\"",
            "_443._tcp.www.example.test. 3600 IN TLSA 3 1 1 " ZEROS32},
     .edns = true,
     .expect = {"rr.SRV", "rr.CAA", "rr.TLSA", "rr.ANY"}},
    {.name = "DNSKEY signed, AD",
     .qname = "example.test.",
     .qtype = LDNS_RR_TYPE_DNSKEY,
     .flags = "ra ad",
     .an = {"example.test. 3600 IN DNSKEY 257 3 13 " KEYB64,
            "example.test. 3600 IN RRSIG DNSKEY 13 2 3600 20261201000000 20261101000000 12345 "
            "example.test. " SIGB64},
     .edns = true,
     .do_bit = true,
     .expect = {"rr.DNSKEY", "rr.RRSIG", "flag.ad", "flag.do"}},
    {.name = "DS at the parent",
     .qname = "example.test.",
     .qtype = LDNS_RR_TYPE_DS,
     .flags = "ra ad cd",
     .an = {"example.test. 3600 IN DS 12345 13 2 " ZEROS32},
     .edns = true,
     .do_bit = true,
     .expect = {"rr.DS", "flag.cd"}},
    {.name = "signed NXDOMAIN with NSEC3",
     .qname = "nope.example.test.",
     .qtype = LDNS_RR_TYPE_A,
     .rcode = LDNS_RCODE_NXDOMAIN,
     .flags = "aa",
     .ns = {"example.test. 300 IN SOA ns1.example.test. hostmaster.example.test. 2026112101 "
            "3600 900 604800 300",
            "2vptu5timamqttgl4luu9kg21e0aor3s.example.test. 300 IN NSEC3 1 0 0 - "
            "2vptu5timamqttgl4luu9kg21e0aor3t A RRSIG",
            "example.test. 300 IN NSEC3PARAM 1 0 0 -"},
     .edns = true,
     .do_bit = true,
     .expect = {"rr.NSEC3", "rr.NSEC3PARAM", "reply.negative_ttl"}},
    {.name = "signed NODATA with NSEC",
     .qname = "www.example.test.",
     .qtype = LDNS_RR_TYPE_MX,
     .flags = "aa",
     .ns = {"example.test. 300 IN SOA ns1.example.test. hostmaster.example.test. 2026112101 "
            "3600 900 604800 300",
            "www.example.test. 300 IN NSEC zz.example.test. A RRSIG NSEC"},
     .edns = true,
     .do_bit = true,
     .expect = {"rr.NSEC", "reply.nodata"}},
    {.name = "NSID, COOKIE, EDE from a resolver",
     .qname = "example.org.",
     .qtype = LDNS_RR_TYPE_A,
     .rcode = LDNS_RCODE_REFUSED,
     .flags = "ra",
     .edns = true,
     .opts = {{3, 3, "ns1"},
              {10, 24, "clientckSERVERCOOKIE1234"},
              {15, 14, "\x00\x12no recursion"},
              {15, 2, "\x00\x14"},
              {8, 7, "\x00\x01\x18\x00\xc6\x33\x64"},
              {65001, 2, "hi"}},
     .expect = {"option.3", "option.10", "option.15", "ede.18", "ede.20", "option.8",
                "option.unknown", "rcode.5", "edns.options"}},
    {.name = "TCP with keepalive and padding",
     .qname = "example.test.",
     .qtype = LDNS_RR_TYPE_AAAA,
     .flags = "ra",
     .an = {"example.test. 3600 IN AAAA 2001:db8::1"},
     .edns = true,
     .opts = {{11, 2, "\x00\x96"}, {12, 4, "\0\0\0\0"}},
     .expect = {"option.11", "option.12", "rr.AAAA"}},
    {.name = "BADVERS",
     .qname = "example.test.",
     .qtype = LDNS_RR_TYPE_SOA,
     .rcode = 16,
     .edns = true,
     .expect = {"rcode.16", "edns.version"}},
    {.name = "BADCOOKIE",
     .qname = "example.test.",
     .qtype = LDNS_RR_TYPE_SOA,
     .rcode = 23,
     .edns = true,
     .opts = {{10, 24, "clientckSERVERCOOKIE1234"}},
     .expect = {"rcode.23", "option.10"}},
    {.name = "more types",
     .qname = "example.test.",
     .qtype = LDNS_RR_TYPE_ANY,
     .flags = "aa",
     .an = {"example.test. 3600 IN DNAME other.test.",
            "example.test. 3600 IN SVCB 1 svc.example.test. alpn=h2 port=8443",
            "example.test. 3600 IN HTTPS 1 . alpn=h2,h3",
            "example.test. 3600 IN SSHFP 4 2 " ZEROS32,
            "example.test. 3600 IN ZONEMD 2026112101 1 1 " ZEROS32 ZEROS32,
            "example.test. 3600 IN SPF \"v=spf1 -all\""},
     .ar = {"example.test. 3600 IN CDS 12345 13 2 " ZEROS32,
            "example.test. 3600 IN CDNSKEY 257 3 13 " KEYB64,
            "example.test. 3600 IN HINFO \"RFC8482\" \"\"",
            "example.test. 3600 IN TYPE65280 \\# 4 0A000001"},
     .edns = true,
     .expect = {"rr.DNAME", "rr.SVCB", "rr.HTTPS", "rr.SSHFP", "rr.ZONEMD", "rr.SPF", "rr.CDS",
                "rr.CDNSKEY", "rr.HINFO", "rr.unknown", "section.additional"}},
    {.name = "CH TXT version",
     .qname = "version.bind.",
     .qtype = LDNS_RR_TYPE_TXT,
     .qclass = LDNS_RR_CLASS_CH,
     .flags = "aa",
     .an = {"version.bind. 0 CH TXT \"9.18\""},
     .edns = true,
     .expect = {"class.CH", "rr.TXT"}},
    {.name = "AXFR refused",
     .qname = "example.test.",
     .qtype = LDNS_RR_TYPE_AXFR,
     .rcode = LDNS_RCODE_REFUSED,
     .expect = {"rr.AXFR", "rcode.5"}},
    {.name = "NOTIFY answer",
     .qname = "example.test.",
     .qtype = LDNS_RR_TYPE_SOA,
     .opcode = LDNS_PACKET_NOTIFY,
     .flags = "aa",
     .expect = {"opcode.4"}},
    {.name = "UPDATE refused by a prerequisite",
     .qname = "example.test.",
     .qtype = LDNS_RR_TYPE_SOA,
     .opcode = LDNS_PACKET_UPDATE,
     .rcode = LDNS_RCODE_NXRRSET,
     .expect = {"opcode.5", "rcode.8"}},
    {.name = "TSIG-signed",
     .qname = "example.test.",
     .qtype = LDNS_RR_TYPE_SOA,
     .flags = "aa",
     .an = {"example.test. 3600 IN SOA ns1.example.test. hostmaster.example.test. 2026112101 "
            "3600 900 604800 300"},
     .tsig = true,
     .expect = {"section.tsig", "rr.TSIG", "class.ANY"}},
};

/* Push zone-file RRs into a section. */
static void push_rrs(ldns_pkt *pkt, ldns_pkt_section sec, const char *const *rrs, size_t n)
{
	for (size_t i = 0; i < n && rrs[i] != NULL; i++) {
		ldns_rr *rr = NULL;

		ck_assert_msg(ldns_rr_new_frm_str(&rr, rrs[i], 3600, NULL, NULL) == LDNS_STATUS_OK,
		              "cannot parse %s", rrs[i]);
		ck_assert(ldns_pkt_push_rr(pkt, sec, rr));
	}
}

/* The wire form of a case, as a server would send it. */
static uint8_t *case_wire(const struct reply_case *c, uint16_t id, size_t *len)
{
	ldns_rdf *name = ldns_dname_new_frm_str(c->qname);
	ldns_pkt *pkt;
	uint8_t *wire = NULL;
	const char *fl = c->flags ? c->flags : "";

	ck_assert_ptr_nonnull(name);
	pkt = ldns_pkt_query_new(name, c->qtype, c->qclass ? c->qclass : LDNS_RR_CLASS_IN, LDNS_RD);
	ck_assert_ptr_nonnull(pkt);
	ldns_pkt_set_id(pkt, id);
	ldns_pkt_set_qr(pkt, true);
	ldns_pkt_set_opcode(pkt, (ldns_pkt_opcode)c->opcode);
	ldns_pkt_set_aa(pkt, strstr(fl, "aa") != NULL);
	ldns_pkt_set_tc(pkt, strstr(fl, "tc") != NULL);
	ldns_pkt_set_ra(pkt, strstr(fl, "ra") != NULL);
	ldns_pkt_set_ad(pkt, strstr(fl, "ad") != NULL);
	ldns_pkt_set_cd(pkt, strstr(fl, "cd") != NULL);
	ldns_pkt_set_rcode(pkt, (uint8_t)(c->rcode & 0x0f));
	push_rrs(pkt, LDNS_SECTION_ANSWER, c->an, 6);
	push_rrs(pkt, LDNS_SECTION_AUTHORITY, c->ns, 6);
	push_rrs(pkt, LDNS_SECTION_ADDITIONAL, c->ar, 6);
	if (c->edns) {
		ldns_edns_option_list *list = ldns_edns_option_list_new();

		ck_assert_ptr_nonnull(list);
		/* RFC 6891 §6.1.3: the upper 8 bits of a 12-bit rcode travel in the OPT record */
		ldns_pkt_set_edns_extended_rcode(pkt, (uint8_t)(c->rcode >> 4));
		ldns_pkt_set_edns_udp_size(pkt, 1232);
		ldns_pkt_set_edns_do(pkt, c->do_bit);
		for (size_t i = 0; i < 6 && c->opts[i].code != 0; i++)
			ck_assert(ldns_edns_option_list_push(
			    list, ldns_edns_new_from_data(c->opts[i].code, c->opts[i].len,
			                                  c->opts[i].data)));
		ldns_pkt_set_edns_option_list(pkt, list);
	} else {
		ck_assert_uint_le(c->rcode, 15);
	}
	if (c->tsig)
		ck_assert_int_eq(ldns_pkt_tsig_sign(pkt, "key.example.test.",
		                                    "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0", 300,
		                                    "hmac-sha256.", NULL),
		                 LDNS_STATUS_OK);
	ck_assert_int_eq(ldns_pkt2wire(&wire, pkt, len), LDNS_STATUS_OK);
	ldns_pkt_free(pkt);
	return wire;
}

/* The parsed reply of a case, as dnsdeck receives it. */
static ldns_pkt *case_pkt(const struct reply_case *c)
{
	size_t len;
	uint8_t *wire = case_wire(c, 4242, &len);
	ldns_pkt *pkt = tu_pkt(wire, len);

	free(wire);
	ck_assert_uint_eq(rrtext_pkt_rcode(pkt), c->rcode);
	return pkt;
}

/* The keys a walk named, in order. */
struct walked {
	const char *name;
	char keys[256][EXPLAIN_KEY_MAX];
	size_t n;
};

static void collect(const char *key, void *arg)
{
	struct walked *w = arg;

	/* a key without a text fails here, naming it and the reply */
	ck_assert_msg(explain_get(key) != NULL, "%s: no explain text for '%s'", w->name, key);
	for (size_t i = 0; i < w->n; i++)
		ck_assert_msg(strcmp(w->keys[i], key) != 0, "%s: '%s' named twice", w->name, key);
	ck_assert_uint_lt(w->n, 256);
	snprintf(w->keys[w->n++], EXPLAIN_KEY_MAX, "%s", key);
}

static bool walked_has(const struct walked *w, const char *key)
{
	for (size_t i = 0; i < w->n; i++)
		if (strcmp(w->keys[i], key) == 0)
			return true;
	return false;
}

/* Keys every reply's views show: the header, the flags, the counts, columns, sections. */
static const char *const always[] = {
    "header.id",        "header.opcode",   "header.rcode",      "header.flags",
    "flag.qr",          "flag.aa",         "flag.tc",           "flag.rd",
    "flag.ra",          "flag.ad",         "flag.cd",           "count.query",
    "count.answer",     "count.authority", "count.additional",  "column.owner",
    "column.ttl",       "column.class",    "column.type",       "column.rdata",
    "section.question", "section.answer",  "section.authority", "section.additional"};

START_TEST(test_explain_pkt_keys)
{
	const struct reply_case *c = &cases[_i];
	ldns_pkt *pkt = case_pkt(c);
	struct walked *w = calloc(1, sizeof(*w));
	char key[EXPLAIN_KEY_MAX];

	ck_assert_ptr_nonnull(w);
	w->name = c->name;
	ck_assert_int_eq(explain_pkt_keys(pkt, collect, w), 0);
	for (size_t i = 0; i < sizeof(always) / sizeof(always[0]); i++)
		ck_assert_msg(walked_has(w, always[i]), "%s: %s not named", c->name, always[i]);
	ck_assert(walked_has(w, explain_key_rcode(key, sizeof(key), c->rcode)));
	ck_assert(walked_has(w, explain_key_opcode(key, sizeof(key), c->opcode)));
	ck_assert(walked_has(w, explain_key_rr_type(key, sizeof(key), c->qtype)));
	/* EDNS: its fields and the DO flag, or the note that there is none, never both */
	ck_assert(walked_has(w, "edns.opt") == c->edns);
	ck_assert(walked_has(w, "edns.none") == !c->edns);
	ck_assert(walked_has(w, "flag.do") == c->edns);
	ck_assert(walked_has(w, "rr.OPT") == c->edns);
	for (size_t i = 0; i < 12 && c->expect[i] != NULL; i++) {
		/* "edns.none" in an EDNS case's list means: must NOT be named */
		bool want = !(c->edns && strcmp(c->expect[i], "edns.none") == 0);

		ck_assert_msg(walked_has(w, c->expect[i]) == want, "%s: %s %s", c->name,
		              c->expect[i], want ? "not named" : "named");
	}
	/* negative caching is only for negative answers with an SOA */
	if (walked_has(w, "reply.negative_ttl"))
		ck_assert(c->rcode == LDNS_RCODE_NXDOMAIN || walked_has(w, "reply.nodata"));
	ck_assert(!(walked_has(w, "reply.nodata") && walked_has(w, "reply.referral")));
	free(w);
	ldns_pkt_free(pkt);
}
END_TEST

/* Each rcode 0-23 (12-15 unassigned, 16-23 only through the OPT record) gets a text. */
START_TEST(test_explain_pkt_keys_rcodes)
{
	for (unsigned rc = 0; rc <= 23; rc++) {
		struct reply_case c = {.name = "rcode",
		                       .qname = "example.test.",
		                       .qtype = LDNS_RR_TYPE_A,
		                       .rcode = rc,
		                       .edns = true};
		ldns_pkt *pkt = case_pkt(&c);
		struct walked *w = calloc(1, sizeof(*w));
		char key[EXPLAIN_KEY_MAX];

		ck_assert_ptr_nonnull(w);
		w->name = "rcode";
		ck_assert_int_eq(explain_pkt_keys(pkt, collect, w), 0);
		explain_key_rcode(key, sizeof(key), rc);
		ck_assert_msg(walked_has(w, key), "rcode %u: %s not named", rc, key);
		ck_assert_msg((strcmp(key, "rcode.unknown") == 0) == (rc >= 12 && rc <= 15),
		              "rcode %u: %s", rc, key);
		free(w);
		ldns_pkt_free(pkt);
	}
}
END_TEST

static void count_key(const char *key, void *arg)
{
	ck_assert_msg(explain_get(key) != NULL, "no text for %s", key);
	(*(int *)arg)++;
}

START_TEST(test_explain_transport_keys)
{
	int n = 0;

	explain_transport_keys(false, false, count_key, &n);
	ck_assert_int_eq(n, 7);
	n = 0;
	explain_transport_keys(true, true, count_key, &n);
	ck_assert_int_eq(n, 8);
	ck_assert_ptr_nonnull(strstr(explain_get("transport.discarded")->rfc, "RFC 5452"));
	ck_assert_ptr_nonnull(strstr(explain_get("transport.tc_retry")->rfc, "RFC 7766"));
}
END_TEST

/* --- --explain text output --------------------------------------------------------------- */

/* A done lookup of c asked of nservers servers, each answering with c. */
static struct lookup *case_lookup(const struct reply_case *c, size_t nservers, bool tcp)
{
	struct lookup *l = tu_lookup(c->qname, c->qtype, nservers);

	for (size_t i = 0; i < nservers; i++) {
		size_t len;
		uint8_t *wire = case_wire(c, (uint16_t)(100 + i), &len);
		struct net_result *res = tu_result(NET_OK, wire, len);

		res->tcp = tcp;
		res->tc_retry = tcp;
		lookup_deliver(l, i, res);
		ck_assert_ptr_nonnull(lookup_reply_at(l, i)->pkt);
	}
	return l;
}

/* The explained output minus its ";;   " lines. */
static char *strip_explanations(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;

	ck_assert_ptr_nonnull(out);
	while (*s != '\0') {
		size_t n = strcspn(s, "\n") + (s[strcspn(s, "\n")] == '\n');

		if (strncmp(s, ";;   ", 5) != 0) {
			memcpy(o, s, n);
			o += n;
		}
		s += n;
	}
	*o = '\0';
	return out;
}

/* Every line printable ASCII (tabs between columns), explanation lines at most 100 wide. */
static void assert_lines_ok(const char *out)
{
	for (const char *p = out; *p != '\0';) {
		size_t n = strcspn(p, "\n");

		for (size_t i = 0; i < n; i++)
			ck_assert_msg((p[i] >= 0x20 && p[i] <= 0x7e) || p[i] == '\t',
			              "byte 0x%02x in '%.*s'", (unsigned char)p[i], (int)n, p);
		if (strncmp(p, ";;   ", 5) == 0)
			ck_assert_msg(n <= 100, "%zu columns: '%.*s'", n, (int)n, p);
		p += n + (p[n] == '\n');
	}
}

/* A case's lookup rendered plainly and with --explain. */
struct rendered {
	struct lookup *l;
	char *plain, *out;
};

/* Render c as answered by nservers servers; fail unless the explained text is the plain
 * text plus explanation lines (still dig's text), all printable and at most 100 wide. */
static void rendered_open(struct rendered *r, const struct reply_case *c, size_t nservers, bool tcp)
{
	struct tu_capture a, b;
	char *stripped;

	r->l = case_lookup(c, nservers, tcp);
	tu_capture_open(&a);
	ck_assert_int_eq(text_lookup_print(a.f, r->l), 0);
	tu_capture_close(&a);
	tu_capture_open(&b);
	ck_assert_int_eq(text_lookup_explain(b.f, r->l), 0);
	tu_capture_close(&b);
	r->plain = a.buf;
	r->out = b.buf;
	stripped = strip_explanations(r->out);
	ck_assert_msg(strcmp(stripped, r->plain) == 0, "%s: not dig's text", c->name);
	free(stripped);
	assert_lines_ok(r->out);
}

static void rendered_close(struct rendered *r)
{
	free(r->plain);
	free(r->out);
	lookup_free(r->l);
}

/* How often needle occurs in hay. */
static size_t occurrences(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* The first few words of an entry's text, as they open its first explanation line. */
static char *explain_line_of(const char *key)
{
	const struct explain *e = explain_get(key);
	char *line;

	ck_assert_ptr_nonnull(e);
	ck_assert_int_ge(asprintf(&line, ";;   %.40s", e->text), 0);
	return line;
}

/* Fail unless each key's explanation appears exactly times times. */
static void assert_explained(const char *out, size_t times, const char *const *keys)
{
	for (size_t i = 0; keys[i] != NULL; i++) {
		char *line = explain_line_of(keys[i]);

		ck_assert_msg(occurrences(out, line) == times, "'%s' appears %zu times, not %zu",
		              line, occurrences(out, line), times);
		free(line);
	}
}

#define EXPLAINED(out, times, ...)                                                                 \
	assert_explained(out, times, (const char *const[]){__VA_ARGS__, NULL})

START_TEST(test_text_lookup_explain_soa)
{
	struct rendered r;

	rendered_open(&r, &cases[0], 1, false);
	ck_assert_uint_gt(strlen(r.out), strlen(r.plain) + 2000);
	/* the header line, the flags, the sections, each RR type (two NS, one text), each SOA
	 * field, the transport lines; RA is not set but explains the warning below */
	EXPLAINED(r.out, 1, "header.opcode", "opcode.0", "rcode.0", "header.id", "flag.qr",
	          "flag.aa", "flag.rd", "flag.ra", "count.additional", "edns.opt", "edns.udp",
	          "section.question", "section.answer", "section.authority", "section.additional",
	          "rr.SOA", "soa.serial", "soa.minimum", "rr.NS", "rr.A", "rr.AAAA", "class.IN",
	          "column.owner", "column.ttl", "transport.rtt", "transport.udp",
	          "transport.discarded");
	/* flags that are not set, and negative caching in a positive answer, are not shown */
	EXPLAINED(r.out, 0, "flag.tc", "flag.ad", "reply.negative_ttl", "transport.tcp");
	ck_assert_ptr_nonnull(strstr(r.out, ";; WARNING: recursion requested but not available\n"
	                                    ";;   ra, Recursion Available"));
	/* each explanation follows what it explains */
	ck_assert_ptr_nonnull(strstr(r.out, ";; ANSWER SECTION:\n;;   ANSWER: "));
	ck_assert_ptr_nonnull(strstr(r.out, ";; OPT PSEUDOSECTION:\n;;   OPT pseudosection"));
	ck_assert_ptr_nonnull(strstr(r.out, "(RFC 1035 section 4.1.1)"));
	ck_assert_ptr_null(strstr(r.out, SECT));
	rendered_close(&r);
}
END_TEST

START_TEST(test_text_lookup_explain_once)
{
	/* two servers, the same reply over TCP after TC: every concept explained once */
	struct rendered r;

	rendered_open(&r, &cases[1], 2, true);
	ck_assert_uint_eq(occurrences(r.out, ";; ANSWER SECTION:\n"), 2);
	EXPLAINED(r.out, 1, "rr.MX", "section.answer", "transport.tc_retry", "transport.tcp",
	          "flag.ra");
	EXPLAINED(r.out, 0, "transport.udp");
	ck_assert_ptr_nonnull(
	    strstr(r.out, ";; Truncated, retrying in TCP mode.\n;;   TC, then TCP"));
	rendered_close(&r);
}
END_TEST

START_TEST(test_text_lookup_explain_edns)
{
	/* NSID, COOKIE, two EDEs (one explanation of the option), ECS and an unknown option;
	 * REFUSED, which is an error and not NODATA */
	struct rendered r;

	rendered_open(&r, &cases[13], 1, false);
	EXPLAINED(r.out, 1, "rcode.5", "option.3", "option.10", "option.15", "ede.18", "ede.20",
	          "option.8", "option.unknown");
	EXPLAINED(r.out, 0, "reply.nodata");
	ck_assert_ptr_nonnull(strstr(r.out, "\n; NSID: 6E7331 (\"ns1\")\n;;   NSID (3): "));
	ck_assert_ptr_nonnull(strstr(r.out, "(Prohibited): no recursion\n;;   EDE (15): "));
	rendered_close(&r);
}
END_TEST

START_TEST(test_text_lookup_explain_negative)
{
	/* NXDOMAIN: the rcode, and negative caching after the SOA in authority */
	struct rendered r;

	rendered_open(&r, &cases[3], 1, false);
	EXPLAINED(r.out, 1, "rcode.3", "reply.negative_ttl", "soa.minimum");
	ck_assert(strstr(r.out, ";;   SOA MINIMUM") < strstr(r.out, ";;   Negative caching"));
	rendered_close(&r);
}
END_TEST

START_TEST(test_text_lookup_explain_walk)
{
	/* every explanation line comes from a key the walk names for that reply */
	for (size_t ci = 0; ci < sizeof(cases) / sizeof(cases[0]); ci++) {
		struct walked *w = calloc(1, sizeof(*w));
		struct rendered r;

		ck_assert_ptr_nonnull(w);
		w->name = cases[ci].name;
		rendered_open(&r, &cases[ci], 1, false);
		ck_assert_int_eq(explain_pkt_keys(lookup_reply_at(r.l, 0)->pkt, collect, w), 0);
		explain_transport_keys(false, false, collect, w);
		for (size_t i = 0; i < explain_count(); i++) {
			const struct explain *e = explain_at(i);
			char *line = explain_line_of(e->key);

			if (strstr(r.out, line) != NULL)
				ck_assert_msg(walked_has(w, e->key),
				              "%s: %s explained but not shown", cases[ci].name,
				              e->key);
			free(line);
		}
		free(w);
		rendered_close(&r);
	}
}
END_TEST

Suite *suite_explain(void)
{
	Suite *s = suite_create("explain");
	TCase *tc = tcase_create("explain");

	tcase_add_test(tc, test_explain_table);
	tcase_add_test(tc, test_explain_format);
	tcase_add_test(tc, test_explain_key_rr_type);
	tcase_add_test(tc, test_explain_key_codes);
	tcase_add_loop_test(tc, test_explain_pkt_keys, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_explain_pkt_keys_rcodes);
	tcase_add_test(tc, test_explain_transport_keys);
	tcase_add_test(tc, test_text_lookup_explain_soa);
	tcase_add_test(tc, test_text_lookup_explain_once);
	tcase_add_test(tc, test_text_lookup_explain_edns);
	tcase_add_test(tc, test_text_lookup_explain_negative);
	tcase_add_test(tc, test_text_lookup_explain_walk);
	suite_add_tcase(s, tc);
	return s;
}
