/*
 * check_mxout.c -- the batch renderings of an MX failover plan (out/mxjson.c, out/mxtext.c).
 *
 * Real plans (engine/mxplan.c) are driven through the fake asker: a small in-test zone
 * answers every question the plan asks (MX, A, AAAA, PTR, TXT) as a recursive resolver would,
 * CNAMEs chased, NXDOMAIN for names it does not hold, with canned wire replies built by ldns
 * (tests/testutil.c). Cases: a 10/20 pair with A and AAAA, an equal-preference group, a null
 * MX, an implicit MX, a dangling exchange (NXDOMAIN), a domain that does not exist, an alias
 * exchange, hostile TXT bytes, and the SMTP probe against a scripted server on 127.0.0.1.
 * The JSON is checked member by member; the text line by line, and byte by byte for anything
 * outside printable ASCII but the UTF-8 "§" of our own RFC references.
 */
#include "config.h"
#include "tests.h"
#include "engine/ask.h"
#include "engine/mxplan.h"
#include "out/mxjson.h"
#include "out/mxtext.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

/* --- the in-test zone and its fake resolver ---------------------------------------------- */

/* Every scenario's records in one zone: each test asks about its own domain. */
static const char *const zone_rrs[] = {
    /* a 10/20 pair, both with AAAA and A; SPF and DMARC; PTR of mx1's IPv4 address */
    "example.test. 3600 IN MX 10 mx1.example.test.",
    "example.test. 3600 IN MX 20 mx2.example.test.", "example.test. 3600 IN TXT \"v=spf1 mx -all\"",
    "example.test. 3600 IN TXT \"google-site-verification=abc\"",
    "_dmarc.example.test. 3600 IN TXT \"v=DMARC1; p=reject\"",
    "mx1.example.test. 3600 IN A 198.51.100.11", "mx1.example.test. 3600 IN AAAA 2001:db8::11",
    "mx2.example.test. 300 IN A 198.51.100.12", "mx2.example.test. 300 IN AAAA 2001:db8::12",
    "11.100.51.198.in-addr.arpa. 3600 IN PTR mx1.example.test.",
    "12.100.51.198.in-addr.arpa. 3600 IN PTR elsewhere.example.test.",
    /* an equal-preference group and a backup */
    "group.example.test. 3600 IN MX 10 mxa.example.test.",
    "group.example.test. 3600 IN MX 10 mxb.example.test.",
    "group.example.test. 3600 IN MX 10 mxc.example.test.",
    "group.example.test. 3600 IN MX 20 mx2.example.test.",
    "mxa.example.test. 3600 IN A 198.51.100.21", "mxb.example.test. 3600 IN A 198.51.100.22",
    "mxc.example.test. 3600 IN A 198.51.100.23",
    /* null MX (RFC 7505) */
    "nullmx.example.test. 3600 IN MX 0 .",
    /* implicit MX: no MX, but addresses */
    "implicit.example.test. 3600 IN A 198.51.100.30",
    "implicit.example.test. 3600 IN AAAA 2001:db8::30",
    /* a dangling exchange beside a working one */
    "dangling.example.test. 3600 IN MX 10 missing.example.test.",
    "dangling.example.test. 3600 IN MX 20 mx1.example.test.",
    /* an exchange that is an alias */
    "cname-mx.example.test. 3600 IN MX 10 alias.example.test.",
    "alias.example.test. 3600 IN CNAME mx1.example.test.",
    /* hostile bytes in SPF: ESC [31m, BEL, UTF-8 e-acute */
    "hostile.example.test. 3600 IN MX 10 mx1.example.test.",
    "hostile.example.test. 3600 IN TXT \"v=spf1 \\027[31mred\\007 \\195\\169 -all\"",
    /* SMTP probe targets on loopback: mx1 refuses (nothing listens on 127.0.0.2), mx2 is the
     * scripted server on 127.0.0.1 */
    "smtp.example.test. 3600 IN MX 10 probe1.example.test.",
    "smtp.example.test. 3600 IN MX 20 probe2.example.test.",
    "probe1.example.test. 3600 IN A 127.0.0.2", "probe2.example.test. 3600 IN A 127.0.0.1", NULL};

static ldns_rr *zone_rr(size_t i)
{
	ldns_rr *rr = NULL;

	ck_assert_int_eq(ldns_rr_new_frm_str(&rr, zone_rrs[i], 3600, NULL, NULL), LDNS_STATUS_OK);
	return rr;
}

/* Answer a question from the zone as a recursive resolver would: the RRset of the name, the
 * CNAME chain to it, NODATA for a name with other types, NXDOMAIN for a name not held. */
static struct net_result *zone_answer(const struct query_spec *q, void *arg)
{
	const char *answer[16];
	size_t n = 0, hops, i, len;
	ldns_rdf *name = ldns_rdf_clone(q->qname);
	bool exists = false;
	char *qname = ldns_rdf2str(q->qname);
	uint8_t *wire;

	(void)arg;
	ck_assert_ptr_nonnull(name);
	ck_assert_ptr_nonnull(qname);
	for (hops = 0; hops < 8; hops++) {
		ldns_rdf *target = NULL;
		bool direct = false;

		for (i = 0; zone_rrs[i] != NULL; i++) {
			ldns_rr *rr = zone_rr(i);

			if (ldns_dname_compare(ldns_rr_owner(rr), name) == 0) {
				exists = true;
				if (ldns_rr_get_type(rr) == q->qtype) {
					ck_assert_uint_lt(n, 15);
					answer[n++] = zone_rrs[i];
					direct = true;
				} else if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_CNAME) {
					ck_assert_uint_lt(n, 15);
					answer[n++] = zone_rrs[i];
					target = ldns_rdf_clone(ldns_rr_rdf(rr, 0));
				}
			}
			ldns_rr_free(rr);
		}
		ldns_rdf_deep_free(name);
		name = target;
		if (direct || target == NULL)
			break;
		exists = false; /* the target's existence decides the rcode */
	}
	ldns_rdf_deep_free(name);
	answer[n] = NULL;
	wire = tu_reply_wire(qname, q->qtype, 0, exists ? LDNS_RCODE_NOERROR : LDNS_RCODE_NXDOMAIN,
	                     answer, &len);
	free(qname);
	return tu_result(NET_OK, wire, len);
}

/* A finished plan for domain, asked of the in-test zone. */
struct run {
	struct ask *ask;
	struct mxplan *plan;
};

static void run_plan(struct run *r, const char *domain)
{
	r->ask = ask_new_fake(zone_answer, NULL);
	ck_assert_ptr_nonnull(r->ask);
	r->plan = mxplan_new(r->ask, NULL, domain, NULL, NULL, NULL);
	ck_assert_ptr_nonnull(r->plan);
	ask_fake_pump(r->ask);
	ck_assert(mxplan_done(r->plan));
}

static void run_free(struct run *r)
{
	mxplan_free(r->plan);
	ask_free(r->ask);
}

/* --- helpers ----------------------------------------------------------------------------- */

/* Fail unless s holds only printable ASCII, '\n' and the UTF-8 of U+00A7 "§". */
static void assert_clean(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 0x20 && c <= 0x7e) || c == '\n')
			continue;
		if (c == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] == 0xa7) {
			i++;
			continue;
		}
		ck_abort_msg("byte 0x%02x at offset %zu is not printable ASCII:\n%s", c, i, s);
	}
}

/* Fail unless buf has a whole line equal to line. */
static void assert_line(const char *buf, const char *line)
{
	size_t n = strlen(line);
	const char *p = buf;

	while ((p = strstr(p, line)) != NULL) {
		if ((p == buf || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
			return;
		p++;
	}
	ck_abort_msg("no line \"%s\" in:\n%s", line, buf);
}

/* Fail unless some line of buf starts with prefix. */
static void assert_line_starts(const char *buf, const char *prefix)
{
	size_t n = strlen(prefix);
	const char *p = buf;

	while ((p = strstr(p, prefix)) != NULL) {
		if (p == buf || p[-1] == '\n')
			return;
		p += n;
	}
	ck_abort_msg("no line starting \"%s\" in:\n%s", prefix, buf);
}

/* Fail unless buf holds first, and second after it. */
static void assert_before(const char *buf, const char *first, const char *second)
{
	const char *a = strstr(buf, first);

	ck_assert_msg(a != NULL, "no \"%s\" in:\n%s", first, buf);
	ck_assert_msg(strstr(a, second) != NULL, "no \"%s\" after \"%s\" in:\n%s", second, first,
	              buf);
}

/* The text rendering of a plan, checked clean; caller frees. */
static char *text_of(const struct mxplan *p)
{
	struct tu_capture c;

	tu_capture_open(&c);
	ck_assert_int_eq(mxtext_print(c.f, p), 0);
	tu_capture_close(&c);
	assert_clean(c.buf, c.len);
	ck_assert_msg(c.len > 0 && c.buf[c.len - 1] == '\n', "text does not end in a newline");
	ck_assert_msg(strstr(c.buf, " \n") == NULL, "trailing space in:\n%s", c.buf);
	ck_assert_msg(strchr(c.buf, '\t') == NULL, "tab in text output");
	return c.buf;
}

static json_t *member(const json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	ck_assert_msg(v != NULL, "no member %s", key);
	return v;
}

static const char *str_member(const json_t *o, const char *key)
{
	json_t *v = member(o, key);

	ck_assert_msg(json_is_string(v), "member %s is not a string", key);
	return json_string_value(v);
}

static json_int_t int_member(const json_t *o, const char *key)
{
	json_t *v = member(o, key);

	ck_assert_msg(json_is_integer(v), "member %s is not an integer", key);
	return json_integer_value(v);
}

static bool bool_member(const json_t *o, const char *key)
{
	json_t *v = member(o, key);

	ck_assert_msg(json_is_boolean(v), "member %s is not a boolean", key);
	return json_is_true(v);
}

static json_t *array_member(const json_t *o, const char *key, size_t n)
{
	json_t *v = member(o, key);

	ck_assert_msg(json_is_array(v), "member %s is not an array", key);
	ck_assert_msg(json_array_size(v) == n, "member %s has %zu elements, not %zu", key,
	              json_array_size(v), n);
	return v;
}

static void null_member(const json_t *o, const char *key)
{
	ck_assert_msg(json_is_null(member(o, key)), "member %s is not null", key);
}

/* The finding with this code, or NULL. */
static json_t *finding(const json_t *root, const char *code)
{
	json_t *fs = member(root, "findings"), *fd;
	size_t i;

	json_array_foreach(fs, i, fd)
	{
		if (strcmp(str_member(fd, "code"), code) == 0)
			return fd;
	}
	return NULL;
}

/* The exchange e of step s. */
static json_t *exchange(const json_t *root, size_t s, size_t e)
{
	json_t *step = json_array_get(member(root, "steps"), s);

	ck_assert_ptr_nonnull(step);
	ck_assert_ptr_nonnull(json_array_get(member(step, "exchanges"), e));
	return json_array_get(member(step, "exchanges"), e);
}

/* Every member an address object has, in order. */
static void assert_address_keys(const json_t *a)
{
	static const char *const keys[] = {"address", "family", "ttl", "special",
	                                   "ptr",     "fcrdns", "smtp"};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		member(a, keys[i]);
	ck_assert_uint_eq(json_object_size(a), sizeof(keys) / sizeof(keys[0]));
}

/* --- mxjson_new -------------------------------------------------------------------------- */

START_TEST(test_mxjson_new_pair)
{
	struct run r;
	json_t *root, *steps, *step, *x, *addrs, *a, *recs, *rec, *fd;
	const char *keys[] = {"domain", "mode", "steps", "findings", "records", "smtp"};
	void *it;
	size_t i;

	run_plan(&r, "example.test");
	root = mxjson_new(r.plan);
	ck_assert_ptr_nonnull(root);

	/* top-level members in the documented order */
	for (i = 0, it = json_object_iter(root); it != NULL;
	     i++, it = json_object_iter_next(root, it)) {
		ck_assert_uint_lt(i, 6);
		ck_assert_str_eq(json_object_iter_key(it), keys[i]);
	}
	ck_assert_uint_eq(i, 6);

	ck_assert_str_eq(str_member(root, "domain"), "example.test.");
	ck_assert_str_eq(str_member(root, "mode"), "mx");
	steps = array_member(root, "steps", 2);

	step = json_array_get(steps, 0);
	ck_assert_int_eq(int_member(step, "step"), 1);
	ck_assert_int_eq(int_member(step, "preference"), 10);
	ck_assert(!bool_member(step, "random_order"));
	array_member(step, "exchanges", 1);
	step = json_array_get(steps, 1);
	ck_assert_int_eq(int_member(step, "step"), 2);
	ck_assert_int_eq(int_member(step, "preference"), 20);
	ck_assert(!bool_member(step, "random_order"));

	x = exchange(root, 0, 0);
	ck_assert_str_eq(str_member(x, "name"), "mx1.example.test.");
	ck_assert_int_eq(int_member(x, "preference"), 10);
	ck_assert_str_eq(str_member(x, "state"), "resolved");
	null_member(x, "alias_target");
	ck_assert(!bool_member(x, "ip_literal"));
	ck_assert_int_eq(int_member(x, "duplicates"), 0);
	addrs = array_member(x, "addresses", 2);

	/* IPv6 first (RFC 6724), then IPv4 */
	a = json_array_get(addrs, 0);
	assert_address_keys(a);
	ck_assert_str_eq(str_member(a, "address"), "2001:db8::11");
	ck_assert_int_eq(int_member(a, "family"), 6);
	ck_assert_int_eq(int_member(a, "ttl"), 3600);
	ck_assert_str_eq(str_member(a, "special"), "documentation (RFC 3849)");
	null_member(a, "ptr");
	ck_assert_str_eq(str_member(a, "fcrdns"), "no-ptr");
	null_member(a, "smtp");

	a = json_array_get(addrs, 1);
	assert_address_keys(a);
	ck_assert_str_eq(str_member(a, "address"), "198.51.100.11");
	ck_assert_int_eq(int_member(a, "family"), 4);
	ck_assert_int_eq(int_member(a, "ttl"), 3600);
	ck_assert_str_eq(str_member(a, "special"), "documentation (RFC 5737)");
	ck_assert_str_eq(str_member(a, "ptr"), "mx1.example.test.");
	ck_assert_str_eq(str_member(a, "fcrdns"), "ok");
	null_member(a, "smtp");

	x = exchange(root, 1, 0);
	ck_assert_str_eq(str_member(x, "name"), "mx2.example.test.");
	addrs = array_member(x, "addresses", 2);
	a = json_array_get(addrs, 1);
	ck_assert_str_eq(str_member(a, "address"), "198.51.100.12");
	ck_assert_int_eq(int_member(a, "ttl"), 300);
	ck_assert_str_eq(str_member(a, "ptr"), "elsewhere.example.test.");
	ck_assert_str_eq(str_member(a, "fcrdns"), "mismatch");

	/* findings: each with all five members; RFC references keep their section sign */
	fd = finding(root, "fcrdns-mismatch");
	ck_assert_ptr_nonnull(fd);
	ck_assert_str_eq(str_member(fd, "severity"), "warning");
	ck_assert_str_eq(str_member(fd, "rfc"), "RFC 8601 \xc2\xa7"
	                                        "3");
	ck_assert_str_eq(str_member(fd, "subject"), "198.51.100.12");
	ck_assert_ptr_nonnull(strstr(str_member(fd, "message"), "elsewhere.example.test."));
	ck_assert_uint_eq(json_object_size(fd), 5);
	ck_assert_ptr_nonnull(finding(root, "exchange-special-address"));
	ck_assert_ptr_null(finding(root, "no-spf"));

	recs = member(root, "records");
	ck_assert(json_is_object(recs));
	ck_assert_uint_eq(json_object_size(recs), 4);
	rec = member(recs, "SPF");
	ck_assert_str_eq(str_member(rec, "owner"), "example.test.");
	ck_assert_str_eq(str_member(rec, "rfc"), "RFC 7208");
	/* the site-verification TXT is not an SPF record */
	ck_assert_str_eq(json_string_value(json_array_get(array_member(rec, "texts", 1), 0)),
	                 "\"v=spf1 mx -all\"");
	null_member(rec, "error");
	rec = member(recs, "DMARC");
	ck_assert_str_eq(str_member(rec, "owner"), "_dmarc.example.test.");
	ck_assert_str_eq(json_string_value(json_array_get(array_member(rec, "texts", 1), 0)),
	                 "\"v=DMARC1; p=reject\"");
	rec = member(recs, "MTA-STS");
	ck_assert_str_eq(str_member(rec, "owner"), "_mta-sts.example.test.");
	array_member(rec, "texts", 0);
	null_member(rec, "error");
	rec = member(recs, "TLS-RPT");
	ck_assert_str_eq(str_member(rec, "owner"), "_smtp._tls.example.test.");
	array_member(rec, "texts", 0);

	/* no probe without --smtp */
	null_member(root, "smtp");

	json_decref(root);
	run_free(&r);
}
END_TEST

START_TEST(test_mxjson_new_group)
{
	struct run r;
	json_t *root, *step;

	run_plan(&r, "group.example.test.");
	root = mxjson_new(r.plan);
	ck_assert_ptr_nonnull(root);
	ck_assert_str_eq(str_member(root, "mode"), "mx");
	array_member(root, "steps", 2);

	step = json_array_get(member(root, "steps"), 0);
	ck_assert_int_eq(int_member(step, "preference"), 10);
	ck_assert(bool_member(step, "random_order"));
	array_member(step, "exchanges", 3);
	ck_assert_str_eq(str_member(exchange(root, 0, 0), "name"), "mxa.example.test.");
	ck_assert_str_eq(str_member(exchange(root, 0, 1), "name"), "mxb.example.test.");
	ck_assert_str_eq(str_member(exchange(root, 0, 2), "name"), "mxc.example.test.");
	ck_assert_str_eq(
	    str_member(json_array_get(array_member(exchange(root, 0, 1), "addresses", 1), 0),
	               "address"),
	    "198.51.100.22");

	step = json_array_get(member(root, "steps"), 1);
	ck_assert_int_eq(int_member(step, "step"), 2);
	ck_assert_int_eq(int_member(step, "preference"), 20);
	ck_assert(!bool_member(step, "random_order"));
	ck_assert_str_eq(str_member(exchange(root, 1, 0), "name"), "mx2.example.test.");

	json_decref(root);
	run_free(&r);
}
END_TEST

START_TEST(test_mxjson_new_null_mx)
{
	struct run r;
	json_t *root, *fd;

	run_plan(&r, "nullmx.example.test");
	root = mxjson_new(r.plan);
	ck_assert_ptr_nonnull(root);
	ck_assert_str_eq(str_member(root, "mode"), "null-mx");
	array_member(root, "steps", 0);
	fd = finding(root, "null-mx");
	ck_assert_ptr_nonnull(fd);
	ck_assert_str_eq(str_member(fd, "severity"), "info");
	ck_assert_str_eq(str_member(fd, "rfc"), "RFC 7505 \xc2\xa7"
	                                        "3");
	ck_assert_str_eq(str_member(member(member(root, "records"), "SPF"), "owner"),
	                 "nullmx.example.test.");
	null_member(root, "smtp");
	json_decref(root);
	run_free(&r);
}
END_TEST

START_TEST(test_mxjson_new_implicit)
{
	struct run r;
	json_t *root, *x;

	run_plan(&r, "implicit.example.test");
	root = mxjson_new(r.plan);
	ck_assert_ptr_nonnull(root);
	ck_assert_str_eq(str_member(root, "mode"), "implicit");
	array_member(root, "steps", 1);
	x = exchange(root, 0, 0);
	ck_assert_str_eq(str_member(x, "name"), "implicit.example.test.");
	ck_assert_int_eq(int_member(x, "preference"), 0);
	array_member(x, "addresses", 2);
	ck_assert_ptr_nonnull(finding(root, "implicit-mx"));
	json_decref(root);
	run_free(&r);
}
END_TEST

START_TEST(test_mxjson_new_nxdomain)
{
	struct run r;
	json_t *root, *x, *fd;

	/* a dangling exchange: the plan keeps it, with no address */
	run_plan(&r, "dangling.example.test");
	root = mxjson_new(r.plan);
	ck_assert_ptr_nonnull(root);
	ck_assert_str_eq(str_member(root, "mode"), "mx");
	array_member(root, "steps", 2);
	x = exchange(root, 0, 0);
	ck_assert_str_eq(str_member(x, "name"), "missing.example.test.");
	ck_assert_str_eq(str_member(x, "state"), "nxdomain");
	array_member(x, "addresses", 0);
	ck_assert_str_eq(str_member(exchange(root, 1, 0), "state"), "resolved");
	fd = finding(root, "exchange-nxdomain");
	ck_assert_ptr_nonnull(fd);
	ck_assert_str_eq(str_member(fd, "severity"), "error");
	ck_assert_str_eq(str_member(fd, "subject"), "missing.example.test.");
	/* errors come first */
	ck_assert_str_eq(str_member(json_array_get(member(root, "findings"), 0), "severity"),
	                 "error");
	json_decref(root);
	run_free(&r);

	/* the domain itself does not exist: no route */
	run_plan(&r, "nosuch.example.test");
	root = mxjson_new(r.plan);
	ck_assert_ptr_nonnull(root);
	ck_assert_str_eq(str_member(root, "mode"), "none");
	array_member(root, "steps", 0);
	fd = finding(root, "domain-nxdomain");
	ck_assert_ptr_nonnull(fd);
	ck_assert_str_eq(str_member(fd, "severity"), "error");
	json_decref(root);
	run_free(&r);
}
END_TEST

START_TEST(test_mxjson_new_alias)
{
	struct run r;
	json_t *root, *x;

	run_plan(&r, "cname-mx.example.test");
	root = mxjson_new(r.plan);
	ck_assert_ptr_nonnull(root);
	x = exchange(root, 0, 0);
	ck_assert_str_eq(str_member(x, "name"), "alias.example.test.");
	ck_assert_str_eq(str_member(x, "alias_target"), "mx1.example.test.");
	ck_assert_str_eq(str_member(x, "state"), "resolved");
	array_member(x, "addresses", 2);
	ck_assert_ptr_nonnull(finding(root, "exchange-cname"));
	json_decref(root);
	run_free(&r);
}
END_TEST

/* --- mxjson_print ------------------------------------------------------------------------ */

START_TEST(test_mxjson_print)
{
	static const char *const domains[] = {"example.test",          "group.example.test",
	                                      "nullmx.example.test",   "implicit.example.test",
	                                      "dangling.example.test", "nosuch.example.test",
	                                      "hostile.example.test"};
	size_t d;

	for (d = 0; d < sizeof(domains) / sizeof(domains[0]); d++) {
		struct run r;
		struct tu_capture c;
		json_t *back, *built;
		json_error_t err;

		run_plan(&r, domains[d]);
		tu_capture_open(&c);
		ck_assert_int_eq(mxjson_print(c.f, r.plan), 0);
		tu_capture_close(&c);
		/* pure ASCII (JSON_ENSURE_ASCII writes the section sign as \u00A7), indented */
		ck_assert_msg(c.len > 0 && c.buf[c.len - 1] == '\n', "no final newline");
		for (size_t i = 0; i < c.len; i++)
			ck_assert_msg(
			    ((unsigned char)c.buf[i] >= 0x20 && (unsigned char)c.buf[i] <= 0x7e) ||
			        c.buf[i] == '\n',
			    "byte 0x%02x at %zu", (unsigned char)c.buf[i], i);
		ck_assert_ptr_nonnull(strcasestr(c.buf, "\\u00a7"));
		ck_assert_ptr_nonnull(strstr(c.buf, "\n  \"domain\": "));
		back = json_loads(c.buf, 0, &err);
		ck_assert_msg(back != NULL, "%s: %s", domains[d], err.text);
		built = mxjson_new(r.plan);
		ck_assert(json_equal(back, built));
		json_decref(back);
		json_decref(built);
		free(c.buf);
		run_free(&r);
	}
}
END_TEST

/* --- mxtext_print ------------------------------------------------------------------------ */

START_TEST(test_mxtext_print_pair)
{
	struct run r;
	char *t;

	run_plan(&r, "example.test");
	t = text_of(r.plan);
	ck_assert_msg(strncmp(t, ";; MX failover plan for example.test. (mode: mx)\n", 49) == 0,
	              "%s", t);
	assert_line(t, ";; A sender tries these in order (RFC 5321 \xc2\xa7"
	               "5.1):");
	assert_line(t, "step 1  pref 10  mx1.example.test.");
	assert_line(t, "                 2001:db8::11     TTL 3600  PTR - (none)  "
	               "special-purpose: documentation (RFC 3849)");
	assert_line(t, "                 198.51.100.11    TTL 3600  PTR mx1.example.test. (ok)  "
	               "special-purpose: documentation (RFC 5737)");
	assert_line(t, "step 2  pref 20  mx2.example.test.");
	assert_line(t, "                 198.51.100.12    TTL 300   PTR elsewhere.example.test. "
	               "(mismatch)  special-purpose: documentation (RFC 5737)");
	/* step 1 comes before step 2 */
	assert_before(t, "step 1 ", "step 2 ");

	assert_line(t, ";; FINDINGS");
	assert_line_starts(t, "warning  fcrdns-mismatch ");
	ck_assert_ptr_nonnull(strstr(t, "(RFC 8601 \xc2\xa7"
	                                "3)\n"));
	assert_line(t, ";; MAIL RECORDS");
	assert_line(t, "SPF      example.test.             \"v=spf1 mx -all\"");
	assert_line(t, "DMARC    _dmarc.example.test.      \"v=DMARC1; p=reject\"");
	assert_line(t, "MTA-STS  _mta-sts.example.test.    (none)");
	assert_line(t, "TLS-RPT  _smtp._tls.example.test.  (none)");
	/* no SMTP section without a probe */
	ck_assert_ptr_null(strstr(t, ";; SMTP"));
	free(t);
	run_free(&r);
}
END_TEST

START_TEST(test_mxtext_print_group)
{
	struct run r;
	char *t;

	run_plan(&r, "group.example.test");
	t = text_of(r.plan);
	assert_line(t, "step 1  pref 10  any order: mxa.example.test., mxb.example.test., "
	               "mxc.example.test.");
	assert_line(t, "        (group)  mxa.example.test.");
	assert_line(t, "        (group)  mxb.example.test.");
	assert_line(t, "        (group)  mxc.example.test.");
	assert_line_starts(t, "                 198.51.100.22    TTL 3600  PTR - (none)");
	assert_line(t, "step 2  pref 20  mx2.example.test.");
	assert_before(t, "(group)  mxc.example.test.", "step 2 ");
	free(t);
	run_free(&r);
}
END_TEST

START_TEST(test_mxtext_print_null_mx)
{
	struct run r;
	char *t;

	run_plan(&r, "nullmx.example.test");
	t = text_of(r.plan);
	assert_line(t, ";; MX failover plan for nullmx.example.test. (mode: null-mx)");
	assert_line(t, ";; this domain accepts no mail (null MX, RFC 7505)");
	ck_assert_ptr_null(strstr(t, "step 1"));
	assert_line_starts(t, "info     null-mx ");
	free(t);
	run_free(&r);
}
END_TEST

START_TEST(test_mxtext_print_implicit)
{
	struct run r;
	char *t;

	run_plan(&r, "implicit.example.test");
	t = text_of(r.plan);
	assert_line(t, ";; no MX records: mail goes to the domain's own address (implicit MX, "
	               "RFC 5321 \xc2\xa7"
	               "5.1)");
	assert_line(t, "step 1  pref 0  implicit.example.test.");
	assert_line_starts(t, "                2001:db8::30     TTL 3600  PTR -");
	free(t);
	run_free(&r);
}
END_TEST

START_TEST(test_mxtext_print_nxdomain)
{
	struct run r;
	char *t;

	run_plan(&r, "dangling.example.test");
	t = text_of(r.plan);
	assert_line(t, "step 1  pref 10  missing.example.test.  does not exist");
	assert_line(t, "step 2  pref 20  mx1.example.test.");
	/* the message names the exchange already: no "subject: " in front of it */
	assert_line_starts(t, "error    exchange-nxdomain ");
	ck_assert_ptr_nonnull(strstr(t, "  exchange missing.example.test. does not exist "
	                                "(NXDOMAIN)  (RFC 5321 \xc2\xa7"
	                                "5.1)\n"));
	ck_assert_ptr_null(strstr(t, "missing.example.test.: "));
	free(t);
	run_free(&r);

	run_plan(&r, "nosuch.example.test");
	t = text_of(r.plan);
	assert_line(t, ";; MX failover plan for nosuch.example.test. (mode: none)");
	assert_line(t, ";; no mail route");
	assert_line_starts(t, "error    domain-nxdomain ");
	free(t);
	run_free(&r);
}
END_TEST

START_TEST(test_mxtext_print_alias)
{
	struct run r;
	char *t;

	run_plan(&r, "cname-mx.example.test");
	t = text_of(r.plan);
	assert_line(t, "step 1  pref 10  alias.example.test.  (alias for mx1.example.test.)");
	free(t);
	run_free(&r);
}
END_TEST

START_TEST(test_mxtext_print_hostile)
{
	struct run r;
	char *t;

	/* text_of() fails on any raw control or non-ASCII byte */
	run_plan(&r, "hostile.example.test");
	t = text_of(r.plan);
	assert_line(t, "SPF      hostile.example.test.             "
	               "\"v=spf1 \\027[31mred\\007 \\195\\169 -all\"");
	free(t);
	run_free(&r);
}
END_TEST

/* --- the SMTP probe, rendered ------------------------------------------------------------ */

/* A scripted SMTP server on 127.0.0.1: greeting, an EHLO answer with STARTTLS, QUIT. */
struct smtpd {
	struct event_base *base;
	struct evconnlistener *lsn;
	uint16_t port;
	struct bufferevent *conns[4]; /* open connections, freed at the end (no leak) */
};

static void smtpd_read(struct bufferevent *bev, void *arg)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	struct evbuffer *out = bufferevent_get_output(bev);
	char *line;

	(void)arg;
	while ((line = evbuffer_readln(in, NULL, EVBUFFER_EOL_CRLF)) != NULL) {
		if (strncmp(line, "EHLO ", 5) == 0)
			evbuffer_add_printf(out, "250-probe2.example.test\r\n250-PIPELINING\r\n"
			                         "250 STARTTLS\r\n");
		else if (strcmp(line, "QUIT") == 0)
			evbuffer_add_printf(out, "221 bye\r\n");
		else
			evbuffer_add_printf(out, "502 not here\r\n");
		free(line);
	}
}

static void smtpd_event(struct bufferevent *bev, short what, void *arg)
{
	struct smtpd *d = arg;
	size_t i;

	if (!(what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)))
		return;
	for (i = 0; i < 4; i++)
		if (d->conns[i] == bev)
			d->conns[i] = NULL;
	bufferevent_free(bev);
}

static void smtpd_accept(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
                         int salen, void *arg)
{
	struct smtpd *d = arg;
	struct bufferevent *bev = bufferevent_socket_new(d->base, fd, BEV_OPT_CLOSE_ON_FREE);
	size_t i;

	(void)l;
	(void)sa;
	(void)salen;
	ck_assert_ptr_nonnull(bev);
	for (i = 0; i < 4 && d->conns[i] != NULL; i++)
		;
	ck_assert_uint_lt(i, 4);
	d->conns[i] = bev;
	bufferevent_setcb(bev, smtpd_read, NULL, smtpd_event, d);
	bufferevent_enable(bev, EV_READ | EV_WRITE);
	evbuffer_add_printf(bufferevent_get_output(bev), "220 probe2.example.test ESMTP ready\r\n");
}

static void smtpd_start(struct smtpd *d, struct event_base *base)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	memset(d, 0, sizeof(*d));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	d->base = base;
	d->lsn = evconnlistener_new_bind(base, smtpd_accept, d,
	                                 LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, 8,
	                                 (struct sockaddr *)&sin, sizeof(sin));
	ck_assert_ptr_nonnull(d->lsn);
	ck_assert_int_eq(getsockname(evconnlistener_get_fd(d->lsn), (struct sockaddr *)&sin, &len),
	                 0);
	d->port = ntohs(sin.sin_port);
}

/* Stop the loop once the plan (probes included) is done. */
static void plan_changed(struct mxplan *p, void *arg)
{
	if (mxplan_done(p))
		event_base_loopbreak(arg);
}

/* Run the smtp.example.test plan with the probe on: probe1 (127.0.0.2) is refused, probe2
 * (127.0.0.1) is the scripted server. */
static void run_smtp_plan(struct run *r, struct smtpd *d, struct event_base **basep)
{
	struct event_base *base = event_base_new();
	struct mxplan_opts o;
	struct timeval limit = {10, 0};

	ck_assert_ptr_nonnull(base);
	smtpd_start(d, base);
	mxplan_opts_init(&o);
	o.smtp = true;
	o.smtp_port = d->port;
	o.smtp_timeout_ms = 3000;
	r->ask = ask_new_fake(zone_answer, NULL);
	ck_assert_ptr_nonnull(r->ask);
	r->plan = mxplan_new(r->ask, base, "smtp.example.test", &o, plan_changed, base);
	ck_assert_ptr_nonnull(r->plan);
	ask_fake_pump(r->ask);
	if (!mxplan_done(r->plan)) {
		event_base_loopexit(base, &limit); /* a hard stop should a probe hang */
		event_base_dispatch(base);
	}
	ck_assert(mxplan_done(r->plan));
	*basep = base;
}

static void smtp_plan_free(struct run *r, struct smtpd *d, struct event_base *base)
{
	size_t i;

	run_free(r);
	for (i = 0; i < 4; i++)
		if (d->conns[i] != NULL)
			bufferevent_free(d->conns[i]);
	evconnlistener_free(d->lsn);
	event_base_free(base);
}

START_TEST(test_mxjson_new_smtp)
{
	struct run r;
	struct smtpd d;
	struct event_base *base;
	json_t *root, *s, *v;

	run_smtp_plan(&r, &d, &base);
	root = mxjson_new(r.plan);
	ck_assert_ptr_nonnull(root);

	s = member(json_array_get(array_member(exchange(root, 0, 0), "addresses", 1), 0), "smtp");
	ck_assert(json_is_object(s));
	ck_assert_str_eq(str_member(s, "status"), "refused");
	null_member(s, "greeting_code");
	null_member(s, "banner");
	array_member(s, "extensions", 0);
	ck_assert(!bool_member(s, "starttls"));

	s = member(json_array_get(array_member(exchange(root, 1, 0), "addresses", 1), 0), "smtp");
	ck_assert(json_is_object(s));
	ck_assert_str_eq(str_member(s, "status"), "reachable");
	ck_assert(json_is_real(member(s, "connect_ms")));
	ck_assert(json_real_value(member(s, "connect_ms")) >= 0);
	ck_assert(json_is_real(member(s, "total_ms")));
	ck_assert_int_eq(int_member(s, "greeting_code"), 220);
	ck_assert_str_eq(str_member(s, "banner"), "probe2.example.test ESMTP ready");
	ck_assert_int_eq(int_member(s, "ehlo_code"), 250);
	ck_assert_str_eq(json_string_value(json_array_get(array_member(s, "extensions", 2), 1)),
	                 "STARTTLS");
	ck_assert(bool_member(s, "starttls"));

	v = member(root, "smtp");
	ck_assert(json_is_object(v));
	ck_assert_str_eq(str_member(v, "first_reachable"), "probe2.example.test.");
	ck_assert_str_eq(str_member(v, "address"), "127.0.0.1");
	ck_assert_ptr_nonnull(strstr(str_member(v, "summary"), "probe2.example.test."));

	json_decref(root);
	smtp_plan_free(&r, &d, base);
}
END_TEST

START_TEST(test_mxtext_print_smtp)
{
	struct run r;
	struct smtpd d;
	struct event_base *base;
	char *t;

	run_smtp_plan(&r, &d, &base);
	t = text_of(r.plan);
	assert_line(t, ";; SMTP");
	assert_line_starts(t, "probe1.example.test.  127.0.0.2        refused  after ");
	assert_line_starts(t, "probe2.example.test.  127.0.0.1        reachable  connect ");
	ck_assert_ptr_nonnull(strstr(t, "  220 \"probe2.example.test ESMTP ready\"  EHLO 250  "
	                                "STARTTLS yes\n"));
	assert_line_starts(t, ";; first reachable: probe2.example.test. (pref 20) at 127.0.0.1");
	assert_before(t, ";; MAIL RECORDS", ";; SMTP");
	free(t);
	smtp_plan_free(&r, &d, base);
}
END_TEST

Suite *suite_mxout(void)
{
	Suite *s = suite_create("mxout");
	TCase *tc = tcase_create("mxjson_new");

	tcase_add_test(tc, test_mxjson_new_pair);
	tcase_add_test(tc, test_mxjson_new_group);
	tcase_add_test(tc, test_mxjson_new_null_mx);
	tcase_add_test(tc, test_mxjson_new_implicit);
	tcase_add_test(tc, test_mxjson_new_nxdomain);
	tcase_add_test(tc, test_mxjson_new_alias);
	tcase_add_test(tc, test_mxjson_new_smtp);
	suite_add_tcase(s, tc);

	tc = tcase_create("mxjson_print");
	tcase_add_test(tc, test_mxjson_print);
	suite_add_tcase(s, tc);

	tc = tcase_create("mxtext_print");
	tcase_add_test(tc, test_mxtext_print_pair);
	tcase_add_test(tc, test_mxtext_print_group);
	tcase_add_test(tc, test_mxtext_print_null_mx);
	tcase_add_test(tc, test_mxtext_print_implicit);
	tcase_add_test(tc, test_mxtext_print_nxdomain);
	tcase_add_test(tc, test_mxtext_print_alias);
	tcase_add_test(tc, test_mxtext_print_hostile);
	tcase_add_test(tc, test_mxtext_print_smtp);
	suite_add_tcase(s, tc);
	return s;
}
