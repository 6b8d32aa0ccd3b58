/*
 * text.c -- dig-like plain text rendering of a lookup (see text.h).
 *
 * The layout follows dig 9.18: the same comment lines, and columns separated by tabs at
 * dig's tab stops (owner to column 24, then TTL, class and type 8 columns each; the question
 * owner to column 32). Where a column holds something wider (a long owner, TYPE65534, a
 * 10-digit TTL) the stop moves out for the whole section, so the columns stay aligned.
 * Every string from the network comes from dns/rrtext.h; labels and errors go through
 * esc_str(), so nothing but printable ASCII, tab and newline is written.
 */
#include "config.h"
#include "out/text.h"
#include "dns/escape.h"
#include "dns/explain.h"
#include "dns/rrtext.h"
#include "net/server.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TAB 8 /* tab stop width, as a terminal and dig assume */

/* --explain: explanation lines are at most this wide, prefix included. */
#define EXPLAIN_W 100

/*
 * --explain state. An explanation is written once per output, and only for a key that
 * explain_pkt_keys() or explain_transport_keys() names for the reply being printed, so the
 * text never explains what the views would not show. Both arrays are indexed like
 * explain_at().
 */
struct text_explain {
	bool *done; /* already written in this output */
	bool *here; /* named for the current reply */
};

static void explain_mark(const char *key, void *arg)
{
	struct text_explain *x = arg;
	const struct explain *e = explain_get(key);

	if (e != NULL)
		x->here[e - explain_at(0)] = true;
}

/* Write the explanation of key as ";;   " comment lines wrapped at EXPLAIN_W columns
 * (continuation lines indented two more), never breaking inside the closing "(RFC ...)"
 * unless it is wider than a line on its own. Nothing when x is NULL. */
static void explain_print(FILE *f, struct text_explain *x, const char *key)
{
	const struct explain *e;
	char line[1024];
	const char *p, *ref;
	size_t i, width = EXPLAIN_W - 5;

	if (x == NULL || (e = explain_get(key)) == NULL)
		return;
	i = (size_t)(e - explain_at(0));
	if (!x->here[i] || x->done[i])
		return;
	x->done[i] = true;
	/* ASCII only: "section 4.1.1" for "§4.1.1", as the rest of the text output */
	explain_format(line, sizeof(line), e, true);
	/* the reference is the last " (": the source never holds one ("dnsdeck(1)") */
	for (ref = p = line; (p = strstr(p, " (")) != NULL; p++)
		ref = p;
	for (p = line; *p != '\0'; width = EXPLAIN_W - 7) {
		size_t n = strlen(p), cut = n;

		if (n > width) {
			for (cut = width; cut > 0 && (p[cut] != ' ' || (p + cut > ref && ref >= p));
			     cut--)
				;
			if (cut == 0)
				for (cut = width; cut > 0 && p[cut] != ' '; cut--)
					;
			if (cut == 0)
				cut = width;
		}
		fprintf(f, "%s%.*s\n", p == line ? ";;   " : ";;     ", (int)cut, p);
		p += cut;
		while (*p == ' ')
			p++;
	}
}

/* The smallest tab stop that leaves at least one column after len characters, and no less
 * than min. */
static size_t stop_after(size_t len, size_t min)
{
	size_t stop = (len + 1 + TAB - 1) / TAB * TAB;

	return stop > min ? stop : min;
}

/* Write tabs to move from column col to the tab stop stop (stop > col). */
static void pad_to(FILE *f, size_t col, size_t stop)
{
	size_t n;

	for (n = stop / TAB - col / TAB; n > 0; n--)
		fputc('\t', f);
}

/* The escaped columns of one section, and the tab stops that align them. */
struct section {
	struct rrtext *rr;
	size_t n;
	size_t ttl_col, class_col, type_col, rdata_col;
};

/* Render the RRs of a list and place the column stops; question sections put the owner
 * where dig does, with no TTL column. */
static int section_init(struct section *s, const ldns_rr_list *list, bool question)
{
	size_t owner = 0, ttl = 0, klass = 0, type = 0, i;
	char num[16];

	memset(s, 0, sizeof(*s));
	s->n = ldns_rr_list_rr_count(list);
	if (s->n == 0)
		return 0;
	s->rr = calloc(s->n, sizeof(*s->rr));
	if (s->rr == NULL)
		return -1;
	for (i = 0; i < s->n; i++) {
		struct rrtext *t = &s->rr[i];

		if (rrtext_from_rr(t, ldns_rr_list_rr(list, i)) < 0)
			return -1;
		if (strlen(t->owner) > owner)
			owner = strlen(t->owner);
		if ((size_t)snprintf(num, sizeof(num), "%u", (unsigned)t->ttl) > ttl)
			ttl = strlen(num);
		if (strlen(t->klass) > klass)
			klass = strlen(t->klass);
		if (strlen(t->type) > type)
			type = strlen(t->type);
	}
	if (question) {
		/* ";owner" then class at column 32 */
		s->ttl_col = s->class_col = stop_after(owner + 1, 4 * TAB);
	} else {
		s->ttl_col = stop_after(owner, 3 * TAB);
		s->class_col = s->ttl_col + stop_after(ttl, TAB);
	}
	s->type_col = s->class_col + stop_after(klass, TAB);
	s->rdata_col = s->type_col + stop_after(type, TAB);
	return 0;
}

static void section_clear(struct section *s)
{
	size_t i;

	for (i = 0; s->rr != NULL && i < s->n; i++)
		rrtext_clear(&s->rr[i]);
	free(s->rr);
	memset(s, 0, sizeof(*s));
}

/* --explain after an RR line: the columns, its class and type, the SOA fields after an SOA,
 * and negative caching after an SOA in the authority section. */
static void explain_rr(FILE *f, struct text_explain *x, const ldns_rr *rr, bool question,
                       bool authority)
{
	static const char *const soa[] = {"soa.mname", "soa.rname",  "soa.serial", "soa.refresh",
	                                  "soa.retry", "soa.expire", "soa.minimum"};
	char key[EXPLAIN_KEY_MAX];

	if (x == NULL)
		return;
	explain_print(f, x, "column.owner");
	if (!question)
		explain_print(f, x, "column.ttl");
	explain_print(f, x, explain_key_class(key, sizeof(key), ldns_rr_get_class(rr)));
	explain_print(f, x, explain_key_rr_type(key, sizeof(key), ldns_rr_get_type(rr)));
	if (question)
		return;
	explain_print(f, x, "column.rdata");
	if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_SOA)
		return;
	for (size_t i = 0; i < sizeof(soa) / sizeof(soa[0]); i++)
		explain_print(f, x, soa[i]);
	if (authority)
		explain_print(f, x, "reply.negative_ttl");
}

/* Print ";; NAME SECTION:", one line per RR, and a blank line; nothing for an empty list.
 * With --explain, key explains the heading and explain_rr() each RR. */
static int section_print(FILE *f, const char *name, const char *key, const ldns_rr_list *list,
                         bool question, struct text_explain *x)
{
	struct section s;
	size_t i;

	if (ldns_rr_list_rr_count(list) == 0)
		return 0;
	if (section_init(&s, list, question) < 0) {
		section_clear(&s);
		return -1;
	}
	fprintf(f, ";; %s:\n", name);
	explain_print(f, x, key);
	for (i = 0; i < s.n; i++) {
		const struct rrtext *t = &s.rr[i];
		int col;

		if (question) {
			fprintf(f, ";%s", t->owner);
			pad_to(f, strlen(t->owner) + 1, s.class_col);
		} else {
			fprintf(f, "%s", t->owner);
			pad_to(f, strlen(t->owner), s.ttl_col);
			col = fprintf(f, "%u", (unsigned)t->ttl);
			pad_to(f, s.ttl_col + (size_t)(col > 0 ? col : 0), s.class_col);
		}
		fprintf(f, "%s", t->klass);
		pad_to(f, s.class_col + strlen(t->klass), s.type_col);
		if (question) {
			fprintf(f, "%s\n", t->type);
		} else {
			fprintf(f, "%s", t->type);
			pad_to(f, s.type_col + strlen(t->type), s.rdata_col);
			fprintf(f, "%s\n", t->rdata);
		}
		explain_rr(f, x, ldns_rr_list_rr(list, i), question,
		           strcmp(key, "section.authority") == 0);
	}
	fputc('\n', f);
	section_clear(&s);
	return 0;
}

/* The OPT pseudosection as dig prints it (RFC 6891 §6.1.3 version and flags, options). */
static int edns_print(FILE *f, ldns_pkt *pkt, struct text_explain *x)
{
	struct rrtext_edns e;
	ldns_edns_option_list *list;
	char key[EXPLAIN_KEY_MAX];
	size_t i;

	if (rrtext_edns_from_pkt(&e, pkt) < 0)
		return -1;
	if (e.present) {
		fprintf(f, ";; OPT PSEUDOSECTION:\n");
		explain_print(f, x, "edns.opt");
		fprintf(f, "; EDNS: version: %u, flags:%s; udp: %u\n", (unsigned)e.version,
		        e.do_bit ? " do" : "", (unsigned)e.udp_size);
		explain_print(f, x, "edns.version");
		if (e.do_bit)
			explain_print(f, x, "flag.do");
		explain_print(f, x, "edns.udp");
		/* the same list rrtext read, in the same order: for the EDE INFO-CODE */
		list = ldns_pkt_edns_get_option_list(pkt);
		for (i = 0; i < e.nopts; i++) {
			ldns_edns_option *o =
			    list ? ldns_edns_option_list_get_option(list, i) : NULL;
			const uint8_t *d = o ? ldns_edns_get_data(o) : NULL;

			fprintf(f, "; %s: %s\n", e.opts[i].name, e.opts[i].text);
			explain_print(f, x,
			              explain_key_edns_option(key, sizeof(key), e.opts[i].code));
			if (e.opts[i].code == LDNS_EDNS_EDE && d != NULL &&
			    ldns_edns_get_size(o) >= 2)
				explain_print(f, x,
				              explain_key_ede(key, sizeof(key), d[0] << 8 | d[1]));
		}
	}
	rrtext_edns_clear(&e);
	return 0;
}

/* The server's label with any "#port" dropped, for dig's "address#port(name)". Caller frees. */
static char *server_name(const struct server *s)
{
	char *name = esc_str(s->label);
	char *hash;

	if (name != NULL && (hash = strrchr(name, '#')) != NULL && hash != name)
		*hash = '\0';
	return name;
}

/* dig's ";; WHEN:" time, e.g. "Sat Nov 21 09:53:05 UTC 2026", in local time. The day and
 * month names are spelled out here rather than taken from the locale, which may not be
 * ASCII. */
static void when_format(char *buf, size_t buflen, const struct timespec *ts)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	time_t t = ts->tv_sec;
	struct tm tm;
	char zone[16], *z;

	if (localtime_r(&t, &tm) == NULL) {
		snprintf(buf, buflen, "%lld", (long long)t);
		return;
	}
	if (strftime(zone, sizeof(zone), "%Z", &tm) == 0)
		zone[0] = '\0';
	z = esc_str(zone);
	snprintf(buf, buflen, "%s %s %02d %02d:%02d:%02d %s %d", days[tm.tm_wday % 7],
	         months[tm.tm_mon % 12], tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, z ? z : "",
	         tm.tm_year + 1900);
	free(z);
}

/* The flags line: dig's order of the header bits, and the four counts (ARCOUNT as on the
 * wire: ldns drops the OPT and TSIG RRs from its count when it parses). */
static void flags_print(FILE *f, const ldns_pkt *pkt, bool edns, struct text_explain *x)
{
	size_t arcount = ldns_pkt_arcount(pkt) + (edns ? 1 : 0) + (ldns_pkt_tsig(pkt) ? 1 : 0);

	fprintf(f,
	        ";; flags:%s%s%s%s%s%s%s; QUERY: %u, ANSWER: %u, AUTHORITY: %u, ADDITIONAL: %zu\n",
	        ldns_pkt_qr(pkt) ? " qr" : "", ldns_pkt_aa(pkt) ? " aa" : "",
	        ldns_pkt_tc(pkt) ? " tc" : "", ldns_pkt_rd(pkt) ? " rd" : "",
	        ldns_pkt_ra(pkt) ? " ra" : "", ldns_pkt_ad(pkt) ? " ad" : "",
	        ldns_pkt_cd(pkt) ? " cd" : "", (unsigned)ldns_pkt_qdcount(pkt),
	        (unsigned)ldns_pkt_ancount(pkt), (unsigned)ldns_pkt_nscount(pkt), arcount);
	if (x == NULL)
		return;
	explain_print(f, x, "header.flags");
	/* the flags this line lists, in its order */
	const struct {
		bool on;
		const char *key;
	} set[] = {{ldns_pkt_qr(pkt), "flag.qr"}, {ldns_pkt_aa(pkt), "flag.aa"},
	           {ldns_pkt_tc(pkt), "flag.tc"}, {ldns_pkt_rd(pkt), "flag.rd"},
	           {ldns_pkt_ra(pkt), "flag.ra"}, {ldns_pkt_ad(pkt), "flag.ad"},
	           {ldns_pkt_cd(pkt), "flag.cd"}};
	for (size_t i = 0; i < sizeof(set) / sizeof(set[0]); i++)
		if (set[i].on)
			explain_print(f, x, set[i].key);
	explain_print(f, x, "count.query");
	explain_print(f, x, "count.answer");
	explain_print(f, x, "count.authority");
	explain_print(f, x, "count.additional");
	/* named for this reply only when it is one (explain_pkt_keys decides) */
	explain_print(f, x, "reply.nodata");
	explain_print(f, x, "reply.referral");
}

/* One reply with a parsed message, dig's layout from ";; Got answer:" to ";; MSG SIZE". */
static int message_print(FILE *f, const struct lookup *l, const struct lookup_reply *r,
                         struct text_explain *x)
{
	const struct net_result *net = r->net;
	ldns_pkt *pkt = r->pkt;
	char opcode[32], rcode[32], addr[64], when[96], key[EXPLAIN_KEY_MAX];
	ldns_rr_list *tsig = NULL;
	char *name;
	int rc = 0;

	if (x != NULL) {
		/* the keys this reply's explanations may use: what the views show of it */
		memset(x->here, 0, explain_count() * sizeof(*x->here));
		if (explain_pkt_keys(pkt, explain_mark, x) < 0)
			return -1;
		if (net != NULL)
			explain_transport_keys(net->tcp, net->tc_retry, explain_mark, x);
		else
			explain_mark("server", x);
	}
	if (net != NULL && net->tc_retry) {
		fprintf(f, ";; Truncated, retrying in TCP mode.\n");
		explain_print(f, x, "transport.tc_retry");
	}
	fprintf(f, ";; Got answer:\n");
	fprintf(f, ";; ->>HEADER<<- opcode: %s, status: %s, id: %u\n",
	        rrtext_opcode(opcode, sizeof(opcode), ldns_pkt_get_opcode(pkt)),
	        rrtext_rcode(rcode, sizeof(rcode), rrtext_pkt_rcode(pkt)),
	        (unsigned)ldns_pkt_id(pkt));
	explain_print(f, x, "header.opcode");
	explain_print(f, x, explain_key_opcode(key, sizeof(key), ldns_pkt_get_opcode(pkt)));
	explain_print(f, x, "header.rcode");
	explain_print(f, x, explain_key_rcode(key, sizeof(key), rrtext_pkt_rcode(pkt)));
	explain_print(f, x, "header.id");
	flags_print(f, pkt, ldns_pkt_edns(pkt), x);
	if (lookup_question(l)->rd && !ldns_pkt_ra(pkt)) {
		fprintf(f, ";; WARNING: recursion requested but not available\n");
		explain_print(f, x, "flag.ra");
	}
	fputc('\n', f);
	if (edns_print(f, pkt, x) < 0 ||
	    section_print(f, "QUESTION SECTION", "section.question", ldns_pkt_question(pkt), true,
	                  x) < 0 ||
	    section_print(f, "ANSWER SECTION", "section.answer", ldns_pkt_answer(pkt), false, x) <
	        0 ||
	    section_print(f, "AUTHORITY SECTION", "section.authority", ldns_pkt_authority(pkt),
	                  false, x) < 0 ||
	    section_print(f, "ADDITIONAL SECTION", "section.additional", ldns_pkt_additional(pkt),
	                  false, x) < 0)
		return -1;
	if (ldns_pkt_tsig(pkt) != NULL) {
		/* A one-RR list that borrows the packet's TSIG RR: free only the list. */
		tsig = ldns_rr_list_new();
		if (tsig == NULL || !ldns_rr_list_push_rr(tsig, ldns_pkt_tsig(pkt)) ||
		    section_print(f, "TSIG PSEUDOSECTION", "section.tsig", tsig, false, x) < 0)
			rc = -1;
		ldns_rr_list_free(tsig);
		if (rc < 0)
			return -1;
	}

	name = server_name(&r->server);
	if (name == NULL)
		return -1;
	if (r->server.addrlen > 0)
		server_addr_str(addr, sizeof(addr), (const struct sockaddr *)&r->server.addr);
	else
		snprintf(addr, sizeof(addr), "%s", name);
	if (net != NULL) {
		/* dig truncates to whole milliseconds */
		fprintf(f, ";; Query time: %u msec\n",
		        net->rtt_ms > 0 ? (unsigned)net->rtt_ms : 0u);
		explain_print(f, x, "transport.rtt");
		fprintf(f, ";; SERVER: %s(%s) (%s)\n", addr, name, net->tcp ? "TCP" : "UDP");
		explain_print(f, x, "server");
		explain_print(f, x, net->tcp ? "transport.tcp" : "transport.udp");
		when_format(when, sizeof(when), &net->rx_wall);
		fprintf(f, ";; WHEN: %s\n", when);
		explain_print(f, x, "transport.when");
		fprintf(f, ";; MSG SIZE  rcvd: %zu\n", net->size);
		explain_print(f, x, "transport.size");
		fprintf(f, ";; TRANSPORT: %s, tries: %u, discarded: %u\n", net->tcp ? "tcp" : "udp",
		        net->tries, net->discarded);
		explain_print(f, x, "transport.tries");
		explain_print(f, x, "transport.discarded");
	} else {
		fprintf(f, ";; SERVER: %s(%s)\n", addr, name);
		explain_print(f, x, "server");
	}
	free(name);
	return 0;
}

/* ";; <server>: <reason>" for a reply without a message, or as a warning above one. */
static int reason_print(FILE *f, const struct lookup_reply *r, const char *reason)
{
	char *label = esc_str(r->server.label);
	char *why = esc_str(reason);
	int rc = 0;

	if (label == NULL || why == NULL)
		rc = -1;
	else
		fprintf(f, ";; %s: %s\n", label, why);
	free(label);
	free(why);
	return rc;
}

/* Every reply; with x, explained. */
static int text_print(FILE *f, const struct lookup *l, struct text_explain *x)
{
	size_t i, n = lookup_count(l);

	for (i = 0; i < n; i++) {
		const struct lookup_reply *r = lookup_reply_at(l, i);

		if (i > 0)
			fputc('\n', f);
		if (r->pkt == NULL) {
			if (reason_print(f, r, lookup_reply_reason(r)) < 0)
				return -1;
			continue;
		}
		/* A message that came with a complaint: say it, then show the message. */
		if (r->error != NULL && reason_print(f, r, r->error) < 0)
			return -1;
		if (message_print(f, l, r, x) < 0)
			return -1;
	}
	/* fprintf results are not checked one by one: a failed write sets the error flag,
	 * and buffered data fails at the flush. */
	if (fflush(f) == EOF || ferror(f))
		return -1;
	return 0;
}

int text_lookup_print(FILE *f, const struct lookup *l)
{
	return text_print(f, l, NULL);
}

int text_lookup_explain(FILE *f, const struct lookup *l)
{
	struct text_explain x;
	int rc = -1;

	x.done = calloc(explain_count(), sizeof(*x.done));
	x.here = calloc(explain_count(), sizeof(*x.here));
	if (x.done != NULL && x.here != NULL)
		rc = text_print(f, l, &x);
	free(x.done);
	free(x.here);
	return rc;
}
