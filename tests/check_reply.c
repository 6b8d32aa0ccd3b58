/*
 * check_reply.c -- reply matching on canned packets (RFC 5452 §9.1), TC detection, and
 * well-formedness of whole messages on hand-broken ones (cut RRs, pointer loops, long labels
 * and names, RDLENGTH and counts past the end, trailing bytes).
 */
#include "config.h"
#include "tests.h"

#include <arpa/inet.h>
#include <netinet/in.h>
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

/* The header and question of a real reply (built by ldns), then rr as its answer section and
 * ancount in the header, by hand: these bytes are meant to be wrong. */
static uint8_t *bad_reply(const uint8_t *rr, size_t rrlen, unsigned ancount, size_t *len)
{
	size_t hq;
	uint8_t *head =
	    tu_reply_wire("example.test.", LDNS_RR_TYPE_A, 77, LDNS_RCODE_NOERROR, NULL, &hq);
	uint8_t *w = malloc(hq + rrlen);

	ck_assert_ptr_nonnull(w);
	memcpy(w, head, hq);
	memcpy(w + hq, rr, rrlen);
	w[6] = (uint8_t)(ancount >> 8);
	w[7] = (uint8_t)ancount;
	free(head);
	*len = hq + rrlen;
	return w;
}

/* type A, class IN, TTL 300, RDLENGTH 4, 198.51.100.56 */
static const uint8_t rr_tail[] = {0, 1, 0, 1, 0, 0, 1, 44, 0, 4, 198, 51, 100, 56};

/* The verdict of reply_match and the reason of reply_wellformed for one packet. */
static void check_bad(const uint8_t *rr, size_t rrlen, unsigned ancount, const char *want)
{
	struct query_spec q;
	char why[160];
	size_t len;
	uint8_t *w = bad_reply(rr, rrlen, ancount, &len);

	spec(&q, "example.test.", LDNS_RR_TYPE_A);
	ck_assert(!reply_wellformed(w, len, why, sizeof(why)));
	ck_assert_str_eq(why, want);
	ck_assert_int_eq(reply_match(w, len, 77, &q), REPLY_MALFORMED);
	w[2] |= 0x02; /* with TC = 1 it is still the reply: TCP will bring the whole one */
	ck_assert_int_eq(reply_match(w, len, 77, &q), REPLY_MATCH);
	free(w);
	query_spec_clear(&q);
}

START_TEST(reply_wellformed_names_the_fault)
{
	uint8_t rr[400];
	size_t n, len;
	uint8_t *w;
	char why[160];

	/* the well-formed reference: the owner a pointer to the question name at offset 12 */
	rr[0] = 0xc0;
	rr[1] = 12;
	memcpy(rr + 2, rr_tail, sizeof(rr_tail));
	n = 2 + sizeof(rr_tail);
	w = bad_reply(rr, n, 1, &len);
	ck_assert(reply_wellformed(w, len, why, sizeof(why)));
	free(w);

	check_bad(rr, n, 3, "the header counts 3 answer RRs, the message ends after 1");
	check_bad(rr, n - 8, 1, "answer RR 1 of 1 runs past the end of the message"); /* in TTL */
	rr[2 + 8] = 0;
	rr[2 + 9] = 200; /* RDLENGTH 200, 4 octets there */
	check_bad(rr, n, 1, "answer RR 1 of 1 runs past the end of the message");
	rr[2 + 9] = 4;
	memcpy(rr + n, "\033[2J", 4); /* garbage after the last RR */
	check_bad(rr, n + 4, 1, "4 bytes of trailing data after the message");

	/* a pointer to itself: the question ends at 12 + 14 + 4 = 30, the owner starts there */
	rr[1] = 30;
	check_bad(rr, n, 1,
	          "answer RR 1 of 1: bad compression pointer (a loop, or outside the "
	          "message)");
	/* a label of 64 octets (its length byte is an extended label type) */
	rr[0] = 64;
	memset(rr + 1, 'a', 64);
	rr[65] = 0;
	memcpy(rr + 66, rr_tail, sizeof(rr_tail));
	check_bad(rr, 66 + sizeof(rr_tail), 1,
	          "answer RR 1 of 1: a label over 63 octets, or cut by the end of the message");
	/* five labels of 60 octets: a name of 306 */
	for (size_t i = 0; i < 5; i++) {
		rr[i * 61] = 60;
		memset(rr + i * 61 + 1, 'b', 60);
	}
	rr[305] = 0;
	memcpy(rr + 306, rr_tail, sizeof(rr_tail));
	check_bad(rr, 306 + sizeof(rr_tail), 1, "answer RR 1 of 1: a name over 255 octets");

	ck_assert(!reply_wellformed((const uint8_t *)"\1\2\3\4\5\6\7", 7, why, sizeof(why)));
	ck_assert_str_eq(why, "7 bytes, shorter than a DNS header");
	ck_assert(!reply_wellformed((const uint8_t *)"", 0, NULL, 0)); /* why may be NULL */
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

/* A and AAAA RRs give socket addresses; anything else, or rdata of the wrong size, none */
START_TEST(reply_rr_addr_of_a_and_aaaa)
{
	struct sockaddr_storage ss;
	socklen_t len = 0;
	ldns_rr *rr = NULL;
	const struct sockaddr_in *sin = (const struct sockaddr_in *)&ss;
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)&ss;

	ck_assert_int_eq(
	    ldns_rr_new_frm_str(&rr, "ns1.example.test. 60 IN A 127.0.53.1", 0, NULL, NULL),
	    LDNS_STATUS_OK);
	ck_assert(reply_rr_addr(rr, 53, &ss, &len));
	ck_assert_int_eq(len, sizeof(struct sockaddr_in));
	ck_assert_int_eq(sin->sin_family, AF_INET);
	ck_assert_int_eq(ntohs(sin->sin_port), 53);
	ck_assert_uint_eq(ntohl(sin->sin_addr.s_addr), 0x7f003501);
	ldns_rr_free(rr);
	rr = NULL;
	ck_assert_int_eq(
	    ldns_rr_new_frm_str(&rr, "ns1.example.test. 60 IN AAAA ::1", 0, NULL, NULL),
	    LDNS_STATUS_OK);
	ck_assert(reply_rr_addr(rr, 5353, &ss, &len));
	ck_assert_int_eq(len, sizeof(struct sockaddr_in6));
	ck_assert_int_eq(sin6->sin6_family, AF_INET6);
	ck_assert_int_eq(ntohs(sin6->sin6_port), 5353);
	ck_assert(IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr));
	ldns_rr_free(rr);
	rr = NULL;
	ck_assert_int_eq(
	    ldns_rr_new_frm_str(&rr, "x.example.test. 60 IN TXT \"127.0.53.1\"", 0, NULL, NULL),
	    LDNS_STATUS_OK);
	ck_assert(!reply_rr_addr(rr, 53, &ss, &len));
	ldns_rr_free(rr);
	/* an A RR without rdata (RDLENGTH 0), as a hostile server may send it */
	rr = ldns_rr_new();
	ldns_rr_set_type(rr, LDNS_RR_TYPE_A);
	ck_assert(!reply_rr_addr(rr, 53, &ss, &len));
	ldns_rr_free(rr);
}
END_TEST

Suite *suite_reply(void)
{
	Suite *s = suite_create("reply");
	TCase *tc = tcase_create("reply_match");

	tcase_add_test(tc, reply_match_accepts_reply);
	tcase_add_test(tc, reply_match_name_case_insensitive);
	tcase_add_test(tc, reply_match_rejects);
	tcase_add_test(tc, reply_wellformed_names_the_fault);
	suite_add_tcase(s, tc);
	tc = tcase_create("reply_tc");
	tcase_add_test(tc, reply_tc_reads_raw_header);
	tcase_add_test(tc, reply_verdict_str_names);
	tcase_add_test(tc, reply_rr_addr_of_a_and_aaaa);
	suite_add_tcase(s, tc);
	return s;
}
