/*
 * lookup.c -- the lookup job (see lookup.h).
 */
#include "config.h"
#include "engine/lookup.h"
#include "dns/escape.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Phases of one server's part. */
enum slot_phase { SLOT_ASK = 0, SLOT_RESOLVE_A, SLOT_RESOLVE_AAAA };

struct lookup_slot {
	struct lookup *l;
	size_t i;
	enum slot_phase phase;
	struct net_query *nq; /* in flight, or NULL */
};

struct lookup {
	struct net *net;
	struct query_spec q;
	struct server resolver;
	bool have_resolver;
	size_t n;
	struct lookup_reply *replies;
	struct lookup_slot *slots;
	lookup_change_fn fn;
	void *arg;
};

struct lookup *lookup_new(struct net *net, const struct query_spec *q, const struct server *servers,
                          size_t nservers, const struct server *resolver, lookup_change_fn fn,
                          void *arg)
{
	struct lookup *l = calloc(1, sizeof(*l));

	if (l == NULL)
		return NULL;
	l->net = net;
	l->fn = fn;
	l->arg = arg;
	l->replies = calloc(nservers ? nservers : 1, sizeof(*l->replies));
	l->slots = calloc(nservers ? nservers : 1, sizeof(*l->slots));
	if (l->replies == NULL || l->slots == NULL || query_spec_copy(&l->q, q) != LDNS_STATUS_OK)
		goto fail;
	if (resolver != NULL) {
		if (server_copy(&l->resolver, resolver) < 0)
			goto fail;
		l->have_resolver = true;
	}
	for (size_t i = 0; i < nservers; i++) {
		if (server_copy(&l->replies[i].server, &servers[i]) < 0)
			goto fail;
		l->n++;
		l->slots[i].l = l;
		l->slots[i].i = i;
		l->replies[i].state = servers[i].addrlen > 0 ? LOOKUP_WAITING : LOOKUP_RESOLVING;
		l->slots[i].phase = servers[i].addrlen > 0 ? SLOT_ASK : SLOT_RESOLVE_A;
	}
	return l;
fail:
	lookup_free(l);
	return NULL;
}

static void lookup_changed(struct lookup *l)
{
	if (l->fn)
		l->fn(l, l->arg);
}

static void lookup_fail(struct lookup *l, size_t i, const char *why)
{
	struct lookup_reply *r = &l->replies[i];

	free(r->error);
	r->error = esc_str(why);
	r->state = LOOKUP_DONE;
}

static void lookup_on_result(struct net_result *res, void *arg);

/* Send query q for slot i to addr; on failure to even start, end the slot. */
static void lookup_send(struct lookup *l, size_t i, const struct sockaddr *addr, socklen_t len,
                        const struct query_spec *q)
{
	struct lookup_slot *slot = &l->slots[i];

	if (l->net == NULL)
		return; /* tests deliver results by hand */
	slot->nq = net_query_start(l->net, addr, len, q, lookup_on_result, slot);
	if (slot->nq == NULL)
		lookup_fail(l, i, "could not build the query");
}

/* Ask the resolver for the server's address (A first, then AAAA). */
static void lookup_resolve(struct lookup *l, size_t i, ldns_rr_type type)
{
	struct lookup_reply *r = &l->replies[i];
	struct query_spec rq;
	char msg[300];

	if (!l->have_resolver) {
		snprintf(msg, sizeof(msg), "cannot resolve server name %s: no resolver",
		         r->server.hostname);
		lookup_fail(l, i, msg);
		return;
	}
	query_spec_init(&rq);
	rq.qtype = type;
	if (query_spec_set_name(&rq, r->server.hostname) != LDNS_STATUS_OK) {
		snprintf(msg, sizeof(msg), "malformed server name %s", r->server.hostname);
		lookup_fail(l, i, msg);
		return;
	}
	l->slots[i].phase = type == LDNS_RR_TYPE_A ? SLOT_RESOLVE_A : SLOT_RESOLVE_AAAA;
	lookup_send(l, i, (struct sockaddr *)&l->resolver.addr, l->resolver.addrlen, &rq);
	query_spec_clear(&rq);
}

static void lookup_ask(struct lookup *l, size_t i)
{
	struct lookup_reply *r = &l->replies[i];

	r->state = LOOKUP_WAITING;
	l->slots[i].phase = SLOT_ASK;
	lookup_send(l, i, (struct sockaddr *)&r->server.addr, r->server.addrlen, &l->q);
}

void lookup_start(struct lookup *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct lookup_reply *r = &l->replies[i];

		if (r->server.addrlen > 0) {
			lookup_ask(l, i);
		} else if (strcmp(r->server.hostname, "localhost") == 0) {
			struct sockaddr_in sin = {.sin_family = AF_INET};
			sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
			server_set_addr(&r->server, (struct sockaddr *)&sin, sizeof(sin));
			lookup_ask(l, i);
		} else {
			lookup_resolve(l, i, LDNS_RR_TYPE_A);
		}
	}
	lookup_changed(l);
}

/* Take the first address of the resolver's answer; 0 when one was found. */
static int lookup_take_address(struct lookup_reply *r, const struct net_result *res,
                               ldns_rr_type type)
{
	ldns_pkt *pkt = NULL;
	ldns_rr_list *addrs;
	int rc = -1;

	if (res->status != NET_OK || ldns_wire2pkt(&pkt, res->wire, res->size) != LDNS_STATUS_OK)
		return -1;
	addrs = ldns_pkt_rr_list_by_type(pkt, type, LDNS_SECTION_ANSWER);
	if (addrs != NULL && ldns_rr_list_rr_count(addrs) > 0) {
		ldns_rdf *a = ldns_rr_rdf(ldns_rr_list_rr(addrs, 0), 0);
		if (type == LDNS_RR_TYPE_A && ldns_rdf_size(a) == 4) {
			struct sockaddr_in sin = {.sin_family = AF_INET};
			memcpy(&sin.sin_addr, ldns_rdf_data(a), 4);
			server_set_addr(&r->server, (struct sockaddr *)&sin, sizeof(sin));
			rc = 0;
		} else if (type == LDNS_RR_TYPE_AAAA && ldns_rdf_size(a) == 16) {
			struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6};
			memcpy(&sin6.sin6_addr, ldns_rdf_data(a), 16);
			server_set_addr(&r->server, (struct sockaddr *)&sin6, sizeof(sin6));
			rc = 0;
		}
	}
	ldns_rr_list_deep_free(addrs);
	ldns_pkt_free(pkt);
	return rc;
}

void lookup_deliver(struct lookup *l, size_t i, struct net_result *res)
{
	struct lookup_slot *slot = &l->slots[i];
	struct lookup_reply *r = &l->replies[i];
	char msg[300];

	slot->nq = NULL;
	if (slot->phase != SLOT_ASK) {
		ldns_rr_type type =
		    slot->phase == SLOT_RESOLVE_A ? LDNS_RR_TYPE_A : LDNS_RR_TYPE_AAAA;
		int found = lookup_take_address(r, res, type);
		enum net_status st = res->status;

		net_result_free(res);
		if (found == 0) {
			lookup_ask(l, i);
		} else if (type == LDNS_RR_TYPE_A) {
			lookup_resolve(l, i, LDNS_RR_TYPE_AAAA);
		} else {
			snprintf(msg, sizeof(msg), "cannot resolve server name %s: %s",
			         r->server.hostname,
			         st == NET_OK ? "no address" : net_status_str(st));
			lookup_fail(l, i, msg);
		}
		lookup_changed(l);
		return;
	}
	net_result_free(r->net);
	r->net = res;
	ldns_pkt_free(r->pkt);
	r->pkt = NULL;
	free(r->error);
	r->error = NULL;
	r->state = LOOKUP_DONE;
	if (res->status == NET_OK) {
		ldns_status st = ldns_wire2pkt(&r->pkt, res->wire, res->size);
		if (st != LDNS_STATUS_OK) {
			r->pkt = NULL;
			snprintf(msg, sizeof(msg), "malformed reply: %s",
			         ldns_get_errorstr_by_id(st));
			r->error = esc_str(msg);
		}
	} else if (res->status == NET_NETWORK && res->sys_errno != 0) {
		snprintf(msg, sizeof(msg), "%s: %s", net_status_str(res->status),
		         strerror(res->sys_errno));
		r->error = esc_str(msg);
	} else {
		r->error = esc_str(net_status_str(res->status));
	}
	lookup_changed(l);
}

static void lookup_on_result(struct net_result *res, void *arg)
{
	struct lookup_slot *slot = arg;

	lookup_deliver(slot->l, slot->i, res);
}

void lookup_free(struct lookup *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->n; i++) {
		if (l->slots[i].nq != NULL)
			net_query_cancel(l->slots[i].nq);
		server_clear(&l->replies[i].server);
		net_result_free(l->replies[i].net);
		ldns_pkt_free(l->replies[i].pkt);
		free(l->replies[i].error);
	}
	free(l->replies);
	free(l->slots);
	server_clear(&l->resolver);
	query_spec_clear(&l->q);
	free(l);
}

const struct query_spec *lookup_question(const struct lookup *l)
{
	return &l->q;
}

size_t lookup_count(const struct lookup *l)
{
	return l->n;
}

const struct lookup_reply *lookup_reply_at(const struct lookup *l, size_t i)
{
	return i < l->n ? &l->replies[i] : NULL;
}

bool lookup_done(const struct lookup *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->replies[i].state != LOOKUP_DONE)
			return false;
	return true;
}

const char *lookup_reply_reason(const struct lookup_reply *r)
{
	if (r->error != NULL)
		return r->error;
	if (r->pkt != NULL)
		return NULL;
	if (r->state == LOOKUP_RESOLVING)
		return "resolving the server name";
	if (r->state == LOOKUP_WAITING)
		return "waiting for a reply";
	if (r->net != NULL && r->net->status != NET_OK)
		return net_status_str(r->net->status);
	return "no reply";
}

bool lookup_any_reply(const struct lookup *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->replies[i].pkt != NULL)
			return true;
	return false;
}
