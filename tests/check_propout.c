/*
 * check_propout.c -- the batch renderings of a propagation comparison (out/propjson.c,
 * out/proptext.c).
 *
 * Real comparisons (engine/prop.c) are built without a transport and fed canned wire replies
 * through the test seam prop_deliver(): for every server the question (example.test. MX) and
 * the SOA asked alongside. Scenarios: three servers that agree; one with another MX RRset
 * (an outlier in a second group); one whose zone serial is behind; one that timed out; and a
 * TXT answer with hostile bytes. The JSON is checked member by member, the text line by line
 * and column by column, and both byte by byte for anything outside printable ASCII.
 */
#include "config.h"
#include "tests.h"
#include "engine/prop.h"
#include "out/propjson.h"
#include "out/proptext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SERIAL_NEW 2026112102u
#define SERIAL_OLD 2026112101u

static const char *const mx_answer[] = {"example.test. 3600 IN MX 10 mx1.example.test.",
                                        "example.test. 300 IN MX 20 mx2.example.test.", NULL};
/* the same RRset in another order, another TTL and another case: the same group */
static const char *const mx_answer_shuffled[] = {"EXAMPLE.test. 60 IN MX 20 MX2.example.test.",
                                                 "example.test. 60 IN MX 10 mx1.example.test.",
                                                 NULL};
/* the changed RRset an outlier still serves (or already serves) */
static const char *const mx_answer_changed[] = {"example.test. 3600 IN MX 10 mx1.example.test.",
                                                "example.test. 3600 IN MX 20 mx3.example.test.",
                                                NULL};
/* ESC "[31m", BEL, DEL and UTF-8 e-acute in a TXT string */
static const char *const txt_hostile[] = {
    "example.test. 3600 IN TXT \"\\027[31mred\\007bell\\127del\\195\\169\"", NULL};

/* The comparison and what was rendered from it. */
struct run {
	struct prop *p;
	json_t *json; /* propjson_new() */
	char *text;   /* proptext_print() */
	size_t textlen;
};

/* A comparison of example.test. <type> asked of 127.0.53.1 ... 127.0.53.n, nothing sent. */
static struct prop *prop_make(size_t n, ldns_rr_type type)
{
	struct query_spec q;
	struct server s[8];
	char spec[32], err[128];
	struct prop *p;
	size_t i;

	ck_assert_uint_le(n, 8);
	query_spec_init(&q);
	q.qtype = type;
	ck_assert_int_eq(query_spec_set_name(&q, "example.test"), LDNS_STATUS_OK);
	for (i = 0; i < n; i++) {
		snprintf(spec, sizeof(spec), "@127.0.53.%zu", i + 1);
		ck_assert_int_eq(server_parse(&s[i], spec, err, sizeof(err)), 0);
	}
	p = prop_new(NULL, NULL, &q, s, n, NULL, NULL, NULL);
	ck_assert_ptr_nonnull(p);
	for (i = 0; i < n; i++)
		server_clear(&s[i]);
	query_spec_clear(&q);
	ck_assert_uint_eq(prop_nrows(p), n);
	return p;
}

/* Deliver the reply to the question (kind 0) to row i; AA set when aa. */
static void deliver_answer(struct prop *p, size_t i, ldns_rr_type type, ldns_pkt_rcode rcode,
                           const char *const *answer, bool aa)
{
	size_t len;
	uint8_t *w =
	    tu_reply_wire("example.test.", type, (uint16_t)(0x1200 + i), rcode, answer, &len);

	if (aa)
		w[2] |= 0x04; /* the AA bit of the header's third octet (RFC 1035 §4.1.1) */
	prop_deliver(p, i, 0, tu_result(NET_OK, w, len));
}

/* Deliver the SOA asked alongside (kind 1) to row i, with this serial. */
static void deliver_soa(struct prop *p, size_t i, uint32_t serial)
{
	char rr[160];
	const char *answer[] = {rr, NULL};
	size_t len;
	uint8_t *w;

	snprintf(rr, sizeof(rr),
	         "example.test. 3600 IN SOA ns1.example.test. hostmaster.example.test. %lu 3600 "
	         "900 604800 300",
	         (unsigned long)serial);
	w = tu_reply_wire("example.test.", LDNS_RR_TYPE_SOA, (uint16_t)(0x3400 + i),
	                  LDNS_RCODE_NOERROR, answer, &len);
	prop_deliver(p, i, 1, tu_result(NET_OK, w, len));
}

/* Both questions of row i timed out. */
static void deliver_timeout(struct prop *p, size_t i)
{
	struct net_result *r = tu_result(NET_TIMEOUT, NULL, 0);

	r->tries = 2;
	prop_deliver(p, i, 0, r);
	r = tu_result(NET_TIMEOUT, NULL, 0);
	r->tries = 2;
	prop_deliver(p, i, 1, r);
}

/* Fail unless every byte is printable ASCII or a newline. */
static void assert_ascii(const char *what, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		ck_assert_msg(((unsigned char)s[i] >= 0x20 && (unsigned char)s[i] <= 0x7e) ||
		                  s[i] == '\n',
		              "%s: byte 0x%02x at %zu", what, (unsigned char)s[i], i);
}

/* Render p both ways (every rendering is checked for ASCII and for a clean JSON round trip). */
static void run_render(struct run *r, struct prop *p)
{
	struct tu_capture c;
	json_t *back;
	json_error_t err;

	r->p = p;
	ck_assert(prop_done(p));
	r->json = propjson_new(p);
	ck_assert_ptr_nonnull(r->json);

	tu_capture_open(&c);
	ck_assert_int_eq(propjson_print(c.f, p), 0);
	tu_capture_close(&c);
	assert_ascii("json", c.buf, c.len);
	ck_assert_msg(c.len > 0 && c.buf[c.len - 1] == '\n', "no final newline");
	ck_assert_ptr_nonnull(strstr(c.buf, "\n  \"question\": "));
	back = json_loads(c.buf, 0, &err);
	ck_assert_msg(back != NULL, "%s", err.text);
	ck_assert(json_equal(back, r->json));
	json_decref(back);
	free(c.buf);

	tu_capture_open(&c);
	ck_assert_int_eq(proptext_print(c.f, p), 0);
	tu_capture_close(&c);
	assert_ascii("text", c.buf, c.len);
	ck_assert_msg(c.len > 0 && c.buf[c.len - 1] == '\n', "no final newline");
	ck_assert_msg(strstr(c.buf, " \n") == NULL, "trailing space:\n%s", c.buf);
	r->text = c.buf;
	r->textlen = c.len;
}

static void run_free(struct run *r)
{
	json_decref(r->json);
	free(r->text);
	prop_free(r->p);
}

/* Three servers asked example.test. MX: two agree (AA set, serial SERIAL_NEW), the third
 * answers third with third_serial (AA clear), or times out when third is NULL. Rendered. */
static void run_three(struct run *r, const char *const *third, uint32_t third_serial)
{
	struct prop *p = prop_make(3, LDNS_RR_TYPE_MX);

	deliver_answer(p, 0, LDNS_RR_TYPE_MX, LDNS_RCODE_NOERROR, mx_answer, true);
	deliver_soa(p, 0, SERIAL_NEW);
	deliver_answer(p, 1, LDNS_RR_TYPE_MX, LDNS_RCODE_NOERROR, mx_answer_shuffled, true);
	deliver_soa(p, 1, SERIAL_NEW);
	if (third != NULL) {
		deliver_answer(p, 2, LDNS_RR_TYPE_MX, LDNS_RCODE_NOERROR, third, false);
		deliver_soa(p, 2, third_serial);
	} else {
		deliver_timeout(p, 2);
	}
	run_render(r, p);
}

/* --- JSON helpers -------------------------------------------------------------------------- */

static json_t *member(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	ck_assert_msg(v != NULL, "no member \"%s\"", key);
	return v;
}

static const char *str_member(const json_t *o, const char *key)
{
	json_t *v = member(o, key);

	ck_assert_msg(json_is_string(v), "\"%s\" is not a string", key);
	return json_string_value(v);
}

static json_int_t int_member(const json_t *o, const char *key)
{
	json_t *v = member(o, key);

	ck_assert_msg(json_is_integer(v), "\"%s\" is not an integer", key);
	return json_integer_value(v);
}

static bool bool_member(const json_t *o, const char *key)
{
	json_t *v = member(o, key);

	ck_assert_msg(json_is_boolean(v), "\"%s\" is not a boolean", key);
	return json_is_true(v);
}

static void assert_null_member(const json_t *o, const char *key)
{
	ck_assert_msg(json_is_null(member(o, key)), "\"%s\" is not null", key);
}

static json_t *result_at(const struct run *r, size_t i)
{
	json_t *a = member(r->json, "results");

	ck_assert(json_is_array(a));
	ck_assert_uint_gt(json_array_size(a), i);
	return json_array_get(a, i);
}

static json_t *group_at(const struct run *r, size_t i)
{
	json_t *a = member(r->json, "groups");

	ck_assert(json_is_array(a));
	ck_assert_uint_gt(json_array_size(a), i);
	return json_array_get(a, i);
}

/* The members of a result in order: the 0.1 reply object, then the comparison's. */
static void assert_result_keys(const json_t *res)
{
	/* stale_until only for a stale cache */
	static const char *const keys[] = {
	    "server",     "address",   "transport", "tc_retry",  "rtt_ms", "size",
	    "tries",      "discarded", "error",     "message",   "status", "group",
	    "soa_serial", "outlier",   "behind",    "cache_ttl", "stale",  "stale_until"};
	const char *key;
	json_t *v;
	size_t k = 0;

	json_object_foreach((json_t *)res, key, v)
	{
		(void)v;
		ck_assert_uint_lt(k, sizeof(keys) / sizeof(keys[0]));
		ck_assert_str_eq(key, keys[k]);
		k++;
	}
	ck_assert_uint_eq(k, sizeof(keys) / sizeof(keys[0]) -
	                         (json_is_true(json_object_get(res, "stale")) ? 0 : 1));
}

/* A result with a usable MX answer. */
static void assert_answer_result(const json_t *res, const char *server, json_int_t group,
                                 json_int_t serial, bool outlier, bool behind)
{
	json_t *msg;

	assert_result_keys(res);
	ck_assert_str_eq(str_member(res, "server"), server);
	ck_assert_str_eq(str_member(res, "transport"), "udp");
	ck_assert(!bool_member(res, "tc_retry"));
	ck_assert(json_is_real(member(res, "rtt_ms")));
	ck_assert_double_eq_tol(json_real_value(member(res, "rtt_ms")), 1.235, 1e-9);
	ck_assert_int_gt(int_member(res, "size"), 12);
	ck_assert_int_eq(int_member(res, "tries"), 1);
	ck_assert_int_eq(int_member(res, "discarded"), 0);
	assert_null_member(res, "error");
	msg = member(res, "message");
	ck_assert(json_is_object(msg));
	ck_assert_int_eq(int_member(msg, "RCODE"), 0);
	ck_assert_int_eq(int_member(msg, "ANCOUNT"), 2);
	ck_assert_str_eq(str_member(msg, "QTYPEname"), "MX");
	ck_assert_int_eq(int_member(msg, "dateSeconds"), TU_WHEN_SECONDS);
	ck_assert(json_is_array(member(msg, "answerRRs")));
	ck_assert_str_eq(str_member(res, "status"), "answer");
	ck_assert_int_eq(int_member(res, "group"), group);
	ck_assert_int_eq(int_member(res, "soa_serial"), serial);
	ck_assert(bool_member(res, "outlier") == outlier);
	ck_assert(bool_member(res, "behind") == behind);
}

static void assert_question(const struct run *r)
{
	json_t *q = member(r->json, "question");

	ck_assert(json_is_object(q));
	ck_assert_uint_eq(json_object_size(q), 3);
	ck_assert_str_eq(str_member(q, "qname"), "example.test.");
	ck_assert_str_eq(str_member(q, "qtype"), "MX");
	ck_assert_str_eq(str_member(q, "qclass"), "IN");
}

/* The top-level members, in order. */
static void assert_top_keys(const struct run *r)
{
	static const char *const keys[] = {"question",   "results",        "groups",
	                                   "consistent", "newest_serial",  "summary",
	                                   "discovery",  "caches_agree_by"};
	const char *key;
	json_t *v;
	size_t k = 0;

	json_object_foreach(r->json, key, v)
	{
		(void)v;
		ck_assert_uint_lt(k, sizeof(keys) / sizeof(keys[0]));
		ck_assert_str_eq(key, keys[k]);
		k++;
	}
	ck_assert_uint_eq(k, sizeof(keys) / sizeof(keys[0]));
	assert_null_member(r->json, "discovery");
}

/* --- text helpers -------------------------------------------------------------------------- */

/* Line n (0-based) of the text, copied (caller frees); fails when there are fewer. */
static char *text_line(const struct run *r, size_t n)
{
	const char *s = r->text, *e;

	for (; n > 0; n--) {
		s = strchr(s, '\n');
		ck_assert_msg(s != NULL, "too few lines:\n%s", r->text);
		s++;
	}
	e = strchr(s, '\n');
	ck_assert_ptr_nonnull(e);
	return strndup(s, (size_t)(e - s));
}

static size_t count_lines(const struct run *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->textlen; i++)
		n += r->text[i] == '\n';
	return n;
}

/* Fail unless line n is exactly want. */
static void assert_line(const struct run *r, size_t n, const char *want)
{
	char *l = text_line(r, n);

	ck_assert_msg(strcmp(l, want) == 0, "line %zu:\n got  \"%s\"\n want \"%s\"\nin:\n%s", n, l,
	              want, r->text);
	free(l);
}

/* Fail unless line n starts with want (the rest is a clock time). */
static void assert_line_prefix(const struct run *r, size_t n, const char *want)
{
	char *l = text_line(r, n);

	ck_assert_msg(strncmp(l, want, strlen(want)) == 0,
	              "line %zu:\n got  \"%s\"\n want \"%s...\"", n, l, want);
	free(l);
}

/* Fail unless every row line (1 .. n) has word at the same column, or lacks it where
 * absent is allowed. */
static void assert_column(const struct run *r, size_t first, size_t n, const char *word)
{
	long col = -1;

	for (size_t i = first; i < first + n; i++) {
		char *l = text_line(r, i);
		char *at = strstr(l, word);

		ck_assert_msg(at != NULL, "row %zu has no \"%s\":\n%s", i, word, r->text);
		if (col < 0)
			col = at - l;
		ck_assert_msg(at - l == col, "\"%s\" of row %zu not aligned:\n%s", word, i,
		              r->text);
		free(l);
	}
}

/* --- propjson_new ------------------------------------------------------------------------ */

START_TEST(test_propjson_new_consistent)
{
	struct run r;
	json_t *g;

	run_three(&r, mx_answer, SERIAL_NEW);
	assert_top_keys(&r);
	assert_question(&r);
	ck_assert_uint_eq(json_array_size(member(r.json, "results")), 3);
	assert_answer_result(result_at(&r, 0), "127.0.53.1", 0, SERIAL_NEW, false, false);
	ck_assert_str_eq(str_member(result_at(&r, 0), "address"), "127.0.53.1#53");
	ck_assert_int_eq(int_member(member(result_at(&r, 0), "message"), "AA"), 1);
	assert_answer_result(result_at(&r, 1), "127.0.53.2", 0, SERIAL_NEW, false, false);
	assert_answer_result(result_at(&r, 2), "127.0.53.3", 0, SERIAL_NEW, false, false);
	ck_assert_int_eq(int_member(member(result_at(&r, 2), "message"), "AA"), 0);
	ck_assert_uint_eq(json_array_size(member(r.json, "groups")), 1);
	g = group_at(&r, 0);
	ck_assert_uint_eq(json_object_size(g), 3);
	ck_assert_str_eq(str_member(g, "answer"), "10 mx1.example.test., 20 mx2.example.test.");
	ck_assert_int_eq(int_member(g, "size"), 3);
	ck_assert(bool_member(g, "majority"));
	ck_assert(bool_member(r.json, "consistent"));
	ck_assert_int_eq(int_member(r.json, "newest_serial"), SERIAL_NEW);
	ck_assert_str_eq(str_member(r.json, "summary"), "consistent: 3 servers agree");
	run_free(&r);
}
END_TEST

START_TEST(test_propjson_new_outlier)
{
	struct run r;

	run_three(&r, mx_answer_changed, SERIAL_NEW);
	assert_top_keys(&r);
	assert_question(&r);
	assert_answer_result(result_at(&r, 0), "127.0.53.1", 0, SERIAL_NEW, false, false);
	assert_answer_result(result_at(&r, 1), "127.0.53.2", 0, SERIAL_NEW, false, false);
	assert_answer_result(result_at(&r, 2), "127.0.53.3", 1, SERIAL_NEW, true, false);
	/* the resolver's copy differs from the authoritative answer: stale until it expires */
	ck_assert(!bool_member(result_at(&r, 0), "stale"));
	ck_assert(bool_member(result_at(&r, 2), "stale"));
	ck_assert_int_eq(int_member(result_at(&r, 2), "cache_ttl"), 3600);
	ck_assert_ptr_nonnull(strstr(str_member(result_at(&r, 2), "stale_until"), "T"));
	ck_assert_ptr_nonnull(strstr(str_member(r.json, "caches_agree_by"), "Z"));
	ck_assert_uint_eq(json_array_size(member(r.json, "groups")), 2);
	ck_assert_str_eq(str_member(group_at(&r, 0), "answer"),
	                 "10 mx1.example.test., 20 mx2.example.test.");
	ck_assert_int_eq(int_member(group_at(&r, 0), "size"), 2);
	ck_assert(bool_member(group_at(&r, 0), "majority"));
	ck_assert_str_eq(str_member(group_at(&r, 1), "answer"),
	                 "10 mx1.example.test., 20 mx3.example.test.");
	ck_assert_int_eq(int_member(group_at(&r, 1), "size"), 1);
	ck_assert(!bool_member(group_at(&r, 1), "majority"));
	ck_assert(!bool_member(r.json, "consistent"));
	ck_assert_int_eq(int_member(r.json, "newest_serial"), SERIAL_NEW);
	ck_assert_str_eq(str_member(r.json, "summary"),
	                 "1 of 3 servers differ: 1 with another answer");
	run_free(&r);
}
END_TEST

START_TEST(test_propjson_new_behind)
{
	struct run r;

	run_three(&r, mx_answer, SERIAL_OLD);
	assert_top_keys(&r);
	assert_answer_result(result_at(&r, 0), "127.0.53.1", 0, SERIAL_NEW, false, false);
	assert_answer_result(result_at(&r, 1), "127.0.53.2", 0, SERIAL_NEW, false, false);
	/* the same answer, so the majority group, but an older zone */
	assert_answer_result(result_at(&r, 2), "127.0.53.3", 0, SERIAL_OLD, false, true);
	ck_assert_uint_eq(json_array_size(member(r.json, "groups")), 1);
	ck_assert_int_eq(int_member(group_at(&r, 0), "size"), 3);
	ck_assert_int_eq(int_member(r.json, "newest_serial"), SERIAL_NEW);
	ck_assert_str_eq(str_member(r.json, "summary"),
	                 "1 of 3 servers differ: 1 behind serial 2026112102");
	run_free(&r);
}
END_TEST

START_TEST(test_propjson_new_timeout)
{
	struct run r;
	json_t *res;

	run_three(&r, NULL, 0);
	assert_top_keys(&r);
	assert_answer_result(result_at(&r, 0), "127.0.53.1", 0, SERIAL_NEW, false, false);
	assert_answer_result(result_at(&r, 1), "127.0.53.2", 0, SERIAL_NEW, false, false);
	res = result_at(&r, 2);
	assert_result_keys(res);
	ck_assert_str_eq(str_member(res, "server"), "127.0.53.3");
	ck_assert_str_eq(str_member(res, "address"), "127.0.53.3#53");
	ck_assert_str_eq(str_member(res, "transport"), "udp");
	assert_null_member(res, "rtt_ms");
	assert_null_member(res, "size");
	ck_assert_int_eq(int_member(res, "tries"), 2);
	ck_assert_uint_gt(strlen(str_member(res, "error")), 0);
	assert_null_member(res, "message");
	ck_assert_str_eq(str_member(res, "status"), "timeout");
	assert_null_member(res, "group");
	assert_null_member(res, "soa_serial");
	ck_assert(bool_member(res, "outlier"));
	ck_assert(!bool_member(res, "behind"));
	ck_assert_uint_eq(json_array_size(member(r.json, "groups")), 1);
	ck_assert_int_eq(int_member(group_at(&r, 0), "size"), 2);
	ck_assert(!bool_member(r.json, "consistent"));
	ck_assert_int_eq(int_member(r.json, "newest_serial"), SERIAL_NEW);
	ck_assert_str_eq(str_member(r.json, "summary"), "1 of 3 servers differ: 1 timed out");
	run_free(&r);
}
END_TEST

/* Hostile TXT bytes reach neither output raw; the escaped form is the same in both. */
static void run_hostile(struct run *r)
{
	struct prop *p = prop_make(2, LDNS_RR_TYPE_TXT);

	for (size_t i = 0; i < 2; i++) {
		deliver_answer(p, i, LDNS_RR_TYPE_TXT, LDNS_RCODE_NOERROR, txt_hostile, false);
		deliver_soa(p, i, SERIAL_NEW);
	}
	run_render(r, p);
}

#define HOSTILE_SHOWN "\"\\027[31mred\\007bell\\127del\\195\\169\""

START_TEST(test_propjson_new_hostile)
{
	struct run r;
	json_t *msg;

	run_hostile(&r);
	ck_assert_str_eq(str_member(member(r.json, "question"), "qtype"), "TXT");
	ck_assert_str_eq(str_member(group_at(&r, 0), "answer"), HOSTILE_SHOWN);
	msg = member(result_at(&r, 0), "message");
	ck_assert_str_eq(str_member(json_array_get(member(msg, "answerRRs"), 0), "rdataTXT"),
	                 HOSTILE_SHOWN);
	ck_assert(bool_member(r.json, "consistent"));
	run_free(&r);
}
END_TEST

/* --- propjson_print: the round trip and ASCII checks of run_render() for every scenario -- */

START_TEST(test_propjson_print)
{
	const char *const *thirds[] = {mx_answer, mx_answer_changed, NULL};
	struct run r;

	for (size_t i = 0; i < sizeof(thirds) / sizeof(thirds[0]); i++) {
		run_three(&r, thirds[i], SERIAL_OLD);
		run_free(&r);
	}
	run_hostile(&r);
	run_free(&r);
}
END_TEST

/* --- proptext_print ---------------------------------------------------------------------- */

START_TEST(test_proptext_print_consistent)
{
	struct run r;

	run_three(&r, mx_answer, SERIAL_NEW);
	assert_line(&r, 0, ";; example.test. MX asked of 3 servers");
	assert_line(&r, 1,
	            "127.0.53.1  127.0.53.1#53  answer  aa ra  1.2 ms  serial 2026112102 newest  "
	            "group 1*  10 mx1.example.test., 20 mx2.example.test.  TTL 300");
	assert_line(&r, 2,
	            "127.0.53.2  127.0.53.2#53  answer  aa ra  1.2 ms  serial 2026112102 newest  "
	            "group 1*  10 mx1.example.test., 20 MX2.example.test.  TTL 60");
	assert_line(&r, 3,
	            "127.0.53.3  127.0.53.3#53  answer  -- ra  1.2 ms  serial 2026112102 newest  "
	            "group 1*  10 mx1.example.test., 20 mx2.example.test.  TTL 300");
	assert_line(&r, 4, "");
	assert_line(&r, 5, ";; GROUPS");
	assert_line(&r, 6, "group 1*  3 servers  10 mx1.example.test., 20 mx2.example.test.");
	assert_line(&r, 7, ";; consistent: 3 servers agree");
	ck_assert_uint_eq(count_lines(&r), 8);
	run_free(&r);
}
END_TEST

START_TEST(test_proptext_print_outlier)
{
	struct run r;

	run_three(&r, mx_answer_changed, SERIAL_NEW);
	assert_line(&r, 0, ";; example.test. MX asked of 3 servers");
	/* .3 is a caching resolver (RA=1, AA=0) whose answer differs from the authoritative
	 * servers': it keeps its copy until its TTL runs out */
	assert_line_prefix(
	    &r, 3,
	    "127.0.53.3  127.0.53.3#53  answer  -- ra  1.2 ms  serial 2026112102 newest  "
	    "group 2   10 mx1.example.test., 20 mx3.example.test.  TTL 3600  "
	    "stale until ");
	assert_column(&r, 1, 3, "group ");
	assert_column(&r, 1, 3, "TTL ");
	assert_line(&r, 5, ";; GROUPS");
	assert_line(&r, 6, "group 1*  2 servers  10 mx1.example.test., 20 mx2.example.test.");
	assert_line(&r, 7, "group 2   1 server   10 mx1.example.test., 20 mx3.example.test.");
	assert_line(&r, 8, ";; 1 of 3 servers differ: 1 with another answer");
	assert_line_prefix(&r, 9, ";; all caches agree by ");
	ck_assert_uint_eq(count_lines(&r), 10);
	run_free(&r);
}
END_TEST

START_TEST(test_proptext_print_behind)
{
	struct run r;

	run_three(&r, mx_answer, SERIAL_OLD);
	assert_line(&r, 1,
	            "127.0.53.1  127.0.53.1#53  answer  aa ra  1.2 ms  serial 2026112102 newest  "
	            "group 1*  10 mx1.example.test., 20 mx2.example.test.  TTL 300");
	assert_line(&r, 3,
	            "127.0.53.3  127.0.53.3#53  answer  -- ra  1.2 ms  serial 2026112101 behind  "
	            "group 1*  10 mx1.example.test., 20 mx2.example.test.  TTL 300");
	assert_line(&r, 6, "group 1*  3 servers  10 mx1.example.test., 20 mx2.example.test.");
	assert_line(&r, 7, ";; 1 of 3 servers differ: 1 behind serial 2026112102");
	run_free(&r);
}
END_TEST

START_TEST(test_proptext_print_timeout)
{
	struct run r;
	char want[256];

	run_three(&r, NULL, 0);
	/* status, no flags, no RTT, no serial, no group, the reason in place of the answer, and
	 * no TTL */
	ck_assert_ptr_nonnull(prop_row(r.p, 2)->error);
	snprintf(want, sizeof(want),
	         "127.0.53.3  127.0.53.3#53  timeout  -           -  serial -                  "
	         "group -   (%s)",
	         prop_row(r.p, 2)->error);
	assert_line(&r, 3, want);
	assert_column(&r, 1, 3, "serial ");
	assert_column(&r, 1, 3, "group ");
	assert_line(&r, 6, "group 1*  2 servers  10 mx1.example.test., 20 mx2.example.test.");
	assert_line(&r, 7, ";; 1 of 3 servers differ: 1 timed out");
	run_free(&r);
}
END_TEST

START_TEST(test_proptext_print_hostile)
{
	struct run r;

	run_hostile(&r);
	assert_line(&r, 0, ";; example.test. TXT asked of 2 servers");
	ck_assert_ptr_nonnull(strstr(r.text, "group 1*  " HOSTILE_SHOWN "  TTL 3600\n"));
	assert_line(&r, 5, "group 1*  2 servers  " HOSTILE_SHOWN);
	run_free(&r);
}
END_TEST

/* A comparison still running: the answered row is shown, the other one says it waits. */
START_TEST(test_propout_pending)
{
	struct prop *p = prop_make(2, LDNS_RR_TYPE_MX);
	struct tu_capture c;
	json_t *o, *res;
	char *l;
	struct run r;

	deliver_answer(p, 0, LDNS_RR_TYPE_MX, LDNS_RCODE_NOERROR, mx_answer, true);
	deliver_soa(p, 0, SERIAL_NEW);
	ck_assert(!prop_done(p));
	o = propjson_new(p);
	ck_assert_ptr_nonnull(o);
	res = json_array_get(member(o, "results"), 1);
	assert_result_keys(res);
	ck_assert_str_eq(str_member(res, "status"), "pending");
	ck_assert_str_eq(str_member(res, "error"), "waiting for a reply");
	assert_null_member(res, "transport");
	assert_null_member(res, "message");
	assert_null_member(res, "group");
	assert_null_member(res, "soa_serial");
	ck_assert(!bool_member(res, "outlier"));
	json_decref(o);

	tu_capture_open(&c);
	ck_assert_int_eq(proptext_print(c.f, p), 0);
	tu_capture_close(&c);
	assert_ascii("text", c.buf, c.len);
	r.text = c.buf;
	r.textlen = c.len;
	l = text_line(&r, 2);
	ck_assert_msg(strncmp(l, "127.0.53.2  127.0.53.2#53  pending  -", 37) == 0, "got \"%s\"",
	              l);
	ck_assert_ptr_nonnull(strstr(l, "group -   (waiting for a reply)"));
	free(l);
	free(c.buf);
	prop_free(p);
}
END_TEST

Suite *suite_propout(void)
{
	Suite *s = suite_create("propout");
	TCase *tc = tcase_create("propjson_new");

	tcase_add_test(tc, test_propjson_new_consistent);
	tcase_add_test(tc, test_propjson_new_outlier);
	tcase_add_test(tc, test_propjson_new_behind);
	tcase_add_test(tc, test_propjson_new_timeout);
	tcase_add_test(tc, test_propjson_new_hostile);
	suite_add_tcase(s, tc);

	tc = tcase_create("propjson_print");
	tcase_add_test(tc, test_propjson_print);
	suite_add_tcase(s, tc);

	tc = tcase_create("proptext_print");
	tcase_add_test(tc, test_proptext_print_consistent);
	tcase_add_test(tc, test_proptext_print_outlier);
	tcase_add_test(tc, test_proptext_print_behind);
	tcase_add_test(tc, test_proptext_print_timeout);
	tcase_add_test(tc, test_proptext_print_hostile);
	suite_add_tcase(s, tc);

	tc = tcase_create("propout_pending");
	tcase_add_test(tc, test_propout_pending);
	suite_add_tcase(s, tc);
	return s;
}
