/*
 * propview.h -- the comparison view's content: a propagation comparison turned into pane
 * lines (internal to src/ui/).
 *
 * Reads the comparison only through engine/prop.h (its getters and public structs); every
 * string in the model is escaped ASCII already, and it still reaches the screen only through
 * the pane's wide-character drawing. Nothing here draws. The view has four parts:
 *   title  "Propagation of example.test. MX  4 servers" (the bar above the view)
 *   head   the summary ("consistent: ..." or "3 of 7 servers differ: ..."), the discovery
 *          line when the zone's servers were discovered (--auth), and the answer groups
 *          (numbered from 1, largest first, "*" on the majority, as the text output does)
 *   table  a line per server (or two and more, its answer below, on a narrow screen), and
 *          the column titles above them: marks, the outlier marker "!", server, address,
 *          status, AA and RA, RTT, SOA serial (newest / behind), TTL, group, discarded
 *          datagrams, compact answer
 *   diff   what 'd' shows for two marked rows: both rows, then the RRs only in the first
 *          ("-") and only in the second ("+"), compared canonically (prop_diff)
 */
#ifndef DNSDECK_UI_PROPVIEW_H
#define DNSDECK_UI_PROPVIEW_H

#include <stddef.h>
#include "engine/prop.h"
#include "ui/pane.h"
#include "ui/view.h"

/** At most this many rows can be marked for a diff. */
#define PROPVIEW_MARKS 2

/**
 * Build the title: "Propagation of <name> <type>  <n> servers".
 * \param[out] out  receives the segments (appended; clear it first)
 * \param[in]  p    the comparison, or NULL (then "Propagation comparison" alone)
 * \return 0, or -1 when memory runs out.
 */
int propview_title(struct pane_line *out, const struct prop *p);

/**
 * Build the head: the summary sentence, the discovery line (with --auth) and one line per
 * answer group ("group 1*  majority  3 servers  10 mx1.example.test., ..."), wrapped to
 * width.
 * \param[out] out       receives the lines (appended; clear it first)
 * \param[out] nsummary  receives how many of them the summary takes (the lines that matter
 *                       most: a small screen shows those first)
 * \param[in]  p         the comparison
 * \param[in]  width     columns available
 * \param[in]  clk       now: "all caches agree by HH:MM:SS" when caching resolvers still
 *                       hold a copy that differs from the authoritative servers' newest
 * \return 0, or -1 when memory runs out (what was built is kept).
 */
int propview_head(struct pane_lines *out, size_t *nsummary, const struct prop *p, int width,
                  const struct view_clock *clk);

/**
 * Build the table: the lines of every row, in row order, in aligned columns, and the column
 * titles aligned with them. A row is one line while every answer fits beside the other
 * columns in width; else its answer goes on the lines below it, wrapped between RRs. With
 * one line per row out->frozen is set to the columns that name the server (they stay put
 * when the table scrolls sideways).
 * \param[out] out     receives the lines (appended; clear it first)
 * \param[out] rows    receives a newly allocated array with the row of each line of out
 *                     (caller frees); NULL when out has no lines or memory ran out
 * \param[out] cols    receives the column titles (appended; clear it first)
 * \param[in]  p       the comparison
 * \param[in]  marks   the marked rows, in the order they were marked (shown as "-" and "+",
 *                     the diff's sides)
 * \param[in]  nmarks  how many (at most PROPVIEW_MARKS)
 * \param[in]  width   columns available
 * \param[in]  clk     now: the TTL column counts down (the cache lifetime, RFC 2308 §5 for
 *                     negative answers) and stale caches show "stale until HH:MM:SS"
 * \return 0, or -1 when memory runs out (what was built is kept, each line with its row).
 */
int propview_table(struct pane_lines *out, size_t **rows, struct pane_line *cols,
                   const struct prop *p, const size_t *marks, size_t nmarks, int width,
                   const struct view_clock *clk);

/**
 * Build the diff of rows a and b (what 'd' shows), wrapped to width.
 * \param[out] out    receives the lines (appended; clear it first)
 * \param[out] title  receives the title segments (appended; clear it first)
 * \param[in]  p      the comparison
 * \param[in]  a      the first marked row ("-" lines: RRs only in its answer)
 * \param[in]  b      the second marked row ("+" lines: RRs only in its answer)
 * \param[in]  width  columns available
 * \return 1 when built, 0 when a or b is out of range, -1 when memory runs out.
 */
int propview_diff(struct pane_lines *out, struct pane_line *title, const struct prop *p, size_t a,
                  size_t b, int width);

/**
 * A short state for the status line: "asking… 3 of 5 answered", "done: consistent",
 * "done: 1 outlier, 3 behind".
 * \param[out] buf     destination (printable text)
 * \param[in]  buflen  size of buf in bytes
 * \param[in]  p       the comparison, or NULL
 * \return the pane style that fits it (PANE_DIM, PANE_OK or PANE_WARN).
 */
int propview_state(char *buf, size_t buflen, const struct prop *p);

/**
 * The row's status as the table shows it: "answer", "NXDOMAIN", "NODATA", "SERVFAIL",
 * "REFUSED", the rcode's name, "timeout", "unreachable", "error", "pending…" (the words of
 * the text output, out/proptext.c).
 * \param[out] buf     destination (printable text)
 * \param[in]  buflen  size of buf in bytes
 * \param[in]  r       the row
 * \return the pane style that fits it.
 */
int propview_status(char *buf, size_t buflen, const struct prop_row *r);

#endif
