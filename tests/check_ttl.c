/*
 * check_ttl.c -- TTL countdowns, RFC 2308 negative TTLs, asking again on expiry and what it
 * records (dns/ttl.h, dns/rrset.h, engine/ttlwatch.h, engine/ttltable.h, lookup_reask).
 * Every clock here is a fake: times are plain numbers handed to the functions.
 */
#include "config.h"
#include "tests.h"
#include "dns/rrset.h"
#include "dns/rrtext.h"
#include "dns/ttl.h"
#include "engine/lookup.h"
#include "engine/ttltable.h"
#include "engine/ttlwatch.h"
#include "net/transport.h"

#include <stdlib.h>
#include <string.h>

#define SOA_300_60                                                                                 \
	"example.test. 300 IN SOA ns1.example.test. h.example.test. 1 3600 900 1209600 60"

/* A reply in wire form with answer and authority RRs (zone-file text, NULL-terminated). */
static uint8_t *wire_of(const char *qname, ldns_rr_type qtype, ldns_pkt_rcode rcode,
                        const char *const *answer, const char *const *authority, size_t *len)
{
	ldns_pkt *pkt =
	    ldns_pkt_query_new(ldns_dname_new_frm_str(qname), qtype, LDNS_RR_CLASS_IN, LDNS_RD);
	const char *const *lists[2] = {answer, authority};
	uint8_t *wire = NULL;

	ck_assert_ptr_nonnull(pkt);
	ldns_pkt_set_qr(pkt, true);
	ldns_pkt_set_ra(pkt, true);
	ldns_pkt_set_rcode(pkt, (uint8_t)rcode);
	for (int s = 0; s < 2; s++) {
		for (size_t i = 0; lists[s] && lists[s][i]; i++) {
			ldns_rr *rr = NULL;
			ck_assert_int_eq(ldns_rr_new_frm_str(&rr, lists[s][i], 3600, NULL, NULL),
			                 LDNS_STATUS_OK);
			ck_assert(ldns_pkt_push_rr(
			    pkt, s == 0 ? LDNS_SECTION_ANSWER : LDNS_SECTION_AUTHORITY, rr));
		}
	}
	ck_assert_int_eq(ldns_pkt2wire(&wire, pkt, len), LDNS_STATUS_OK);
	ldns_pkt_free(pkt);
	return wire;
}

static ldns_pkt *pkt_of(ldns_pkt_rcode rcode, const char *const *answer,
                        const char *const *authority)
{
	size_t len;
	uint8_t *w = wire_of("flip.example.test.", LDNS_RR_TYPE_A, rcode, answer, authority, &len);
	ldns_pkt *p = tu_pkt(w, len);

	free(w);
	return p;
}

/* Deliver a reply to server 0 of l as if it arrived at monotonic ms rx. */
static void deliver_at(struct lookup *l, int64_t rx, ldns_pkt_rcode rcode,
                       const char *const *answer, const char *const *authority)
{
	size_t len;
	uint8_t *w = wire_of("flip.example.test.", LDNS_RR_TYPE_A, rcode, answer, authority, &len);
	struct net_result *res = tu_result(NET_OK, w, len);

	res->rx_mono.tv_sec = (time_t)(rx / 1000);
	res->rx_mono.tv_nsec = (long)(rx % 1000) * 1000000;
	res->rx_wall.tv_sec += (time_t)(rx / 1000);
	lookup_deliver(l, 0, res);
}

START_TEST(test_ttl_remaining)
{
	/* whole seconds elapsed since arrival come off; never below zero */
	ck_assert_uint_eq(ttl_remaining(30, 1000, 1000), 30);
	ck_assert_uint_eq(ttl_remaining(30, 1000, 1999), 30);
	ck_assert_uint_eq(ttl_remaining(30, 1000, 2000), 29);
	ck_assert_uint_eq(ttl_remaining(30, 1000, 30999), 1);
	ck_assert_uint_eq(ttl_remaining(30, 1000, 31000), 0);
	ck_assert_uint_eq(ttl_remaining(30, 1000, 99000), 0);
	ck_assert_uint_eq(ttl_remaining(30, 5000, 1000), 30); /* clock before arrival */
	ck_assert_uint_eq(ttl_remaining(0, 1000, 1000), 0);
	ck_assert_uint_eq(ttl_remaining(UINT32_MAX, 0, 1000), UINT32_MAX - 1);
	ck_assert_int_eq(ttl_expiry_ms(30, 1000), 31000);
	ck_assert_uint_eq(ttl_remaining(30, 1000, ttl_expiry_ms(30, 1000)), 0);
}
END_TEST

START_TEST(test_ttl_human)
{
	char b[16];

	ck_assert_str_eq(ttl_human(b, sizeof(b), 0), "0s");
	ck_assert_str_eq(ttl_human(b, sizeof(b), 9), "9s");
	ck_assert_str_eq(ttl_human(b, sizeof(b), 60), "1m00s");
	ck_assert_str_eq(ttl_human(b, sizeof(b), 41 * 60 + 12), "41m12s");
	ck_assert_str_eq(ttl_human(b, sizeof(b), 3723), "1h02m03s");
	ck_assert_str_eq(ttl_human(b, sizeof(b), 86400 * 2 + 3 * 3600 + 4 * 60 + 5), "2d03h04m");
	ck_assert_str_eq(ttl_human(b, sizeof(b), UINT32_MAX), "49710d06h28m");
}
END_TEST

START_TEST(test_ttl_until_text)
{
	struct timespec wall = {.tv_sec = TU_WHEN_SECONDS};
	char b[48], at[16];

	/* 41m12s after now on both clocks */
	ttl_clock_text(at, sizeof(at), 10000 + 2472000, 10000, &wall);
	ttl_until_text(b, sizeof(b), 10000 + 2472000, 10000, &wall);
	ck_assert_ptr_nonnull(strstr(b, "(in 41m12s)"));
	ck_assert(strncmp(b, at, 8) == 0);
	ttl_until_text(b, sizeof(b), 5000, 10000, &wall);
	ck_assert_ptr_nonnull(strstr(b, "(5s ago)"));
	struct timespec t = ttl_wall_at(10000 + 2472000, 10000, &wall);
	ck_assert_int_eq(t.tv_sec, TU_WHEN_SECONDS + 2472);
	ck_assert_str_eq(ttl_rfc3339(b, sizeof(b), &wall), "2026-11-21T09:53:05Z");
}
END_TEST

START_TEST(test_ttl_negative)
{
	static const char *const auth[] = {SOA_300_60, NULL};
	static const char *const auth_low[] = {
	    "example.test. 30 IN SOA ns1.example.test. h.example.test. 1 3600 900 1209600 3600",
	    NULL};
	static const char *const ans[] = {"flip.example.test. 300 IN CNAME host.example.test.",
	                                  "host.example.test. 20 IN A 203.0.113.40", NULL};
	ldns_pkt *p;
	uint32_t ttl = 0;
	bool neg = false;

	/* RFC 2308 §5: the smaller of the SOA's TTL and its MINIMUM */
	p = pkt_of(LDNS_RCODE_NXDOMAIN, NULL, auth);
	ck_assert(ttl_negative(p, &ttl));
	ck_assert_uint_eq(ttl, 60);
	ck_assert(ttl_of_reply(p, &ttl, &neg));
	ck_assert(neg);
	ck_assert_uint_eq(ttl, 60);
	ldns_pkt_free(p);
	p = pkt_of(LDNS_RCODE_NOERROR, NULL, auth_low); /* NODATA */
	ck_assert(ttl_of_reply(p, &ttl, &neg));
	ck_assert(neg);
	ck_assert_uint_eq(ttl, 30);
	ldns_pkt_free(p);
	/* no SOA: a negative answer is not cached */
	p = pkt_of(LDNS_RCODE_NXDOMAIN, NULL, NULL);
	ck_assert(!ttl_negative(p, &ttl));
	ck_assert(!ttl_of_reply(p, &ttl, &neg));
	ldns_pkt_free(p);
	/* an answer lives as long as its shortest link */
	p = pkt_of(LDNS_RCODE_NOERROR, ans, NULL);
	ck_assert(ttl_of_reply(p, &ttl, &neg));
	ck_assert(!neg);
	ck_assert_uint_eq(ttl, 20);
	ldns_pkt_free(p);
	/* an error is not cached */
	p = pkt_of(LDNS_RCODE_SERVFAIL, NULL, auth);
	ck_assert(!ttl_of_reply(p, &ttl, &neg));
	ldns_pkt_free(p);
}
END_TEST

START_TEST(test_rrset_minus)
{
	static const char *const a[] = {"flip.example.test. 30 IN A 203.0.113.40",
	                                "FLIP.example.test. 30 IN A 203.0.113.41", NULL};
	static const char *const b[] = {"flip.example.test. 99 IN A 203.0.113.41",
	                                "flip.example.test. 30 IN A 203.0.113.42", NULL};
	ldns_pkt *pa = pkt_of(LDNS_RCODE_NOERROR, a, NULL),
	         *pb = pkt_of(LDNS_RCODE_NOERROR, b, NULL);
	ldns_rr_list *d = rrset_minus(ldns_pkt_answer(pa), ldns_pkt_answer(pb));
	char *t;

	/* case and TTL do not make an RR different (RFC 4343, RFC 2181 §5.2) */
	ck_assert_uint_eq(ldns_rr_list_rr_count(d), 1);
	t = rrtext_rdata(ldns_rr_list_rr(d, 0));
	ck_assert_str_eq(t, "203.0.113.40");
	free(t);
	ldns_rr_list_deep_free(d);
	d = rrset_minus(ldns_pkt_answer(pa), ldns_pkt_answer(pa));
	ck_assert_uint_eq(ldns_rr_list_rr_count(d), 0);
	ldns_rr_list_deep_free(d);
	d = rrset_minus(NULL, ldns_pkt_answer(pa));
	ck_assert_uint_eq(ldns_rr_list_rr_count(d), 0);
	ldns_rr_list_deep_free(d);
	ldns_pkt_free(pa);
	ldns_pkt_free(pb);
}
END_TEST

START_TEST(test_lookup_reask)
{
	static const char *const v40[] = {"flip.example.test. 30 IN A 203.0.113.40", NULL};
	static const char *const v41[] = {"flip.example.test. 30 IN A 203.0.113.41", NULL};
	static const char *const v41low[] = {"flip.example.test. 10 IN A 203.0.113.41", NULL};
	struct lookup *l = tu_lookup("flip.example.test", LDNS_RR_TYPE_A, 1);
	const struct lookup_reply *r = lookup_reply_at(l, 0);
	int64_t exp;

	ck_assert(!lookup_reask(l, 0)); /* nothing to ask again before the first reply */
	deliver_at(l, 1000, LDNS_RCODE_NOERROR, v40, NULL);
	ck_assert_uint_eq(r->asked, 1);
	ck_assert_str_eq(r->answer, "203.0.113.40");
	ck_assert_uint_eq(r->nhistory, 0);
	ck_assert(lookup_reply_expiry(r, &exp));
	ck_assert_int_eq(exp, 31000);

	/* the same answer again, with the TTL fresh: no change, but a TTL reset */
	ck_assert(lookup_reask(l, 0));
	ck_assert(r->reasking);
	ck_assert(!lookup_reask(l, 0));              /* already out */
	ck_assert_str_eq(r->answer, "203.0.113.40"); /* the old reply stays on view */
	deliver_at(l, 31000, LDNS_RCODE_NOERROR, v40, NULL);
	ck_assert(!r->reasking);
	ck_assert_uint_eq(r->asked, 2);
	ck_assert_uint_eq(r->nhistory, 0);
	ck_assert(r->ttl_reset);
	ck_assert_int_eq(r->changed_ms, 31000);

	/* the zone changed: one RR added, one removed, recorded with old and new */
	ck_assert(lookup_reask(l, 0));
	deliver_at(l, 61000, LDNS_RCODE_NOERROR, v41, NULL);
	ck_assert_uint_eq(r->nhistory, 1);
	ck_assert_str_eq(r->history[0].before, "203.0.113.40");
	ck_assert_str_eq(r->history[0].after, "203.0.113.41");
	ck_assert_uint_eq(r->history[0].added, 1);
	ck_assert_uint_eq(r->history[0].removed, 1);
	ck_assert_int_eq(r->history[0].wall.tv_sec, TU_WHEN_SECONDS + 61);
	ck_assert_uint_eq(ldns_rr_list_rr_count(r->added), 1);
	ck_assert_uint_eq(ldns_rr_list_rr_count(r->removed), 1);
	ck_assert_int_eq(r->changed_ms, 61000);

	/* asked early (5 s in, 25 s left) and the TTL is lower: neither a change nor a reset */
	ck_assert(lookup_reask(l, 0));
	deliver_at(l, 66000, LDNS_RCODE_NOERROR, v41low, NULL);
	ck_assert_uint_eq(r->nhistory, 1);
	ck_assert(!r->ttl_reset || r->changed_ms == 61000);
	ck_assert_int_eq(r->changed_ms, 61000);

	/* the name goes away: NXDOMAIN is a change too */
	ck_assert(lookup_reask(l, 0));
	deliver_at(l, 80000, LDNS_RCODE_NXDOMAIN, NULL, NULL);
	ck_assert_uint_eq(r->nhistory, 2);
	ck_assert_str_eq(r->history[1].before, "203.0.113.41");
	ck_assert_str_eq(r->history[1].after, "NXDOMAIN");
	ck_assert_uint_eq(r->history[1].removed, 1);
	lookup_free(l);
}
END_TEST

START_TEST(test_ttlwatch_due)
{
	static const char *const v30[] = {"flip.example.test. 30 IN A 203.0.113.40", NULL};
	static const char *const v0[] = {"flip.example.test. 0 IN A 203.0.113.40", NULL};
	static const char *const auth[] = {SOA_300_60, NULL};
	struct lookup *l = tu_lookup("flip.example.test", LDNS_RR_TYPE_A, 1);
	const struct lookup_reply *r = lookup_reply_at(l, 0);
	struct ttlwatch_opts o;

	ttlwatch_opts_init(&o);
	ck_assert_int_eq(ttlwatch_due(r, &o), -1); /* still waiting */
	deliver_at(l, 1000, LDNS_RCODE_NOERROR, v30, NULL);
	ck_assert_int_eq(ttlwatch_due(r, &o), 31000); /* when the TTL runs out */
	o.interval_s = 5;
	ck_assert_int_eq(ttlwatch_due(r, &o), 6000); /* --interval 5 */
	o.interval_s = 0;
	lookup_reask(l, 0);
	ck_assert_int_eq(ttlwatch_due(r, &o), -1); /* already asking */
	deliver_at(l, 31000, LDNS_RCODE_NOERROR, v0, NULL);
	/* TTL 0 (a cache at the edge of expiry): not before a second has passed */
	ck_assert_int_eq(ttlwatch_due(r, &o), 31000 + TTLWATCH_MIN_GAP_MS);
	lookup_reask(l, 0);
	deliver_at(l, 40000, LDNS_RCODE_NXDOMAIN, NULL, auth);
	ck_assert_int_eq(ttlwatch_due(r, &o), 40000 + 60000); /* RFC 2308 negative TTL */
	lookup_reask(l, 0);
	deliver_at(l, 50000, LDNS_RCODE_SERVFAIL, NULL, NULL);
	ck_assert_int_eq(ttlwatch_due(r, &o), 50000 + 10000); /* no lifetime: the retry */
	o.retry_s = 0;
	ck_assert_int_eq(ttlwatch_due(r, &o), -1);
	lookup_free(l);
}
END_TEST

START_TEST(test_ttl_table_add)
{
	static const char *const ans[] = {"flip.example.test. 300 IN A 203.0.113.40",
	                                  "flip.example.test. 100 IN A 203.0.113.41",
	                                  "flip.example.test. 50 IN TXT \"x\"", NULL};
	static const char *const auth[] = {SOA_300_60, NULL};
	struct ttl_table *t = ttl_table_new();
	ldns_pkt *p = pkt_of(LDNS_RCODE_NOERROR, ans, auth);
	const struct ttl_entry *e;

	ck_assert_ptr_nonnull(t);
	/* two RRsets in the answer (A with its smallest TTL, TXT) and the SOA */
	ck_assert_int_eq(ttl_table_add(t, "127.0.53.53#53", p, 1000), 3);
	ck_assert_uint_eq(ttl_table_count(t), 3);
	e = ttl_table_at(t, 0); /* soonest expiry first */
	ck_assert_str_eq(e->type, "TXT");
	ck_assert_int_eq(e->expiry_ms, 51000);
	e = ttl_table_at(t, 1);
	ck_assert_str_eq(e->type, "A");
	ck_assert_uint_eq(e->ttl, 100);
	ck_assert_str_eq(e->rdata, "203.0.113.40, 203.0.113.41");
	ck_assert_str_eq(e->owner, "flip.example.test.");
	ck_assert_str_eq(ttl_table_at(t, 2)->type, "SOA");
	/* the same server again replaces; another server adds */
	ck_assert_int_eq(ttl_table_add(t, "127.0.53.53#53", p, 500000), 3);
	ck_assert_uint_eq(ttl_table_count(t), 3);
	ck_assert_int_eq(ttl_table_at(t, 0)->expiry_ms, 550000);
	ck_assert_int_eq(ttl_table_add(t, "127.0.53.1#53", p, 1000), 3);
	ck_assert_uint_eq(ttl_table_count(t), 6);
	ldns_pkt_free(p);
	/* a negative answer: the question's name and type with the negative TTL */
	p = pkt_of(LDNS_RCODE_NXDOMAIN, NULL, auth);
	ck_assert_int_eq(ttl_table_add(t, "127.0.53.2#53", p, 0), 2);
	ck_assert_uint_eq(ttl_table_count(t), 8);
	for (size_t i = 1; i < ttl_table_count(t); i++)
		ck_assert_int_le(ttl_table_at(t, i - 1)->expiry_ms, ttl_table_at(t, i)->expiry_ms);
	e = NULL;
	for (size_t i = 0; i < ttl_table_count(t); i++)
		if (ttl_table_at(t, i)->negative)
			e = ttl_table_at(t, i);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->server, "127.0.53.2#53");
	ck_assert_str_eq(e->rdata, "NXDOMAIN");
	ck_assert_str_eq(e->type, "A");
	ck_assert_uint_eq(e->ttl, 60);
	ldns_pkt_free(p);
	ttl_table_free(t);
}
END_TEST

Suite *suite_ttl(void)
{
	Suite *s = suite_create("ttl");
	TCase *tc = tcase_create("ttl");

	tcase_add_test(tc, test_ttl_remaining);
	tcase_add_test(tc, test_ttl_human);
	tcase_add_test(tc, test_ttl_until_text);
	tcase_add_test(tc, test_ttl_negative);
	tcase_add_test(tc, test_rrset_minus);
	tcase_add_test(tc, test_lookup_reask);
	tcase_add_test(tc, test_ttlwatch_due);
	tcase_add_test(tc, test_ttl_table_add);
	suite_add_tcase(s, tc);
	return s;
}
