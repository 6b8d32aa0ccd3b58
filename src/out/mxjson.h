/*
 * mxjson.h -- JSON rendering of an MX failover plan with jansson (dnsdeck --mx --json).
 *
 * One object, members in this order:
 *   "domain"    the domain asked (absolute)
 *   "mode"      "mx", "null-mx", "implicit", "none" or "pending" (mxplan_mode_str)
 *   "steps"     delivery steps in the order a sender tries them (RFC 5321 §5.1), each
 *               {"step" (1-based), "preference", "random_order" (true for an
 *               equal-preference group, whose members a sender tries in random order),
 *               "exchanges": [{"name", "preference", "state" ("resolved", "nxdomain",
 *               "nodata", "failed", "pending"), "alias_target" (CNAME target or null),
 *               "ip_literal", "duplicates", "addresses": [{"address", "family" (4 or 6),
 *               "ttl" (seconds), "special" (null, or what kind of special-purpose address,
 *               RFC 6890), "ptr" (name or null), "fcrdns" ("ok", "mismatch", "no-ptr",
 *               "pending"), "smtp"}]}]}
 *               where "smtp" is null when the address was not probed (or the probe still
 *               runs), else {"status" (smtp_status_str), "connect_ms" (null if it never
 *               connected), "total_ms", "greeting_code" (null if none was read), "banner"
 *               (null if none), "ehlo_code" (null if none), "extensions" (array of
 *               strings), "starttls"}; milliseconds are rounded to 3 decimals
 *   "findings"  [{"code", "severity" ("error", "warning", "info"), "rfc", "subject" (null
 *               when the finding is about the domain as a whole), "message"}], errors first
 *   "records"   {"SPF", "DMARC", "MTA-STS", "TLS-RPT"}, each {"owner", "rfc", "texts"
 *               (array of TXT presentation strings), "error" (null or why the lookup
 *               failed)}
 *   "smtp"      null when no probe ran, else {"summary" (the verdict in one line, null
 *               while probes run), "first_reachable" (exchange name or null),
 *               "address" (its address that answered, or null)}
 *
 * jansson builds and writes the JSON. Every string of the model is escaped ASCII
 * (dns/escape.h); the "§" of RFC references comes from our own source and is written as
 * \u00A7 (JSON_ENSURE_ASCII), so the output is pure ASCII.
 */
#ifndef DNSDECK_OUT_MXJSON_H
#define DNSDECK_OUT_MXJSON_H

#include <stdio.h>
#include <jansson.h>
#include "engine/mxplan.h"

/**
 * The JSON object of a plan (see the file comment).
 * \param[in] p  the plan (normally done); not modified
 * \return a new reference (caller json_decref()s), or NULL when memory runs out or a model
 *         string is not valid UTF-8.
 */
json_t *mxjson_new(const struct mxplan *p);

/**
 * Print a plan as indented JSON, then a newline.
 * \param[in] f  stream to write to
 * \param[in] p  the plan; not modified
 * \return 0, or -1 on a write error or when memory runs out.
 */
int mxjson_print(FILE *f, const struct mxplan *p);

#endif
