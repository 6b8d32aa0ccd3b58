/*
 * explain.h -- plain-language explanations of what the views show, each with its RFC.
 *
 * One table (src/dns/explain.def, the only place the texts live) maps a key such as
 * "flag.aa", "rcode.3", "option.10", "ede.18", "rr.MX", "soa.serial" or "section.answer" to
 * a one- or two-line explanation and the RFC section it comes from. Views never spell keys
 * for codes themselves: the explain_key_* builders turn an rcode, opcode, EDNS option code,
 * Extended DNS Error code, RR type or class into a key that is always in the table, falling
 * back to the group's generic ".unknown" entry (RFC 3597 §5 for types and classes).
 * explain_pkt_keys() walks a reply and names every key a view of it shows, which is how the
 * --text --explain output and the tests find them; the TUI shows the same texts later.
 *
 * The texts are our own, printable ASCII apart from "§" in RFC references; explain_format()
 * gives an all-ASCII form ("section 4.1.1") for output that must stay ASCII.
 */
#ifndef DNSDECK_DNS_EXPLAIN_H
#define DNSDECK_DNS_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <ldns/ldns.h>

/** A buffer of this many bytes holds every key a builder makes. */
#define EXPLAIN_KEY_MAX 32

/** One explanation. */
struct explain {
	const char *key;  /**< e.g. "flag.aa" */
	const char *rfc;  /**< e.g. "RFC 1035 §4.1.1", or "dnsdeck(1)" for our own measurements */
	const char *text; /**< the explanation, starting with the name the views show */
};

/**
 * Look up a key.
 * \param[in] key  e.g. "rr.MX"; NULL gives NULL
 * \return the entry (static, never freed), or NULL when the table has no such key.
 */
const struct explain *explain_get(const char *key);

/** Number of entries in the table. */
size_t explain_count(void);

/**
 * Entry i of the table, in the order of explain.def (0 <= i < explain_count()); NULL beyond.
 * Entries are elements of one array, so (e - explain_at(0)) is an entry's index.
 */
const struct explain *explain_at(size_t i);

/**
 * The key of an RR type: "rr.MX", or "rr.unknown" for a type without its own entry.
 * \param[out] buf  destination, at least EXPLAIN_KEY_MAX bytes
 * \param[in]  len  size of buf in bytes
 * \param[in]  t    any type value
 * \return buf, holding a key that explain_get() finds.
 */
char *explain_key_rr_type(char *buf, size_t len, ldns_rr_type t);

/** The key of a class: "class.IN", or "class.unknown". Otherwise as explain_key_rr_type. */
char *explain_key_class(char *buf, size_t len, ldns_rr_class c);

/** The key of an opcode: "opcode.0" (QUERY) ... or "opcode.unknown". As explain_key_rr_type. */
char *explain_key_opcode(char *buf, size_t len, unsigned opcode);

/**
 * The key of a full rcode (header RCODE plus the OPT extended bits, RFC 6891 §6.1.3, as
 * rrtext_pkt_rcode() gives it): "rcode.3" (NXDOMAIN), "rcode.16" (BADVERS) ..., or
 * "rcode.unknown" for unassigned values. As explain_key_rr_type.
 */
char *explain_key_rcode(char *buf, size_t len, unsigned rcode);

/** The key of an EDNS option code: "option.3" (NSID) ... or "option.unknown". */
char *explain_key_edns_option(char *buf, size_t len, uint16_t code);

/** The key of an Extended DNS Error INFO-CODE (RFC 8914 §4): "ede.18" ... or "ede.unknown". */
char *explain_key_ede(char *buf, size_t len, unsigned info_code);

/** Called once per key by the walks below; key is valid during the call only. */
typedef void (*explain_key_fn)(const char *key, void *arg);

/**
 * Name every key the views show for one parsed reply, each once, in the order they show
 * them: header fields, opcode, rcode, every flag, the counts, what kind of negative answer or
 * referral it is, the EDNS fields and each option and Extended DNS Error present (or that
 * there is no OPT record), the column names, every section, each class and RR type present
 * in any section, the SOA fields when an SOA is present, TSIG when present, and negative
 * caching when it applies. Transport facts are separate (explain_transport_keys()).
 * \param[in] pkt  the reply (ldns needs it non-const to read the EDNS options; not modified)
 * \param[in] fn   called with each key
 * \param[in] arg  passed to fn
 * \return 0, or -1 when memory runs out (some keys may have been named already).
 */
int explain_pkt_keys(ldns_pkt *pkt, explain_key_fn fn, void *arg);

/**
 * Name the keys of the transport facts a view shows with a reply: server, udp or tcp, the
 * TC retry when it happened, rtt, size, tries, discarded and the time received.
 * \param[in] tcp       the reply came over TCP
 * \param[in] tc_retry  a UDP reply had TC set and the question was asked again over TCP
 * \param[in] fn        called with each key
 * \param[in] arg       passed to fn
 */
void explain_transport_keys(bool tcp, bool tc_retry, explain_key_fn fn, void *arg);

/**
 * The explanation as one line of text: "<text> (<rfc>)".
 * \param[out] buf    destination, always NUL-terminated when len > 0
 * \param[in]  len    size of buf in bytes (512 holds every entry)
 * \param[in]  e      the entry
 * \param[in]  ascii  write "§" as "section " so the result is printable ASCII only
 * \return the length the whole line needs, excluding the NUL (like snprintf).
 */
size_t explain_format(char *buf, size_t len, const struct explain *e, bool ascii);

#endif
