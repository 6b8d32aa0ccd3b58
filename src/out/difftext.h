/*
 * difftext.h -- plain text rendering of the differences between two saved sessions
 * (dnsdeck --diff A B).
 *
 *   --- before.session  saved 2026-11-21T10:04:28.101000000Z
 *   +++ after.session  saved 2026-11-21T10:09:02.730000000Z
 *   example.test. MX IN  @127.0.53.1#53 -> @127.0.53.2#53
 *     - example.test. 3600 IN MX 20 mx2.example.test.
 *     + example.test. 3600 IN MX 30 mx3.example.test.
 *   example.test. SOA IN  @127.0.53.1#53 -> @127.0.53.2#53
 *     serial 2026112101 -> 2026112102
 *     - example.test. 3600 IN SOA ns1.example.test. hostmaster.example.test. 2026112101 ...
 *     + example.test. 3600 IN SOA ns1.example.test. hostmaster.example.test. 2026112102 ...
 *   gone.example.test. A IN  @127.0.53.1#53
 *     only in before.session: NOERROR
 *   ;; 3 differences: 2 changed, 1 only in before.session, 0 only in after.session
 *
 * One block per (question, server) that differs: its heading names the question and the
 * server ("@A -> @B" when the question was asked of a different server in each file), then
 * the outcome when it changed ("NOERROR -> NXDOMAIN", "timed out -> NOERROR"), the SOA serial
 * when it changed, and the answer RRs only in the first file ("-") and only in the second
 * ("+"), compared canonically (TTL and order ignored; the TTL shown is the one received).
 * Nothing is printed when the files agree. Every string is escaped ASCII.
 */
#ifndef DNSDECK_OUT_DIFFTEXT_H
#define DNSDECK_OUT_DIFFTEXT_H

#include <stdio.h>
#include "engine/record.h"

/**
 * Print the differences (see the file comment).
 * \param[in] f       stream to write to
 * \param[in] d       the differences (record_diff)
 * \param[in] name_a  the first file's name as given (escaped here)
 * \param[in] name_b  the second file's name
 * \return 0, or -1 on a write error or when memory runs out.
 */
int difftext_print(FILE *f, const struct record_diff *d, const char *name_a, const char *name_b);

/**
 * Print the differences as one JSON object: {"a": NAME, "b": NAME, "equal": BOOL,
 * "changes": [{"kind": "changed" | "only_a" | "only_b", "question", "server_a", "server_b",
 * "outcome_a", "outcome_b", "serial_a", "serial_b", "removed": [RR text], "added": [RR
 * text]}]} (absent values are null).
 * \return 0, or -1 on a write error or when memory runs out.
 */
int difftext_print_json(FILE *f, const struct record_diff *d, const char *name_a,
                        const char *name_b);

#endif
