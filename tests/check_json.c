/*
 * check_json.c -- the batch renderings (out/json.c and out/text.c) of lookups built from
 * canned wire packets through the lookup test seam (lookup_deliver): RFC 8427 member names
 * and values, RDATAHEX, escaping of hostile bytes, replies without a message, several
 * servers, and the dig-like text layout.
 */
#include "config.h"
#include "tests.h"
#include "engine/lookup.h"
#include "out/json.h"
#include "out/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The lab's escape.example.test. TXT: ESC "[31m", BEL, DEL, UTF-8 e-acute, TAB. */
#define ESCAPE_TXT                                                                                 \
	"escape.example.test. 3600 IN TXT \"\\027[31mred\\007bell\\127del\\195\\169t\\009tab\""
#define ESCAPE_SHOWN "\"\\027[31mred\\007bell\\127del\\195\\169t\\009tab\""
#define ESCAPE_HEX   "181B5B33316D7265640762656C6C7F64656CC3A97409746162"
#define MX1_HEX      "000A036D7831076578616D706C65047465737400" /* kdig +json */
#define WHEN_SECONDS TU_WHEN_SECONDS

static const char *const mx_answer[] = {"example.test. 3600 IN MX 10 mx1.example.test.",
                                        "example.test. 3600 IN MX 20 mx2.example.test.", NULL};

/* Deliver a canned reply to server i of l; returns its wire length. */
static size_t deliver_reply(struct lookup *l, size_t i, const char *qname, ldns_rr_type qtype,
                            uint16_t id, ldns_pkt_rcode rcode, const char *const *answer)
{
	size_t len;
	uint8_t *w = tu_reply_wire(qname, qtype, id, rcode, answer, &len);

	lookup_deliver(l, i, tu_result(NET_OK, w, len));
	ck_assert_ptr_nonnull(lookup_reply_at(l, i)->pkt);
	return len;
}

/* The parsed packet of a canned reply. */
static ldns_pkt *canned_pkt(const char *qname, ldns_rr_type qtype, uint16_t id,
                            ldns_pkt_rcode rcode, const char *const *answer)
{
	size_t len;
	uint8_t *w = tu_reply_wire(qname, qtype, id, rcode, answer, &len);
	ldns_pkt *pkt = tu_pkt(w, len);

	free(w);
	return pkt;
}

/* Fail unless every byte of s is printable ASCII (or one of the whitespace in allow). */
static void assert_printable(const char *s, size_t len, const char *allow)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c <= 0x7e)
			continue;
		ck_assert_msg(c != '\0' && strchr(allow, c) != NULL,
		              "byte 0x%02x at offset %zu is not printable ASCII", c, i);
	}
}

static const char *str_member(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	ck_assert_msg(json_is_string(v), "member %s is not a string", key);
	return json_string_value(v);
}

static json_int_t int_member(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	ck_assert_msg(json_is_integer(v), "member %s is not an integer", key);
	return json_integer_value(v);
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The display column (tabs every 8) where needle starts in the first line of buf that
 * starts with line_start. */
static size_t column_of(const char *buf, const char *line_start, const char *needle)
{
	const char *line = buf;
	const char *end, *p;
	size_t col = 0;

	while (line != NULL && strncmp(line, line_start, strlen(line_start)) != 0) {
		line = strchr(line, '\n');
		if (line != NULL)
			line++;
	}
	ck_assert_msg(line != NULL, "no line starting with %s", line_start);
	end = strstr(line, needle);
	ck_assert_msg(end != NULL && end < line + strcspn(line, "\n"), "%s not on the line",
	              needle);
	for (p = line; p < end; p++)
		col = *p == '\t' ? (col / 8 + 1) * 8 : col + 1;
	return col;
}

/* --- json_message_new ------------------------------------------------------------------ */

START_TEST(test_json_message_new_mx)
{
	ldns_pkt *pkt =
	    canned_pkt("example.test.", LDNS_RR_TYPE_MX, 1234, LDNS_RCODE_NOERROR, mx_answer);
	json_t *m = json_message_new(pkt);
	json_t *an, *rr;

	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(int_member(m, "ID"), 1234);
	ck_assert_int_eq(int_member(m, "QR"), 1);
	ck_assert_int_eq(int_member(m, "Opcode"), 0);
	ck_assert_int_eq(int_member(m, "AA"), 0);
	ck_assert_int_eq(int_member(m, "TC"), 0);
	ck_assert_int_eq(int_member(m, "RD"), 1);
	ck_assert_int_eq(int_member(m, "RA"), 1);
	ck_assert_int_eq(int_member(m, "AD"), 0);
	ck_assert_int_eq(int_member(m, "CD"), 0);
	ck_assert_int_eq(int_member(m, "RCODE"), 0);
	ck_assert_int_eq(int_member(m, "QDCOUNT"), 1);
	ck_assert_int_eq(int_member(m, "ANCOUNT"), 2);
	ck_assert_int_eq(int_member(m, "NSCOUNT"), 0);
	ck_assert_int_eq(int_member(m, "ARCOUNT"), 0);
	ck_assert_str_eq(str_member(m, "QNAME"), "example.test.");
	ck_assert_int_eq(int_member(m, "QTYPE"), 15);
	ck_assert_str_eq(str_member(m, "QTYPEname"), "MX");
	ck_assert_int_eq(int_member(m, "QCLASS"), 1);
	ck_assert_str_eq(str_member(m, "QCLASSname"), "IN");
	/* no reception facts without a transport result; empty sections left out as kdig does */
	ck_assert_ptr_null(json_object_get(m, "dateSeconds"));
	ck_assert_ptr_null(json_object_get(m, "authorityRRs"));
	ck_assert_ptr_null(json_object_get(m, "additionalRRs"));

	an = json_object_get(m, "answerRRs");
	ck_assert(json_is_array(an));
	ck_assert_uint_eq(json_array_size(an), 2);
	rr = json_array_get(an, 0);
	ck_assert_str_eq(str_member(rr, "NAME"), "example.test.");
	ck_assert_int_eq(int_member(rr, "TYPE"), 15);
	ck_assert_str_eq(str_member(rr, "TYPEname"), "MX");
	ck_assert_int_eq(int_member(rr, "CLASS"), 1);
	ck_assert_str_eq(str_member(rr, "CLASSname"), "IN");
	ck_assert_int_eq(int_member(rr, "TTL"), 3600);
	ck_assert_str_eq(str_member(rr, "rdataMX"), "10 mx1.example.test.");
	ck_assert_int_eq(int_member(rr, "RDLENGTH"), 20);
	ck_assert_str_eq(str_member(rr, "RDATAHEX"), MX1_HEX);
	ck_assert_str_eq(str_member(json_array_get(an, 1), "rdataMX"), "20 mx2.example.test.");

	json_decref(m);
	ldns_pkt_free(pkt);
}
END_TEST

START_TEST(test_json_message_new_nxdomain)
{
	ldns_pkt *pkt =
	    canned_pkt("nx.example.test.", LDNS_RR_TYPE_A, 7, LDNS_RCODE_NXDOMAIN, NULL);
	json_t *m = json_message_new(pkt);

	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(int_member(m, "RCODE"), 3);
	ck_assert_int_eq(int_member(m, "ANCOUNT"), 0);
	ck_assert_str_eq(str_member(m, "QNAME"), "nx.example.test.");
	ck_assert_str_eq(str_member(m, "QTYPEname"), "A");
	ck_assert_ptr_null(json_object_get(m, "answerRRs"));
	json_decref(m);
	ldns_pkt_free(pkt);
}
END_TEST

START_TEST(test_json_message_new_rdatahex_a)
{
	const char *const answer[] = {"host.example.test. 300 IN A 203.0.113.25", NULL};
	ldns_pkt *pkt =
	    canned_pkt("host.example.test.", LDNS_RR_TYPE_A, 1, LDNS_RCODE_NOERROR, answer);
	json_t *m = json_message_new(pkt);
	json_t *rr;

	ck_assert_ptr_nonnull(m);
	rr = json_array_get(json_object_get(m, "answerRRs"), 0);
	ck_assert_ptr_nonnull(rr);
	ck_assert_str_eq(str_member(rr, "rdataA"), "203.0.113.25");
	ck_assert_str_eq(str_member(rr, "RDATAHEX"), "CB007119");
	ck_assert_int_eq(int_member(rr, "RDLENGTH"), 4);
	ck_assert_int_eq(int_member(rr, "TTL"), 300);
	json_decref(m);
	ldns_pkt_free(pkt);
}
END_TEST

START_TEST(test_json_message_new_escapes_txt)
{
	const char *const answer[] = {ESCAPE_TXT, NULL};
	ldns_pkt *pkt =
	    canned_pkt("escape.example.test.", LDNS_RR_TYPE_TXT, 2, LDNS_RCODE_NOERROR, answer);
	json_t *m = json_message_new(pkt);
	json_t *rr;
	char *s;

	ck_assert_ptr_nonnull(m);
	rr = json_array_get(json_object_get(m, "answerRRs"), 0);
	ck_assert_ptr_nonnull(rr);
	ck_assert_str_eq(str_member(rr, "rdataTXT"), ESCAPE_SHOWN);
	ck_assert_str_eq(str_member(rr, "RDATAHEX"), ESCAPE_HEX);

	s = json_dumps(m, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER);
	ck_assert_ptr_nonnull(s);
	assert_printable(s, strlen(s), "");
	/* the JSON text holds the escape's backslash escaped once more */
	ck_assert_ptr_nonnull(strstr(s, "\"rdataTXT\":\"\\\"\\\\027[31mred\\\\007bell"));
	free(s);
	s = json_dumps(m, JSON_INDENT(2) | JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER);
	ck_assert_ptr_nonnull(s);
	assert_printable(s, strlen(s), "\n");
	free(s);
	json_decref(m);
	ldns_pkt_free(pkt);
}
END_TEST

START_TEST(test_json_message_new_escapes_owner)
{
	/* an owner label with ESC, a byte >= 0x80 and a space (RFC 1035 §5.1 escapes) */
	const char *const answer[] = {"a\\027b\\200c\\032d.example.test. 60 IN A 192.0.2.1", NULL};
	ldns_pkt *pkt = canned_pkt("example.test.", LDNS_RR_TYPE_A, 3, LDNS_RCODE_NOERROR, answer);
	json_t *m = json_message_new(pkt);
	const char *name;
	char *s;

	ck_assert_ptr_nonnull(m);
	name = str_member(json_array_get(json_object_get(m, "answerRRs"), 0), "NAME");
	assert_printable(name, strlen(name), "");
	ck_assert_ptr_nonnull(strstr(name, "\\027"));
	ck_assert_ptr_nonnull(strstr(name, "\\200"));
	s = json_dumps(m, JSON_COMPACT | JSON_ENSURE_ASCII);
	assert_printable(s, strlen(s), "");
	free(s);
	json_decref(m);
	ldns_pkt_free(pkt);
}
END_TEST

START_TEST(test_json_message_new_opt)
{
	/* A reply with EDNS (DO, 1232 bytes) and an NSID "vm", as Knot sends it. */
	static const uint8_t nsid[] = {0x00, 0x03, 0x00, 0x02, 0x76, 0x6d};
	const char *const answer[] = {"example.test. 3600 IN MX 10 mx1.example.test.", NULL};
	ldns_pkt *src = canned_pkt("example.test.", LDNS_RR_TYPE_MX, 5, LDNS_RCODE_NOERROR, answer);
	ldns_pkt *pkt;
	ldns_rr *a = NULL;
	uint8_t *w = NULL;
	size_t len;
	json_t *m, *ar, *opt;

	ck_assert_int_eq(
	    ldns_rr_new_frm_str(&a, "mx1.example.test. 3600 IN A 198.51.100.11", 0, NULL, NULL),
	    LDNS_STATUS_OK);
	ck_assert(ldns_pkt_push_rr(src, LDNS_SECTION_ADDITIONAL, a));
	ldns_pkt_set_edns_udp_size(src, 1232);
	ldns_pkt_set_edns_do(src, true);
	ldns_pkt_set_edns_data(src,
	                       ldns_rdf_new_frm_data(LDNS_RDF_TYPE_UNKNOWN, sizeof(nsid), nsid));
	ck_assert_int_eq(ldns_pkt2wire(&w, src, &len), LDNS_STATUS_OK);
	pkt = tu_pkt(w, len);

	m = json_message_new(pkt);
	ck_assert_ptr_nonnull(m);
	/* ARCOUNT as on the wire: the A record and the OPT RR */
	ck_assert_int_eq(int_member(m, "ARCOUNT"), 2);
	ar = json_object_get(m, "additionalRRs");
	ck_assert(json_is_array(ar));
	ck_assert_uint_eq(json_array_size(ar), 2);
	ck_assert_str_eq(str_member(json_array_get(ar, 0), "rdataA"), "198.51.100.11");
	opt = json_array_get(ar, 1);
	ck_assert_str_eq(str_member(opt, "NAME"), ".");
	ck_assert_int_eq(int_member(opt, "TYPE"), 41);
	ck_assert_str_eq(str_member(opt, "TYPEname"), "OPT");
	ck_assert_int_eq(int_member(opt, "CLASS"), 1232);
	ck_assert_int_eq(int_member(opt, "TTL"), 0x8000); /* DO, version 0 */
	ck_assert_int_eq(int_member(opt, "RDLENGTH"), 6);
	ck_assert_str_eq(str_member(opt, "RDATAHEX"), "00030002766D");

	json_decref(m);
	ldns_pkt_free(pkt);
	ldns_pkt_free(src);
	free(w);
}
END_TEST

START_TEST(test_json_message_new_opt_empty)
{
	/* EDNS without options, as NSD answers: RDLENGTH 0 and no RDATAHEX, like kdig */
	ldns_pkt *src =
	    canned_pkt("nx.example.test.", LDNS_RR_TYPE_A, 8, LDNS_RCODE_NXDOMAIN, NULL);
	ldns_pkt *pkt;
	uint8_t *w = NULL;
	size_t len;
	json_t *m, *opt;

	ldns_pkt_set_edns_udp_size(src, 1232);
	ck_assert_int_eq(ldns_pkt2wire(&w, src, &len), LDNS_STATUS_OK);
	pkt = tu_pkt(w, len);
	m = json_message_new(pkt);
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(int_member(m, "ARCOUNT"), 1);
	opt = json_array_get(json_object_get(m, "additionalRRs"), 0);
	ck_assert_str_eq(str_member(opt, "TYPEname"), "OPT");
	ck_assert_int_eq(int_member(opt, "TTL"), 0);
	ck_assert_int_eq(int_member(opt, "RDLENGTH"), 0);
	ck_assert_ptr_null(json_object_get(opt, "RDATAHEX"));
	json_decref(m);
	ldns_pkt_free(pkt);
	ldns_pkt_free(src);
	free(w);
}
END_TEST

/* --- json_reply_new -------------------------------------------------------------------- */

START_TEST(test_json_reply_new_reply)
{
	struct lookup *l = tu_lookup("example.test", LDNS_RR_TYPE_MX, 1);
	size_t len = deliver_reply(l, 0, "example.test.", LDNS_RR_TYPE_MX, 1234, LDNS_RCODE_NOERROR,
	                           mx_answer);
	json_t *o = json_reply_new(lookup_reply_at(l, 0));
	json_t *m, *v;

	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(str_member(o, "server"), "127.0.53.1");
	ck_assert_str_eq(str_member(o, "address"), "127.0.53.1#53");
	ck_assert_str_eq(str_member(o, "transport"), "udp");
	ck_assert(json_is_false(json_object_get(o, "tc_retry")));
	v = json_object_get(o, "rtt_ms");
	ck_assert(json_is_real(v));
	ck_assert_double_eq_tol(json_real_value(v), 1.235, 1e-9);
	ck_assert_int_eq(int_member(o, "size"), (json_int_t)len);
	ck_assert_int_eq(int_member(o, "tries"), 1);
	ck_assert_int_eq(int_member(o, "discarded"), 0);
	ck_assert(json_is_null(json_object_get(o, "error")));
	m = json_object_get(o, "message");
	ck_assert(json_is_object(m));
	ck_assert_int_eq(int_member(m, "ID"), 1234);
	ck_assert_int_eq(int_member(m, "dateSeconds"), WHEN_SECONDS);
	ck_assert_str_eq(str_member(m, "dateString"), "2026-11-21T09:53:05+0000");
	ck_assert_int_eq(int_member(m, "msgLength"), (json_int_t)len);
	ck_assert_str_eq(str_member(m, "QTYPEname"), "MX");
	ck_assert_str_eq(str_member(json_array_get(json_object_get(m, "answerRRs"), 0), "rdataMX"),
	                 "10 mx1.example.test.");
	json_decref(o);
	lookup_free(l);
}
END_TEST

START_TEST(test_json_reply_new_timeout)
{
	struct lookup *l = tu_lookup("example.test", LDNS_RR_TYPE_MX, 1);
	struct net_result *res = tu_result(NET_TIMEOUT, NULL, 0);
	json_t *o;

	res->tries = 2;
	lookup_deliver(l, 0, res);
	o = json_reply_new(lookup_reply_at(l, 0));
	ck_assert_ptr_nonnull(o);
	ck_assert(json_is_null(json_object_get(o, "message")));
	ck_assert_str_eq(str_member(o, "error"), "timed out");
	ck_assert_str_eq(str_member(o, "server"), "127.0.53.1");
	ck_assert_int_eq(int_member(o, "tries"), 2);
	ck_assert(json_is_null(json_object_get(o, "rtt_ms")));
	ck_assert(json_is_null(json_object_get(o, "size")));
	json_decref(o);
	lookup_free(l);
}
END_TEST

START_TEST(test_json_reply_new_tcp_retry)
{
	struct lookup *l = tu_lookup("example.test", LDNS_RR_TYPE_MX, 1);
	size_t len;
	uint8_t *w = tu_reply_wire("example.test.", LDNS_RR_TYPE_MX, 77, LDNS_RCODE_NOERROR,
	                           mx_answer, &len);
	struct net_result *res = tu_result(NET_OK, w, len);
	json_t *o;

	res->tcp = true;
	res->tc_retry = true;
	res->tries = 2;
	res->discarded = 3;
	lookup_deliver(l, 0, res);
	o = json_reply_new(lookup_reply_at(l, 0));
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(str_member(o, "transport"), "tcp");
	ck_assert(json_is_true(json_object_get(o, "tc_retry")));
	ck_assert_int_eq(int_member(o, "discarded"), 3);
	ck_assert_int_eq(int_member(json_object_get(o, "message"), "ID"), 77);
	json_decref(o);
	lookup_free(l);
}
END_TEST

START_TEST(test_json_reply_new_not_done)
{
	struct lookup *l = tu_lookup("example.test", LDNS_RR_TYPE_MX, 1);
	json_t *o = json_reply_new(lookup_reply_at(l, 0));

	ck_assert_ptr_nonnull(o);
	ck_assert(json_is_null(json_object_get(o, "message")));
	ck_assert(json_is_null(json_object_get(o, "transport")));
	ck_assert(json_is_string(json_object_get(o, "error")));
	json_decref(o);
	lookup_free(l);
}
END_TEST

/* --- json_lookup_print ----------------------------------------------------------------- */

START_TEST(test_json_lookup_print_one)
{
	struct lookup *l = tu_lookup("example.test", LDNS_RR_TYPE_MX, 1);
	struct tu_capture c;
	json_error_t err;
	json_t *root;

	deliver_reply(l, 0, "example.test.", LDNS_RR_TYPE_MX, 1234, LDNS_RCODE_NOERROR, mx_answer);
	tu_capture_open(&c);
	ck_assert_int_eq(json_lookup_print(c.f, l), 0);
	tu_capture_close(&c);
	assert_printable(c.buf, c.len, "\n");
	ck_assert_int_eq(c.buf[c.len - 1], '\n');
	/* 3 decimals, not the 17 significant digits of a double */
	ck_assert_ptr_nonnull(strstr(c.buf, "\"rtt_ms\": 1.235,"));
	ck_assert_ptr_nonnull(strstr(c.buf, "\"rdataMX\": \"10 mx1.example.test.\""));
	root = json_loads(c.buf, 0, &err);
	ck_assert_msg(root != NULL, "output does not parse: %s", err.text);
	ck_assert(json_is_object(root));
	ck_assert_int_eq(int_member(json_object_get(root, "message"), "ID"), 1234);
	json_decref(root);
	free(c.buf);
	lookup_free(l);
}
END_TEST

START_TEST(test_json_lookup_print_two)
{
	struct lookup *l = tu_lookup("example.test", LDNS_RR_TYPE_TXT, 2);
	const char *const answer[] = {ESCAPE_TXT, NULL};
	struct tu_capture c;
	json_error_t err;
	json_t *root, *a, *b;

	deliver_reply(l, 0, "example.test.", LDNS_RR_TYPE_TXT, 42, LDNS_RCODE_NOERROR, answer);
	lookup_deliver(l, 1, tu_result(NET_UNREACHABLE, NULL, 0));
	tu_capture_open(&c);
	ck_assert_int_eq(json_lookup_print(c.f, l), 0);
	tu_capture_close(&c);
	assert_printable(c.buf, c.len, "\n");
	root = json_loads(c.buf, 0, &err);
	ck_assert_msg(root != NULL, "output does not parse: %s", err.text);
	ck_assert(json_is_array(root));
	ck_assert_uint_eq(json_array_size(root), 2);
	a = json_array_get(root, 0);
	b = json_array_get(root, 1);
	ck_assert_str_eq(str_member(a, "server"), "127.0.53.1");
	ck_assert(json_is_null(json_object_get(a, "error")));
	ck_assert_str_eq(
	    str_member(
	        json_array_get(json_object_get(json_object_get(a, "message"), "answerRRs"), 0),
	        "rdataTXT"),
	    ESCAPE_SHOWN);
	ck_assert_str_eq(str_member(b, "server"), "127.0.53.2");
	ck_assert(json_is_null(json_object_get(b, "message")));
	ck_assert(json_is_string(json_object_get(b, "error")));
	json_decref(root);
	free(c.buf);
	lookup_free(l);
}
END_TEST

/* --- text_lookup_print ----------------------------------------------------------------- */

START_TEST(test_text_lookup_print_mx)
{
	struct lookup *l = tu_lookup("example.test", LDNS_RR_TYPE_MX, 1);
	size_t len = deliver_reply(l, 0, "example.test.", LDNS_RR_TYPE_MX, 1234, LDNS_RCODE_NOERROR,
	                           mx_answer);
	struct tu_capture c;
	char line[64];

	setenv("TZ", "UTC", 1);
	tzset();
	tu_capture_open(&c);
	ck_assert_int_eq(text_lookup_print(c.f, l), 0);
	tu_capture_close(&c);
	assert_printable(c.buf, c.len, "\t\n");
	ck_assert_ptr_nonnull(
	    strstr(c.buf, ";; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: 1234\n"));
	ck_assert_ptr_nonnull(strstr(
	    c.buf, ";; flags: qr rd ra; QUERY: 1, ANSWER: 2, AUTHORITY: 0, ADDITIONAL: 0\n"));
	/* dig's columns: the question class at 32, answer TTL at 24, class 32, type 40 */
	ck_assert_ptr_nonnull(
	    strstr(c.buf, ";; QUESTION SECTION:\n;example.test.\t\t\tIN\tMX\n\n"));
	ck_assert_ptr_nonnull(strstr(c.buf,
	                             ";; ANSWER SECTION:\n"
	                             "example.test.\t\t3600\tIN\tMX\t10 mx1.example.test.\n"
	                             "example.test.\t\t3600\tIN\tMX\t20 mx2.example.test.\n\n"));
	ck_assert_ptr_null(strstr(c.buf, "AUTHORITY SECTION"));
	ck_assert_ptr_null(strstr(c.buf, "OPT PSEUDOSECTION"));
	ck_assert_ptr_nonnull(strstr(c.buf, ";; Query time: 1 msec\n"));
	ck_assert_ptr_nonnull(strstr(c.buf, ";; SERVER: 127.0.53.1#53(127.0.53.1) (UDP)\n"));
	ck_assert_ptr_nonnull(strstr(c.buf, ";; WHEN: Sat Nov 21 09:53:05 UTC 2026\n"));
	snprintf(line, sizeof(line), ";; MSG SIZE  rcvd: %zu\n", len);
	ck_assert_ptr_nonnull(strstr(c.buf, line));
	ck_assert_ptr_nonnull(strstr(c.buf, ";; TRANSPORT: udp, tries: 1, discarded: 0\n"));
	ck_assert_ptr_null(strstr(c.buf, "Truncated"));
	free(c.buf);
	lookup_free(l);
}
END_TEST

START_TEST(test_text_lookup_print_escapes_txt)
{
	struct lookup *l = tu_lookup("escape.example.test", LDNS_RR_TYPE_TXT, 1);
	const char *const answer[] = {ESCAPE_TXT, NULL};
	struct tu_capture c;

	deliver_reply(l, 0, "escape.example.test.", LDNS_RR_TYPE_TXT, 9, LDNS_RCODE_NOERROR,
	              answer);
	tu_capture_open(&c);
	ck_assert_int_eq(text_lookup_print(c.f, l), 0);
	tu_capture_close(&c);
	/* only the layout's own tabs and newlines: no ESC, BEL, DEL, TAB from the TXT */
	assert_printable(c.buf, c.len, "\t\n");
	ck_assert_ptr_nonnull(
	    strstr(c.buf, "escape.example.test.\t3600\tIN\tTXT\t" ESCAPE_SHOWN "\n"));
	free(c.buf);
	lookup_free(l);
}
END_TEST

START_TEST(test_text_lookup_print_error_and_two)
{
	struct lookup *l = tu_lookup("nx.example.test", LDNS_RR_TYPE_A, 2);
	struct tu_capture c;
	const char *sep;

	deliver_reply(l, 0, "nx.example.test.", LDNS_RR_TYPE_A, 4321, LDNS_RCODE_NXDOMAIN, NULL);
	lookup_deliver(l, 1, tu_result(NET_TIMEOUT, NULL, 0));
	tu_capture_open(&c);
	ck_assert_int_eq(text_lookup_print(c.f, l), 0);
	tu_capture_close(&c);
	assert_printable(c.buf, c.len, "\t\n");
	ck_assert_ptr_nonnull(strstr(c.buf, "status: NXDOMAIN, id: 4321\n"));
	ck_assert_ptr_nonnull(strstr(c.buf, ";nx.example.test.\t\tIN\tA\n"));
	/* the second server: a blank line, then one line with its error, and nothing more */
	sep = strstr(c.buf, "\n\n;; 127.0.53.2: timed out\n");
	ck_assert_ptr_nonnull(sep);
	ck_assert_str_eq(sep, "\n\n;; 127.0.53.2: timed out\n");
	ck_assert(starts_with(c.buf, ";; Got answer:\n"));
	free(c.buf);
	lookup_free(l);
}
END_TEST

START_TEST(test_text_lookup_print_tc_retry)
{
	struct lookup *l = tu_lookup("example.test", LDNS_RR_TYPE_MX, 1);
	size_t len;
	uint8_t *w =
	    tu_reply_wire("example.test.", LDNS_RR_TYPE_MX, 5, LDNS_RCODE_NOERROR, mx_answer, &len);
	struct net_result *res = tu_result(NET_OK, w, len);
	struct tu_capture c;

	res->tcp = true;
	res->tc_retry = true;
	res->tries = 2;
	res->discarded = 1;
	lookup_deliver(l, 0, res);
	tu_capture_open(&c);
	ck_assert_int_eq(text_lookup_print(c.f, l), 0);
	tu_capture_close(&c);
	ck_assert(starts_with(c.buf, ";; Truncated, retrying in TCP mode.\n;; Got answer:\n"));
	ck_assert_ptr_nonnull(strstr(c.buf, ";; SERVER: 127.0.53.1#53(127.0.53.1) (TCP)\n"));
	ck_assert_ptr_nonnull(strstr(c.buf, ";; TRANSPORT: tcp, tries: 2, discarded: 1\n"));
	free(c.buf);
	lookup_free(l);
}
END_TEST

START_TEST(test_text_lookup_print_aligns_columns)
{
	/* an owner wider than dig's 24 columns and a type wider than 8: the stops move out */
	const char *const answer[] = {
	    "a.example.test. 60 IN CNAME b.example.test.",
	    "a-rather-long-owner-name.example.test. 2147483647 IN A 192.0.2.1",
	    "a.example.test. 60 IN TYPE65534 \\# 2 0102", NULL};
	struct lookup *l = tu_lookup("a.example.test", LDNS_RR_TYPE_ANY, 1);
	struct tu_capture c;
	size_t ttl, klass, type, rdata;

	deliver_reply(l, 0, "a.example.test.", LDNS_RR_TYPE_ANY, 6, LDNS_RCODE_NOERROR, answer);
	tu_capture_open(&c);
	ck_assert_int_eq(text_lookup_print(c.f, l), 0);
	tu_capture_close(&c);
	ttl = column_of(c.buf, "a.example.test.\t", "60");
	ck_assert_uint_eq(column_of(c.buf, "a-rather-long", "2147483647"), ttl);
	ck_assert_uint_gt(ttl, strlen("a-rather-long-owner-name.example.test."));
	klass = column_of(c.buf, "a.example.test.\t", "IN");
	ck_assert_uint_eq(column_of(c.buf, "a-rather-long", "IN"), klass);
	ck_assert_uint_gt(klass, ttl + strlen("2147483647"));
	type = column_of(c.buf, "a.example.test.\t", "CNAME");
	/* the A follows a tab, so it starts at the stop after that tab's column */
	ck_assert_uint_eq((column_of(c.buf, "a-rather-long", "\tA\t") / 8 + 1) * 8, type);
	rdata = column_of(c.buf, "a.example.test.\t", "b.example.test.");
	ck_assert_uint_eq(column_of(c.buf, "a-rather-long", "192.0.2.1"), rdata);
	ck_assert_uint_gt(rdata, type + strlen("TYPE65534"));
	free(c.buf);
	lookup_free(l);
}
END_TEST

Suite *suite_json(void)
{
	Suite *s = suite_create("json");
	TCase *tc;

	tc = tcase_create("json_message_new");
	tcase_add_test(tc, test_json_message_new_mx);
	tcase_add_test(tc, test_json_message_new_nxdomain);
	tcase_add_test(tc, test_json_message_new_rdatahex_a);
	tcase_add_test(tc, test_json_message_new_escapes_txt);
	tcase_add_test(tc, test_json_message_new_escapes_owner);
	tcase_add_test(tc, test_json_message_new_opt);
	tcase_add_test(tc, test_json_message_new_opt_empty);
	suite_add_tcase(s, tc);

	tc = tcase_create("json_reply_new");
	tcase_add_test(tc, test_json_reply_new_reply);
	tcase_add_test(tc, test_json_reply_new_timeout);
	tcase_add_test(tc, test_json_reply_new_tcp_retry);
	tcase_add_test(tc, test_json_reply_new_not_done);
	suite_add_tcase(s, tc);

	tc = tcase_create("json_lookup_print");
	tcase_add_test(tc, test_json_lookup_print_one);
	tcase_add_test(tc, test_json_lookup_print_two);
	suite_add_tcase(s, tc);

	tc = tcase_create("text_lookup_print");
	tcase_add_test(tc, test_text_lookup_print_mx);
	tcase_add_test(tc, test_text_lookup_print_escapes_txt);
	tcase_add_test(tc, test_text_lookup_print_error_and_two);
	tcase_add_test(tc, test_text_lookup_print_tc_retry);
	tcase_add_test(tc, test_text_lookup_print_aligns_columns);
	suite_add_tcase(s, tc);
	return s;
}
