/*
 * view.h -- the lookup view's content: one server's reply turned into pane lines (internal to
 * src/ui/).
 *
 * Reads the model only through its public structs and getters (engine/lookup.h) and turns
 * every network string into text with dns/rrtext.h or dns/escape.h; nothing here draws. The
 * header pane holds the transport facts, the header (opcode, rcode, ID, flags, counts) and
 * EDNS; the sections pane holds the question, answer, authority and additional sections in
 * aligned columns (owner, TTL, class, type, rdata).
 *
 * Explain mode ('e') needs to know what each line shows: the builders can also fill a list of
 * items (struct view_items), each a stretch of columns of one line and the explanation of
 * what is there (dns/explain.h): the server line's transport facts, the opcode, rcode, ID and
 * each flag, each count, the EDNS fields, each option and Extended DNS Error, the banners,
 * every section heading and, on each RR row, the owner, TTL, class, type and rdata (an SOA's
 * rdata as its seven fields). Every line the builders make has at least one item.
 */
#ifndef DNSDECK_UI_VIEW_H
#define DNSDECK_UI_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "dns/explain.h"
#include "dns/query.h"
#include "engine/lookup.h"
#include "ui/pane.h"

/** How long a change stays highlighted after the reply that brought it, in ms. */
#define VIEW_CHANGE_MS 30000

/** The moment a view is built for: TTL countdowns are relative to it. */
struct view_clock {
	int64_t now_ms;           /**< CLOCK_MONOTONIC now, ms (dns/ttl.h) */
	struct timespec now_wall; /**< CLOCK_REALTIME now, for "at HH:MM:SS" */
	bool autoreask;           /**< expired answers are asked again ('a') */
};

/** A stretch of one pane line and the explanation of what it shows. */
struct view_item {
	size_t line;              /**< the line's index in its pane's lines */
	int col;                  /**< first column it covers on that line */
	int width;                /**< columns it covers (1 or more) */
	const struct explain *ex; /**< what it means, with its RFC (never NULL) */
	bool first;               /**< the item explained first when the line is selected */
};

/** The items of a pane's lines, in line order and left to right within a line. */
struct view_items {
	struct view_item *v;
	size_t n, cap;
};

/** Free the items (the struct is the caller's, left empty). */
void view_items_clear(struct view_items *it);

/**
 * The items of one line.
 * \param[in]  it     the items
 * \param[in]  line   the line's index
 * \param[out] start  index in it->v of the line's first item (0 when it has none)
 * \param[out] first  which of the line's items to explain first (0 when none is marked)
 * \return how many items the line has.
 */
size_t view_items_of(const struct view_items *it, size_t line, size_t *start, size_t *first);

/**
 * The TTL columns of an RR: seconds left and the human form ("29s", "1h02m03s", "expired").
 * \param[out] secs   seconds left (decimal), at least 12 bytes
 * \param[out] human  human form, at least 16 bytes
 * \param[in]  ttl    TTL as received, seconds
 * \param[in]  rx_ms  when the reply arrived (monotonic ms)
 * \param[in]  now_ms now (monotonic ms)
 * \return the style for the human form (PANE_WARN when expired, else PANE_DIM).
 */
int view_ttl_cells(char *secs, char *human, uint32_t ttl, int64_t rx_ms, int64_t now_ms);

/**
 * Build the header pane of one reply.
 * \param[out] out    receives the lines (appended; clear it first)
 * \param[out] items  receives the explain items of those lines (appended; clear it first), or
 *                    NULL when they are not wanted
 * \param[in]  r      the reply
 * \param[in]  width  columns available, for wrapping fields and sizing banners
 * \param[in]  clk    now, for the cache line (when the answer expires, re-asking)
 * \return 0, or -1 when memory runs out (what was built is kept).
 */
int view_header(struct pane_lines *out, struct view_items *items, const struct lookup_reply *r,
                int width, const struct view_clock *clk);

/**
 * Build the sections pane of one reply and the column titles that go above it.
 * \param[out] out    receives the lines (appended; clear it first)
 * \param[out] title  receives the column titles, aligned with the rows (clear it first)
 * \param[out] items  receives the explain items of the lines (appended; clear it first), or
 *                    NULL when they are not wanted
 * \param[in]  r      the reply
 * \param[in]  q      the question asked (shown while there is no reply)
 * \param[in]  width  columns available (caps the owner column)
 * \param[in]  clk    now: the TTL column counts down from the reply's arrival, and RRs added
 *                    by the latest reply (and removed ones) are marked for VIEW_CHANGE_MS
 * \return 0, or -1 when memory runs out.
 */
int view_sections(struct pane_lines *out, struct pane_line *title, struct view_items *items,
                  const struct lookup_reply *r, const struct query_spec *q, int width,
                  const struct view_clock *clk);

/**
 * A short state for the status line and the server tabs: "waiting…", "NOERROR 0.4 ms",
 * "timed out", ...
 * \param[out] buf     destination (printable text)
 * \param[in]  buflen  size of buf in bytes
 * \param[in]  r       the reply
 * \return the pane style that fits it (PANE_OK, PANE_WARN, PANE_ERR or PANE_DIM).
 */
int view_state(char *buf, size_t buflen, const struct lookup_reply *r);

/**
 * The server as shown: "127.0.53.53#53", or "ns1.example.test (127.0.53.1#53)".
 * \param[out] buf     destination (escaped, printable)
 * \param[in]  buflen  size of buf in bytes
 * \return buf.
 */
char *view_server(char *buf, size_t buflen, const struct lookup_reply *r);

#endif
