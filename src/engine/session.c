/*
 * session.c -- the current question, its lookup, and the actions that change them
 * (see session.h).
 */
#include "config.h"
#include "engine/session.h"
#include "dns/escape.h"
#include "dns/rrtext.h"
#include "dns/ttl.h"
#include "engine/ask.h"
#include "engine/record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct session {
	struct event_base *base;
	struct args args;       /* the current question, servers and options */
	struct server resolver; /* resolv.conf's first nameserver (addrlen 0 if none) */
	struct net *net;
	struct lookup *lookup;
	enum session_view view;
	struct ask *mx_ask;    /* the plan's asker, bound to the first server */
	struct mxplan *mx;     /* the current MX plan, or NULL */
	char *mx_target;       /* what it was asked for, for 'r' */
	struct ask *prop_ask;  /* discovery asker of the comparison */
	struct prop *prop;     /* the current comparison, or NULL */
	struct args prop_args; /* its question, servers and options, for 'r' */
	bool have_prop_args;
	struct trace *trace;     /* the current trace from the root ('t'), or NULL */
	struct ttlwatch *watch;  /* asks the lookup's servers again as answers expire */
	bool autoreask;          /* whether it does ('a' key, --watch) */
	struct ttl_table *ttls;  /* every RRset received, when recording (the TTL pane) */
	struct record *rec;      /* every result received, when recording (session_save) */
	uint64_t prop_first;     /* rec's running number when the comparison began */
	bool offline;            /* loaded from a file (session_load): never sends */
	int64_t base_ns;         /* offline: the monotonic moment that stands for the file's t=0 */
	struct server file_pres; /* offline: the comparison's resolver in the file */
	bool frozen;             /* TTLs shown at frozen_ms (session_frozen_clock) */
	int64_t frozen_ms;
	struct timespec frozen_wall;
	session_change_fn fn;
	void *arg;
};

/* Deep copy of parsed args; 0 or -1 when memory runs out. */
static int session_args_copy(struct args *dst, const struct args *src)
{
	args_init(dst);
	dst->have_name = src->have_name;
	dst->have_type = src->have_type;
	dst->port = src->port;
	dst->net = src->net;
	dst->mode = src->mode;
	dst->smtp = src->smtp;
	dst->compare = src->compare;
	dst->auth = src->auth;
	dst->watch = src->watch;
	dst->interval_s = src->interval_s;
	dst->count = src->count;
	if (src->mx_target && (dst->mx_target = strdup(src->mx_target)) == NULL)
		goto fail;
	if (query_spec_copy(&dst->q, &src->q) != LDNS_STATUS_OK)
		goto fail;
	if (src->resolv_conf && (dst->resolv_conf = strdup(src->resolv_conf)) == NULL)
		goto fail;
	if (src->root_hints && (dst->root_hints = strdup(src->root_hints)) == NULL)
		goto fail;
	if (src->nservers > 0) {
		dst->servers = calloc(src->nservers, sizeof(*dst->servers));
		if (dst->servers == NULL)
			goto fail;
		for (size_t i = 0; i < src->nservers; i++) {
			if (server_copy(&dst->servers[i], &src->servers[i]) < 0)
				goto fail;
			dst->nservers++;
		}
	}
	return 0;
fail:
	args_clear(dst);
	return -1;
}

struct session *session_new(struct event_base *base, const struct args *a, char *err, size_t errlen)
{
	struct session *s = calloc(1, sizeof(*s));
	const char *rc = a->resolv_conf ? a->resolv_conf : "/etc/resolv.conf";
	char rcerr[300];

	if (s == NULL || session_args_copy(&s->args, a) < 0) {
		snprintf(err, errlen, "out of memory");
		free(s);
		return NULL;
	}
	s->base = base;
	/* The default server, and the resolver for servers given by name. */
	if (server_from_resolv_conf(&s->resolver, rc, rcerr, sizeof(rcerr)) < 0) {
		bool need = s->args.nservers == 0;
		for (size_t i = 0; i < s->args.nservers; i++)
			need = need || s->args.servers[i].addrlen == 0;
		if (need) {
			snprintf(err, errlen, "%s", rcerr);
			session_free(s);
			return NULL;
		}
	}
	if (s->args.nservers == 0) {
		s->args.servers = calloc(1, sizeof(*s->args.servers));
		if (s->args.servers == NULL || server_copy(&s->args.servers[0], &s->resolver) < 0) {
			snprintf(err, errlen, "out of memory");
			session_free(s);
			return NULL;
		}
		s->args.nservers = 1;
		if (s->args.port != 0) { /* -p applies to the default server too, as in dig */
			s->args.servers[0].port = s->args.port;
			server_set_addr(&s->args.servers[0], (struct sockaddr *)&s->resolver.addr,
			                s->resolver.addrlen);
		}
	}
	return s;
}

void session_set_change_cb(struct session *s, session_change_fn fn, void *arg)
{
	s->fn = fn;
	s->arg = arg;
}

/* A session loaded from a file never sends: -1 with err set when s is one. */
static int session_offline_refuse(const struct session *s, char *err, size_t errlen)
{
	if (!s->offline)
		return 0;
	snprintf(err, errlen, "this session was loaded from a file: it asks nothing");
	return -1;
}

static void session_on_change(struct lookup *l, void *arg)
{
	struct session *s = arg;

	if (s->watch != NULL)
		ttlwatch_update(s->watch);
	if (s->fn)
		s->fn(s, s->arg);
}

static void session_mx_clear(struct session *s)
{
	mxplan_free(s->mx);
	s->mx = NULL;
	ask_free(s->mx_ask);
	s->mx_ask = NULL;
}

static void session_prop_clear(struct session *s)
{
	prop_free(s->prop);
	s->prop = NULL;
	ask_free(s->prop_ask);
	s->prop_ask = NULL;
}

static void session_trace_clear(struct session *s)
{
	trace_free(s->trace);
	s->trace = NULL;
}

/* The transport's observer: every reply the session receives goes into the TTL table. */
static void session_observe(const struct sockaddr *server, socklen_t len,
                            const struct query_spec *q, const struct net_result *res, void *arg)
{
	struct session *s = arg;
	ldns_pkt *pkt = NULL;
	char who[64];

	if (s->rec != NULL)
		record_add(s->rec, server, len, q, res); /* a failure only loses it from the file */
	if (s->ttls == NULL || res->status != NET_OK ||
	    ldns_wire2pkt(&pkt, res->wire, res->size) != LDNS_STATUS_OK)
		return;
	server_addr_str(who, sizeof(who), server);
	ttl_table_add(s->ttls, who, pkt, ttl_ts_ms(&res->rx_mono));
	ldns_pkt_free(pkt);
}

/* A new transport, observed when the session records TTLs. */
static struct net *session_net_new(struct session *s)
{
	struct net *net = net_new(s->base, &s->args.net);

	if (net != NULL && (s->ttls != NULL || s->rec != NULL))
		net_set_observer(net, session_observe, s);
	return net;
}

/* Replace the current lookup with a new one for s->args, and start it. */
static void session_run(struct session *s)
{
	if (s->offline) /* a session loaded from a file never sends */
		return;
	session_mx_clear(s); /* the plan's asker uses the transport replaced here */
	session_prop_clear(s);
	session_trace_clear(s);
	s->view = SESSION_VIEW_LOOKUP;
	ttlwatch_free(s->watch);
	s->watch = NULL;
	lookup_free(s->lookup);
	s->lookup = NULL;
	net_free(s->net);
	s->net = session_net_new(s);
	if (s->net != NULL) {
		s->lookup =
		    lookup_new(s->net, &s->args.q, s->args.servers, s->args.nservers,
		               s->resolver.addrlen > 0 ? &s->resolver : NULL, session_on_change, s);
	}
	if (s->lookup != NULL) {
		struct ttlwatch_opts wo;

		ttlwatch_opts_init(&wo);
		wo.interval_s = s->args.interval_s;
		s->watch = ttlwatch_new(s->base, s->lookup, &wo);
		lookup_start(s->lookup);
		if (s->watch != NULL)
			ttlwatch_set_enabled(s->watch, s->autoreask);
	}
}

void session_start(struct session *s)
{
	session_run(s);
}

static void session_mx_on_change(struct mxplan *p, void *arg)
{
	struct session *s = arg;

	if (s->fn)
		s->fn(s, s->arg);
}

int session_mx(struct session *s, const char *target, char *err, size_t errlen)
{
	char *name = NULL, *domain;
	struct mxplan_opts opts;
	const struct server *srv = &s->args.servers[0];

	if (session_offline_refuse(s, err, errlen) < 0)
		return -1;
	if (target == NULL) {
		/* the current question's name, without the root's trailing dot */
		name = rrtext_dname(s->args.q.qname);
		if (name != NULL && strlen(name) > 1 && name[strlen(name) - 1] == '.')
			name[strlen(name) - 1] = '\0';
		target = name;
	}
	domain = target ? mxplan_domain_of(target, err, errlen) : NULL;
	if (domain == NULL) {
		if (target == NULL)
			snprintf(err, errlen, "out of memory");
		free(name);
		return -1;
	}
	if (srv->addrlen == 0 && s->resolver.addrlen > 0)
		srv = &s->resolver; /* a hostname server: plan through the resolver */
	if (srv->addrlen == 0) {
		snprintf(err, errlen, "no server address to ask");
		free(domain);
		free(name);
		return -1;
	}
	session_mx_clear(s);
	if (s->net == NULL)
		s->net = session_net_new(s);
	mxplan_opts_init(&opts);
	opts.smtp = s->args.smtp;
	opts.auth_net = s->net; /* compare the MX RRset across the authoritative servers */
	if (s->net != NULL)
		s->mx_ask = ask_new(s->net, srv);
	if (s->mx_ask != NULL)
		s->mx = mxplan_new(s->mx_ask, s->base, domain, &opts, session_mx_on_change, s);
	if (s->mx == NULL) {
		snprintf(err, errlen, "'%.80s' is not a usable domain", domain);
		free(domain);
		free(name);
		session_mx_clear(s);
		return -1;
	}
	if (target != s->mx_target) {
		char *keep = strdup(target);
		free(s->mx_target);
		s->mx_target = keep;
	}
	s->view = SESSION_VIEW_MX;
	free(domain);
	free(name);
	session_mx_on_change(s->mx, s);
	return 0;
}

static void session_prop_on_change(struct prop *p, void *arg)
{
	struct session *s = arg;

	if (s->fn)
		s->fn(s, s->arg);
}

/* Start the comparison described by s->prop_args. */
static int session_prop_run(struct session *s, char *err, size_t errlen)
{
	struct args *a = &s->prop_args;
	struct prop_opts opts = {.auth = a->auth};
	const struct server *res = s->resolver.addrlen > 0 ? &s->resolver : NULL;

	if (session_offline_refuse(s, err, errlen) < 0)
		return -1;
	session_prop_clear(s);
	if (s->net == NULL)
		s->net = session_net_new(s);
	if (s->rec != NULL)
		s->prop_first = record_next_seq(s->rec);
	if (res == NULL && a->nservers > 0 && a->servers[0].addrlen > 0)
		res = &a->servers[0];
	if (s->net == NULL || (res != NULL && (s->prop_ask = ask_new(s->net, res)) == NULL)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (a->nservers == 0 && !opts.auth) {
		snprintf(err, errlen,
		         "no servers to compare (name them with @server or use --auth)");
		return -1;
	}
	s->prop = prop_new(s->net, s->prop_ask, &a->q, a->servers, a->nservers, &opts,
	                   session_prop_on_change, s);
	if (s->prop == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s->view = SESSION_VIEW_COMPARE;
	session_prop_on_change(s->prop, s);
	return 0;
}

int session_compare(struct session *s, const char *line, char *err, size_t errlen)
{
	struct args next;
	bool named = false;

	if (session_offline_refuse(s, err, errlen) < 0)
		return -1;
	if (session_args_copy(&next, &s->args) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (line != NULL) {
		/* servers named on the line replace the session's */
		size_t before = next.nservers;
		struct server *old = next.servers;
		next.servers = NULL;
		next.nservers = 0;
		if (args_parse_line(&next, line, err, errlen) < 0) {
			for (size_t i = 0; i < before; i++)
				server_clear(&old[i]);
			free(old);
			args_clear(&next);
			return -1;
		}
		named = next.nservers > 0;
		if (!named) {
			next.servers = old;
			next.nservers = before;
		} else {
			for (size_t i = 0; i < before; i++)
				server_clear(&old[i]);
			free(old);
		}
		args_finish(&next);
	} else {
		named = s->args.compare; /* -C: the servers on the command line */
	}
	/* Without servers of its own the comparison asks the zone's authoritative servers
	 * beside the session's resolver. */
	if (!named)
		next.auth = true;
	if (s->have_prop_args)
		args_clear(&s->prop_args);
	s->prop_args = next;
	s->have_prop_args = true;
	return session_prop_run(s, err, errlen);
}

const struct prop *session_prop(const struct session *s)
{
	return s->prop;
}

int session_open_prop_row(struct session *s, size_t row)
{
	const struct prop_row *r = s->prop ? prop_row(s->prop, row) : NULL;
	struct net_result *copy;
	struct lookup *l;

	if (r == NULL || r->net == NULL || r->net->wire == NULL)
		return -1;
	copy = malloc(sizeof(*copy));
	if (copy == NULL)
		return -1;
	*copy = *r->net;
	copy->wire = malloc(r->net->size);
	if (copy->wire == NULL) {
		free(copy);
		return -1;
	}
	memcpy(copy->wire, r->net->wire, r->net->size);
	/* the reply as received: a lookup without a transport, fed this one result */
	l = lookup_new(NULL, &s->prop_args.q, &r->server, 1, NULL, session_on_change, s);
	if (l == NULL) {
		net_result_free(copy);
		return -1;
	}
	lookup_deliver(l, 0, copy);
	ttlwatch_free(s->watch); /* a reply as received: nothing to ask again */
	s->watch = NULL;
	lookup_free(s->lookup);
	s->lookup = l;
	s->view = SESSION_VIEW_LOOKUP;
	if (s->fn)
		s->fn(s, s->arg);
	return 0;
}

static void session_trace_on_change(struct trace *t, void *arg)
{
	struct session *s = arg;

	if (s->fn)
		s->fn(s, s->arg);
}

int session_trace(struct session *s, char *err, size_t errlen)
{
	const char *path = s->args.root_hints ? s->args.root_hints : TRACE_ROOT_HINTS;
	ldns_rr_list *hints;

	if (session_offline_refuse(s, err, errlen) < 0)
		return -1;
	if ((hints = trace_hints_read(path, err, errlen)) == NULL)
		return -1;
	session_trace_clear(s);
	if (s->net == NULL)
		s->net = session_net_new(s);
	if (s->net != NULL)
		s->trace =
		    trace_new(s->net, s->base, &s->args.q, hints, NULL, session_trace_on_change, s);
	ldns_rr_list_deep_free(hints);
	if (s->trace == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s->view = SESSION_VIEW_TRACE;
	trace_start(s->trace);
	if (s->fn)
		s->fn(s, s->arg);
	return 0;
}

const struct trace *session_get_trace(const struct session *s)
{
	return s->trace;
}

void session_set_view(struct session *s, enum session_view v)
{
	if (v == SESSION_VIEW_MX && s->mx == NULL)
		return;
	if (v == SESSION_VIEW_COMPARE && s->prop == NULL)
		return;
	if (v == SESSION_VIEW_TRACE && s->trace == NULL)
		return;
	s->view = v;
	if (s->fn)
		s->fn(s, s->arg);
}

enum session_view session_get_view(const struct session *s)
{
	return s->view;
}

const struct mxplan *session_mxplan(const struct session *s)
{
	return s->mx;
}

void session_set_smtp(struct session *s, bool on)
{
	s->args.smtp = on;
}

bool session_get_smtp(const struct session *s)
{
	return s->args.smtp;
}

int session_ask_line(struct session *s, const char *line, char *err, size_t errlen)
{
	struct args next;

	while (*line == ' ' || *line == '\t')
		line++;
	if (strncmp(line, "compare", 7) == 0 &&
	    (line[7] == ' ' || line[7] == '\t' || line[7] == '\0'))
		return session_compare(s, line[7] ? line + 8 : NULL, err, errlen);
	if (strncmp(line, "mx", 2) == 0 && (line[2] == ' ' || line[2] == '\t')) {
		const char *t = line + 2;
		char *target, *end;
		int rc;
		while (*t == ' ' || *t == '\t')
			t++;
		target = strdup(t);
		if (target == NULL) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		for (end = target + strlen(target);
		     end > target && (end[-1] == ' ' || end[-1] == '\t');)
			*--end = '\0';
		rc =
		    *target ? session_mx(s, target, err, errlen) : session_mx(s, NULL, err, errlen);
		free(target);
		return rc;
	}

	if (session_offline_refuse(s, err, errlen) < 0)
		return -1;
	if (session_args_copy(&next, &s->args) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (args_parse_line(&next, line, err, errlen) < 0) {
		args_clear(&next);
		return -1;
	}
	args_finish(&next);
	args_clear(&s->args);
	s->args = next;
	session_run(s);
	return 0;
}

void session_requery(struct session *s)
{
	char err[256];

	if (s->view == SESSION_VIEW_COMPARE && s->have_prop_args) {
		session_prop_run(s, err, sizeof(err));
		return;
	}
	if (s->view == SESSION_VIEW_TRACE && s->trace != NULL) {
		session_trace(s, err, sizeof(err));
		return;
	}
	if (s->view == SESSION_VIEW_MX && s->mx_target != NULL) {
		char *t = strdup(s->mx_target);
		if (t != NULL)
			session_mx(s, t, err, sizeof(err));
		free(t);
		return;
	}
	session_run(s);
}

const struct lookup *session_lookup(const struct session *s)
{
	return s->lookup;
}

char *session_question_line(const struct session *s)
{
	char type[32], klass[32];
	char *name = rrtext_dname(s->args.q.qname), *out;
	size_t len;

	if (name == NULL)
		return NULL;
	rrtext_type(type, sizeof(type), s->args.q.qtype);
	rrtext_class(klass, sizeof(klass), s->args.q.qclass);
	len = strlen(name) + 64;
	for (size_t i = 0; i < s->args.nservers; i++)
		len += strlen(s->args.servers[i].label) + 2;
	out = malloc(len);
	if (out != NULL) {
		int n = snprintf(out, len, "%s %s", name, type);
		if (s->args.q.qclass != LDNS_RR_CLASS_IN)
			n += snprintf(out + n, len - (size_t)n, " %s", klass);
		for (size_t i = 0; i < s->args.nservers; i++)
			n += snprintf(out + n, len - (size_t)n, " @%s", s->args.servers[i].label);
	}
	free(name);
	return out;
}

void session_free(struct session *s)
{
	if (s == NULL)
		return;
	session_mx_clear(s);
	session_prop_clear(s);
	session_trace_clear(s);
	if (s->have_prop_args)
		args_clear(&s->prop_args);
	ttlwatch_free(s->watch);
	lookup_free(s->lookup);
	net_free(s->net);
	ttl_table_free(s->ttls);
	record_free(s->rec);
	server_clear(&s->file_pres);
	free(s->mx_target);
	args_clear(&s->args);
	server_clear(&s->resolver);
	free(s);
}

void session_set_autoreask(struct session *s, bool on)
{
	s->autoreask = on;
	if (s->watch != NULL)
		ttlwatch_set_enabled(s->watch, on);
	if (s->fn)
		s->fn(s, s->arg);
}

bool session_get_autoreask(const struct session *s)
{
	return s->autoreask;
}

const struct ttlwatch *session_watch(const struct session *s)
{
	return s->watch;
}

int session_record_ttls(struct session *s)
{
	if (s->ttls == NULL && (s->ttls = ttl_table_new()) == NULL)
		return -1;
	/* a session loaded from a file: what it received, as if it had just arrived */
	for (size_t i = 0; s->offline && s->rec != NULL && i < record_count(s->rec); i++) {
		const struct record_entry *e = record_at(s->rec, i);
		ldns_pkt *pkt = NULL;

		if (e->res.status == NET_OK && e->have_rx &&
		    ldns_wire2pkt(&pkt, e->res.wire, e->res.size) == LDNS_STATUS_OK)
			ttl_table_add(s->ttls, e->server, pkt, (s->base_ns + e->t_ns) / 1000000);
		ldns_pkt_free(pkt);
	}
	if (s->net != NULL)
		net_set_observer(s->net, session_observe, s);
	return 0;
}

const struct ttl_table *session_ttls(const struct session *s)
{
	return s->ttls;
}

int session_record(struct session *s)
{
	if (s->rec == NULL && (s->rec = record_new()) == NULL)
		return -1;
	if (s->net != NULL)
		net_set_observer(s->net, session_observe, s);
	return 0;
}

int session_save(struct session *s, const char *path, char *err, size_t errlen)
{
	struct record_views v = {
	    .view = s->view == SESSION_VIEW_COMPARE ? RECORD_VIEW_COMPARE
	            : s->view == SESSION_VIEW_MX    ? RECORD_VIEW_MX
	                                            : RECORD_VIEW_LOOKUP,
	    .lookup = s->lookup,
	    .lookup_resolver = s->resolver.addrlen > 0 ? &s->resolver : NULL,
	    .prop = s->prop,
	    .prop_auth = s->have_prop_args && s->prop_args.auth,
	    .prop_resolver = s->prop_ask && ask_server(s->prop_ask) ? ask_server(s->prop_ask)
	                     : s->file_pres.addrlen > 0             ? &s->file_pres
	                                                            : NULL,
	    .prop_first = s->prop_first,
	    .mx_target = s->mx != NULL ? s->mx_target : NULL,
	    .mx_smtp = s->args.smtp,
	};

	if (s->rec == NULL) {
		snprintf(err, errlen, "this session is not being recorded");
		return -1;
	}
	if (s->have_prop_args) {
		v.prop_servers = s->prop_args.servers;
		v.prop_nservers = s->prop_args.nservers;
	}
	if (v.view == RECORD_VIEW_LOOKUP && v.lookup == NULL)
		v.view = v.prop ? RECORD_VIEW_COMPARE : RECORD_VIEW_MX;
	return record_save(s->rec, &v, path, err, errlen);
}

size_t session_recorded(const struct session *s, size_t *replies)
{
	size_t n = s->rec != NULL ? record_count(s->rec) : 0;

	*replies = 0;
	for (size_t i = 0; i < n; i++)
		*replies += record_at(s->rec, i)->res.status == NET_OK;
	return n;
}

struct session *session_load(struct event_base *base, const char *path, char *err, size_t errlen)
{
	struct session *s = calloc(1, sizeof(*s));
	struct record_file *f;
	struct timespec now;
	int64_t t_ns, base_ns;

	if (s == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->base = base;
	s->offline = true;
	args_init(&s->args);
	if ((f = record_read(path, err, errlen)) == NULL) {
		session_free(s);
		return NULL;
	}
	if (record_file_view(f) == RECORD_VIEW_MX ||
	    (!record_file_has_lookup(f) && !record_file_has_prop(f))) {
		char *e = esc_str(path);
		snprintf(err, errlen,
		         "%.200s holds an MX plan (of %.100s): MX plans cannot be reopened yet; "
		         "--diff compares its replies",
		         e ? e : "the file",
		         record_file_mx_target(f) ? record_file_mx_target(f) : "?");
		free(e);
		goto fail;
	}
	/* TTLs are shown as they were at the capture: its moment is "now" */
	record_file_frozen(f, &t_ns, &s->frozen_wall);
	clock_gettime(CLOCK_MONOTONIC, &now);
	base_ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec - t_ns;
	s->base_ns = base_ns;
	s->frozen = true;
	s->frozen_ms = ttl_ts_ms(&now);
	ttl_clock_freeze(s->frozen_ms, &s->frozen_wall); /* every view and output reads it */
	args_clear(&s->args);
	if (record_file_args(f,
	                     record_file_has_lookup(f) ? RECORD_VIEW_LOOKUP : RECORD_VIEW_COMPARE,
	                     &s->args, &s->resolver) < 0 ||
	    (s->rec = record_new()) == NULL || record_add_file(s->rec, f) < 0) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (record_file_has_prop(f)) {
		if (record_file_args(f, RECORD_VIEW_COMPARE, &s->prop_args, &s->file_pres) < 0) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		s->have_prop_args = true;
		s->prop = record_prop_replay(f, base_ns, session_prop_on_change, s, &s->prop_ask,
		                             err, errlen);
		if (s->prop == NULL)
			goto fail;
		s->view = SESSION_VIEW_COMPARE;
	}
	if (record_file_has_lookup(f)) {
		s->lookup = record_lookup_replay(f, base_ns, session_on_change, s, err, errlen);
		if (s->lookup == NULL)
			goto fail;
		if (record_file_view(f) == RECORD_VIEW_LOOKUP)
			s->view = SESSION_VIEW_LOOKUP;
	}
	record_file_free(f);
	return s;
fail:
	record_file_free(f);
	session_free(s);
	return NULL;
}

bool session_frozen_clock(const struct session *s, int64_t *now_ms, struct timespec *now_wall)
{
	if (!s->frozen)
		return false;
	*now_ms = s->frozen_ms;
	*now_wall = s->frozen_wall;
	return true;
}

bool session_offline(const struct session *s)
{
	return s->offline;
}
