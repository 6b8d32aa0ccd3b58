/*
 * session.c -- the current question, its lookup, and the actions that change them
 * (see session.h).
 */
#include "config.h"
#include "engine/session.h"
#include "dns/rrtext.h"
#include "engine/ask.h"

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
	if (src->mx_target && (dst->mx_target = strdup(src->mx_target)) == NULL)
		goto fail;
	if (query_spec_copy(&dst->q, &src->q) != LDNS_STATUS_OK)
		goto fail;
	if (src->resolv_conf && (dst->resolv_conf = strdup(src->resolv_conf)) == NULL)
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

static void session_on_change(struct lookup *l, void *arg)
{
	struct session *s = arg;

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

/* Replace the current lookup with a new one for s->args, and start it. */
static void session_run(struct session *s)
{
	session_mx_clear(s); /* the plan's asker uses the transport replaced here */
	session_prop_clear(s);
	s->view = SESSION_VIEW_LOOKUP;
	lookup_free(s->lookup);
	s->lookup = NULL;
	net_free(s->net);
	s->net = net_new(s->base, &s->args.net);
	if (s->net != NULL)
		s->lookup =
		    lookup_new(s->net, &s->args.q, s->args.servers, s->args.nservers,
		               s->resolver.addrlen > 0 ? &s->resolver : NULL, session_on_change, s);
	if (s->lookup != NULL)
		lookup_start(s->lookup);
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
		s->net = net_new(s->base, &s->args.net);
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

	session_prop_clear(s);
	if (s->net == NULL)
		s->net = net_new(s->base, &s->args.net);
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
	lookup_free(s->lookup);
	s->lookup = l;
	s->view = SESSION_VIEW_LOOKUP;
	if (s->fn)
		s->fn(s, s->arg);
	return 0;
}

void session_set_view(struct session *s, enum session_view v)
{
	if (v == SESSION_VIEW_MX && s->mx == NULL)
		return;
	if (v == SESSION_VIEW_COMPARE && s->prop == NULL)
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
	if (s->have_prop_args)
		args_clear(&s->prop_args);
	lookup_free(s->lookup);
	net_free(s->net);
	free(s->mx_target);
	args_clear(&s->args);
	server_clear(&s->resolver);
	free(s);
}
