/*
 * view.c -- one server's reply as header-pane and sections-pane lines (see view.h).
 *
 * Every string that came from the network reaches the lines through rrtext_* or esc_*
 * (printable ASCII only); everything else here is our own text. Explain items are recorded as
 * the lines are laid out, with the columns each chunk of text landed on.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <ldns/ldns.h>

#include "dns/escape.h"
#include "dns/explain.h"
#include "dns/rrtext.h"
#include "dns/ttl.h"
#include "ui/view.h"

/* Width of the field-name column of the header pane (narrow screens: VIEW_LABEL_NARROW). */
#define VIEW_LABEL_W      10
#define VIEW_LABEL_NARROW 7

void view_items_clear(struct view_items *it)
{
	free(it->v);
	memset(it, 0, sizeof(*it));
}

size_t view_items_of(const struct view_items *it, size_t line, size_t *start, size_t *first)
{
	size_t i = 0, n = 0;

	*start = 0;
	*first = 0;
	while (it && i < it->n && it->v[i].line < line)
		i++;
	*start = i;
	for (; it && i < it->n && it->v[i].line == line; i++, n++)
		if (it->v[i].first)
			*first = n;
	return n;
}

/*
 * Record that columns [col, col + width) of line `line` show what key explains. A stretch
 * that follows one of the same line with the same explanation extends it (a label and its
 * value, a type and its rdata). A key without a text is left out, so that the line shows up
 * as unexplained in the tests. No-op when it is NULL or width < 1.
 * \return 0, or -1 when memory runs out.
 */
static int view_item_add(struct view_items *it, size_t line, int col, int width, const char *key,
                         bool first)
{
	const struct explain *ex = explain_get(key);
	struct view_item *last;

	if (!it || !ex || width < 1)
		return 0;
	last = it->n > 0 ? &it->v[it->n - 1] : NULL;
	if (last && last->line == line && last->ex == ex && col >= last->col) {
		if (col + width > last->col + last->width)
			last->width = col + width - last->col;
		last->first = last->first || first;
		return 0;
	}
	if (it->n == it->cap) {
		size_t cap = it->cap ? it->cap * 2 : 64;
		struct view_item *v = realloc(it->v, cap * sizeof(*v));

		if (!v)
			return -1;
		it->v = v;
		it->cap = cap;
	}
	it->v[it->n++] = (struct view_item){line, col, width, ex, first};
	return 0;
}

/* Blanks at the start of s, and the columns of the rest. */
static int view_lead(const char *s, int *rest)
{
	int lead = 0;

	while (s[lead] == ' ')
		lead++;
	*rest = pane_textwidth(s + lead);
	return lead;
}

/* Lays out "key value" chunks on lines of a given width, wrapping under the values. */
struct flow {
	struct pane_lines *out;
	struct view_items *items; /* explain items, or NULL */
	struct pane_line *cur;
	int width;
	int label_w; /* width of the field-name column */
	bool fresh;  /* no chunk on the current line yet */
	int err;
};

/* The current line's index (valid while f->cur is set). */
static size_t flow_at(const struct flow *f)
{
	return f->out->n - 1;
}

/* Record an item on the current line (see view_item_add). */
static void flow_item(struct flow *f, int col, int width, const char *key, bool first)
{
	if (f->cur && view_item_add(f->items, flow_at(f), col, width, key, first) < 0)
		f->err = -1;
}

/* Start a line with a field name; xkey explains the name (NULL: nothing to explain). */
static void flow_line(struct flow *f, const char *label, const char *xkey)
{
	int w, lead;

	f->cur = pane_lines_add(f->out);
	if (!f->cur) {
		f->err = -1;
		return;
	}
	if (pane_line_addw(f->cur, PANE_LABEL, f->label_w, false, label ? label : "") < 0)
		f->err = -1;
	if (label && xkey) {
		lead = view_lead(label, &w);
		flow_item(f, lead, w, xkey, false);
	}
	f->fresh = true;
}

/*
 * Append the chunk c (consumed) to the current line, or to a new one when it does not fit.
 * \return the column the chunk starts at on the current line, or -1 when it was dropped.
 */
static int flow_put(struct flow *f, struct pane_line *c)
{
	int col;

	if (!f->cur) {
		pane_line_clear(c);
		return -1;
	}
	if (!f->fresh && f->cur->width + 2 + c->width > f->width) {
		flow_line(f, NULL, NULL);
		if (!f->cur) {
			pane_line_clear(c);
			return -1;
		}
	}
	if (!f->fresh && pane_line_add(f->cur, PANE_NORMAL, "  ") < 0)
		f->err = -1;
	col = f->cur->width;
	for (size_t i = 0; i < c->nsegs; i++)
		if (pane_line_add(f->cur, c->segs[i].style, "%s", c->segs[i].text) < 0)
			f->err = -1;
	f->fresh = false;
	pane_line_clear(c);
	return col;
}

/*
 * A "label value" chunk. xlabel explains the label and xval the value (NULL: nothing); the
 * same key for both makes one item of the whole chunk. first: explain the value first when
 * the line is selected.
 */
__attribute__((format(printf, 7, 8))) static void flow_kvx(struct flow *f, const char *xlabel,
                                                           const char *xval, bool first,
                                                           const char *label, int style,
                                                           const char *fmt, ...)
{
	struct pane_line c;
	va_list ap;
	char *val;
	int col, lw = 0, vw;

	memset(&c, 0, sizeof(c));
	va_start(ap, fmt);
	if (vasprintf(&val, fmt, ap) < 0) {
		va_end(ap);
		f->err = -1;
		return;
	}
	va_end(ap);
	if (label && (pane_line_add(&c, PANE_LABEL, "%s ", label) < 0))
		f->err = -1;
	lw = c.width;
	if (pane_line_add(&c, style, "%s", val) < 0)
		f->err = -1;
	free(val);
	vw = c.width - lw;
	if ((col = flow_put(f, &c)) < 0)
		return;
	if (label && xlabel)
		flow_item(f, col, lw - 1, xlabel, false);
	if (xval)
		flow_item(f, col + lw, vw, xval, first);
}

/* A "label value" chunk that one key explains, label and value alike. */
#define flow_kv(f, xkey, label, style, ...)                                                        \
	flow_kvx(f, xkey, xkey, false, label, style, __VA_ARGS__)

/*
 * A banner across the pane: a failure or a finding worth seeing first; xkey explains it.
 * \return 0, or -1 when memory runs out.
 */
static int view_banner(struct pane_lines *out, struct view_items *items, int width, int style,
                       const char *xkey, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static int view_banner(struct pane_lines *out, struct view_items *items, int width, int style,
                       const char *xkey, const char *fmt, ...)
{
	struct pane_line *l = pane_lines_add(out);
	va_list ap;
	char *text;
	int r, lead, w;

	if (!l)
		return -1;
	va_start(ap, fmt);
	r = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (r < 0)
		return -1;
	r = pane_line_addw(l, style, width, false, text);
	lead = view_lead(text, &w);
	r |= view_item_add(items, out->n - 1, lead, w, xkey, true);
	free(text);
	return r;
}

static void view_rtt(char *buf, size_t len, double ms)
{
	if (ms < 10.0)
		snprintf(buf, len, "%.1f ms", ms);
	else
		snprintf(buf, len, "%.0f ms", ms);
}

/* What an rcode means, for the banner; NULL for NOERROR. */
static const char *view_rcode_reason(unsigned rcode)
{
	switch (rcode) {
	case LDNS_RCODE_NOERROR:
		return NULL;
	case LDNS_RCODE_FORMERR:
		return "the server could not interpret the query";
	case LDNS_RCODE_SERVFAIL:
		return "server failure: the server could not produce an answer";
	case LDNS_RCODE_NXDOMAIN:
		return "the name does not exist";
	case LDNS_RCODE_NOTIMPL:
		return "the server does not implement this kind of query";
	case LDNS_RCODE_REFUSED:
		return "the server refused to answer this query";
	case LDNS_RCODE_NOTAUTH:
		return "the server is not authoritative for the zone";
	case 16:
		return "the server does not support this EDNS version";
	default:
		return "the server reported an error";
	}
}

char *view_server(char *buf, size_t buflen, const struct lookup_reply *r)
{
	const char *label = r->server.label ? r->server.label : "";
	char addr[80];
	char *esc;
	size_t ll, al;

	if (*label == '@')
		label++;
	esc = esc_str(label);
	if (!esc) {
		snprintf(buf, buflen, "?");
		return buf;
	}
	if (r->server.addrlen == 0) {
		snprintf(buf, buflen, "%s", esc);
		free(esc);
		return buf;
	}
	server_addr_str(addr, sizeof(addr), (const struct sockaddr *)&r->server.addr);
	/* "127.0.53.1" or "[::1]#53" as typed: the address alone says it all. */
	ll = strcspn(esc + (*esc == '['), "]#");
	al = strcspn(addr, "#");
	if (ll == al && strncmp(esc + (*esc == '['), addr, al) == 0)
		snprintf(buf, buflen, "%s", addr);
	else
		snprintf(buf, buflen, "%s (%s)", esc, addr);
	free(esc);
	return buf;
}

int view_state(char *buf, size_t buflen, const struct lookup_reply *r)
{
	const char *ell = pane_glyph(PANE_G_ELLIPSIS);

	if (r->state == LOOKUP_RESOLVING) {
		snprintf(buf, buflen, "resolving%s", ell);
		return PANE_DIM;
	}
	if (r->state == LOOKUP_WAITING) {
		snprintf(buf, buflen, "waiting%s", ell);
		return PANE_DIM;
	}
	if (r->error) {
		char *e = esc_str(r->error);

		snprintf(buf, buflen, "%s", e ? e : "error");
		free(e);
		return PANE_ERR;
	}
	if (r->pkt) {
		unsigned rc = rrtext_pkt_rcode(r->pkt);
		char name[32], rtt[32] = "";

		rrtext_rcode(name, sizeof(name), rc);
		if (r->net)
			view_rtt(rtt, sizeof(rtt), r->net->rtt_ms);
		snprintf(buf, buflen, "%s%s%s", name, *rtt ? " " : "", rtt);
		if (rc == LDNS_RCODE_NOERROR)
			return PANE_OK;
		return rc == LDNS_RCODE_NXDOMAIN ? PANE_WARN : PANE_ERR;
	}
	if (r->net)
		snprintf(buf, buflen, "%s", net_status_str(r->net->status));
	else
		snprintf(buf, buflen, "no reply");
	return PANE_ERR;
}

static bool view_has_type(const ldns_rr_list *l, ldns_rr_type t)
{
	for (size_t i = 0; l && i < ldns_rr_list_rr_count(l); i++)
		if (ldns_rr_get_type(ldns_rr_list_rr(l, i)) == t)
			return true;
	return false;
}

/* The explain key of a reply's failure: what the transport facts say about it. */
static const char *view_failure_key(const struct lookup_reply *r)
{
	if (r->net && r->net->status == NET_TIMEOUT)
		return "transport.tries";
	if (r->net && r->net->status == NET_MALFORMED)
		return "transport.discarded";
	return "server";
}

/* Banners: what went wrong, or what a DNS engineer should notice first. */
static int view_banners(struct pane_lines *out, struct view_items *items,
                        const struct lookup_reply *r, int width)
{
	const char *x = pane_glyph(PANE_G_CROSS);
	int err = 0;

	if (r->state != LOOKUP_DONE)
		return 0;
	if (r->error) {
		char *e = esc_str(r->error);

		err |= view_banner(out, items, width, PANE_ALERT, view_failure_key(r), " %s %s", x,
		                   e ? e : "error");
		free(e);
	} else if (!r->pkt) {
		err |= view_banner(out, items, width, PANE_ALERT, view_failure_key(r),
		                   " %s no usable reply", x);
	}
	if (r->pkt) {
		unsigned rc = rrtext_pkt_rcode(r->pkt);
		const char *why = view_rcode_reason(rc);
		char name[32], key[EXPLAIN_KEY_MAX];

		rrtext_rcode(name, sizeof(name), rc);
		explain_key_rcode(key, sizeof(key), rc);
		if (rc == LDNS_RCODE_NXDOMAIN)
			err |= view_banner(out, items, width, PANE_WARN, key, " NXDOMAIN: %s", why);
		else if (why)
			err |= view_banner(out, items, width, PANE_ALERT, key, " %s %s: %s", x,
			                   name, why);
		else if (ldns_pkt_ancount(r->pkt) == 0 &&
		         view_has_type(ldns_pkt_authority(r->pkt), LDNS_RR_TYPE_NS) &&
		         !view_has_type(ldns_pkt_authority(r->pkt), LDNS_RR_TYPE_SOA) &&
		         !ldns_pkt_aa(r->pkt))
			err |= view_banner(
			    out, items, width, PANE_WARN, "reply.referral",
			    " referral: no answer, a delegation in the authority section");
		else if (ldns_pkt_ancount(r->pkt) == 0)
			err |=
			    view_banner(out, items, width, PANE_WARN, "reply.nodata",
			                " NODATA: the name exists but has no records of this type");
		if (ldns_pkt_tc(r->pkt))
			err |=
			    view_banner(out, items, width, PANE_WARN, "flag.tc",
			                " truncated (TC=1): records are missing from this reply");
	}
	if (r->net && r->net->discarded > 0)
		err |=
		    view_banner(out, items, width, PANE_WARN, "transport.discarded",
		                " %u datagram%s discarded: wrong ID, question or source (RFC 5452)",
		                r->net->discarded, r->net->discarded == 1 ? "" : "s");
	return err ? -1 : 0;
}

static void view_transport(struct flow *f, const struct lookup_reply *r)
{
	const struct net_result *n = r->net;
	char rtt[32];

	if (!n)
		return;
	flow_kv(f, n->tcp ? "transport.tcp" : "transport.udp", NULL, PANE_VALUE, "%s",
	        n->tcp ? "tcp" : "udp");
	if (n->tc_retry)
		flow_kv(f, "transport.tc_retry", NULL, PANE_WARN, "TC%sTCP",
		        pane_glyph(PANE_G_ARROW));
	if (n->status == NET_OK) {
		struct tm tm;
		char when[16] = "";

		view_rtt(rtt, sizeof(rtt), n->rtt_ms);
		flow_kv(f, "transport.rtt", "rtt", PANE_VALUE, "%s", rtt);
		flow_kv(f, "transport.size", NULL, PANE_VALUE, "%zu bytes", n->size);
		if (n->rx_wall.tv_sec && localtime_r(&n->rx_wall.tv_sec, &tm))
			strftime(when, sizeof(when), "%H:%M:%S", &tm);
		flow_kv(f, "transport.tries", "tries", PANE_VALUE, "%u", n->tries);
		flow_kv(f, "transport.discarded", "discarded",
		        n->discarded ? PANE_WARN : PANE_VALUE, "%u", n->discarded);
		if (*when)
			flow_kv(f, "transport.when", "at", PANE_VALUE, "%s", when);
	} else {
		flow_kv(f, "transport.tries", "tries", PANE_VALUE, "%u", n->tries);
		flow_kv(f, "transport.discarded", "discarded",
		        n->discarded ? PANE_WARN : PANE_VALUE, "%u", n->discarded);
	}
}

static void view_flags(struct flow *f, const ldns_pkt *p)
{
	const struct {
		const char *name, *key;
		bool on;
	} fl[] = {
	    {"qr", "flag.qr", ldns_pkt_qr(p)}, {"aa", "flag.aa", ldns_pkt_aa(p)},
	    {"tc", "flag.tc", ldns_pkt_tc(p)}, {"rd", "flag.rd", ldns_pkt_rd(p)},
	    {"ra", "flag.ra", ldns_pkt_ra(p)}, {"ad", "flag.ad", ldns_pkt_ad(p)},
	    {"cd", "flag.cd", ldns_pkt_cd(p)},
	};
	enum { NFL = sizeof(fl) / sizeof(fl[0]) };
	int at[NFL];
	struct pane_line c;
	int col;

	memset(&c, 0, sizeof(c));
	/* name:1 / name:0 reads the same in colour, in monochrome and in a screen capture. */
	if (pane_line_add(&c, PANE_LABEL, "flags ") < 0)
		f->err = -1;
	for (size_t i = 0; i < NFL; i++) {
		if (i > 0 && pane_line_add(&c, PANE_NORMAL, " ") < 0)
			f->err = -1;
		at[i] = c.width;
		if (pane_line_add(&c, fl[i].on ? PANE_ON : PANE_OFF, "%s:%d", fl[i].name,
		                  fl[i].on ? 1 : 0) < 0)
			f->err = -1;
	}
	if ((col = flow_put(f, &c)) < 0)
		return;
	flow_item(f, col, 5, "header.flags", false);
	for (size_t i = 0; i < NFL; i++)
		flow_item(f, col + at[i], 4, fl[i].key, false);
}

static void view_edns(struct flow *f, const struct lookup_reply *r)
{
	struct rrtext_edns e;

	if (rrtext_edns_from_pkt(&e, r->pkt) < 0) {
		f->err = -1;
		return;
	}
	flow_line(f, "edns", e.present ? "edns.opt" : "edns.none");
	if (!e.present) {
		flow_kv(f, "edns.none", NULL, PANE_DIM, "none (no OPT record in the reply)");
		rrtext_edns_clear(&e);
		return;
	}
	flow_kv(f, "edns.version", "version", PANE_VALUE, "%u", (unsigned)e.version);
	flow_kv(f, "edns.udp", "udp", PANE_VALUE, "%u", (unsigned)e.udp_size);
	flow_kv(f, "flag.do", NULL, e.do_bit ? PANE_ON : PANE_OFF, "do:%d", e.do_bit ? 1 : 0);
	if (e.nopts == 0)
		flow_kv(f, "edns.options", "options", PANE_DIM, "none");
	for (size_t i = 0; i < e.nopts; i++) {
		const struct rrtext_opt *o = &e.opts[i];
		char okey[EXPLAIN_KEY_MAX], ekey[EXPLAIN_KEY_MAX];
		const char *tkey = okey;

		explain_key_edns_option(okey, sizeof(okey), o->code);
		/* rrtext writes an EDE as "INFO-CODE (Purpose): text" (RFC 8914 §2) */
		if (o->code == LDNS_EDNS_EDE && o->text && o->text[0] >= '0' && o->text[0] <= '9') {
			explain_key_ede(ekey, sizeof(ekey), (unsigned)strtoul(o->text, NULL, 10));
			tkey = ekey;
		}
		flow_line(f, "  option", "edns.options");
		/* the option first, or for an EDE its code */
		flow_kvx(f, NULL, okey, tkey == okey, NULL, o->code == 15 ? PANE_WARN : PANE_VALUE,
		         "%s", o->name ? o->name : "?");
		flow_kvx(f, NULL, tkey, tkey != okey, NULL, PANE_NORMAL, "%s",
		         o->text ? o->text : "");
	}
	rrtext_edns_clear(&e);
}

int view_ttl_cells(char *secs, char *human, uint32_t ttl, int64_t rx_ms, int64_t now_ms)
{
	uint32_t left = ttl_remaining(ttl, rx_ms, now_ms);

	snprintf(secs, 12, "%lu", (unsigned long)left);
	if (left == 0 && ttl > 0) {
		snprintf(human, 16, "expired");
		return PANE_WARN;
	}
	ttl_human(human, 16, left);
	return PANE_DIM;
}

/* The cache line: when the answer runs out, whether it will be asked again, what changed. */
static void view_cache(struct flow *f, const struct lookup_reply *r, const struct view_clock *clk)
{
	int64_t exp;
	bool negative = false;
	uint32_t ttl;
	char human[16], at[16], key[EXPLAIN_KEY_MAX];
	const char *xkey = "column.ttl";

	if (!clk || !r->pkt || !r->net)
		return;
	if (lookup_reply_expiry(r, &exp)) {
		ttl_of_reply(r->pkt, &ttl, &negative);
		xkey = negative ? "reply.negative_ttl" : "column.ttl";
		flow_line(f, "cache", xkey);
		ttl_clock_text(at, sizeof(at), exp, clk->now_ms, &clk->now_wall);
		if (exp > clk->now_ms) {
			ttl_human(human, sizeof(human),
			          (uint32_t)((exp - clk->now_ms + 999) / 1000));
			flow_kv(f, xkey,
			        negative ? "negative answer expires in" : "answer expires in",
			        PANE_VALUE, "%s", human);
		} else {
			ttl_human(human, sizeof(human), (uint32_t)((clk->now_ms - exp) / 1000));
			flow_kv(f, xkey, NULL, PANE_WARN, "%s expired %s ago",
			        negative ? "negative answer" : "answer", human);
		}
		flow_kv(f, xkey, "at", PANE_VALUE, "%s", at);
		flow_kv(f, xkey, NULL, PANE_DIM, "(TTL %lu%s)", (unsigned long)ttl,
		        negative ? ", RFC 2308 SOA minimum" : "");
	} else {
		bool neg = ldns_pkt_get_rcode(r->pkt) == LDNS_RCODE_NOERROR ||
		           ldns_pkt_get_rcode(r->pkt) == LDNS_RCODE_NXDOMAIN;

		xkey = neg ? "reply.negative_ttl"
		           : explain_key_rcode(key, sizeof(key), rrtext_pkt_rcode(r->pkt));
		flow_line(f, "cache", xkey);
		flow_kv(f, xkey, NULL, PANE_DIM, "%s",
		        neg ? "not cacheable (no SOA for the negative TTL, RFC 2308 §5)"
		            : "not cached (an error answer)");
	}
	/* Asking again as the answer expires is dnsdeck's own, and what the TTL is for. */
	if (r->reasking)
		flow_kv(f, xkey, NULL, PANE_VALUE, "asking again%s", pane_glyph(PANE_G_ELLIPSIS));
	else
		flow_kv(f, xkey, "re-ask", clk->autoreask ? PANE_OK : PANE_DIM, "%s",
		        clk->autoreask ? "on expiry" : "off");
	if (r->asked > 1)
		flow_kv(f, xkey, "asked", PANE_VALUE, "%u times", r->asked);
	if (r->nhistory > 0)
		flow_kv(f, xkey, "changes", PANE_CHANGED, "%zu (h: history)", r->nhistory);
	if (r->ttl_reset && r->changed_ms && clk->now_ms - r->changed_ms < VIEW_CHANGE_MS)
		flow_kv(f, "column.ttl", NULL, PANE_CHANGED, "TTL reset");
}

int view_header(struct pane_lines *out, struct view_items *items, const struct lookup_reply *r,
                int width, const struct view_clock *clk)
{
	struct flow f = {.out = out,
	                 .items = items,
	                 .width = width,
	                 .label_w = width >= 50 ? VIEW_LABEL_W : VIEW_LABEL_NARROW};
	char srv[320], st[256], key[EXPLAIN_KEY_MAX];

	out->frozen = f.label_w;
	f.err = view_banners(out, items, r, width);
	flow_line(&f, "server", "server");
	flow_kv(&f, "server", NULL, PANE_VALUE, "%s", view_server(srv, sizeof(srv), r));
	if (r->state != LOOKUP_DONE) {
		view_state(st, sizeof(st), r);
		flow_kv(&f, "server", NULL, PANE_DIM, "%s", st);
		return f.err;
	}
	view_transport(&f, r);
	if (!r->pkt)
		return f.err;
	view_cache(&f, r, clk);

	const ldns_pkt *p = r->pkt;
	char op[32], rc[32];
	unsigned rcode = rrtext_pkt_rcode(p);
	struct rrtext_edns e;
	size_t extra = 0;

	flow_line(&f, "header", NULL);
	flow_kvx(&f, "header.opcode",
	         explain_key_opcode(key, sizeof(key), (unsigned)ldns_pkt_get_opcode(p)), false,
	         "opcode", PANE_VALUE, "%s", rrtext_opcode(op, sizeof(op), ldns_pkt_get_opcode(p)));
	flow_kvx(&f, "header.rcode", explain_key_rcode(key, sizeof(key), rcode), false, "rcode",
	         rcode == LDNS_RCODE_NOERROR    ? PANE_OK
	         : rcode == LDNS_RCODE_NXDOMAIN ? PANE_WARN
	                                        : PANE_ERR,
	         "%s", rrtext_rcode(rc, sizeof(rc), rcode));
	flow_kv(&f, "header.id", "id", PANE_VALUE, "%u", (unsigned)ldns_pkt_id(p));
	view_flags(&f, p);

	/*
	 * ldns takes the OPT and TSIG records out of the additional section and lowers ARCOUNT
	 * for them; add them back so the counts are the ones on the wire (as dig shows them).
	 */
	if (rrtext_edns_from_pkt(&e, r->pkt) == 0) {
		extra += e.present ? 1 : 0;
		rrtext_edns_clear(&e);
	}
	if (ldns_pkt_tsig(p))
		extra++;
	flow_line(&f, "counts", NULL);
	flow_kv(&f, "count.query", "QUERY", PANE_VALUE, "%u", (unsigned)ldns_pkt_qdcount(p));
	flow_kv(&f, "count.answer", "ANSWER", PANE_VALUE, "%u", (unsigned)ldns_pkt_ancount(p));
	flow_kv(&f, "count.authority", "AUTHORITY", PANE_VALUE, "%u",
	        (unsigned)ldns_pkt_nscount(p));
	flow_kv(&f, "count.additional", "ADDITIONAL", PANE_VALUE, "%zu",
	        (size_t)ldns_pkt_arcount(p) + extra);
	view_edns(&f, r);
	return f.err;
}

/* One row of the sections pane before layout. */
struct view_row {
	int section; /* 0..3: question, answer, authority, additional */
	struct rrtext t;
	ldns_rr_type rrtype; /* for the explain keys */
	ldns_rr_class rrclass;
	bool question;
	bool added;   /* new since the previous reply (highlighted) */
	bool removed; /* in the previous reply, gone from this one */
};

struct view_rows {
	struct view_row *v;
	size_t n, cap;
};

/* A cleared row at the end of rs (not yet counted in rs->n), or NULL when memory runs out. */
static struct view_row *view_rows_next(struct view_rows *rs)
{
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 32;
		struct view_row *v = realloc(rs->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		rs->v = v;
		rs->cap = cap;
	}
	memset(&rs->v[rs->n], 0, sizeof(rs->v[rs->n]));
	return &rs->v[rs->n];
}

static int view_rows_add(struct view_rows *rs, int section, const ldns_rr *rr, bool question)
{
	struct view_row *row;

	row = view_rows_next(rs);
	if (!row)
		return -1;
	if (rrtext_from_rr(&row->t, rr) < 0)
		return -1;
	row->rrtype = ldns_rr_get_type(rr);
	row->rrclass = ldns_rr_get_class(rr);
	row->section = section;
	row->question = question;
	rs->n++;
	return 0;
}

/* The question as asked, for the time before a reply arrives. */
static int view_rows_add_question(struct view_rows *rs, const struct query_spec *q)
{
	struct view_row *row;
	char buf[32];

	if (!q || !q->qname)
		return 0;
	row = view_rows_next(rs);
	if (!row)
		return -1;
	row->t.owner = rrtext_dname(q->qname);
	row->t.klass = strdup(rrtext_class(buf, sizeof(buf), q->qclass));
	row->t.type = strdup(rrtext_type(buf, sizeof(buf), q->qtype));
	row->t.rdata = strdup("");
	if (!row->t.owner || !row->t.klass || !row->t.type || !row->t.rdata) {
		rrtext_clear(&row->t);
		return -1;
	}
	row->rrtype = q->qtype;
	row->rrclass = q->qclass;
	row->question = true;
	rs->n++;
	return 0;
}

static void view_rows_clear(struct view_rows *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		rrtext_clear(&rs->v[i].t);
	free(rs->v);
	memset(rs, 0, sizeof(*rs));
}

static int view_digits(uint32_t v)
{
	int d = 1;

	while (v >= 10) {
		v /= 10;
		d++;
	}
	return d;
}

struct view_cols {
	int owner, ttl, left, klass, type;
};

/*
 * The explain items of an SOA's rdata: its seven fields (RFC 1035 §3.3.13), at their columns
 * from col on. Names in presentation form hold no blank (ldns writes one as \032).
 */
static int view_soa_items(struct view_items *items, size_t line, int col, const char *rdata)
{
	static const char *const keys[] = {"soa.mname", "soa.rname",  "soa.serial", "soa.refresh",
	                                   "soa.retry", "soa.expire", "soa.minimum"};
	const char *p = rdata;
	int err = 0;

	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]) && *p; k++) {
		size_t blank = strspn(p, " "), len;

		col += pane_width_n(p, blank);
		p += blank;
		len = strcspn(p, " ");
		if (len == 0)
			break;
		err |= view_item_add(items, line, col, pane_width_n(p, len), keys[k], false);
		col += pane_width_n(p, len);
		p += len;
	}
	return err;
}

/* One RR row (two lines when the owner is wider than its column), with its explain items. */
static int view_row_line(struct pane_lines *out, struct view_items *items,
                         const struct view_row *row, const struct view_cols *c, int64_t rx_ms,
                         const struct view_clock *clk)
{
	struct pane_line *l = pane_lines_add(out);
	char ttl[16] = "", left[24] = "", tkey[EXPLAIN_KEY_MAX], ckey[EXPLAIN_KEY_MAX];
	int r = 0, lstyle = PANE_DIM, col;

	if (!l)
		return -1;
	explain_key_rr_type(tkey, sizeof(tkey), row->rrtype);
	explain_key_class(ckey, sizeof(ckey), row->rrclass);
	if (row->removed) {
		snprintf(left, sizeof(left), "removed");
		lstyle = PANE_CHANGED;
	} else if (!row->question && clk && rx_ms) {
		lstyle = view_ttl_cells(ttl, left, row->t.ttl, rx_ms, clk->now_ms);
		if (row->added) {
			snprintf(left + strlen(left), sizeof(left) - strlen(left), " new");
			lstyle = PANE_CHANGED;
		}
	} else if (!row->question) {
		snprintf(ttl, sizeof(ttl), "%lu", (unsigned long)row->t.ttl);
	}
	if (pane_textwidth(row->t.owner) > c->owner) {
		/* An owner wider than its column gets a line of its own; the rest stays aligned. */
		r |= pane_line_add(l, PANE_OWNER, "%s", row->t.owner);
		r |= view_item_add(items, out->n - 1, 0, l->width, "column.owner", false);
		/* ... and the type is what that line is about, too */
		r |= view_item_add(items, out->n - 1, 0, l->width, tkey, true);
		if (r || !(l = pane_lines_add(out)))
			return -1;
		r |= pane_line_addw(l, PANE_OWNER, c->owner, false, "");
	} else {
		r |= pane_line_addw(l, PANE_OWNER, c->owner, false, row->t.owner);
		r |= view_item_add(items, out->n - 1, 0, pane_textwidth(row->t.owner),
		                   "column.owner", false);
	}
	r |= pane_line_add(l, PANE_NORMAL, "  ");
	col = l->width;
	r |= pane_line_addw(l, row->removed ? PANE_DIM : PANE_NORMAL, c->ttl, true, ttl);
	if (c->left > 0) {
		r |= pane_line_add(l, PANE_NORMAL, "  ");
		r |= pane_line_addw(l, lstyle, c->left, false, left);
	}
	/* TTL and LEFT: the same value, as received and counting down */
	if (!row->question)
		r |= view_item_add(items, out->n - 1, col, l->width - col, "column.ttl", false);
	r |= pane_line_add(l, PANE_NORMAL, "  ");
	r |= view_item_add(items, out->n - 1, l->width, pane_textwidth(row->t.klass), ckey, false);
	r |= pane_line_addw(l, PANE_DIM, c->klass, false, row->t.klass);
	r |= pane_line_add(l, PANE_NORMAL, "  ");
	r |= view_item_add(items, out->n - 1, l->width, pane_textwidth(row->t.type), tkey, true);
	r |= pane_line_addw(l, PANE_TYPE, c->type, false, row->t.type);
	if (row->t.rdata && *row->t.rdata) {
		r |= pane_line_add(l, PANE_NORMAL, "  ");
		col = l->width;
		r |= pane_line_add(l, PANE_VALUE, "%s", row->t.rdata);
		if (row->rrtype == LDNS_RR_TYPE_SOA)
			r |= view_soa_items(items, out->n - 1, col, row->t.rdata);
		else
			r |= view_item_add(items, out->n - 1, col, l->width - col, tkey, false);
	}
	return r ? -1 : 0;
}

/* A section heading: "ANSWER (2)", explained by the section, its count and the note's key. */
static int view_heading(struct pane_lines *out, struct view_items *items, int s, size_t count,
                        const char *note, const char *notekey)
{
	static const char *const names[] = {"QUESTION", "ANSWER", "AUTHORITY", "ADDITIONAL"};
	static const char *const keys[] = {"section.question", "section.answer",
	                                   "section.authority", "section.additional"};
	static const char *const counts[] = {"count.query", "count.answer", "count.authority",
	                                     "count.additional"};
	struct pane_line *l = pane_lines_add(out);
	int r = 0, col;

	if (!l)
		return -1;
	r |= pane_line_add(l, count ? PANE_HEADING : PANE_DIM, "%s", names[s]);
	r |= view_item_add(items, out->n - 1, 0, l->width, keys[s], true);
	col = l->width + 1;
	r |= pane_line_add(l, PANE_DIM, " (%zu)", count);
	r |= view_item_add(items, out->n - 1, col, l->width - col, counts[s], false);
	if (note && *note) {
		int lead, w;

		col = l->width;
		r |= pane_line_add(l, PANE_DIM, "%s", note);
		lead = view_lead(note, &w);
		r |= view_item_add(items, out->n - 1, col + lead, w, notekey, false);
	}
	return r ? -1 : 0;
}

/* Mark answer rows that the latest reply added, and append the rows it removed, while the
 * change is fresh. */
static int view_rows_changes(struct view_rows *rs, const struct lookup_reply *r,
                             const struct view_clock *clk)
{
	const ldns_rr_list *add = r->added, *rem = r->removed;

	if (!clk || !r->changed_ms || clk->now_ms - r->changed_ms >= VIEW_CHANGE_MS)
		return 0;
	for (size_t i = 0; add && i < rs->n; i++) {
		if (rs->v[i].section != 1)
			continue;
		for (size_t k = 0; k < ldns_rr_list_rr_count(add); k++) {
			struct rrtext t;
			if (rrtext_from_rr(&t, ldns_rr_list_rr(add, k)) < 0)
				return -1;
			if (strcmp(t.owner, rs->v[i].t.owner) == 0 &&
			    strcmp(t.type, rs->v[i].t.type) == 0 &&
			    strcmp(t.rdata, rs->v[i].t.rdata) == 0)
				rs->v[i].added = true;
			rrtext_clear(&t);
		}
	}
	for (size_t k = 0; rem && k < ldns_rr_list_rr_count(rem); k++) {
		if (view_rows_add(rs, 1, ldns_rr_list_rr(rem, k), false) < 0)
			return -1;
		rs->v[rs->n - 1].removed = true;
	}
	return 0;
}

int view_sections(struct pane_lines *out, struct pane_line *title, struct view_items *items,
                  const struct lookup_reply *r, const struct query_spec *q, int width,
                  const struct view_clock *clk)
{
	struct view_rows rs = {0};
	struct view_cols c = {.owner = 5, .ttl = 3, .left = clk ? 4 : 0, .klass = 5, .type = 4};
	int64_t rx_ms = lookup_reply_rx_ms(r);
	size_t counts[4] = {0};
	const char *addnote = NULL;
	char remnote[80] = "";
	size_t nremoved = 0;
	int cap = width * 2 / 5, err = 0;

	if (r->pkt) {
		ldns_rr_list *lists[4] = {ldns_pkt_question(r->pkt), ldns_pkt_answer(r->pkt),
		                          ldns_pkt_authority(r->pkt), ldns_pkt_additional(r->pkt)};
		struct rrtext_edns e;

		for (int s = 0; s < 4; s++)
			for (size_t i = 0; lists[s] && i < ldns_rr_list_rr_count(lists[s]); i++)
				if (view_rows_add(&rs, s, ldns_rr_list_rr(lists[s], i), s == 0) < 0)
					err = -1;
		if (rrtext_edns_from_pkt(&e, r->pkt) == 0) {
			if (e.present)
				addnote = " + OPT (see edns above)";
			rrtext_edns_clear(&e);
		}
		if (view_rows_changes(&rs, r, clk) < 0)
			err = -1;
	} else if (view_rows_add_question(&rs, q) < 0) {
		err = -1;
	}

	if (cap < 16)
		cap = 16;
	for (size_t i = 0; i < rs.n; i++) {
		const struct view_row *row = &rs.v[i];
		int w = pane_textwidth(row->t.owner);

		if (row->removed)
			nremoved++;
		else
			counts[row->section]++;
		if (w > c.owner)
			c.owner = w < cap ? w : cap;
		if (!row->question && view_digits(row->t.ttl) > c.ttl)
			c.ttl = view_digits(row->t.ttl);
		if (c.left > 0 && !row->question) {
			/* widest human form a countdown from this TTL can take, plus " new" */
			char hb[16];
			int hw = (int)strlen(ttl_human(hb, sizeof(hb), row->t.ttl)) +
			         (row->added ? 4 : 0);
			hw = hw < 7 ? 7 : hw; /* "expired", "removed" */
			c.left = hw > c.left ? hw : c.left;
		}
		if ((w = pane_textwidth(row->t.klass)) > c.klass)
			c.klass = w;
		if ((w = pane_textwidth(row->t.type)) > c.type)
			c.type = w;
	}

	err |= pane_line_addw(title, PANE_NORMAL, c.owner, false, "OWNER");
	err |= pane_line_add(title, PANE_NORMAL, "  ");
	err |= pane_line_addw(title, PANE_NORMAL, c.ttl, true, "TTL");
	if (c.left > 0) {
		err |= pane_line_add(title, PANE_NORMAL, "  ");
		err |= pane_line_addw(title, PANE_NORMAL, c.left, false, "LEFT");
	}
	err |= pane_line_add(title, PANE_NORMAL, "  ");
	err |= pane_line_addw(title, PANE_NORMAL, c.klass, false, "CLASS");
	err |= pane_line_add(title, PANE_NORMAL, "  ");
	err |= pane_line_addw(title, PANE_NORMAL, c.type, false, "TYPE");
	err |= pane_line_add(title, PANE_NORMAL, "  RDATA");

	if (!r->pkt) {
		char st[256];
		struct pane_line *l;

		err |= view_heading(out, items, 0, counts[0], NULL, NULL);
		for (size_t i = 0; i < rs.n; i++)
			err |= view_row_line(out, items, &rs.v[i], &c, rx_ms, clk);
		view_state(st, sizeof(st), r);
		if ((l = pane_lines_add(out)) != NULL) {
			err |=
			    pane_line_add(l, r->state == LOOKUP_DONE ? PANE_ERR : PANE_DIM, "%s%s",
			                  r->state == LOOKUP_DONE ? "no reply: " : "", st);
			err |= view_item_add(
			    items, out->n - 1, 0, l->width,
			    r->state == LOOKUP_DONE ? view_failure_key(r) : "server", true);
		} else {
			err = -1;
		}
	} else {
		if (nremoved)
			snprintf(remnote, sizeof(remnote),
			         " + %zu removed since the previous reply", nremoved);
		for (int s = 0; s < 4; s++) {
			err |= view_heading(out, items, s, counts[s],
			                    s == 3   ? addnote
			                    : s == 1 ? (nremoved ? remnote : NULL)
			                             : NULL,
			                    s == 3 ? "rr.OPT" : NULL);
			for (size_t i = 0; i < rs.n; i++)
				if (rs.v[i].section == s)
					err |= view_row_line(out, items, &rs.v[i], &c, rx_ms, clk);
		}
	}
	/* Sideways scrolling moves the rdata and keeps the other columns in view. */
	out->frozen =
	    c.owner + 2 + c.ttl + 2 + (c.left ? c.left + 2 : 0) + c.klass + 2 + c.type + 2;
	view_rows_clear(&rs);
	pane_lines_measure(out);
	return err ? -1 : 0;
}
