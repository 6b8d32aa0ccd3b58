/*
 * reply.h -- deciding whether a datagram is the reply to our query (RFC 5452 §9.1).
 *
 * A reply is accepted only when it is at least a header long, has QR = 1, the query's ID and
 * opcode, a question section equal to the query's (name compared case-insensitively,
 * RFC 4343; type and class equal), and, unless TC = 1, the whole message is well-formed
 * (reply_wellformed). Header bits are read from the raw bytes with ldns' wire macros before
 * any parse, because ldns_wire2pkt rejects a truncated (TC) packet whose sections were cut;
 * the question and every RR are read with ldns_wire2rr.
 */
#ifndef DNSDECK_DNS_REPLY_H
#define DNSDECK_DNS_REPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <ldns/ldns.h>
#include "dns/query.h"

/** Why a datagram was or was not accepted. */
enum reply_verdict {
	REPLY_MATCH = 0,         /**< the reply to our query */
	REPLY_SHORT,             /**< shorter than the 12-byte header */
	REPLY_NOT_RESPONSE,      /**< QR = 0: a query, not a response */
	REPLY_ID_MISMATCH,       /**< another query ID */
	REPLY_OPCODE_MISMATCH,   /**< another opcode */
	REPLY_QUESTION_MISMATCH, /**< a different or missing/unparsable question */
	REPLY_MALFORMED          /**< ID and question match, the rest is not a well-formed
	                              message (reply_wellformed); TC = 1 replies are exempt */
};

/**
 * Check a datagram against the query it should answer.
 * \param[in] wire  the datagram (or TCP message without its length prefix)
 * \param[in] len   its length in bytes
 * \param[in] id    the ID our query carried
 * \param[in] q     the question our query asked (opcode QUERY assumed)
 * \return REPLY_MATCH or the first reason to discard it.
 */
enum reply_verdict reply_match(const uint8_t *wire, size_t len, uint16_t id,
                               const struct query_spec *q);

/**
 * Check that a whole message is well-formed (RFC 1035 §4.1): every RR the four header counts
 * announce is there and parses with ldns (labels of at most 63 octets, names of at most 255,
 * compression pointers that lead somewhere, RDLENGTH within the message), ldns_wire2pkt
 * accepts the message, and no byte follows the last RR.
 * \param[in]  wire    message bytes (without a TCP length prefix)
 * \param[in]  len     length in bytes
 * \param[out] why     receives a short English reason when the message is not well-formed,
 *                     e.g. "answer RR 1 of 1: Invalid compression pointer" or "16 bytes of
 *                     trailing data after the message" (ASCII, no network bytes); may be NULL
 * \param[in]  whylen  size of why in bytes
 * \return true when the message is well-formed.
 */
bool reply_wellformed(const uint8_t *wire, size_t len, char *why, size_t whylen);

/**
 * Read TC from the raw header (RFC 1035 §4.1.1), without parsing the message.
 * \param[in] wire  message bytes
 * \param[in] len   length in bytes
 * \return true when len >= 12 and TC = 1.
 */
bool reply_tc(const uint8_t *wire, size_t len);

/**
 * A short English reason for a verdict, for counters and logs.
 * \return a static string, never NULL.
 */
const char *reply_verdict_str(enum reply_verdict v);

/**
 * The address an A or AAAA RR holds, as a socket address (RFC 1035 §3.4.1, RFC 3596 §2.2).
 * Treats the RR as untrusted: an RR without rdata (RDLENGTH 0, which ldns accepts) or with
 * rdata of the wrong length has no address.
 * \param[in]  rr    the RR (any type: others have no address)
 * \param[in]  port  the port to put in, host byte order
 * \param[out] ss    receives the address (zeroed first)
 * \param[out] len   receives its length in bytes
 * \return true when the RR holds an address.
 */
bool reply_rr_addr(const ldns_rr *rr, uint16_t port, struct sockaddr_storage *ss, socklen_t *len);

#endif
