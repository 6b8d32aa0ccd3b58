/*
 * lookup.c -- the lookup job (see lookup.h).
 */
#include "config.h"
#include "engine/lookup.h"
#include "dns/escape.h"
#include "dns/reply.h"
#include "dns/rrset.h"
#include "dns/rrtext.h"
#include "dns/ttl.h"

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
		struct sockaddr_storage ss;
		socklen_t len;

		if (reply_rr_addr(ldns_rr_list_rr(addrs, 0), 0, &ss, &len)) {
			server_set_addr(&r->server, (struct sockaddr *)&ss, len);
			rc = 0;
		}
	}
	ldns_rr_list_deep_free(addrs);
	ldns_pkt_free(pkt);
	return rc;
}

/* The compact answer of a reply (see struct lookup_change). */
static char *lookup_answer_text(const struct lookup_reply *r)
{
	char rc[32];
	const ldns_rr *question;

	if (r->pkt == NULL)
		return strdup(r->error ? r->error : "no reply");
	switch (ldns_pkt_get_rcode(r->pkt)) {
	case LDNS_RCODE_NOERROR:
		if (ldns_rr_list_rr_count(ldns_pkt_answer(r->pkt)) == 0)
			return strdup("NODATA");
		/* a message without a question (QDCOUNT 0) parses too: every RR shows its type */
		question = ldns_rr_list_rr(ldns_pkt_question(r->pkt), 0);
		return rrset_compact(ldns_pkt_answer(r->pkt),
		                     question ? ldns_rr_get_type(question) : 0, NULL);
	default:
		return strdup(rrtext_rcode(rc, sizeof(rc), rrtext_pkt_rcode(r->pkt)));
	}
}

/* The previous reply (old_*) against the new one in r: highlight and history. */
static void lookup_compare(struct lookup_reply *r, const struct net_result *old_net,
                           const ldns_pkt *old_pkt, const char *old_answer)
{
	ldns_rr_list *na = r->pkt ? ldns_pkt_answer(r->pkt) : NULL;
	ldns_rr_list *oa = old_pkt ? ldns_pkt_answer(old_pkt) : NULL;
	ldns_rr_list *added = rrset_minus(na, oa), *removed = rrset_minus(oa, na);
	bool changed = (added && ldns_rr_list_rr_count(added) > 0) ||
	               (removed && ldns_rr_list_rr_count(removed) > 0) ||
	               strcmp(old_answer ? old_answer : "", r->answer ? r->answer : "") != 0;
	int64_t rx = ttl_ts_ms(&r->net->rx_mono);
	uint32_t ot, nt;
	bool reset = false;

	if (old_pkt && r->pkt && old_net && ttl_of_reply(old_pkt, &ot, NULL) &&
	    ttl_of_reply(r->pkt, &nt, NULL))
		reset = nt > ttl_remaining(ot, ttl_ts_ms(&old_net->rx_mono), rx);
	if (changed) {
		struct lookup_change *h =
		    realloc(r->history, (r->nhistory + 1) * sizeof(*r->history));
		if (h != NULL) {
			r->history = h;
			h += r->nhistory++;
			h->wall = r->net->rx_wall;
			h->before = strdup(old_answer ? old_answer : "");
			h->after = strdup(r->answer ? r->answer : "");
			h->added = added ? ldns_rr_list_rr_count(added) : 0;
			h->removed = removed ? ldns_rr_list_rr_count(removed) : 0;
		}
	}
	if (changed || reset) {
		ldns_rr_list_deep_free(r->added);
		ldns_rr_list_deep_free(r->removed);
		r->added = added;
		r->removed = removed;
		r->ttl_reset = reset;
		r->changed_ms = rx;
	} else {
		ldns_rr_list_deep_free(added);
		ldns_rr_list_deep_free(removed);
	}
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
	struct net_result *old_net = r->net;
	ldns_pkt *old_pkt = r->pkt;
	char *old_answer = r->answer;

	r->net = res;
	r->pkt = NULL;
	r->answer = NULL;
	free(r->error);
	r->error = NULL;
	r->state = LOOKUP_DONE;
	if (res->status == NET_OK) {
		/* Only a TC = 1 reply kept with +ignore gets here without having been checked
		 * whole by the transport (reply_match). */
		if (ldns_wire2pkt(&r->pkt, res->wire, res->size) != LDNS_STATUS_OK) {
			char why[160] = "";

			r->pkt = NULL;
			reply_wellformed(res->wire, res->size, why, sizeof(why));
			snprintf(msg, sizeof(msg), "malformed reply: %s", why);
			r->error = esc_str(msg);
		}
	} else {
		r->error = esc_str(net_result_describe(msg, sizeof(msg), res));
	}
	r->answer = lookup_answer_text(r);
	if (r->asked > 0)
		lookup_compare(r, old_net, old_pkt, old_answer);
	r->asked++;
	r->reasking = false;
	net_result_free(old_net);
	ldns_pkt_free(old_pkt);
	free(old_answer);
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
		free(l->replies[i].answer);
		ldns_rr_list_deep_free(l->replies[i].added);
		ldns_rr_list_deep_free(l->replies[i].removed);
		for (size_t k = 0; k < l->replies[i].nhistory; k++) {
			free(l->replies[i].history[k].before);
			free(l->replies[i].history[k].after);
		}
		free(l->replies[i].history);
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

bool lookup_reask(struct lookup *l, size_t i)
{
	struct lookup_reply *r;

	if (i >= l->n)
		return false;
	r = &l->replies[i];
	if (r->state != LOOKUP_DONE || r->reasking || l->slots[i].nq != NULL ||
	    r->server.addrlen == 0)
		return false;
	r->reasking = true;
	l->slots[i].phase = SLOT_ASK;
	lookup_send(l, i, (struct sockaddr *)&r->server.addr, r->server.addrlen, &l->q);
	if (r->reasking && l->net != NULL && l->slots[i].nq == NULL)
		r->reasking = false; /* could not even be sent: lookup_fail said why */
	lookup_changed(l);
	return true;
}

int64_t lookup_reply_rx_ms(const struct lookup_reply *r)
{
	return r->net != NULL ? ttl_ts_ms(&r->net->rx_mono) : 0;
}

bool lookup_reply_expiry(const struct lookup_reply *r, int64_t *expiry_ms)
{
	uint32_t ttl;

	if (r->pkt == NULL || r->net == NULL || !ttl_of_reply(r->pkt, &ttl, NULL))
		return false;
	*expiry_ms = ttl_expiry_ms(ttl, ttl_ts_ms(&r->net->rx_mono));
	return true;
}

bool lookup_any_reply(const struct lookup *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->replies[i].pkt != NULL)
			return true;
	return false;
}
