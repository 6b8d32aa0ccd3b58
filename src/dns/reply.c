/*
 * reply.c -- reply matching on the raw datagram (see reply.h).
 */
#include "config.h"
#include "dns/reply.h"

#include <ldns/ldns.h>

bool reply_tc(const uint8_t *wire, size_t len)
{
	return len >= LDNS_HEADER_SIZE && LDNS_TC_WIRE(wire);
}

enum reply_verdict reply_match(const uint8_t *wire, size_t len, uint16_t id,
                               const struct query_spec *q)
{
	ldns_rr *question = NULL;
	size_t pos = LDNS_HEADER_SIZE;
	enum reply_verdict v = REPLY_MATCH;

	if (len < LDNS_HEADER_SIZE)
		return REPLY_SHORT;
	if (!LDNS_QR_WIRE(wire))
		return REPLY_NOT_RESPONSE;
	if (LDNS_ID_WIRE(wire) != id)
		return REPLY_ID_MISMATCH;
	if (LDNS_OPCODE_WIRE(wire) != LDNS_PACKET_QUERY)
		return REPLY_OPCODE_MISMATCH;
	/* Exactly one question, equal to ours (RFC 5452 §9.1; RFC 4343 case rules). */
	if (LDNS_QDCOUNT(wire) != 1)
		return REPLY_QUESTION_MISMATCH;
	if (ldns_wire2rr(&question, wire, len, &pos, LDNS_SECTION_QUESTION) != LDNS_STATUS_OK)
		return REPLY_QUESTION_MISMATCH;
	if (ldns_rr_get_type(question) != q->qtype || ldns_rr_get_class(question) != q->qclass ||
	    ldns_dname_compare(ldns_rr_owner(question), q->qname) != 0)
		v = REPLY_QUESTION_MISMATCH;
	ldns_rr_free(question);
	return v;
}

const char *reply_verdict_str(enum reply_verdict v)
{
	switch (v) {
	case REPLY_MATCH:
		return "match";
	case REPLY_SHORT:
		return "shorter than a DNS header";
	case REPLY_NOT_RESPONSE:
		return "not a response (QR=0)";
	case REPLY_ID_MISMATCH:
		return "wrong message ID";
	case REPLY_OPCODE_MISMATCH:
		return "wrong opcode";
	case REPLY_QUESTION_MISMATCH:
		return "wrong question";
	}
	return "unknown";
}
