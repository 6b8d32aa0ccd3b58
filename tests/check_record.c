/*
 * check_record.c -- saved sessions (engine/record.h): the encoders, the file written and read
 * back (lookups and comparisons render byte for byte as before), the reader's refusals of
 * broken or hostile files with "NAME:LINE: reason", replay times, and the diff.
 */
#include "config.h"
#include "tests.h"
#include "engine/record.h"
#include "out/difftext.h"
#include "out/json.h"
#include "out/propjson.h"
#include "out/proptext.h"
#include "out/text.h"

#include <stdlib.h>
#include <string.h>

/* --- helpers ---------------------------------------------------------------------------- */

/* The address of "127.0.53.N#53". */
static struct server srv(unsigned n)
{
	struct server s;
	char spec[32], err[128];

	snprintf(spec, sizeof(spec), "@127.0.53.%u", n);
	ck_assert_int_eq(server_parse(&s, spec, err, sizeof(err)), 0);
	return s;
}

static struct query_spec question(const char *name, ldns_rr_type type)
{
	struct query_spec q;

	query_spec_init(&q);
	q.qtype = type;
	ck_assert_int_eq(query_spec_set_name(&q, name), LDNS_STATUS_OK);
	return q;
}

/* A reply as the transport hands it over, received rx_ms after an arbitrary start. */
static struct net_result *reply(const char *name, ldns_rr_type type, ldns_pkt_rcode rcode,
                                const char *const *rrs, int64_t rx_ms)
{
	size_t len;
	uint8_t *w = tu_reply_wire(name, type, 4242, rcode, rrs, &len);
	struct net_result *r = tu_result(NET_OK, w, len);

	r->rx_mono.tv_sec = 1000 + rx_ms / 1000;
	r->rx_mono.tv_nsec = (rx_ms % 1000) * 1000000;
	r->rx_wall.tv_nsec = (long)rx_ms * 1000000;
	return r;
}

/* Record res as asked of server n with q. */
static void observe(struct record *r, unsigned n, const struct query_spec *q,
                    const struct net_result *res)
{
	struct server s = srv(n);

	ck_assert_int_eq(record_add(r, (struct sockaddr *)&s.addr, s.addrlen, q, res), 0);
	server_clear(&s);
}

/* Write r and v to memory and read it back. */
static struct record_file *roundtrip(const struct record *r, const struct record_views *v,
                                     char **text)
{
	struct tu_capture c;
	struct record_file *f;
	char err[300] = "";
	FILE *in;

	tu_capture_open(&c);
	ck_assert_int_eq(record_write(c.f, r, v), 0);
	tu_capture_close(&c);
	in = fmemopen(c.buf, c.len, "r");
	ck_assert_ptr_nonnull(in);
	f = record_parse(in, "t.session", err, sizeof(err));
	fclose(in);
	ck_assert_msg(f != NULL, "%s", err);
	if (text != NULL)
		*text = c.buf;
	else
		free(c.buf);
	return f;
}

/* Parse text; NULL and the message when it is refused. */
static struct record_file *parse_text(const char *text, char *err, size_t errlen)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	struct record_file *f;

	ck_assert_ptr_nonnull(in);
	f = record_parse(in, "t.session", err, errlen);
	fclose(in);
	return f;
}

static char *render_lookup(const struct lookup *l, bool json)
{
	struct tu_capture c;

	tu_capture_open(&c);
	ck_assert_int_eq(json ? json_lookup_print(c.f, l) : text_lookup_print(c.f, l), 0);
	tu_capture_close(&c);
	return c.buf;
}

static char *render_prop(const struct prop *p, bool json)
{
	struct tu_capture c;

	tu_capture_open(&c);
	ck_assert_int_eq(json ? propjson_print(c.f, p) : proptext_print(c.f, p), 0);
	tu_capture_close(&c);
	return c.buf;
}

/* Two renderings are the same, and hold must; both are freed. */
static void same(char *a, char *b, const char *must)
{
	ck_assert_str_eq(a, b);
	ck_assert_msg(strstr(a, must) != NULL, "'%s' not in:\n%s", must, a);
	free(a);
	free(b);
}

static const char *const mx_old[] = {"example.test. 3600 IN MX 10 mx1.example.test.",
                                     "example.test. 3600 IN MX 20 mx2.example.test.", NULL};
static const char *const mx_new[] = {"example.test. 3600 IN MX 10 mx1.example.test.",
                                     "example.test. 3600 IN MX 30 mx3.example.test.", NULL};

/* A lookup of example.test MX asked of .1 (an answer) and .2 (timed out), recorded. */
static struct lookup *recorded_lookup(struct record *r)
{
	struct lookup *l = tu_lookup("example.test", LDNS_RR_TYPE_MX, 2);
	struct net_result *a =
	    reply("example.test.", LDNS_RR_TYPE_MX, LDNS_RCODE_NOERROR, mx_old, 40);
	struct net_result *t = tu_result(NET_TIMEOUT, NULL, 0);

	t->tries = 2;
	t->rx_wall.tv_sec = 0;
	observe(r, 1, lookup_question(l), a);
	lookup_deliver(l, 0, a);
	observe(r, 2, lookup_question(l), t);
	lookup_deliver(l, 1, t);
	return l;
}

/* --- encoders ------------------------------------------------------------------------------ */

START_TEST(record_hex_roundtrip)
{
	const uint8_t bytes[] = {0x00, 0x01, 0x7f, 0x80, 0xab, 0xff};
	uint8_t back[sizeof(bytes)];
	char hex[2 * sizeof(bytes) + 1];

	record_hex(hex, bytes, sizeof(bytes));
	ck_assert_str_eq(hex, "00017f80abff");
	ck_assert_int_eq(record_unhex(back, "00017F80ABff", 12), 0);
	ck_assert_mem_eq(back, bytes, sizeof(bytes));
	ck_assert_int_eq(record_unhex(back, "abc", 3), -1); /* odd */
	ck_assert_int_eq(record_unhex(back, "0g", 2), -1);  /* not hex */
	ck_assert_int_eq(record_unhex(back, "0 ", 2), -1);  /* blank */
	ck_assert_int_eq(record_unhex(back, "", 0), 0);
}
END_TEST

START_TEST(record_quote_roundtrip)
{
	const char *in = "a b\\c\033\x7f\xc3\xa9=";
	char *q = record_quote(in), *back = NULL;

	ck_assert_str_eq(q, "a\\032b\\092c\\027\\127\\195\\169=");
	ck_assert_int_eq(record_unquote(q, &back), 0);
	ck_assert_str_eq(back, in);
	free(q);
	free(back);
	ck_assert_int_eq(record_unquote("a b", &back), -1);   /* raw blank */
	ck_assert_int_eq(record_unquote("a\\12", &back), -1); /* two digits */
	ck_assert_int_eq(record_unquote("a\\256", &back), -1);
	ck_assert_int_eq(record_unquote("a\\000", &back), -1); /* NUL */
	ck_assert_int_eq(record_unquote("a\\n", &back), -1);
	ck_assert_int_eq(record_unquote("\x7f", &back), -1);
}
END_TEST

START_TEST(record_time_parse_strict)
{
	struct timespec ts = {.tv_sec = 1795254785, .tv_nsec = 7}, back;
	char buf[40];

	ck_assert_str_eq(record_time_str(buf, sizeof(buf), &ts), "2026-11-21T09:53:05.000000007Z");
	ck_assert_int_eq(record_time_parse(buf, &back), 0);
	ck_assert_int_eq(back.tv_sec, ts.tv_sec);
	ck_assert_int_eq(back.tv_nsec, 7);
	ck_assert_int_eq(record_time_parse("2026-11-21T09:53:05Z", &back), 0);
	ck_assert_int_eq(back.tv_nsec, 0);
	ck_assert_int_eq(record_time_parse("2026-11-21T09:53:05.5Z", &back), 0);
	ck_assert_int_eq(back.tv_nsec, 500000000);
	ck_assert_int_eq(record_time_parse("2026-02-30T09:53:05Z", &back), -1);
	ck_assert_int_eq(record_time_parse("2026-11-21T09:53:05", &back), -1);
	ck_assert_int_eq(record_time_parse("2026-11-21T09:53:05.Z", &back), -1);
	ck_assert_int_eq(record_time_parse("2026-11-21T09:53:05.1234567890Z", &back), -1);
	ck_assert_int_eq(record_time_parse("2026-11-21 09:53:05Z", &back), -1);
	ck_assert_int_eq(record_time_parse("2026-11-21T25:53:05Z", &back), -1);
}
END_TEST

/* --- write, read, replay ------------------------------------------------------------------ */

START_TEST(record_write_lookup_replays_identically)
{
	struct record *r = record_new();
	struct lookup *l = recorded_lookup(r), *back;
	struct record_views v = {.view = RECORD_VIEW_LOOKUP, .lookup = l};
	struct record_file *f = roundtrip(r, &v, NULL);
	char err[300] = "";
	int64_t base = 5000000000000LL; /* 5000 s */
	const struct record_entry *e;

	ck_assert(record_file_has_lookup(f));
	ck_assert(!record_file_has_prop(f));
	ck_assert_int_eq(record_file_view(f), RECORD_VIEW_LOOKUP);
	ck_assert_uint_eq(record_file_count(f), 2);
	back = record_lookup_replay(f, base, NULL, NULL, err, sizeof(err));
	ck_assert_msg(back != NULL, "%s", err);
	ck_assert(lookup_done(back));
	same(render_lookup(l, false), render_lookup(back, false), "MX\t20 mx2.example.test.");
	same(render_lookup(l, true), render_lookup(back, true), "\"rdataMX\"");
	/* the answer's receive time is rebased: base + its offset; the timeout has none */
	e = record_file_at(f, 0);
	ck_assert(e->have_rx);
	ck_assert_int_eq(lookup_reply_rx_ms(lookup_reply_at(back, 0)), (base + e->t_ns) / 1000000);
	ck_assert_int_eq(lookup_reply_rx_ms(lookup_reply_at(back, 1)), 0);
	ck_assert_int_eq(lookup_reply_at(back, 1)->net->status, NET_TIMEOUT);
	ck_assert_uint_eq(lookup_reply_at(back, 1)->net->tries, 2);
	lookup_free(back);
	record_file_free(f);
	lookup_free(l);
	record_free(r);
}
END_TEST

START_TEST(record_write_prop_replays_identically)
{
	struct record *r = record_new();
	struct server s[3] = {srv(1), srv(2), srv(3)};
	struct query_spec q = question("example.test", LDNS_RR_TYPE_MX);
	struct query_spec soa = question("example.test", LDNS_RR_TYPE_SOA);
	struct prop *p = prop_new(NULL, NULL, &q, s, 3, NULL, NULL, NULL), *back;
	struct record_views v = {.view = RECORD_VIEW_COMPARE,
	                         .prop = p,
	                         .prop_servers = s,
	                         .prop_nservers = 3,
	                         .prop_first = record_next_seq(r)};
	struct record_file *f;
	struct ask *asker = NULL;
	char err[300] = "", *text = NULL;

	/* .1 and .3 old, .2 new; the SOA answers arrive in another order than the rows */
	for (unsigned i = 0; i < 3; i++) {
		char rr[160];
		const char *soa_rrs[] = {rr, NULL};
		struct net_result *a = reply("example.test.", LDNS_RR_TYPE_MX, LDNS_RCODE_NOERROR,
		                             i == 1 ? mx_new : mx_old, 10 + i);
		observe(r, i + 1, &q, a);
		prop_deliver(p, i, 0, a);
		snprintf(rr, sizeof(rr),
		         "example.test. 300 IN SOA ns1.example.test. h.example.test. %u 1 1 1 1",
		         i == 1 ? 2026112102u : 2026112101u);
		a = reply("example.test.", LDNS_RR_TYPE_SOA, LDNS_RCODE_NOERROR, soa_rrs, 20 - i);
		observe(r, i + 1, &soa, a);
		prop_deliver(p, i, 1, a);
	}
	ck_assert(prop_done(p));
	f = roundtrip(r, &v, &text);
	ck_assert_ptr_nonnull(
	    strstr(text, "\ncompare-row label=127.0.53.2 addr=127.0.53.2#53 question=3 soa=4\n"));
	back = record_prop_replay(f, 0, NULL, NULL, &asker, err, sizeof(err));
	ck_assert_msg(back != NULL, "%s", err);
	ck_assert_ptr_null(asker); /* no resolver in this comparison */
	ck_assert(prop_done(back));
	same(render_prop(p, false), render_prop(back, false), "serial 2026112102 newest");
	same(render_prop(p, true), render_prop(back, true), "\"newest_serial\": 2026112102");
	free(text);
	prop_free(back);
	record_file_free(f);
	prop_free(p);
	for (int i = 0; i < 3; i++)
		server_clear(&s[i]);
	query_spec_clear(&q);
	query_spec_clear(&soa);
	record_free(r);
}
END_TEST

START_TEST(record_file_frozen_at_newest_reply)
{
	struct record *r = record_new();
	struct lookup *l = recorded_lookup(r);
	struct record_views v = {.view = RECORD_VIEW_LOOKUP, .lookup = l};
	struct record_file *f = roundtrip(r, &v, NULL);
	struct timespec wall;
	int64_t t;

	record_file_frozen(f, &t, &wall);
	ck_assert_int_eq(t, record_file_at(f, 0)->t_ns);
	ck_assert_int_eq(wall.tv_sec, TU_WHEN_SECONDS);
	ck_assert_int_eq(wall.tv_nsec, 40 * 1000000);
	record_file_free(f);
	lookup_free(l);
	record_free(r);
}
END_TEST

START_TEST(record_add_file_saves_again_the_same)
{
	struct record *r = record_new(), *again = record_new();
	struct lookup *l = recorded_lookup(r), *back;
	struct record_views v = {.view = RECORD_VIEW_LOOKUP, .lookup = l};
	struct record_file *f = roundtrip(r, &v, NULL), *f2;
	char err[300], *t1, *t2;

	back = record_lookup_replay(f, 0, NULL, NULL, err, sizeof(err));
	ck_assert_ptr_nonnull(back);
	ck_assert_int_eq(record_add_file(again, f), 0);
	v.lookup = back;
	f2 = roundtrip(again, &v, &t2);
	record_file_free(f2);
	v.lookup = l;
	f2 = roundtrip(r, &v, &t1);
	/* everything but the "saved" line is the same */
	ck_assert_str_eq(strstr(t1, "\nlookup "), strstr(t2, "\nlookup "));
	free(t1);
	free(t2);
	record_file_free(f2);
	lookup_free(back);
	record_file_free(f);
	lookup_free(l);
	record_free(again);
	record_free(r);
}
END_TEST

START_TEST(record_add_drops_the_oldest)
{
	struct record *r = record_new();
	struct query_spec q = question("example.test", LDNS_RR_TYPE_A);
	struct net_result *t = tu_result(NET_TIMEOUT, NULL, 0);
	struct record_file *f;
	char *text;

	for (unsigned i = 0; i < RECORD_KEEP_MAX + 5; i++)
		observe(r, 1, &q, t);
	ck_assert_uint_le(record_count(r), RECORD_KEEP_MAX);
	ck_assert_uint_eq(record_next_seq(r), RECORD_KEEP_MAX + 6);
	f = roundtrip(r, &(struct record_views){.view = RECORD_VIEW_MX, .mx_target = "x.test"},
	              &text);
	ck_assert_uint_eq(record_file_count(f), record_count(r));
	ck_assert_ptr_nonnull(strstr(text, " dropped="));
	ck_assert_ptr_null(strstr(text, " dropped=0 "));
	free(text);
	record_file_free(f);
	net_result_free(t);
	query_spec_clear(&q);
	record_free(r);
}
END_TEST

/* --- the reader refuses bad files ------------------------------------------------------------ */

/* text with the first occurrence of from replaced by to (the test fails if it is absent) */
static char *edit(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	char *out;

	ck_assert_msg(at != NULL, "'%s' not in the file", from);
	out = malloc(strlen(text) - strlen(from) + strlen(to) + 1);
	ck_assert_ptr_nonnull(out);
	memcpy(out, text, (size_t)(at - text));
	strcpy(out + (at - text), to);
	strcat(out, at + strlen(from));
	return out;
}

START_TEST(record_parse_refuses_bad_files)
{
	static const struct {
		const char *from, *to, *want;
	} cases[] = {
	    {"dnsdeck-session 1\n", "dnsdeck-session 2\n", "t.session:1: session format version 2"},
	    {"dnsdeck-session 1\n", "hello\n", "t.session:1: not a dnsdeck session file"},
	    {"\nlookup ", "\nbogus x=1\nlookup ", ":5: unknown line 'bogus'"},
	    {" qtype=MX qclass", " qtype=MX qtype=A qclass", ":5: field 'qtype' given twice"},
	    {" tries=1 ", " ", "field 'tries' is missing"},
	    {" tries=1 ", " tries=x ", "tries: 'x' is not a number"},
	    {" tries=1 ", " tries=01 ", "tries: '01' is not a number"},
	    {"result 1 ", "result 3 ", "result number '3' out of order (expected 1)"},
	    {" reply=1 ", " reply=9 ", ":6: result 9 does not exist (the file has 2)"},
	    {"\nresult 1 at=", "\nresult 1 extra at=", "is not a key=value field"},
	    {" rtt=1.234560 ", " rtt=nan ", "rtt: 'nan' is not milliseconds"},
	    {" status=ok ", " status=weird ", "status: unknown word 'weird'"},
	    {" at=2026-11-21T", " at=2026-13-21T", "at: '2026-13-21T"},
	    {"label=127.0.53.1 ", "label=a\\027b ", ":6: label: byte 0x1b is not printable"},
	    {" addr=127.0.53.1#53 ", " addr=ns1.example.test#53 ",
	     "addr: 'ns1.example.test#53' is not"},
	    {" addr=127.0.53.1#53 ", " addr=127.0.53.1#54 ", "port and addr disagree"},
	    {" results=2 ", " results=3 ", "says 3 results but holds 2 (cut short?)"},
	    {"\nlookup ", "\n# no lookup\nnolookup ", "unknown line 'nolookup'"},
	    {"\nlookup-server label=127.0.53.1", "\n\x1b[2Jlookup-server label=127.0.53.1",
	     ":6: byte 0x1b at column 1"},
	    {" size=", "  size=", "two blanks in a row"},
	    {" view=lookup ", " view=mx ", "view=mx but no 'mx' line"},
	};
	struct record *r = record_new();
	struct lookup *l = recorded_lookup(r);
	struct record_views v = {.view = RECORD_VIEW_LOOKUP, .lookup = l};
	struct record_file *f;
	char *text, err[300];

	f = roundtrip(r, &v, &text);
	record_file_free(f);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *bad = edit(text, cases[i].from, cases[i].to);
		err[0] = '\0';
		f = parse_text(bad, err, sizeof(err));
		ck_assert_msg(f == NULL, "case %zu accepted", i);
		ck_assert_msg(strstr(err, cases[i].want) != NULL, "case %zu: '%s' lacks '%s'", i,
		              err, cases[i].want);
		ck_assert_msg(strncmp(err, "t.session:", 10) == 0, "case %zu: '%s'", i, err);
		free(bad);
	}
	free(text);
	lookup_free(l);
	record_free(r);
}
END_TEST

START_TEST(record_parse_refuses_forged_and_oversized)
{
	struct record *r = record_new();
	struct lookup *l = recorded_lookup(r);
	struct record_views v = {.view = RECORD_VIEW_LOOKUP, .lookup = l};
	struct record_file *f = roundtrip(r, &v, NULL);
	char *text, *bad, *big, err[300];
	size_t n;

	record_file_free(f);
	f = roundtrip(r, &v, &text);
	record_file_free(f);
	/* a reply that does not answer the recorded question is not shown as its answer */
	bad = edit(text, "server=127.0.53.1#53 qname=example.test.",
	           "server=127.0.53.1#53 qname=other.test.");
	ck_assert_ptr_null(parse_text(bad, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "the reply does not answer the question"));
	free(bad);
	/* wire shorter than its size */
	bad = edit(text, " wire=", " wire=0");
	ck_assert_ptr_null(parse_text(bad, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "hex digits for size="));
	free(bad);
	/* a line over the limit */
	n = RECORD_LINE_MAX + 10;
	big = malloc(strlen(text) + n + 8);
	ck_assert_ptr_nonnull(big);
	strcpy(big, text);
	strcat(big, "# ");
	memset(big + strlen(big), 'x', n);
	big[strlen(text) + 2 + n] = '\0';
	strcat(big, "\n");
	ck_assert_ptr_null(parse_text(big, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "line longer than"));
	free(big);
	/* CRLF line ends (a ticket system's) are fine */
	{
		size_t lines = 0, k = 0;
		for (const char *p = text; *p; p++)
			lines += *p == '\n';
		big = malloc(strlen(text) + lines + 1);
		for (const char *p = text; *p; p++) {
			if (*p == '\n')
				big[k++] = '\r';
			big[k++] = *p;
		}
		big[k] = '\0';
		f = parse_text(big, err, sizeof(err));
		ck_assert_msg(f != NULL, "%s", err);
		record_file_free(f);
		free(big);
	}
	/* an empty file, and no file */
	ck_assert_ptr_null(parse_text("", err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "t.session: empty file"));
	ck_assert_ptr_null(record_read("/nonexistent/dir/x.session", err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/dir/x.session: "));
	free(text);
	lookup_free(l);
	record_free(r);
}
END_TEST

START_TEST(record_lookup_replay_checks_references)
{
	struct record *r = record_new();
	struct lookup *l = recorded_lookup(r);
	struct record_views v = {.view = RECORD_VIEW_LOOKUP, .lookup = l};
	struct record_file *f;
	char *text, *bad, err[300];

	f = roundtrip(r, &v, &text);
	record_file_free(f);
	/* server .1's reply pointing at .2's result */
	bad = edit(text, " reply=1 ", " reply=2 ");
	f = parse_text(bad, err, sizeof(err));
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_null(record_lookup_replay(f, 0, NULL, NULL, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "t.session:6: result 2 is not this server's answer"));
	record_file_free(f);
	free(bad);
	free(text);
	lookup_free(l);
	record_free(r);
}
END_TEST

/* --- diff --------------------------------------------------------------------------------- */

/* A file of results only (an MX view): example.test MX and SOA, gone.example.test A. */
static struct record_file *diff_file(unsigned server, const char *const *mx, uint32_t serial,
                                     ldns_pkt_rcode gone_rcode, bool extra)
{
	struct record *r = record_new();
	struct query_spec qmx = question("example.test", LDNS_RR_TYPE_MX);
	struct query_spec qsoa = question("example.test", LDNS_RR_TYPE_SOA);
	struct query_spec qa = question("gone.example.test", LDNS_RR_TYPE_A);
	char rr[160];
	const char *soa_rrs[] = {rr, NULL};
	const char *a_rrs[] = {"gone.example.test. 60 IN A 192.0.2.1", NULL};
	struct net_result *res;
	struct record_file *f;

	snprintf(rr, sizeof(rr),
	         "example.test. 300 IN SOA ns1.example.test. h.example.test. %u 1 1 1 1", serial);
	/* an older MX result first: the newest per question and server counts */
	res = reply("example.test.", LDNS_RR_TYPE_MX, LDNS_RCODE_SERVFAIL, NULL, 1);
	observe(r, server, &qmx, res);
	net_result_free(res);
	res = reply("example.test.", LDNS_RR_TYPE_MX, LDNS_RCODE_NOERROR, mx, 2);
	observe(r, server, &qmx, res);
	net_result_free(res);
	res = reply("example.test.", LDNS_RR_TYPE_SOA, LDNS_RCODE_NOERROR, soa_rrs, 3);
	observe(r, server, &qsoa, res);
	net_result_free(res);
	res = reply("gone.example.test.", LDNS_RR_TYPE_A, gone_rcode,
	            gone_rcode == LDNS_RCODE_NOERROR ? a_rrs : NULL, 4);
	observe(r, 9, &qa, res);
	net_result_free(res);
	if (extra) {
		res = tu_result(NET_TIMEOUT, NULL, 0);
		observe(r, 8, &qa, res);
		net_result_free(res);
	}
	f = roundtrip(
	    r, &(struct record_views){.view = RECORD_VIEW_MX, .mx_target = "example.test"}, NULL);
	query_spec_clear(&qmx);
	query_spec_clear(&qsoa);
	query_spec_clear(&qa);
	record_free(r);
	return f;
}

START_TEST(record_diff_lists_exactly_the_changes)
{
	struct record_file *a = diff_file(1, mx_old, 2026112101, LDNS_RCODE_NOERROR, false);
	struct record_file *b = diff_file(2, mx_new, 2026112102, LDNS_RCODE_NXDOMAIN, true);
	struct record_diff d;
	struct tu_capture c;
	const struct record_change *ch;

	ck_assert_int_eq(record_diff(a, b, &d), 0);
	ck_assert_uint_eq(d.n, 4);
	/* MX: asked of .1 before and .2 after, compared across the two servers */
	ch = &d.v[0];
	ck_assert_int_eq(ch->kind, RECORD_CHANGED);
	ck_assert_str_eq(ch->question, "example.test. MX IN");
	ck_assert_str_eq(ch->server_a, "127.0.53.1#53");
	ck_assert_str_eq(ch->server_b, "127.0.53.2#53");
	ck_assert(!ch->outcome_changed);
	ck_assert_int_eq(ldns_rr_list_rr_count(ch->removed), 1);
	ck_assert_int_eq(ldns_rr_list_rr_count(ch->added), 1);
	/* SOA: the serial */
	ch = &d.v[1];
	ck_assert_str_eq(ch->question, "example.test. SOA IN");
	ck_assert(ch->have_serial_a && ch->have_serial_b);
	ck_assert_uint_eq(ch->serial_a, 2026112101);
	ck_assert_uint_eq(ch->serial_b, 2026112102);
	/* the same server both times: NOERROR -> NXDOMAIN, the A RR removed */
	ch = &d.v[2];
	ck_assert_str_eq(ch->question, "gone.example.test. A IN");
	ck_assert_str_eq(ch->server_a, "127.0.53.9#53");
	ck_assert(ch->outcome_changed);
	ck_assert_str_eq(ch->outcome_a, "NOERROR");
	ck_assert_str_eq(ch->outcome_b, "NXDOMAIN");
	ck_assert_int_eq(ldns_rr_list_rr_count(ch->removed), 1);
	/* a server only in the second file */
	ch = &d.v[3];
	ck_assert_int_eq(ch->kind, RECORD_ONLY_B);
	ck_assert_str_eq(ch->server_b, "127.0.53.8#53");
	ck_assert_str_eq(ch->outcome_b, "timed out");
	tu_capture_open(&c);
	ck_assert_int_eq(difftext_print(c.f, &d, "before", "after"), 0);
	tu_capture_close(&c);
	ck_assert_ptr_nonnull(strstr(c.buf,
	                             "\nexample.test. MX IN  @127.0.53.1#53 -> @127.0.53.2#53\n"
	                             "  - example.test. 3600 IN MX 20 mx2.example.test.\n"
	                             "  + example.test. 3600 IN MX 30 mx3.example.test.\n"));
	ck_assert_ptr_nonnull(strstr(c.buf, "  serial 2026112101 -> 2026112102\n"));
	ck_assert_ptr_nonnull(strstr(c.buf, "  NOERROR -> NXDOMAIN\n"));
	ck_assert_ptr_nonnull(strstr(c.buf, "  only in after: timed out\n"));
	ck_assert_ptr_nonnull(
	    strstr(c.buf, ";; 4 differences: 3 changed, 0 only in before, 1 only in after\n"));
	free(c.buf);
	record_diff_clear(&d);
	/* a file against itself: nothing, nothing printed */
	ck_assert_int_eq(record_diff(a, a, &d), 0);
	ck_assert_uint_eq(d.n, 0);
	tu_capture_open(&c);
	ck_assert_int_eq(difftext_print(c.f, &d, "a", "a"), 0);
	tu_capture_close(&c);
	ck_assert_uint_eq(c.len, 0);
	free(c.buf);
	record_diff_clear(&d);
	record_file_free(a);
	record_file_free(b);
}
END_TEST

Suite *suite_record(void)
{
	Suite *s = suite_create("record");
	TCase *tc = tcase_create("encoders");

	tcase_add_test(tc, record_hex_roundtrip);
	tcase_add_test(tc, record_quote_roundtrip);
	tcase_add_test(tc, record_time_parse_strict);
	suite_add_tcase(s, tc);
	tc = tcase_create("record_write");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, record_write_lookup_replays_identically);
	tcase_add_test(tc, record_write_prop_replays_identically);
	tcase_add_test(tc, record_file_frozen_at_newest_reply);
	tcase_add_test(tc, record_add_file_saves_again_the_same);
	tcase_add_test(tc, record_add_drops_the_oldest);
	suite_add_tcase(s, tc);
	tc = tcase_create("record_parse");
	tcase_add_test(tc, record_parse_refuses_bad_files);
	tcase_add_test(tc, record_parse_refuses_forged_and_oversized);
	tcase_add_test(tc, record_lookup_replay_checks_references);
	suite_add_tcase(s, tc);
	tc = tcase_create("record_diff");
	tcase_add_test(tc, record_diff_lists_exactly_the_changes);
	suite_add_tcase(s, tc);
	return s;
}
