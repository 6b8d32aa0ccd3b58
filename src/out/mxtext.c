/*
 * mxtext.c -- plain text rendering of an MX failover plan (see mxtext.h).
 *
 * Columns are measured once over the whole plan (step and preference widths, the widest
 * address, TTL, exchange name, finding code and record owner) and padded with spaces, so
 * every block lines up whatever the terminal's tab stops are. Nothing is padded at the end
 * of a line. The model's strings are escaped ASCII and are written unchanged; write errors
 * are caught once, at the flush, as in text.c.
 */
#include "config.h"
#include "out/mxtext.h"

#include <string.h>

/* Width of "error    " / "warning  ": the longest severity word and two spaces. */
#define SEVERITY_COL 9
/* Width of "MTA-STS  " / "TLS-RPT  " in the records section. */
#define KIND_COL 9
/* What "(group)  " adds in front of a group member's name. */
#define GROUP_MARK "(group)"

/* Column widths shared by every block of one rendering. */
struct layout {
	int stepw;   /* digits of the highest step number */
	int prefw;   /* digits of the widest preference */
	int namecol; /* where exchange names (and addresses under them) start */
	int addrw;   /* the widest address text */
	int ttlw;    /* digits of the widest TTL */
	int xnamew;  /* the widest exchange name with addresses (SMTP section) */
};

static int digits(unsigned long v)
{
	int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

static int max_int(int a, int b)
{
	return a > b ? a : b;
}

static void spaces(FILE *f, int n)
{
	if (n > 0)
		fprintf(f, "%*s", n, "");
}

static void layout_init(struct layout *lo, const struct mxplan *p)
{
	size_t i, k;

	memset(lo, 0, sizeof(*lo));
	lo->stepw = digits(mxplan_nsteps(p));
	lo->prefw = 1;
	for (i = 0; i < mxplan_nsteps(p); i++)
		lo->prefw = max_int(lo->prefw, digits(mxplan_step(p, i)->preference));
	/* "step N  pref P  " */
	lo->namecol = 5 + lo->stepw + 2 + 5 + lo->prefw + 2;
	lo->addrw = 15; /* "255.255.255.255", so short IPv6 addresses line up with IPv4 */
	lo->ttlw = 1;
	for (i = 0; i < mxplan_nexchanges(p); i++) {
		const struct mx_exchange *x = mxplan_exchange(p, i);

		if (x->naddrs > 0)
			lo->xnamew = max_int(lo->xnamew, (int)strlen(x->name));
		for (k = 0; k < x->naddrs; k++) {
			lo->addrw = max_int(lo->addrw, (int)strlen(x->addrs[k].text));
			lo->ttlw = max_int(lo->ttlw, digits(x->addrs[k].ttl));
		}
	}
}

/* --- the plan -------------------------------------------------------------------------- */

/* The forward-confirmed rDNS mark after a PTR name. */
static const char *fcrdns_mark(enum mx_fcrdns f)
{
	switch (f) {
	case MX_FCRDNS_OK:
		return "ok";
	case MX_FCRDNS_MISMATCH:
		return "mismatch";
	case MX_FCRDNS_NO_PTR:
		return "none";
	case MX_FCRDNS_PENDING:
		break;
	}
	return "pending";
}

/* One address line, under the exchange name. */
static void address_print(FILE *f, const struct layout *lo, const struct mx_address *a)
{
	spaces(f, lo->namecol);
	fprintf(f, "%-*s  TTL %-*lu  PTR %s (%s)", lo->addrw, a->text, lo->ttlw,
	        (unsigned long)a->ttl, a->ptr != NULL ? a->ptr : "-", fcrdns_mark(a->fcrdns));
	if (a->special)
		fprintf(f, "  special-purpose: %s",
		        a->special_name != NULL ? a->special_name : "yes (RFC 6890)");
	fputc('\n', f);
}

/* An exchange from its name on (the caller wrote what comes before), its notes, then one
 * line per address. */
static void exchange_print(FILE *f, const struct layout *lo, const struct mx_exchange *x)
{
	size_t k;

	fprintf(f, "%s", x->name);
	if (x->alias_target != NULL)
		fprintf(f, "  (alias for %s)", x->alias_target);
	if (x->ip_literal)
		fprintf(f, "  (IP literal, not a host name)");
	if (x->duplicates > 0)
		fprintf(f, "  (listed %u more time%s)", x->duplicates,
		        x->duplicates == 1 ? "" : "s");
	switch (x->state) {
	case MX_X_NXDOMAIN:
		fprintf(f, "  does not exist");
		break;
	case MX_X_NODATA:
		fprintf(f, "  no A/AAAA");
		break;
	case MX_X_FAILED:
		fprintf(f, "  lookup failed");
		break;
	case MX_X_PENDING:
		fprintf(f, "  resolving");
		break;
	case MX_X_RESOLVED:
		break;
	}
	fputc('\n', f);
	for (k = 0; k < x->naddrs; k++)
		address_print(f, lo, &x->addrs[k]);
}

/* One step: a single exchange on the step line, or an equal-preference group. */
static void step_print(FILE *f, const struct layout *lo, const struct mxplan *p, size_t i)
{
	const struct mx_step *s = mxplan_step(p, i);
	size_t k, n = s->count;

	/* never read past the exchanges, whatever a step says */
	if (s->first >= mxplan_nexchanges(p))
		n = 0;
	else if (n > mxplan_nexchanges(p) - s->first)
		n = mxplan_nexchanges(p) - s->first;
	fprintf(f, "step %-*zu  pref %-*u  ", lo->stepw, i + 1, lo->prefw, (unsigned)s->preference);
	if (n == 0) {
		fprintf(f, "(no exchange)\n");
		return;
	}
	if (n == 1) {
		exchange_print(f, lo, mxplan_exchange(p, s->first));
		return;
	}
	/* RFC 5321 §5.1: a sender MUST randomize among equal preferences, so no order is shown */
	fprintf(f, "any order:");
	for (k = 0; k < n; k++)
		fprintf(f, "%s %s", k > 0 ? "," : "", mxplan_exchange(p, s->first + k)->name);
	fputc('\n', f);
	for (k = 0; k < n; k++) {
		spaces(f, lo->namecol - (int)strlen(GROUP_MARK) - 2);
		fprintf(f, "%s  ", GROUP_MARK);
		exchange_print(f, lo, mxplan_exchange(p, s->first + k));
	}
}

static void plan_print(FILE *f, const struct layout *lo, const struct mxplan *p)
{
	enum mx_mode mode = mxplan_mode(p);
	size_t i;

	fprintf(f, ";; MX failover plan for %s (mode: %s)\n", mxplan_domain(p),
	        mxplan_mode_str(mode));
	switch (mode) {
	case MX_MODE_MX:
		fprintf(f, ";; A sender tries these in order (RFC 5321 §5.1):\n");
		break;
	case MX_MODE_NULL:
		/* the plan is the statement; a "0 ." step would only confuse */
		fprintf(f, ";; this domain accepts no mail (null MX, RFC 7505)\n");
		return;
	case MX_MODE_IMPLICIT:
		fprintf(f, ";; no MX records: mail goes to the domain's own address (implicit MX, "
		           "RFC 5321 §5.1)\n");
		break;
	case MX_MODE_NONE:
		fprintf(f, ";; no mail route\n");
		break;
	case MX_MODE_PENDING:
		fprintf(f, ";; waiting for the MX answer\n");
		break;
	}
	for (i = 0; i < mxplan_nsteps(p); i++)
		step_print(f, lo, p, i);
}

/* --- findings and records ---------------------------------------------------------------- */

static void findings_print(FILE *f, const struct mxplan *p)
{
	size_t i, n = mxplan_nfindings(p);
	int codew = 0;

	fprintf(f, "\n;; FINDINGS\n");
	if (n == 0) {
		fprintf(f, "(none)\n");
		return;
	}
	for (i = 0; i < n; i++)
		codew = max_int(codew, (int)strlen(mxplan_finding(p, i)->code));
	for (i = 0; i < n; i++) {
		const struct mx_finding *fd = mxplan_finding(p, i);

		fprintf(f, "%-*s%-*s  ", SEVERITY_COL, mxplan_severity_str(fd->severity), codew,
		        fd->code);
		/* the subject leads only when the message does not name it already */
		if (fd->subject != NULL && fd->message != NULL &&
		    strstr(fd->message, fd->subject) == NULL)
			fprintf(f, "%s: ", fd->subject);
		fprintf(f, "%s", fd->message != NULL ? fd->message : "");
		if (fd->rfc != NULL)
			fprintf(f, "  (%s)", fd->rfc);
		fputc('\n', f);
	}
}

static void records_print(FILE *f, const struct mxplan *p)
{
	size_t i, k, n = mxplan_nrecords(p);
	int ownerw = 0;

	fprintf(f, "\n;; MAIL RECORDS\n");
	for (i = 0; i < n; i++) {
		const struct mx_record *r = mxplan_record(p, i);

		if (r->owner != NULL)
			ownerw = max_int(ownerw, (int)strlen(r->owner));
	}
	for (i = 0; i < n; i++) {
		const struct mx_record *r = mxplan_record(p, i);

		fprintf(f, "%-*s%-*s  ", KIND_COL, r->kind, ownerw,
		        r->owner != NULL ? r->owner : "");
		if (!r->done)
			fprintf(f, "(pending)\n");
		else if (r->error != NULL)
			fprintf(f, "(lookup failed: %s)\n", r->error);
		else if (r->texts == NULL || r->ntexts == 0)
			fprintf(f, "(none)\n");
		for (k = 0; r->done && r->error == NULL && r->texts != NULL && k < r->ntexts; k++) {
			/* a second record of a kind goes under the first, where the finding about
			 * duplicates points */
			if (k > 0)
				spaces(f, KIND_COL + ownerw + 2);
			fprintf(f, "%s\n", r->texts[k]);
		}
	}
}

/* --- SMTP ------------------------------------------------------------------------------ */

/* What the probe of one address found, after its name and address. */
static void probe_print(FILE *f, const struct mx_address *a)
{
	const struct smtp_result *r = a->smtp;

	if (r == NULL) {
		fprintf(f, "%s\n", a->smtp_pending ? "probing" : "not probed");
		return;
	}
	fprintf(f, "%s", smtp_status_str(r->status));
	if (r->connect_ms >= 0)
		fprintf(f, "  connect %.1f ms", r->connect_ms);
	else
		fprintf(f, "  after %.1f ms", r->total_ms);
	if (r->greeting_code != 0)
		fprintf(f, "  %d \"%s\"", r->greeting_code, r->banner != NULL ? r->banner : "");
	if (r->ehlo_code != 0)
		fprintf(f, "  EHLO %d", r->ehlo_code);
	if (r->status == SMTP_OK)
		fprintf(f, "  STARTTLS %s", r->starttls ? "yes" : "no");
	fputc('\n', f);
}

static void smtp_print(FILE *f, const struct layout *lo, const struct mxplan *p)
{
	const struct mx_verdict *v = mxplan_verdict(p);
	size_t i, k;

	fprintf(f, "\n;; SMTP\n");
	for (i = 0; i < mxplan_nexchanges(p); i++) {
		const struct mx_exchange *x = mxplan_exchange(p, i);

		for (k = 0; k < x->naddrs; k++) {
			fprintf(f, "%-*s  %-*s  ", lo->xnamew, x->name, lo->addrw,
			        x->addrs[k].text);
			probe_print(f, &x->addrs[k]);
		}
	}
	if (v != NULL && v->summary != NULL)
		fprintf(f, ";; %s\n", v->summary);
	else if (v == NULL || !v->known)
		fprintf(f, ";; probes still running\n");
	else if (v->first_reachable != NULL)
		fprintf(f, ";; first reachable: %s (pref %u) at %s\n", v->first_reachable->name,
		        (unsigned)v->first_reachable->preference,
		        v->address != NULL ? v->address->text : "?");
	else
		fprintf(f, ";; no exchange answered\n");
}

int mxtext_print(FILE *f, const struct mxplan *p)
{
	struct layout lo;

	layout_init(&lo, p);
	plan_print(f, &lo, p);
	findings_print(f, p);
	records_print(f, p);
	if (mxplan_verdict(p)->probed)
		smtp_print(f, &lo, p);
	/* fprintf results are not checked one by one: a failed write sets the error flag,
	 * and buffered data fails at the flush. */
	if (fflush(f) == EOF || ferror(f))
		return -1;
	return 0;
}
