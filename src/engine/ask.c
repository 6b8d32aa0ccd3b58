/*
 * ask.c -- the resolver-bound asker and its fake (see ask.h).
 */
#include "config.h"
#include "engine/ask.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

struct ask_query {
	struct ask *a;
	TAILQ_ENTRY(ask_query) link; /* fake: in a->pending */
	struct net_query *nq;        /* real: the transport's handle */
	struct query_spec q;         /* fake: the question */
	net_done_fn done;
	void *arg;
};

TAILQ_HEAD(aq_list, ask_query);

struct ask {
	struct net *net; /* NULL for a fake */
	struct server server;
	ask_fake_fn fake;
	void *fake_arg;
	struct aq_list pending;
};

struct ask *ask_new(struct net *net, const struct server *resolver)
{
	struct ask *a = calloc(1, sizeof(*a));

	if (a == NULL)
		return NULL;
	if (server_copy(&a->server, resolver) < 0) {
		free(a);
		return NULL;
	}
	a->net = net;
	TAILQ_INIT(&a->pending);
	return a;
}

struct ask *ask_new_fake(ask_fake_fn fn, void *arg)
{
	struct ask *a = calloc(1, sizeof(*a));

	if (a == NULL)
		return NULL;
	a->fake = fn;
	a->fake_arg = arg;
	TAILQ_INIT(&a->pending);
	return a;
}

static void ask_on_result(struct net_result *res, void *arg)
{
	struct ask_query *aq = arg;
	net_done_fn done = aq->done;
	void *darg = aq->arg;

	free(aq);
	done(res, darg);
}

struct ask_query *ask_start(struct ask *a, const struct query_spec *q, net_done_fn done, void *arg)
{
	struct ask_query *aq = calloc(1, sizeof(*aq));

	if (aq == NULL)
		return NULL;
	aq->a = a;
	aq->done = done;
	aq->arg = arg;
	if (a->fake != NULL) {
		if (query_spec_copy(&aq->q, q) != LDNS_STATUS_OK) {
			free(aq);
			return NULL;
		}
		TAILQ_INSERT_TAIL(&a->pending, aq, link);
		return aq;
	}
	aq->nq = net_query_start(a->net, (const struct sockaddr *)&a->server.addr,
	                         a->server.addrlen, q, ask_on_result, aq);
	if (aq->nq == NULL) {
		free(aq);
		return NULL;
	}
	return aq;
}

void ask_cancel(struct ask_query *aq)
{
	if (aq->a->fake != NULL) {
		TAILQ_REMOVE(&aq->a->pending, aq, link);
		query_spec_clear(&aq->q);
	} else {
		net_query_cancel(aq->nq);
	}
	free(aq);
}

size_t ask_fake_pump(struct ask *a)
{
	struct ask_query *aq;
	size_t n = 0;

	if (a->fake == NULL)
		return 0;
	while ((aq = TAILQ_FIRST(&a->pending)) != NULL) {
		struct net_result *res;

		TAILQ_REMOVE(&a->pending, aq, link);
		res = a->fake(&aq->q, a->fake_arg);
		query_spec_clear(&aq->q);
		n++;
		ask_on_result(res, aq);
	}
	return n;
}

const struct server *ask_server(const struct ask *a)
{
	return a->fake != NULL ? NULL : &a->server;
}

void ask_free(struct ask *a)
{
	struct ask_query *aq;

	if (a == NULL)
		return;
	while ((aq = TAILQ_FIRST(&a->pending)) != NULL)
		ask_cancel(aq);
	server_clear(&a->server);
	free(a);
}
