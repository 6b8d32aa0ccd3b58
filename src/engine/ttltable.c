/*
 * ttltable.c -- every RRset a session has received (see ttltable.h).
 */
#include "config.h"
#include "engine/ttltable.h"
#include "dns/escape.h"
#include "dns/rrset.h"
#include "dns/rrtext.h"
#include "dns/ttl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct ttl_table {
	struct ttl_entry *e; /* sorted by expiry_ms, then insertion */
	size_t n, cap;
};

struct ttl_table *ttl_table_new(void)
{
	return calloc(1, sizeof(struct ttl_table));
}

static void ttl_entry_clear(struct ttl_entry *e)
{
	free(e->owner);
	free(e->rdata);
}

void ttl_table_free(struct ttl_table *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->n; i++)
		ttl_entry_clear(&t->e[i]);
	free(t->e);
	free(t);
}

size_t ttl_table_count(const struct ttl_table *t)
{
	return t->n;
}

const struct ttl_entry *ttl_table_at(const struct ttl_table *t, size_t i)
{
	return i < t->n ? &t->e[i] : NULL;
}

static void ttl_table_remove(struct ttl_table *t, size_t i)
{
	ttl_entry_clear(&t->e[i]);
	memmove(&t->e[i], &t->e[i + 1], (t->n - i - 1) * sizeof(*t->e));
	t->n--;
}

/* Put e (ownership passes) in, replacing the entry with the same key. */
static int ttl_table_put(struct ttl_table *t, struct ttl_entry *e)
{
	size_t at;

	for (size_t i = 0; i < t->n; i++) {
		const struct ttl_entry *o = &t->e[i];
		if (strcmp(o->server, e->server) == 0 && strcasecmp(o->owner, e->owner) == 0 &&
		    strcmp(o->type, e->type) == 0 && strcmp(o->klass, e->klass) == 0) {
			ttl_table_remove(t, i);
			break;
		}
	}
	if (t->n >= TTLTABLE_MAX)
		ttl_table_remove(t, 0);
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 32;
		struct ttl_entry *ne = realloc(t->e, cap * sizeof(*ne));
		if (ne == NULL) {
			ttl_entry_clear(e);
			return -1;
		}
		t->e = ne;
		t->cap = cap;
	}
	for (at = t->n; at > 0 && t->e[at - 1].expiry_ms > e->expiry_ms; at--)
		;
	memmove(&t->e[at + 1], &t->e[at], (t->n - at) * sizeof(*t->e));
	t->e[at] = *e;
	t->n++;
	return 0;
}

static int ttl_table_entry(struct ttl_table *t, const char *server, const ldns_rr *first,
                           const ldns_rr_list *set, const char *negative, uint32_t ttl,
                           int64_t rx_ms)
{
	struct ttl_entry e = {0};

	snprintf(e.server, sizeof(e.server), "%s", server);
	rrtext_type(e.type, sizeof(e.type), ldns_rr_get_type(first));
	rrtext_class(e.klass, sizeof(e.klass), ldns_rr_get_class(first));
	e.owner = rrtext_dname(ldns_rr_owner(first));
	e.rdata = negative ? strdup(negative) : rrset_compact(set, ldns_rr_get_type(first), NULL);
	e.ttl = ttl;
	e.rx_ms = rx_ms;
	e.expiry_ms = ttl_expiry_ms(ttl, rx_ms);
	e.negative = negative != NULL;
	if (e.owner == NULL || e.rdata == NULL) {
		ttl_entry_clear(&e);
		return -1;
	}
	return ttl_table_put(t, &e);
}

/* One section: group its RRs into RRsets (owner, type, class) and enter each. */
static int ttl_table_section(struct ttl_table *t, const char *server, const ldns_rr_list *rrs,
                             int64_t rx_ms)
{
	size_t n = ldns_rr_list_rr_count(rrs);
	bool *done = calloc(n ? n : 1, sizeof(*done));
	int added = 0;

	if (done == NULL)
		return -1;
	for (size_t i = 0; i < n && added >= 0; i++) {
		const ldns_rr *rr = ldns_rr_list_rr(rrs, i);
		ldns_rr_type type = ldns_rr_get_type(rr);
		ldns_rr_list *set;
		uint32_t ttl = ldns_rr_ttl(rr);

		if (done[i] || type == LDNS_RR_TYPE_OPT || type == LDNS_RR_TYPE_TSIG)
			continue;
		if ((set = ldns_rr_list_new()) == NULL) {
			added = -1;
			break;
		}
		for (size_t j = i; j < n; j++) {
			ldns_rr *o = ldns_rr_list_rr(rrs, j);
			if (done[j] || ldns_rr_get_type(o) != type ||
			    ldns_rr_get_class(o) != ldns_rr_get_class(rr) ||
			    ldns_dname_compare(ldns_rr_owner(o), ldns_rr_owner(rr)) != 0)
				continue;
			done[j] = true;
			ldns_rr_list_push_rr(set, o);
			if (ldns_rr_ttl(o) < ttl)
				ttl = ldns_rr_ttl(o);
		}
		if (ttl_table_entry(t, server, rr, set, NULL, ttl, rx_ms) < 0)
			added = -1;
		else
			added++;
		ldns_rr_list_free(set); /* the RRs belong to the packet */
	}
	free(done);
	return added;
}

int ttl_table_add(struct ttl_table *t, const char *server, const ldns_pkt *pkt, int64_t rx_ms)
{
	int added = 0, k;
	uint32_t ttl;
	bool negative;
	const ldns_rr_list *q = ldns_pkt_question(pkt);

	if (ttl_of_reply(pkt, &ttl, &negative) && negative && ldns_rr_list_rr_count(q) > 0) {
		bool nx = ldns_pkt_get_rcode(pkt) == LDNS_RCODE_NXDOMAIN;
		if (ttl_table_entry(t, server, ldns_rr_list_rr(q, 0), NULL,
		                    nx ? "NXDOMAIN" : "NODATA", ttl, rx_ms) < 0)
			return -1;
		added++;
	}
	if ((k = ttl_table_section(t, server, ldns_pkt_answer(pkt), rx_ms)) < 0)
		return -1;
	added += k;
	if ((k = ttl_table_section(t, server, ldns_pkt_authority(pkt), rx_ms)) < 0)
		return -1;
	added += k;
	if ((k = ttl_table_section(t, server, ldns_pkt_additional(pkt), rx_ms)) < 0)
		return -1;
	return added + k;
}
