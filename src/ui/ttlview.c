/*
 * ttlview.c -- the TTL pane (see ttlview.h).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "dns/ttl.h"
#include "ui/ttlview.h"

static int ttlv_max(int a, const char *s)
{
	int w = pane_textwidth(s);

	return w > a ? w : a;
}

int ttlview_title(struct pane_line *out, const struct ttl_table *t, const struct view_clock *clk)
{
	size_t n = t ? ttl_table_count(t) : 0, expired = 0;
	int r = 0;

	for (size_t i = 0; i < n; i++)
		expired += ttl_table_at(t, i)->expiry_ms <= clk->now_ms;
	r |= pane_line_add(out, PANE_NORMAL, "TTL");
	r |= pane_line_add(out, PANE_DIM, "  %zu RRset%s seen, soonest expiry first", n,
	                   n == 1 ? "" : "s");
	if (expired)
		r |= pane_line_add(out, PANE_WARN, "  %zu expired", expired);
	return r ? -1 : 0;
}

int ttlview_lines(struct pane_lines *out, struct pane_line *cols, const struct ttl_table *t,
                  const struct view_clock *clk)
{
	size_t n = t ? ttl_table_count(t) : 0;
	int wl = 7, wt = 3, ws = 6, wo = 5, wy = 4, err = 0;
	char secs[12], human[16], at[16];

	for (size_t i = 0; i < n; i++) {
		const struct ttl_entry *e = ttl_table_at(t, i);
		char d[12];

		snprintf(d, sizeof(d), "%lu", (unsigned long)e->ttl);
		wt = ttlv_max(wt, d);
		wl = ttlv_max(wl, ttl_human(human, sizeof(human), e->ttl));
		ws = ttlv_max(ws, e->server);
		wo = ttlv_max(wo, e->owner);
		wy = ttlv_max(wy, e->type);
	}
	wo = wo > 40 ? 40 : wo;
	err |= pane_line_addw(cols, PANE_NORMAL, wl, false, "LEFT");
	err |= pane_line_add(cols, PANE_NORMAL, "  ");
	err |= pane_line_addw(cols, PANE_NORMAL, wt, true, "TTL");
	err |= pane_line_add(cols, PANE_NORMAL, "  EXPIRES   ");
	err |= pane_line_addw(cols, PANE_NORMAL, ws, false, "SERVER");
	err |= pane_line_add(cols, PANE_NORMAL, "  ");
	err |= pane_line_addw(cols, PANE_NORMAL, wo, false, "OWNER");
	err |= pane_line_add(cols, PANE_NORMAL, "  ");
	err |= pane_line_addw(cols, PANE_NORMAL, wy, false, "TYPE");
	err |= pane_line_add(cols, PANE_NORMAL, "  DATA");
	if (n == 0) {
		struct pane_line *l = pane_lines_add(out);

		if (l == NULL)
			return -1;
		err |= pane_line_add(
		    l, PANE_DIM, "no RRsets yet: every reply this session receives is listed here");
	}
	for (size_t i = 0; i < n; i++) {
		const struct ttl_entry *e = ttl_table_at(t, i);
		struct pane_line *l = pane_lines_add(out);
		int style;

		if (l == NULL)
			return -1;
		style = view_ttl_cells(secs, human, e->ttl, e->rx_ms, clk->now_ms);
		ttl_clock_text(at, sizeof(at), e->expiry_ms, clk->now_ms, &clk->now_wall);
		err |= pane_line_addw(l, style == PANE_WARN ? PANE_WARN : PANE_VALUE, wl, false,
		                      human);
		err |= pane_line_add(l, PANE_NORMAL, "  ");
		err |= pane_line_addw(l, PANE_NORMAL, wt, true, secs);
		err |= pane_line_add(l, PANE_NORMAL, "  ");
		err |= pane_line_addw(l, PANE_DIM, 8, false, at);
		err |= pane_line_add(l, PANE_NORMAL, "  ");
		err |= pane_line_addw(l, PANE_DIM, ws, false, e->server);
		err |= pane_line_add(l, PANE_NORMAL, "  ");
		err |= pane_line_addw(l, PANE_OWNER, wo, false, e->owner);
		err |= pane_line_add(l, PANE_NORMAL, "  ");
		err |= pane_line_addw(l, PANE_TYPE, wy, false, e->type);
		err |= pane_line_add(l, PANE_NORMAL, "  ");
		err |= pane_line_add(l, e->negative ? PANE_WARN : PANE_VALUE, "%s", e->rdata);
	}
	out->frozen = wl + 2 + wt + 2 + 8 + 2;
	pane_lines_measure(out);
	return err ? -1 : 0;
}
