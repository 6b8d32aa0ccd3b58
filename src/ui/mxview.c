/*
 * mxview.c -- an MX failover plan as pane lines: title, headline, body, detail (see mxview.h).
 *
 * The plan's strings are escaped ASCII already; our own literals may hold UTF-8 ("§", "…",
 * "→"). Widths are always measured in columns (pane_textwidth), and wrapping breaks at blanks,
 * or inside a word only at a character boundary.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ui/mxview.h"
#include "ui/view.h"

/* Columns of the severity word in the findings ("warning" is the widest). */
#define MXV_SEV_W 7
/* Columns of the record kind ("MTA-STS", "TLS-RPT"). */
#define MXV_KIND_W 7
/* Indent of an exchange that is a member of an equal-preference step. */
#define MXV_MEMBER_IND 6
/* Indent of an address under its exchange. */
#define MXV_ADDR_IND 8
/* Indent of an address's SMTP line. */
#define MXV_SMTP_IND 10
/* Headline: at most this many steps are named; the rest are counted. */
#define MXV_HEAD_STEPS 3
/* Headline: an equal-preference step with more members than this is counted, not listed. */
#define MXV_HEAD_MEMBERS 3

/* Builds lines and their references side by side. */
struct mxb {
	struct pane_builder pb;  /* first: mxb_newline() gets the mxb back from it */
	struct mxview_ref *refs; /* one per line of pb.out; NULL when not wanted */
	size_t cap;
	bool want_refs;
	int64_t now_ms; /* TTL countdowns run against it; 0 = TTLs as received */
};

static struct pane_line *mxb_line(struct mxb *b, enum mxview_kind kind, size_t i, size_t j)
{
	struct pane_line *l = pane_builder_line(&b->pb);

	if (!l)
		return NULL;
	if (b->want_refs) {
		struct pane_lines *out = b->pb.out;

		if (out->n > b->cap) {
			size_t cap = b->cap ? b->cap * 2 : 64;
			struct mxview_ref *v;

			while (cap < out->n)
				cap *= 2;
			v = realloc(b->refs, cap * sizeof(*v));
			if (!v) {
				/* Without its reference the line cannot stay: the two must match.
				 */
				out->n--;
				pane_line_clear(l);
				b->pb.err = -1;
				return NULL;
			}
			memset(v + b->cap, 0, (cap - b->cap) * sizeof(*v));
			b->refs = v;
			b->cap = cap;
		}
		b->refs[out->n - 1] = (struct mxview_ref){kind, i, j};
	}
	return l;
}

/* Continuation lines of pane_builder_wrap() carry the reference ctx points to. */
static struct pane_line *mxb_newline(struct pane_builder *pb, const void *ctx)
{
	const struct mxview_ref *ref = ctx;

	/* pb is the first member of a struct mxb (C11 6.7.2.1). */
	return mxb_line((struct mxb *)pb, ref->kind, ref->i, ref->j);
}

static const struct mxview_ref mxv_noref = {MXVIEW_NONE, 0, 0};

static int mxv_sev_style(enum mx_severity s)
{
	switch (s) {
	case MX_SEV_ERROR:
		return PANE_ERR;
	case MX_SEV_WARNING:
		return PANE_WARN;
	default:
		return PANE_LABEL;
	}
}

static int mxv_digits(unsigned long v)
{
	int d = 1;

	while (v >= 10) {
		v /= 10;
		d++;
	}
	return d;
}

/* Findings by severity. */
static void mxv_count(const struct mxplan *p, size_t n[3])
{
	n[0] = n[1] = n[2] = 0;
	for (size_t i = 0; i < mxplan_nfindings(p); i++) {
		const struct mx_finding *f = mxplan_finding(p, i);

		if (f && (unsigned)f->severity <= MX_SEV_ERROR)
			n[f->severity]++;
	}
}

/* An exchange a sender cannot deliver to. */
static bool mxv_unusable(const struct mx_exchange *x)
{
	return x->state == MX_X_NXDOMAIN || x->state == MX_X_NODATA || x->state == MX_X_FAILED ||
	       (x->state == MX_X_RESOLVED && x->naddrs == 0);
}

/* The null MX's "." or the implicit MX's domain, as a step's exchange. */
static bool mxv_is_root(const struct mx_exchange *x)
{
	return x->name && strcmp(x->name, ".") == 0;
}

/* ---- title and headline ----------------------------------------------------------------- */

int mxview_title(struct pane_line *out, const struct mxplan *p)
{
	int r = 0;

	r |= pane_line_add(out, PANE_NORMAL, "MX failover plan");
	if (!p)
		return r ? -1 : 0;
	r |= pane_line_add(out, PANE_NORMAL, " for ");
	r |= pane_line_add(out, PANE_NORMAL, "%s", mxplan_domain(p) ? mxplan_domain(p) : "?");
	r |= pane_line_add(out, PANE_NORMAL, "  mode: %s", mxplan_mode_str(mxplan_mode(p)));
	return r ? -1 : 0;
}

/* "mx1.example.test." or "one of mxa.example.test., mxb.example.test. (any order)". */
static void mxv_step_names(char **acc, const struct mxplan *p, const struct mx_step *st)
{
	char *s = NULL;

	if (st->count == 1) {
		const struct mx_exchange *x = mxplan_exchange(p, st->first);

		if (asprintf(&s, "%s%s%s%s%s", *acc, x && x->name ? x->name : "?",
		             x && x->alias_target ? " (an alias of " : "",
		             x && x->alias_target ? x->alias_target : "",
		             x && x->alias_target ? ")" : "") < 0)
			s = NULL;
	} else if (st->count > MXV_HEAD_MEMBERS) {
		if (asprintf(&s, "%sone of %zu exchanges (any order)", *acc, st->count) < 0)
			s = NULL;
	} else {
		char *t = strdup(*acc);

		for (size_t k = 0; t && k < st->count; k++) {
			const struct mx_exchange *x = mxplan_exchange(p, st->first + k);
			char *u;

			if (asprintf(&u, "%s%s%s", t, k == 0 ? "one of " : ", ",
			             x && x->name ? x->name : "?") < 0)
				u = NULL;
			free(t);
			t = u;
		}
		if (t && asprintf(&s, "%s (any order)", t) < 0)
			s = NULL;
		free(t);
	}
	if (s) {
		free(*acc);
		*acc = s;
	}
}

static char *mxv_route_sentence(const struct mxplan *p)
{
	size_t n = mxplan_nsteps(p);
	char *acc = strdup("Mail goes to ");

	for (size_t i = 0; acc && i < n && i < MXV_HEAD_STEPS; i++) {
		const struct mx_step *st = mxplan_step(p, i);
		char *t;

		if (!st)
			break;
		if (i > 0) {
			if (asprintf(&t, "%s, then ", acc) < 0)
				break;
			free(acc);
			acc = t;
		}
		mxv_step_names(&acc, p, st);
		if (i == 0 && n > 1) {
			if (asprintf(&t, "%s first", acc) < 0)
				break;
			free(acc);
			acc = t;
		}
	}
	if (acc && n > MXV_HEAD_STEPS) {
		char *t;

		if (asprintf(&t, "%s, then %zu more step%s", acc, n - MXV_HEAD_STEPS,
		             n - MXV_HEAD_STEPS == 1 ? "" : "s") >= 0) {
			free(acc);
			acc = t;
		}
	}
	/* A sentence that ends in an absolute name already has its full stop. */
	if (acc && acc[strlen(acc) - 1] != '.') {
		char *t;

		if (asprintf(&t, "%s.", acc) >= 0) {
			free(acc);
			acc = t;
		}
	}
	return acc;
}

/* The first finding of a severity, or NULL. */
static const struct mx_finding *mxv_first(const struct mxplan *p, enum mx_severity sev)
{
	for (size_t i = 0; i < mxplan_nfindings(p); i++) {
		const struct mx_finding *f = mxplan_finding(p, i);

		if (f && f->severity == sev)
			return f;
	}
	return NULL;
}

/* Why mail cannot be delivered when no exchange is usable (real: how many there are). */
static const char *mxv_why_unusable(const struct mxplan *p, size_t real)
{
	const struct mx_exchange *x = NULL;

	if (real > 1)
		return "None of them has a usable address: mail cannot be delivered.";
	for (size_t i = 0; i < mxplan_nexchanges(p) && !x; i++)
		if (mxplan_exchange(p, i) && !mxv_is_root(mxplan_exchange(p, i)))
			x = mxplan_exchange(p, i);
	if (x && x->ip_literal)
		return "It is an IP address written as a host name: mail cannot be delivered.";
	if (x && x->state == MX_X_NXDOMAIN)
		return "That name does not exist: mail cannot be delivered.";
	if (x && x->state == MX_X_FAILED)
		return "Its address lookups failed: mail cannot be delivered now.";
	return "It has no address (no A or AAAA): mail cannot be delivered.";
}

int mxview_headline(struct pane_lines *out, const struct mxplan *p, int width)
{
	struct mxb b = {.want_refs = false};
	struct pane_line *l;
	const char *dom = mxplan_domain(p) ? mxplan_domain(p) : "?";
	const char *ell = pane_glyph(PANE_G_ELLIPSIS);
	size_t cnt[3];
	char *text = NULL;
	int style = PANE_VALUE;

	pane_builder_init(&b.pb, out, width, mxb_newline);
	l = mxb_line(&b, MXVIEW_NONE, 0, 0);
	switch (mxplan_mode(p)) {
	case MX_MODE_PENDING:
		if (asprintf(&text, "Asking for the MX records of %s", dom) < 0)
			text = NULL;
		style = PANE_DIM;
		break;
	case MX_MODE_NULL:
		text = strdup("This domain accepts no mail (null MX, RFC 7505).");
		style = PANE_WARN;
		break;
	case MX_MODE_IMPLICIT:
		text =
		    strdup("No MX records: mail goes to the domain's own address (implicit MX).");
		break;
	case MX_MODE_NONE: {
		const struct mx_finding *f = mxv_first(p, MX_SEV_ERROR);

		const char *why = f && f->message ? f->message : "no MX and no address records";

		if (asprintf(&text, "No mail route: %s%s", why,
		             *why && why[strlen(why) - 1] == '.' ? "" : ".") < 0)
			text = NULL;
		style = PANE_ERR;
		break;
	}
	case MX_MODE_MX:
	default:
		text = mxv_route_sentence(p);
		break;
	}
	if (!text) {
		b.pb.err = -1;
		return b.pb.err;
	}
	l = pane_builder_wrap(&b.pb, l, 0, style, text, &mxv_noref);
	free(text);

	if (mxplan_mode(p) == MX_MODE_MX) {
		size_t nx = mxplan_nexchanges(p), bad = 0, pending = 0, real = 0;

		for (size_t i = 0; i < nx; i++) {
			const struct mx_exchange *x = mxplan_exchange(p, i);

			if (!x || mxv_is_root(x))
				continue;
			real++;
			if (x->state == MX_X_PENDING)
				pending++;
			else if (mxv_unusable(x))
				bad++;
		}
		if (real > 0 && bad == real) {
			l = pane_builder_wrap(&b.pb, l, 0, PANE_ERR, mxv_why_unusable(p, real),
			                      &mxv_noref);
		} else if (bad > 0) {
			char *t;

			if (asprintf(&t, "%zu of %zu exchanges cannot receive mail.", bad, real) >=
			    0) {
				l = pane_builder_wrap(&b.pb, l, 0, PANE_WARN, t, &mxv_noref);
				free(t);
			}
		} else if (pending > 0) {
			l = pane_builder_wrap(&b.pb, l, 0, PANE_DIM, "Resolving the exchanges",
			                      &mxv_noref);
			pane_builder_add(&b.pb, l, PANE_DIM, "%s", ell);
		}
	}
	if (mxplan_nsteps(p) > 0 && mxplan_verdict(p) && mxplan_verdict(p)->known) {
		const struct mx_verdict *v = mxplan_verdict(p);
		char *t = NULL;

		if (v->first_reachable &&
		    asprintf(&t, "SMTP probe: %s answers now.",
		             v->first_reachable->name ? v->first_reachable->name : "?") < 0)
			t = NULL;
		l = mxb_line(&b, MXVIEW_NONE, 0, 0);
		pane_builder_wrap(
		    &b.pb, l, 0, v->first_reachable ? PANE_OK : PANE_ERR,
		    t ? t
		      : "SMTP probe: no exchange answered; senders would queue the mail and "
		        "retry, then bounce it.",
		    &mxv_noref);
		free(t);
	}

	/* The findings line: the answer to "is anything wrong?" at a glance. */
	mxv_count(p, cnt);
	l = mxb_line(&b, MXVIEW_NONE, 0, 0);
	if (cnt[0] + cnt[1] + cnt[2] == 0) {
		if (mxplan_done(p))
			pane_builder_add(&b.pb, l, PANE_OK, "No findings: nothing wrong found.");
		else
			pane_builder_add(&b.pb, l, PANE_DIM, "Findings: none so far%s", ell);
		return b.pb.err;
	}
	pane_builder_add(&b.pb, l, PANE_LABEL, "Findings:");
	if (cnt[MX_SEV_ERROR])
		pane_builder_add(&b.pb, l, PANE_ERR, " %zu error%s", cnt[MX_SEV_ERROR],
		                 cnt[MX_SEV_ERROR] == 1 ? "" : "s");
	if (cnt[MX_SEV_WARNING])
		pane_builder_add(&b.pb, l, PANE_WARN, " %zu warning%s", cnt[MX_SEV_WARNING],
		                 cnt[MX_SEV_WARNING] == 1 ? "" : "s");
	if (cnt[MX_SEV_INFO])
		pane_builder_add(&b.pb, l, PANE_LABEL, " %zu info", cnt[MX_SEV_INFO]);
	if (!mxplan_done(p))
		pane_builder_add(&b.pb, l, PANE_DIM, " so far%s", ell);
	if (l && l->width + 40 <= b.pb.width)
		pane_builder_add(&b.pb, l, PANE_DIM, "  (Tab jumps to the next, Enter explains)");
	return b.pb.err;
}

int mxview_state(char *buf, size_t buflen, const struct mxplan *p)
{
	size_t cnt[3], pending = 0;

	if (!p) {
		snprintf(buf, buflen, "no MX plan");
		return PANE_DIM;
	}
	if (!mxplan_done(p)) {
		size_t probing = 0;

		for (size_t i = 0; i < mxplan_nexchanges(p); i++) {
			const struct mx_exchange *x = mxplan_exchange(p, i);

			pending += x && x->state == MX_X_PENDING;
			for (size_t k = 0; x && k < x->naddrs; k++)
				probing += x->addrs[k].smtp_pending;
		}
		if (pending)
			snprintf(buf, buflen, "resolving%s %zu exchange%s left",
			         pane_glyph(PANE_G_ELLIPSIS), pending, pending == 1 ? "" : "s");
		else if (probing)
			snprintf(buf, buflen, "SMTP probe running%s %zu address%s left",
			         pane_glyph(PANE_G_ELLIPSIS), probing, probing == 1 ? "" : "es");
		else
			snprintf(buf, buflen, "resolving%s", pane_glyph(PANE_G_ELLIPSIS));
		return PANE_DIM;
	}
	mxv_count(p, cnt);
	/* "No problems" would mislead when the answer to "why does mail bounce?" is the mode. */
	if (mxplan_mode(p) == MX_MODE_NULL) {
		snprintf(buf, buflen, "done: accepts no mail (null MX)");
		return PANE_WARN;
	}
	if (mxplan_mode(p) == MX_MODE_NONE && cnt[MX_SEV_ERROR] == 0) {
		snprintf(buf, buflen, "done: no mail route");
		return PANE_ERR;
	}
	if (mxplan_nsteps(p) > 0 && mxplan_verdict(p) && mxplan_verdict(p)->known &&
	    !mxplan_verdict(p)->first_reachable) {
		snprintf(buf, buflen, "done: no exchange answered SMTP");
		return PANE_ERR;
	}
	if (cnt[MX_SEV_ERROR] + cnt[MX_SEV_WARNING] == 0) {
		snprintf(buf, buflen, "done: no problems found");
		return PANE_OK;
	}
	if (cnt[MX_SEV_ERROR] && cnt[MX_SEV_WARNING])
		snprintf(buf, buflen, "done: %zu error%s, %zu warning%s", cnt[MX_SEV_ERROR],
		         cnt[MX_SEV_ERROR] == 1 ? "" : "s", cnt[MX_SEV_WARNING],
		         cnt[MX_SEV_WARNING] == 1 ? "" : "s");
	else if (cnt[MX_SEV_ERROR])
		snprintf(buf, buflen, "done: %zu error%s", cnt[MX_SEV_ERROR],
		         cnt[MX_SEV_ERROR] == 1 ? "" : "s");
	else
		snprintf(buf, buflen, "done: %zu warning%s", cnt[MX_SEV_WARNING],
		         cnt[MX_SEV_WARNING] == 1 ? "" : "s");
	return cnt[MX_SEV_ERROR] ? PANE_ERR : PANE_WARN;
}

/* ---- body: the delivery plan ------------------------------------------------------------ */

/* Column widths shared by every address line. */
struct mxv_cols {
	int addr; /* address text */
	int ttl;  /* TTL digits */
};

/* What we know of an exchange, after its name on its line. */
static void mxv_xstate(struct mxb *b, struct pane_line *l, const struct mxplan *p,
                       const struct mx_exchange *x)
{
	const char *cross = pane_glyph(PANE_G_CROSS);

	if (mxv_is_root(x)) {
		pane_builder_add(&b->pb, l, PANE_WARN, "  null MX: this domain accepts no mail");
		return;
	}
	if (mxplan_mode(p) == MX_MODE_IMPLICIT)
		pane_builder_add(&b->pb, l, PANE_DIM, "  (the domain itself: implicit MX)");
	if (x->alias_target) {
		pane_builder_add(&b->pb, l, PANE_WARN, "  %s %s", pane_glyph(PANE_G_ARROW),
		                 x->alias_target);
		pane_builder_add(&b->pb, l, PANE_WARN, " (CNAME)");
	}
	if (x->ip_literal)
		pane_builder_add(&b->pb, l, PANE_ERR, "  %s IP literal, not a host name", cross);
	switch (x->state) {
	case MX_X_PENDING:
		pane_builder_add(&b->pb, l, PANE_DIM, "  resolving%s", pane_glyph(PANE_G_ELLIPSIS));
		break;
	case MX_X_NXDOMAIN:
		pane_builder_add(&b->pb, l, PANE_ERR, "  %s does not exist (NXDOMAIN)", cross);
		break;
	case MX_X_NODATA:
		pane_builder_add(&b->pb, l, PANE_ERR, "  %s no address (no A or AAAA)", cross);
		break;
	case MX_X_FAILED:
		pane_builder_add(&b->pb, l, PANE_ERR, "  %s address lookup failed", cross);
		break;
	case MX_X_RESOLVED:
	default:
		if (x->naddrs == 0)
			pane_builder_add(&b->pb, l, PANE_ERR, "  %s no address", cross);
		break;
	}
	if (x->duplicates)
		pane_builder_add(&b->pb, l, PANE_WARN, "  (listed %u more time%s)", x->duplicates,
		                 x->duplicates == 1 ? "" : "s");
}

static void mxv_smtp_line(struct mxb *b, const struct mx_address *a, size_t xi, size_t ai,
                          bool smtp)
{
	const struct smtp_result *r = a->smtp;
	struct pane_line *l;
	char ms[32];

	if (!r && !a->smtp_pending && !smtp)
		return;
	l = mxb_line(b, MXVIEW_ADDRESS, xi, ai);
	pane_builder_addw(&b->pb, l, PANE_NORMAL, MXV_SMTP_IND, false, "");
	pane_builder_add(&b->pb, l, PANE_LABEL, "SMTP ");
	if (!r) {
		if (a->smtp_pending)
			pane_builder_add(&b->pb, l, PANE_DIM, "probing%s",
			                 pane_glyph(PANE_G_ELLIPSIS));
		else
			pane_builder_add(&b->pb, l, PANE_DIM, "not probed");
		return;
	}
	pane_builder_add(&b->pb, l, r->status == SMTP_OK ? PANE_OK : PANE_ERR, "%s",
	                 smtp_status_str(r->status));
	if (r->status == SMTP_OK) {
		pane_ms(ms, sizeof(ms), r->connect_ms);
		pane_builder_add(&b->pb, l, PANE_VALUE, " %s", ms);
		if (r->starttls)
			pane_builder_add(&b->pb, l, PANE_OK, " STARTTLS");
		else
			pane_builder_add(&b->pb, l, PANE_WARN, " no STARTTLS");
	} else if (r->greeting_code) {
		pane_builder_add(&b->pb, l, PANE_ERR, " %d", r->greeting_code);
	}
	if (r->banner)
		pane_builder_add(&b->pb, l, PANE_DIM, "  %s", r->banner);
}

static void mxv_address(struct mxb *b, const struct mx_address *a, size_t xi, size_t ai,
                        const struct mxv_cols *c, bool smtp)
{
	struct pane_line *l = mxb_line(b, MXVIEW_ADDRESS, xi, ai);
	char ttl[16], human[16];
	int hstyle = PANE_DIM;

	if (!l)
		return;
	pane_builder_addw(&b->pb, l, PANE_NORMAL, MXV_ADDR_IND, false, "");
	pane_builder_addw(&b->pb, l, PANE_VALUE, c->addr, false, a->text);
	pane_builder_add(&b->pb, l, PANE_DIM, "  TTL ");
	if (b->now_ms && a->rx_ms)
		hstyle = view_ttl_cells(ttl, human, a->ttl, a->rx_ms, b->now_ms);
	else
		snprintf(ttl, sizeof(ttl), "%lu", (unsigned long)a->ttl);
	pane_builder_addw(&b->pb, l, PANE_NORMAL, c->ttl, true, ttl);
	if (b->now_ms && a->rx_ms) {
		pane_builder_add(&b->pb, l, PANE_NORMAL, " ");
		pane_builder_addw(&b->pb, l, hstyle, 8, false, human);
	}
	pane_builder_add(&b->pb, l, PANE_NORMAL, "  ");
	switch (a->fcrdns) {
	case MX_FCRDNS_PENDING:
		if (a->ptr) {
			pane_builder_add(&b->pb, l, PANE_LABEL, "PTR ");
			pane_builder_add(&b->pb, l, PANE_NORMAL, "%s", a->ptr);
			pane_builder_add(&b->pb, l, PANE_DIM, " FCrDNS%s",
			                 pane_glyph(PANE_G_ELLIPSIS));
		} else {
			pane_builder_add(&b->pb, l, PANE_DIM, "PTR%s", pane_glyph(PANE_G_ELLIPSIS));
		}
		break;
	case MX_FCRDNS_NO_PTR:
		pane_builder_add(&b->pb, l, PANE_DIM, "no PTR");
		break;
	case MX_FCRDNS_OK:
	case MX_FCRDNS_MISMATCH:
	default:
		pane_builder_add(&b->pb, l, PANE_LABEL, "PTR ");
		pane_builder_add(&b->pb, l, PANE_NORMAL, "%s", a->ptr ? a->ptr : "?");
		if (a->fcrdns == MX_FCRDNS_OK)
			pane_builder_add(&b->pb, l, PANE_OK, " FCrDNS ok");
		else
			pane_builder_add(&b->pb, l, PANE_WARN, " FCrDNS mismatch");
		break;
	}
	if (a->special)
		pane_builder_add(&b->pb, l, PANE_DIM, "  %s",
		                 a->special_name ? a->special_name : "special-purpose");
	mxv_smtp_line(b, a, xi, ai, smtp);
}

static void mxv_exchange_addrs(struct mxb *b, const struct mx_exchange *x, size_t xi,
                               const struct mxv_cols *c, bool smtp)
{
	for (size_t k = 0; k < x->naddrs; k++)
		mxv_address(b, &x->addrs[k], xi, k, c, smtp);
}

static void mxv_plan(struct mxb *b, const struct mxplan *p, bool smtp)
{
	size_t ns = mxplan_nsteps(p), nx = mxplan_nexchanges(p);
	struct mxv_cols c = {.addr = 7, .ttl = 1};
	struct pane_line *l;
	int pw = 1;
	const char *ell = pane_glyph(PANE_G_ELLIPSIS);

	l = mxb_line(b, MXVIEW_NONE, 0, 0);
	pane_builder_add(&b->pb, l, ns ? PANE_HEADING : PANE_DIM, "DELIVERY PLAN");
	if (ns > 1)
		pane_builder_add(&b->pb, l, PANE_DIM, " (%zu steps, tried in this order)", ns);
	else if (ns == 1)
		pane_builder_add(&b->pb, l, PANE_DIM, " (1 step)");

	for (size_t i = 0; i < nx; i++) {
		const struct mx_exchange *x = mxplan_exchange(p, i);

		for (size_t k = 0; x && k < x->naddrs; k++) {
			int w = pane_textwidth(x->addrs[k].text);

			c.addr = w > c.addr ? w : c.addr;
			w = mxv_digits(x->addrs[k].ttl);
			c.ttl = w > c.ttl ? w : c.ttl;
		}
	}
	for (size_t i = 0; i < ns; i++) {
		const struct mx_step *st = mxplan_step(p, i);
		int d = st ? mxv_digits(st->preference) : 1;

		pw = d > pw ? d : pw;
	}

	if (ns == 0) {
		l = mxb_line(b, MXVIEW_NONE, 0, 0);
		switch (mxplan_mode(p)) {
		case MX_MODE_PENDING:
			pane_builder_add(&b->pb, l, PANE_DIM, "  resolving%s MX for %s", ell,
			                 mxplan_domain(p) ? mxplan_domain(p) : "?");
			break;
		case MX_MODE_NULL:
			pane_builder_add(&b->pb, l, PANE_WARN,
			                 "  MX 0 . (null MX): senders must not try to deliver");
			break;
		default:
			pane_builder_add(&b->pb, l, PANE_DIM,
			                 "  no exchange: nowhere to deliver to");
			break;
		}
	}

	for (size_t i = 0; i < ns; i++) {
		const struct mx_step *st = mxplan_step(p, i);
		char step[32], pref[16];

		if (!st)
			continue;
		snprintf(step, sizeof(step), "step %zu", i + 1);
		snprintf(pref, sizeof(pref), "%u", (unsigned)st->preference);
		l = mxb_line(b, st->count == 1 ? MXVIEW_EXCHANGE : MXVIEW_NONE, st->first, 0);
		pane_builder_add(&b->pb, l, PANE_NORMAL, "  ");
		pane_builder_add(&b->pb, l, PANE_LABEL, "%s", step);
		pane_builder_add(&b->pb, l, PANE_LABEL, "  pref ");
		pane_builder_addw(&b->pb, l, PANE_VALUE, pw, false, pref);
		pane_builder_add(&b->pb, l, PANE_NORMAL, "  ");
		if (st->count == 1) {
			const struct mx_exchange *x = mxplan_exchange(p, st->first);

			if (!x)
				continue;
			pane_builder_add(&b->pb, l, PANE_VALUE, "%s", x->name ? x->name : "?");
			mxv_xstate(b, l, p, x);
			mxv_exchange_addrs(b, x, st->first, &c, smtp);
			continue;
		}
		pane_builder_add(&b->pb, l, PANE_NORMAL, "any order (RFC 5321 §5.1 random):");
		for (size_t k = 0; k < st->count; k++) {
			size_t xi = st->first + k;
			const struct mx_exchange *x = mxplan_exchange(p, xi);

			if (!x)
				continue;
			l = mxb_line(b, MXVIEW_EXCHANGE, xi, 0);
			pane_builder_addw(&b->pb, l, PANE_NORMAL, MXV_MEMBER_IND, false, "");
			pane_builder_add(&b->pb, l, PANE_VALUE, "%s", x->name ? x->name : "?");
			mxv_xstate(b, l, p, x);
			mxv_exchange_addrs(b, x, xi, &c, smtp);
		}
	}

	if (smtp && ns > 0) {
		const struct mx_verdict *v = mxplan_verdict(p);

		l = mxb_line(b, MXVIEW_NONE, 0, 0);
		pane_builder_add(&b->pb, l, PANE_NORMAL, "  ");
		pane_builder_add(&b->pb, l, PANE_LABEL, "SMTP verdict ");
		if (!v || !v->known)
			pane_builder_add(&b->pb, l, PANE_DIM, "probing%s", ell);
		else
			pane_builder_wrap(
			    &b->pb, l, 15, v->first_reachable ? PANE_OK : PANE_ERR,
			    v->summary
			        ? v->summary
			        : (v->first_reachable ? "reachable" : "no exchange answered"),
			    &mxv_noref);
	}
}

/* ---- body: findings and mail records ---------------------------------------------------- */

static void mxv_findings(struct mxb *b, const struct mxplan *p)
{
	size_t n = mxplan_nfindings(p);
	struct pane_line *l;
	int cw = 4;
	bool narrow;

	l = mxb_line(b, MXVIEW_NONE, 0, 0);
	pane_builder_add(&b->pb, l, n ? PANE_HEADING : PANE_DIM, "FINDINGS");
	pane_builder_add(&b->pb, l, PANE_DIM, " (%zu)", n);
	if (n == 0) {
		l = mxb_line(b, MXVIEW_NONE, 0, 0);
		if (mxplan_done(p))
			pane_builder_add(&b->pb, l, PANE_OK, "  none: nothing wrong found");
		else
			pane_builder_add(&b->pb, l, PANE_DIM, "  none so far%s",
			                 pane_glyph(PANE_G_ELLIPSIS));
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct mx_finding *f = mxplan_finding(p, i);
		int w = f && f->code ? pane_textwidth(f->code) : 0;

		cw = w > cw ? w : cw;
	}
	/* Wide enough for columns (severity, code, message), or the message goes below. */
	narrow = b->pb.width - (2 + MXV_SEV_W + 2 + cw + 2) < 30;
	for (size_t i = 0; i < n; i++) {
		const struct mx_finding *f = mxplan_finding(p, i);
		struct mxview_ref ref = {MXVIEW_FINDING, i, 0};
		char *msg;
		int ind;

		if (!f)
			continue;
		l = mxb_line(b, MXVIEW_FINDING, i, 0);
		pane_builder_add(&b->pb, l, PANE_NORMAL, "  ");
		pane_builder_addw(&b->pb, l, mxv_sev_style(f->severity), MXV_SEV_W, false,
		                  mxplan_severity_str(f->severity));
		pane_builder_add(&b->pb, l, PANE_NORMAL, "  ");
		if (narrow) {
			pane_builder_add(&b->pb, l, PANE_VALUE, "%s", f->code ? f->code : "?");
			l = mxb_line(b, MXVIEW_FINDING, i, 0);
			ind = 4;
			pane_builder_addw(&b->pb, l, PANE_NORMAL, ind, false, "");
		} else {
			pane_builder_addw(&b->pb, l, PANE_VALUE, cw, false,
			                  f->code ? f->code : "?");
			pane_builder_add(&b->pb, l, PANE_NORMAL, "  ");
			ind = 2 + MXV_SEV_W + 2 + cw + 2;
		}
		l = pane_builder_wrap(&b->pb, l, ind, PANE_NORMAL, f->message ? f->message : "",
		                      &ref);
		if (f->rfc && asprintf(&msg, "(%s)", f->rfc) >= 0) {
			/* Keep "RFC 2181 §10.3" in one piece where it fits. */
			if (l && l->width + 1 + pane_textwidth(msg) > b->pb.width &&
			    l->width > ind) {
				l = mxb_line(b, MXVIEW_FINDING, i, 0);
				pane_builder_addw(&b->pb, l, PANE_NORMAL, ind, false, "");
				pane_builder_add(&b->pb, l, PANE_DIM, "%s", msg);
			} else {
				pane_builder_add(&b->pb, l, PANE_DIM, "%s%s",
				                 l && l->width > ind ? " " : "", msg);
			}
			free(msg);
		}
	}
}

static void mxv_records(struct mxb *b, const struct mxplan *p)
{
	size_t n = mxplan_nrecords(p);
	struct pane_line *l;
	int ow = 1, tcol;
	bool narrow;

	l = mxb_line(b, MXVIEW_NONE, 0, 0);
	pane_builder_add(&b->pb, l, n ? PANE_HEADING : PANE_DIM, "MAIL RECORDS");
	if (n == 0) {
		l = mxb_line(b, MXVIEW_NONE, 0, 0);
		pane_builder_add(&b->pb, l, PANE_DIM, "  none asked");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct mx_record *r = mxplan_record(p, i);
		int w = r && r->owner ? pane_textwidth(r->owner) : 0;

		ow = w > ow ? w : ow;
	}
	tcol = 2 + MXV_KIND_W + 2 + ow + 2;
	narrow = b->pb.width - tcol < 24;
	if (narrow)
		tcol = 4;
	for (size_t i = 0; i < n; i++) {
		const struct mx_record *r = mxplan_record(p, i);

		if (!r)
			continue;
		l = mxb_line(b, MXVIEW_RECORD, i, 0);
		pane_builder_add(&b->pb, l, PANE_NORMAL, "  ");
		pane_builder_addw(&b->pb, l, PANE_LABEL, MXV_KIND_W, false,
		                  r->kind ? r->kind : "?");
		pane_builder_add(&b->pb, l, PANE_NORMAL, "  ");
		if (narrow) {
			pane_builder_add(&b->pb, l, PANE_NORMAL, "%s", r->owner ? r->owner : "?");
			l = mxb_line(b, MXVIEW_RECORD, i, 0);
			pane_builder_addw(&b->pb, l, PANE_NORMAL, tcol, false, "");
		} else {
			pane_builder_addw(&b->pb, l, PANE_NORMAL, ow, false,
			                  r->owner ? r->owner : "?");
			pane_builder_add(&b->pb, l, PANE_NORMAL, "  ");
		}
		if (!r->done) {
			pane_builder_add(&b->pb, l, PANE_DIM, "resolving%s",
			                 pane_glyph(PANE_G_ELLIPSIS));
		} else if (r->error) {
			pane_builder_add(&b->pb, l, PANE_ERR, "%s", r->error);
		} else if (r->ntexts == 0) {
			pane_builder_add(&b->pb, l, PANE_DIM, "(none)");
		} else {
			for (size_t k = 0; k < r->ntexts; k++) {
				if (k > 0) {
					l = mxb_line(b, MXVIEW_RECORD, i, 0);
					pane_builder_addw(&b->pb, l, PANE_NORMAL, tcol, false, "");
				}
				pane_builder_add(&b->pb, l, PANE_VALUE, "%s",
				                 r->texts[k] ? r->texts[k] : "");
			}
		}
	}
}

int mxview_body(struct pane_lines *out, struct mxview_ref **refs, const struct mxplan *p, bool smtp,
                int width, int64_t now_ms)
{
	struct mxb b = {.want_refs = true, .now_ms = now_ms};

	pane_builder_init(&b.pb, out, width, mxb_newline);
	*refs = NULL;
	out->frozen = 0;
	mxv_plan(&b, p, smtp);
	mxb_line(&b, MXVIEW_NONE, 0, 0);
	mxv_findings(&b, p);
	mxb_line(&b, MXVIEW_NONE, 0, 0);
	mxv_records(&b, p);
	pane_lines_measure(out);
	/* mxb_line() keeps refs as long as out: a line without its reference is dropped. */
	*refs = b.refs;
	return b.pb.err;
}

/* ---- detail ----------------------------------------------------------------------------- */

/* "label  text", the text wrapped under itself. */
static void mxv_kv(struct mxb *b, const char *label, int style, const char *text)
{
	struct pane_line *l = mxb_line(b, MXVIEW_NONE, 0, 0);

	pane_builder_addw(&b->pb, l, PANE_LABEL, 10, false, label);
	pane_builder_add(&b->pb, l, PANE_NORMAL, " ");
	pane_builder_wrap(&b->pb, l, 11, style, text, &mxv_noref);
}

__attribute__((format(printf, 4, 5))) static void mxv_kvf(struct mxb *b, const char *label,
                                                          int style, const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0) {
		va_end(ap);
		b->pb.err = -1;
		return;
	}
	va_end(ap);
	mxv_kv(b, label, style, text);
	free(text);
}

static void mxv_para(struct mxb *b, int style, const char *text)
{
	struct pane_line *l = mxb_line(b, MXVIEW_NONE, 0, 0);

	pane_builder_wrap(&b->pb, l, 0, style, text, &mxv_noref);
}

/* The findings whose subject is name (an exchange name or an address). */
static void mxv_findings_about(struct mxb *b, const struct mxplan *p, const char *name)
{
	bool any = false;

	for (size_t i = 0; name && i < mxplan_nfindings(p); i++) {
		const struct mx_finding *f = mxplan_finding(p, i);
		struct pane_line *l;

		if (!f || !f->subject || strcasecmp(f->subject, name) != 0)
			continue;
		if (!any) {
			mxb_line(b, MXVIEW_NONE, 0, 0);
			l = mxb_line(b, MXVIEW_NONE, 0, 0);
			pane_builder_add(&b->pb, l, PANE_HEADING, "findings");
			any = true;
		}
		l = mxb_line(b, MXVIEW_NONE, 0, 0);
		pane_builder_addw(&b->pb, l, mxv_sev_style(f->severity), MXV_SEV_W, false,
		                  mxplan_severity_str(f->severity));
		pane_builder_add(&b->pb, l, PANE_VALUE, "  %s", f->code ? f->code : "?");
		l = mxb_line(b, MXVIEW_NONE, 0, 0);
		pane_builder_addw(&b->pb, l, PANE_NORMAL, 2, false, "");
		pane_builder_wrap(&b->pb, l, 2, PANE_NORMAL, f->message ? f->message : "",
		                  &mxv_noref);
	}
}

static void mxv_detail_finding(struct mxb *b, struct pane_line *title, const struct mx_finding *f)
{
	pane_builder_add(&b->pb, title, mxv_sev_style(f->severity), "%s",
	                 mxplan_severity_str(f->severity));
	pane_builder_add(&b->pb, title, PANE_VALUE, "  %s", f->code ? f->code : "?");
	if (f->subject)
		mxv_kv(b, "about", PANE_VALUE, f->subject);
	mxv_kv(b, "finding", PANE_VALUE, f->message ? f->message : "");
	if (f->rfc)
		mxv_kv(b, "reference", PANE_LABEL, f->rfc);
	mxb_line(b, MXVIEW_NONE, 0, 0);
	mxv_para(b, PANE_NORMAL, f->explanation ? f->explanation : "(no explanation)");
}

static const char *mxv_xstate_str(const struct mx_exchange *x)
{
	switch (x->state) {
	case MX_X_PENDING:
		return "resolving";
	case MX_X_RESOLVED:
		return x->naddrs ? "resolved" : "no address";
	case MX_X_NXDOMAIN:
		return "does not exist (NXDOMAIN)";
	case MX_X_NODATA:
		return "no address: the name has no A or AAAA records (NODATA)";
	case MX_X_FAILED:
	default:
		return "the address lookups failed";
	}
}

static void mxv_detail_exchange(struct mxb *b, struct pane_line *title, const struct mxplan *p,
                                const struct mx_exchange *x, size_t xi)
{
	pane_builder_add(&b->pb, title, PANE_LABEL, "exchange ");
	pane_builder_add(&b->pb, title, PANE_VALUE, "%s", x->name ? x->name : "?");
	for (size_t i = 0; i < mxplan_nsteps(p); i++) {
		const struct mx_step *st = mxplan_step(p, i);

		if (st && xi >= st->first && xi < st->first + st->count)
			mxv_kvf(b, "step", PANE_VALUE, "%zu of %zu, preference %u%s", i + 1,
			        mxplan_nsteps(p), (unsigned)x->preference,
			        st->count > 1 ? ", tried in random order with the others of this "
			                        "preference"
			                      : "");
	}
	mxv_kv(b, "state", mxv_unusable(x) ? PANE_ERR : PANE_VALUE, mxv_xstate_str(x));
	if (x->alias_target)
		mxv_kvf(b, "alias", PANE_WARN,
		        "a CNAME to %s: an MX must name a host, not an alias", x->alias_target);
	if (x->ip_literal)
		mxv_kv(b, "literal", PANE_ERR,
		       "an IP address written as a name: an MX must name a host");
	if (x->duplicates)
		mxv_kvf(b, "duplicate", PANE_WARN, "the MX RRset names it %u more time%s",
		        x->duplicates, x->duplicates == 1 ? "" : "s");
	for (size_t k = 0; k < x->naddrs; k++)
		mxv_kvf(b, k == 0 ? "addresses" : "", PANE_VALUE, "%s  TTL %lu", x->addrs[k].text,
		        (unsigned long)x->addrs[k].ttl);
	mxv_findings_about(b, p, x->name);
}

static void mxv_detail_address(struct mxb *b, struct pane_line *title, const struct mxplan *p,
                               const struct mx_exchange *x, const struct mx_address *a)
{
	const struct smtp_result *r = a->smtp;
	char ms[32], ms2[32];

	pane_builder_add(&b->pb, title, PANE_LABEL, "address ");
	pane_builder_add(&b->pb, title, PANE_VALUE, "%s", a->text);
	pane_builder_add(&b->pb, title, PANE_LABEL, " of ");
	pane_builder_add(&b->pb, title, PANE_VALUE, "%s", x->name ? x->name : "?");
	mxv_kvf(b, "record", PANE_VALUE, "%s, TTL %lu s", a->family == AF_INET6 ? "AAAA" : "A",
	        (unsigned long)a->ttl);
	if (a->special)
		mxv_kv(b, "special", PANE_WARN,
		       a->special_name ? a->special_name : "special-purpose");
	switch (a->fcrdns) {
	case MX_FCRDNS_PENDING:
		mxv_kv(b, "PTR", PANE_DIM, a->ptr ? a->ptr : "resolving");
		break;
	case MX_FCRDNS_NO_PTR:
		mxv_kv(b, "PTR", PANE_DIM, "none");
		break;
	case MX_FCRDNS_OK:
		mxv_kv(b, "PTR", PANE_VALUE, a->ptr ? a->ptr : "?");
		mxv_kv(b, "FCrDNS", PANE_OK, "ok: the PTR name resolves back to this address");
		break;
	case MX_FCRDNS_MISMATCH:
	default:
		mxv_kv(b, "PTR", PANE_VALUE, a->ptr ? a->ptr : "?");
		mxv_kv(b, "FCrDNS", PANE_WARN,
		       "mismatch: the PTR name does not resolve back to this address");
		break;
	}
	if (!r) {
		mxv_kv(b, "SMTP", PANE_DIM,
		       a->smtp_pending ? "probing" : "not probed (S turns the probe on)");
	} else {
		mxv_kv(b, "SMTP", r->status == SMTP_OK ? PANE_OK : PANE_ERR,
		       smtp_status_str(r->status));
		if (r->sys_errno)
			mxv_kv(b, "error", PANE_ERR, strerror(r->sys_errno));
		pane_ms(ms, sizeof(ms), r->connect_ms);
		pane_ms(ms2, sizeof(ms2), r->total_ms);
		mxv_kvf(b, "time", PANE_VALUE, "connect %s, whole probe %s", ms, ms2);
		if (r->greeting_code)
			mxv_kvf(b, "greeting", r->greeting_code == 220 ? PANE_VALUE : PANE_ERR,
			        "%d %s", r->greeting_code, r->banner ? r->banner : "");
		if (r->ehlo_code)
			mxv_kvf(b, "EHLO", r->ehlo_code == 250 ? PANE_VALUE : PANE_ERR, "%d",
			        r->ehlo_code);
		if (r->status == SMTP_OK)
			mxv_kv(b, "STARTTLS", r->starttls ? PANE_OK : PANE_WARN,
			       r->starttls ? "offered (RFC 3207)" : "not offered");
		for (size_t k = 0; r->extensions && k < r->nextensions && r->extensions[k]; k++)
			mxv_kv(b, k == 0 ? "extensions" : "", PANE_NORMAL, r->extensions[k]);
	}
	mxv_findings_about(b, p, a->text);
}

static void mxv_detail_record(struct mxb *b, struct pane_line *title, const struct mx_record *r)
{
	pane_builder_add(&b->pb, title, PANE_VALUE, "%s", r->kind ? r->kind : "?");
	if (r->rfc)
		pane_builder_add(&b->pb, title, PANE_DIM, "  %s", r->rfc);
	mxv_kv(b, "owner", PANE_VALUE, r->owner ? r->owner : "?");
	if (!r->done) {
		mxv_kv(b, "state", PANE_DIM, "resolving");
	} else if (r->error) {
		mxv_kv(b, "error", PANE_ERR, r->error);
	} else if (r->ntexts == 0) {
		mxv_kv(b, "records", PANE_DIM, "none");
	} else {
		for (size_t k = 0; k < r->ntexts; k++)
			mxv_kvf(b, k == 0 ? "records" : "", PANE_VALUE, "%s",
			        r->texts[k] ? r->texts[k] : "");
	}
}

int mxview_detail(struct pane_lines *out, struct pane_line *title, const struct mxplan *p,
                  const struct mxview_ref *ref, int width)
{
	struct mxb b = {.want_refs = false};
	const struct mx_exchange *x;

	if (!p || !ref)
		return 0;
	pane_builder_init(&b.pb, out, width, mxb_newline);
	switch (ref->kind) {
	case MXVIEW_FINDING: {
		const struct mx_finding *f =
		    ref->i < mxplan_nfindings(p) ? mxplan_finding(p, ref->i) : NULL;

		if (!f)
			return 0;
		mxv_detail_finding(&b, title, f);
		break;
	}
	case MXVIEW_EXCHANGE:
		x = ref->i < mxplan_nexchanges(p) ? mxplan_exchange(p, ref->i) : NULL;
		if (!x)
			return 0;
		mxv_detail_exchange(&b, title, p, x, ref->i);
		break;
	case MXVIEW_ADDRESS:
		x = ref->i < mxplan_nexchanges(p) ? mxplan_exchange(p, ref->i) : NULL;
		if (!x || ref->j >= x->naddrs)
			return 0;
		mxv_detail_address(&b, title, p, x, &x->addrs[ref->j]);
		break;
	case MXVIEW_RECORD: {
		const struct mx_record *r =
		    ref->i < mxplan_nrecords(p) ? mxplan_record(p, ref->i) : NULL;

		if (!r)
			return 0;
		mxv_detail_record(&b, title, r);
		break;
	}
	case MXVIEW_NONE:
	default:
		return 0;
	}
	pane_lines_measure(out);
	return b.pb.err ? -1 : 1;
}
