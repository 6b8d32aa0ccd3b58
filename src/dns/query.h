/*
 * query.h -- the question and how a query message is built (ldns does the wire format).
 *
 * A query_spec says what to ask and with which header bits and EDNS settings (RFC 1035 §4.1,
 * RFC 6891). Queries carry EDNS0 with a 1232-byte UDP payload size by default (the DNS flag
 * day 2020 value), so that large replies are truncated (TC) and retried over TCP rather than
 * fragmented.
 */
#ifndef DNSDECK_DNS_QUERY_H
#define DNSDECK_DNS_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <ldns/ldns.h>

/** Default EDNS0 UDP payload size advertised in queries, in bytes. */
#define QUERY_UDP_SIZE 1232

/** What to ask. Owns qname. */
struct query_spec {
	ldns_rdf *qname;      /**< absolute owner name asked for (LDNS_RDF_TYPE_DNAME), owned */
	ldns_rr_type qtype;   /**< QTYPE, e.g. LDNS_RR_TYPE_MX */
	ldns_rr_class qclass; /**< QCLASS, normally LDNS_RR_CLASS_IN */
	bool rd;              /**< recursion desired (RFC 1035 §4.1.1); default on */
	bool cd;              /**< checking disabled (RFC 4035 §3.2.2) */
	bool ad;              /**< authentic data requested (RFC 6840 §5.7) */
	bool edns;            /**< send an OPT record (RFC 6891); default on */
	bool dnssec_ok;       /**< the DO bit in the OPT record (RFC 3225) */
	bool nsid;            /**< ask for the server's NSID (RFC 5001) */
	uint16_t udp_size;    /**< advertised EDNS UDP payload size in bytes */
};

/**
 * Fill a spec with dig's defaults: class IN, RD on, EDNS0 on with QUERY_UDP_SIZE, no DO.
 * \param[out] q      the spec to initialise (qname set to NULL)
 */
void query_spec_init(struct query_spec *q);

/**
 * Set the question of a spec from presentation text.
 * \param[in,out] q     spec whose qname is replaced (the old one is freed)
 * \param[in]     name  owner name in presentation format; made absolute if it is not
 * \return LDNS_STATUS_OK, or the ldns status for a malformed name (label over 63 octets,
 *         name over 255 octets, bad escape): the spec is unchanged then.
 */
ldns_status query_spec_set_name(struct query_spec *q, const char *name);

/**
 * Deep-copy a spec.
 * \param[out] dst  receives a copy with its own qname
 * \param[in]  src  spec to copy
 * \return LDNS_STATUS_OK or LDNS_STATUS_MEM_ERR.
 */
ldns_status query_spec_copy(struct query_spec *dst, const struct query_spec *src);

/**
 * Free what a spec owns (its qname); the struct itself is the caller's.
 * \param[in,out] q  spec to clear; NULL is a no-op
 */
void query_spec_clear(struct query_spec *q);

/**
 * Build the wire form of a query.
 * \param[in]  q    what to ask
 * \param[in]  id   the query ID (RFC 1035 §4.1.1); callers draw it from a CSPRNG (RFC 5452 §9.2)
 * \param[out] wire newly allocated wire bytes, caller frees with free()
 * \param[out] len  length of *wire in bytes
 * \return LDNS_STATUS_OK, or an ldns error status (nothing is allocated then).
 */
ldns_status query_wire_new(const struct query_spec *q, uint16_t id, uint8_t **wire, size_t *len);

/**
 * Draw a query ID from the kernel's CSPRNG (getrandom), RFC 5452 §9.2.
 * \return a uniformly random 16-bit ID.
 */
uint16_t query_random_id(void);

#endif
