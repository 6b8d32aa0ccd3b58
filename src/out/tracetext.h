/*
 * tracetext.h -- dig +trace style text rendering of a trace (dnsdeck +trace --text).
 *
 *   ;; TRACE example.test. IN MX from the root hints, RD=0
 *
 *   .	86400	IN	NS	a.root-servers.invalid.
 *   a.root-servers.invalid.	86400	IN	A	127.0.53.100
 *   ;; Received 91 bytes from 127.0.53.100#53(a.root-servers.invalid) in 0.4 ms
 *
 *   test.	86400	IN	NS	ns1.nic.test.
 *   ns1.nic.test.	86400	IN	A	127.0.53.101
 *   ;; Received 111 bytes from 127.0.53.100#53(a.root-servers.invalid) in 0.3 ms
 *   ...
 *   ;; skipped 127.0.53.99#53 (a.partly-lame.test): connection refused or unreachable
 *   ;; skipped 127.0.53.4#53 (b.partly-lame.test): REFUSED
 *   ;; resolving c.lab-servers.invalid. A (a name server without glue)
 *     c.lab-servers.invalid.	86400	IN	A	127.0.53.102
 *     ;; Received 80 bytes from 127.0.53.100#53(a.root-servers.invalid) in 0.2 ms
 *   ...
 *   ;; TRACE DONE: NOERROR, 1 answer record, authoritative (aa) from c.lab-servers.invalid
 *   ;; for zone partly-lame.test.
 *   ;; 7 queries, 2 servers skipped, 2 referrals, 3.1 ms
 *
 * One block per step, in the order of the steps, each followed by a blank line: the records
 * of the step (priming and referral: the NS RRset, then the glue taken; answer and CNAME: the
 * answer section; NXDOMAIN and NODATA: the authority SOA), tab-separated owner, TTL, class,
 * type and rdata, then ";; Received N bytes from ADDRESS#PORT(NAME) in X ms" with the RTT to
 * 0.1 ms (and "over TCP after TC" when a truncated reply was retried). A skipped server is one
 * line, ";; skipped ADDRESS#PORT (NAME): reason" (";; skipped NAME: reason" when it could not
 * be asked at all). Steps of a side trace (a glueless NS name resolved on the way) are
 * indented two spaces per depth under a ";; resolving NAME TYPE" line; a CNAME step says
 * which name the trace follows next. The last lines are the outcome (";; TRACE DONE:",
 * ";; TRACE FAILED:" or ";; TRACE STOPPED:") and the counts. The model's strings are escaped
 * ASCII (dns/rrtext.h), so only printable ASCII, tabs and newlines are written.
 */
#ifndef DNSDECK_OUT_TRACETEXT_H
#define DNSDECK_OUT_TRACETEXT_H

#include <stdio.h>
#include "engine/trace.h"

/**
 * Print a trace as text (see the file comment).
 * \param[in] f  stream to write to
 * \param[in] t  the trace (normally done; a running one prints its steps so far); not
 *               modified
 * \return 0, or -1 on a write error or when memory runs out.
 */
int tracetext_print(FILE *f, const struct trace *t);

#endif
