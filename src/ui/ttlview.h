/*
 * ttlview.h -- the TTL pane ('T'): every RRset the session has received, soonest expiry
 * first, each with its live countdown (internal to src/ui/).
 *
 * Reads engine/ttltable.h only; every string in the table is already escaped. The rows:
 *   LEFT      time left in human form ("41m12s", "expired")
 *   TTL       seconds left
 *   EXPIRES   wall-clock time it runs out (HH:MM:SS)
 *   SERVER    who sent it
 *   OWNER TYPE and the RRset's data (or NXDOMAIN / NODATA for a negative answer, RFC 2308)
 */
#ifndef DNSDECK_UI_TTLVIEW_H
#define DNSDECK_UI_TTLVIEW_H

#include "engine/ttltable.h"
#include "ui/pane.h"
#include "ui/view.h"

/**
 * Build the TTL pane's lines and its column titles.
 * \param[out] out    receives the lines (appended; clear it first)
 * \param[out] cols   receives the column titles (appended; clear it first)
 * \param[in]  t      the table (may be NULL: an empty pane that says so)
 * \param[in]  clk    now
 * \return 0, or -1 when memory runs out (what was built is kept).
 */
int ttlview_lines(struct pane_lines *out, struct pane_line *cols, const struct ttl_table *t,
                  const struct view_clock *clk);

/**
 * The pane's title: "TTL  12 RRsets, soonest expiry first  3 expired".
 * \return 0, or -1 when memory runs out.
 */
int ttlview_title(struct pane_line *out, const struct ttl_table *t, const struct view_clock *clk);

#endif
