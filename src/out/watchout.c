/*
 * watchout.c -- --watch output (see watchout.h).
 */
#include "config.h"
#include "out/watchout.h"
#include "dns/rrtext.h"
#include "dns/ttl.h"
#include "net/server.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The RRs of a list as presentation lines, into a JSON array. */
static json_t *watchout_rrs(const ldns_rr_list *rrs)
{
	json_t *a = json_array();

	for (size_t k = 0; a && rrs && k < ldns_rr_list_rr_count(rrs); k++) {
		struct rrtext t;
		char line[2048];

		if (rrtext_from_rr(&t, ldns_rr_list_rr(rrs, k)) < 0)
			continue;
		snprintf(line, sizeof(line), "%s %lu %s %s %s", t.owner, (unsigned long)t.ttl,
		         t.klass, t.type, t.rdata);
		rrtext_clear(&t);
		json_array_append_new(a, json_string(line));
	}
	return a;
}

int watchout_print(FILE *f, const struct lookup *l, size_t i, const struct lookup_change *change,
                   bool json)
{
	const struct lookup_reply *r = lookup_reply_at(l, i);
	const struct query_spec *q = lookup_question(l);
	char when[40], server[64], type[24], klass[16], *name;
	uint32_t ttl = 0;
	bool have_ttl;
	int rc = 0;

	if (r == NULL || (name = rrtext_dname(q->qname)) == NULL)
		return -1;
	if (change != NULL) {
		ttl_rfc3339(when, sizeof(when), &change->wall);
	} else if (r->net != NULL && r->net->rx_wall.tv_sec != 0) {
		ttl_rfc3339(when, sizeof(when), &r->net->rx_wall);
	} else {
		struct timespec now;
		clock_gettime(CLOCK_REALTIME, &now);
		ttl_rfc3339(when, sizeof(when), &now);
	}
	server_addr_str(server, sizeof(server), (const struct sockaddr *)&r->server.addr);
	rrtext_type(type, sizeof(type), q->qtype);
	rrtext_class(klass, sizeof(klass), q->qclass);
	have_ttl = r->pkt != NULL && ttl_of_reply(r->pkt, &ttl, NULL);
	if (json) {
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "time", when, "server",
		                      server, "name", name, "type", type, "class", klass, "event",
		                      change ? "change" : "initial", "answer",
		                      change ? change->after : (r->answer ? r->answer : ""));
		char *text;

		if (o != NULL && change) {
			json_object_set_new(o, "before", json_string(change->before));
			json_object_set_new(o, "added", watchout_rrs(r->added));
			json_object_set_new(o, "removed", watchout_rrs(r->removed));
		}
		if (o != NULL)
			json_object_set_new(o, "ttl", have_ttl ? json_integer(ttl) : json_null());
		text = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
		if (text == NULL || fprintf(f, "%s\n", text) < 0)
			rc = -1;
		free(text);
		json_decref(o);
	} else {
		if (fprintf(f, "%s  %s  %s %s%s%s  %s  ", when, server, name, type,
		            q->qclass != LDNS_RR_CLASS_IN ? " " : "",
		            q->qclass != LDNS_RR_CLASS_IN ? klass : "",
		            change ? "change" : "initial") < 0)
			rc = -1;
		else if (change)
			rc = fprintf(f, "%s -> %s  +%zu -%zu", change->before, change->after,
			             change->added, change->removed) < 0
			         ? -1
			         : 0;
		else
			rc = fprintf(f, "%s", r->answer ? r->answer : "") < 0 ? -1 : 0;
		if (rc == 0 && have_ttl && fprintf(f, "  TTL %lu", (unsigned long)ttl) < 0)
			rc = -1;
		if (rc == 0 && fputc('\n', f) == EOF)
			rc = -1;
	}
	free(name);
	return fflush(f) == 0 ? rc : -1;
}
