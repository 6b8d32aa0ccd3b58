/*
 * propview.c -- a propagation comparison as pane lines: title, head, table, diff (see
 * propview.h).
 *
 * The model's strings are escaped ASCII already; our own literals may hold UTF-8 ("…").
 * Widths are measured in columns (pane_textwidth), never in bytes. The table is one line per
 * server and never wraps: a long answer runs off to the right and the table scrolls sideways
 * under the frozen server columns, so the row under the cursor stays one line.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dns/rrtext.h"
#include "dns/ttl.h"
#include "ui/propview.h"

/* Columns between two table columns. */
#define PRV_GAP 2
/* Head: at most this many groups get a line each; the rest are counted. */
#define PRV_HEAD_GROUPS 8

/* Builds lines, and for the table the row each line belongs to. */
struct prb {
	struct pane_builder pb; /* first: prb_newline() gets the prb back from it */
	bool want_rows;         /* keep rows[] as long as pb.out */
	size_t *rows;           /* the row of each line of pb.out */
	size_t cap;
	size_t row; /* the row the next line belongs to */
};

static struct pane_line *prb_line(struct prb *b)
{
	struct pane_line *l = pane_builder_line(&b->pb);

	if (!l)
		return NULL;
	if (b->want_rows) {
		struct pane_lines *out = b->pb.out;

		if (out->n > b->cap) {
			size_t cap = b->cap ? b->cap * 2 : 64;
			size_t *v;

			while (cap < out->n)
				cap *= 2;
			v = realloc(b->rows, cap * sizeof(*v));
			if (!v) {
				/* Without its row the line cannot stay: the two must match. */
				out->n--;
				pane_line_clear(l);
				b->pb.err = -1;
				return NULL;
			}
			b->rows = v;
			b->cap = cap;
		}
		b->rows[out->n - 1] = b->row;
	}
	return l;
}

/* Continuation lines of pane_builder_wrap() belong to the current row (ctx is unused). */
static struct pane_line *prb_newline(struct pane_builder *pb, const void *ctx)
{
	(void)ctx;
	/* pb is the first member of a struct prb (C11 6.7.2.1). */
	return prb_line((struct prb *)pb);
}

/*
 * Like pane_builder_wrap(), but breaks only between the items of a compact answer
 * ("10 mx1., 20 mx2.") where it can, so that an RR's rdata stays in one piece.
 */
static void prb_wrap_items(struct prb *b, struct pane_line *l, int indent, int style,
                           const char *text)
{
	const char *s = text ? text : "";

	while (l && *s) {
		const char *e = strstr(s, ", ");
		size_t len = e ? (size_t)(e - s) + 1 : strlen(s); /* with its comma */
		int w = pane_width_n(s, len);
		bool lead = l->width > indent;
		int room = b->pb.width - l->width - (lead ? 1 : 0);

		if (w > room && lead) {
			l = prb_line(b);
			if (!l)
				return;
			pane_builder_addw(&b->pb, l, PANE_NORMAL, indent, false, "");
			lead = false;
			room = b->pb.width - indent;
		}
		if (w > room) {
			char *item = strndup(s, len);

			if (!item) {
				b->pb.err = -1;
				return;
			}
			l = pane_builder_wrap(&b->pb, l, indent, style, item, NULL);
			free(item);
		} else {
			pane_builder_add(&b->pb, l, style, "%s%.*s", lead ? " " : "", (int)len, s);
		}
		s += len;
		while (*s == ' ')
			s++;
	}
}

/* ---- small helpers ---------------------------------------------------------------------- */

/*
 * A group's name as the text output writes it (out/proptext.c): numbered from 1, largest
 * first, "*" on the majority; "-" for no group.
 */
static void prv_group_name(char *buf, size_t len, const struct prop *p, int g)
{
	const struct prop_group *pg =
	    g >= 0 && (size_t)g < prop_ngroups(p) ? prop_group(p, (size_t)g) : NULL;

	if (!pg)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%d%s", g + 1, pg->majority ? "*" : "");
}

/* The server as the user named it: the label without its '@', else the address. */
static const char *prv_server(const struct prop_row *r)
{
	const char *l = r->server.label;

	if (l && *l == '@')
		l++;
	return l && *l ? l : r->addr;
}

/* The label says no more than the address ("127.0.53.1" for "127.0.53.1#53"). */
static bool prv_label_is_addr(const struct prop_row *r)
{
	const char *l = prv_server(r), *hash = strrchr(r->addr, '#');
	size_t n = hash ? (size_t)(hash - r->addr) : strlen(r->addr);

	if (strcmp(l, r->addr) == 0 || *r->addr == '\0')
		return true;
	if (strlen(l) == n && strncmp(l, r->addr, n) == 0 && hash && strcmp(hash, "#53") == 0)
		return true;
	/* "[::1]" for "::1#53" */
	return *l == '[' && strlen(l) == n + 2 && strncmp(l + 1, r->addr, n) == 0 && hash &&
	       strcmp(hash, "#53") == 0;
}

/* A row that has a reply to show (not pending, not a failure). */
static bool prv_answered(const struct prop_row *r)
{
	return r->status == PROP_ANSWER || r->status == PROP_NODATA || r->status == PROP_NXDOMAIN;
}

int propview_status(char *buf, size_t buflen, const struct prop_row *r)
{
	char rc[32];

	switch (r->status) {
	case PROP_PENDING:
		snprintf(buf, buflen, "pending%s", pane_glyph(PANE_G_ELLIPSIS));
		return PANE_DIM;
	case PROP_ANSWER:
		snprintf(buf, buflen, "answer");
		return PANE_OK;
	case PROP_NODATA:
		snprintf(buf, buflen, "NODATA");
		return PANE_WARN;
	case PROP_NXDOMAIN:
		snprintf(buf, buflen, "NXDOMAIN");
		return PANE_WARN;
	case PROP_SERVFAIL:
		snprintf(buf, buflen, "SERVFAIL");
		return PANE_ERR;
	case PROP_REFUSED:
		snprintf(buf, buflen, "REFUSED");
		return PANE_ERR;
	case PROP_OTHER_RCODE:
		if (r->pkt)
			snprintf(buf, buflen, "%s",
			         rrtext_rcode(rc, sizeof(rc), rrtext_pkt_rcode(r->pkt)));
		else
			snprintf(buf, buflen, "rcode");
		return PANE_ERR;
	case PROP_TIMEOUT:
		snprintf(buf, buflen, "timeout");
		return PANE_ERR;
	case PROP_UNREACHABLE:
		snprintf(buf, buflen, "unreachable");
		return PANE_ERR;
	case PROP_ERROR:
	default:
		snprintf(buf, buflen, "error");
		return PANE_ERR;
	}
}

/* Any row behind the newest serial: only then are "newest" and "behind" worth a word. */
static bool prv_any_behind(const struct prop *p)
{
	for (size_t i = 0; i < prop_nrows(p); i++) {
		const struct prop_row *r = prop_row(p, i);

		if (r && r->behind)
			return true;
	}
	return false;
}

/* ---- title and head --------------------------------------------------------------------- */

int propview_title(struct pane_line *out, const struct prop *p)
{
	const struct query_spec *q;
	char *name;
	char type[32];
	size_t n;
	int r = 0;

	if (!p)
		return pane_line_add(out, PANE_NORMAL, "Propagation comparison");
	q = prop_question(p);
	name = q && q->qname ? rrtext_dname(q->qname) : NULL;
	n = prop_nrows(p);
	r |= pane_line_add(out, PANE_NORMAL, "Propagation of ");
	r |= pane_line_add(out, PANE_NORMAL, "%s %s", name ? name : "?",
	                   q ? rrtext_type(type, sizeof(type), q->qtype) : "?");
	r |= pane_line_add(out, PANE_NORMAL, "  %zu server%s", n, n == 1 ? "" : "s");
	free(name);
	return r ? -1 : 0;
}

/* The style of the summary: agreement is good news, any difference is worth a look. */
static int prv_summary_style(const struct prop *p)
{
	for (size_t i = 0; i < prop_nrows(p); i++) {
		const struct prop_row *r = prop_row(p, i);

		if (r && r->status != PROP_PENDING && (r->outlier || r->behind))
			return PANE_WARN;
	}
	return prop_done(p) ? PANE_OK : PANE_DIM;
}

int propview_head(struct pane_lines *out, size_t *nsummary, const struct prop *p, int width,
                  const struct view_clock *clk)
{
	int64_t agree;
	struct prb b = {.want_rows = false};
	struct pane_line *l;
	const char *sum = prop_summary(p), *disc = prop_discovery(p);
	size_t ng = prop_ngroups(p), shown = 0;
	int nw = 1, sw = 1, style = prv_summary_style(p);

	pane_builder_init(&b.pb, out, width, prb_newline);
	l = prb_line(&b);
	pane_builder_add(&b.pb, l, style, "%s ",
	                 style == PANE_OK     ? "="
	                 : style == PANE_WARN ? "!"
	                                      : " ");
	pane_builder_wrap(&b.pb, l, 2, style, sum ? sum : "", NULL);
	if (clk && prop_caches_agree_by(p, &agree)) {
		char until[48];

		ttl_until_text(until, sizeof(until), agree, clk->now_ms, &clk->now_wall);
		l = prb_line(&b);
		pane_builder_add(&b.pb, l, agree > clk->now_ms ? PANE_CHANGED : PANE_WARN,
		                 "  all caches agree by %s%s", until,
		                 agree > clk->now_ms ? ": stale copies expire" : ": r asks again");
	}
	*nsummary = out->n;
	if (disc) {
		l = prb_line(&b);
		pane_builder_add(&b.pb, l, PANE_LABEL, "  discovery:");
		pane_builder_wrap(&b.pb, l, 4, PANE_VALUE, disc, NULL);
	}
	for (size_t g = 0; g < ng; g++) {
		const struct prop_group *pg = prop_group(p, g);
		char name[16], size[32];

		if (!pg)
			continue;
		prv_group_name(name, sizeof(name), p, (int)g);
		snprintf(size, sizeof(size), "%zu server%s", pg->size, pg->size == 1 ? "" : "s");
		nw = pane_textwidth(name) > nw ? pane_textwidth(name) : nw;
		sw = pane_textwidth(size) > sw ? pane_textwidth(size) : sw;
	}
	for (size_t g = 0; g < ng; g++) {
		const struct prop_group *pg = prop_group(p, g);
		char name[16], size[32];
		int ind;

		if (!pg)
			continue;
		if (shown == PRV_HEAD_GROUPS && ng > PRV_HEAD_GROUPS + 1) {
			l = prb_line(&b);
			pane_builder_add(&b.pb, l, PANE_DIM,
			                 "  %zu more groups (the GRP column names them)",
			                 ng - shown);
			break;
		}
		prv_group_name(name, sizeof(name), p, (int)g);
		snprintf(size, sizeof(size), "%zu server%s", pg->size, pg->size == 1 ? "" : "s");
		l = prb_line(&b);
		pane_builder_add(&b.pb, l, PANE_LABEL, "  group ");
		pane_builder_addw(&b.pb, l, pg->majority ? PANE_OK : PANE_WARN, nw, false, name);
		pane_builder_add(&b.pb, l, PANE_NORMAL, "  ");
		pane_builder_addw(&b.pb, l, pg->majority ? PANE_OK : PANE_WARN, 8, false,
		                  pg->majority ? "majority" : "outlier");
		pane_builder_add(&b.pb, l, PANE_NORMAL, "  ");
		pane_builder_addw(&b.pb, l, PANE_DIM, sw, true, size);
		pane_builder_add(&b.pb, l, PANE_NORMAL, "  ");
		ind = 8 + nw + 2 + 8 + 2 + sw + 2;
		pane_builder_wrap(&b.pb, l, ind, pg->majority ? PANE_VALUE : PANE_WARN,
		                  pg->answer && *pg->answer ? pg->answer : "(empty)", NULL);
		shown++;
	}
	pane_lines_measure(out);
	return b.pb.err;
}

int propview_state(char *buf, size_t buflen, const struct prop *p)
{
	size_t n, answered = 0, outliers = 0, behind = 0;
	int len;

	if (!p) {
		snprintf(buf, buflen, "no comparison");
		return PANE_DIM;
	}
	n = prop_nrows(p);
	for (size_t i = 0; i < n; i++) {
		const struct prop_row *r = prop_row(p, i);

		if (!r || r->status == PROP_PENDING)
			continue;
		answered++;
		outliers += r->outlier;
		behind += r->behind;
	}
	if (!prop_done(p)) {
		snprintf(buf, buflen, "asking%s %zu of %zu answered", pane_glyph(PANE_G_ELLIPSIS),
		         answered, n);
		return PANE_DIM;
	}
	if (outliers == 0 && behind == 0 && prop_consistent(p)) {
		snprintf(buf, buflen, "done: consistent");
		return PANE_OK;
	}
	len = snprintf(buf, buflen, "done:");
	if (outliers && len >= 0 && (size_t)len < buflen)
		len += snprintf(buf + len, buflen - (size_t)len, " %zu outlier%s%s", outliers,
		                outliers == 1 ? "" : "s", behind ? "," : "");
	if (behind && len >= 0 && (size_t)len < buflen)
		snprintf(buf + len, buflen - (size_t)len, " %zu behind", behind);
	return PANE_WARN;
}

/* ---- table ------------------------------------------------------------------------------ */

/* The cells of one row, before layout. */
struct prv_cells {
	char mark[24];
	char server[256];
	char status[48];
	int status_style;
	char flags[8];
	char rtt[32];
	char serial[48];
	int serial_style;
	char ttl[16];
	char group[16];
	char disc[16];
	char stale[80]; /* "stale until 11:52:03 (in 41m12s)" for a stale cache, else "" */
};

/* Column widths. */
struct prv_cols {
	int server, addr, status, rtt, serial, ttl, group, disc;
	bool show_addr, show_disc;
};

static void prv_cells(struct prv_cells *c, const struct prop *p, const struct prop_row *r, size_t i,
                      const size_t *marks, size_t nmarks, bool any_behind,
                      const struct view_clock *clk)
{
	int64_t exp;
	memset(c, 0, sizeof(*c));
	/* The first marked row is the diff's "-" side, the second its "+" side. */
	snprintf(c->mark, sizeof(c->mark), " ");
	for (size_t k = 0; k < nmarks; k++)
		if (marks[k] == i)
			snprintf(c->mark, sizeof(c->mark), "%s", k == 0 ? "-" : "+");
	snprintf(c->server, sizeof(c->server), "%s", prv_server(r));
	c->status_style = propview_status(c->status, sizeof(c->status), r);
	if (r->pkt)
		snprintf(c->flags, sizeof(c->flags), "%s %s", r->aa ? "aa" : "--",
		         r->ra ? "ra" : "--");
	if (r->pkt && r->net)
		pane_ms(c->rtt, sizeof(c->rtt), r->rtt_ms);
	c->serial_style = PANE_VALUE;
	if (r->have_serial) {
		snprintf(c->serial, sizeof(c->serial), "%lu%s", (unsigned long)r->serial,
		         !any_behind ? ""
		         : r->behind ? " behind"
		                     : " newest");
		if (any_behind)
			c->serial_style = r->behind ? PANE_WARN : PANE_OK;
	} else if (r->soa_pending) {
		snprintf(c->serial, sizeof(c->serial), "%s", pane_glyph(PANE_G_ELLIPSIS));
		c->serial_style = PANE_DIM;
	} else if (r->status != PROP_PENDING) {
		snprintf(c->serial, sizeof(c->serial), "-");
		c->serial_style = PANE_DIM;
	}
	if (r->have_cache_ttl && clk && r->net) {
		char human[16];
		view_ttl_cells(c->ttl, human, r->cache_ttl, ttl_ts_ms(&r->net->rx_mono),
		               clk->now_ms);
	} else if (r->have_cache_ttl) {
		snprintf(c->ttl, sizeof(c->ttl), "%lu", (unsigned long)r->cache_ttl);
	}
	if (r->stale && clk && prop_row_expiry(r, &exp)) {
		char until[48];
		snprintf(c->stale, sizeof(c->stale), "stale until %s",
		         ttl_until_text(until, sizeof(until), exp, clk->now_ms, &clk->now_wall));
	}
	if (r->status != PROP_PENDING)
		prv_group_name(c->group, sizeof(c->group), p, r->group);
	if (r->discarded)
		snprintf(c->disc, sizeof(c->disc), "%u", r->discarded);
}

static int prv_max(int a, const char *s)
{
	int w = pane_textwidth(s);

	return w > a ? w : a;
}

static void prv_title_cell(struct prb *b, struct pane_line *l, int width, bool right,
                           const char *text, bool gap)
{
	pane_builder_addw(&b->pb, l, PANE_NORMAL, width, right, text);
	if (gap)
		pane_builder_addw(&b->pb, l, PANE_NORMAL, PRV_GAP, false, "");
}

/*
 * The answer cell of a row: the compact answer, why there is none, or that it is still out.
 * Returns its style; *text is the model's string or buf.
 */
static int prv_answer(const struct prop_row *r, const struct prv_cells *c, char *buf, size_t len,
                      const char **text)
{
	const char *e;

	*text = buf;
	*buf = '\0';
	if (r->status == PROP_PENDING) {
		snprintf(buf, len, "waiting for a reply%s", pane_glyph(PANE_G_ELLIPSIS));
		return PANE_DIM;
	}
	if (r->group < 0 || !r->answer) {
		e = r->error ? r->error : "no usable reply";
		/* The status says it already: say what it does not, or nothing. */
		if (r->status == PROP_TIMEOUT && r->net && r->net->tries > 0)
			snprintf(buf, len, "no reply after %u tr%s", r->net->tries,
			         r->net->tries == 1 ? "y" : "ies");
		else if (strcasecmp(e, c->status) != 0)
			*text = e;
		return PANE_ERR;
	}
	*text = r->answer;
	return r->outlier || r->status != PROP_ANSWER ? PANE_WARN : PANE_NORMAL;
}

/* The cells of row i left of the answer, in the widths of w. */
static void prv_row_cells(struct prb *b, struct pane_line *l, const struct prop_row *r,
                          const struct prv_cells *c, const struct prv_cols *w, bool last_gap)
{
	bool done = r->status != PROP_PENDING;
	bool failed = done && r->group < 0;
	const char *sep = "  ";

	pane_builder_add(&b->pb, l, PANE_KEY, "%s", c->mark);
	pane_builder_add(&b->pb, l, PANE_NORMAL, " ");
	/* The marker keeps outliers apart in monochrome and in a screen capture too. */
	pane_builder_add(&b->pb, l, failed ? PANE_ERR : PANE_WARN, "%s",
	                 done && r->outlier ? "!" : " ");
	pane_builder_add(&b->pb, l, PANE_NORMAL, " ");
	pane_builder_addw(&b->pb, l, done ? PANE_VALUE : PANE_NORMAL, w->server, false, c->server);
	pane_builder_add(&b->pb, l, PANE_NORMAL, "%s", sep);
	if (w->show_addr) {
		pane_builder_addw(&b->pb, l, PANE_DIM, w->addr, false, r->addr);
		pane_builder_add(&b->pb, l, PANE_NORMAL, "%s", sep);
	}
	pane_builder_addw(&b->pb, l, c->status_style, w->status, false, c->status);
	pane_builder_add(&b->pb, l, PANE_NORMAL, "%s", sep);
	if (r->pkt) {
		pane_builder_add(&b->pb, l, r->aa ? PANE_ON : PANE_OFF, "%s", r->aa ? "aa" : "--");
		pane_builder_add(&b->pb, l, PANE_NORMAL, " ");
		pane_builder_add(&b->pb, l, r->ra ? PANE_ON : PANE_OFF, "%s", r->ra ? "ra" : "--");
	} else {
		pane_builder_addw(&b->pb, l, PANE_NORMAL, 5, false, "");
	}
	pane_builder_add(&b->pb, l, PANE_NORMAL, "%s", sep);
	pane_builder_addw(&b->pb, l, PANE_NORMAL, w->rtt, true, c->rtt);
	pane_builder_add(&b->pb, l, PANE_NORMAL, "%s", sep);
	pane_builder_addw(&b->pb, l, c->serial_style, w->serial, false, c->serial);
	pane_builder_add(&b->pb, l, PANE_NORMAL, "%s", sep);
	pane_builder_addw(&b->pb, l, PANE_NORMAL, w->ttl, true, c->ttl);
	pane_builder_add(&b->pb, l, PANE_NORMAL, "%s", sep);
	pane_builder_addw(&b->pb, l,
	                  !done || failed ? PANE_DIM
	                  : r->outlier    ? PANE_WARN
	                                  : PANE_OK,
	                  w->group, false, c->group);
	if (w->show_disc) {
		pane_builder_add(&b->pb, l, PANE_NORMAL, "%s", sep);
		pane_builder_addw(&b->pb, l, r->discarded ? PANE_WARN : PANE_NORMAL, w->disc, true,
		                  c->disc);
	}
	if (last_gap)
		pane_builder_add(&b->pb, l, PANE_NORMAL, "%s", sep);
}

/* Columns from the left edge to the answer column. */
static int prv_fixed_width(const struct prv_cols *w)
{
	int x = 4 + w->server + PRV_GAP;

	x += w->show_addr ? w->addr + PRV_GAP : 0;
	x += w->status + PRV_GAP + 5 + PRV_GAP + w->rtt + PRV_GAP + w->serial + PRV_GAP + w->ttl +
	     PRV_GAP + w->group + PRV_GAP;
	x += w->show_disc ? w->disc + PRV_GAP : 0;
	return x;
}

int propview_table(struct pane_lines *out, size_t **rows, struct pane_line *cols,
                   const struct prop *p, const size_t *marks, size_t nmarks, int width,
                   const struct view_clock *clk)
{
	struct prb b = {.want_rows = true};
	size_t n = prop_nrows(p);
	struct prv_cols w = {.server = 6,
	                     .addr = 7,
	                     .status = 6,
	                     .rtt = 3,
	                     .serial = 6,
	                     .ttl = 3,
	                     .group = 3,
	                     .disc = 4};
	struct prv_cells c;
	bool any_behind = prv_any_behind(p), below;
	int answer_w = 6;

	pane_builder_init(&b.pb, out, width, prb_newline);
	*rows = NULL;
	if (nmarks > PROPVIEW_MARKS)
		nmarks = PROPVIEW_MARKS;
	for (size_t i = 0; i < n; i++) {
		const struct prop_row *r = prop_row(p, i);
		char buf[96];
		const char *text;

		if (!r)
			continue;
		prv_cells(&c, p, r, i, marks, nmarks, any_behind, clk);
		w.server = prv_max(w.server, c.server);
		w.addr = prv_max(w.addr, r->addr);
		w.status = prv_max(w.status, c.status);
		w.rtt = prv_max(w.rtt, c.rtt);
		w.serial = prv_max(w.serial, c.serial);
		w.ttl = prv_max(w.ttl, c.ttl);
		w.group = prv_max(w.group, c.group);
		w.disc = prv_max(w.disc, c.disc);
		w.show_addr |= !prv_label_is_addr(r);
		w.show_disc |= r->discarded > 0;
		prv_answer(r, &c, buf, sizeof(buf), &text);
		answer_w = prv_max(answer_w, text); /* the stale note follows; it may be cut */
	}
	/*
	 * One line per server while the answers fit beside the other columns; else each answer
	 * goes below its server's line, wrapped, and nothing needs scrolling sideways to be read.
	 */
	below = prv_fixed_width(&w) + answer_w > b.pb.width;

	/* Column titles: the same cells as the rows, in the same widths. */
	prv_title_cell(&b, cols, 1, false, " ", false);
	pane_builder_add(&b.pb, cols, PANE_NORMAL, " ");
	prv_title_cell(&b, cols, 1, false, "!", false);
	pane_builder_add(&b.pb, cols, PANE_NORMAL, " ");
	prv_title_cell(&b, cols, w.server, false, "SERVER", true);
	if (w.show_addr)
		prv_title_cell(&b, cols, w.addr, false, "ADDRESS", true);
	prv_title_cell(&b, cols, w.status, false, "STATUS", true);
	prv_title_cell(&b, cols, 5, false, "AA RA", true);
	prv_title_cell(&b, cols, w.rtt, true, "RTT", true);
	prv_title_cell(&b, cols, w.serial, false, "SERIAL", true);
	prv_title_cell(&b, cols, w.ttl, true, "TTL", true);
	prv_title_cell(&b, cols, w.group, false, "GRP", true);
	if (w.show_disc)
		prv_title_cell(&b, cols, w.disc, true, "DISC", true);
	if (!below)
		pane_builder_add(&b.pb, cols, PANE_NORMAL, "ANSWER");
	else if (cols->width + 12 <= b.pb.width)
		pane_builder_add(&b.pb, cols, PANE_NORMAL, "ANSWER below");
	/* Sideways, the server columns stay put; with answers below, whole lines move. */
	out->frozen = below ? 0 : 4 + w.server + PRV_GAP + (w.show_addr ? w.addr + PRV_GAP : 0);

	for (size_t i = 0; i < n; i++) {
		const struct prop_row *r = prop_row(p, i);
		struct pane_line *l;
		char buf[96];
		const char *text;
		int astyle;

		if (!r)
			continue;
		b.row = i;
		l = prb_line(&b);
		if (!l)
			break;
		prv_cells(&c, p, r, i, marks, nmarks, any_behind, clk);
		prv_row_cells(&b, l, r, &c, &w, !below);
		astyle = prv_answer(r, &c, buf, sizeof(buf), &text);
		if (!*text)
			continue;
		if (!below) {
			pane_builder_add(&b.pb, l, astyle, "%s", text);
			if (*c.stale)
				pane_builder_add(&b.pb, l, PANE_CHANGED, "  %s", c.stale);
			continue;
		}
		if (*c.stale) {
			l = prb_line(&b);
			pane_builder_addw(&b.pb, l, PANE_NORMAL, 6, false, "");
			pane_builder_add(&b.pb, l, PANE_CHANGED, "%s", c.stale);
		}
		l = prb_line(&b);
		pane_builder_addw(&b.pb, l, PANE_NORMAL, 6, false, "");
		prb_wrap_items(&b, l, 6, astyle, text);
	}
	pane_lines_measure(out);
	*rows = b.rows;
	return b.pb.err;
}

/* ---- diff ------------------------------------------------------------------------------- */

/* One side of the diff: "- 127.0.53.1  answer  serial 2026112101 (behind)". */
static void prv_diff_side(struct prb *b, const struct prop_row *r, char sign, bool any_behind)
{
	struct pane_line *l = prb_line(b);
	char st[48];
	int style = propview_status(st, sizeof(st), r);

	pane_builder_add(&b->pb, l, PANE_KEY, "%c ", sign);
	pane_builder_add(&b->pb, l, PANE_VALUE, "%s", prv_server(r));
	if (!prv_label_is_addr(r))
		pane_builder_add(&b->pb, l, PANE_DIM, " (%s)", r->addr);
	pane_builder_add(&b->pb, l, PANE_NORMAL, "  ");
	pane_builder_add(&b->pb, l, style, "%s", st);
	if (r->have_serial) {
		pane_builder_add(&b->pb, l, PANE_LABEL, "  serial ");
		pane_builder_add(&b->pb, l,
		                 any_behind ? (r->behind ? PANE_WARN : PANE_OK) : PANE_VALUE,
		                 "%lu%s", (unsigned long)r->serial,
		                 !any_behind ? ""
		                 : r->behind ? " (behind)"
		                             : " (newest)");
	}
}

int propview_diff(struct pane_lines *out, struct pane_line *title, const struct prop *p, size_t a,
                  size_t b, int width)
{
	struct prb bb = {.want_rows = false};
	const struct prop_row *ra, *rb;
	struct pane_line *l;
	bool any_behind;
	char *diff, *line, *save = NULL;
	bool any = false;

	if (!p || a >= prop_nrows(p) || b >= prop_nrows(p))
		return 0;
	ra = prop_row(p, a);
	rb = prop_row(p, b);
	if (!ra || !rb)
		return 0;
	pane_builder_init(&bb.pb, out, width, prb_newline);
	any_behind = prv_any_behind(p);
	pane_builder_add(&bb.pb, title, PANE_VALUE, "diff ");
	pane_builder_add(&bb.pb, title, PANE_NORMAL, "%s", prv_server(ra));
	pane_builder_add(&bb.pb, title, PANE_DIM, " %s ", pane_glyph(PANE_G_ARROW));
	pane_builder_add(&bb.pb, title, PANE_NORMAL, "%s", prv_server(rb));
	prv_diff_side(&bb, ra, '-', any_behind);
	prv_diff_side(&bb, rb, '+', any_behind);
	prb_line(&bb);

	if (ra->status == PROP_PENDING || rb->status == PROP_PENDING) {
		l = prb_line(&bb);
		pane_builder_wrap(
		    &bb.pb, l, 0, PANE_DIM,
		    "A reply is still outstanding: the diff is of what arrived so far.", NULL);
	}
	if (ra->status != rb->status) {
		char sa[48], sb[48];

		propview_status(sa, sizeof(sa), ra);
		propview_status(sb, sizeof(sb), rb);
		l = prb_line(&bb);
		pane_builder_add(&bb.pb, l, PANE_LABEL, "status ");
		pane_builder_add(&bb.pb, l, PANE_WARN, "%s %s %s", sa, pane_glyph(PANE_G_ARROW),
		                 sb);
	}

	diff = prop_diff(p, a, b);
	if (!diff) {
		l = prb_line(&bb);
		pane_builder_add(&bb.pb, l, PANE_ERR, "out of memory");
		pane_lines_measure(out);
		return -1;
	}
	for (line = strtok_r(diff, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		int style = *line == '-' ? PANE_ERR : *line == '+' ? PANE_OK : PANE_NORMAL;

		l = prb_line(&bb);
		/* "- owner class type rdata": continuation lines go under the owner. */
		if (style != PANE_NORMAL) {
			pane_builder_add(&bb.pb, l, style, "%c ", *line);
			line++;
		}
		pane_builder_wrap(&bb.pb, l, 2, style, line, NULL);
		any = true;
	}
	free(diff);
	if (!any) {
		l = prb_line(&bb);
		pane_builder_wrap(
		    &bb.pb, l, 0, prv_answered(ra) && prv_answered(rb) ? PANE_OK : PANE_DIM,
		    prv_answered(ra) && prv_answered(rb)
		        ? "The answers are the same (RR order, TTL and name case ignored)."
		        : "No answer RRs to compare.",
		    NULL);
	} else {
		l = prb_line(&bb);
		l = prb_line(&bb);
		pane_builder_wrap(
		    &bb.pb, l, 0, PANE_DIM,
		    "- only in the first, + only in the second (RR order, TTL and name case "
		    "ignored)",
		    NULL);
	}
	pane_lines_measure(out);
	return bb.pb.err ? -1 : 1;
}
