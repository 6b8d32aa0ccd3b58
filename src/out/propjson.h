/*
 * propjson.h -- JSON rendering of a propagation comparison with jansson (dnsdeck -C --json).
 *
 * One object, members in this order:
 *   "question"       {"qname" (absolute, escaped), "qtype" ("MX", "TYPE65280"), "qclass"
 *                    ("IN")}: the names, as RFC 3597 §5 writes unknown ones
 *   "results"        one object per server, in the order of the rows (named servers, then
 *                    discovered ones): the reply object of a lookup (out/json.h: "server",
 *                    "address", "transport", "tc_retry", "rtt_ms", "size", "tries",
 *                    "discarded", "error", "message" in RFC 8427 form) followed by
 *                    "status" (prop_status_str: "answer", "nodata", "nxdomain", "servfail",
 *                    "refused", "rcode", "timeout", "unreachable", "error", "pending"),
 *                    "group" (the 0-based index of its entry in "groups", null without a
 *                    usable reply), "soa_serial" (the zone's SOA serial as that server sees
 *                    it, null when the SOA question gave none), "outlier" (not in the
 *                    majority group) and "behind" (serial older than "newest_serial",
 *                    RFC 1982)
 *   "groups"         [{"answer" (the compact answer: rdata joined with ", ", or "NXDOMAIN" /
 *                    "NODATA"), "size" (members), "majority"}], largest first
 *   "consistent"     true when every server gave the same answer and none failed
 *   "newest_serial"  the newest serial among the rows (RFC 1982), or null
 *   "summary"        the summary line ("consistent: 3 servers agree", "1 of 3 servers
 *                    differ: ...")
 *   "discovery"      what --auth discovery found, in words, or null without --auth
 *
 * jansson builds and writes the JSON; every string of the model is escaped ASCII
 * (dns/escape.h) and the output is written with JSON_ENSURE_ASCII, so it is pure ASCII.
 */
#ifndef DNSDECK_OUT_PROPJSON_H
#define DNSDECK_OUT_PROPJSON_H

#include <stdio.h>
#include <jansson.h>
#include "engine/prop.h"

/**
 * The JSON object of a comparison (see the file comment).
 * \param[in] p  the comparison (normally done; pending rows render with status "pending");
 *               not modified
 * \return a new reference (caller json_decref()s), or NULL when memory runs out.
 */
json_t *propjson_new(const struct prop *p);

/**
 * Print a comparison as indented JSON, then a newline.
 * \param[in] f  stream to write to
 * \param[in] p  the comparison; not modified
 * \return 0, or -1 on a write error or when memory runs out.
 */
int propjson_print(FILE *f, const struct prop *p);

#endif
