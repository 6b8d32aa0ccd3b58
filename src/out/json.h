/*
 * json.h -- JSON rendering of a lookup with jansson (the --json output).
 *
 * One object per server: "server" (the label), "address" ("127.0.53.1#53", null while
 * unresolved), "transport" ("udp"/"tcp"), "tc_retry", "rtt_ms" (3 decimals at most), "size"
 * (bytes), "tries", "discarded", "error" (null or a short reason) and "message", the DNS
 * message in RFC 8427 form as kdig +json prints it: dateString, dateSeconds and msgLength of
 * the received message, ID, QR, Opcode, AA, TC, RD, RA, AD, CD, RCODE, QDCOUNT, ANCOUNT,
 * NSCOUNT, ARCOUNT, QNAME, QTYPE, QTYPEname, QCLASS, QCLASSname, and answerRRs /
 * authorityRRs / additionalRRs (left out when empty), each RR with NAME, TYPE, TYPEname,
 * CLASS, CLASSname, TTL, rdata<TYPE> (the escaped presentation form), RDLENGTH and RDATAHEX
 * (the rdata wire form in upper-case hex). ARCOUNT and additionalRRs count the OPT RR (and a
 * TSIG) as the wire did, although ldns takes them out when it parses. Transport members are
 * null when there is no transport result; rtt_ms and size are null unless a reply arrived.
 * One server prints one object; several print an array. Every string is escaped ASCII
 * (dns/escape.h), so the output is valid UTF-8 whatever the reply held.
 */
#ifndef DNSDECK_OUT_JSON_H
#define DNSDECK_OUT_JSON_H

#include <stdio.h>
#include <jansson.h>
#include <ldns/ldns.h>
#include "engine/lookup.h"

/**
 * The RFC 8427 object of one DNS message (without the dateString, dateSeconds and msgLength
 * that json_reply_new() adds from the transport result).
 * \param[in] pkt  the parsed message (not modified)
 * \return a new reference (caller json_decref()s), or NULL when memory runs out.
 */
json_t *json_message_new(const ldns_pkt *pkt);

/**
 * The object of one server's reply (transport facts plus "message", or null message and an
 * "error" when there was no usable reply; a reply still resolving or waiting gets an error
 * saying so).
 * \param[in] r  the reply (not kept)
 * \return a new reference, or NULL when memory runs out.
 */
json_t *json_reply_new(const struct lookup_reply *r);

/**
 * Print a lookup: one object for one server, an array for several, then a newline.
 * \param[in] f  stream to write to
 * \param[in] l  the lookup
 * \return 0, or -1 on a write error or when memory runs out.
 */
int json_lookup_print(FILE *f, const struct lookup *l);

#endif
