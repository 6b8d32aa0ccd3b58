/*
 * check_lookup.c -- the lookup model fed through its test seam (lookup_deliver) with canned
 * wire packets: replies, errors, malformed data, several servers.
 */
#include "config.h"
#include "tests.h"
#include "engine/lookup.h"

#include <stdlib.h>
#include <string.h>

START_TEST(lookup_deliver_reply)
{
	const char *const answer[] = {"example.test. 300 IN MX 10 mx1.example.test.",
	                              "example.test. 300 IN MX 20 mx2.example.test.", NULL};
	struct lookup *l = tu_lookup("example.test", LDNS_RR_TYPE_MX, 1);
	size_t len;
	uint8_t *w =
	    tu_reply_wire("example.test.", LDNS_RR_TYPE_MX, 9, LDNS_RCODE_NOERROR, answer, &len);
	const struct lookup_reply *r;

	ck_assert(!lookup_done(l));
	ck_assert_int_eq(lookup_reply_at(l, 0)->state, LOOKUP_WAITING);
	lookup_deliver(l, 0, tu_result(NET_OK, w, len));
	ck_assert(lookup_done(l));
	ck_assert(lookup_any_reply(l));
	r = lookup_reply_at(l, 0);
	ck_assert_int_eq(r->state, LOOKUP_DONE);
	ck_assert_ptr_null(r->error);
	ck_assert_ptr_nonnull(r->pkt);
	ck_assert_uint_eq(ldns_pkt_ancount(r->pkt), 2);
	ck_assert_str_eq(r->server.label, "127.0.53.1");
	ck_assert_ptr_null(lookup_reply_at(l, 1));
	lookup_free(l);
}
END_TEST

START_TEST(lookup_deliver_timeout)
{
	struct lookup *l = tu_lookup("example.test", LDNS_RR_TYPE_MX, 2);
	size_t len;
	uint8_t *w =
	    tu_reply_wire("example.test.", LDNS_RR_TYPE_MX, 9, LDNS_RCODE_NXDOMAIN, NULL, &len);

	lookup_deliver(l, 0, tu_result(NET_TIMEOUT, NULL, 0));
	ck_assert(!lookup_done(l));
	ck_assert(!lookup_any_reply(l));
	ck_assert_str_eq(lookup_reply_at(l, 0)->error, "timed out");
	ck_assert_ptr_null(lookup_reply_at(l, 0)->pkt);
	/* NXDOMAIN from the second server is a reply */
	lookup_deliver(l, 1, tu_result(NET_OK, w, len));
	ck_assert(lookup_done(l));
	ck_assert(lookup_any_reply(l));
	ck_assert_int_eq(ldns_pkt_get_rcode(lookup_reply_at(l, 1)->pkt), LDNS_RCODE_NXDOMAIN);
	lookup_free(l);
}
END_TEST

START_TEST(lookup_deliver_malformed)
{
	struct lookup *l = tu_lookup("example.test", LDNS_RR_TYPE_MX, 1);
	size_t len;
	uint8_t *w =
	    tu_reply_wire("example.test.", LDNS_RR_TYPE_MX, 9, LDNS_RCODE_NOERROR, NULL, &len);
	const struct lookup_reply *r;

	w[7] = 5; /* ANCOUNT 5 with no answer RRs: counts larger than the content */
	lookup_deliver(l, 0, tu_result(NET_OK, w, len));
	r = lookup_reply_at(l, 0);
	ck_assert_ptr_null(r->pkt);
	ck_assert_ptr_nonnull(r->error);
	ck_assert_ptr_nonnull(strstr(r->error, "malformed reply"));
	ck_assert(!lookup_any_reply(l));
	lookup_free(l);
}
END_TEST

START_TEST(lookup_start_without_resolver_fails_hostnames)
{
	struct query_spec q;
	struct server s;
	char err[128];
	struct lookup *l;

	query_spec_init(&q);
	query_spec_set_name(&q, "example.test");
	ck_assert_int_eq(server_parse(&s, "@ns1.example.test", err, sizeof(err)), 0);
	l = lookup_new(NULL, &q, &s, 1, NULL, NULL, NULL);
	ck_assert_int_eq(lookup_reply_at(l, 0)->state, LOOKUP_RESOLVING);
	lookup_start(l);
	ck_assert(lookup_done(l));
	ck_assert_ptr_nonnull(strstr(lookup_reply_at(l, 0)->error, "cannot resolve server name"));
	lookup_free(l);
	server_clear(&s);
	query_spec_clear(&q);
}
END_TEST

/* Found by tests/fuzz/fuzz_reply: an A (or AAAA) RR with RDLENGTH 0 in the answer to a server
 * name's resolution has no rdata field at all, and ldns_rdf_size(NULL) aborts. It must count
 * as "no address": AAAA is asked next, then the server fails with a message. */
START_TEST(lookup_deliver_empty_address_rdata)
{
	const char *const empty_a[] = {"ns1.example.test. 60 IN A \\# 0", NULL};
	const char *const empty_aaaa[] = {"ns1.example.test. 60 IN AAAA \\# 0", NULL};
	struct query_spec q;
	struct server s, resolver;
	char err[128];
	struct lookup *l;
	size_t len;
	uint8_t *w;

	query_spec_init(&q);
	ck_assert_int_eq(query_spec_set_name(&q, "example.test"), LDNS_STATUS_OK);
	ck_assert_int_eq(server_parse(&s, "@ns1.example.test", err, sizeof(err)), 0);
	ck_assert_int_eq(server_parse(&resolver, "@127.0.53.53", err, sizeof(err)), 0);
	l = lookup_new(NULL, &q, &s, 1, &resolver, NULL, NULL);
	ck_assert_ptr_nonnull(l);
	w = tu_reply_wire("ns1.example.test.", LDNS_RR_TYPE_A, 1, LDNS_RCODE_NOERROR, empty_a,
	                  &len);
	lookup_deliver(l, 0, tu_result(NET_OK, w, len));
	ck_assert_int_eq(lookup_reply_at(l, 0)->state, LOOKUP_RESOLVING);
	w = tu_reply_wire("ns1.example.test.", LDNS_RR_TYPE_AAAA, 2, LDNS_RCODE_NOERROR, empty_aaaa,
	                  &len);
	lookup_deliver(l, 0, tu_result(NET_OK, w, len));
	ck_assert(lookup_done(l));
	ck_assert_uint_eq(lookup_reply_at(l, 0)->server.addrlen, 0);
	ck_assert_str_eq(lookup_reply_at(l, 0)->error,
	                 "cannot resolve server name ns1.example.test: no address");
	lookup_free(l);
	server_clear(&s);
	server_clear(&resolver);
	query_spec_clear(&q);
}
END_TEST

/* Found by tests/fuzz/fuzz_reply: a reply without a question (QDCOUNT 0) parses, and its
 * compact answer read the question's type through a NULL RR. (The transport's reply_match
 * discards such a datagram; the model must not depend on that.) */
START_TEST(lookup_deliver_no_question)
{
	struct lookup *l = tu_lookup("host.example.test", LDNS_RR_TYPE_A, 1);
	ldns_pkt *pkt = ldns_pkt_new();
	ldns_rr *rr = NULL;
	uint8_t *w = NULL;
	size_t len;

	ck_assert_ptr_nonnull(pkt);
	ldns_pkt_set_qr(pkt, true);
	ck_assert_int_eq(
	    ldns_rr_new_frm_str(&rr, "host.example.test. 60 IN A 198.51.100.80", 0, NULL, NULL),
	    LDNS_STATUS_OK);
	ck_assert(ldns_pkt_push_rr(pkt, LDNS_SECTION_ANSWER, rr));
	ck_assert_int_eq(ldns_pkt2wire(&w, pkt, &len), LDNS_STATUS_OK);
	ldns_pkt_free(pkt);
	lookup_deliver(l, 0, tu_result(NET_OK, w, len));
	ck_assert_ptr_nonnull(lookup_reply_at(l, 0)->pkt);
	ck_assert_uint_eq(ldns_pkt_qdcount(lookup_reply_at(l, 0)->pkt), 0);
	ck_assert_str_eq(lookup_reply_at(l, 0)->answer, "A 198.51.100.80");
	lookup_free(l);
}
END_TEST

Suite *suite_lookup(void)
{
	Suite *s = suite_create("lookup");
	TCase *tc = tcase_create("lookup_deliver");

	tcase_add_test(tc, lookup_deliver_reply);
	tcase_add_test(tc, lookup_deliver_timeout);
	tcase_add_test(tc, lookup_deliver_malformed);
	tcase_add_test(tc, lookup_start_without_resolver_fails_hostnames);
	tcase_add_test(tc, lookup_deliver_empty_address_rdata);
	tcase_add_test(tc, lookup_deliver_no_question);
	suite_add_tcase(s, tc);
	return s;
}
