/*
 * mxview.h -- the MX view's content: an MX failover plan turned into pane lines (internal to
 * src/ui/).
 *
 * Reads the plan only through engine/mxplan.h (its getters and public structs); every string
 * in the plan is already escaped ASCII, and it still reaches the screen only through the
 * pane's wide-character drawing. Nothing here draws. The view has four parts:
 *   title     "MX failover plan for <domain>  mode: mx" (the bar above the pane)
 *   headline  where mail goes, in one plain-English sentence, and the count of findings
 *   body      DELIVERY PLAN (steps, exchanges, addresses with TTL, PTR, FCrDNS and SMTP),
 *             FINDINGS (severity, code, message, RFC) and MAIL RECORDS (SPF, DMARC,
 *             MTA-STS, TLS-RPT)
 *   detail    what Enter shows for the line under the cursor: a finding's explanation and
 *             RFC, an exchange with its findings, an address with its SMTP dialogue, or a
 *             mail record's full text
 * Every body line carries a reference (struct mxview_ref) to the part of the plan it shows,
 * so the UI can move a cursor over the lines and ask for the detail of one.
 */
#ifndef DNSDECK_UI_MXVIEW_H
#define DNSDECK_UI_MXVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "engine/mxplan.h"
#include "ui/pane.h"

/** What a body line is about. */
enum mxview_kind {
	MXVIEW_NONE = 0, /**< a heading, a blank or a summary line */
	MXVIEW_EXCHANGE, /**< exchange i (mxplan_exchange order) */
	MXVIEW_ADDRESS,  /**< address j of exchange i */
	MXVIEW_FINDING,  /**< finding i (mxplan_finding order) */
	MXVIEW_RECORD    /**< mail record i (mxplan_record order) */
};

/** The part of the plan a body line shows. */
struct mxview_ref {
	enum mxview_kind kind;
	size_t i; /**< exchange, finding or record index */
	size_t j; /**< address index (MXVIEW_ADDRESS only) */
};

/**
 * Build the title: "MX failover plan for <domain>  mode: <mode>".
 * \param[out] out  receives the segments (appended; clear it first)
 * \param[in]  p    the plan, or NULL (then "MX failover plan" alone)
 * \return 0, or -1 when memory runs out.
 */
int mxview_title(struct pane_line *out, const struct mxplan *p);

/**
 * Build the headline: one plain-English sentence on where mail goes ("Mail goes to
 * mx1.example.test. first, then mx2.example.test."), wrapped to width, then a line counting
 * the findings by severity.
 * \param[out] out    receives the lines (appended; clear it first)
 * \param[in]  p      the plan
 * \param[in]  width  columns available
 * \return 0, or -1 when memory runs out (what was built is kept).
 */
int mxview_headline(struct pane_lines *out, const struct mxplan *p, int width);

/**
 * Build the body: the delivery plan, the findings and the mail records.
 * \param[out] out    receives the lines (appended; clear it first)
 * \param[out] refs   receives a newly allocated array with one reference per line of out
 *                    (caller frees); NULL when out has no lines or memory ran out
 * \param[in]  p      the plan
 * \param[in]  smtp   the SMTP probe is on for this plan (show probe states and the verdict)
 * \param[in]  width  columns available, for wrapping messages
 * \param[in]  now_ms now (monotonic ms): address TTLs count down from their arrival; 0 shows
 *                    them as received
 * \return 0, or -1 when memory runs out (what was built is kept).
 */
int mxview_body(struct pane_lines *out, struct mxview_ref **refs, const struct mxplan *p, bool smtp,
                int width, int64_t now_ms);

/**
 * Build the detail of one body line (what Enter shows), wrapped to width.
 * \param[out] out    receives the lines (appended; clear it first)
 * \param[out] title  receives the title segments (appended; clear it first)
 * \param[in]  p      the plan
 * \param[in]  ref    the line's reference; indexes out of range give nothing
 * \param[in]  width  columns available
 * \return 1 when there is a detail to show, 0 when the line has none, -1 when memory runs out.
 */
int mxview_detail(struct pane_lines *out, struct pane_line *title, const struct mxplan *p,
                  const struct mxview_ref *ref, int width);

/**
 * A short state for the status line: "resolving… 3 to go", "done: 1 error, 2 warnings",
 * "done: no problems found".
 * \param[out] buf     destination (printable text)
 * \param[in]  buflen  size of buf in bytes
 * \param[in]  p       the plan, or NULL
 * \return the pane style that fits it (PANE_DIM, PANE_OK, PANE_WARN or PANE_ERR).
 */
int mxview_state(char *buf, size_t buflen, const struct mxplan *p);

#endif
