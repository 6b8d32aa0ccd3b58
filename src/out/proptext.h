/*
 * proptext.h -- plain text rendering of a propagation comparison (dnsdeck -C --text).
 *
 *   ;; example.test. A asked of 3 servers
 *   a  192.0.2.1#53  answer   aa --  1.9 ms  serial 2026112102 newest  group 1*  192.0.2.80  TTL 60
 *   b  192.0.2.2#53  answer   aa --  2.5 ms  serial 2026112101 behind  group 1*  192.0.2.80  TTL 60
 *   c  192.0.2.3#53  timeout  -          -  serial -                  group -   (timed out)
 *
 *   ;; GROUPS
 *   group 1*  2 servers  192.0.2.80
 *   ;; 2 of 3 servers differ: 1 behind serial 2026112102, 1 timed out
 *
 * (with --auth, a ";; discovery: ..." line follows the first.)
 *
 * One row per server, in the order of the rows: label, address, status ("answer", "NODATA",
 * "NXDOMAIN", "SERVFAIL", "REFUSED", another rcode's name, "timeout", "unreachable", "error",
 * "pending"), the AA and RA flags ("--" for a flag not set, "-" without a reply), RTT in
 * milliseconds, the zone's SOA serial marked "newest" or "behind" (RFC 1982), the answer
 * group (1-based, "*" for the majority; the JSON "group" is the 0-based index of the same
 * group), the compact answer (never truncated; the reason in parentheses when there is no
 * usable reply), the smallest TTL of the answer, and "(N discarded)" when reply matching
 * discarded datagrams. Columns are padded with spaces to the widest cell; nothing is padded
 * at the end of a line. Then every group with its size and answer, largest first, and the
 * summary line. The model's strings are escaped ASCII, so only printable ASCII and newlines
 * are written.
 */
#ifndef DNSDECK_OUT_PROPTEXT_H
#define DNSDECK_OUT_PROPTEXT_H

#include <stdio.h>
#include "engine/prop.h"

/**
 * Print a comparison as text (see the file comment).
 * \param[in] f  stream to write to
 * \param[in] p  the comparison (normally done; pending rows say so); not modified
 * \return 0, or -1 on a write error or when memory runs out.
 */
int proptext_print(FILE *f, const struct prop *p);

#endif
