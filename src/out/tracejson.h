/*
 * tracejson.h -- JSON rendering of a trace with jansson (dnsdeck +trace --json).
 *
 * One object, members in this order:
 *   "qname", "qtype", "qclass"  the question (absolute name, escaped; type and class names
 *                    as RFC 3597 §5 writes unknown ones)
 *   "status"         trace_status_str: "done", "failed", "error" ("running" before the end)
 *   "result"         the final step's kind ("answer", "nxdomain", "nodata"), null unless done
 *   "error"          why a failed or stopped trace ended, else null
 *   "queries"        questions sent
 *   "elapsed_ms"     from the first question to the end (3 decimals at most)
 *   "zone_cuts"      the zones the question's path went through, in order: "." (priming)
 *                    and the zone of every referral at depth 0, e.g. [".", "test.",
 *                    "example.test."]
 *   "steps"          one object per step, in order: the reply object of a lookup (out/json.h:
 *                    "server" (the NS name as dig shows it, without the final dot),
 *                    "address", "transport", "tc_retry", "rtt_ms", "size", "tries",
 *                    "discarded", "error" (for a skipped server: the reason), "message" in
 *                    RFC 8427 form), followed by "kind" (trace_kind_str), "depth" (0 for the
 *                    question, 1.. for side traces of glueless NS names), "asked" {"qname",
 *                    "qtype"} (the question this step sent), "zone" (the cut whose server was
 *                    asked), "child" (priming/referral: the zone delegated to; cname: the
 *                    target followed; else null), "ns" (the NS names of a priming or referral
 *                    step, else []), "glue" ([{"name", "type", "address"}] taken from it),
 *                    "records" (answer / cname: the answer section; nxdomain / nodata: the
 *                    authority SOA; each RR in presentation form "owner TTL class type
 *                    rdata") and "reason" (skipped: why; else null)
 *
 * jansson builds and writes the JSON; every string of the model is escaped ASCII
 * (dns/escape.h) and the output is written with JSON_ENSURE_ASCII, so it is pure ASCII.
 */
#ifndef DNSDECK_OUT_TRACEJSON_H
#define DNSDECK_OUT_TRACEJSON_H

#include <stdio.h>
#include <jansson.h>
#include "engine/trace.h"

/**
 * The JSON object of a trace (see the file comment).
 * \param[in] t  the trace (normally done); not modified
 * \return a new reference (caller json_decref()s), or NULL when memory runs out.
 */
json_t *tracejson_new(const struct trace *t);

/**
 * Print a trace as indented JSON, then a newline.
 * \param[in] f  stream to write to
 * \param[in] t  the trace; not modified
 * \return 0, or -1 on a write error or when memory runs out.
 */
int tracejson_print(FILE *f, const struct trace *t);

#endif
