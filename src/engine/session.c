/*
 * session.c -- the current question, its lookup, and the actions that change them
 * (see session.h).
 */
#include "config.h"
#include "engine/session.h"
#include "dns/rrtext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct session {
	struct event_base *base;
	struct args args;       /* the current question, servers and options */
	struct server resolver; /* resolv.conf's first nameserver (addrlen 0 if none) */
	struct net *net;
	struct lookup *lookup;
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

/* Replace the current lookup with a new one for s->args, and start it. */
static void session_run(struct session *s)
{
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

int session_ask_line(struct session *s, const char *line, char *err, size_t errlen)
{
	struct args next;

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
	lookup_free(s->lookup);
	net_free(s->net);
	args_clear(&s->args);
	server_clear(&s->resolver);
	free(s);
}
