/*
 * watchout.h -- --watch output: one line (or one JSON object per line) per answer change.
 *
 * The first reply of each server prints an "initial" record; each later reply whose answer
 * differs from the previous one (engine/lookup.h lookup_change) prints a "change" record.
 * Text form, one line each, fields separated by two spaces:
 *   2026-11-21T11:40:02Z  127.0.53.53#53  ttl30.example.test. A  initial  203.0.113.30  TTL 30
 *   2026-11-21T11:40:33Z  127.0.53.53#53  ttl30.example.test. A  change  203.0.113.30 ->
 *   203.0.113.31  +1 -1  TTL 30
 * (the second is one line). Times are UTC, RFC 3339. JSON: {"time", "server", "name",
 * "type", "class", "event": "initial"|"change", "answer", "before", "added", "removed",
 * "ttl"} with added/removed as arrays of RRs in presentation form. Every string is escaped.
 */
#ifndef DNSDECK_OUT_WATCHOUT_H
#define DNSDECK_OUT_WATCHOUT_H

#include <stdbool.h>
#include <stdio.h>
#include "engine/lookup.h"

/**
 * Print one watch record for reply i of a lookup.
 * \param[in] f       where to write
 * \param[in] l       the lookup
 * \param[in] i       reply index
 * \param[in] change  the change to print (from the reply's history), or NULL for the
 *                    reply's first ("initial") record
 * \param[in] json    JSON instead of text
 * \return 0, or -1 on a write error or when memory runs out.
 */
int watchout_print(FILE *f, const struct lookup *l, size_t i, const struct lookup_change *change,
                   bool json);

#endif
