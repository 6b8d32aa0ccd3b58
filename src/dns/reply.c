/*
 * reply.c -- reply matching on the raw datagram (see reply.h).
 */
#include "config.h"
#include "dns/reply.h"

#include <arpa/inet.h>
#include <ldns/ldns.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>

bool reply_tc(const uint8_t *wire, size_t len)
{
	return len >= LDNS_HEADER_SIZE && LDNS_TC_WIRE(wire);
}

/* What a parse status means for a name or an RR; ldns' own text for the rest, never NULL. */
static const char *reply_ldns_error(ldns_status st)
{
	const char *e;

	switch (st) {
	case LDNS_STATUS_INVALID_POINTER:
		return "bad compression pointer (a loop, or outside the message)";
	case LDNS_STATUS_LABEL_OVERFLOW:
		return "a label over 63 octets, or cut by the end of the message";
	case LDNS_STATUS_DOMAINNAME_OVERFLOW:
		return "a name over 255 octets";
	default:
		e = ldns_get_errorstr_by_id(st);
		return e != NULL ? e : "unknown parse error";
	}
}

/* Write the reason (when asked for) and say "not well-formed". */
static bool reply_why(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (why != NULL && whylen > 0) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return false;
}

bool reply_wellformed(const uint8_t *wire, size_t len, char *why, size_t whylen)
{
	static const char *const names[] = {"question", "answer", "authority", "additional"};
	static const ldns_pkt_section sections[] = {LDNS_SECTION_QUESTION, LDNS_SECTION_ANSWER,
	                                            LDNS_SECTION_AUTHORITY,
	                                            LDNS_SECTION_ADDITIONAL};
	unsigned counts[4];
	size_t pos = LDNS_HEADER_SIZE;
	ldns_pkt *pkt = NULL;
	ldns_status st;

	if (len < LDNS_HEADER_SIZE)
		return reply_why(why, whylen, "%zu bytes, shorter than a DNS header", len);
	counts[0] = LDNS_QDCOUNT(wire);
	counts[1] = LDNS_ANCOUNT(wire);
	counts[2] = LDNS_NSCOUNT(wire);
	counts[3] = LDNS_ARCOUNT(wire);
	/* Walk the RRs one by one, so the reason names the section and the RR. */
	for (size_t s = 0; s < 4; s++) {
		for (unsigned i = 0; i < counts[s]; i++) {
			ldns_rr *rr = NULL;

			if (pos >= len)
				return reply_why(
				    why, whylen,
				    "the header counts %u %s RR%s, the message ends after %u",
				    counts[s], names[s], counts[s] == 1 ? "" : "s", i);
			st = ldns_wire2rr(&rr, wire, len, &pos, sections[s]);
			ldns_rr_free(rr);
			if (st == LDNS_STATUS_PACKET_OVERFLOW)
				return reply_why(why, whylen,
				                 "%s RR %u of %u runs past the end of the message",
				                 names[s], i + 1, counts[s]);
			if (st != LDNS_STATUS_OK)
				return reply_why(why, whylen, "%s RR %u of %u: %s", names[s], i + 1,
				                 counts[s], reply_ldns_error(st));
		}
	}
	if (pos < len)
		return reply_why(why, whylen, "%zu byte%s of trailing data after the message",
		                 len - pos, len - pos == 1 ? "" : "s");
	/* What ldns checks beyond single RRs (the OPT RR, TSIG placement). */
	st = ldns_wire2pkt(&pkt, wire, len);
	ldns_pkt_free(pkt);
	if (st != LDNS_STATUS_OK)
		return reply_why(why, whylen, "%s", reply_ldns_error(st));
	return true;
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
	/* A cut TC = 1 message is still the reply: the caller retries over TCP (RFC 7766 §5). */
	if (v == REPLY_MATCH && !LDNS_TC_WIRE(wire) && !reply_wellformed(wire, len, NULL, 0))
		v = REPLY_MALFORMED;
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
	case REPLY_MALFORMED:
		return "malformed message";
	}
	return "unknown";
}

bool reply_rr_addr(const ldns_rr *rr, uint16_t port, struct sockaddr_storage *ss, socklen_t *len)
{
	const ldns_rdf *rd = ldns_rr_rdf(rr, 0);
	ldns_rr_type type = ldns_rr_get_type(rr);

	memset(ss, 0, sizeof(*ss));
	if (rd == NULL)
		return false;
	if (type == LDNS_RR_TYPE_A && ldns_rdf_size(rd) == 4) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		memcpy(&sin->sin_addr, ldns_rdf_data(rd), 4);
		*len = sizeof(*sin);
		return true;
	}
	if (type == LDNS_RR_TYPE_AAAA && ldns_rdf_size(rd) == 16) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		memcpy(&sin6->sin6_addr, ldns_rdf_data(rd), 16);
		*len = sizeof(*sin6);
		return true;
	}
	return false;
}
