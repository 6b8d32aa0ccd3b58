/*
 * traceview.c -- the trace view's lines (see traceview.h).
 *
 * Every string here is the trace's (escaped ASCII), rrtext's (escaped) or our own.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/rrtext.h"
#include "ui/traceview.h"

/* Columns of the record rows, the same for every block so that they line up. */
struct tv_cols {
	int owner, ttl, type;
};

static void tv_measure(struct tv_cols *c, const ldns_rr_list *l, int cap)
{
	for (size_t i = 0; l && i < ldns_rr_list_rr_count(l); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(l, i);
		char type[32], ttl[16];
		char *owner = rrtext_dname(ldns_rr_owner(rr));
		int w = owner ? pane_textwidth(owner) : 0;

		free(owner);
		if (w > c->owner)
			c->owner = w < cap ? w : cap;
		w = snprintf(ttl, sizeof(ttl), "%lu", (unsigned long)ldns_rr_ttl(rr));
		if (w > c->ttl)
			c->ttl = w;
		w = pane_textwidth(rrtext_type(type, sizeof(type), ldns_rr_get_type(rr)));
		if (w > c->type)
			c->type = w;
	}
}

/* One row per RR of l, indented, with a dim tag after the rdata ("glue"), or none. */
static void tv_rrs(struct pane_builder *b, const ldns_rr_list *l, const struct tv_cols *c,
                   int indent, const char *tag)
{
	for (size_t i = 0; l && i < ldns_rr_list_rr_count(l); i++) {
		struct pane_line *line = pane_builder_line(b);
		struct rrtext r;
		char ttl[16];

		if (rrtext_from_rr(&r, ldns_rr_list_rr(l, i)) < 0) {
			b->err = -1;
			return;
		}
		snprintf(ttl, sizeof(ttl), "%lu", (unsigned long)r.ttl);
		pane_builder_addw(b, line, PANE_NORMAL, indent, false, NULL);
		pane_builder_addw(b, line, PANE_OWNER, c->owner, false, r.owner);
		pane_builder_add(b, line, PANE_NORMAL, "  ");
		pane_builder_addw(b, line, PANE_DIM, c->ttl, true, ttl);
		pane_builder_add(b, line, PANE_NORMAL, "  ");
		pane_builder_addw(b, line, PANE_TYPE, c->type, false, r.type);
		pane_builder_add(b, line, PANE_NORMAL, "  ");
		pane_builder_add(b, line, PANE_VALUE, "%s", r.rdata);
		if (tag)
			pane_builder_add(b, line, PANE_DIM, "  %s", tag);
		rrtext_clear(&r);
	}
}

/* Whether step s begins a side trace (or its AAAA retry) that the previous step did not. */
static bool tv_side_starts(const struct trace_step *s, const struct trace_step *prev)
{
	if (s->depth == 0)
		return false;
	return prev == NULL || prev->depth < s->depth ||
	       (prev->depth == s->depth && prev->kind != TRACE_CNAME &&
	        (prev->qtype != s->qtype || strcmp(prev->qname, s->qname) != 0));
}

/* "asked ns1.nic.test 127.0.53.101#53  0.1 ms  143 bytes" after a step's heading. */
static void tv_asked(struct pane_builder *b, struct pane_line *l, const struct trace_step *s)
{
	char rtt[32];

	pane_builder_add(b, l, PANE_DIM, "  asked ");
	pane_builder_add(b, l, PANE_VALUE, "%s", s->server.label ? s->server.label : "?");
	if (s->addr[0])
		pane_builder_add(b, l, PANE_DIM, " %s", s->addr);
	if (!s->net)
		return;
	pane_ms(rtt, sizeof(rtt), s->net->rtt_ms);
	pane_builder_add(b, l, PANE_NORMAL, "  %s", rtt);
	pane_builder_add(b, l, PANE_DIM, "  %zu bytes%s", s->net->size,
	                 s->net->tc_retry ? " over TCP after TC"
	                 : s->net->tcp    ? " over TCP"
	                                  : "");
}

/* The block of one step: its heading line, then its records. */
static void tv_step(struct pane_builder *b, const struct trace_step *s, const struct tv_cols *c)
{
	const char *arrow = pane_glyph(PANE_G_ARROW);
	int indent = 1 + 2 * (int)s->depth;
	struct pane_line *l = pane_builder_line(b);
	char type[32];

	pane_builder_addw(b, l, PANE_NORMAL, indent, false, NULL);
	pane_builder_add(b, l, s->kind == TRACE_SKIPPED ? PANE_DIM : PANE_HEADING, "%s",
	                 s->zone ? s->zone : "?");
	switch (s->kind) {
	case TRACE_PRIMING:
		pane_builder_add(b, l, PANE_DIM, "  priming: the root's name servers");
		break;
	case TRACE_REFERRAL:
		pane_builder_add(b, l, PANE_HEADING, " %s %s", arrow, s->child ? s->child : "?");
		break;
	case TRACE_ANSWER:
		pane_builder_add(b, l, PANE_OK, "  answer (aa)");
		break;
	case TRACE_CNAME:
		pane_builder_add(b, l, PANE_OK, "  CNAME (aa)");
		break;
	case TRACE_NXDOMAIN:
		pane_builder_add(b, l, PANE_WARN, "  NXDOMAIN (aa)");
		break;
	case TRACE_NODATA:
		pane_builder_add(b, l, PANE_WARN, "  NODATA (aa): no %s records",
		                 rrtext_type(type, sizeof(type), s->qtype));
		break;
	case TRACE_SKIPPED:
		/* a server that could not be used: who, where, why; the next one was asked */
		pane_builder_add(b, l, PANE_WARN, "  skipped ");
		pane_builder_add(b, l, PANE_DIM, "%s", s->server.label ? s->server.label : "?");
		if (s->addr[0])
			pane_builder_add(b, l, PANE_DIM, " %s", s->addr);
		pane_builder_add(b, l, PANE_WARN, ": %s", s->reason ? s->reason : "unusable");
		return;
	}
	tv_asked(b, l, s);
	indent += 4;
	if (s->kind == TRACE_PRIMING || s->kind == TRACE_REFERRAL) {
		tv_rrs(b, s->ns, c, indent, NULL);
		tv_rrs(b, s->glue, c, indent, "glue");
	} else {
		tv_rrs(b, s->records, c, indent, NULL);
	}
	if (s->kind == TRACE_CNAME && s->child) {
		l = pane_builder_line(b);
		pane_builder_addw(b, l, PANE_NORMAL, indent, false, NULL);
		pane_builder_add(b, l, PANE_DIM,
		                 "the alias leaves this zone: %s is traced from the root",
		                 s->child);
	}
}

int traceview_body(struct pane_lines *out, const struct trace *t, int width)
{
	struct tv_cols c = {.owner = 5, .ttl = 3, .type = 4};
	struct pane_builder b;
	size_t n = t ? trace_nsteps(t) : 0;
	int cap = width * 2 / 5 > 16 ? width * 2 / 5 : 16;
	char type[32];

	pane_builder_init(&b, out, width, NULL);
	for (size_t i = 0; i < n; i++) {
		const struct trace_step *s = trace_step(t, i);

		tv_measure(&c, s->ns, cap);
		tv_measure(&c, s->glue, cap);
		tv_measure(&c, s->records, cap);
	}
	for (size_t i = 0; i < n; i++) {
		const struct trace_step *s = trace_step(t, i);
		const struct trace_step *prev = i > 0 ? trace_step(t, i - 1) : NULL;

		/* A blank line between the blocks of the question's own path; the skipped
		 * servers of one cut stay together, and so do side traces. */
		if (prev && s->depth == 0 &&
		    !(s->kind == TRACE_SKIPPED && prev->kind == TRACE_SKIPPED))
			pane_builder_line(&b);
		if (tv_side_starts(s, prev)) {
			struct pane_line *l = pane_builder_line(&b);

			pane_builder_addw(&b, l, PANE_NORMAL, 1 + 2 * ((int)s->depth - 1), false,
			                  NULL);
			pane_builder_add(
			    &b, l, PANE_DIM, "resolving %s %s (a name server without glue)",
			    s->qname ? s->qname : "?", rrtext_type(type, sizeof(type), s->qtype));
		}
		tv_step(&b, s, &c);
	}
	if (n == 0) {
		struct pane_line *l = pane_builder_line(&b);

		pane_builder_add(&b, l, PANE_DIM, " asking the root%s",
		                 pane_glyph(PANE_G_ELLIPSIS));
	}
	pane_lines_measure(out);
	return b.err;
}

/* The totals: steps skipped and referrals followed. */
static void tv_count(const struct trace *t, size_t *skipped, size_t *referrals)
{
	*skipped = *referrals = 0;
	for (size_t i = 0; t && i < trace_nsteps(t); i++) {
		*skipped += trace_step(t, i)->kind == TRACE_SKIPPED;
		*referrals += trace_step(t, i)->kind == TRACE_REFERRAL;
	}
}

int traceview_title(struct pane_line *out, const struct trace *t)
{
	const struct query_spec *q = t ? trace_question(t) : NULL;
	char *name = q && q->qname ? rrtext_dname(q->qname) : NULL;
	char type[32], ms[32];
	size_t skipped, referrals;
	unsigned nq;
	int r = 0;

	if (!t) {
		free(name);
		return pane_line_add(out, PANE_NORMAL, "Trace from the root");
	}
	tv_count(t, &skipped, &referrals);
	nq = trace_queries(t);
	pane_ms(ms, sizeof(ms), trace_elapsed_ms(t));
	r |= pane_line_add(out, PANE_NORMAL, "Trace of %s %s from the root", name ? name : "?",
	                   rrtext_type(type, sizeof(type), q->qtype));
	r |=
	    pane_line_add(out, PANE_NORMAL, "  %u quer%s  %zu skipped  %zu referral%s  %s", nq,
	                  nq == 1 ? "y" : "ies", skipped, referrals, referrals == 1 ? "" : "s", ms);
	free(name);
	return r ? -1 : 0;
}

int traceview_head(struct pane_lines *out, const struct trace *t, int width)
{
	const struct trace_step *fin = trace_final(t);
	struct pane_builder b;
	struct pane_line *l;
	bool any = false;
	char type[32];
	size_t n;

	pane_builder_init(&b, out, width, NULL);
	/* The question's path: the cut of the priming step and each referral's child. */
	l = pane_builder_line(&b);
	pane_builder_add(&b, l, PANE_LABEL, " zone cuts ");
	for (size_t i = 0; i < trace_nsteps(t); i++) {
		const struct trace_step *s = trace_step(t, i);

		if (s->depth != 0 || (s->kind != TRACE_PRIMING && s->kind != TRACE_REFERRAL) ||
		    !s->child)
			continue;
		if (any)
			l = pane_builder_wrap(&b, l, 11, PANE_DIM, pane_glyph(PANE_G_ARROW), NULL);
		l = pane_builder_wrap(&b, l, 11, PANE_VALUE, s->child, NULL);
		any = true;
	}
	if (!any)
		pane_builder_add(&b, l, PANE_DIM, " none yet");
	l = pane_builder_line(&b);
	pane_builder_add(&b, l, PANE_LABEL, " outcome   ");
	switch (trace_status(t)) {
	case TRACE_RUNNING:
		pane_builder_add(&b, l, PANE_DIM, "tracing%s %u quer%s so far",
		                 pane_glyph(PANE_G_ELLIPSIS), trace_queries(t),
		                 trace_queries(t) == 1 ? "y" : "ies");
		break;
	case TRACE_FAILED:
	case TRACE_ERROR:
		pane_builder_add(&b, l, PANE_ERR,
		                 "%s:", trace_status(t) == TRACE_FAILED ? "failed" : "stopped");
		pane_builder_wrap(&b, l, 11, PANE_ERR, trace_error(t) ? trace_error(t) : "?", NULL);
		break;
	case TRACE_DONE:
		if (!fin)
			break;
		if (fin->kind == TRACE_NXDOMAIN) {
			pane_builder_add(&b, l, PANE_WARN, "NXDOMAIN,");
		} else if (fin->kind == TRACE_NODATA) {
			pane_builder_add(&b, l, PANE_WARN, "NODATA (no %s records),",
			                 rrtext_type(type, sizeof(type), fin->qtype));
		} else {
			n = ldns_rr_list_rr_count(fin->records);
			pane_builder_add(&b, l, PANE_OK, "NOERROR, %zu answer record%s,", n,
			                 n == 1 ? "" : "s");
		}
		l = pane_builder_wrap(&b, l, 11, PANE_NORMAL, "authoritative (aa) from", NULL);
		l = pane_builder_wrap(&b, l, 11, PANE_VALUE, fin->server.label, NULL);
		if (fin->addr[0])
			l = pane_builder_wrap(&b, l, 11, PANE_DIM, fin->addr, NULL);
		l = pane_builder_wrap(&b, l, 11, PANE_NORMAL, "for zone", NULL);
		pane_builder_wrap(&b, l, 11, PANE_VALUE, fin->zone, NULL);
		break;
	}
	pane_lines_measure(out);
	return b.err;
}

int traceview_state(char *buf, size_t buflen, const struct trace *t)
{
	const struct trace_step *fin = t ? trace_final(t) : NULL;
	size_t n;

	if (!t) {
		snprintf(buf, buflen, "no trace");
		return PANE_DIM;
	}
	switch (trace_status(t)) {
	case TRACE_RUNNING:
		snprintf(buf, buflen, "tracing%s %u quer%s", pane_glyph(PANE_G_ELLIPSIS),
		         trace_queries(t), trace_queries(t) == 1 ? "y" : "ies");
		return PANE_DIM;
	case TRACE_FAILED:
		snprintf(buf, buflen, "failed: no authoritative answer");
		return PANE_ERR;
	case TRACE_ERROR:
		snprintf(buf, buflen, "stopped: no authoritative answer");
		return PANE_ERR;
	case TRACE_DONE:
		break;
	}
	if (fin && fin->kind == TRACE_NXDOMAIN) {
		snprintf(buf, buflen, "done: NXDOMAIN");
		return PANE_WARN;
	}
	if (fin && fin->kind == TRACE_NODATA) {
		snprintf(buf, buflen, "done: NODATA");
		return PANE_WARN;
	}
	n = fin ? ldns_rr_list_rr_count(fin->records) : 0;
	snprintf(buf, buflen, "done: NOERROR, %zu answer record%s", n, n == 1 ? "" : "s");
	return PANE_OK;
}
