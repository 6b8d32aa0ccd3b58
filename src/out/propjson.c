/*
 * propjson.c -- JSON rendering of a propagation comparison with jansson (see propjson.h).
 *
 * Each result starts as the reply object a lookup prints (json_reply_new() of out/json.c), so
 * the two outputs cannot drift apart; the comparison's own members are appended to it. A row
 * carries everything a lookup reply does (server, transport result, parsed message, error),
 * so it is shown to json_reply_new() as a lookup reply borrowing the row's pointers.
 * Values are added with the jansson *_new calls, which steal the value even when they fail,
 * so a NULL value (out of memory) fails the whole build without a leak.
 */
#include "config.h"
#include "out/propjson.h"
#include "dns/ttl.h"
#include "dns/rrtext.h"
#include "engine/lookup.h"
#include "out/json.h"

#include <stdlib.h>

/* The flags of json.c: 15 significant digits print 12.345 as "12.345". */
#define PROPJSON_OUT_FLAGS                                                                         \
	(JSON_INDENT(2) | JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

/* Set o[key] = v, stealing v; a NULL v fails. */
static int set(json_t *o, const char *key, json_t *v)
{
	return json_object_set_new(o, key, v);
}

/* A string, or null for NULL. */
static json_t *str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *question_new(const struct query_spec *q)
{
	char buf[32];
	char *qname = rrtext_dname(q->qname);
	json_t *o;

	if (qname == NULL)
		return NULL;
	o = json_object();
	if (o == NULL || set(o, "qname", json_string(qname)) < 0 ||
	    set(o, "qtype", json_string(rrtext_type(buf, sizeof(buf), q->qtype))) < 0 ||
	    set(o, "qclass", json_string(rrtext_class(buf, sizeof(buf), q->qclass))) < 0) {
		json_decref(o);
		o = NULL;
	}
	free(qname);
	return o;
}

/* One server: the lookup reply object, then the comparison's members. */
static json_t *result_new(const struct prop_row *row, int64_t now_ms,
                          const struct timespec *now_wall)
{
	struct lookup_reply r = {0};
	json_t *o;
	int64_t exp;
	char when[32];

	/* a borrowed view: nothing in r is freed here */
	r.server = row->server;
	r.state = row->status == PROP_PENDING ? LOOKUP_WAITING : LOOKUP_DONE;
	r.net = row->net;
	r.pkt = row->pkt;
	r.error = row->error;
	o = json_reply_new(&r);
	if (o == NULL)
		return NULL;
	if (set(o, "status", json_string(prop_status_str(row->status))) < 0 ||
	    set(o, "group", row->group >= 0 ? json_integer(row->group) : json_null()) < 0 ||
	    set(o, "soa_serial", row->have_serial ? json_integer(row->serial) : json_null()) < 0 ||
	    set(o, "outlier", json_boolean(row->outlier)) < 0 ||
	    set(o, "behind", json_boolean(row->behind)) < 0 ||
	    set(o, "cache_ttl", row->have_cache_ttl ? json_integer(row->cache_ttl) : json_null()) <
	        0 ||
	    set(o, "stale", json_boolean(row->stale)) < 0) {
		json_decref(o);
		return NULL;
	}
	if (row->stale && prop_row_expiry(row, &exp)) {
		struct timespec at = ttl_wall_at(exp, now_ms, now_wall);
		if (set(o, "stale_until", json_string(ttl_rfc3339(when, sizeof(when), &at))) < 0) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

static json_t *group_new(const struct prop_group *g)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	if (set(o, "answer", str_or_null(g->answer)) < 0 ||
	    set(o, "size", json_integer((json_int_t)g->size)) < 0 ||
	    set(o, "majority", json_boolean(g->majority)) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *results_new(const struct prop *p, int64_t now_ms, const struct timespec *now_wall)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a != NULL && i < prop_nrows(p); i++) {
		if (json_array_append_new(a, result_new(prop_row(p, i), now_ms, now_wall)) < 0) {
			json_decref(a);
			a = NULL;
		}
	}
	return a;
}

static json_t *groups_new(const struct prop *p)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a != NULL && i < prop_ngroups(p); i++) {
		if (json_array_append_new(a, group_new(prop_group(p, i))) < 0) {
			json_decref(a);
			a = NULL;
		}
	}
	return a;
}

json_t *propjson_new(const struct prop *p)
{
	json_t *o = json_object();
	uint32_t newest;
	bool have_newest = prop_newest_serial(p, &newest);
	int64_t now_ms = ttl_now_ms(), agree = 0;
	bool agree_known = prop_caches_agree_by(p, &agree);
	struct timespec now_wall, at;
	char when[32];

	ttl_now_wall(&now_wall);
	if (o == NULL)
		return NULL;
	if (agree_known) {
		at = ttl_wall_at(agree, now_ms, &now_wall);
		ttl_rfc3339(when, sizeof(when), &at);
	}
	if (set(o, "question", question_new(prop_question(p))) < 0 ||
	    set(o, "results", results_new(p, now_ms, &now_wall)) < 0 ||
	    set(o, "groups", groups_new(p)) < 0 ||
	    set(o, "consistent", json_boolean(prop_consistent(p))) < 0 ||
	    set(o, "newest_serial", have_newest ? json_integer(newest) : json_null()) < 0 ||
	    set(o, "summary", str_or_null(prop_summary(p))) < 0 ||
	    set(o, "discovery", str_or_null(prop_discovery(p))) < 0 ||
	    set(o, "caches_agree_by",
	        agree_known ? json_string(when) : json_null()) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int propjson_print(FILE *f, const struct prop *p)
{
	json_t *root = propjson_new(p);
	int rc = 0;

	if (root == NULL)
		return -1;
	if (json_dumpf(root, f, PROPJSON_OUT_FLAGS) < 0 || fputc('\n', f) == EOF ||
	    fflush(f) == EOF)
		rc = -1;
	json_decref(root);
	return rc;
}
