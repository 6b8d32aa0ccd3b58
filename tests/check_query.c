/*
 * check_query.c -- building queries: header bits, EDNS0 1232, NSID, names.
 */
#include "config.h"
#include "tests.h"
#include "dns/query.h"

#include <stdlib.h>
#include <string.h>

static ldns_pkt *build(struct query_spec *q, uint16_t id)
{
	uint8_t *wire = NULL;
	size_t len = 0;
	ldns_pkt *pkt;

	ck_assert_int_eq(query_wire_new(q, id, &wire, &len), LDNS_STATUS_OK);
	ck_assert_uint_ge(len, 12);
	pkt = tu_pkt(wire, len);
	free(wire);
	return pkt;
}

START_TEST(query_wire_new_defaults)
{
	struct query_spec q;
	ldns_pkt *pkt;
	ldns_rr *question;

	query_spec_init(&q);
	ck_assert_int_eq(query_spec_set_name(&q, "Example.TEST"), LDNS_STATUS_OK);
	q.qtype = LDNS_RR_TYPE_MX;
	pkt = build(&q, 0xbeef);
	ck_assert_uint_eq(ldns_pkt_id(pkt), 0xbeef);
	ck_assert(!ldns_pkt_qr(pkt));
	ck_assert(ldns_pkt_rd(pkt));
	ck_assert(!ldns_pkt_cd(pkt));
	ck_assert_int_eq(ldns_pkt_get_opcode(pkt), LDNS_PACKET_QUERY);
	ck_assert_uint_eq(ldns_pkt_qdcount(pkt), 1);
	ck_assert(ldns_pkt_edns(pkt));
	ck_assert_uint_eq(ldns_pkt_edns_udp_size(pkt), 1232);
	ck_assert(!ldns_pkt_edns_do(pkt));
	question = ldns_rr_list_rr(ldns_pkt_question(pkt), 0);
	ck_assert_int_eq(ldns_rr_get_type(question), LDNS_RR_TYPE_MX);
	ck_assert_int_eq(ldns_rr_get_class(question), LDNS_RR_CLASS_IN);
	ck_assert_uint_eq(ldns_dname_label_count(ldns_rr_owner(question)), 2);
	ldns_pkt_free(pkt);
	query_spec_clear(&q);
}
END_TEST

START_TEST(query_wire_new_options)
{
	struct query_spec q;
	ldns_pkt *pkt;
	ldns_edns_option_list *opts;

	query_spec_init(&q);
	ck_assert_int_eq(query_spec_set_name(&q, "example.test."), LDNS_STATUS_OK);
	q.rd = false;
	q.cd = true;
	q.dnssec_ok = true;
	q.nsid = true;
	q.udp_size = 4096;
	pkt = build(&q, 1);
	ck_assert(!ldns_pkt_rd(pkt));
	ck_assert(ldns_pkt_cd(pkt));
	ck_assert(ldns_pkt_edns_do(pkt));
	ck_assert_uint_eq(ldns_pkt_edns_udp_size(pkt), 4096);
	opts = ldns_pkt_edns_get_option_list(pkt);
	ck_assert_ptr_nonnull(opts);
	ck_assert_uint_eq(ldns_edns_option_list_get_count(opts), 1);
	ck_assert_int_eq(ldns_edns_get_code(ldns_edns_option_list_get_option(opts, 0)), 3);
	ldns_pkt_free(pkt);
	query_spec_clear(&q);
}
END_TEST

START_TEST(query_wire_new_noedns)
{
	struct query_spec q;
	ldns_pkt *pkt;

	query_spec_init(&q);
	ck_assert_int_eq(query_spec_set_name(&q, "example.test"), LDNS_STATUS_OK);
	q.edns = false;
	pkt = build(&q, 2);
	ck_assert(!ldns_pkt_edns(pkt));
	ck_assert_uint_eq(ldns_pkt_arcount(pkt), 0);
	ldns_pkt_free(pkt);
	query_spec_clear(&q);
}
END_TEST

START_TEST(query_spec_set_name_malformed)
{
	struct query_spec q;
	char label[80];

	query_spec_init(&q);
	memset(label, 'a', 64);
	label[64] = '\0';
	ck_assert_int_ne(query_spec_set_name(&q, label), LDNS_STATUS_OK); /* label > 63 */
	ck_assert_int_ne(query_spec_set_name(&q, "a..b"), LDNS_STATUS_OK);
	ck_assert_int_ne(query_spec_set_name(&q, ""), LDNS_STATUS_OK);
	ck_assert_ptr_null(q.qname);
	ck_assert_int_eq(query_spec_set_name(&q, "\\027.example.test"), LDNS_STATUS_OK);
	query_spec_clear(&q);
}
END_TEST

START_TEST(query_random_id_varies)
{
	uint16_t first = query_random_id();
	int differ = 0;

	for (int i = 0; i < 16; i++)
		differ += query_random_id() != first;
	ck_assert_int_gt(differ, 0);
}
END_TEST

Suite *suite_query(void)
{
	Suite *s = suite_create("query");
	TCase *tc = tcase_create("query_wire_new");

	tcase_add_test(tc, query_wire_new_defaults);
	tcase_add_test(tc, query_wire_new_options);
	tcase_add_test(tc, query_wire_new_noedns);
	suite_add_tcase(s, tc);
	tc = tcase_create("query_spec_set_name");
	tcase_add_test(tc, query_spec_set_name_malformed);
	suite_add_tcase(s, tc);
	tc = tcase_create("query_random_id");
	tcase_add_test(tc, query_random_id_varies);
	suite_add_tcase(s, tc);
	return s;
}
