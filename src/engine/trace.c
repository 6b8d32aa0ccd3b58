/*
 * trace.c -- the trace job (see trace.h).
 *
 * A trace is a stack of walks. A walk resolves one name and type from the root down: its
 * current zone cut, the servers of that cut as a list of addresses to try in order, and the
 * NS names that came without glue. When every address has failed, the walk resolves the next
 * glueless name with a side walk pushed on top of it (depth + 1); the side walk's addresses
 * become new candidates of the walk below, which then goes on. Only the top walk ever has a
 * question in flight, so the trace is one path and one socket at a time.
 *
 * Every question sent becomes one step of the model, whatever came back; a glueless name that
 * could not be used (a loop, too deep, no address) becomes a step that sent nothing.
 */
#include "config.h"
#include "engine/trace.h"
#include "dns/reply.h"
#include "dns/escape.h"
#include "dns/rrtext.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One address to ask, and the NS name it belongs to. */
struct cand {
	ldns_rdf *name;             /* owned */
	struct sockaddr_storage ss; /* the address, port 53 */
	socklen_t len;
};

struct walk {
	struct walk *parent; /* the walk this side walk resolves a name for; NULL: the question */
	unsigned depth;      /* 0 for the question */
	ldns_rdf *qname;     /* the name resolved now (owned; a CNAME restart replaces it) */
	ldns_rdf *origname;  /* the name first asked (owned): side walks retry it for AAAA */
	ldns_rr_type qtype;  /* the type asked */
	bool priming;        /* the root's servers are still the hints: ask ". NS" */
	ldns_rdf *cut;       /* the zone whose servers are asked (owned) */
	struct cand *cands;  /* addresses of the cut's servers, in the order to try */
	size_t ncands, next; /* how many; the next to ask */
	ldns_rdf **glueless; /* NS names of the cut without an address (owned) */
	size_t nglueless, gnext;
	ldns_rdf *resolving; /* the glueless name a side walk resolves now (borrowed) */
	ldns_rdf **seen;     /* names restarted for after a CNAME (owned), for loops */
	size_t nseen;
	char *blame;         /* a loop or bad referral met on this cut: the error if it fails */
	ldns_rr_list *addrs; /* side walk: the addresses found (owned clones) */
};

struct trace {
	struct net *net;
	struct event_base *base;
	struct event *deadline;
	struct query_spec q; /* the question, RD = 0 */
	struct trace_opts opts;
	ldns_rr_list *hints;
	ldns_rr_list *root_ns, *root_glue; /* the root's servers once primed */
	struct walk *top;                  /* the walk asking now */
	struct trace_step *steps;
	size_t nsteps, cap;
	enum trace_status status;
	char *error;
	size_t final; /* index of the final step, or SIZE_MAX */
	unsigned queries, referrals;
	struct timespec t0, t1;
	/* the question in flight */
	bool waiting;          /* sent, no result yet */
	struct net_query *nq;  /* its transport handle (NULL for the test seam) */
	unsigned gen;          /* bumped per question: a synchronous callback is detectable */
	struct query_spec ask; /* what was asked (owned qname) */
	struct cand asked;     /* of whom (name owned) */
	trace_change_fn fn;
	void *arg;
};

static void walk_next(struct trace *t);

/* --- small helpers -------------------------------------------------------------------- */

const char *trace_kind_str(enum trace_kind k)
{
	switch (k) {
	case TRACE_PRIMING:
		return "priming";
	case TRACE_REFERRAL:
		return "referral";
	case TRACE_ANSWER:
		return "answer";
	case TRACE_CNAME:
		return "cname";
	case TRACE_NXDOMAIN:
		return "nxdomain";
	case TRACE_NODATA:
		return "nodata";
	case TRACE_SKIPPED:
		return "skipped";
	}
	return "unknown";
}

const char *trace_status_str(enum trace_status s)
{
	switch (s) {
	case TRACE_RUNNING:
		return "running";
	case TRACE_DONE:
		return "done";
	case TRACE_FAILED:
		return "failed";
	case TRACE_ERROR:
		return "error";
	}
	return "unknown";
}

void trace_opts_init(struct trace_opts *opts)
{
	opts->max_depth = 3;
	opts->max_referrals = 48;
	opts->max_queries = 128;
	opts->max_cnames = 8;
	opts->deadline_ms = 30000;
}

/* printf into a new string; NULL when memory runs out. */
static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	va_list ap;
	char *s = NULL;

	va_start(ap, f);
	if (vasprintf(&s, f, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

/* The escaped name, or "?" when memory runs out (only used inside messages). */
static char *name_str(const ldns_rdf *d)
{
	char *s = d != NULL ? rrtext_dname(d) : NULL;

	return s != NULL ? s : strdup("?");
}

/* a is b or below it (RFC 8499 "subdomain", names compared case-insensitively). */
static bool at_or_below(const ldns_rdf *a, const ldns_rdf *b)
{
	return ldns_dname_compare(a, b) == 0 || ldns_dname_is_subdomain(a, b);
}

static double ms_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1000.0 + (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

/* Append clones of the RRs of list with this owner (NULL: any) and type to out. */
static bool rrs_append(ldns_rr_list *out, const ldns_rr_list *list, const ldns_rdf *owner,
                       ldns_rr_type type)
{
	for (size_t i = 0; i < ldns_rr_list_rr_count(list); i++) {
		ldns_rr *rr = ldns_rr_list_rr(list, i), *c;

		if (ldns_rr_get_type(rr) != type ||
		    (owner != NULL && ldns_dname_compare(ldns_rr_owner(rr), owner) != 0))
			continue;
		c = ldns_rr_clone(rr);
		if (c == NULL || !ldns_rr_list_push_rr(out, c)) {
			ldns_rr_free(c);
			return false;
		}
	}
	return true;
}

/* The RRs of list with this owner (NULL: any) and type, cloned; NULL when memory runs out. */
static ldns_rr_list *rrs_of(const ldns_rr_list *list, const ldns_rdf *owner, ldns_rr_type type)
{
	ldns_rr_list *out = ldns_rr_list_new();

	if (out != NULL && !rrs_append(out, list, owner, type)) {
		ldns_rr_list_deep_free(out);
		out = NULL;
	}
	return out;
}

/* True when the list has an RR owned by name. */
static bool rrs_owned(const ldns_rr_list *list, const ldns_rdf *name)
{
	for (size_t i = 0; i < ldns_rr_list_rr_count(list); i++)
		if (ldns_dname_compare(ldns_rr_owner(ldns_rr_list_rr(list, i)), name) == 0)
			return true;
	return false;
}

/* True when the list has an RR of this type. */
static bool has_type(const ldns_rr_list *list, ldns_rr_type type)
{
	for (size_t i = 0; i < ldns_rr_list_rr_count(list); i++)
		if (ldns_rr_get_type(ldns_rr_list_rr(list, i)) == type)
			return true;
	return false;
}

/* --- root hints ----------------------------------------------------------------------- */

ldns_rr_list *trace_hints_read(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	ldns_zone *z = NULL;
	ldns_rdf *root = ldns_dname_new_frm_str(".");
	ldns_rr_list *out = NULL;
	ldns_status st;
	int line = 0;
	size_t nsaddr = 0;

	if (f == NULL) {
		snprintf(err, errlen, "cannot read root hints %.200s: %s%s", path, strerror(errno),
		         strcmp(path, TRACE_ROOT_HINTS) == 0
		             ? " (install dns-root-data, or give --root-hints FILE)"
		             : "");
		ldns_rdf_deep_free(root);
		return NULL;
	}
	st = root != NULL ? ldns_zone_new_frm_fp_l(&z, f, root, 3600000, LDNS_RR_CLASS_IN, &line)
	                  : LDNS_STATUS_MEM_ERR;
	fclose(f);
	if (st != LDNS_STATUS_OK) {
		snprintf(err, errlen, "root hints %.200s line %d: %s", path, line,
		         ldns_get_errorstr_by_id(st));
		goto done;
	}
	/* keep the root's NS RRs and the A/AAAA of their names */
	out = ldns_rr_list_new();
	for (size_t i = 0; out != NULL && i < ldns_rr_list_rr_count(ldns_zone_rrs(z)); i++) {
		ldns_rr *rr = ldns_rr_list_rr(ldns_zone_rrs(z), i), *c;
		ldns_rr_type ty = ldns_rr_get_type(rr);
		bool keep =
		    ty == LDNS_RR_TYPE_NS && ldns_dname_compare(ldns_rr_owner(rr), root) == 0;

		for (size_t k = 0; !keep && (ty == LDNS_RR_TYPE_A || ty == LDNS_RR_TYPE_AAAA) &&
		                   k < ldns_rr_list_rr_count(ldns_zone_rrs(z));
		     k++) {
			ldns_rr *ns = ldns_rr_list_rr(ldns_zone_rrs(z), k);
			keep = ldns_rr_get_type(ns) == LDNS_RR_TYPE_NS &&
			       ldns_dname_compare(ldns_rr_owner(ns), root) == 0 &&
			       ldns_dname_compare(ldns_rr_rdf(ns, 0), ldns_rr_owner(rr)) == 0;
		}
		if (!keep)
			continue;
		nsaddr += ty != LDNS_RR_TYPE_NS;
		c = ldns_rr_clone(rr);
		if (c == NULL || !ldns_rr_list_push_rr(out, c)) {
			ldns_rr_free(c);
			ldns_rr_list_deep_free(out);
			out = NULL;
		}
	}
	if (out == NULL)
		snprintf(err, errlen, "out of memory");
	else if (nsaddr == 0) {
		snprintf(err, errlen, "root hints %.200s name no root server with an address",
		         path);
		ldns_rr_list_deep_free(out);
		out = NULL;
	}
done:
	if (z != NULL) /* ldns_zone_deep_free(NULL) crashes */
		ldns_zone_deep_free(z);
	ldns_rdf_deep_free(root);
	return out;
}

/* --- walks ---------------------------------------------------------------------------- */

static void cands_clear(struct walk *w)
{
	for (size_t i = 0; i < w->ncands; i++)
		ldns_rdf_deep_free(w->cands[i].name);
	free(w->cands);
	w->cands = NULL;
	w->ncands = w->next = 0;
	for (size_t i = 0; i < w->nglueless; i++)
		ldns_rdf_deep_free(w->glueless[i]);
	free(w->glueless);
	w->glueless = NULL;
	w->nglueless = w->gnext = 0;
	w->resolving = NULL;
}

static void walk_free(struct walk *w)
{
	if (w == NULL)
		return;
	cands_clear(w);
	for (size_t i = 0; i < w->nseen; i++)
		ldns_rdf_deep_free(w->seen[i]);
	free(w->seen);
	ldns_rdf_deep_free(w->qname);
	ldns_rdf_deep_free(w->origname);
	ldns_rdf_deep_free(w->cut);
	ldns_rr_list_deep_free(w->addrs);
	free(w->blame);
	free(w);
}

/* Add an address of name, unless this cut already has it. */
static int cand_add(struct walk *w, const ldns_rdf *name, const struct sockaddr_storage *ss,
                    socklen_t len)
{
	struct cand *grown;

	for (size_t i = 0; i < w->ncands; i++)
		if (w->cands[i].len == len && memcmp(&w->cands[i].ss, ss, len) == 0)
			return 0;
	grown = realloc(w->cands, (w->ncands + 1) * sizeof(*grown));
	if (grown == NULL)
		return -1;
	w->cands = grown;
	grown[w->ncands].name = ldns_rdf_clone(name);
	if (grown[w->ncands].name == NULL)
		return -1;
	grown[w->ncands].ss = *ss;
	grown[w->ncands].len = len;
	w->ncands++;
	return 0;
}

/* Add the addresses among rrs (A and AAAA owned by name) of one family. */
static int cand_add_rrs(struct walk *w, const ldns_rdf *name, const ldns_rr_list *rrs,
                        ldns_rr_type type)
{
	for (size_t i = 0; i < ldns_rr_list_rr_count(rrs); i++) {
		ldns_rr *rr = ldns_rr_list_rr(rrs, i);
		struct sockaddr_storage ss;
		socklen_t len;

		if (ldns_rr_get_type(rr) != type ||
		    ldns_dname_compare(ldns_rr_owner(rr), name) != 0 ||
		    !reply_rr_addr(rr, SERVER_PORT, &ss, &len))
			continue;
		if (cand_add(w, name, &ss, len) < 0)
			return -1;
	}
	return 0;
}

static int dname_cmp_v(const void *a, const void *b)
{
	return ldns_dname_compare(*(ldns_rdf *const *)a, *(ldns_rdf *const *)b);
}

/*
 * Make zone the walk's cut, with the servers named by the NS RRs in ns and the addresses in
 * glue: NS names in canonical order, IPv4 addresses, then IPv6 ones, then the names without
 * any address (resolved on demand).
 */
static int walk_set_cut(struct walk *w, const ldns_rdf *zone, const ldns_rr_list *ns,
                        const ldns_rr_list *glue)
{
	size_t n = ldns_rr_list_rr_count(ns), k = 0;
	ldns_rdf **names = calloc(n ? n : 1, sizeof(*names));
	ldns_rdf *cut = ldns_rdf_clone(zone); /* zone may be the old cut itself */
	int rc = -1;

	cands_clear(w);
	free(w->blame);
	w->blame = NULL;
	ldns_rdf_deep_free(w->cut);
	w->cut = cut;
	if (names == NULL || w->cut == NULL)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const ldns_rdf *nm = ldns_rr_rdf(ldns_rr_list_rr(ns, i), 0);
		bool dup = false;

		for (size_t j = 0; nm != NULL && j < k; j++)
			dup = dup || ldns_dname_compare(names[j], nm) == 0;
		if (nm != NULL && ldns_rdf_get_type(nm) == LDNS_RDF_TYPE_DNAME && !dup)
			names[k++] = (ldns_rdf *)nm;
	}
	qsort(names, k, sizeof(*names), dname_cmp_v);
	for (size_t i = 0; i < k; i++)
		if (cand_add_rrs(w, names[i], glue, LDNS_RR_TYPE_A) < 0)
			goto out;
	for (size_t i = 0; i < k; i++)
		if (cand_add_rrs(w, names[i], glue, LDNS_RR_TYPE_AAAA) < 0)
			goto out;
	w->glueless = calloc(k ? k : 1, sizeof(*w->glueless));
	if (w->glueless == NULL)
		goto out;
	for (size_t i = 0; i < k; i++) {
		bool has = false;

		for (size_t j = 0; j < w->ncands; j++)
			has = has || ldns_dname_compare(w->cands[j].name, names[i]) == 0;
		if (!has && (w->glueless[w->nglueless++] = ldns_rdf_clone(names[i])) == NULL)
			goto out;
	}
	rc = 0;
out:
	free(names);
	return rc;
}

/* Point a walk at the root: the primed root servers, or the hints before priming. */
static int walk_to_root(struct trace *t, struct walk *w)
{
	ldns_rdf *root = ldns_dname_new_frm_str(".");
	int rc = -1;

	if (root == NULL)
		return -1;
	if (t->root_ns != NULL) {
		rc = walk_set_cut(w, root, t->root_ns, t->root_glue);
	} else {
		ldns_rr_list *ns = rrs_of(t->hints, NULL, LDNS_RR_TYPE_NS);
		if (ns != NULL)
			rc = walk_set_cut(w, root, ns, t->hints);
		ldns_rr_list_deep_free(ns);
		w->priming = true;
	}
	ldns_rdf_deep_free(root);
	return rc;
}

static struct walk *walk_new(struct trace *t, struct walk *parent, const ldns_rdf *name,
                             ldns_rr_type type)
{
	struct walk *w = calloc(1, sizeof(*w));

	if (w == NULL)
		return NULL;
	w->parent = parent;
	w->depth = parent != NULL ? parent->depth + 1 : 0;
	w->qtype = type;
	w->qname = ldns_rdf_clone(name);
	w->origname = ldns_rdf_clone(name);
	if (w->qname == NULL || w->origname == NULL || walk_to_root(t, w) < 0) {
		walk_free(w);
		return NULL;
	}
	return w;
}

/* --- steps and the end ---------------------------------------------------------------- */

static void changed(struct trace *t)
{
	if (t->fn != NULL)
		t->fn(t, t->arg);
}

static void step_clear(struct trace_step *s)
{
	free(s->qname);
	free(s->zone);
	server_clear(&s->server);
	net_result_free(s->net);
	ldns_pkt_free(s->pkt);
	free(s->child);
	ldns_rr_list_deep_free(s->ns);
	ldns_rr_list_deep_free(s->glue);
	ldns_rr_list_deep_free(s->records);
	free(s->reason);
}

static void finish(struct trace *t, enum trace_status st, char *error)
{
	if (t->status != TRACE_RUNNING) {
		free(error);
		return;
	}
	t->status = st;
	free(t->error);
	t->error = error;
	if (st != TRACE_DONE && error == NULL)
		t->error = strdup("out of memory");
	clock_gettime(CLOCK_MONOTONIC, &t->t1);
	if (t->deadline != NULL)
		evtimer_del(t->deadline);
	changed(t);
}

/*
 * Append a step asked of server name (address ss/len, len 0 when nothing was sent) by walk
 * w, taking res and pkt. Returns the step, or NULL when memory runs out (the trace is then
 * finished with an error and res and pkt are freed).
 */
static struct trace_step *step_add(struct trace *t, const struct walk *w, enum trace_kind kind,
                                   const ldns_rdf *qname, ldns_rr_type qtype,
                                   const struct cand *server, struct net_result *res, ldns_pkt *pkt)
{
	struct trace_step *s;
	char *label;
	size_t l;

	if (t->nsteps == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct trace_step *grown = realloc(t->steps, cap * sizeof(*grown));
		if (grown == NULL)
			goto fail;
		t->steps = grown;
		t->cap = cap;
	}
	s = &t->steps[t->nsteps];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->depth = w->depth;
	s->qtype = qtype;
	s->qname = rrtext_dname(qname);
	s->zone = rrtext_dname(w->cut);
	/* dig shows a server's name without the final dot */
	label = server->name != NULL ? rrtext_dname(server->name) : strdup("");
	if (s->qname == NULL || s->zone == NULL || label == NULL) {
		free(label);
		step_clear(s);
		goto fail;
	}
	l = strlen(label);
	if (l > 1 && label[l - 1] == '.')
		label[l - 1] = '\0';
	s->server.label = label;
	s->server.port = SERVER_PORT;
	if (server->len > 0) {
		server_set_addr(&s->server, (const struct sockaddr *)&server->ss, server->len);
		server_addr_str(s->addr, sizeof(s->addr), (const struct sockaddr *)&server->ss);
	}
	s->net = res;
	s->pkt = pkt;
	t->nsteps++;
	return s;
fail:
	net_result_free(res);
	ldns_pkt_free(pkt);
	finish(t, TRACE_ERROR, strdup("out of memory"));
	return NULL;
}

/* Record that server (asked by w, or not askable when nothing was sent) was skipped. */
static void skip(struct trace *t, struct walk *w, const ldns_rdf *qname, ldns_rr_type qtype,
                 const struct cand *server, struct net_result *res, ldns_pkt *pkt, char *reason)
{
	struct trace_step *s = step_add(t, w, TRACE_SKIPPED, qname, qtype, server, res, pkt);

	if (s == NULL) {
		free(reason);
		return;
	}
	s->reason = reason != NULL ? reason : strdup("out of memory");
	changed(t);
}

/* --- side walks ----------------------------------------------------------------------- */

/* The walk w (a side walk) ended with its addresses in w->addrs (or none): hand them to the
 * walk below and go on there. why says why there are none. */
static void side_done(struct trace *t, struct walk *w, const char *why)
{
	struct walk *p = w->parent;
	size_t before = p->ncands;
	struct cand none = {.name = p->resolving};

	if (w->addrs != NULL && (cand_add_rrs(p, w->qname, w->addrs, LDNS_RR_TYPE_A) < 0 ||
	                         cand_add_rrs(p, w->qname, w->addrs, LDNS_RR_TYPE_AAAA) < 0)) {
		finish(t, TRACE_ERROR, strdup("out of memory"));
		return;
	}
	/* addresses found for a CNAME target count for the name the walk was started for */
	for (size_t i = before; i < p->ncands; i++) {
		ldns_rdf *n = ldns_rdf_clone(p->resolving);
		if (n == NULL) {
			finish(t, TRACE_ERROR, strdup("out of memory"));
			return;
		}
		ldns_rdf_deep_free(p->cands[i].name);
		p->cands[i].name = n;
	}
	if (w->blame != NULL && p->blame == NULL) {
		p->blame = w->blame;
		w->blame = NULL;
	}
	t->top = p;
	if (p->ncands == before) {
		char *nm = name_str(p->resolving);
		bool had = w->addrs != NULL && ldns_rr_list_rr_count(w->addrs) > 0;
		skip(t, p, p->resolving, LDNS_RR_TYPE_A, &none, NULL, NULL,
		     had ? fmt("name server %s: its addresses were asked already", nm)
		         : fmt("no address for name server %s: %s", nm, why));
		free(nm);
	}
	p->resolving = NULL;
	walk_free(w);
	walk_next(t);
}

/* A side walk found no A: try AAAA for the same name, or give up when that was AAAA. */
static void side_retry_or_done(struct trace *t, struct walk *w, const char *why)
{
	if (w->qtype == LDNS_RR_TYPE_A &&
	    (w->addrs == NULL || ldns_rr_list_rr_count(w->addrs) == 0)) {
		ldns_rdf *n = ldns_rdf_clone(w->origname);
		if (n == NULL) {
			finish(t, TRACE_ERROR, strdup("out of memory"));
			return;
		}
		ldns_rdf_deep_free(w->qname);
		w->qname = n;
		w->qtype = LDNS_RR_TYPE_AAAA;
		for (size_t i = 0; i < w->nseen; i++)
			ldns_rdf_deep_free(w->seen[i]);
		w->nseen = 0;
		if (walk_to_root(t, w) < 0) {
			finish(t, TRACE_ERROR, strdup("out of memory"));
			return;
		}
		walk_next(t);
		return;
	}
	side_done(t, w, why);
}

/* Why the glueless name nm cannot be resolved for walk w now, or NULL when it can. Every
 * such reason is an error of the delegation or a limit, not of one server. */
static char *glueless_problem(struct trace *t, struct walk *w, const ldns_rdf *nm)
{
	char *ns = name_str(nm), *zone = name_str(w->cut), *r = NULL;

	if (at_or_below(nm, w->cut)) {
		/* only the servers being looked for could answer for their own name */
		r = fmt("bad referral: name server %s is inside %s and came without glue", ns,
		        zone);
	}
	for (struct walk *a = w->parent; r == NULL && a != NULL; a = a->parent)
		if (a->resolving != NULL && ldns_dname_compare(a->resolving, nm) == 0)
			r = fmt("referral loop: the address of %s is needed to find itself", ns);
	if (r == NULL && w->depth + 1 > t->opts.max_depth)
		r = fmt("side trace for %s would nest deeper than %u", ns, t->opts.max_depth);
	free(ns);
	free(zone);
	return r;
}

/* --- sending -------------------------------------------------------------------------- */

static void on_result(struct net_result *res, void *arg);

static void handle(struct trace *t, struct net_result *res);

/* Ask c the walk's question (". NS" while priming). */
static void send_to(struct trace *t, struct walk *w, const struct cand *c)
{
	unsigned gen;
	struct net_query *nq;
	ldns_rdf *qn = w->priming ? ldns_dname_new_frm_str(".") : ldns_rdf_clone(w->qname);

	query_spec_clear(&t->ask);
	ldns_rdf_deep_free(t->asked.name);
	if (query_spec_copy(&t->ask, &t->q) != LDNS_STATUS_OK || qn == NULL ||
	    (t->asked.name = ldns_rdf_clone(c->name)) == NULL) {
		ldns_rdf_deep_free(qn);
		finish(t, TRACE_ERROR, strdup("out of memory"));
		return;
	}
	ldns_rdf_deep_free(t->ask.qname);
	t->ask.qname = qn;
	t->ask.qtype = w->priming ? LDNS_RR_TYPE_NS : w->qtype;
	t->ask.rd = false;
	t->asked.ss = c->ss;
	t->asked.len = c->len;
	t->queries++;
	t->waiting = true;
	gen = ++t->gen;
	if (t->net == NULL)
		return; /* the test seam delivers */
	nq =
	    net_query_start(t->net, (const struct sockaddr *)&c->ss, c->len, &t->ask, on_result, t);
	if (nq == NULL && t->waiting && t->gen == gen) {
		struct net_result *res = calloc(1, sizeof(*res));
		if (res == NULL) {
			t->waiting = false;
			finish(t, TRACE_ERROR, strdup("out of memory"));
			return;
		}
		res->status = NET_NETWORK;
		res->sys_errno = ENOMEM;
		t->waiting = false;
		handle(t, res);
		return;
	}
	/* the callback may already have run (a send that failed at once) and the trace moved
	 * on to another question: keep the handle only when this question still waits */
	if (t->waiting && t->gen == gen)
		t->nq = nq;
}

static void on_result(struct net_result *res, void *arg)
{
	struct trace *t = arg;

	t->nq = NULL;
	t->waiting = false;
	handle(t, res);
}

static void on_deadline(evutil_socket_t fd, short what, void *arg)
{
	struct trace *t = arg;

	if (t->nq != NULL)
		net_query_cancel(t->nq);
	t->nq = NULL;
	t->waiting = false;
	finish(t, TRACE_ERROR, fmt("gave up at the deadline of %u ms", t->opts.deadline_ms));
}

/* --- the walk ------------------------------------------------------------------------- */

/* The walk w cannot get on: every server of its cut failed. */
static void walk_failed(struct trace *t, struct walk *w)
{
	char *zone = name_str(w->cut);
	char *why = fmt("no server of %s answered (%zu address%s tried)", zone, w->ncands,
	                w->ncands == 1 ? "" : "es");

	free(zone);
	if (w->parent == NULL) {
		if (w->blame != NULL) {
			free(why);
			why = w->blame;
			w->blame = NULL;
			finish(t, TRACE_ERROR, why);
		} else {
			finish(t, TRACE_FAILED, why);
		}
		return;
	}
	side_done(t, w, why ? why : "out of memory");
	free(why);
}

static void walk_next(struct trace *t)
{
	struct walk *w = t->top;

	if (t->status != TRACE_RUNNING)
		return;
	if (t->queries >= t->opts.max_queries) {
		finish(t, TRACE_ERROR, fmt("gave up after %u queries", t->queries));
		return;
	}
	if (w->next < w->ncands) {
		send_to(t, w, &w->cands[w->next++]);
		return;
	}
	while (w->gnext < w->nglueless) {
		ldns_rdf *nm = w->glueless[w->gnext++];
		char *problem = glueless_problem(t, w, nm);
		struct walk *side;

		if (problem != NULL) {
			struct cand none = {.name = nm};
			if (w->blame == NULL)
				w->blame = strdup(problem);
			skip(t, w, nm, LDNS_RR_TYPE_A, &none, NULL, NULL, problem);
			if (t->status != TRACE_RUNNING)
				return;
			continue;
		}
		side = walk_new(t, w, nm, LDNS_RR_TYPE_A);
		if (side == NULL) {
			finish(t, TRACE_ERROR, strdup("out of memory"));
			return;
		}
		w->resolving = nm;
		t->top = side;
		walk_next(t);
		return;
	}
	walk_failed(t, w);
}

/* Follow the CNAME chain of an answer from qname; returns the name where it ends (borrowed
 * from the answer, or qname) and sets *data when RRs of qtype exist there. */
static const ldns_rdf *chain_end(const ldns_rr_list *ans, const ldns_rdf *qname, ldns_rr_type qtype,
                                 bool *data)
{
	const ldns_rdf *name = qname;
	size_t n = ldns_rr_list_rr_count(ans);

	*data = false;
	for (size_t hops = 0; hops <= n; hops++) {
		const ldns_rdf *next = NULL;

		for (size_t i = 0; i < n; i++) {
			ldns_rr *rr = ldns_rr_list_rr(ans, i);
			if (ldns_dname_compare(ldns_rr_owner(rr), name) != 0)
				continue;
			if (ldns_rr_get_type(rr) == qtype || qtype == LDNS_RR_TYPE_ANY) {
				*data = true;
				return name;
			}
			if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_CNAME && next == NULL)
				next = ldns_rr_rdf(rr, 0);
		}
		if (next == NULL)
			break;
		name = next;
	}
	return name;
}

/* The walk reached its end: an answer (data), NXDOMAIN or NODATA. */
static void walk_end(struct trace *t, struct walk *w, const ldns_pkt *pkt, enum trace_kind kind,
                     const ldns_rdf *end)
{
	static const char *const why[] = {[TRACE_NXDOMAIN] = "NXDOMAIN",
	                                  [TRACE_NODATA] = "NODATA",
	                                  [TRACE_ANSWER] = "no address in the answer"};

	if (w->parent == NULL) {
		t->final = t->nsteps - 1;
		finish(t, TRACE_DONE, NULL);
		return;
	}
	if (kind == TRACE_ANSWER) {
		ldns_rr_list *a = rrs_of(ldns_pkt_answer(pkt), end, w->qtype);
		if (a == NULL) {
			finish(t, TRACE_ERROR, strdup("out of memory"));
			return;
		}
		ldns_rr_list_deep_free(w->addrs);
		w->addrs = a;
		/* the candidates are keyed by the name the side walk resolves */
		if (ldns_dname_compare(end, w->qname) != 0) {
			ldns_rdf *n = ldns_rdf_clone(end);
			if (n == NULL) {
				finish(t, TRACE_ERROR, strdup("out of memory"));
				return;
			}
			ldns_rdf_deep_free(w->qname);
			w->qname = n;
		}
	}
	if (kind == TRACE_NXDOMAIN)
		side_done(t, w, why[kind]);
	else
		side_retry_or_done(t, w, why[kind]);
}

/* Restart walk w for the target of a CNAME chain from the root. */
static void walk_cname(struct trace *t, struct walk *w, const ldns_rdf *target)
{
	char *tn = name_str(target);
	ldns_rdf **grown;

	bool loop = ldns_dname_compare(w->origname, target) == 0;

	for (size_t i = 0; i < w->nseen; i++)
		loop = loop || ldns_dname_compare(w->seen[i], target) == 0;
	if (loop) {
		finish(t, TRACE_ERROR, fmt("CNAME loop: %s is met twice", tn));
		free(tn);
		return;
	}
	if (w->nseen >= t->opts.max_cnames) {
		finish(t, TRACE_ERROR,
		       fmt("CNAME chain longer than %u at %s", t->opts.max_cnames, tn));
		free(tn);
		return;
	}
	free(tn);
	grown = realloc(w->seen, (w->nseen + 1) * sizeof(*grown));
	if (grown == NULL || (grown[w->nseen] = ldns_rdf_clone(target)) == NULL) {
		if (grown != NULL)
			w->seen = grown;
		finish(t, TRACE_ERROR, strdup("out of memory"));
		return;
	}
	w->seen = grown;
	w->nseen++;
	ldns_rdf_deep_free(w->qname);
	w->qname = ldns_rdf_clone(target);
	if (w->qname == NULL || walk_to_root(t, w) < 0) {
		finish(t, TRACE_ERROR, strdup("out of memory"));
		return;
	}
	walk_next(t);
}

/* A/AAAA in the additional section for the NS names of ns, inside the bailiwick of the cut
 * that was asked (RFC 2181 §5.4.1: data from outside it is not trusted). */
static ldns_rr_list *glue_of(const ldns_pkt *pkt, const ldns_rr_list *ns, const ldns_rdf *cut)
{
	ldns_rr_list *out = ldns_rr_list_new();
	const ldns_rr_list *add = ldns_pkt_additional(pkt);

	for (size_t i = 0; out != NULL && i < ldns_rr_list_rr_count(add); i++) {
		ldns_rr *rr = ldns_rr_list_rr(add, i), *c;
		ldns_rr_type ty = ldns_rr_get_type(rr);
		bool named = false;

		if (ty != LDNS_RR_TYPE_A && ty != LDNS_RR_TYPE_AAAA)
			continue;
		for (size_t k = 0; k < ldns_rr_list_rr_count(ns); k++)
			named = named || ldns_dname_compare(ldns_rr_rdf(ldns_rr_list_rr(ns, k), 0),
			                                    ldns_rr_owner(rr)) == 0;
		if (!named || !at_or_below(ldns_rr_owner(rr), cut))
			continue;
		c = ldns_rr_clone(rr);
		if (c == NULL || !ldns_rr_list_push_rr(out, c)) {
			ldns_rr_free(c);
			ldns_rr_list_deep_free(out);
			out = NULL;
		}
	}
	return out;
}

/* The owner of the first NS RR of the authority section, or NULL. */
static const ldns_rdf *referral_owner(const ldns_pkt *pkt)
{
	const ldns_rr_list *auth = ldns_pkt_authority(pkt);

	for (size_t i = 0; i < ldns_rr_list_rr_count(auth); i++)
		if (ldns_rr_get_type(ldns_rr_list_rr(auth, i)) == LDNS_RR_TYPE_NS)
			return ldns_rr_owner(ldns_rr_list_rr(auth, i));
	return NULL;
}

/* Record a priming or referral step and move walk w to the zone child. */
static void follow(struct trace *t, struct walk *w, enum trace_kind kind, const ldns_rdf *child,
                   struct net_result *res, ldns_pkt *pkt, const ldns_rr_list *section)
{
	const ldns_rdf *asked_cut = w->cut;
	ldns_rr_list *ns = rrs_of(section, child, LDNS_RR_TYPE_NS);
	ldns_rr_list *glue = ns != NULL ? glue_of(pkt, ns, asked_cut) : NULL;
	struct trace_step *s;

	s = step_add(t, w, kind, t->ask.qname, t->ask.qtype, &t->asked, res, pkt);
	if (s == NULL || ns == NULL || glue == NULL || (s->child = rrtext_dname(child)) == NULL) {
		ldns_rr_list_deep_free(ns);
		ldns_rr_list_deep_free(glue);
		finish(t, TRACE_ERROR, strdup("out of memory"));
		return;
	}
	s->ns = ns;
	s->glue = glue;
	if (kind == TRACE_PRIMING) {
		/* the root's servers from now on; hint addresses stand in for missing glue */
		ldns_rr_list_deep_free(t->root_ns);
		ldns_rr_list_deep_free(t->root_glue);
		t->root_ns = ldns_rr_list_clone(ns);
		t->root_glue = ldns_rr_list_clone(glue);
		if (t->root_ns == NULL || t->root_glue == NULL ||
		    !rrs_append(t->root_glue, t->hints, NULL, LDNS_RR_TYPE_A) ||
		    !rrs_append(t->root_glue, t->hints, NULL, LDNS_RR_TYPE_AAAA)) {
			finish(t, TRACE_ERROR, strdup("out of memory"));
			return;
		}
		w->priming = false;
	} else {
		t->referrals++;
	}
	if (walk_set_cut(w, child, ns, kind == TRACE_PRIMING ? t->root_glue : glue) < 0) {
		finish(t, TRACE_ERROR, strdup("out of memory"));
		return;
	}
	changed(t);
	if (t->referrals > t->opts.max_referrals) {
		finish(t, TRACE_ERROR, fmt("gave up after %u referrals", t->referrals));
		return;
	}
	walk_next(t);
}

/* An authoritative step that ends a walk or restarts it (answer, CNAME, NXDOMAIN, NODATA). */
static void conclude(struct trace *t, struct walk *w, enum trace_kind kind, struct net_result *res,
                     ldns_pkt *pkt, const ldns_rdf *end)
{
	struct trace_step *s =
	    step_add(t, w, kind, t->ask.qname, t->ask.qtype, &t->asked, res, pkt);

	if (s == NULL)
		return;
	if (kind == TRACE_ANSWER || kind == TRACE_CNAME)
		s->records = ldns_rr_list_clone(ldns_pkt_answer(pkt));
	else
		s->records = rrs_of(ldns_pkt_authority(pkt), NULL, LDNS_RR_TYPE_SOA);
	if (kind == TRACE_CNAME)
		s->child = rrtext_dname(end);
	if (s->records == NULL || (kind == TRACE_CNAME && s->child == NULL)) {
		finish(t, TRACE_ERROR, strdup("out of memory"));
		return;
	}
	changed(t);
	if (kind == TRACE_CNAME)
		walk_cname(t, w, end);
	else
		walk_end(t, w, pkt, kind, end);
}

/* What a reply means (see trace.h), and what the trace does next. */
static void handle(struct trace *t, struct net_result *res)
{
	struct walk *w = t->top;
	const struct cand *c = &t->asked;
	const ldns_rdf *qn = t->ask.qname;
	ldns_rr_type qt = t->ask.qtype;
	ldns_pkt *pkt = NULL;
	ldns_status st;
	unsigned rcode;
	char rc[32];
	const ldns_rdf *owner;
	bool aa;

	if (t->status != TRACE_RUNNING) {
		net_result_free(res);
		return;
	}
	if (res->status != NET_OK) {
		skip(t, w, qn, qt, c, res, NULL, strdup(net_status_str(res->status)));
		walk_next(t);
		return;
	}
	st = ldns_wire2pkt(&pkt, res->wire, res->size);
	if (st != LDNS_STATUS_OK) {
		skip(t, w, qn, qt, c, res, NULL,
		     fmt("malformed reply: %s", ldns_get_errorstr_by_id(st)));
		walk_next(t);
		return;
	}
	rcode = rrtext_pkt_rcode(pkt);
	aa = ldns_pkt_aa(pkt);
	rrtext_rcode(rc, sizeof(rc), rcode);
	if (rcode != LDNS_RCODE_NOERROR && rcode != LDNS_RCODE_NXDOMAIN) {
		skip(t, w, qn, qt, c, res, pkt, strdup(rc));
		walk_next(t);
		return;
	}
	if (w->priming) {
		ldns_rr_list *ns = rrs_of(ldns_pkt_answer(pkt), w->cut, LDNS_RR_TYPE_NS);
		bool have = ns != NULL && ldns_rr_list_rr_count(ns) > 0;

		ldns_rr_list_deep_free(ns);
		if (rcode != LDNS_RCODE_NOERROR || !have) {
			skip(t, w, qn, qt, c, res, pkt,
			     strdup("priming: no NS RRset of the root in the answer"));
			walk_next(t);
			return;
		}
		follow(t, w, TRACE_PRIMING, w->cut, res, pkt, ldns_pkt_answer(pkt));
		return;
	}
	if (rcode == LDNS_RCODE_NXDOMAIN || ldns_rr_list_rr_count(ldns_pkt_answer(pkt)) > 0) {
		bool data = false;
		const ldns_rdf *end = chain_end(ldns_pkt_answer(pkt), qn, qt, &data);

		if (!aa) {
			skip(t, w, qn, qt, c, res, pkt,
			     fmt("lame: %s without AA (not authoritative)",
			         rcode == LDNS_RCODE_NXDOMAIN ? "NXDOMAIN" : "answer"));
			walk_next(t);
			return;
		}
		if (rcode == LDNS_RCODE_NXDOMAIN)
			conclude(t, w, TRACE_NXDOMAIN, res, pkt, end);
		else if (data)
			conclude(t, w, TRACE_ANSWER, res, pkt, end);
		else if (ldns_dname_compare(end, qn) != 0)
			conclude(t, w, TRACE_CNAME, res, pkt, end);
		else if (rrs_owned(ldns_pkt_answer(pkt), qn))
			conclude(t, w, TRACE_NODATA, res, pkt, end);
		else {
			skip(t, w, qn, qt, c, res, pkt,
			     strdup("the answer section does not answer the question"));
			walk_next(t);
		}
		return;
	}
	owner = referral_owner(pkt);
	if (owner != NULL && !has_type(ldns_pkt_authority(pkt), LDNS_RR_TYPE_SOA)) {
		/* RFC 1034 §4.3.2: a referral must lead down from the cut toward the name */
		if (ldns_dname_is_subdomain(owner, w->cut) && at_or_below(qn, owner)) {
			follow(t, w, TRACE_REFERRAL, owner, res, pkt, ldns_pkt_authority(pkt));
			return;
		}
		if (!aa) {
			char *on = name_str(owner);
			skip(t, w, qn, qt, c, res, pkt,
			     at_or_below(w->cut, owner)
			         ? fmt("lame: upward referral to %s", on)
			         : fmt("lame: referral to %s, which is not above the name", on));
			free(on);
			walk_next(t);
			return;
		}
	}
	if (aa) {
		conclude(t, w, TRACE_NODATA, res, pkt, qn);
		return;
	}
	skip(t, w, qn, qt, c, res, pkt, strdup("lame: not authoritative (no AA, no referral)"));
	walk_next(t);
}

/* --- public --------------------------------------------------------------------------- */

struct trace *trace_new(struct net *net, struct event_base *base, const struct query_spec *q,
                        const ldns_rr_list *hints, const struct trace_opts *opts,
                        trace_change_fn fn, void *arg)
{
	struct trace *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->net = net;
	t->base = base;
	t->fn = fn;
	t->arg = arg;
	t->final = SIZE_MAX;
	if (opts != NULL)
		t->opts = *opts;
	else
		trace_opts_init(&t->opts);
	if (query_spec_copy(&t->q, q) != LDNS_STATUS_OK)
		goto fail;
	t->q.rd = false;
	t->hints = ldns_rr_list_clone(hints);
	if (t->hints == NULL)
		goto fail;
	t->top = walk_new(t, NULL, t->q.qname, t->q.qtype);
	if (t->top == NULL || t->top->ncands == 0)
		goto fail;
	if (base != NULL && (t->deadline = evtimer_new(base, on_deadline, t)) == NULL)
		goto fail;
	return t;
fail:
	trace_free(t);
	return NULL;
}

void trace_start(struct trace *t)
{
	clock_gettime(CLOCK_MONOTONIC, &t->t0);
	if (t->deadline != NULL) {
		struct timeval tv = {.tv_sec = t->opts.deadline_ms / 1000,
		                     .tv_usec = (t->opts.deadline_ms % 1000) * 1000};
		evtimer_add(t->deadline, &tv);
	}
	walk_next(t);
}

void trace_free(struct trace *t)
{
	if (t == NULL)
		return;
	if (t->nq != NULL)
		net_query_cancel(t->nq);
	if (t->deadline != NULL)
		event_free(t->deadline);
	while (t->top != NULL) {
		struct walk *p = t->top->parent;
		walk_free(t->top);
		t->top = p;
	}
	for (size_t i = 0; i < t->nsteps; i++)
		step_clear(&t->steps[i]);
	free(t->steps);
	query_spec_clear(&t->q);
	query_spec_clear(&t->ask);
	ldns_rdf_deep_free(t->asked.name);
	ldns_rr_list_deep_free(t->hints);
	ldns_rr_list_deep_free(t->root_ns);
	ldns_rr_list_deep_free(t->root_glue);
	free(t->error);
	free(t);
}

bool trace_done(const struct trace *t)
{
	return t->status != TRACE_RUNNING;
}

enum trace_status trace_status(const struct trace *t)
{
	return t->status;
}

const char *trace_error(const struct trace *t)
{
	return t->error;
}

const struct query_spec *trace_question(const struct trace *t)
{
	return &t->q;
}

size_t trace_nsteps(const struct trace *t)
{
	return t->nsteps;
}

const struct trace_step *trace_step(const struct trace *t, size_t i)
{
	return i < t->nsteps ? &t->steps[i] : NULL;
}

const struct trace_step *trace_final(const struct trace *t)
{
	return t->status == TRACE_DONE && t->final < t->nsteps ? &t->steps[t->final] : NULL;
}

unsigned trace_queries(const struct trace *t)
{
	return t->queries;
}

double trace_elapsed_ms(const struct trace *t)
{
	struct timespec now;

	if (t->t0.tv_sec == 0 && t->t0.tv_nsec == 0)
		return 0;
	if (t->status != TRACE_RUNNING)
		return ms_between(&t->t0, &t->t1);
	clock_gettime(CLOCK_MONOTONIC, &now);
	return ms_between(&t->t0, &now);
}

bool trace_pending(const struct trace *t, const struct sockaddr **addr, const struct query_spec **q)
{
	if (t->net != NULL || !t->waiting)
		return false;
	*addr = (const struct sockaddr *)&t->asked.ss;
	*q = &t->ask;
	return true;
}

void trace_deliver(struct trace *t, struct net_result *res)
{
	if (!t->waiting) {
		net_result_free(res);
		return;
	}
	t->waiting = false;
	handle(t, res);
}
