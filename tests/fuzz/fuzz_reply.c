/*
 * fuzz_reply.c -- libFuzzer harness for the receive path: one input is the raw bytes of one
 * datagram (or TCP message without its length prefix) from a nameserver.
 *
 * The bytes go the way a reply goes through dnsdeck:
 *   1. reply_match() against a fixed question (example.test. IN MX) and against the question
 *      read from the input itself, so that matching passes for most inputs and the rest of the
 *      path sees them; reply_tc() on the raw header. The verdicts must agree with the header
 *      (QR, opcode, QDCOUNT) and reply_wellformed() (whose reason must be printable ASCII),
 *      and a wrong ID must never match (RFC 5452 §9.1). The later steps get every input,
 *      matched or not: what the transport would discard must be safe to show as well.
 *   2. The lookup model through its test seam (lookup_new() without a transport,
 *      lookup_deliver()), which parses with ldns: server 0 gets the bytes as its reply (TC
 *      marks a TCP retry), server 1 a timeout, server 2 is a hostname whose A and AAAA
 *      "resolution" replies are the same bytes. Then servers 0 and 1 are asked again
 *      (lookup_reask(), the TTL watch): 0 gets a canned well-formed reply, 1 the bytes, so the
 *      change detection compares hostile RRs both ways. Compact answers, errors and the
 *      change history must be printable ASCII; lookup_reply_expiry() runs on each reply.
 *   3. The --text and --json renderings (out/text.h, out/json.h) into memory. Text may hold
 *      printable ASCII, '\n' and the '\t' that aligns dig's columns; JSON printable ASCII and
 *      '\n'; the JSON must parse back and every string in it must be printable ASCII (the
 *      escaper ran: dns/escape.h).
 *   4. The propagation model (prop_new() without a transport, prop_deliver()) with the bytes
 *      as both the answer and the SOA reply of row 0 and the answer of row 1, and its text and
 *      JSON renderings, summary and row diff, under the same rules.
 * Any violation calls abort(), which libFuzzer reports as a crash; ASan and UBSan report
 * memory errors and undefined behaviour, LeakSanitizer leaks.
 *
 * Build and run: `make fuzz` / `make check-fuzz` (tests/fuzz/README.md); seeds are in
 * tests/fuzz/corpus/reply/.
 */
#include "config.h"
#include "dns/reply.h"
#include "engine/lookup.h"
#include "engine/prop.h"
#include "out/json.h"
#include "out/propjson.h"
#include "out/proptext.h"
#include "out/text.h"

#include <jansson.h>
#include <ldns/ldns.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What every run shares: the fixed question and the servers asked. */
static struct query_spec fixed_q;
static struct server servers[3];
static struct server resolver;
/* A well-formed reply (example.test. MX 10 mx1, 20 mx2) built with ldns: the other side of
 * the comparison when a reply is asked again. */
static uint8_t *canned;
static size_t canned_len;

/* Report a broken rule with the offending output and stop (libFuzzer saves the input). */
static void fuzz_reply_fail(const char *what, const char *detail, const char *out, size_t len)
{
	fprintf(stderr, "fuzz_reply: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
	if (out != NULL)
		fprintf(stderr, "--- output (%zu bytes) ---\n%.*s\n---\n", len,
		        (int)(len > 4000 ? 4000 : len), out);
	abort();
}

/* Every byte is printable ASCII, '\n', or '\t' when tabs are allowed. */
static void fuzz_reply_printable(const char *what, const char *s, size_t len, bool tabs)
{
	char detail[64];

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 0x20 && c <= 0x7e) || c == '\n' || (tabs && c == '\t'))
			continue;
		snprintf(detail, sizeof(detail), "raw byte 0x%02x at offset %zu", c, i);
		fuzz_reply_fail(what, detail, s, len);
	}
}

/* Every string (member names included) in a decoded JSON value is printable ASCII. */
static void fuzz_reply_json_strings(const char *what, const json_t *v)
{
	const char *key;
	json_t *m;
	size_t i;

	if (json_is_string(v)) {
		fuzz_reply_printable(what, json_string_value(v), json_string_length(v), false);
	} else if (json_is_array(v)) {
		for (i = 0; i < json_array_size(v); i++)
			fuzz_reply_json_strings(what, json_array_get(v, i));
	} else if (json_is_object(v)) {
		json_object_foreach((json_t *)v, key, m)
		{
			fuzz_reply_printable(what, key, strlen(key), false);
			fuzz_reply_json_strings(what, m);
		}
	}
}

/* Check what a renderer wrote (rc is its return value) and free it. */
static void fuzz_reply_output(const char *what, int rc, char *buf, size_t len, bool json)
{
	json_error_t jerr;
	json_t *root;

	if (rc != 0)
		fuzz_reply_fail(what, "renderer failed", buf, len);
	if (strlen(buf) != len)
		fuzz_reply_fail(what, "NUL byte in the output", buf, len);
	fuzz_reply_printable(what, buf, len, !json);
	if (json) {
		root = json_loadb(buf, len, 0, &jerr);
		if (root == NULL)
			fuzz_reply_fail(what, jerr.text, buf, len);
		fuzz_reply_json_strings(what, root);
		json_decref(root);
	}
	free(buf);
}

/* A renderer's output in memory. */
struct fuzz_capture {
	FILE *f;
	char *buf;
	size_t len;
};

/* Start a capture; the stream to hand to the renderer. */
static FILE *fuzz_capture_open(struct fuzz_capture *c)
{
	c->buf = NULL;
	c->len = 0;
	if ((c->f = open_memstream(&c->buf, &c->len)) == NULL)
		abort();
	return c->f;
}

/* Close the capture and check (then free) what the renderer wrote; rc is its return value. */
static void fuzz_capture_check(struct fuzz_capture *c, const char *what, int rc, bool json)
{
	if (fclose(c->f) != 0)
		abort();
	fuzz_reply_output(what, rc, c->buf, c->len, json);
}

/* A transport result holding a copy of the input, as the transport hands one over. */
static struct net_result *fuzz_reply_result(const uint8_t *data, size_t size, enum net_status st,
                                            bool tcp)
{
	struct net_result *r = calloc(1, sizeof(*r));

	if (r == NULL)
		abort();
	r->status = st;
	r->tcp = tcp;
	r->tc_retry = tcp;
	r->tries = tcp ? 2 : 1;
	r->rtt_ms = 0.5;
	r->rx_wall.tv_sec = 1795254785; /* 2026-11-21 09:53:05 UTC */
	if (st == NET_OK) {
		r->wire = malloc(size ? size : 1);
		if (r->wire == NULL)
			abort();
		memcpy(r->wire, data, size);
		r->size = size;
	}
	return r;
}

/* The question section's first entry, read as reply_match reads it. */
static bool fuzz_reply_question(const uint8_t *data, size_t size, struct query_spec *q)
{
	ldns_rr *rr = NULL;
	size_t pos = LDNS_HEADER_SIZE;

	query_spec_init(q);
	if (size < LDNS_HEADER_SIZE ||
	    ldns_wire2rr(&rr, data, size, &pos, LDNS_SECTION_QUESTION) != LDNS_STATUS_OK)
		return false;
	q->qname = ldns_rdf_clone(ldns_rr_owner(rr));
	q->qtype = ldns_rr_get_type(rr);
	q->qclass = ldns_rr_get_class(rr);
	ldns_rr_free(rr);
	if (q->qname == NULL)
		abort();
	return true;
}

/* Step 1: the verdicts against the header. Returns true when the input's own question
 * matches (then it is the question the models ask). */
static bool fuzz_reply_match(const uint8_t *data, size_t size, const struct query_spec *own,
                             bool have_own)
{
	uint16_t id = size >= LDNS_HEADER_SIZE ? LDNS_ID_WIRE(data) : 0;
	enum reply_verdict vf = reply_match(data, size, id, &fixed_q), vo, want;
	char why[256];
	bool wellformed;

	if (reply_tc(data, size) != (size >= LDNS_HEADER_SIZE && LDNS_TC_WIRE(data)))
		fuzz_reply_fail("reply_tc", "disagrees with the header", NULL, 0);
	if (size < LDNS_HEADER_SIZE) {
		if (vf != REPLY_SHORT)
			fuzz_reply_fail("reply_match", "short datagram not REPLY_SHORT", NULL, 0);
		return false;
	}
	if (reply_match(data, size, (uint16_t)(id ^ 0x5a5a), have_own ? own : &fixed_q) ==
	    REPLY_MATCH)
		fuzz_reply_fail("reply_match", "a wrong ID matched", NULL, 0);
	if (!have_own) {
		if (vf == REPLY_MATCH)
			fuzz_reply_fail("reply_match", "matched an unreadable question", NULL, 0);
		return false;
	}
	vo = reply_match(data, size, id, own);
	wellformed = reply_wellformed(data, size, why, sizeof(why));
	if (!wellformed)
		fuzz_reply_printable("reply_wellformed", why, strlen(why), false);
	/* a cut TC = 1 message is still the reply (it is retried over TCP) */
	want = !LDNS_QR_WIRE(data)                           ? REPLY_NOT_RESPONSE
	       : LDNS_OPCODE_WIRE(data) != LDNS_PACKET_QUERY ? REPLY_OPCODE_MISMATCH
	       : LDNS_QDCOUNT(data) != 1                     ? REPLY_QUESTION_MISMATCH
	       : !wellformed && !LDNS_TC_WIRE(data)          ? REPLY_MALFORMED
	                                                     : REPLY_MATCH;
	if (vo != want)
		fuzz_reply_fail("reply_match", reply_verdict_str(vo), NULL, 0);
	if (vf == REPLY_MATCH && vo != REPLY_MATCH)
		fuzz_reply_fail("reply_match", "fixed question matched, own did not", NULL, 0);
	return vo == REPLY_MATCH;
}

/* The strings the lookup model keeps for views (compact answers, change history). */
static void fuzz_reply_lookup_strings(const struct lookup *l)
{
	for (size_t i = 0; i < lookup_count(l); i++) {
		const struct lookup_reply *r = lookup_reply_at(l, i);
		int64_t expiry;

		if (r->answer != NULL)
			fuzz_reply_printable("lookup answer", r->answer, strlen(r->answer), false);
		if (r->error != NULL)
			fuzz_reply_printable("lookup error", r->error, strlen(r->error), false);
		for (size_t k = 0; k < r->nhistory; k++) {
			const struct lookup_change *c = &r->history[k];

			fuzz_reply_printable("history before", c->before, strlen(c->before), false);
			fuzz_reply_printable("history after", c->after, strlen(c->after), false);
		}
		(void)lookup_reply_expiry(r, &expiry);
	}
}

/* Steps 2 and 3: the lookup model and its renderings. */
static void fuzz_reply_lookup(const uint8_t *data, size_t size, const struct query_spec *q)
{
	struct lookup *l = lookup_new(NULL, q, servers, 3, &resolver, NULL, NULL);
	bool tc = reply_tc(data, size);
	struct fuzz_capture c;

	if (l == NULL)
		abort();
	lookup_deliver(l, 0, fuzz_reply_result(data, size, NET_OK, tc));
	lookup_deliver(l, 1, fuzz_reply_result(data, size, NET_TIMEOUT, false));
	/* server 2: A, then AAAA when the A "answer" gave no address, then the reply */
	lookup_deliver(l, 2, fuzz_reply_result(data, size, NET_OK, false));
	if (lookup_reply_at(l, 2)->state == LOOKUP_RESOLVING)
		lookup_deliver(l, 2, fuzz_reply_result(data, size, NET_OK, false));
	if (lookup_reply_at(l, 2)->state == LOOKUP_WAITING)
		lookup_deliver(l, 2, fuzz_reply_result(data, size, NET_OK, false));
	if (!lookup_done(l))
		fuzz_reply_fail("lookup", "not done after every server's result", NULL, 0);
	/* asked again (TTL expiry): server 0's answer changes to the canned one, server 1's
	 * timeout to the input, so both directions of the comparison see hostile RRs */
	if (!lookup_reask(l, 0) || !lookup_reask(l, 1))
		fuzz_reply_fail("lookup_reask", "refused a done reply", NULL, 0);
	lookup_deliver(l, 0, fuzz_reply_result(canned, canned_len, NET_OK, false));
	lookup_deliver(l, 1, fuzz_reply_result(data, size, NET_OK, tc));
	fuzz_reply_lookup_strings(l);

	fuzz_capture_check(&c, "text_lookup_print", text_lookup_print(fuzz_capture_open(&c), l),
	                   false);
	fuzz_capture_check(&c, "json_lookup_print", json_lookup_print(fuzz_capture_open(&c), l),
	                   true);
	lookup_free(l);
}

/* Step 4: the propagation model and its renderings. */
static void fuzz_reply_prop(const uint8_t *data, size_t size, const struct query_spec *q)
{
	struct prop *p = prop_new(NULL, NULL, q, servers, 2, NULL, NULL, NULL);
	struct fuzz_capture c;
	const char *summary;
	char *diff;

	if (p == NULL)
		abort();
	prop_deliver(p, 0, 0, fuzz_reply_result(data, size, NET_OK, false));
	prop_deliver(p, 0, 1, fuzz_reply_result(data, size, NET_OK, false));
	prop_deliver(p, 1, 0, fuzz_reply_result(data, size, NET_OK, true));
	prop_deliver(p, 1, 1, fuzz_reply_result(data, size, NET_TIMEOUT, false));
	if (!prop_done(p))
		fuzz_reply_fail("prop", "not done after every result", NULL, 0);

	summary = prop_summary(p);
	fuzz_reply_printable("prop_summary", summary, strlen(summary), false);
	diff = prop_diff(p, 0, 1);
	if (diff == NULL)
		fuzz_reply_fail("prop_diff", "returned NULL", NULL, 0);
	fuzz_reply_output("prop_diff", 0, diff, strlen(diff), false);
	fuzz_capture_check(&c, "proptext_print", proptext_print(fuzz_capture_open(&c), p), false);
	fuzz_capture_check(&c, "propjson_print", propjson_print(fuzz_capture_open(&c), p), true);
	prop_free(p);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const specs[] = {"@127.0.53.1", "@127.0.53.2#5353", "@ns1.example.test"};
	static const char *const mx[] = {"example.test. 3600 IN MX 10 mx1.example.test.",
	                                 "example.test. 3600 IN MX 20 mx2.example.test."};
	ldns_pkt *pkt;
	char err[128];

	(void)argc;
	(void)argv;
	query_spec_init(&fixed_q);
	fixed_q.qtype = LDNS_RR_TYPE_MX;
	if (query_spec_set_name(&fixed_q, "example.test") != LDNS_STATUS_OK ||
	    server_parse(&resolver, "@127.0.53.53", err, sizeof(err)) < 0)
		abort();
	for (size_t i = 0; i < 3; i++)
		if (server_parse(&servers[i], specs[i], err, sizeof(err)) < 0)
			abort();
	pkt = ldns_pkt_query_new(ldns_rdf_clone(fixed_q.qname), LDNS_RR_TYPE_MX, LDNS_RR_CLASS_IN,
	                         LDNS_QR | LDNS_AA);
	for (size_t i = 0; pkt != NULL && i < 2; i++) {
		ldns_rr *rr = NULL;

		if (ldns_rr_new_frm_str(&rr, mx[i], 0, NULL, NULL) != LDNS_STATUS_OK ||
		    !ldns_pkt_push_rr(pkt, LDNS_SECTION_ANSWER, rr))
			abort();
	}
	if (pkt == NULL || ldns_pkt2wire(&canned, pkt, &canned_len) != LDNS_STATUS_OK)
		abort();
	ldns_pkt_free(pkt);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct query_spec own;
	bool have_own = fuzz_reply_question(data, size, &own);
	bool matched = fuzz_reply_match(data, size, &own, have_own);
	const struct query_spec *q = matched ? &own : &fixed_q;

	fuzz_reply_lookup(data, size, q);
	fuzz_reply_prop(data, size, q);
	query_spec_clear(&own);
	return 0;
}
