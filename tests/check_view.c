/*
 * check_view.c -- the lookup view's lines and their explain items (src/ui/view.c): for a set of
 * replies like the ones the lab sends (NSD's SOA with authority and additional, Unbound's MX,
 * NXDOMAIN, NODATA, a referral without EDNS, a truncated reply, a resolver's NSID, COOKIE and
 * Extended DNS Errors, BADVERS, a timeout, a question still waiting), at a wide and at a narrow
 * width, every line of the header pane and of the sections pane has an explain item, every
 * item has a text and lies within its line, and the items sit on the text they explain (the
 * aa flag on "aa:", the SOA serial on the serial, an EDE on its code).
 *
 * Only the builders run here (no curses screen is ever started).
 */
#include "config.h"
#include "tests.h"
#include "dns/explain.h"
#include "engine/lookup.h"
#include "ui/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One EDNS option of a canned reply. */
struct vopt {
	uint16_t code;
	size_t len;
	const char *data;
};

/* A canned reply: its sections as zone-file text, header bits, EDNS. */
struct vcase {
	const char *name;
	const char *qname;
	ldns_rr_type qtype;
	unsigned rcode; /* full rcode: above 15 needs edns */
	bool aa, tc, ra, edns;
	int status;             /* enum net_status of the result; -1: nothing delivered (waiting) */
	const char *const *rrs; /* "an|ns|ar <RR>", NULL-terminated */
	const struct vopt *opts; /* code 0 ends the list; NULL: none */
};

#define SOA_RR                                                                                     \
	"example.test. 3600 IN SOA ns1.example.test. hostmaster.example.test. 2026112101 3600 "    \
	"900 "                                                                                     \
	"1209600 300"

static const char *const soa_rrs[] = {"an " SOA_RR,
                                      "ns example.test. 3600 IN NS ns1.example.test.",
                                      "ns example.test. 3600 IN NS ns2.example.test.",
                                      "ns example.test. 3600 IN NS ns3.example.test.",
                                      "ar ns1.example.test. 3600 IN A 127.0.53.1",
                                      "ar ns2.example.test. 3600 IN A 127.0.53.2",
                                      "ar ns3.example.test. 3600 IN A 127.0.53.3",
                                      NULL};
static const char *const mx_rrs[] = {"an example.test. 3600 IN MX 10 mx1.example.test.",
                                     "an example.test. 3600 IN MX 20 mx2.example.test.", NULL};
static const char *const neg_rrs[] = {"ns " SOA_RR, NULL};
static const char *const ref_rrs[] = {"ns example.test. 3600 IN NS ns1.example.test.",
                                      "ar ns1.example.test. 3600 IN A 127.0.53.1", NULL};
static const char *const big_rrs[] = {
    "an big.example.test. 3600 IN TXT \"a long string that did not fit\"", NULL};
static const char *const long_owner_rrs[] = {
    "an a-rather-long-owner-name.with.many.labels.example.test. 60 IN AAAA 2001:db8::1", NULL};
static const struct vopt resolver_opts[] = {{3, 3, "ns1"},
                                            {10, 24, "clientckSERVERCOOKIE1234"},
                                            {15, 14, "\x00\x12no recursion"},
                                            {15, 2, "\x00\x14"},
                                            {65001, 2, "hi"},
                                            {0, 0, NULL}};

static const struct vcase vcases[] = {
    {"SOA from NSD", "example.test.", LDNS_RR_TYPE_SOA, 0, true, false, false, true, NET_OK,
     soa_rrs, NULL},
    {"MX from Unbound", "example.test.", LDNS_RR_TYPE_MX, 0, false, false, true, true, NET_OK,
     mx_rrs, NULL},
    {"NXDOMAIN", "nosuch.example.test.", LDNS_RR_TYPE_A, LDNS_RCODE_NXDOMAIN, true, false, false,
     true, NET_OK, neg_rrs, NULL},
    {"NODATA", "example.test.", LDNS_RR_TYPE_CAA, 0, true, false, false, true, NET_OK, neg_rrs,
     NULL},
    {"referral without EDNS", "www.example.test.", LDNS_RR_TYPE_A, 0, false, false, false, false,
     NET_OK, ref_rrs, NULL},
    {"truncated", "big.example.test.", LDNS_RR_TYPE_TXT, 0, true, true, false, true, NET_OK,
     big_rrs, NULL},
    {"a long owner", "a-rather-long-owner-name.with.many.labels.example.test.", LDNS_RR_TYPE_AAAA,
     0, true, false, false, true, NET_OK, long_owner_rrs, NULL},
    {"REFUSED with NSID, COOKIE, EDE", "example.org.", LDNS_RR_TYPE_A, LDNS_RCODE_REFUSED, false,
     false, true, true, NET_OK, NULL, resolver_opts},
    {"BADVERS", "example.test.", LDNS_RR_TYPE_SOA, 16, false, false, false, true, NET_OK, NULL,
     NULL},
    {"timeout", "example.test.", LDNS_RR_TYPE_MX, 0, false, false, false, false, NET_TIMEOUT, NULL,
     NULL},
    {"waiting", "example.test.", LDNS_RR_TYPE_MX, 0, false, false, false, false, -1, NULL, NULL},
};

static uint8_t *vcase_wire(const struct vcase *c, size_t *len)
{
	ldns_rdf *name = ldns_dname_new_frm_str(c->qname);
	ldns_pkt *pkt;
	uint8_t *wire = NULL;

	ck_assert_ptr_nonnull(name);
	pkt = ldns_pkt_query_new(name, c->qtype, LDNS_RR_CLASS_IN, LDNS_RD);
	ck_assert_ptr_nonnull(pkt);
	ldns_pkt_set_id(pkt, 4711);
	ldns_pkt_set_qr(pkt, true);
	ldns_pkt_set_aa(pkt, c->aa);
	ldns_pkt_set_tc(pkt, c->tc);
	ldns_pkt_set_ra(pkt, c->ra);
	ldns_pkt_set_rcode(pkt, (uint8_t)(c->rcode & 0x0f));
	for (size_t i = 0; c->rrs && c->rrs[i]; i++) {
		const char *s = c->rrs[i];
		ldns_pkt_section sec = strncmp(s, "an ", 3) == 0   ? LDNS_SECTION_ANSWER
		                       : strncmp(s, "ns ", 3) == 0 ? LDNS_SECTION_AUTHORITY
		                                                   : LDNS_SECTION_ADDITIONAL;
		ldns_rr *rr = NULL;

		ck_assert_int_eq(ldns_rr_new_frm_str(&rr, s + 3, 3600, NULL, NULL), LDNS_STATUS_OK);
		ck_assert(ldns_pkt_push_rr(pkt, sec, rr));
	}
	if (c->edns) {
		ldns_edns_option_list *list = ldns_edns_option_list_new();

		ck_assert_ptr_nonnull(list);
		ldns_pkt_set_edns_extended_rcode(pkt, (uint8_t)(c->rcode >> 4));
		ldns_pkt_set_edns_udp_size(pkt, 1232);
		for (size_t i = 0; c->opts && c->opts[i].code != 0; i++)
			ck_assert(ldns_edns_option_list_push(
			    list, ldns_edns_new_from_data(c->opts[i].code, c->opts[i].len,
			                                  c->opts[i].data)));
		ldns_pkt_set_edns_option_list(pkt, list);
	}
	ck_assert_int_eq(ldns_pkt2wire(&wire, pkt, len), LDNS_STATUS_OK);
	ldns_pkt_free(pkt);
	return wire;
}

/* The lookup of a case, its one reply delivered (or not, for "waiting"). */
static struct lookup *vcase_lookup(const struct vcase *c)
{
	struct lookup *l = tu_lookup(c->qname, c->qtype, 1);
	size_t len = 0;
	uint8_t *wire = NULL;

	if (c->status < 0)
		return l;
	if (c->status == NET_OK)
		wire = vcase_wire(c, &len);
	lookup_deliver(l, 0, tu_result(c->status, wire, len));
	return l;
}

/* The plain text of a line (its segments joined). Caller frees. */
static char *line_text(const struct pane_line *l)
{
	size_t n = 1;
	char *s;

	for (size_t i = 0; i < l->nsegs; i++)
		n += strlen(l->segs[i].text);
	s = calloc(1, n);
	ck_assert_ptr_nonnull(s);
	for (size_t i = 0; i < l->nsegs; i++)
		strcat(s, l->segs[i].text);
	return s;
}

/* Byte offset of column col in s (columns as pane_textwidth counts them). */
static size_t col_byte(const char *s, int col)
{
	size_t b = 0;
	int c = 0, w;

	while (s[b] && c < col) {
		b += pane_char(s + b, &w);
		c += w;
	}
	return b;
}

/* The text an item covers. Caller frees. */
static char *item_text(const struct pane_lines *ls, const struct view_item *it)
{
	char *s = line_text(&ls->v[it->line]);
	size_t a = col_byte(s, it->col), b = col_byte(s, it->col + it->width);
	char *t = strndup(s + a, b - a);

	ck_assert_ptr_nonnull(t);
	free(s);
	return t;
}

/* Every line of ls has an item; every item has a text and lies within its line, in order. */
static void assert_items(const char *what, const struct pane_lines *ls, const struct view_items *it)
{
	for (size_t i = 0; i < it->n; i++) {
		const struct view_item *v = &it->v[i];

		ck_assert_msg(v->line < ls->n, "%s: item %zu on line %zu of %zu", what, i, v->line,
		              ls->n);
		ck_assert_msg(v->ex != NULL && v->ex->text && *v->ex->text && v->ex->rfc,
		              "%s: item %zu", what, i);
		ck_assert_msg(v->col >= 0 && v->width >= 1 &&
		                  v->col + v->width <= ls->v[v->line].width,
		              "%s: line %zu: item %s at %d+%d, line width %d", what, v->line,
		              v->ex->key, v->col, v->width, ls->v[v->line].width);
		if (i > 0)
			ck_assert_msg(it->v[i - 1].line <= v->line, "%s: items out of line order",
			              what);
	}
	for (size_t line = 0; line < ls->n; line++) {
		size_t start, first, n = view_items_of(it, line, &start, &first);
		char *text = line_text(&ls->v[line]);

		ck_assert_msg(n > 0, "%s: no explain item on line %zu \"%s\"", what, line, text);
		ck_assert_uint_lt(first, n);
		free(text);
	}
}

/* The item of key on a line whose text holds `on`, or NULL. */
static const struct view_item *find_item(const struct pane_lines *ls, const struct view_items *it,
                                         const char *key, const char *on)
{
	for (size_t i = 0; i < it->n; i++) {
		char *text;
		bool hit;

		if (strcmp(it->v[i].ex->key, key) != 0)
			continue;
		text = line_text(&ls->v[it->v[i].line]);
		hit = !on || strstr(text, on) != NULL;
		free(text);
		if (hit)
			return &it->v[i];
	}
	return NULL;
}

/* The item of key covers exactly want (on a line that holds `on`). */
static void assert_covers(const char *what, const struct pane_lines *ls,
                          const struct view_items *it, const char *key, const char *on,
                          const char *want)
{
	const struct view_item *v = find_item(ls, it, key, on);
	char *t;

	ck_assert_msg(v != NULL, "%s: no item %s", what, key);
	t = item_text(ls, v);
	ck_assert_msg(strcmp(t, want) == 0, "%s: %s covers \"%s\", not \"%s\"", what, key, t, want);
	free(t);
}

/* The key a line explains first. */
static const char *first_key(const struct view_items *it, size_t line)
{
	size_t start, first, n = view_items_of(it, line, &start, &first);

	return n ? it->v[start + first].ex->key : "";
}

/* The index of the first line whose text starts with prefix (after blanks). */
static size_t line_with(const struct pane_lines *ls, const char *prefix)
{
	for (size_t i = 0; i < ls->n; i++) {
		char *t = line_text(&ls->v[i]);
		bool hit = strncmp(t + strspn(t, " "), prefix, strlen(prefix)) == 0;

		free(t);
		if (hit)
			return i;
	}
	ck_abort_msg("no line starts with %s", prefix);
	return 0;
}

struct built {
	struct pane_lines hdr, sec;
	struct pane_line title;
	struct view_items hi, si;
};

static void build(struct built *b, const struct lookup *l, int width)
{
	const struct view_clock clk = {.now_ms = 1000, .autoreask = true};
	const struct lookup_reply *r = lookup_reply_at(l, 0);

	memset(b, 0, sizeof(*b));
	ck_assert_int_eq(view_header(&b->hdr, &b->hi, r, width, &clk), 0);
	ck_assert_int_eq(
	    view_sections(&b->sec, &b->title, &b->si, r, lookup_question(l), width, &clk), 0);
}

static void built_clear(struct built *b)
{
	pane_lines_clear(&b->hdr);
	pane_lines_clear(&b->sec);
	pane_line_clear(&b->title);
	view_items_clear(&b->hi);
	view_items_clear(&b->si);
}

/* Every line of every case has an explanation, at 120 and at 34 columns. */
START_TEST(test_view_items_every_line)
{
	const struct vcase *c = &vcases[_i];
	struct lookup *l = vcase_lookup(c);
	static const int widths[] = {120, 34};

	for (size_t k = 0; k < sizeof(widths) / sizeof(widths[0]); k++) {
		struct built b;
		char what[128];

		build(&b, l, widths[k]);
		snprintf(what, sizeof(what), "%s at %d columns, header", c->name, widths[k]);
		assert_items(what, &b.hdr, &b.hi);
		snprintf(what, sizeof(what), "%s at %d columns, sections", c->name, widths[k]);
		assert_items(what, &b.sec, &b.si);
		ck_assert_uint_gt(b.hdr.n, 0);
		ck_assert_uint_gt(b.sec.n, 0);
		built_clear(&b);
	}
	lookup_free(l);
}
END_TEST

/* Items lie on what they explain: the header line's fields and flags, the SOA row's fields. */
START_TEST(test_view_items_soa)
{
	struct lookup *l = vcase_lookup(&vcases[0]);
	struct built b;

	build(&b, l, 200);
	/* the header pane */
	assert_covers("SOA", &b.hdr, &b.hi, "server", NULL, "server    127.0.53.1#53");
	assert_covers("SOA", &b.hdr, &b.hi, "transport.udp", NULL, "udp");
	assert_covers("SOA", &b.hdr, &b.hi, "transport.rtt", NULL, "rtt 1.2 ms");
	assert_covers("SOA", &b.hdr, &b.hi, "header.opcode", NULL, "opcode");
	assert_covers("SOA", &b.hdr, &b.hi, "opcode.0", NULL, "QUERY");
	assert_covers("SOA", &b.hdr, &b.hi, "header.rcode", NULL, "rcode");
	assert_covers("SOA", &b.hdr, &b.hi, "rcode.0", NULL, "NOERROR");
	assert_covers("SOA", &b.hdr, &b.hi, "header.id", NULL, "id 4711");
	assert_covers("SOA", &b.hdr, &b.hi, "header.flags", NULL, "flags");
	assert_covers("SOA", &b.hdr, &b.hi, "flag.aa", NULL, "aa:1");
	assert_covers("SOA", &b.hdr, &b.hi, "flag.ra", NULL, "ra:0");
	assert_covers("SOA", &b.hdr, &b.hi, "count.authority", NULL, "AUTHORITY 3");
	assert_covers("SOA", &b.hdr, &b.hi, "edns.udp", NULL, "udp 1232");
	assert_covers("SOA", &b.hdr, &b.hi, "flag.do", NULL, "do:0");
	/* the SOA row: the type first, then each of the seven fields on its own text */
	assert_covers("SOA", &b.sec, &b.si, "rr.SOA", "hostmaster", "SOA");
	assert_covers("SOA", &b.sec, &b.si, "soa.mname", NULL, "ns1.example.test.");
	assert_covers("SOA", &b.sec, &b.si, "soa.rname", NULL, "hostmaster.example.test.");
	assert_covers("SOA", &b.sec, &b.si, "soa.serial", NULL, "2026112101");
	assert_covers("SOA", &b.sec, &b.si, "soa.refresh", NULL, "3600");
	assert_covers("SOA", &b.sec, &b.si, "soa.retry", NULL, "900");
	assert_covers("SOA", &b.sec, &b.si, "soa.expire", NULL, "1209600");
	assert_covers("SOA", &b.sec, &b.si, "soa.minimum", NULL, "300");
	assert_covers("SOA", &b.sec, &b.si, "column.owner", "hostmaster", "example.test.");
	assert_covers("SOA", &b.sec, &b.si, "class.IN", "hostmaster", "IN");
	/* the NS rows: type and rdata are one item */
	assert_covers("SOA", &b.sec, &b.si, "rr.NS", "ns2", "NS    ns2.example.test.");
	/* headings: the section's name, its count, the OPT note */
	assert_covers("SOA", &b.sec, &b.si, "section.authority", NULL, "AUTHORITY");
	assert_covers("SOA", &b.sec, &b.si, "count.authority", NULL, "(3)");
	assert_covers("SOA", &b.sec, &b.si, "rr.OPT", NULL, "+ OPT (see edns above)");
	built_clear(&b);
	lookup_free(l);
}
END_TEST

/* EDNS options and Extended DNS Errors: the option, its value, an EDE's code. */
START_TEST(test_view_items_edns)
{
	struct lookup *l = vcase_lookup(&vcases[7]);
	struct built b;

	build(&b, l, 200);
	assert_covers("EDE", &b.hdr, &b.hi, "rcode.5", "refused",
	              "x REFUSED: the server refused to answer this query");
	/* an option's name and value are one item; an EDE's code has its own */
	assert_covers("EDE", &b.hdr, &b.hi, "option.3", NULL, "NSID  6E7331 (\"ns1\")");
	assert_covers("EDE", &b.hdr, &b.hi, "option.15", "no recursion", "EDE");
	assert_covers("EDE", &b.hdr, &b.hi, "ede.18", NULL, "18 (Prohibited): no recursion");
	assert_covers("EDE", &b.hdr, &b.hi, "option.unknown", NULL, "OPT65001  6869");
	built_clear(&b);
	lookup_free(l);

	l = vcase_lookup(&vcases[4]); /* no OPT record */
	build(&b, l, 200);
	assert_covers("referral", &b.hdr, &b.hi, "edns.none", NULL,
	              "edns      none (no OPT record in the reply)");
	built_clear(&b);
	lookup_free(l);
}
END_TEST

/* What a line is explained by first, when the cursor arrives on it. */
static const struct {
	size_t c;      /* vcases[c] */
	bool sections; /* the sections pane, else the header pane */
	const char *line, *key;
} firsts[] = {
    {0, false, "header", "header.opcode"},
    {0, false, "server", "server"},
    {0, true, "QUESTION", "section.question"},
    {0, true, "AUTHORITY", "section.authority"},
    {0, true, "example.test.  ", "rr.SOA"},
    {7, false, "option  EDE  18", "ede.18"},
    {7, false, "option  EDE  20", "ede.20"},
    {7, false, "option  NSID", "option.3"},
    {5, false, "truncated", "flag.tc"},
    {4, false, "referral", "reply.referral"},
    {2, false, "NXDOMAIN", "rcode.3"},
    {2, false, "cache", "reply.negative_ttl"},
    {9, false, "x timed out", "transport.tries"},
    {9, true, "no reply", "transport.tries"},
};

START_TEST(test_view_items_first)
{
	struct lookup *l = vcase_lookup(&vcases[firsts[_i].c]);
	struct built b;
	const struct pane_lines *ls;
	const struct view_items *it;

	build(&b, l, 200);
	ls = firsts[_i].sections ? &b.sec : &b.hdr;
	it = firsts[_i].sections ? &b.si : &b.hi;
	ck_assert_str_eq(first_key(it, line_with(ls, firsts[_i].line)), firsts[_i].key);
	built_clear(&b);
	lookup_free(l);
}
END_TEST

/* view_items_of() on lines with and without items. */
START_TEST(test_view_items_of)
{
	struct view_items it = {0};
	size_t start, first;

	ck_assert_uint_eq(view_items_of(&it, 0, &start, &first), 0);
	it.cap = 4;
	it.v = calloc(it.cap, sizeof(*it.v));
	ck_assert_ptr_nonnull(it.v);
	it.v[0] = (struct view_item){0, 0, 3, explain_get("server"), false};
	it.v[1] = (struct view_item){2, 0, 3, explain_get("rr.A"), false};
	it.v[2] = (struct view_item){2, 5, 3, explain_get("rr.MX"), true};
	it.n = 3;
	ck_assert_uint_eq(view_items_of(&it, 0, &start, &first), 1);
	ck_assert_uint_eq(start, 0);
	ck_assert_uint_eq(first, 0);
	ck_assert_uint_eq(view_items_of(&it, 1, &start, &first), 0);
	ck_assert_uint_eq(view_items_of(&it, 2, &start, &first), 2);
	ck_assert_uint_eq(start, 1);
	ck_assert_uint_eq(first, 1);
	ck_assert_uint_eq(view_items_of(&it, 3, &start, &first), 0);
	view_items_clear(&it);
	ck_assert_ptr_null(it.v);
	ck_assert_uint_eq(it.n, 0);
}
END_TEST

Suite *suite_view(void)
{
	Suite *s = suite_create("view");
	TCase *tc = tcase_create("view");

	tcase_add_loop_test(tc, test_view_items_every_line, 0,
	                    (int)(sizeof(vcases) / sizeof(vcases[0])));
	tcase_add_test(tc, test_view_items_soa);
	tcase_add_test(tc, test_view_items_edns);
	tcase_add_loop_test(tc, test_view_items_first, 0,
	                    (int)(sizeof(firsts) / sizeof(firsts[0])));
	tcase_add_test(tc, test_view_items_of);
	suite_add_tcase(s, tc);
	return s;
}
