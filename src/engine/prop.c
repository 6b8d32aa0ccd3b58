/*
 * prop.c -- the propagation comparison (see prop.h).
 *
 * Each server is an item: its row (the public part), the two questions it was asked (the
 * question and SOA alongside) and its canonical answer key. Items are allocated one by one
 * so that callbacks can point at them while discovery appends more. After every change the
 * groups, majority, newest serial and summary are recomputed from the rows: with a few
 * hundred rows that is cheap, and it keeps the model consistent at every moment a view reads.
 */
#include "config.h"
#include "engine/prop.h"
#include "dns/escape.h"
#include "dns/reply.h"
#include "dns/rrset.h"
#include "dns/ttl.h"
#include "dns/rrtext.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

struct prop_item;

/* What a callback needs: the item and which of its questions answered. */
struct prop_cb {
	struct prop_item *item;
	int kind; /* 0 the question, 1 the SOA alongside, 2 resolving the server's name */
};

struct prop_item {
	struct prop_row row;
	struct prop *p;
	bool rd;      /* RD on this server's questions */
	bool done[2]; /* question, SOA */
	struct net_query *nq[2];
	struct ask_query *resolving;
	ldns_rr_type resolving_type;
	struct prop_cb cb[3];
	char *key; /* canonical answer key, NULL without a usable reply */
};

/* Discovery questions in flight (for cancelling). */
struct prop_dq {
	struct prop *p;
	struct ask_query *aq;
	int step; /* 0 SOA, 1 NS, 2 address of an NS name */
	char *nsname;
	ldns_rr_type type;
	LIST_ENTRY(prop_dq) link;
};

LIST_HEAD(dq_list, prop_dq);

struct prop {
	struct net *net;
	struct ask *resolver;
	struct query_spec q;
	struct prop_opts opts;
	struct prop_item **items;
	size_t n, cap;
	struct prop_group *groups;
	size_t ngroups;
	int ref_group; /* prop_reference_group(), -1 for none */
	char *summary;
	char *discovery;
	ldns_rdf *zone;
	size_t ns_names, ns_addrs;
	struct dq_list dqs;
	prop_change_fn fn;
	void *arg;
};

/* --- RFC 1982 and canonical keys ---------------------------------------------------- */

int prop_serial_cmp(uint32_t a, uint32_t b)
{
	if (a == b)
		return 0;
	if (a - b == 0x80000000u)
		return 0; /* undefined (RFC 1982 §3.2) */
	return (uint32_t)(a - b) < 0x80000000u ? 1 : -1;
}

/* --- recomputing the comparison ----------------------------------------------------- */

static bool prop_row_done(const struct prop_item *it)
{
	return it->done[0] && it->done[1];
}

/* The authoritative servers' newest answer group (see prop_reference_group). */
static int prop_find_reference(const struct prop *p, bool have_newest, uint32_t newest)
{
	int best = -1;

	for (size_t i = 0; i < p->n; i++) {
		const struct prop_row *r = &p->items[i]->row;
		if (!r->aa || r->group < 0)
			continue;
		if (have_newest && r->have_serial && r->serial == newest)
			return r->group;
		if (best < 0 || r->group < best)
			best = r->group; /* groups are sorted largest first */
	}
	return have_newest ? prop_find_reference(p, false, 0) : best;
}

static void prop_recompute(struct prop *p)
{
	char buf[1024], part[160];
	size_t pending = 0, differ = 0, behind = 0, other = 0, failed[PROP_ERROR + 1] = {0};
	uint32_t newest = 0;
	bool have_newest = false;

	for (size_t g = 0; g < p->ngroups; g++)
		free(p->groups[g].answer);
	p->ngroups = 0;
	free(p->groups);
	p->groups = calloc(p->n ? p->n : 1, sizeof(*p->groups));
	if (p->groups == NULL)
		return;
	/* groups in order of first appearance (first[g] = index of its first member), then
	 * sorted by size, largest first */
	size_t *first = calloc(p->n ? p->n : 1, sizeof(*first));
	size_t ng = 0;
	if (first == NULL)
		return;
	for (size_t i = 0; i < p->n; i++) {
		const char *k = p->items[i]->key;
		size_t g;

		p->items[i]->row.group = -1;
		if (k == NULL)
			continue;
		for (g = 0; g < ng; g++)
			if (strcmp(p->items[first[g]]->key, k) == 0)
				break;
		if (g == ng)
			first[ng++] = i;
	}
	p->ngroups = ng;
	for (size_t g = 0; g < ng; g++) {
		p->groups[g].size = 0;
		p->groups[g].majority = false;
		p->groups[g].answer = NULL;
	}
	for (size_t i = 0; i < p->n; i++) {
		const char *k = p->items[i]->key;
		for (size_t g = 0; k && g < ng; g++)
			if (strcmp(p->items[first[g]]->key, k) == 0)
				p->groups[g].size++;
	}
	/* largest first; equal sizes keep their order of appearance (insertion sort) */
	for (size_t a = 1; a < ng; a++) {
		for (size_t b = a; b > 0 && p->groups[b].size > p->groups[b - 1].size; b--) {
			struct prop_group tg = p->groups[b];
			size_t tf = first[b];
			p->groups[b] = p->groups[b - 1];
			first[b] = first[b - 1];
			p->groups[b - 1] = tg;
			first[b - 1] = tf;
		}
	}
	for (size_t g = 0; g < ng; g++)
		p->groups[g].answer =
		    strdup(p->items[first[g]]->row.answer ? p->items[first[g]]->row.answer : "");
	if (ng > 0)
		p->groups[0].majority = true;
	for (size_t i = 0; i < p->n; i++) {
		struct prop_row *r = &p->items[i]->row;
		for (size_t g = 0; r && p->items[i]->key && g < ng; g++)
			if (strcmp(p->items[first[g]]->key, p->items[i]->key) == 0)
				r->group = (int)g;
		if (r->have_serial && (!have_newest || prop_serial_cmp(r->serial, newest) > 0)) {
			newest = r->serial;
			have_newest = true;
		}
	}
	free(first);
	p->ref_group = prop_find_reference(p, have_newest, newest);
	for (size_t i = 0; i < p->n; i++) {
		struct prop_row *r = &p->items[i]->row;
		r->stale = p->ref_group >= 0 && r->ra && !r->aa && r->group >= 0 &&
		           r->group != p->ref_group;
	}
	for (size_t i = 0; i < p->n; i++) {
		struct prop_item *it = p->items[i];
		struct prop_row *r = &it->row;

		r->behind = have_newest && r->have_serial && prop_serial_cmp(r->serial, newest) < 0;
		if (r->status == PROP_PENDING) {
			r->outlier = false;
			pending++;
			continue;
		}
		r->outlier = r->group != 0;
		if (r->behind)
			behind++;
		else if (r->group > 0)
			other++;
		else if (r->group < 0)
			failed[r->status]++;
		if (r->outlier || r->behind)
			differ++;
		if (!prop_row_done(it))
			pending++;
	}
	free(p->summary);
	if (p->n == 0) {
		snprintf(buf, sizeof(buf), "%s",
		         p->discovery ? "no servers to compare yet" : "no servers");
	} else if (differ == 0 && pending == p->n) {
		snprintf(buf, sizeof(buf), "waiting for %zu server%s", p->n, p->n == 1 ? "" : "s");
	} else if (differ == 0) {
		snprintf(buf, sizeof(buf), "consistent: %s%zu server%s agree",
		         pending ? "so far " : "", p->n - pending, p->n - pending == 1 ? "" : "s");
		if (pending) {
			size_t l = strlen(buf);
			snprintf(buf + l, sizeof(buf) - l, ", %zu pending", pending);
		}
	} else {
		size_t l =
		    (size_t)snprintf(buf, sizeof(buf), "%zu of %zu servers differ:", differ, p->n);
		const char *sep = " ";
		if (behind) {
			snprintf(part, sizeof(part), "%s%zu behind serial %u", sep, behind, newest);
			l += (size_t)snprintf(buf + l, sizeof(buf) - l, "%s", part);
			sep = ", ";
		}
		if (other) {
			snprintf(part, sizeof(part), "%s%zu with another answer", sep, other);
			l += (size_t)snprintf(buf + l, sizeof(buf) - l, "%s", part);
			sep = ", ";
		}
		for (int s = PROP_ANSWER; s <= PROP_ERROR && l < sizeof(buf); s++) {
			if (failed[s] == 0)
				continue;
			snprintf(part, sizeof(part), "%s%zu %s", sep, failed[s],
			         s == PROP_SERVFAIL      ? "SERVFAIL"
			         : s == PROP_REFUSED     ? "REFUSED"
			         : s == PROP_TIMEOUT     ? "timed out"
			         : s == PROP_UNREACHABLE ? "unreachable"
			                                 : "failed");
			l += (size_t)snprintf(buf + l, sizeof(buf) - l, "%s", part);
			sep = ", ";
		}
		if (pending && l < sizeof(buf))
			snprintf(buf + l, sizeof(buf) - l, " (%zu pending)", pending);
	}
	p->summary = esc_str(buf);
}

/* --- replies ------------------------------------------------------------------------ */

static void prop_changed(struct prop *p)
{
	prop_recompute(p);
	if (p->fn)
		p->fn(p, p->arg);
}

static void prop_on_question(struct prop_item *it, struct net_result *res)
{
	struct prop_row *r = &it->row;
	ldns_pkt *pkt = NULL;
	char msg[200];

	net_result_free(r->net);
	r->net = res;
	r->rtt_ms = res->rtt_ms;
	r->discarded = res->discarded;
	if (res->status != NET_OK) {
		r->status = res->status == NET_TIMEOUT       ? PROP_TIMEOUT
		            : res->status == NET_UNREACHABLE ? PROP_UNREACHABLE
		                                             : PROP_ERROR;
		r->error = esc_str(net_status_str(res->status));
		return;
	}
	if (ldns_wire2pkt(&pkt, res->wire, res->size) != LDNS_STATUS_OK) {
		r->status = PROP_ERROR;
		snprintf(msg, sizeof(msg), "malformed reply");
		r->error = esc_str(msg);
		return;
	}
	r->pkt = pkt;
	r->aa = ldns_pkt_aa(pkt);
	r->ra = ldns_pkt_ra(pkt);
	r->have_cache_ttl = ttl_of_reply(pkt, &r->cache_ttl, NULL);
	switch (ldns_pkt_get_rcode(pkt)) {
	case LDNS_RCODE_NOERROR:
		if (ldns_rr_list_rr_count(ldns_pkt_answer(pkt)) > 0) {
			r->status = PROP_ANSWER;
			r->answer =
			    rrset_compact(ldns_pkt_answer(pkt), it->p->q.qtype, &r->min_ttl);
			char *k = rrset_canonical_key(ldns_pkt_answer(pkt));
			if (k != NULL) {
				it->key = malloc(strlen(k) + 3);
				if (it->key)
					sprintf(it->key, "A:%s", k);
				free(k);
			}
		} else {
			r->status = PROP_NODATA;
			r->answer = strdup("NODATA");
			it->key = strdup("NODATA");
		}
		break;
	case LDNS_RCODE_NXDOMAIN:
		r->status = PROP_NXDOMAIN;
		r->answer = strdup("NXDOMAIN");
		it->key = strdup("NXDOMAIN");
		break;
	case LDNS_RCODE_SERVFAIL:
		r->status = PROP_SERVFAIL;
		r->error = strdup("SERVFAIL");
		break;
	case LDNS_RCODE_REFUSED:
		r->status = PROP_REFUSED;
		r->error = strdup("REFUSED");
		break;
	default: {
		char rc[32];
		r->status = PROP_OTHER_RCODE;
		r->error = strdup(rrtext_rcode(rc, sizeof(rc), rrtext_pkt_rcode(pkt)));
		break;
	}
	}
}

/* The zone's serial from the answer, or the SOA in the authority section (RFC 2308 §3). */
static bool prop_serial_of(const ldns_pkt *pkt, uint32_t *serial)
{
	ldns_rr_list *secs[2] = {ldns_pkt_answer(pkt), ldns_pkt_authority(pkt)};

	for (size_t s = 0; s < 2; s++) {
		for (size_t i = 0; i < ldns_rr_list_rr_count(secs[s]); i++) {
			const ldns_rr *rr = ldns_rr_list_rr(secs[s], i);
			if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA && ldns_rr_rd_count(rr) == 7) {
				*serial = ldns_rdf2native_int32(ldns_rr_rdf(rr, 2));
				return true;
			}
		}
	}
	return false;
}

static void prop_on_soa(struct prop_item *it, struct net_result *res)
{
	ldns_pkt *pkt = NULL;

	it->row.soa_pending = false;
	if (res->status == NET_OK && ldns_wire2pkt(&pkt, res->wire, res->size) == LDNS_STATUS_OK)
		it->row.have_serial = prop_serial_of(pkt, &it->row.serial);
	ldns_pkt_free(pkt);
	net_result_free(res);
}

void prop_deliver(struct prop *p, size_t i, int kind, struct net_result *res)
{
	struct prop_item *it;

	if (i >= p->n || kind < 0 || kind > 1) {
		net_result_free(res);
		return;
	}
	it = p->items[i];
	it->nq[kind] = NULL;
	it->done[kind] = true;
	if (kind == 0)
		prop_on_question(it, res);
	else
		prop_on_soa(it, res);
	prop_changed(p);
}

static void prop_on_result(struct net_result *res, void *arg)
{
	struct prop_cb *cb = arg;
	struct prop_item *it = cb->item;
	size_t i;

	for (i = 0; i < it->p->n && it->p->items[i] != it; i++)
		;
	prop_deliver(it->p, i, cb->kind, res);
}

/* --- asking -------------------------------------------------------------------------- */

static void prop_send(struct prop_item *it)
{
	struct prop *p = it->p;
	struct query_spec q;

	if (p->net == NULL)
		return; /* tests deliver by hand */
	for (int kind = 0; kind < 2; kind++) {
		if (query_spec_copy(&q, &p->q) != LDNS_STATUS_OK)
			break;
		q.rd = it->rd;
		if (kind == 1)
			q.qtype = LDNS_RR_TYPE_SOA;
		it->nq[kind] =
		    net_query_start(p->net, (struct sockaddr *)&it->row.server.addr,
		                    it->row.server.addrlen, &q, prop_on_result, &it->cb[kind]);
		query_spec_clear(&q);
		if (it->nq[kind] == NULL)
			it->done[kind] = true;
	}
}

/* Add a row (unless a row with that address exists) and ask it. */
static struct prop_item *prop_add(struct prop *p, const struct server *srv, bool rd)
{
	struct prop_item *it;

	for (size_t i = 0; srv->addrlen > 0 && i < p->n; i++)
		if (p->items[i]->row.server.addrlen == srv->addrlen &&
		    memcmp(&p->items[i]->row.server.addr, &srv->addr, srv->addrlen) == 0)
			return NULL;
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		struct prop_item **grown = realloc(p->items, cap * sizeof(*grown));
		if (grown == NULL)
			return NULL;
		p->items = grown;
		p->cap = cap;
	}
	it = calloc(1, sizeof(*it));
	if (it == NULL || server_copy(&it->row.server, srv) < 0) {
		free(it);
		return NULL;
	}
	it->p = p;
	it->rd = rd;
	it->row.group = -1;
	it->row.soa_pending = true;
	for (int k = 0; k < 3; k++) {
		it->cb[k].item = it;
		it->cb[k].kind = k;
	}
	if (srv->addrlen > 0)
		server_addr_str(it->row.addr, sizeof(it->row.addr), (struct sockaddr *)&srv->addr);
	p->items[p->n++] = it;
	return it;
}

/* --- server names and discovery (through the resolver) ------------------------------ */

static void prop_disc_text(struct prop *p, const char *error)
{
	char buf[300], *zone = p->zone ? rrtext_dname(p->zone) : NULL;

	if (error != NULL)
		snprintf(buf, sizeof(buf), "authoritative servers%s%s: %s", zone ? " of " : "",
		         zone ? zone : "", error);
	else if (zone != NULL)
		snprintf(buf, sizeof(buf), "zone %s: %zu NS, %zu address%s%s", zone, p->ns_names,
		         p->ns_addrs, p->ns_addrs == 1 ? "" : "es",
		         LIST_EMPTY(&p->dqs) ? "" : " (discovering)");
	else
		snprintf(buf, sizeof(buf), "finding the zone cut");
	free(zone);
	free(p->discovery);
	p->discovery = esc_str(buf);
}

static void prop_on_dq(struct net_result *res, void *arg);

static void prop_dq_ask(struct prop *p, const ldns_rdf *name, ldns_rr_type type, int step,
                        const char *nsname)
{
	struct prop_dq *dq = calloc(1, sizeof(*dq));
	struct query_spec q;

	if (dq == NULL)
		return;
	query_spec_init(&q);
	q.qtype = type;
	q.qname = ldns_rdf_clone(name);
	dq->p = p;
	dq->step = step;
	dq->type = type;
	dq->nsname = nsname ? strdup(nsname) : NULL;
	if (q.qname != NULL)
		dq->aq = ask_start(p->resolver, &q, prop_on_dq, dq);
	query_spec_clear(&q);
	if (dq->aq == NULL) {
		free(dq->nsname);
		free(dq);
		return;
	}
	LIST_INSERT_HEAD(&p->dqs, dq, link);
}

/* The zone cut: the owner of the SOA in the answer or authority section (RFC 2308 §3). */
static const ldns_rdf *prop_soa_owner(const ldns_pkt *pkt)
{
	ldns_rr_list *secs[2] = {ldns_pkt_answer(pkt), ldns_pkt_authority(pkt)};

	for (size_t s = 0; s < 2; s++)
		for (size_t i = 0; i < ldns_rr_list_rr_count(secs[s]); i++)
			if (ldns_rr_get_type(ldns_rr_list_rr(secs[s], i)) == LDNS_RR_TYPE_SOA)
				return ldns_rr_owner(ldns_rr_list_rr(secs[s], i));
	return NULL;
}

static void prop_on_dq(struct net_result *res, void *arg)
{
	struct prop_dq *dq = arg;
	struct prop *p = dq->p;
	ldns_pkt *pkt = NULL;
	const char *error = NULL;

	LIST_REMOVE(dq, link);
	if (res->status != NET_OK || ldns_wire2pkt(&pkt, res->wire, res->size) != LDNS_STATUS_OK)
		pkt = NULL;
	if (dq->step == 0) {
		const ldns_rdf *owner = pkt ? prop_soa_owner(pkt) : NULL;
		if (owner != NULL && (p->zone = ldns_rdf_clone(owner)) != NULL)
			prop_dq_ask(p, p->zone, LDNS_RR_TYPE_NS, 1, NULL);
		else
			error = res->status != NET_OK ? net_status_str(res->status)
			                              : "no SOA found for the name";
	} else if (dq->step == 1) {
		ldns_rr_list *ns =
		    pkt ? ldns_pkt_rr_list_by_type(pkt, LDNS_RR_TYPE_NS, LDNS_SECTION_ANSWER)
		        : NULL;
		for (size_t i = 0; ns && i < ldns_rr_list_rr_count(ns); i++) {
			const ldns_rdf *name = ldns_rr_rdf(ldns_rr_list_rr(ns, i), 0);
			char *label;
			if (name == NULL) /* an NS RR without rdata names no server */
				continue;
			label = rrtext_dname(name);
			p->ns_names++;
			prop_dq_ask(p, name, LDNS_RR_TYPE_A, 2, label);
			prop_dq_ask(p, name, LDNS_RR_TYPE_AAAA, 2, label);
			free(label);
		}
		if (p->ns_names == 0)
			error = "no NS records for the zone";
		ldns_rr_list_deep_free(ns);
	} else if (pkt != NULL) {
		ldns_rr_list *addrs = ldns_pkt_rr_list_by_type(pkt, dq->type, LDNS_SECTION_ANSWER);
		for (size_t i = 0; addrs && i < ldns_rr_list_rr_count(addrs); i++) {
			struct server srv;
			struct prop_item *it;
			struct sockaddr_storage ss;
			socklen_t len;

			if (!reply_rr_addr(ldns_rr_list_rr(addrs, i), 0, &ss, &len))
				continue;
			memset(&srv, 0, sizeof(srv));
			srv.label = dq->nsname;
			srv.port = SERVER_PORT;
			server_set_addr(&srv, (struct sockaddr *)&ss, len);
			if ((it = prop_add(p, &srv, p->opts.auth_rd)) != NULL) {
				p->ns_addrs++;
				prop_send(it);
			}
		}
		ldns_rr_list_deep_free(addrs);
	}
	ldns_pkt_free(pkt);
	net_result_free(res);
	free(dq->nsname);
	free(dq);
	prop_disc_text(p, error);
	prop_changed(p);
}

/* A server given by name: its address through the resolver (A first, then AAAA). */
static void prop_on_name(struct net_result *res, void *arg);

static void prop_name_failed(struct prop_item *it, const char *why)
{
	char msg[300];

	snprintf(msg, sizeof(msg), "cannot resolve server name %s: %s", it->row.server.hostname,
	         why);
	it->row.status = PROP_ERROR;
	free(it->row.error);
	it->row.error = esc_str(msg);
	it->done[0] = it->done[1] = true;
	it->row.soa_pending = false;
}

static void prop_resolve(struct prop_item *it, ldns_rr_type type)
{
	struct query_spec q;

	query_spec_init(&q);
	q.qtype = type;
	if (it->p->resolver == NULL) {
		prop_name_failed(it, "no resolver");
		return;
	}
	if (query_spec_set_name(&q, it->row.server.hostname) != LDNS_STATUS_OK) {
		prop_name_failed(it, "malformed name");
		return;
	}
	it->resolving_type = type;
	it->resolving = ask_start(it->p->resolver, &q, prop_on_name, &it->cb[2]);
	query_spec_clear(&q);
	if (it->resolving == NULL)
		prop_name_failed(it, "could not ask");
}

static void prop_on_name(struct net_result *res, void *arg)
{
	struct prop_item *it = ((struct prop_cb *)arg)->item;
	ldns_pkt *pkt = NULL;
	bool found = false;

	it->resolving = NULL;
	if (res->status == NET_OK && ldns_wire2pkt(&pkt, res->wire, res->size) == LDNS_STATUS_OK) {
		ldns_rr_list *addrs =
		    ldns_pkt_rr_list_by_type(pkt, it->resolving_type, LDNS_SECTION_ANSWER);
		struct sockaddr_storage ss;
		socklen_t len;

		if (addrs && ldns_rr_list_rr_count(addrs) > 0 &&
		    reply_rr_addr(ldns_rr_list_rr(addrs, 0), 0, &ss, &len)) {
			server_set_addr(&it->row.server, (struct sockaddr *)&ss, len);
			found = true;
		}
		ldns_rr_list_deep_free(addrs);
	}
	ldns_pkt_free(pkt);
	net_result_free(res);
	if (found) {
		server_addr_str(it->row.addr, sizeof(it->row.addr),
		                (struct sockaddr *)&it->row.server.addr);
		prop_send(it);
	} else if (it->resolving_type == LDNS_RR_TYPE_A) {
		prop_resolve(it, LDNS_RR_TYPE_AAAA);
	} else {
		prop_name_failed(it, "no address");
	}
	prop_changed(it->p);
}

/* --- API ----------------------------------------------------------------------------- */

struct prop *prop_new(struct net *net, struct ask *resolver, const struct query_spec *q,
                      const struct server *servers, size_t n, const struct prop_opts *opts,
                      prop_change_fn fn, void *arg)
{
	struct prop *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	LIST_INIT(&p->dqs);
	p->ref_group = -1;
	p->net = net;
	p->resolver = resolver;
	if (opts)
		p->opts = *opts;
	if (query_spec_copy(&p->q, q) != LDNS_STATUS_OK) {
		prop_free(p);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		struct prop_item *it = prop_add(p, &servers[i], q->rd);
		if (it == NULL)
			continue; /* the same address twice */
		if (it->row.server.addrlen > 0)
			prop_send(it);
		else
			prop_resolve(it, LDNS_RR_TYPE_A);
	}
	if (p->opts.auth && resolver != NULL) {
		prop_dq_ask(p, p->q.qname, LDNS_RR_TYPE_SOA, 0, NULL);
		prop_disc_text(p, LIST_EMPTY(&p->dqs) ? "could not ask" : NULL);
	}
	prop_recompute(p);
	p->fn = fn; /* callbacks only once the first questions are out */
	p->arg = arg;
	return p;
}

void prop_free(struct prop *p)
{
	struct prop_dq *dq;

	if (p == NULL)
		return;
	while ((dq = LIST_FIRST(&p->dqs)) != NULL) {
		LIST_REMOVE(dq, link);
		ask_cancel(dq->aq);
		free(dq->nsname);
		free(dq);
	}
	for (size_t i = 0; i < p->n; i++) {
		struct prop_item *it = p->items[i];
		for (int k = 0; k < 2; k++)
			if (it->nq[k])
				net_query_cancel(it->nq[k]);
		if (it->resolving)
			ask_cancel(it->resolving);
		server_clear(&it->row.server);
		net_result_free(it->row.net);
		ldns_pkt_free(it->row.pkt);
		free(it->row.answer);
		free(it->row.error);
		free(it->key);
		free(it);
	}
	for (size_t g = 0; g < p->ngroups; g++)
		free(p->groups[g].answer);
	free(p->groups);
	free(p->items);
	free(p->summary);
	free(p->discovery);
	ldns_rdf_deep_free(p->zone);
	query_spec_clear(&p->q);
	free(p);
}

bool prop_done(const struct prop *p)
{
	if (!LIST_EMPTY(&p->dqs))
		return false;
	for (size_t i = 0; i < p->n; i++)
		if (!prop_row_done(p->items[i]) || p->items[i]->resolving)
			return false;
	return true;
}

const struct query_spec *prop_question(const struct prop *p)
{
	return &p->q;
}

size_t prop_nrows(const struct prop *p)
{
	return p->n;
}

const struct prop_row *prop_row(const struct prop *p, size_t i)
{
	return i < p->n ? &p->items[i]->row : NULL;
}

size_t prop_ngroups(const struct prop *p)
{
	return p->ngroups;
}

const struct prop_group *prop_group(const struct prop *p, size_t i)
{
	return i < p->ngroups ? &p->groups[i] : NULL;
}

bool prop_consistent(const struct prop *p)
{
	if (p->n == 0 || p->ngroups != 1)
		return false;
	for (size_t i = 0; i < p->n; i++)
		if (p->items[i]->row.group != 0 || p->items[i]->row.behind)
			return false;
	return true;
}

bool prop_newest_serial(const struct prop *p, uint32_t *serial)
{
	bool have = false;

	for (size_t i = 0; i < p->n; i++) {
		const struct prop_row *r = &p->items[i]->row;
		if (r->have_serial && (!have || prop_serial_cmp(r->serial, *serial) > 0)) {
			*serial = r->serial;
			have = true;
		}
	}
	return have;
}

int prop_reference_group(const struct prop *p)
{
	return p->ref_group;
}

bool prop_row_expiry(const struct prop_row *r, int64_t *ms)
{
	if (!r->have_cache_ttl || r->net == NULL)
		return false;
	*ms = ttl_expiry_ms(r->cache_ttl, ttl_ts_ms(&r->net->rx_mono));
	return true;
}

bool prop_caches_agree_by(const struct prop *p, int64_t *ms)
{
	bool any = false;

	for (size_t i = 0; i < p->n; i++) {
		int64_t e;
		if (p->items[i]->row.stale && prop_row_expiry(&p->items[i]->row, &e) &&
		    (!any || e > *ms)) {
			*ms = e;
			any = true;
		}
	}
	return any;
}

const char *prop_summary(const struct prop *p)
{
	return p->summary ? p->summary : "";
}

const char *prop_discovery(const struct prop *p)
{
	return p->discovery;
}

const char *prop_status_str(enum prop_status s)
{
	static const char *const words[] = {"pending",     "answer",  "nodata", "nxdomain",
	                                    "servfail",    "refused", "rcode",  "timeout",
	                                    "unreachable", "error"};

	return (size_t)s < sizeof(words) / sizeof(words[0]) ? words[s] : "error";
}

/* Each RR of a row's answer with its canonical key, for prop_diff. */
static size_t prop_keys(const struct prop_row *r, char ***keys)
{
	ldns_rr_list *ans = r->pkt ? ldns_pkt_answer(r->pkt) : NULL;
	size_t n = ans ? ldns_rr_list_rr_count(ans) : 0;

	*keys = calloc(n ? n : 1, sizeof(**keys));
	for (size_t i = 0; *keys && i < n; i++)
		(*keys)[i] = rrset_rr_key(ldns_rr_list_rr(ans, i));
	return *keys ? n : 0;
}

/* Append "<sign> <RR in presentation form>\n" for RRs of a missing from b. */
static int prop_diff_side(char **out, size_t *used, const struct prop_row *ra, char **ka, size_t na,
                          char **kb, size_t nb, char sign)
{
	for (size_t i = 0; i < na; i++) {
		bool found = false;
		struct rrtext t;
		char *grown;
		size_t need;

		for (size_t j = 0; ka[i] && j < nb && !found; j++)
			found = kb[j] && strcmp(ka[i], kb[j]) == 0;
		if (found)
			continue;
		if (rrtext_from_rr(&t, ldns_rr_list_rr(ldns_pkt_answer(ra->pkt), i)) < 0)
			return -1;
		need = *used + strlen(t.owner) + strlen(t.klass) + strlen(t.type) +
		       strlen(t.rdata) + 32;
		grown = realloc(*out, need);
		if (grown == NULL) {
			rrtext_clear(&t);
			return -1;
		}
		*out = grown;
		*used += (size_t)sprintf(*out + *used, "%c %s %s %s %s\n", sign, t.owner, t.klass,
		                         t.type, t.rdata);
		rrtext_clear(&t);
	}
	return 0;
}

char *prop_diff(const struct prop *p, size_t a, size_t b)
{
	const struct prop_row *ra = prop_row(p, a), *rb = prop_row(p, b);
	char **ka = NULL, **kb = NULL, *out = calloc(1, 1);
	size_t na, nb, used = 0;
	int rc = 0;

	if (ra == NULL || rb == NULL || out == NULL) {
		free(out);
		return NULL;
	}
	na = prop_keys(ra, &ka);
	nb = prop_keys(rb, &kb);
	rc = prop_diff_side(&out, &used, ra, ka, na, kb, nb, '-');
	if (rc == 0)
		rc = prop_diff_side(&out, &used, rb, kb, nb, ka, na, '+');
	for (size_t i = 0; i < na; i++)
		free(ka[i]);
	for (size_t i = 0; i < nb; i++)
		free(kb[i]);
	free(ka);
	free(kb);
	if (rc < 0) {
		free(out);
		return NULL;
	}
	return out;
}
