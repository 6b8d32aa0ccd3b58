/*
 * check_mxplan.c -- the MX failover plan on canned replies (a fake asker answers from a
 * table): every case of RFC 5321 §5.1 / RFC 7505 and every finding the plan names.
 */
#include "config.h"
#include "tests.h"
#include "engine/mxplan.h"

#include <stdlib.h>
#include <string.h>

/* One canned answer: rcode and answer RRs for (name, type); timeout = no reply. */
struct canned {
	const char *name;
	ldns_rr_type type;
	ldns_pkt_rcode rcode;
	const char *rrs[6];
	bool timeout;
};

static const struct canned *table;

/* Anything not in the table is NODATA. */
static struct net_result *fake(const struct query_spec *q, void *arg)
{
	for (const struct canned *c = table; c->name; c++) {
		ldns_rdf *n = ldns_dname_new_frm_str(c->name);
		bool hit = ldns_dname_compare(n, q->qname) == 0 && c->type == q->qtype;

		ldns_rdf_deep_free(n);
		if (!hit)
			continue;
		if (c->timeout)
			return tu_result(NET_TIMEOUT, NULL, 0);
		size_t len;
		uint8_t *w = tu_reply_wire(c->name, c->type, 1, c->rcode, c->rrs, &len);
		return tu_result(NET_OK, w, len);
	}
	char *name = ldns_rdf2str(q->qname);
	size_t len;
	uint8_t *w = tu_reply_wire(name, q->qtype, 1, LDNS_RCODE_NOERROR, NULL, &len);
	free(name);
	return tu_result(NET_OK, w, len);
}

static struct ask *ask;

static struct mxplan *plan(const struct canned *t, const char *domain)
{
	struct mxplan *p;

	table = t;
	ask = ask_new_fake(fake, NULL);
	ck_assert_ptr_nonnull(ask);
	p = mxplan_new(ask, NULL, domain, NULL, NULL, NULL);
	ck_assert_ptr_nonnull(p);
	ck_assert(!mxplan_done(p));
	ck_assert_uint_gt(ask_fake_pump(ask), 0);
	ck_assert(mxplan_done(p));
	return p;
}

static void done(struct mxplan *p)
{
	mxplan_free(p);
	ask_free(ask);
}

static const struct mx_finding *finding(const struct mxplan *p, const char *code)
{
	for (size_t i = 0; i < mxplan_nfindings(p); i++)
		if (strcmp(mxplan_finding(p, i)->code, code) == 0)
			return mxplan_finding(p, i);
	return NULL;
}

#define MX(pref, ex) "example.test. 300 IN MX " #pref " " ex

static const struct canned pair[] = {
    {.name = "example.test",
     .type = LDNS_RR_TYPE_MX,
     .rcode = 0,
     .rrs = {MX(20, "mx2.example.test."), MX(10, "mx1.example.test.")}},
    {.name = "mx1.example.test",
     .type = LDNS_RR_TYPE_A,
     .rcode = 0,
     .rrs = {"mx1.example.test. 600 IN A 203.0.113.11"}},
    {.name = "mx1.example.test",
     .type = LDNS_RR_TYPE_AAAA,
     .rcode = 0,
     .rrs = {"mx1.example.test. 700 IN AAAA 2001:db8::11"}},
    {.name = "mx2.example.test",
     .type = LDNS_RR_TYPE_A,
     .rcode = 0,
     .rrs = {"mx2.example.test. 600 IN A 203.0.113.12"}},
    {.name = "example.test",
     .type = LDNS_RR_TYPE_TXT,
     .rcode = 0,
     .rrs = {"example.test. 300 IN TXT \"v=spf1 mx -all\"", "example.test. 300 IN TXT \"hello\""}},
    {.name = "_dmarc.example.test",
     .type = LDNS_RR_TYPE_TXT,
     .rcode = 0,
     .rrs = {"_dmarc.example.test. 300 IN TXT \"v=DMARC1; p=reject\""}},
    {.name = "11.113.0.203.in-addr.arpa",
     .type = LDNS_RR_TYPE_PTR,
     .rcode = 0,
     .rrs = {"11.113.0.203.in-addr.arpa. 300 IN PTR mx1.example.test."}},
    {.name = "12.113.0.203.in-addr.arpa",
     .type = LDNS_RR_TYPE_PTR,
     .rcode = 0,
     .rrs = {"12.113.0.203.in-addr.arpa. 300 IN PTR elsewhere.example.test."}},
    {.name = NULL},
};

START_TEST(mxplan_new_pair)
{
	struct mxplan *p = plan(pair, "example.test");
	const struct mx_exchange *x;

	ck_assert_int_eq(mxplan_mode(p), MX_MODE_MX);
	ck_assert_str_eq(mxplan_mode_str(mxplan_mode(p)), "mx");
	ck_assert_str_eq(mxplan_domain(p), "example.test.");
	ck_assert_uint_eq(mxplan_nsteps(p), 2);
	ck_assert_uint_eq(mxplan_step(p, 0)->preference, 10);
	ck_assert_uint_eq(mxplan_step(p, 0)->count, 1);
	ck_assert_uint_eq(mxplan_step(p, 1)->preference, 20);
	x = mxplan_exchange(p, 0);
	ck_assert_str_eq(x->name, "mx1.example.test.");
	ck_assert_int_eq(x->state, MX_X_RESOLVED);
	ck_assert_uint_eq(x->naddrs, 2);
	ck_assert_str_eq(x->addrs[0].text, "2001:db8::11"); /* IPv6 first */
	ck_assert_uint_eq(x->addrs[0].ttl, 700);
	ck_assert(x->addrs[0].special); /* documentation prefix */
	ck_assert_str_eq(x->addrs[1].text, "203.0.113.11");
	/* PTR mx1 -> back to 203.0.113.11: confirmed; mx2's PTR points elsewhere */
	ck_assert_int_eq(x->addrs[1].fcrdns, MX_FCRDNS_OK);
	ck_assert_str_eq(x->addrs[1].ptr, "mx1.example.test.");
	ck_assert_int_eq(x->addrs[0].fcrdns, MX_FCRDNS_NO_PTR);
	ck_assert_int_eq(mxplan_exchange(p, 1)->addrs[0].fcrdns, MX_FCRDNS_MISMATCH);
	ck_assert_ptr_nonnull(finding(p, "fcrdns-mismatch"));
	ck_assert_ptr_nonnull(finding(p, "same-network"));
	ck_assert_ptr_nonnull(finding(p, "exchange-special-address"));
	ck_assert_ptr_null(finding(p, "single-mx"));
	/* records: one SPF (the non-SPF TXT filtered out), one DMARC, no MTA-STS */
	ck_assert_str_eq(mxplan_record(p, 0)->kind, "SPF");
	ck_assert_uint_eq(mxplan_record(p, 0)->ntexts, 1);
	ck_assert_str_eq(mxplan_record(p, 0)->texts[0], "\"v=spf1 mx -all\"");
	ck_assert_str_eq(mxplan_record(p, 1)->owner, "_dmarc.example.test.");
	ck_assert_uint_eq(mxplan_record(p, 1)->ntexts, 1);
	ck_assert_uint_eq(mxplan_record(p, 2)->ntexts, 0);
	ck_assert_str_eq(mxplan_record(p, 3)->owner, "_smtp._tls.example.test.");
	ck_assert_ptr_null(finding(p, "no-spf"));
	/* errors come before warnings before infos */
	for (size_t i = 1; i < mxplan_nfindings(p); i++)
		ck_assert_int_ge(mxplan_finding(p, i - 1)->severity,
		                 mxplan_finding(p, i)->severity);
	done(p);
}
END_TEST

static const struct canned group[] = {
    {.name = "example.test",
     .type = LDNS_RR_TYPE_MX,
     .rcode = 0,
     .rrs = {MX(10, "mxc.example.test."), MX(20, "backup.example.test."),
             MX(10, "mxa.example.test."), MX(10, "mxb.example.test.")}},
    {.name = "mxa.example.test",
     .type = LDNS_RR_TYPE_A,
     .rcode = 0,
     .rrs = {"mxa.example.test. 300 IN A 198.51.100.21"}},
    {.name = "mxb.example.test",
     .type = LDNS_RR_TYPE_A,
     .rcode = 0,
     .rrs = {"mxb.example.test. 300 IN A 203.0.113.22"}},
    {.name = "mxc.example.test",
     .type = LDNS_RR_TYPE_A,
     .rcode = 0,
     .rrs = {"mxc.example.test. 300 IN A 198.51.100.23"}},
    {.name = "backup.example.test",
     .type = LDNS_RR_TYPE_A,
     .rcode = 0,
     .rrs = {"backup.example.test. 300 IN A 198.51.100.9"}},
    {.name = NULL},
};

START_TEST(mxplan_new_equal_group)
{
	struct mxplan *p = plan(group, "example.test");

	ck_assert_uint_eq(mxplan_nsteps(p), 2);
	ck_assert_uint_eq(mxplan_step(p, 0)->preference, 10);
	ck_assert_uint_eq(mxplan_step(p, 0)->count, 3); /* one step, random order */
	ck_assert_uint_eq(mxplan_step(p, 1)->first, 3);
	ck_assert_str_eq(mxplan_exchange(p, 0)->name, "mxa.example.test.");
	ck_assert_str_eq(mxplan_exchange(p, 3)->name, "backup.example.test.");
	ck_assert_ptr_null(finding(p, "same-network")); /* two different /24s */
	ck_assert_ptr_nonnull(finding(p, "no-spf"));
	ck_assert_ptr_nonnull(finding(p, "no-dmarc"));
	done(p);
}
END_TEST

static const struct canned nullmx[] = {
    {.name = "nullmx.example.test",
     .type = LDNS_RR_TYPE_MX,
     .rcode = 0,
     .rrs = {"nullmx.example.test. 300 IN MX 0 ."}},
    {.name = NULL},
};

static const struct canned nullmixed[] = {
    {.name = "example.test",
     .type = LDNS_RR_TYPE_MX,
     .rcode = 0,
     .rrs = {MX(0, "."), MX(10, "mx1.example.test.")}},
    {.name = "mx1.example.test",
     .type = LDNS_RR_TYPE_A,
     .rcode = 0,
     .rrs = {"mx1.example.test. 300 IN A 198.51.100.11"}},
    {.name = NULL},
};

START_TEST(mxplan_new_null_mx)
{
	struct mxplan *p = plan(nullmx, "nullmx.example.test");

	ck_assert_int_eq(mxplan_mode(p), MX_MODE_NULL);
	ck_assert_str_eq(mxplan_mode_str(mxplan_mode(p)), "null-mx");
	ck_assert_uint_eq(mxplan_nsteps(p), 0);
	ck_assert_uint_eq(mxplan_nexchanges(p), 0);
	ck_assert_str_eq(finding(p, "null-mx")->rfc, "RFC 7505 §3");
	done(p);

	p = plan(nullmixed, "example.test");
	ck_assert_int_eq(mxplan_mode(p), MX_MODE_MX);
	ck_assert_int_eq(finding(p, "null-mx-mixed")->severity, MX_SEV_ERROR);
	ck_assert_uint_eq(mxplan_nexchanges(p), 1); /* the null MX is left out */
	ck_assert_str_eq(mxplan_exchange(p, 0)->name, "mx1.example.test.");
	ck_assert_ptr_nonnull(finding(p, "single-mx"));
	done(p);
}
END_TEST

static const struct canned nxdomain[] = {
    {.name = "gone.test", .type = LDNS_RR_TYPE_MX, .rcode = LDNS_RCODE_NXDOMAIN, .rrs = {NULL}},
    {.name = NULL},
};

static const struct canned timeout[] = {
    {.name = "slow.test", .type = LDNS_RR_TYPE_MX, .timeout = true},
    {.name = NULL},
};

START_TEST(mxplan_new_no_domain)
{
	struct mxplan *p = plan(nxdomain, "gone.test");

	ck_assert_int_eq(mxplan_mode(p), MX_MODE_NONE);
	ck_assert_int_eq(finding(p, "domain-nxdomain")->severity, MX_SEV_ERROR);
	ck_assert_ptr_nonnull(strstr(finding(p, "domain-nxdomain")->message, "does not exist"));
	done(p);
	p = plan(timeout, "slow.test");
	ck_assert_int_eq(mxplan_mode(p), MX_MODE_NONE);
	ck_assert_ptr_nonnull(strstr(finding(p, "mx-lookup-failed")->message, "timed out"));
	done(p);
}
END_TEST

static const struct canned implicit[] = {
    {.name = "implicit.example.test",
     .type = LDNS_RR_TYPE_A,
     .rcode = 0,
     .rrs = {"implicit.example.test. 300 IN A 203.0.113.25"}},
    {.name = NULL},
};

static const struct canned noroute[] = {{.name = NULL}};

START_TEST(mxplan_new_implicit)
{
	struct mxplan *p = plan(implicit, "implicit.example.test");

	ck_assert_int_eq(mxplan_mode(p), MX_MODE_IMPLICIT);
	ck_assert_uint_eq(mxplan_nsteps(p), 1);
	ck_assert_uint_eq(mxplan_exchange(p, 0)->preference, 0);
	ck_assert_str_eq(mxplan_exchange(p, 0)->name, "implicit.example.test.");
	ck_assert_str_eq(mxplan_exchange(p, 0)->addrs[0].text, "203.0.113.25");
	ck_assert_ptr_nonnull(finding(p, "implicit-mx"));
	done(p);
	p = plan(noroute, "bare.example.test");
	ck_assert_int_eq(mxplan_mode(p), MX_MODE_NONE);
	ck_assert_uint_eq(mxplan_nsteps(p), 0);
	ck_assert_int_eq(finding(p, "no-mail-route")->severity, MX_SEV_ERROR);
	done(p);
}
END_TEST

static const struct canned bad[] = {
    {.name = "example.test",
     .type = LDNS_RR_TYPE_MX,
     .rcode = 0,
     .rrs = {MX(10, "alias.example.test."), MX(20, "missing.example.test."),
             MX(30, "noaddr.example.test."), MX(40, "198.51.100.7."),
             MX(50, "alias.example.test.")}},
    {.name = "alias.example.test",
     .type = LDNS_RR_TYPE_A,
     .rcode = 0,
     .rrs = {"alias.example.test. 300 IN CNAME mx1.example.test.",
             "mx1.example.test. 300 IN A 198.51.100.11"}},
    {.name = "missing.example.test",
     .type = LDNS_RR_TYPE_A,
     .rcode = LDNS_RCODE_NXDOMAIN,
     .rrs = {NULL}},
    {.name = "missing.example.test",
     .type = LDNS_RR_TYPE_AAAA,
     .rcode = LDNS_RCODE_NXDOMAIN,
     .rrs = {NULL}},
    {.name = "198.51.100.7", .type = LDNS_RR_TYPE_A, .rcode = LDNS_RCODE_NXDOMAIN, .rrs = {NULL}},
    {.name = "198.51.100.7",
     .type = LDNS_RR_TYPE_AAAA,
     .rcode = LDNS_RCODE_NXDOMAIN,
     .rrs = {NULL}},
    {.name = "example.test",
     .type = LDNS_RR_TYPE_TXT,
     .rcode = 0,
     .rrs = {"example.test. 300 IN TXT \"v=spf1 mx -all\"",
             "example.test. 300 IN TXT \"V=SPF1 a -all\""}},
    {.name = NULL},
};

START_TEST(mxplan_new_misconfigurations)
{
	struct mxplan *p = plan(bad, "example.test");
	const struct mx_finding *f;

	ck_assert_uint_eq(mxplan_nexchanges(p), 4); /* alias named twice: collapsed */
	ck_assert_uint_eq(mxplan_exchange(p, 0)->duplicates, 1);
	ck_assert_ptr_nonnull(finding(p, "duplicate-exchange"));
	f = finding(p, "exchange-cname");
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->subject, "alias.example.test.");
	ck_assert_str_eq(f->rfc, "RFC 2181 §10.3, RFC 5321 §5.1");
	ck_assert_ptr_nonnull(f->explanation);
	ck_assert_str_eq(mxplan_exchange(p, 0)->alias_target, "mx1.example.test.");
	ck_assert_int_eq(mxplan_exchange(p, 0)->state, MX_X_RESOLVED);
	ck_assert_int_eq(mxplan_exchange(p, 1)->state, MX_X_NXDOMAIN);
	ck_assert_str_eq(finding(p, "exchange-nxdomain")->subject, "missing.example.test.");
	ck_assert_int_eq(mxplan_exchange(p, 2)->state, MX_X_NODATA);
	ck_assert_ptr_nonnull(finding(p, "exchange-nodata"));
	ck_assert(mxplan_exchange(p, 3)->ip_literal);
	ck_assert_int_eq(finding(p, "exchange-ip-literal")->severity, MX_SEV_ERROR);
	ck_assert_int_eq(finding(p, "spf-multiple")->severity, MX_SEV_ERROR);
	ck_assert_str_eq(finding(p, "spf-multiple")->rfc, "RFC 7208 §4.5");
	ck_assert_uint_eq(mxplan_record(p, 0)->ntexts, 2);
	done(p);
}
END_TEST

START_TEST(mxplan_domain_of_addresses)
{
	char err[128], *d;

	d = mxplan_domain_of("user@example.test", err, sizeof(err));
	ck_assert_str_eq(d, "example.test");
	free(d);
	d = mxplan_domain_of("example.test", err, sizeof(err));
	ck_assert_str_eq(d, "example.test");
	free(d);
	ck_assert_ptr_null(mxplan_domain_of("@example.test", err, sizeof(err)));
	ck_assert_ptr_null(mxplan_domain_of("user@", err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "no domain"));
}
END_TEST

START_TEST(mxplan_free_cancels_pending)
{
	struct mxplan *p;

	table = pair;
	ask = ask_new_fake(fake, NULL);
	p = mxplan_new(ask, NULL, "example.test", NULL, NULL, NULL);
	ck_assert(!mxplan_done(p));
	mxplan_free(p); /* five questions outstanding: all cancelled, nothing leaks */
	ck_assert_uint_eq(ask_fake_pump(ask), 0);
	ask_free(ask);
}
END_TEST

Suite *suite_mxplan(void)
{
	Suite *s = suite_create("mxplan");
	TCase *tc = tcase_create("mxplan_new");

	tcase_add_test(tc, mxplan_new_pair);
	tcase_add_test(tc, mxplan_new_equal_group);
	tcase_add_test(tc, mxplan_new_null_mx);
	tcase_add_test(tc, mxplan_new_no_domain);
	tcase_add_test(tc, mxplan_new_implicit);
	tcase_add_test(tc, mxplan_new_misconfigurations);
	tcase_add_test(tc, mxplan_free_cancels_pending);
	suite_add_tcase(s, tc);
	tc = tcase_create("mxplan_domain_of");
	tcase_add_test(tc, mxplan_domain_of_addresses);
	suite_add_tcase(s, tc);
	return s;
}
