/*
 * check_prop.c -- the propagation comparison on canned replies (prop_deliver, no sockets):
 * RFC 1982 serial order, canonical answers (case, RR order, TTL ignored), groups, majority,
 * outliers, the summary and the diff of two rows.
 */
#include "config.h"
#include "tests.h"
#include "dns/rrset.h"
#include "engine/prop.h"

#include <stdlib.h>
#include <string.h>

static struct prop *make(size_t n)
{
	struct query_spec q;
	struct server s[6];
	char err[128], spec[32];
	struct prop *p;

	ck_assert_uint_le(n, 6);
	query_spec_init(&q);
	q.qtype = LDNS_RR_TYPE_MX;
	ck_assert_int_eq(query_spec_set_name(&q, "example.test"), LDNS_STATUS_OK);
	for (size_t i = 0; i < n; i++) {
		snprintf(spec, sizeof(spec), "@127.0.53.%zu", i + 1);
		ck_assert_int_eq(server_parse(&s[i], spec, err, sizeof(err)), 0);
	}
	p = prop_new(NULL, NULL, &q, s, n, NULL, NULL, NULL);
	ck_assert_ptr_nonnull(p);
	for (size_t i = 0; i < n; i++)
		server_clear(&s[i]);
	query_spec_clear(&q);
	return p;
}

/* Deliver an MX answer (rrs) and an SOA with serial to row i. */
static void answer(struct prop *p, size_t i, const char *const *rrs, uint32_t serial)
{
	size_t len;
	char soa[160];
	const char *soa_rrs[] = {soa, NULL};
	uint8_t *w =
	    tu_reply_wire("example.test.", LDNS_RR_TYPE_MX, 1, LDNS_RCODE_NOERROR, rrs, &len);

	prop_deliver(p, i, 0, tu_result(NET_OK, w, len));
	snprintf(soa, sizeof(soa),
	         "example.test. 300 IN SOA ns1.example.test. h.example.test. %u 1 1 1 1", serial);
	w = tu_reply_wire("example.test.", LDNS_RR_TYPE_SOA, 1, LDNS_RCODE_NOERROR, soa_rrs, &len);
	prop_deliver(p, i, 1, tu_result(NET_OK, w, len));
}

static const char *const old_mx[] = {"example.test. 3600 IN MX 10 mx1.example.test.",
                                     "example.test. 3600 IN MX 20 mx2.example.test.", NULL};
/* the same RRset: other order, other TTL, other case */
static const char *const old_mx_shuffled[] = {"EXAMPLE.test. 60 IN MX 20 MX2.Example.TEST.",
                                              "example.test. 60 IN MX 10 mx1.example.test.", NULL};
static const char *const new_mx[] = {"example.test. 3600 IN MX 10 mx1.example.test.",
                                     "example.test. 3600 IN MX 30 mx3.example.test.", NULL};

START_TEST(prop_serial_cmp_rfc1982)
{
	ck_assert_int_eq(prop_serial_cmp(2026112102, 2026112101), 1);
	ck_assert_int_eq(prop_serial_cmp(2026112101, 2026112102), -1);
	ck_assert_int_eq(prop_serial_cmp(7, 7), 0);
	/* wrap-around: 1 is newer than 4294967295 (RFC 1982 §3.2) */
	ck_assert_int_eq(prop_serial_cmp(1, 0xffffffffu), 1);
	ck_assert_int_eq(prop_serial_cmp(0xfffffff0u, 5), -1);
	/* exactly 2^31 apart: undefined */
	ck_assert_int_eq(prop_serial_cmp(0, 0x80000000u), 0);
}
END_TEST

START_TEST(rrset_canonical_key_ignores_case_order_ttl)
{
	ldns_rr_list *a = ldns_rr_list_new(), *b = ldns_rr_list_new(), *c = ldns_rr_list_new();
	char *ka, *kb, *kc;

	for (size_t i = 0; old_mx[i]; i++) {
		ldns_rr *rr = NULL;
		ck_assert_int_eq(ldns_rr_new_frm_str(&rr, old_mx[i], 0, NULL, NULL),
		                 LDNS_STATUS_OK);
		ldns_rr_list_push_rr(a, rr);
		ck_assert_int_eq(ldns_rr_new_frm_str(&rr, old_mx_shuffled[i], 0, NULL, NULL),
		                 LDNS_STATUS_OK);
		ldns_rr_list_push_rr(b, rr);
		ck_assert_int_eq(ldns_rr_new_frm_str(&rr, new_mx[i], 0, NULL, NULL),
		                 LDNS_STATUS_OK);
		ldns_rr_list_push_rr(c, rr);
	}
	ka = rrset_canonical_key(a);
	kb = rrset_canonical_key(b);
	kc = rrset_canonical_key(c);
	ck_assert_str_eq(ka, kb);
	ck_assert_str_ne(ka, kc);
	free(ka);
	free(kb);
	free(kc);
	ldns_rr_list_deep_free(a);
	ldns_rr_list_deep_free(b);
	ldns_rr_list_deep_free(c);
}
END_TEST

START_TEST(prop_deliver_consistent)
{
	struct prop *p = make(3);
	uint32_t newest;

	ck_assert(!prop_done(p));
	ck_assert_int_eq(prop_row(p, 0)->status, PROP_PENDING);
	ck_assert_str_eq(prop_summary(p), "waiting for 3 servers");
	answer(p, 0, old_mx, 2026112101);
	answer(p, 1, old_mx_shuffled, 2026112101);
	ck_assert(!prop_done(p));
	ck_assert_ptr_nonnull(strstr(prop_summary(p), "1 pending"));
	answer(p, 2, old_mx, 2026112101);
	ck_assert(prop_done(p));
	ck_assert(prop_consistent(p));
	ck_assert_uint_eq(prop_ngroups(p), 1);
	ck_assert_uint_eq(prop_group(p, 0)->size, 3);
	ck_assert(prop_group(p, 0)->majority);
	ck_assert_str_eq(prop_summary(p), "consistent: 3 servers agree");
	ck_assert(prop_newest_serial(p, &newest));
	ck_assert_uint_eq(newest, 2026112101);
	/* rows with the same RRset read the same, whatever the order on the wire */
	ck_assert_str_eq(prop_row(p, 0)->answer, "10 mx1.example.test., 20 mx2.example.test.");
	/* name compression on the wire is case-insensitive: the suffix comes back as the
	 * question spelled it, the first label keeps its case */
	ck_assert_str_eq(prop_row(p, 1)->answer, "10 mx1.example.test., 20 MX2.example.test.");
	ck_assert_uint_eq(prop_row(p, 1)->min_ttl, 60);
	prop_free(p);
}
END_TEST

START_TEST(prop_deliver_outliers_and_summary)
{
	struct prop *p = make(5);
	size_t len;
	uint8_t *w;
	char *diff;

	answer(p, 0, old_mx, 2026112101);
	answer(p, 1, new_mx, 2026112102);
	answer(p, 2, old_mx, 2026112101);
	w = tu_reply_wire("example.test.", LDNS_RR_TYPE_MX, 1, LDNS_RCODE_REFUSED, NULL, &len);
	prop_deliver(p, 3, 0, tu_result(NET_OK, w, len));
	prop_deliver(p, 3, 1, tu_result(NET_TIMEOUT, NULL, 0));
	prop_deliver(p, 4, 0, tu_result(NET_TIMEOUT, NULL, 0));
	prop_deliver(p, 4, 1, tu_result(NET_TIMEOUT, NULL, 0));
	ck_assert(prop_done(p));
	ck_assert(!prop_consistent(p));
	ck_assert_uint_eq(prop_ngroups(p), 2);
	ck_assert_uint_eq(prop_group(p, 0)->size, 2); /* the old answer is the majority */
	ck_assert_str_eq(prop_group(p, 1)->answer, "10 mx1.example.test., 30 mx3.example.test.");
	ck_assert_int_eq(prop_row(p, 1)->group, 1);
	ck_assert(prop_row(p, 1)->outlier);
	ck_assert(!prop_row(p, 1)->behind);
	ck_assert(prop_row(p, 0)->behind); /* serial 2026112101 < 2026112102 */
	ck_assert(!prop_row(p, 0)->outlier);
	ck_assert_int_eq(prop_row(p, 3)->status, PROP_REFUSED);
	ck_assert_int_eq(prop_row(p, 3)->group, -1);
	ck_assert(prop_row(p, 3)->outlier);
	ck_assert_int_eq(prop_row(p, 4)->status, PROP_TIMEOUT);
	ck_assert_str_eq(prop_status_str(prop_row(p, 4)->status), "timeout");
	ck_assert_str_eq(prop_summary(p), "5 of 5 servers differ: 2 behind serial 2026112102, "
	                                  "1 with another answer, 1 REFUSED, 1 timed out");
	diff = prop_diff(p, 0, 1);
	ck_assert_str_eq(diff, "- example.test. IN MX 20 mx2.example.test.\n"
	                       "+ example.test. IN MX 30 mx3.example.test.\n");
	free(diff);
	diff = prop_diff(p, 0, 2);
	ck_assert_str_eq(diff, "");
	free(diff);
	prop_free(p);
}
END_TEST

START_TEST(prop_deliver_negative_answers_group)
{
	struct prop *p = make(3);
	size_t len;
	uint8_t *w;

	for (size_t i = 0; i < 2; i++) {
		w = tu_reply_wire("example.test.", LDNS_RR_TYPE_MX, 1, LDNS_RCODE_NXDOMAIN, NULL,
		                  &len);
		prop_deliver(p, i, 0, tu_result(NET_OK, w, len));
		prop_deliver(p, i, 1, tu_result(NET_TIMEOUT, NULL, 0));
	}
	w = tu_reply_wire("example.test.", LDNS_RR_TYPE_MX, 1, LDNS_RCODE_NOERROR, NULL, &len);
	prop_deliver(p, 2, 0, tu_result(NET_OK, w, len));
	prop_deliver(p, 2, 1, tu_result(NET_TIMEOUT, NULL, 0));
	ck_assert_uint_eq(prop_ngroups(p), 2);
	ck_assert_str_eq(prop_group(p, 0)->answer, "NXDOMAIN");
	ck_assert_uint_eq(prop_group(p, 0)->size, 2);
	ck_assert_int_eq(prop_row(p, 2)->status, PROP_NODATA);
	ck_assert(prop_row(p, 2)->outlier);
	ck_assert(!prop_row(p, 0)->have_serial);
	prop_free(p);
}
END_TEST

START_TEST(prop_free_with_questions_outstanding)
{
	struct prop *p = make(4);

	answer(p, 0, old_mx, 1);
	prop_free(p); /* three rows still pending: nothing leaks (ASan run) */
}
END_TEST

Suite *suite_prop(void)
{
	Suite *s = suite_create("prop");
	TCase *tc = tcase_create("prop_serial_cmp");

	tcase_add_test(tc, prop_serial_cmp_rfc1982);
	tcase_add_test(tc, rrset_canonical_key_ignores_case_order_ttl);
	suite_add_tcase(s, tc);
	tc = tcase_create("prop_deliver");
	tcase_add_test(tc, prop_deliver_consistent);
	tcase_add_test(tc, prop_deliver_outliers_and_summary);
	tcase_add_test(tc, prop_deliver_negative_answers_group);
	tcase_add_test(tc, prop_free_with_questions_outstanding);
	suite_add_tcase(s, tc);
	return s;
}
