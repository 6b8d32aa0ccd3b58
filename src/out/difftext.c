/*
 * difftext.c -- text and JSON renderings of the differences between two saved sessions
 * (see difftext.h).
 */
#include "config.h"
#include "out/difftext.h"
#include "dns/escape.h"
#include "dns/rrtext.h"

#include <jansson.h>
#include <stdlib.h>

/* "owner TTL CLASS TYPE rdata" of an RR, escaped. Caller frees. */
static char *difftext_rr(const ldns_rr *rr)
{
	struct rrtext t;
	char *out = NULL;

	if (rrtext_from_rr(&t, rr) < 0)
		return NULL;
	if (asprintf(&out, "%s %lu %s %s %s", t.owner, (unsigned long)t.ttl, t.klass, t.type,
	             t.rdata) < 0)
		out = NULL;
	rrtext_clear(&t);
	return out;
}

static int difftext_rrs(FILE *f, const ldns_rr_list *rrs, char sign)
{
	for (size_t i = 0; i < ldns_rr_list_rr_count(rrs); i++) {
		char *t = difftext_rr(ldns_rr_list_rr(rrs, i));
		if (t == NULL)
			return -1;
		fprintf(f, "  %c %s\n", sign, t);
		free(t);
	}
	return 0;
}

int difftext_print(FILE *f, const struct record_diff *d, const char *name_a, const char *name_b)
{
	char *a = esc_str(name_a), *b = esc_str(name_b);
	char ta[40], tb[40];
	size_t changed = 0, only_a = 0, only_b = 0;
	int rc = -1;

	if (a == NULL || b == NULL)
		goto out;
	if (d->n == 0) {
		rc = 0; /* like diff(1): nothing when they agree */
		goto out;
	}
	fprintf(f, "--- %s  saved %s\n+++ %s  saved %s\n", a,
	        record_time_str(ta, sizeof(ta), &d->saved_a), b,
	        record_time_str(tb, sizeof(tb), &d->saved_b));
	for (size_t i = 0; i < d->n; i++) {
		const struct record_change *c = &d->v[i];

		fprintf(f, "%s  ", c->question);
		if (c->kind == RECORD_CHANGED && strcmp(c->server_a, c->server_b) != 0)
			fprintf(f, "@%s -> @%s\n", c->server_a, c->server_b);
		else
			fprintf(f, "@%s\n", c->server_a ? c->server_a : c->server_b);
		if (c->kind == RECORD_ONLY_A || c->kind == RECORD_ONLY_B) {
			fprintf(f, "  only in %s: %s\n", c->kind == RECORD_ONLY_A ? a : b,
			        c->kind == RECORD_ONLY_A ? c->outcome_a : c->outcome_b);
			if (c->kind == RECORD_ONLY_A)
				only_a++;
			else
				only_b++;
			continue;
		}
		changed++;
		if (c->outcome_changed)
			fprintf(f, "  %s -> %s\n", c->outcome_a, c->outcome_b);
		if (c->have_serial_a != c->have_serial_b ||
		    (c->have_serial_a && c->serial_a != c->serial_b)) {
			char sa[16] = "(none)", sb[16] = "(none)";
			if (c->have_serial_a)
				snprintf(sa, sizeof(sa), "%lu", (unsigned long)c->serial_a);
			if (c->have_serial_b)
				snprintf(sb, sizeof(sb), "%lu", (unsigned long)c->serial_b);
			fprintf(f, "  serial %s -> %s\n", sa, sb);
		}
		if (difftext_rrs(f, c->removed, '-') < 0 || difftext_rrs(f, c->added, '+') < 0)
			goto out;
	}
	fprintf(f, ";; %zu difference%s: %zu changed, %zu only in %s, %zu only in %s\n", d->n,
	        d->n == 1 ? "" : "s", changed, only_a, a, only_b, b);
	rc = fflush(f) == EOF || ferror(f) ? -1 : 0;
out:
	free(a);
	free(b);
	return rc;
}

/* Set o[key] = v, stealing v; a NULL v fails. */
static int set(json_t *o, const char *key, json_t *v)
{
	return json_object_set_new(o, key, v);
}

static json_t *str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *difftext_rr_array(const ldns_rr_list *rrs)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr != NULL && i < ldns_rr_list_rr_count(rrs); i++) {
		char *t = difftext_rr(ldns_rr_list_rr(rrs, i));
		if (t == NULL || json_array_append_new(arr, json_string(t)) < 0) {
			json_decref(arr);
			arr = NULL;
		}
		free(t);
	}
	return arr;
}

static json_t *difftext_change_json(const struct record_change *c)
{
	static const char *const kinds[] = {
	    [RECORD_ONLY_A] = "only_a", [RECORD_ONLY_B] = "only_b", [RECORD_CHANGED] = "changed"};
	json_t *o = json_object();

	if (o == NULL || set(o, "kind", json_string(kinds[c->kind])) < 0 ||
	    set(o, "question", json_string(c->question)) < 0 ||
	    set(o, "server_a", str_or_null(c->server_a)) < 0 ||
	    set(o, "server_b", str_or_null(c->server_b)) < 0 ||
	    set(o, "outcome_a", str_or_null(c->outcome_a)) < 0 ||
	    set(o, "outcome_b", str_or_null(c->outcome_b)) < 0 ||
	    set(o, "serial_a", c->have_serial_a ? json_integer(c->serial_a) : json_null()) < 0 ||
	    set(o, "serial_b", c->have_serial_b ? json_integer(c->serial_b) : json_null()) < 0 ||
	    set(o, "removed", difftext_rr_array(c->removed)) < 0 ||
	    set(o, "added", difftext_rr_array(c->added)) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int difftext_print_json(FILE *f, const struct record_diff *d, const char *name_a,
                        const char *name_b)
{
	char *a = esc_str(name_a), *b = esc_str(name_b);
	json_t *o = json_object(), *arr = json_array();
	int rc = -1;

	if (a == NULL || b == NULL || o == NULL || arr == NULL)
		goto out;
	for (size_t i = 0; i < d->n; i++)
		if (json_array_append_new(arr, difftext_change_json(&d->v[i])) < 0)
			goto out;
	if (set(o, "a", json_string(a)) < 0 || set(o, "b", json_string(b)) < 0 ||
	    set(o, "equal", json_boolean(d->n == 0)) < 0)
		goto out;
	if (set(o, "changes", arr) < 0) {
		arr = NULL;
		goto out;
	}
	arr = NULL;
	if (json_dumpf(o, f, JSON_INDENT(2) | JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER) < 0 ||
	    fputc('\n', f) == EOF || fflush(f) == EOF)
		goto out;
	rc = 0;
out:
	json_decref(arr);
	json_decref(o);
	free(a);
	free(b);
	return rc;
}
