/*
 * testutil.c -- canned DNS messages for the unit tests, built with ldns (never by hand).
 */
#include "config.h"
#include "tests.h"
#include "engine/lookup.h"

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

struct lookup *tu_lookup(const char *name, ldns_rr_type type, size_t nservers)
{
	struct query_spec q;
	struct server s[2];
	char err[128];
	struct lookup *l;

	ck_assert_uint_le(nservers, 2);
	query_spec_init(&q);
	q.qtype = type;
	ck_assert_int_eq(query_spec_set_name(&q, name), LDNS_STATUS_OK);
	ck_assert_int_eq(server_parse(&s[0], "@127.0.53.1", err, sizeof(err)), 0);
	ck_assert_int_eq(server_parse(&s[1], "@127.0.53.2", err, sizeof(err)), 0);
	l = lookup_new(NULL, &q, s, nservers, NULL, NULL, NULL);
	ck_assert_ptr_nonnull(l);
	server_clear(&s[0]);
	server_clear(&s[1]);
	query_spec_clear(&q);
	return l;
}

struct net_result *tu_result(int st, uint8_t *wire, size_t len)
{
	struct net_result *r = calloc(1, sizeof(*r));

	ck_assert_ptr_nonnull(r);
	r->status = (enum net_status)st;
	r->wire = wire;
	r->size = len;
	r->tries = 1;
	r->rtt_ms = 1.23456;
	r->rx_wall.tv_sec = TU_WHEN_SECONDS;
	return r;
}

void tu_capture_open(struct tu_capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	ck_assert_ptr_nonnull(c->f);
}

void tu_capture_close(struct tu_capture *c)
{
	ck_assert_int_eq(fclose(c->f), 0);
	c->f = NULL;
	ck_assert_uint_eq(strlen(c->buf), c->len);
}
