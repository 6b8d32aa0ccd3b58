/*
 * mxjson.c -- JSON rendering of an MX failover plan with jansson (see mxjson.h).
 *
 * The model's strings are escaped ASCII already (plus the "§" of our own RFC references), so
 * they go to jansson as they are; a NULL string becomes JSON null. Values are added with the
 * jansson *_new calls, which steal the value even when they fail, so a NULL value (out of
 * memory, or a string that is not UTF-8) fails the whole build without a leak. Arrays are
 * added to their object first and filled afterwards (the object owns them), which keeps the
 * member order and needs no second owner on the error paths.
 */
#include "config.h"
#include "out/mxjson.h"

#include <sys/socket.h>

/* The flags of json.c: 15 significant digits print 12.345 as "12.345". */
#define MXJSON_OUT_FLAGS                                                                           \
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

/* An integer, or null when it is 0 (a reply code that was never read). */
static json_t *code_or_null(int code)
{
	return code != 0 ? json_integer(code) : json_null();
}

/* Milliseconds rounded to 3 decimals (microseconds), without libm; null when negative
 * (the model's "never happened"). */
static json_t *ms_or_null(double ms)
{
	if (ms < 0)
		return json_null();
	return json_real((double)(long long)(ms * 1000.0 + 0.5) / 1000.0);
}

/* Append v to array a, stealing v; a NULL v fails. */
static int append(json_t *a, json_t *v)
{
	return json_array_append_new(a, v);
}

static const char *xstate_str(enum mx_xstate s)
{
	switch (s) {
	case MX_X_RESOLVED:
		return "resolved";
	case MX_X_NXDOMAIN:
		return "nxdomain";
	case MX_X_NODATA:
		return "nodata";
	case MX_X_FAILED:
		return "failed";
	case MX_X_PENDING:
		break;
	}
	return "pending";
}

static const char *fcrdns_str(enum mx_fcrdns f)
{
	switch (f) {
	case MX_FCRDNS_OK:
		return "ok";
	case MX_FCRDNS_MISMATCH:
		return "mismatch";
	case MX_FCRDNS_NO_PTR:
		return "no-ptr";
	case MX_FCRDNS_PENDING:
		break;
	}
	return "pending";
}

/* Set o[key] to a new empty array and return it (borrowed: o owns it), or NULL on failure. */
static json_t *set_array(json_t *o, const char *key)
{
	json_t *a = json_array();

	/* set() frees a when it fails */
	if (set(o, key, a) < 0)
		return NULL;
	return a;
}

/* The "smtp" member of an address: null unless a probe ended. */
static json_t *smtp_new(const struct smtp_result *r)
{
	json_t *o, *ext;
	size_t i;

	if (r == NULL)
		return json_null();
	o = json_object();
	if (o == NULL)
		return NULL;
	if (set(o, "status", json_string(smtp_status_str(r->status))) < 0 ||
	    set(o, "connect_ms", ms_or_null(r->connect_ms)) < 0 ||
	    set(o, "total_ms", ms_or_null(r->total_ms)) < 0 ||
	    set(o, "greeting_code", code_or_null(r->greeting_code)) < 0 ||
	    set(o, "banner", str_or_null(r->banner)) < 0 ||
	    set(o, "ehlo_code", code_or_null(r->ehlo_code)) < 0 ||
	    (ext = set_array(o, "extensions")) == NULL ||
	    set(o, "starttls", json_boolean(r->starttls)) < 0)
		goto fail;
	for (i = 0; r->extensions != NULL && i < r->nextensions; i++)
		if (append(ext, json_string(r->extensions[i])) < 0)
			goto fail;
	return o;
fail:
	json_decref(o);
	return NULL;
}

static json_t *address_new(const struct mx_address *a)
{
	json_t *o = json_object();
	const char *special = NULL;

	if (o == NULL)
		return NULL;
	if (a->special)
		special = a->special_name != NULL ? a->special_name : "special-purpose";
	if (set(o, "address", json_string(a->text)) < 0 ||
	    set(o, "family", json_integer(a->family == AF_INET6 ? 6 : 4)) < 0 ||
	    set(o, "ttl", json_integer((json_int_t)a->ttl)) < 0 ||
	    set(o, "special", str_or_null(special)) < 0 || set(o, "ptr", str_or_null(a->ptr)) < 0 ||
	    set(o, "fcrdns", json_string(fcrdns_str(a->fcrdns))) < 0 ||
	    set(o, "smtp", smtp_new(a->smtp)) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *exchange_new(const struct mx_exchange *x)
{
	json_t *o = json_object();
	json_t *addrs;
	size_t i;

	if (o == NULL)
		return NULL;
	if (set(o, "name", json_string(x->name)) < 0 ||
	    set(o, "preference", json_integer(x->preference)) < 0 ||
	    set(o, "state", json_string(xstate_str(x->state))) < 0 ||
	    set(o, "alias_target", str_or_null(x->alias_target)) < 0 ||
	    set(o, "ip_literal", json_boolean(x->ip_literal)) < 0 ||
	    set(o, "duplicates", json_integer(x->duplicates)) < 0 ||
	    (addrs = set_array(o, "addresses")) == NULL)
		goto fail;
	for (i = 0; i < x->naddrs; i++)
		if (append(addrs, address_new(&x->addrs[i])) < 0)
			goto fail;
	return o;
fail:
	json_decref(o);
	return NULL;
}

static json_t *step_new(const struct mxplan *p, size_t i)
{
	const struct mx_step *s = mxplan_step(p, i);
	json_t *o = json_object();
	json_t *xs;
	size_t k;

	if (o == NULL)
		return NULL;
	if (set(o, "step", json_integer((json_int_t)(i + 1))) < 0 ||
	    set(o, "preference", json_integer(s->preference)) < 0 ||
	    set(o, "random_order", json_boolean(s->count > 1)) < 0 ||
	    (xs = set_array(o, "exchanges")) == NULL)
		goto fail;
	/* the bound check only guards against a step pointing past the exchanges */
	for (k = 0; k < s->count && s->first + k < mxplan_nexchanges(p); k++)
		if (append(xs, exchange_new(mxplan_exchange(p, s->first + k))) < 0)
			goto fail;
	return o;
fail:
	json_decref(o);
	return NULL;
}

static json_t *finding_new(const struct mx_finding *fd)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	if (set(o, "code", json_string(fd->code)) < 0 ||
	    set(o, "severity", json_string(mxplan_severity_str(fd->severity))) < 0 ||
	    set(o, "rfc", str_or_null(fd->rfc)) < 0 ||
	    set(o, "subject", str_or_null(fd->subject)) < 0 ||
	    set(o, "message", str_or_null(fd->message)) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *record_new(const struct mx_record *r)
{
	json_t *o = json_object();
	json_t *texts;
	size_t i;

	if (o == NULL)
		return NULL;
	if (set(o, "owner", str_or_null(r->owner)) < 0 || set(o, "rfc", str_or_null(r->rfc)) < 0 ||
	    (texts = set_array(o, "texts")) == NULL || set(o, "error", str_or_null(r->error)) < 0)
		goto fail;
	for (i = 0; r->texts != NULL && i < r->ntexts; i++)
		if (append(texts, json_string(r->texts[i])) < 0)
			goto fail;
	return o;
fail:
	json_decref(o);
	return NULL;
}

static json_t *verdict_new(const struct mxplan *p)
{
	const struct mx_verdict *v = mxplan_verdict(p);
	json_t *o;

	if (!mxplan_verdict(p)->probed)
		return json_null();
	o = json_object();
	if (o == NULL)
		return NULL;
	if (set(o, "summary", str_or_null(v != NULL ? v->summary : NULL)) < 0 ||
	    set(o, "first_reachable",
	        str_or_null(v != NULL && v->first_reachable != NULL ? v->first_reachable->name
	                                                            : NULL)) < 0 ||
	    set(o, "address",
	        str_or_null(v != NULL && v->address != NULL ? v->address->text : NULL)) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Build an array of n elements made by fn(p, i); NULL when one fails. */
static json_t *array_of(const struct mxplan *p, size_t n,
                        json_t *(*fn)(const struct mxplan *, size_t))
{
	json_t *a = json_array();
	size_t i;

	if (a == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (append(a, fn(p, i)) < 0) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *finding_at(const struct mxplan *p, size_t i)
{
	return finding_new(mxplan_finding(p, i));
}

static json_t *records_new(const struct mxplan *p)
{
	json_t *o = json_object();
	size_t i;

	if (o == NULL)
		return NULL;
	for (i = 0; i < mxplan_nrecords(p); i++) {
		const struct mx_record *r = mxplan_record(p, i);

		if (set(o, r->kind, record_new(r)) < 0) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

json_t *mxjson_new(const struct mxplan *p)
{
	json_t *o = json_object();

	if (o == NULL)
		return NULL;
	if (set(o, "domain", json_string(mxplan_domain(p))) < 0 ||
	    set(o, "mode", json_string(mxplan_mode_str(mxplan_mode(p)))) < 0 ||
	    set(o, "steps", array_of(p, mxplan_nsteps(p), step_new)) < 0 ||
	    set(o, "findings", array_of(p, mxplan_nfindings(p), finding_at)) < 0 ||
	    set(o, "records", records_new(p)) < 0 || set(o, "smtp", verdict_new(p)) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int mxjson_print(FILE *f, const struct mxplan *p)
{
	json_t *root = mxjson_new(p);
	int rc = 0;

	if (root == NULL)
		return -1;
	if (json_dumpf(root, f, MXJSON_OUT_FLAGS) < 0 || fputc('\n', f) == EOF || fflush(f) == EOF)
		rc = -1;
	json_decref(root);
	return rc;
}
