/*
 * explain.c -- the explain table, key builders and the walk over a reply (see explain.h).
 * The texts themselves are data in explain.def.
 */
#include "config.h"
#include "dns/explain.h"
#include "dns/rrtext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct explain explain_table[] = {
#define EXPLAIN(key, rfc, text) {key, rfc, text},
#include "dns/explain.def"
#undef EXPLAIN
};

#define EXPLAIN_N (sizeof(explain_table) / sizeof(explain_table[0]))

const struct explain *explain_get(const char *key)
{
	if (key == NULL)
		return NULL;
	/* About two hundred entries, looked up a few dozen times per reply: a scan is enough. */
	for (size_t i = 0; i < EXPLAIN_N; i++)
		if (strcmp(explain_table[i].key, key) == 0)
			return &explain_table[i];
	return NULL;
}

size_t explain_count(void)
{
	return EXPLAIN_N;
}

const struct explain *explain_at(size_t i)
{
	return i < EXPLAIN_N ? &explain_table[i] : NULL;
}

/* "group.name" when the table has it, else "group.unknown" (every group has one). */
static char *explain_key_in(char *buf, size_t len, const char *group, const char *name)
{
	int n;

	if (len == 0)
		return buf;
	n = snprintf(buf, len, "%s.%s", group, name);
	if (n < 0 || (size_t)n >= len || explain_get(buf) == NULL)
		snprintf(buf, len, "%s.unknown", group);
	return buf;
}

static char *explain_key_num(char *buf, size_t len, const char *group, unsigned n)
{
	char num[16];

	snprintf(num, sizeof(num), "%u", n);
	return explain_key_in(buf, len, group, num);
}

char *explain_key_rr_type(char *buf, size_t len, ldns_rr_type t)
{
	char name[32];

	/* The mnemonic the views show ("MX", "TYPE65534"), so a key matches what is on screen. */
	return explain_key_in(buf, len, "rr", rrtext_type(name, sizeof(name), t));
}

char *explain_key_class(char *buf, size_t len, ldns_rr_class c)
{
	char name[32];

	return explain_key_in(buf, len, "class", rrtext_class(name, sizeof(name), c));
}

char *explain_key_opcode(char *buf, size_t len, unsigned opcode)
{
	return explain_key_num(buf, len, "opcode", opcode);
}

char *explain_key_rcode(char *buf, size_t len, unsigned rcode)
{
	return explain_key_num(buf, len, "rcode", rcode);
}

char *explain_key_edns_option(char *buf, size_t len, uint16_t code)
{
	return explain_key_num(buf, len, "option", code);
}

char *explain_key_ede(char *buf, size_t len, unsigned info_code)
{
	return explain_key_num(buf, len, "ede", info_code);
}

/* The walk: names each key once, in order. */
struct explain_walk {
	explain_key_fn fn;
	void *arg;
	char (*seen)[EXPLAIN_KEY_MAX];
	size_t n, cap;
	int err;
};

static void walk_key(struct explain_walk *w, const char *key)
{
	for (size_t i = 0; i < w->n; i++)
		if (strcmp(w->seen[i], key) == 0)
			return;
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 64;
		char(*seen)[EXPLAIN_KEY_MAX] = realloc(w->seen, cap * sizeof(*seen));

		if (seen == NULL) {
			w->err = -1;
			return;
		}
		w->seen = seen;
		w->cap = cap;
	}
	snprintf(w->seen[w->n++], EXPLAIN_KEY_MAX, "%s", key);
	w->fn(key, w->arg);
}

static bool walk_has_type(const ldns_rr_list *l, ldns_rr_type t)
{
	for (size_t i = 0; l != NULL && i < ldns_rr_list_rr_count(l); i++)
		if (ldns_rr_get_type(ldns_rr_list_rr(l, i)) == t)
			return true;
	return false;
}

/* The EDNS fields and, for each option, its key (and the EDE code it carries). */
static void walk_edns(struct explain_walk *w, ldns_pkt *pkt)
{
	ldns_edns_option_list *list;
	char key[EXPLAIN_KEY_MAX];
	size_t n;

	/* For a parsed reply, ldns_pkt_edns() means that an OPT RR was present. */
	if (!ldns_pkt_edns(pkt)) {
		walk_key(w, "edns.none");
		return;
	}
	walk_key(w, "edns.opt");
	walk_key(w, "edns.version");
	walk_key(w, "edns.udp");
	walk_key(w, "flag.do");
	walk_key(w, "edns.options");
	list = ldns_pkt_edns_get_option_list(pkt); /* owned by pkt */
	n = list != NULL ? ldns_edns_option_list_get_count(list) : 0;
	for (size_t i = 0; i < n; i++) {
		ldns_edns_option *o = ldns_edns_option_list_get_option(list, i);
		uint16_t code = ldns_edns_get_code(o);
		const uint8_t *d = ldns_edns_get_data(o);

		walk_key(w, explain_key_edns_option(key, sizeof(key), code));
		/* RFC 8914 §2: INFO-CODE is the first two bytes of an EDE option */
		if (code == LDNS_EDNS_EDE && ldns_edns_get_size(o) >= 2 && d != NULL)
			walk_key(w, explain_key_ede(key, sizeof(key), (unsigned)d[0] << 8 | d[1]));
	}
}

/* A section: its heading, then the class and type of each RR, the SOA fields after an SOA. */
static void walk_section(struct explain_walk *w, const char *heading, const ldns_rr_list *l,
                         bool question)
{
	static const char *const soa[] = {"soa.mname", "soa.rname",  "soa.serial", "soa.refresh",
	                                  "soa.retry", "soa.expire", "soa.minimum"};
	char key[EXPLAIN_KEY_MAX];

	walk_key(w, heading);
	for (size_t i = 0; l != NULL && i < ldns_rr_list_rr_count(l); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(l, i);

		walk_key(w, explain_key_class(key, sizeof(key), ldns_rr_get_class(rr)));
		walk_key(w, explain_key_rr_type(key, sizeof(key), ldns_rr_get_type(rr)));
		if (!question && ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA)
			for (size_t k = 0; k < sizeof(soa) / sizeof(soa[0]); k++)
				walk_key(w, soa[k]);
	}
}

int explain_pkt_keys(ldns_pkt *pkt, explain_key_fn fn, void *arg)
{
	static const char *const header[] = {"header.flags", "flag.qr",         "flag.aa",
	                                     "flag.tc",      "flag.rd",         "flag.ra",
	                                     "flag.ad",      "flag.cd",         "count.query",
	                                     "count.answer", "count.authority", "count.additional"};
	struct explain_walk w = {.fn = fn, .arg = arg};
	unsigned rcode = rrtext_pkt_rcode(pkt);
	const ldns_rr_list *auth = ldns_pkt_authority(pkt);
	bool referral = false, nodata = false;
	char key[EXPLAIN_KEY_MAX];

	walk_key(&w, "header.id");
	walk_key(&w, "header.opcode");
	walk_key(&w, explain_key_opcode(key, sizeof(key), ldns_pkt_get_opcode(pkt)));
	walk_key(&w, "header.rcode");
	walk_key(&w, explain_key_rcode(key, sizeof(key), rcode));
	for (size_t i = 0; i < sizeof(header) / sizeof(header[0]); i++)
		walk_key(&w, header[i]);

	/* The same tests as the TUI's banners: NS without SOA and no AA is a referral
	 * (RFC 2308 §2.2 tells the two apart by the SOA), otherwise an empty NOERROR is NODATA. */
	if (rcode == LDNS_RCODE_NOERROR && ldns_pkt_ancount(pkt) == 0) {
		referral = walk_has_type(auth, LDNS_RR_TYPE_NS) &&
		           !walk_has_type(auth, LDNS_RR_TYPE_SOA) && !ldns_pkt_aa(pkt);
		nodata = !referral;
		walk_key(&w, referral ? "reply.referral" : "reply.nodata");
	}

	walk_edns(&w, pkt);

	walk_key(&w, "column.owner");
	walk_key(&w, "column.ttl");
	walk_key(&w, "column.class");
	walk_key(&w, "column.type");
	walk_key(&w, "column.rdata");
	walk_section(&w, "section.question", ldns_pkt_question(pkt), true);
	walk_section(&w, "section.answer", ldns_pkt_answer(pkt), false);
	walk_section(&w, "section.authority", auth, false);
	/* RFC 2308 §3: the SOA in authority bounds how long the negative answer is cached */
	if ((rcode == LDNS_RCODE_NXDOMAIN || nodata) && walk_has_type(auth, LDNS_RR_TYPE_SOA))
		walk_key(&w, "reply.negative_ttl");
	walk_section(&w, "section.additional", ldns_pkt_additional(pkt), false);
	/* ldns takes the OPT and TSIG RRs out of the additional section; the views show both */
	if (ldns_pkt_edns(pkt))
		walk_key(&w, explain_key_rr_type(key, sizeof(key), LDNS_RR_TYPE_OPT));
	if (ldns_pkt_tsig(pkt) != NULL) {
		walk_key(&w, "section.tsig");
		walk_key(
		    &w, explain_key_class(key, sizeof(key), ldns_rr_get_class(ldns_pkt_tsig(pkt))));
		walk_key(&w, explain_key_rr_type(key, sizeof(key), LDNS_RR_TYPE_TSIG));
	}
	free(w.seen);
	return w.err;
}

void explain_transport_keys(bool tcp, bool tc_retry, explain_key_fn fn, void *arg)
{
	fn("server", arg);
	fn(tcp ? "transport.tcp" : "transport.udp", arg);
	if (tc_retry)
		fn("transport.tc_retry", arg);
	fn("transport.rtt", arg);
	fn("transport.size", arg);
	fn("transport.tries", arg);
	fn("transport.discarded", arg);
	fn("transport.when", arg);
}

/* Append s to buf at *pos (counting what does not fit), "§" as "section " when ascii. */
static void explain_put(char *buf, size_t len, size_t *pos, const char *s, bool ascii)
{
	static const char sect[] = "\xc2\xa7"; /* U+00A7 SECTION SIGN in UTF-8 */

	while (*s != '\0') {
		const char *out = s;
		size_t n = 1;

		if (ascii && strncmp(s, sect, 2) == 0) {
			out = "section ";
			n = strlen(out);
			s += 2;
		} else {
			s++;
		}
		for (size_t i = 0; i < n; i++, (*pos)++)
			if (*pos + 1 < len)
				buf[*pos] = out[i];
	}
}

size_t explain_format(char *buf, size_t len, const struct explain *e, bool ascii)
{
	size_t pos = 0;

	explain_put(buf, len, &pos, e->text, ascii);
	explain_put(buf, len, &pos, " (", ascii);
	explain_put(buf, len, &pos, e->rfc, ascii);
	explain_put(buf, len, &pos, ")", ascii);
	if (len > 0)
		buf[pos < len ? pos : len - 1] = '\0';
	return pos;
}
