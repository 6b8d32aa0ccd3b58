/*
 * rrtext.h -- escaped presentation text of RRs, EDNS options and header words.
 *
 * The one place that turns ldns data into the strings every view shows (TUI panes, --text,
 * the presentation fields of --json), so the screen and batch output always agree. Every
 * string produced here has been through esc_bytes(): printable ASCII only.
 */
#ifndef DNSDECK_DNS_RRTEXT_H
#define DNSDECK_DNS_RRTEXT_H

#include <stdbool.h>
#include <stdint.h>
#include <ldns/ldns.h>

/** The columns of one RR as shown (RFC 1035 §5.1 presentation format), all escaped. */
struct rrtext {
	char *owner;  /**< owner name, absolute, e.g. "example.test." */
	uint32_t ttl; /**< TTL in seconds as received (0 in the question section) */
	char *klass;  /**< class mnemonic, e.g. "IN" */
	char *type;   /**< type mnemonic, e.g. "MX", or "TYPE65534" */
	char *rdata;  /**< rdata in presentation format ("" in the question section) */
};

/**
 * Render one RR into escaped columns.
 * \param[out] out  receives newly allocated strings; free with rrtext_clear()
 * \param[in]  rr   the RR (not modified, not kept)
 * \return 0, or -1 when memory runs out (out is left cleared).
 */
int rrtext_from_rr(struct rrtext *out, const ldns_rr *rr);

/**
 * Free the strings of an rrtext (the struct itself is the caller's).
 * \param[in,out] t  NULL is a no-op
 */
void rrtext_clear(struct rrtext *t);

/**
 * The escaped presentation text of an rdata field list, space-separated, as in a zone file.
 * \param[in] rr  the RR
 * \return newly allocated string (caller frees), or NULL when memory runs out.
 */
char *rrtext_rdata(const ldns_rr *rr);

/**
 * The escaped presentation form of a domain name (ldns_rdf of type DNAME).
 * \return newly allocated string (caller frees), or NULL when memory runs out.
 */
char *rrtext_dname(const ldns_rdf *name);

/**
 * The mnemonic of an RR type ("MX", or "TYPE65280" for unknown types, RFC 3597 §5).
 * \param[out] buf     destination
 * \param[in]  buflen  size of buf in bytes (16 is always enough)
 * \return buf.
 */
char *rrtext_type(char *buf, size_t buflen, ldns_rr_type t);

/**
 * The mnemonic of a class ("IN", "CH", or "CLASS42", RFC 3597 §5).
 * \return buf.
 */
char *rrtext_class(char *buf, size_t buflen, ldns_rr_class c);

/**
 * The mnemonic of an opcode ("QUERY", "NOTIFY", or "OPCODE7").
 * \return buf.
 */
char *rrtext_opcode(char *buf, size_t buflen, unsigned opcode);

/**
 * The mnemonic of a full (extended, RFC 6891 §6.1.3) rcode: "NOERROR", "NXDOMAIN",
 * "SERVFAIL", "REFUSED", "BADVERS", or "RCODE23".
 * \return buf.
 */
char *rrtext_rcode(char *buf, size_t buflen, unsigned rcode);

/** One EDNS option as shown. */
struct rrtext_opt {
	uint16_t code; /**< option code (IANA "DNS EDNS0 Option Codes") */
	char *name;    /**< "NSID", "EDE", "COOKIE", ... or "OPT65001" */
	char *text;    /**< escaped value: NSID as hex and ASCII, EDE as "18 (Prohibited): text" */
};

/** The EDNS facts of a reply (RFC 6891 §6). */
struct rrtext_edns {
	bool present;            /**< the reply carried an OPT RR */
	uint8_t version;         /**< EDNS version */
	uint16_t udp_size;       /**< the sender's UDP payload size in bytes */
	bool do_bit;             /**< DNSSEC OK (RFC 3225) */
	size_t nopts;            /**< number of options */
	struct rrtext_opt *opts; /**< options in wire order */
};

/**
 * Extract the EDNS facts of a parsed reply.
 * \param[out] out  filled; free with rrtext_edns_clear()
 * \param[in]  pkt  the reply (ldns needs it non-const to read the option list; not modified)
 * \return 0, or -1 when memory runs out.
 */
int rrtext_edns_from_pkt(struct rrtext_edns *out, ldns_pkt *pkt);

/** Free what rrtext_edns_from_pkt allocated. NULL is a no-op. */
void rrtext_edns_clear(struct rrtext_edns *e);

/**
 * The full rcode of a reply: header RCODE plus the OPT extended bits (RFC 6891 §6.1.3).
 */
unsigned rrtext_pkt_rcode(const ldns_pkt *pkt);

#endif
