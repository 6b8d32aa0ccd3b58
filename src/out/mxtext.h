/*
 * mxtext.h -- plain text rendering of an MX failover plan (dnsdeck --mx --text).
 *
 * Written for people who answer "why does my mail not arrive": the plan in the order a
 * sender works through it (RFC 5321 §5.1), then what is wrong with it, then the mail
 * records, then the SMTP probe when one ran. Lines starting ";;" are headings, as in dig.
 *
 *   ;; MX failover plan for example.test. (mode: mx)
 *   ;; A sender tries these in order (RFC 5321 §5.1):
 *   step 1  pref 10  mx1.example.test.
 *                    2001:db8::11    TTL 3600  PTR mx1.example.test. (ok)
 *                    198.51.100.11   TTL 3600  PTR - (none)
 *   step 2  pref 20  any order: mxa.example.test., mxb.example.test.
 *          (group)  mxa.example.test.
 *                    ...
 *
 *   ;; FINDINGS
 *   error    exchange-nxdomain  exchange missing.example.test. does not exist ...  (RFC 5321 §5.1)
 *
 *   ;; MAIL RECORDS
 *   SPF      example.test.            "v=spf1 mx -all"
 *   MTA-STS  _mta-sts.example.test.   (none)
 *
 *   ;; SMTP
 *   mx1.example.test.  198.51.100.11  reachable  connect 12.3 ms  220 "mx1 ESMTP"  ...
 *   ;; first reachable: mx1.example.test. (pref 10) ...
 *
 * A step of one exchange shows it on the step line; an equal-preference group (members
 * tried in random order) lists its members on the step line after "any order:" and then
 * gives each member its own block marked "(group)". Under each exchange come its addresses
 * (IPv6 first, as the model orders them) with TTL, PTR name and the forward-confirmed rDNS
 * mark, or the reason it has none: "does not exist" (NXDOMAIN), "no A/AAAA" (NODATA),
 * "lookup failed", "(alias for X)", "IP literal". Null MX, implicit MX and "no mail route"
 * are said in words. A finding is its severity, code, message and RFC; its subject leads
 * ("subject: message") only when the message does not name it already. The SMTP section
 * appears only when the probe ran. Columns are aligned with spaces, never tabs.
 *
 * Every string of the model is escaped ASCII (dns/escape.h) and is written as it is; the
 * only bytes outside printable ASCII and '\n' are the UTF-8 "§" of RFC section references,
 * which come from our own source, never from the network.
 */
#ifndef DNSDECK_OUT_MXTEXT_H
#define DNSDECK_OUT_MXTEXT_H

#include <stdio.h>
#include "engine/mxplan.h"

/**
 * Print an MX failover plan as text.
 * \param[in] f  stream to write to
 * \param[in] p  the plan (normally done; parts still outstanding are shown as pending);
 *               not modified
 * \return 0, or -1 on a write error.
 */
int mxtext_print(FILE *f, const struct mxplan *p);

#endif
