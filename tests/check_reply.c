/*
 * check_reply.c -- reply matching on canned packets (RFC 5452 §9.1) and TC detection.
 */
#include "config.h"
#include "tests.h"
#include "dns/reply.h"

#include <stdlib.h>
#include <string.h>

static const char *const mx_answer[] = {"example.test. 300 IN MX 10 mx1.example.test.", NULL};

static void spec(struct query_spec *q, const char *name, ldns_rr_type t)
{
	query_spec_init(q);
	ck_assert_int_eq(query_spec_set_name(q, name), LDNS_STATUS_OK);
	q->qtype = t;
}

START_TEST(reply_match_accepts_reply)
{
	struct query_spec q;
	size_t len;
	uint8_t *w = tu_reply_wire("example.test.", LDNS_RR_TYPE_MX, 4242, LDNS_RCODE_NOERROR,
	                           mx_answer, &len);

	spec(&q, "example.test.", LDNS_RR_TYPE_MX);
	ck_assert_int_eq(reply_match(w, len, 4242, &q), REPLY_MATCH);
	/* NXDOMAIN is still our reply */
	free(w);
	w = tu_reply_wire("example.test.", LDNS_RR_TYPE_MX, 4242, LDNS_RCODE_NXDOMAIN, NULL, &len);
	ck_assert_int_eq(reply_match(w, len, 4242, &q), REPLY_MATCH);
	free(w);
	query_spec_clear(&q);
}
END_TEST

START_TEST(reply_match_name_case_insensitive)
{
	struct query_spec q;
	size_t len;
	uint8_t *w =
	    tu_reply_wire("EXAMPLE.Test.", LDNS_RR_TYPE_MX, 7, LDNS_RCODE_NOERROR, NULL, &len);

	spec(&q, "example.test.", LDNS_RR_TYPE_MX);
	ck_assert_int_eq(reply_match(w, len, 7, &q), REPLY_MATCH);
	free(w);
	query_spec_clear(&q);
}
END_TEST

START_TEST(reply_match_rejects)
{
	struct query_spec q;
	size_t len;
	uint8_t *w = tu_reply_wire("example.test.", LDNS_RR_TYPE_MX, 100, LDNS_RCODE_NOERROR,
	                           mx_answer, &len);

	spec(&q, "example.test.", LDNS_RR_TYPE_MX);
	ck_assert_int_eq(reply_match(w, len, 101, &q), REPLY_ID_MISMATCH);
	ck_assert_int_eq(reply_match(w, 11, 100, &q), REPLY_SHORT);
	ck_assert_int_eq(reply_match(w, 0, 100, &q), REPLY_SHORT);
	/* the question section cut short */
	ck_assert_int_eq(reply_match(w, 14, 100, &q), REPLY_QUESTION_MISMATCH);

	w[2] &= (uint8_t)~0x80; /* QR = 0 */
	ck_assert_int_eq(reply_match(w, len, 100, &q), REPLY_NOT_RESPONSE);
	w[2] |= 0x80;
	w[2] = (uint8_t)((w[2] & ~0x78) | (4 << 3)); /* opcode NOTIFY */
	ck_assert_int_eq(reply_match(w, len, 100, &q), REPLY_OPCODE_MISMATCH);
	free(w);

	w = tu_reply_wire("example.test.", LDNS_RR_TYPE_A, 100, LDNS_RCODE_NOERROR, NULL, &len);
	ck_assert_int_eq(reply_match(w, len, 100, &q), REPLY_QUESTION_MISMATCH); /* type */
	free(w);
	w = tu_reply_wire("other.test.", LDNS_RR_TYPE_MX, 100, LDNS_RCODE_NOERROR, NULL, &len);
	ck_assert_int_eq(reply_match(w, len, 100, &q), REPLY_QUESTION_MISMATCH); /* name */
	w[5] = 0;                                                                /* QDCOUNT = 0 */
	ck_assert_int_eq(reply_match(w, len, 100, &q), REPLY_QUESTION_MISMATCH);
	free(w);
	query_spec_clear(&q);
}
END_TEST

START_TEST(reply_tc_reads_raw_header)
{
	size_t len;
	uint8_t *w =
	    tu_reply_wire("big.example.test.", LDNS_RR_TYPE_TXT, 1, LDNS_RCODE_NOERROR, NULL, &len);

	ck_assert(!reply_tc(w, len));
	w[2] |= 0x02; /* TC */
	ck_assert(reply_tc(w, len));
	ck_assert(!reply_tc(w, 11));
	free(w);
}
END_TEST

START_TEST(reply_verdict_str_names)
{
	ck_assert_str_eq(reply_verdict_str(REPLY_ID_MISMATCH), "wrong message ID");
	ck_assert_str_eq(reply_verdict_str(REPLY_QUESTION_MISMATCH), "wrong question");
}
END_TEST

Suite *suite_reply(void)
{
	Suite *s = suite_create("reply");
	TCase *tc = tcase_create("reply_match");

	tcase_add_test(tc, reply_match_accepts_reply);
	tcase_add_test(tc, reply_match_name_case_insensitive);
	tcase_add_test(tc, reply_match_rejects);
	suite_add_tcase(s, tc);
	tc = tcase_create("reply_tc");
	tcase_add_test(tc, reply_tc_reads_raw_header);
	tcase_add_test(tc, reply_verdict_str_names);
	suite_add_tcase(s, tc);
	return s;
}
