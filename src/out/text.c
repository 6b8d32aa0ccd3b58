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
#include "dns/rrtext.h"
#include "net/server.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TAB 8 /* tab stop width, as a terminal and dig assume */

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

/* Print ";; NAME SECTION:", one line per RR, and a blank line; nothing for an empty list. */
static int section_print(FILE *f, const char *name, const ldns_rr_list *list, bool question)
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
			continue;
		}
		fprintf(f, "%s", t->type);
		pad_to(f, s.type_col + strlen(t->type), s.rdata_col);
		fprintf(f, "%s\n", t->rdata);
	}
	fputc('\n', f);
	section_clear(&s);
	return 0;
}

/* The OPT pseudosection as dig prints it (RFC 6891 §6.1.3 version and flags, options). */
static int edns_print(FILE *f, ldns_pkt *pkt)
{
	struct rrtext_edns e;
	size_t i;

	if (rrtext_edns_from_pkt(&e, pkt) < 0)
		return -1;
	if (e.present) {
		fprintf(f, ";; OPT PSEUDOSECTION:\n");
		fprintf(f, "; EDNS: version: %u, flags:%s; udp: %u\n", (unsigned)e.version,
		        e.do_bit ? " do" : "", (unsigned)e.udp_size);
		for (i = 0; i < e.nopts; i++)
			fprintf(f, "; %s: %s\n", e.opts[i].name, e.opts[i].text);
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
static void flags_print(FILE *f, const ldns_pkt *pkt, bool edns)
{
	size_t arcount = ldns_pkt_arcount(pkt) + (edns ? 1 : 0) + (ldns_pkt_tsig(pkt) ? 1 : 0);

	fprintf(f,
	        ";; flags:%s%s%s%s%s%s%s; QUERY: %u, ANSWER: %u, AUTHORITY: %u, ADDITIONAL: %zu\n",
	        ldns_pkt_qr(pkt) ? " qr" : "", ldns_pkt_aa(pkt) ? " aa" : "",
	        ldns_pkt_tc(pkt) ? " tc" : "", ldns_pkt_rd(pkt) ? " rd" : "",
	        ldns_pkt_ra(pkt) ? " ra" : "", ldns_pkt_ad(pkt) ? " ad" : "",
	        ldns_pkt_cd(pkt) ? " cd" : "", (unsigned)ldns_pkt_qdcount(pkt),
	        (unsigned)ldns_pkt_ancount(pkt), (unsigned)ldns_pkt_nscount(pkt), arcount);
}

/* One reply with a parsed message, dig's layout from ";; Got answer:" to ";; MSG SIZE". */
static int message_print(FILE *f, const struct lookup *l, const struct lookup_reply *r)
{
	const struct net_result *net = r->net;
	ldns_pkt *pkt = r->pkt;
	char opcode[32], rcode[32], addr[64], when[96];
	ldns_rr_list *tsig = NULL;
	char *name;
	int rc = 0;

	if (net != NULL && net->tc_retry)
		fprintf(f, ";; Truncated, retrying in TCP mode.\n");
	fprintf(f, ";; Got answer:\n");
	fprintf(f, ";; ->>HEADER<<- opcode: %s, status: %s, id: %u\n",
	        rrtext_opcode(opcode, sizeof(opcode), ldns_pkt_get_opcode(pkt)),
	        rrtext_rcode(rcode, sizeof(rcode), rrtext_pkt_rcode(pkt)),
	        (unsigned)ldns_pkt_id(pkt));
	flags_print(f, pkt, ldns_pkt_edns(pkt));
	if (lookup_question(l)->rd && !ldns_pkt_ra(pkt))
		fprintf(f, ";; WARNING: recursion requested but not available\n");
	fputc('\n', f);
	if (edns_print(f, pkt) < 0 ||
	    section_print(f, "QUESTION SECTION", ldns_pkt_question(pkt), true) < 0 ||
	    section_print(f, "ANSWER SECTION", ldns_pkt_answer(pkt), false) < 0 ||
	    section_print(f, "AUTHORITY SECTION", ldns_pkt_authority(pkt), false) < 0 ||
	    section_print(f, "ADDITIONAL SECTION", ldns_pkt_additional(pkt), false) < 0)
		return -1;
	if (ldns_pkt_tsig(pkt) != NULL) {
		/* A one-RR list that borrows the packet's TSIG RR: free only the list. */
		tsig = ldns_rr_list_new();
		if (tsig == NULL || !ldns_rr_list_push_rr(tsig, ldns_pkt_tsig(pkt)) ||
		    section_print(f, "TSIG PSEUDOSECTION", tsig, false) < 0)
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
		fprintf(f, ";; SERVER: %s(%s) (%s)\n", addr, name, net->tcp ? "TCP" : "UDP");
		when_format(when, sizeof(when), &net->rx_wall);
		fprintf(f, ";; WHEN: %s\n", when);
		fprintf(f, ";; MSG SIZE  rcvd: %zu\n", net->size);
		fprintf(f, ";; TRANSPORT: %s, tries: %u, discarded: %u\n", net->tcp ? "tcp" : "udp",
		        net->tries, net->discarded);
	} else {
		fprintf(f, ";; SERVER: %s(%s)\n", addr, name);
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

int text_lookup_print(FILE *f, const struct lookup *l)
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
		if (message_print(f, l, r) < 0)
			return -1;
	}
	/* fprintf results are not checked one by one: a failed write sets the error flag,
	 * and buffered data fails at the flush. */
	if (fflush(f) == EOF || ferror(f))
		return -1;
	return 0;
}
