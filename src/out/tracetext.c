/*
 * tracetext.c -- dig +trace style text rendering of a trace (see tracetext.h).
 *
 * Records are written as tab-separated columns (no tab-stop arithmetic: a trace mixes
 * sections of very different widths, and the lines stay easy to cut). Write errors are
 * caught once, at the flush, as in the other renderers.
 */
#include "config.h"
#include "out/tracetext.h"
#include "dns/rrtext.h"

#include <stdlib.h>
#include <string.h>

/* Two spaces per depth of side trace. */
static void indent(FILE *f, unsigned depth)
{
	for (unsigned i = 0; i < depth; i++)
		fputs("  ", f);
}

static int rrs_print(FILE *f, unsigned depth, const ldns_rr_list *list)
{
	for (size_t i = 0; i < ldns_rr_list_rr_count(list); i++) {
		struct rrtext r;

		if (rrtext_from_rr(&r, ldns_rr_list_rr(list, i)) < 0)
			return -1;
		indent(f, depth);
		fprintf(f, "%s\t%u\t%s\t%s\t%s\n", r.owner, (unsigned)r.ttl, r.klass, r.type,
		        r.rdata);
		rrtext_clear(&r);
	}
	return 0;
}

/* ";; resolving NAME TYPE" before the first step of a side trace (or of its AAAA retry). */
static void side_header(FILE *f, const struct trace_step *s, const struct trace_step *prev)
{
	char type[16];
	bool starts;

	if (s->depth == 0)
		return;
	starts = prev == NULL || prev->depth < s->depth ||
	         (prev->depth == s->depth && prev->kind != TRACE_CNAME &&
	          (prev->qtype != s->qtype || strcmp(prev->qname, s->qname) != 0));
	if (!starts)
		return;
	indent(f, s->depth - 1);
	fprintf(f, ";; resolving %s %s (a name server without glue)\n", s->qname,
	        rrtext_type(type, sizeof(type), s->qtype));
}

static int step_print(FILE *f, const struct trace_step *s, const struct trace_step *prev)
{
	const ldns_rr_list *first = NULL, *second = NULL;

	side_header(f, s, prev);
	if (s->kind == TRACE_SKIPPED) {
		indent(f, s->depth);
		if (s->addr[0] != '\0')
			fprintf(f, ";; skipped %s (%s): %s\n", s->addr, s->server.label, s->reason);
		else
			fprintf(f, ";; skipped %s: %s\n", s->server.label, s->reason);
		return 0;
	}
	if (s->kind == TRACE_PRIMING || s->kind == TRACE_REFERRAL) {
		first = s->ns;
		second = s->glue;
	} else {
		first = s->records;
	}
	if (rrs_print(f, s->depth, first) < 0 || rrs_print(f, s->depth, second) < 0)
		return -1;
	indent(f, s->depth);
	fprintf(f, ";; Received %zu bytes from %s(%s) in %.1f ms%s\n", s->net ? s->net->size : 0,
	        s->addr, s->server.label, s->net ? s->net->rtt_ms : 0.0,
	        s->net && s->net->tc_retry ? " over TCP after TC" : "");
	if (s->kind == TRACE_CNAME && s->child != NULL) {
		indent(f, s->depth);
		fprintf(f, ";; CNAME: following %s from the root\n", s->child);
	}
	fputc('\n', f);
	return 0;
}

/* The outcome line. */
static void outcome_print(FILE *f, const struct trace *t)
{
	const struct trace_step *s = trace_final(t);
	char type[16];
	size_t n;

	switch (trace_status(t)) {
	case TRACE_RUNNING:
		fprintf(f, ";; TRACE RUNNING\n");
		return;
	case TRACE_FAILED:
		fprintf(f, ";; TRACE FAILED: %s\n", trace_error(t));
		return;
	case TRACE_ERROR:
		fprintf(f, ";; TRACE STOPPED: %s\n", trace_error(t));
		return;
	case TRACE_DONE:
		break;
	}
	if (s == NULL)
		return;
	fprintf(f, ";; TRACE DONE: ");
	if (s->kind == TRACE_NXDOMAIN) {
		fprintf(f, "NXDOMAIN");
	} else if (s->kind == TRACE_NODATA) {
		fprintf(f, "NODATA (no %s records)", rrtext_type(type, sizeof(type), s->qtype));
	} else {
		n = ldns_rr_list_rr_count(s->records);
		fprintf(f, "NOERROR, %zu answer record%s", n, n == 1 ? "" : "s");
	}
	fprintf(f, ", authoritative (aa) from %s\n;; for zone %s\n", s->server.label, s->zone);
}

int tracetext_print(FILE *f, const struct trace *t)
{
	const struct query_spec *q = trace_question(t);
	char *qname = rrtext_dname(q->qname);
	char type[16], klass[16];
	size_t skipped = 0, referrals = 0;
	int rc = 0;

	if (qname == NULL)
		return -1;
	fprintf(f, ";; TRACE %s %s %s from the root hints, RD=0\n\n", qname,
	        rrtext_class(klass, sizeof(klass), q->qclass),
	        rrtext_type(type, sizeof(type), q->qtype));
	free(qname);
	for (size_t i = 0; rc == 0 && i < trace_nsteps(t); i++) {
		const struct trace_step *s = trace_step(t, i);

		skipped += s->kind == TRACE_SKIPPED;
		referrals += s->kind == TRACE_REFERRAL;
		rc = step_print(f, s, i > 0 ? trace_step(t, i - 1) : NULL);
	}
	if (rc < 0)
		return -1;
	if (trace_nsteps(t) > 0 && trace_step(t, trace_nsteps(t) - 1)->kind == TRACE_SKIPPED)
		fputc('\n', f);
	outcome_print(f, t);
	fprintf(f, ";; %u quer%s, %zu server%s skipped, %zu referral%s, %.1f ms\n",
	        trace_queries(t), trace_queries(t) == 1 ? "y" : "ies", skipped,
	        skipped == 1 ? "" : "s", referrals, referrals == 1 ? "" : "s", trace_elapsed_ms(t));
	return fflush(f) == EOF || ferror(f) ? -1 : 0;
}
