/*
 * proptext.c -- plain text rendering of a propagation comparison (see proptext.h).
 *
 * Every cell of a row is formatted once into a small buffer (the compact answer is only
 * pointed at: it is never truncated), the widths of each column are measured over all rows,
 * and the rows are written padded with spaces, so the table lines up whatever the terminal's
 * tab stops are. The model's strings are escaped ASCII and are written unchanged; write
 * errors are caught once, at the flush, as in text.c and mxtext.c.
 */
#include "config.h"
#include "out/proptext.h"
#include "dns/ttl.h"
#include "dns/rrtext.h"

#include <stdlib.h>
#include <string.h>

/* The formatted cells of one row. */
struct cells {
	const char *label;
	char addr[64];
	char status[24];
	char flags[8];
	char rtt[24];
	char serial[40];
	char group[24];
	const char *answer; /* the row's answer, or paren below */
	char paren[192];    /* "(reason)" when there is no answer */
	bool tail;          /* a TTL or a note follows the answer */
};

/* Column widths over all rows. */
struct widths {
	int label, addr, status, rtt, serial, group, answer;
};

static int max_int(int a, int b)
{
	return a > b ? a : b;
}

static int len(const char *s)
{
	return (int)strlen(s);
}

/* The status word of a row: rcodes as dig names them, transport outcomes in lower case. */
static void status_fmt(char *buf, size_t buflen, const struct prop_row *r)
{
	const char *s = NULL;

	switch (r->status) {
	case PROP_PENDING:
		s = "pending";
		break;
	case PROP_ANSWER:
		s = "answer";
		break;
	case PROP_NODATA:
		s = "NODATA";
		break;
	case PROP_NXDOMAIN:
		s = "NXDOMAIN";
		break;
	case PROP_SERVFAIL:
		s = "SERVFAIL";
		break;
	case PROP_REFUSED:
		s = "REFUSED";
		break;
	case PROP_OTHER_RCODE:
		if (r->pkt != NULL) {
			rrtext_rcode(buf, buflen, rrtext_pkt_rcode(r->pkt));
			return;
		}
		s = "rcode";
		break;
	case PROP_TIMEOUT:
		s = "timeout";
		break;
	case PROP_UNREACHABLE:
		s = "unreachable";
		break;
	case PROP_ERROR:
		s = "error";
		break;
	}
	snprintf(buf, buflen, "%s", s != NULL ? s : "?");
}

/* " behind" or " newest" after a serial (RFC 1982 order); nothing when the serial cannot be
 * ordered against the newest (exactly 2^31 apart). */
static const char *serial_mark(const struct prop_row *r, bool have_newest, uint32_t newest)
{
	if (r->behind)
		return " behind";
	if (have_newest && r->serial == newest)
		return " newest";
	return "";
}

static void cells_fill(struct cells *c, const struct prop *p, const struct prop_row *r,
                       bool have_newest, uint32_t newest)
{
	memset(c, 0, sizeof(*c));
	c->label = r->server.label != NULL ? r->server.label : "";
	snprintf(c->addr, sizeof(c->addr), "%s", r->addr[0] != '\0' ? r->addr : "-");
	status_fmt(c->status, sizeof(c->status), r);
	if (r->pkt != NULL)
		snprintf(c->flags, sizeof(c->flags), "%s %s", r->aa ? "aa" : "--",
		         r->ra ? "ra" : "--");
	else
		snprintf(c->flags, sizeof(c->flags), "-");
	if (r->pkt != NULL)
		snprintf(c->rtt, sizeof(c->rtt), "%.1f ms", r->rtt_ms);
	else
		snprintf(c->rtt, sizeof(c->rtt), "-");
	if (r->have_serial)
		snprintf(c->serial, sizeof(c->serial), "serial %lu%s", (unsigned long)r->serial,
		         serial_mark(r, have_newest, newest));
	else
		snprintf(c->serial, sizeof(c->serial), "serial %s",
		         r->soa_pending ? "pending" : "-");
	if (r->group >= 0 && (size_t)r->group < prop_ngroups(p))
		snprintf(c->group, sizeof(c->group), "group %d%s", r->group + 1,
		         prop_group(p, (size_t)r->group)->majority ? "*" : "");
	else
		snprintf(c->group, sizeof(c->group), "group -");
	if (r->answer != NULL) {
		c->answer = r->answer;
	} else {
		snprintf(c->paren, sizeof(c->paren), "(%s)",
		         r->error != NULL                ? r->error
		         : r->status == PROP_PENDING     ? "waiting for a reply"
		         : r->status == PROP_TIMEOUT     ? "timed out"
		         : r->status == PROP_UNREACHABLE ? "unreachable"
		                                         : "no answer");
		c->answer = c->paren;
	}
	c->tail = r->status == PROP_ANSWER || r->discarded > 0;
}

static void spaces(FILE *f, int n)
{
	if (n > 0)
		fprintf(f, "%*s", n, "");
}

/* "11:52:03 (in 41m12s)" for a monotonic moment, measured from now. */
static char *proptext_until(char *buf, size_t len, int64_t at_ms)
{
	struct timespec wall;

	ttl_now_wall(&wall);
	return ttl_until_text(buf, len, at_ms, ttl_now_ms(), &wall);
}

static void row_print(FILE *f, const struct widths *w, const struct cells *c,
                      const struct prop_row *r)
{
	int64_t exp;
	char until[48];

	fprintf(f, "%-*s  %-*s  %-*s  %-5s  %*s  %-*s  %-*s  %s", w->label, c->label, w->addr,
	        c->addr, w->status, c->status, c->flags, w->rtt, c->rtt, w->serial, c->serial,
	        w->group, c->group, c->answer);
	if (c->tail)
		spaces(f, w->answer - len(c->answer));
	if (r->status == PROP_ANSWER)
		fprintf(f, "  TTL %lu", (unsigned long)r->min_ttl);
	if (r->stale && prop_row_expiry(r, &exp))
		fprintf(f, "  stale until %s", proptext_until(until, sizeof(until), exp));
	if (r->discarded > 0)
		fprintf(f, "  (%u discarded)", r->discarded);
	fputc('\n', f);
}

static void groups_print(FILE *f, const struct prop *p)
{
	size_t i, n = prop_ngroups(p);
	int numw = 1, sizew = 1;
	char buf[32];

	fprintf(f, "\n;; GROUPS\n");
	if (n == 0) {
		fprintf(f, "(none)\n");
		return;
	}
	numw = snprintf(buf, sizeof(buf), "%zu", n);
	for (i = 0; i < n; i++)
		sizew = max_int(sizew, snprintf(buf, sizeof(buf), "%zu", prop_group(p, i)->size));
	for (i = 0; i < n; i++) {
		const struct prop_group *g = prop_group(p, i);

		snprintf(buf, sizeof(buf), "%zu%s", i + 1, g->majority ? "*" : "");
		fprintf(f, "group %-*s  %*zu %-7s  %s\n", numw + 1, buf, sizew, g->size,
		        g->size == 1 ? "server" : "servers", g->answer != NULL ? g->answer : "");
	}
}

int proptext_print(FILE *f, const struct prop *p)
{
	const struct query_spec *q = prop_question(p);
	size_t i, n = prop_nrows(p);
	struct cells *cs = calloc(n > 0 ? n : 1, sizeof(*cs));
	struct widths w = {0};
	char type[32], class[32];
	char *qname = rrtext_dname(q->qname);
	uint32_t newest = 0;
	bool have_newest = prop_newest_serial(p, &newest);
	const char *s;
	int64_t agree;

	if (cs == NULL || qname == NULL) {
		free(cs);
		free(qname);
		return -1;
	}
	rrtext_type(type, sizeof(type), q->qtype);
	fprintf(f, ";; %s ", qname);
	if (q->qclass != LDNS_RR_CLASS_IN)
		fprintf(f, "%s ", rrtext_class(class, sizeof(class), q->qclass));
	fprintf(f, "%s asked of %zu server%s\n", type, n, n == 1 ? "" : "s");
	free(qname);
	if ((s = prop_discovery(p)) != NULL)
		fprintf(f, ";; discovery: %s\n", s);
	for (i = 0; i < n; i++) {
		struct cells *c = &cs[i];

		cells_fill(c, p, prop_row(p, i), have_newest, newest);
		w.label = max_int(w.label, len(c->label));
		w.addr = max_int(w.addr, len(c->addr));
		w.status = max_int(w.status, len(c->status));
		w.rtt = max_int(w.rtt, len(c->rtt));
		w.serial = max_int(w.serial, len(c->serial));
		w.group = max_int(w.group, len(c->group));
		if (c->tail)
			w.answer = max_int(w.answer, len(c->answer));
	}
	for (i = 0; i < n; i++)
		row_print(f, &w, &cs[i], prop_row(p, i));
	free(cs);
	groups_print(f, p);
	if ((s = prop_summary(p)) != NULL)
		fprintf(f, ";; %s\n", s);
	if (prop_caches_agree_by(p, &agree)) {
		char until[48];
		fprintf(f, ";; all caches agree by %s: stale copies expire then\n",
		        proptext_until(until, sizeof(until), agree));
	}
	/* fprintf results are not checked one by one: a failed write sets the error flag, and
	 * buffered data fails at the flush. */
	if (fflush(f) == EOF || ferror(f))
		return -1;
	return 0;
}
