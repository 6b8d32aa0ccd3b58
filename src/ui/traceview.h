/*
 * traceview.h -- the trace view ('t'): the current question resolved from the root, one block
 * per step, turned into pane lines (internal to src/ui/).
 *
 * Reads the trace only through engine/trace.h (its getters and public structs); every string
 * of the trace is already escaped ASCII, and RRs reach the lines through dns/rrtext.h. Nothing
 * here draws. The view has three parts:
 *   title  "Trace of <name> <type> from the root" and the totals: questions sent, servers
 *          skipped, referrals followed, time taken
 *   head   the zone cuts walked ". → test. → example.test." and the outcome in a sentence
 *   body   one block per step: the zone cut and the server asked (name, address), the RTT
 *          and size of its reply, then the referral's NS RRset and glue, or the answer (the
 *          SOA of NXDOMAIN and NODATA); a skipped server (lame, failing, silent) as one line
 *          with the reason, in the warning style; side traces that resolve a name server
 *          without glue indented under a line that says so
 */
#ifndef DNSDECK_UI_TRACEVIEW_H
#define DNSDECK_UI_TRACEVIEW_H

#include <stddef.h>
#include "engine/trace.h"
#include "ui/pane.h"

/**
 * Build the title: "Trace of example.test. MX from the root  4 queries  0 skipped ...".
 * \param[out] out  receives the segments (appended; clear it first)
 * \param[in]  t    the trace, or NULL (then "Trace from the root" alone)
 * \return 0, or -1 when memory runs out.
 */
int traceview_title(struct pane_line *out, const struct trace *t);

/**
 * Build the head: the zone cuts of the question's path and the outcome, wrapped to width.
 * \param[out] out    receives the lines (appended; clear it first)
 * \param[in]  t      the trace
 * \param[in]  width  columns available
 * \return 0, or -1 when memory runs out (what was built is kept).
 */
int traceview_head(struct pane_lines *out, const struct trace *t, int width);

/**
 * Build the body: one block per step, in the order they happened.
 * \param[out] out    receives the lines (appended; clear it first)
 * \param[in]  t      the trace
 * \param[in]  width  columns available (caps the owner column)
 * \return 0, or -1 when memory runs out (what was built is kept).
 */
int traceview_body(struct pane_lines *out, const struct trace *t, int width);

/**
 * A short state for the status line: "tracing… 3 queries", "done: NOERROR, 2 answer records",
 * "done: NXDOMAIN", "failed: no server of ... answered".
 * \param[out] buf     destination (printable text)
 * \param[in]  buflen  size of buf in bytes
 * \param[in]  t       the trace, or NULL
 * \return the pane style that fits it (PANE_DIM, PANE_OK, PANE_WARN or PANE_ERR).
 */
int traceview_state(char *buf, size_t buflen, const struct trace *t);

#endif
