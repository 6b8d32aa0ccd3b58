/*
 * query.c -- building queries with ldns (see query.h).
 */
#include "config.h"
#include "dns/query.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

void query_spec_init(struct query_spec *q)
{
	memset(q, 0, sizeof(*q));
	q->qtype = LDNS_RR_TYPE_A;
	q->qclass = LDNS_RR_CLASS_IN;
	q->rd = true;
	q->edns = true;
	q->udp_size = QUERY_UDP_SIZE;
}

ldns_status query_spec_set_name(struct query_spec *q, const char *name)
{
	ldns_rdf *rdf = NULL;
	ldns_status st;

	if (name == NULL || *name == '\0')
		return LDNS_STATUS_DOMAINNAME_UNDERFLOW;
	st = ldns_str2rdf_dname(&rdf, name);
	if (st != LDNS_STATUS_OK)
		return st;
	ldns_rdf_deep_free(q->qname);
	q->qname = rdf;
	return LDNS_STATUS_OK;
}

ldns_status query_spec_copy(struct query_spec *dst, const struct query_spec *src)
{
	*dst = *src;
	dst->qname = NULL;
	if (src->qname != NULL && (dst->qname = ldns_rdf_clone(src->qname)) == NULL)
		return LDNS_STATUS_MEM_ERR;
	return LDNS_STATUS_OK;
}

void query_spec_clear(struct query_spec *q)
{
	if (q == NULL)
		return;
	ldns_rdf_deep_free(q->qname);
	q->qname = NULL;
}

uint16_t query_random_id(void)
{
	uint16_t id;

	/* getrandom with a 2-byte request never returns short once the pool is initialised;
	 * EINTR is the only error worth retrying. */
	while (getrandom(&id, sizeof(id), 0) != (ssize_t)sizeof(id)) {
		if (errno != EINTR)
			abort();
	}
	return id;
}

ldns_status query_wire_new(const struct query_spec *q, uint16_t id, uint8_t **wire, size_t *len)
{
	ldns_pkt *pkt;
	ldns_rr *question;
	ldns_status st;

	*wire = NULL;
	*len = 0;
	if (q->qname == NULL)
		return LDNS_STATUS_NULL;
	pkt = ldns_pkt_new();
	question = ldns_rr_new();
	if (pkt == NULL || question == NULL) {
		ldns_pkt_free(pkt);
		ldns_rr_free(question);
		return LDNS_STATUS_MEM_ERR;
	}
	ldns_rr_set_question(question, true);
	ldns_rr_set_owner(question, ldns_rdf_clone(q->qname));
	ldns_rr_set_type(question, q->qtype);
	ldns_rr_set_class(question, q->qclass);
	ldns_pkt_push_rr(pkt, LDNS_SECTION_QUESTION, question);

	ldns_pkt_set_id(pkt, id);
	ldns_pkt_set_opcode(pkt, LDNS_PACKET_QUERY);
	ldns_pkt_set_rd(pkt, q->rd);
	ldns_pkt_set_cd(pkt, q->cd);
	ldns_pkt_set_ad(pkt, q->ad);
	if (q->edns) {
		ldns_pkt_set_edns_udp_size(pkt, q->udp_size);
		ldns_pkt_set_edns_do(pkt, q->dnssec_ok);
		ldns_pkt_set_edns_version(pkt, 0);
		if (q->nsid) {
			ldns_edns_option_list *opts = ldns_edns_option_list_new();
			ldns_edns_option *nsid = ldns_edns_new_from_data(LDNS_EDNS_NSID, 0, NULL);
			if (opts == NULL || nsid == NULL ||
			    !ldns_edns_option_list_push(opts, nsid)) {
				ldns_edns_option_list_deep_free(opts);
				ldns_edns_deep_free(nsid);
				ldns_pkt_free(pkt);
				return LDNS_STATUS_MEM_ERR;
			}
			ldns_pkt_set_edns_option_list(pkt, opts);
		}
		/* ldns writes an OPT RR only when the packet "needs" EDNS; a zero udp size with
		 * no other field set would drop it, so force its presence. */
		if (q->udp_size == 0)
			ldns_pkt_set_edns_udp_size(pkt, 512);
	}
	st = ldns_pkt2wire(wire, pkt, len);
	ldns_pkt_free(pkt);
	return st;
}
