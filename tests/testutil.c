/*
 * testutil.c -- canned DNS messages for the unit tests, built with ldns (never by hand).
 */
#include "config.h"
#include "tests.h"

#include <stdlib.h>
#include <string.h>

uint8_t *tu_reply_wire(const char *qname, ldns_rr_type qtype, uint16_t id, ldns_pkt_rcode rcode,
		       const char *const *answer, size_t *len)
{
	ldns_pkt *pkt = NULL;
	uint8_t *wire = NULL;
	ldns_rdf *name = ldns_dname_new_frm_str(qname);

	ck_assert_ptr_nonnull(name);
	pkt = ldns_pkt_query_new(name, qtype, LDNS_RR_CLASS_IN, LDNS_RD);
	ck_assert_ptr_nonnull(pkt);
	ldns_pkt_set_id(pkt, id);
	ldns_pkt_set_qr(pkt, true);
	ldns_pkt_set_ra(pkt, true);
	ldns_pkt_set_rcode(pkt, (uint8_t)rcode);
	for (size_t i = 0; answer != NULL && answer[i] != NULL; i++) {
		ldns_rr *rr = NULL;
		ck_assert_int_eq(ldns_rr_new_frm_str(&rr, answer[i], 3600, NULL, NULL),
				 LDNS_STATUS_OK);
		ck_assert(ldns_pkt_push_rr(pkt, LDNS_SECTION_ANSWER, rr));
	}
	ck_assert_int_eq(ldns_pkt2wire(&wire, pkt, len), LDNS_STATUS_OK);
	ldns_pkt_free(pkt);
	return wire;
}

ldns_pkt *tu_pkt(const uint8_t *wire, size_t len)
{
	ldns_pkt *pkt = NULL;

	ck_assert_int_eq(ldns_wire2pkt(&pkt, wire, len), LDNS_STATUS_OK);
	return pkt;
}
