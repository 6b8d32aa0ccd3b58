/*
 * tracejson.c -- JSON rendering of a trace with jansson (see tracejson.h).
 *
 * Each step starts as the reply object a lookup prints (json_reply_new() of out/json.c, as
 * propjson.c does for its rows), so the transport facts and the RFC 8427 message read the
 * same everywhere; the trace's own members are appended. Values are added with the jansson
 * *_new calls, which steal the value even when they fail, so a NULL value (out of memory)
 * fails the whole build without a leak.
 */
#include "config.h"
#include "out/tracejson.h"
#include "dns/rrtext.h"
#include "engine/lookup.h"
#include "out/json.h"

#include <stdlib.h>
#include <string.h>

#define TRACEJSON_OUT_FLAGS                                                                        \
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

/* A string made by f (an escaped rrtext_* string), taking it; NULL when memory runs out. */
static json_t *str_owned(char *s)
{
	json_t *v = s != NULL ? json_string(s) : NULL;

	free(s);
	return v;
}

/* Append v to a, stealing v; false when either is NULL or memory runs out. */
static bool append(json_t *a, json_t *v)
{
	return json_array_append_new(a, v) == 0;
}

/* One JSON value per RR of list, made by one; NULL when memory runs out. */
static json_t *rr_array(const ldns_rr_list *list, json_t *(*one)(const ldns_rr *rr))
{
	json_t *a = json_array();

	for (size_t i = 0; a != NULL && i < ldns_rr_list_rr_count(list); i++) {
		if (!append(a, one(ldns_rr_list_rr(list, i)))) {
			json_decref(a);
			a = NULL;
		}
	}
	return a;
}

/* The name server an NS RR names. */
static json_t *ns_one(const ldns_rr *rr)
{
	return str_owned(rrtext_dname(ldns_rr_rdf(rr, 0)));
}

/* {"name", "type", "address"} of a glue A or AAAA RR. */
static json_t *glue_one(const ldns_rr *rr)
{
	char type[16];
	json_t *o = json_object();

	if (o == NULL || set(o, "name", str_owned(rrtext_dname(ldns_rr_owner(rr)))) < 0 ||
	    set(o, "type", json_string(rrtext_type(type, sizeof(type), ldns_rr_get_type(rr)))) <
	        0 ||
	    set(o, "address", str_owned(rrtext_rdata(rr))) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* "owner TTL class type rdata" of an RR. */
static json_t *record_one(const ldns_rr *rr)
{
	struct rrtext r;
	char *line = NULL;

	if (rrtext_from_rr(&r, rr) == 0 && asprintf(&line, "%s %u %s %s %s", r.owner,
	                                            (unsigned)r.ttl, r.klass, r.type, r.rdata) < 0)
		line = NULL;
	rrtext_clear(&r);
	return str_owned(line);
}

static json_t *asked_new(const struct trace_step *s)
{
	char type[16];
	json_t *o = json_object();

	if (o == NULL || set(o, "qname", json_string(s->qname)) < 0 ||
	    set(o, "qtype", json_string(rrtext_type(type, sizeof(type), s->qtype))) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *step_new(const struct trace_step *s)
{
	struct lookup_reply r;
	json_t *o;

	/* a borrowed view: nothing in r is freed here */
	memset(&r, 0, sizeof(r));
	r.server = s->server;
	r.state = LOOKUP_DONE;
	r.net = s->net;
	r.pkt = s->pkt;
	r.error = s->reason;
	o = json_reply_new(&r);
	if (o == NULL)
		return NULL;
	if (set(o, "kind", json_string(trace_kind_str(s->kind))) < 0 ||
	    set(o, "depth", json_integer(s->depth)) < 0 || set(o, "asked", asked_new(s)) < 0 ||
	    set(o, "zone", json_string(s->zone)) < 0 ||
	    set(o, "child", str_or_null(s->child)) < 0 ||
	    set(o, "ns", rr_array(s->ns, ns_one)) < 0 ||
	    set(o, "glue", rr_array(s->glue, glue_one)) < 0 ||
	    set(o, "records", rr_array(s->records, record_one)) < 0 ||
	    set(o, "reason", str_or_null(s->reason)) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *steps_new(const struct trace *t)
{
	json_t *a = json_array();

	for (size_t i = 0; a != NULL && i < trace_nsteps(t); i++) {
		if (!append(a, step_new(trace_step(t, i)))) {
			json_decref(a);
			a = NULL;
		}
	}
	return a;
}

/* "." and the zone of every referral of the question's path. */
static json_t *cuts_new(const struct trace *t)
{
	json_t *a = json_array();

	for (size_t i = 0; a != NULL && i < trace_nsteps(t); i++) {
		const struct trace_step *s = trace_step(t, i);

		if (s->depth != 0 || (s->kind != TRACE_PRIMING && s->kind != TRACE_REFERRAL))
			continue;
		if (!append(a, json_string(s->child))) {
			json_decref(a);
			a = NULL;
		}
	}
	return a;
}

json_t *tracejson_new(const struct trace *t)
{
	const struct query_spec *q = trace_question(t);
	const struct trace_step *fin = trace_final(t);
	json_t *o = json_object();
	char type[16], klass[16];
	/* milliseconds to 3 decimals */
	double ms = (double)(long long)(trace_elapsed_ms(t) * 1000.0 + 0.5) / 1000.0;

	if (o == NULL)
		return NULL;
	if (set(o, "qname", str_owned(rrtext_dname(q->qname))) < 0 ||
	    set(o, "qtype", json_string(rrtext_type(type, sizeof(type), q->qtype))) < 0 ||
	    set(o, "qclass", json_string(rrtext_class(klass, sizeof(klass), q->qclass))) < 0 ||
	    set(o, "status", json_string(trace_status_str(trace_status(t)))) < 0 ||
	    set(o, "result", fin ? json_string(trace_kind_str(fin->kind)) : json_null()) < 0 ||
	    set(o, "error", str_or_null(trace_error(t))) < 0 ||
	    set(o, "queries", json_integer(trace_queries(t))) < 0 ||
	    set(o, "elapsed_ms", json_real(ms)) < 0 || set(o, "zone_cuts", cuts_new(t)) < 0 ||
	    set(o, "steps", steps_new(t)) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int tracejson_print(FILE *f, const struct trace *t)
{
	json_t *root = tracejson_new(t);
	int rc = 0;

	if (root == NULL)
		return -1;
	if (json_dumpf(root, f, TRACEJSON_OUT_FLAGS) < 0 || fputc('\n', f) == EOF ||
	    fflush(f) == EOF)
		rc = -1;
	json_decref(root);
	return rc;
}
