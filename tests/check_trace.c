/*
 * check_trace.c -- the trace job driven through its test seam (trace_pending/trace_deliver)
 * by a fake DNS: a table of canned replies per server address and question, built with ldns.
 * Covers the plain trace, lame and failing servers skipped, every server of a cut failing,
 * glueless NS names resolved by a side trace, referral and CNAME loops, bad referrals, the
 * query limit, root hints files and the text and JSON renderings. Nothing is sent anywhere.
 */
#include "config.h"
#include "tests.h"
#include "engine/args.h"
#include "engine/trace.h"
#include "net/server.h"
#include "out/tracejson.h"
#include "out/tracetext.h"

#include <event2/event.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One canned reply: to a question sent to addr about qname ("*.zone." = at or below zone)
 * and qtype (0 = any type). A status other than NET_OK sends no message. */
struct rule {
	const char *addr;
	const char *qname;
	ldns_rr_type qtype;
	int status;
	ldns_pkt_rcode rcode;
	bool aa;
	const char *const *an, *const *ns, *const *ar;
};

/* The lab's shape: root a.root-servers.invalid. (.100), TLD test. at ns1.nic.test. (.101). */
static const char *const root_ns[] = {". 86400 IN NS a.root-servers.invalid.", NULL};
static const char *const root_glue[] = {"a.root-servers.invalid. 86400 IN A 127.0.53.100", NULL};
static const char *const test_ns[] = {"test. 86400 IN NS ns1.nic.test.", NULL};
static const char *const test_glue[] = {"ns1.nic.test. 86400 IN A 127.0.53.101", NULL};
static const char *const mx_answer[] = {"example.test. 3600 IN MX 10 mx1.example.test.", NULL};
static const char *const soa[] = {
    "example.test. 300 IN SOA ns1.example.test. h.example.test. 2026112101 1 1 1 300", NULL};

#define ROOT_RULES                                                                                 \
	{"127.0.53.100", ".",  LDNS_RR_TYPE_NS, NET_OK, LDNS_RCODE_NOERROR, true,                  \
	 root_ns,        NULL, root_glue},                                                         \
	{                                                                                          \
		"127.0.53.100", "*.test.", 0, NET_OK, LDNS_RCODE_NOERROR, false, NULL, test_ns,    \
		    test_glue                                                                      \
	}

static bool rule_matches(const struct rule *r, const char *addr, const struct query_spec *q)
{
	ldns_rdf *name;
	bool ok;

	if (strcmp(r->addr, addr) != 0 || (r->qtype != 0 && r->qtype != q->qtype))
		return false;
	if (strncmp(r->qname, "*.", 2) == 0) {
		name = ldns_dname_new_frm_str(r->qname[2] ? r->qname + 2 : ".");
		ck_assert_ptr_nonnull(name);
		ok = ldns_dname_compare(q->qname, name) == 0 ||
		     ldns_dname_is_subdomain(q->qname, name);
	} else {
		name = ldns_dname_new_frm_str(r->qname);
		ck_assert_ptr_nonnull(name);
		ok = ldns_dname_compare(q->qname, name) == 0;
	}
	ldns_rdf_deep_free(name);
	return ok;
}

static void push(ldns_pkt *pkt, ldns_pkt_section sec, const char *const *rrs)
{
	for (size_t i = 0; rrs != NULL && rrs[i] != NULL; i++) {
		ldns_rr *rr = NULL;
		ck_assert_int_eq(ldns_rr_new_frm_str(&rr, rrs[i], 3600, NULL, NULL),
		                 LDNS_STATUS_OK);
		ck_assert(ldns_pkt_push_rr(pkt, sec, rr));
	}
}

/* The fake DNS: the first rule matching the question, as a transport result. */
static struct net_result *fake(const struct rule *rules, size_t n, const struct sockaddr *sa,
                               const struct query_spec *q)
{
	char addr[64], *hash;
	const struct rule *r = NULL;
	ldns_pkt *pkt;
	uint8_t *wire = NULL;
	size_t len;

	server_addr_str(addr, sizeof(addr), sa);
	hash = strchr(addr, '#');
	ck_assert_ptr_nonnull(hash);
	ck_assert_str_eq(hash, "#53");
	*hash = '\0';
	ck_assert_msg(!q->rd, "a trace asks with RD=0");
	for (size_t i = 0; r == NULL && i < n; i++)
		if (rule_matches(&rules[i], addr, q))
			r = &rules[i];
	if (r == NULL) {
		char *qn = ldns_rdf2str(q->qname);
		ck_abort_msg("unexpected question %s type %d to %s", qn, q->qtype, addr);
	}
	if (r->status != NET_OK)
		return tu_result(r->status, NULL, 0);
	pkt = ldns_pkt_query_new(ldns_rdf_clone(q->qname), q->qtype, LDNS_RR_CLASS_IN, 0);
	ck_assert_ptr_nonnull(pkt);
	ldns_pkt_set_qr(pkt, true);
	ldns_pkt_set_aa(pkt, r->aa);
	ldns_pkt_set_rcode(pkt, (uint8_t)r->rcode);
	push(pkt, LDNS_SECTION_ANSWER, r->an);
	push(pkt, LDNS_SECTION_AUTHORITY, r->ns);
	push(pkt, LDNS_SECTION_ADDITIONAL, r->ar);
	ck_assert_int_eq(ldns_pkt2wire(&wire, pkt, &len), LDNS_STATUS_OK);
	ldns_pkt_free(pkt);
	return tu_result(NET_OK, wire, len);
}

/* Answer every question the trace asks until it ends. */
static void pump(struct trace *t, const struct rule *rules, size_t n)
{
	const struct sockaddr *sa;
	const struct query_spec *q;
	unsigned sent = 0;

	while (trace_pending(t, &sa, &q)) {
		ck_assert_uint_lt(++sent, 500);
		trace_deliver(t, fake(rules, n, sa, q));
	}
	ck_assert(trace_done(t));
	ck_assert_uint_eq(trace_queries(t), sent);
}

static ldns_rr_list *hints(void)
{
	ldns_rr_list *l = ldns_rr_list_new();
	const char *const *const sets[] = {root_ns, root_glue};

	ck_assert_ptr_nonnull(l);
	for (size_t k = 0; k < 2; k++) {
		for (const char *const *p = sets[k]; *p != NULL; p++) {
			ldns_rr *rr = NULL;
			ck_assert_int_eq(ldns_rr_new_frm_str(&rr, *p, 0, NULL, NULL),
			                 LDNS_STATUS_OK);
			ck_assert(ldns_rr_list_push_rr(l, rr));
		}
	}
	return l;
}

/* A started trace of name/type from the lab-shaped root hints, without a transport. */
static struct trace *trace_of(const char *name, ldns_rr_type type, const struct trace_opts *o)
{
	struct query_spec q;
	ldns_rr_list *h = hints();
	struct trace *t;

	query_spec_init(&q);
	q.qtype = type;
	ck_assert_int_eq(query_spec_set_name(&q, name), LDNS_STATUS_OK);
	t = trace_new(NULL, NULL, &q, h, o, NULL, NULL);
	ck_assert_ptr_nonnull(t);
	ldns_rr_list_deep_free(h);
	query_spec_clear(&q);
	ck_assert_int_eq(trace_status(t), TRACE_RUNNING);
	trace_start(t);
	return t;
}

#define RUN(name, type, rules) trace_run(name, type, rules, sizeof(rules) / sizeof(rules[0]), NULL)

static struct trace *trace_run(const char *name, ldns_rr_type type, const struct rule *rules,
                               size_t n, const struct trace_opts *o)
{
	struct trace *t = trace_of(name, type, o);

	pump(t, rules, n);
	return t;
}

/* The kinds of the steps as one string, e.g. "priming referral referral answer". */
static char *kinds(const struct trace *t)
{
	static char buf[1024];

	buf[0] = '\0';
	for (size_t i = 0; i < trace_nsteps(t); i++) {
		const struct trace_step *s = trace_step(t, i);
		size_t l = strlen(buf);
		snprintf(buf + l, sizeof(buf) - l, "%s%s%u", i ? " " : "", trace_kind_str(s->kind),
		         s->depth);
	}
	return buf;
}

static const char *const ex_ns_12[] = {"example.test. 3600 IN NS ns2.example.test.",
                                       "example.test. 3600 IN NS ns1.example.test.", NULL};
static const char *const ex_glue_12[] = {"ns2.example.test. 3600 IN A 127.0.53.2",
                                         "ns1.example.test. 3600 IN A 127.0.53.1", NULL};

START_TEST(trace_plain_three_cuts)
{
	static const struct rule rules[] = {
	    ROOT_RULES,
	    {"127.0.53.101", "*.example.test.", 0, NET_OK, LDNS_RCODE_NOERROR, false, NULL,
	     ex_ns_12, ex_glue_12},
	    {"127.0.53.1", "example.test.", LDNS_RR_TYPE_MX, NET_OK, LDNS_RCODE_NOERROR, true,
	     mx_answer, NULL, NULL},
	};
	struct trace *t = RUN("example.test", LDNS_RR_TYPE_MX, rules);
	const struct trace_step *s;

	ck_assert_int_eq(trace_status(t), TRACE_DONE);
	ck_assert_ptr_null(trace_error(t));
	ck_assert_str_eq(kinds(t), "priming0 referral0 referral0 answer0");
	ck_assert_uint_eq(trace_queries(t), 4);
	/* priming: ". NS" of the hint address; the root's NS RRset and glue */
	s = trace_step(t, 0);
	ck_assert_str_eq(s->qname, ".");
	ck_assert_int_eq(s->qtype, LDNS_RR_TYPE_NS);
	ck_assert_str_eq(s->zone, ".");
	ck_assert_str_eq(s->child, ".");
	ck_assert_str_eq(s->server.label, "a.root-servers.invalid");
	ck_assert_str_eq(s->addr, "127.0.53.100#53");
	ck_assert_uint_eq(ldns_rr_list_rr_count(s->glue), 1);
	/* the root refers to test. with glue */
	s = trace_step(t, 1);
	ck_assert_str_eq(s->qname, "example.test.");
	ck_assert_int_eq(s->qtype, LDNS_RR_TYPE_MX);
	ck_assert_str_eq(s->zone, ".");
	ck_assert_str_eq(s->child, "test.");
	ck_assert_uint_eq(ldns_rr_list_rr_count(s->ns), 1);
	ck_assert_uint_eq(ldns_rr_list_rr_count(s->glue), 1);
	ck_assert_ptr_nonnull(s->net);
	ck_assert_double_eq_tol(s->net->rtt_ms, 1.23456, 1e-9);
	/* test. refers to example.test.: both NS names and both glue addresses */
	s = trace_step(t, 2);
	ck_assert_str_eq(s->zone, "test.");
	ck_assert_str_eq(s->server.label, "ns1.nic.test");
	ck_assert_str_eq(s->child, "example.test.");
	ck_assert_uint_eq(ldns_rr_list_rr_count(s->ns), 2);
	ck_assert_uint_eq(ldns_rr_list_rr_count(s->glue), 2);
	/* ns1 before ns2 (canonical order), although the referral listed ns2 first */
	s = trace_final(t);
	ck_assert_ptr_eq(s, trace_step(t, 3));
	ck_assert_int_eq(s->kind, TRACE_ANSWER);
	ck_assert_str_eq(s->zone, "example.test.");
	ck_assert_str_eq(s->server.label, "ns1.example.test");
	ck_assert_str_eq(s->addr, "127.0.53.1#53");
	ck_assert(ldns_pkt_aa(s->pkt));
	ck_assert_uint_eq(ldns_rr_list_rr_count(s->records), 1);
	ck_assert_ptr_null(trace_step(t, 4));
	trace_free(t);
}
END_TEST

START_TEST(trace_lame_servers_skipped)
{
	static const char *const ns5[] = {"example.test. 3600 IN NS ns1.example.test.",
	                                  "example.test. 3600 IN NS ns2.example.test.",
	                                  "example.test. 3600 IN NS ns3.example.test.",
	                                  "example.test. 3600 IN NS ns4.example.test.",
	                                  "example.test. 3600 IN NS ns5.example.test.",
	                                  NULL};
	static const char *const glue5[] = {
	    "ns1.example.test. 3600 IN A 127.0.53.1", "ns2.example.test. 3600 IN A 127.0.53.2",
	    "ns3.example.test. 3600 IN A 127.0.53.3", "ns4.example.test. 3600 IN A 127.0.53.4",
	    "ns5.example.test. 3600 IN A 127.0.53.5",
	    /* out of the bailiwick of test.: must not be taken as glue */
	    "ns5.example.test.evil. 3600 IN A 127.0.53.66", NULL};
	static const struct rule rules[] = {
	    ROOT_RULES,
	    {"127.0.53.101", "*.example.test.", 0, NET_OK, LDNS_RCODE_NOERROR, false, NULL, ns5,
	     glue5},
	    {"127.0.53.1", "*.", 0, NET_TIMEOUT, 0, false, NULL, NULL, NULL},
	    {"127.0.53.2", "*.", 0, NET_OK, LDNS_RCODE_REFUSED, false, NULL, NULL, NULL},
	    /* a cache's answer: no AA, so lame */
	    {"127.0.53.3", "*.", 0, NET_OK, LDNS_RCODE_NOERROR, false, mx_answer, NULL, NULL},
	    /* an upward referral back to test. */
	    {"127.0.53.4", "*.", 0, NET_OK, LDNS_RCODE_NOERROR, false, NULL, test_ns, test_glue},
	    {"127.0.53.5", "example.test.", LDNS_RR_TYPE_MX, NET_OK, LDNS_RCODE_NOERROR, true,
	     mx_answer, NULL, NULL},
	};
	struct trace *t = RUN("example.test", LDNS_RR_TYPE_MX, rules);
	static const char *const why[] = {"timed out", "REFUSED",
	                                  "lame: answer without AA (not authoritative)",
	                                  "lame: upward referral to test."};

	ck_assert_int_eq(trace_status(t), TRACE_DONE);
	ck_assert_str_eq(
	    kinds(t), "priming0 referral0 referral0 skipped0 skipped0 skipped0 skipped0 answer0");
	ck_assert_uint_eq(ldns_rr_list_rr_count(trace_step(t, 2)->glue), 5);
	for (size_t i = 0; i < 4; i++) {
		const struct trace_step *s = trace_step(t, 3 + i);
		char addr[32];

		snprintf(addr, sizeof(addr), "127.0.53.%zu#53", i + 1);
		ck_assert_str_eq(s->addr, addr);
		ck_assert_str_eq(s->reason, why[i]);
		ck_assert_str_eq(s->zone, "example.test.");
	}
	ck_assert_ptr_null(trace_step(t, 3)->pkt); /* a timeout has no reply */
	ck_assert_ptr_nonnull(trace_step(t, 4)->pkt);
	ck_assert_str_eq(trace_final(t)->server.label, "ns5.example.test");
	trace_free(t);
}
END_TEST

START_TEST(trace_all_servers_failing)
{
	/* IPv4 glue first, then IPv6, whatever the order of the additional section */
	static const char *const glue[] = {"ns1.example.test. 3600 IN AAAA ::1",
	                                   "ns2.example.test. 3600 IN A 127.0.53.2",
	                                   "ns1.example.test. 3600 IN A 127.0.53.1", NULL};
	static const struct rule rules[] = {
	    ROOT_RULES,
	    {"127.0.53.101", "*.example.test.", 0, NET_OK, LDNS_RCODE_NOERROR, false, NULL,
	     ex_ns_12, glue},
	    {"127.0.53.1", "*.", 0, NET_UNREACHABLE, 0, false, NULL, NULL, NULL},
	    {"127.0.53.2", "*.", 0, NET_OK, LDNS_RCODE_SERVFAIL, false, NULL, NULL, NULL},
	    {"::1", "*.", 0, NET_NETWORK, 0, false, NULL, NULL, NULL},
	};
	struct trace *t = RUN("example.test", LDNS_RR_TYPE_MX, rules);

	ck_assert_int_eq(trace_status(t), TRACE_FAILED);
	ck_assert_ptr_null(trace_final(t));
	ck_assert_str_eq(kinds(t), "priming0 referral0 referral0 skipped0 skipped0 skipped0");
	ck_assert_str_eq(trace_step(t, 3)->reason, "connection refused or unreachable");
	ck_assert_str_eq(trace_step(t, 4)->reason, "SERVFAIL");
	ck_assert_str_eq(trace_step(t, 5)->addr, "::1#53");
	ck_assert_str_eq(trace_step(t, 5)->server.label, "ns1.example.test");
	ck_assert_str_eq(trace_step(t, 5)->reason, "network error");
	ck_assert_str_eq(trace_error(t), "no server of example.test. answered (3 addresses tried)");
	trace_free(t);
}
END_TEST

START_TEST(trace_priming_fails)
{
	static const struct rule rules[] = {
	    {"127.0.53.100", "*.", 0, NET_TIMEOUT, 0, false, NULL, NULL, NULL},
	};
	struct trace *t = RUN("example.test", LDNS_RR_TYPE_MX, rules);

	ck_assert_int_eq(trace_status(t), TRACE_FAILED);
	ck_assert_str_eq(kinds(t), "skipped0");
	ck_assert_str_eq(trace_step(t, 0)->qname, ".");
	ck_assert_str_eq(trace_error(t), "no server of . answered (1 address tried)");
	trace_free(t);
}
END_TEST

/* example.test. NS ns.other.test. (no glue: out of the zone); other.test. has glue. */
static const char *const ex_ns_other[] = {"example.test. 3600 IN NS ns.other.test.", NULL};
static const char *const other_ns[] = {"other.test. 3600 IN NS ns1.other.test.", NULL};
static const char *const other_glue[] = {"ns1.other.test. 3600 IN A 127.0.53.7", NULL};
static const char *const ns_other_a[] = {"ns.other.test. 3600 IN A 127.0.53.8", NULL};

START_TEST(trace_glueless_ns_resolved_on_the_side)
{
	static const struct rule rules[] = {
	    ROOT_RULES,
	    {"127.0.53.101", "*.example.test.", 0, NET_OK, LDNS_RCODE_NOERROR, false, NULL,
	     ex_ns_other, NULL},
	    {"127.0.53.101", "*.other.test.", 0, NET_OK, LDNS_RCODE_NOERROR, false, NULL, other_ns,
	     other_glue},
	    {"127.0.53.7", "ns.other.test.", LDNS_RR_TYPE_A, NET_OK, LDNS_RCODE_NOERROR, true,
	     ns_other_a, NULL, NULL},
	    {"127.0.53.8", "example.test.", LDNS_RR_TYPE_MX, NET_OK, LDNS_RCODE_NOERROR, true,
	     mx_answer, NULL, NULL},
	};
	struct trace *t = RUN("example.test", LDNS_RR_TYPE_MX, rules);
	const struct trace_step *s;

	ck_assert_int_eq(trace_status(t), TRACE_DONE);
	/* the side trace starts from the primed root: no second priming */
	ck_assert_str_eq(kinds(t),
	                 "priming0 referral0 referral0 referral1 referral1 answer1 answer0");
	ck_assert_uint_eq(ldns_rr_list_rr_count(trace_step(t, 2)->glue), 0);
	s = trace_step(t, 3);
	ck_assert_str_eq(s->qname, "ns.other.test.");
	ck_assert_int_eq(s->qtype, LDNS_RR_TYPE_A);
	ck_assert_str_eq(s->zone, ".");
	ck_assert_str_eq(trace_step(t, 4)->child, "other.test.");
	ck_assert_str_eq(trace_step(t, 5)->zone, "other.test.");
	s = trace_final(t);
	ck_assert_str_eq(s->server.label, "ns.other.test");
	ck_assert_str_eq(s->addr, "127.0.53.8#53");
	ck_assert_str_eq(s->zone, "example.test.");
	trace_free(t);
}
END_TEST

START_TEST(trace_referral_loop)
{
	/* a.test. NS ns.b.test., b.test. NS ns.a.test., neither with glue */
	static const char *const a_ns[] = {"a.test. 3600 IN NS ns.b.test.", NULL};
	static const char *const b_ns[] = {"b.test. 3600 IN NS ns.a.test.", NULL};
	static const struct rule rules[] = {
	    ROOT_RULES,
	    {"127.0.53.101", "*.a.test.", 0, NET_OK, LDNS_RCODE_NOERROR, false, NULL, a_ns, NULL},
	    {"127.0.53.101", "*.b.test.", 0, NET_OK, LDNS_RCODE_NOERROR, false, NULL, b_ns, NULL},
	};
	struct trace *t = RUN("www.a.test", LDNS_RR_TYPE_A, rules);
	const struct trace_step *s;

	ck_assert_int_eq(trace_status(t), TRACE_ERROR);
	ck_assert_str_eq(trace_error(t),
	                 "referral loop: the address of ns.b.test. is needed to find itself");
	ck_assert_ptr_null(trace_final(t));
	/* main: a.test. -> side 1: ns.b.test. -> b.test. -> side 2: ns.a.test. -> a.test.,
	 * whose server ns.b.test. is being looked for already */
	ck_assert_str_eq(kinds(t), "priming0 referral0 referral0 referral1 referral1 referral2 "
	                           "referral2 skipped2 skipped1 skipped0");
	s = trace_step(t, 7);
	ck_assert_str_eq(s->server.label, "ns.b.test");
	ck_assert_str_eq(s->addr, "");
	ck_assert_ptr_null(s->net);
	ck_assert_str_eq(trace_step(t, 9)->server.label, "ns.b.test");
	ck_assert_ptr_nonnull(strstr(trace_step(t, 9)->reason, "no address for name server"));
	trace_free(t);
}
END_TEST

START_TEST(trace_bad_referral_in_zone_ns_without_glue)
{
	static const char *const ns[] = {"example.test. 3600 IN NS ns1.example.test.", NULL};
	static const struct rule rules[] = {
	    ROOT_RULES,
	    {"127.0.53.101", "*.example.test.", 0, NET_OK, LDNS_RCODE_NOERROR, false, NULL, ns,
	     NULL},
	};
	struct trace *t = RUN("example.test", LDNS_RR_TYPE_MX, rules);

	ck_assert_int_eq(trace_status(t), TRACE_ERROR);
	ck_assert_str_eq(trace_error(t), "bad referral: name server ns1.example.test. is inside "
	                                 "example.test. and came without glue");
	ck_assert_str_eq(kinds(t), "priming0 referral0 referral0 skipped0");
	trace_free(t);
}
END_TEST

START_TEST(trace_cname_followed_and_loop)
{
	static const char *const www[] = {"www.example.test. 3600 IN CNAME host.other.test.", NULL};
	static const char *const host[] = {"host.other.test. 3600 IN A 198.51.100.80", NULL};
	static const char *const loop_a[] = {"a.example.test. 3600 IN CNAME b.other.test.", NULL};
	static const char *const loop_b[] = {"b.other.test. 3600 IN CNAME a.example.test.", NULL};
	static const struct rule rules[] = {
	    ROOT_RULES,
	    {"127.0.53.101", "*.example.test.", 0, NET_OK, LDNS_RCODE_NOERROR, false, NULL,
	     ex_ns_12, ex_glue_12},
	    {"127.0.53.101", "*.other.test.", 0, NET_OK, LDNS_RCODE_NOERROR, false, NULL, other_ns,
	     other_glue},
	    {"127.0.53.1", "www.example.test.", 0, NET_OK, LDNS_RCODE_NOERROR, true, www, NULL,
	     NULL},
	    {"127.0.53.1", "a.example.test.", 0, NET_OK, LDNS_RCODE_NOERROR, true, loop_a, NULL,
	     NULL},
	    {"127.0.53.7", "host.other.test.", 0, NET_OK, LDNS_RCODE_NOERROR, true, host, NULL,
	     NULL},
	    {"127.0.53.7", "b.other.test.", 0, NET_OK, LDNS_RCODE_NOERROR, true, loop_b, NULL,
	     NULL},
	};
	struct trace *t = RUN("www.example.test", LDNS_RR_TYPE_A, rules);

	ck_assert_int_eq(trace_status(t), TRACE_DONE);
	ck_assert_str_eq(kinds(t),
	                 "priming0 referral0 referral0 cname0 referral0 referral0 answer0");
	ck_assert_str_eq(trace_step(t, 3)->child, "host.other.test.");
	ck_assert_str_eq(trace_step(t, 4)->qname, "host.other.test.");
	ck_assert_str_eq(trace_final(t)->zone, "other.test.");
	trace_free(t);

	t = RUN("a.example.test", LDNS_RR_TYPE_A, rules);
	ck_assert_int_eq(trace_status(t), TRACE_ERROR);
	ck_assert_str_eq(trace_error(t), "CNAME loop: a.example.test. is met twice");
	trace_free(t);
}
END_TEST

START_TEST(trace_negative_answers)
{
	static const struct rule rules[] = {
	    ROOT_RULES,
	    {"127.0.53.101", "*.example.test.", 0, NET_OK, LDNS_RCODE_NOERROR, false, NULL,
	     ex_ns_12, ex_glue_12},
	    {"127.0.53.1", "missing.example.test.", 0, NET_OK, LDNS_RCODE_NXDOMAIN, true, NULL, soa,
	     NULL},
	    {"127.0.53.1", "example.test.", 0, NET_OK, LDNS_RCODE_NOERROR, true, NULL, soa, NULL},
	};
	struct trace *t = RUN("missing.example.test", LDNS_RR_TYPE_A, rules);

	ck_assert_int_eq(trace_status(t), TRACE_DONE);
	ck_assert_int_eq(trace_final(t)->kind, TRACE_NXDOMAIN);
	ck_assert_uint_eq(ldns_rr_list_rr_count(trace_final(t)->records), 1);
	trace_free(t);
	t = RUN("example.test", LDNS_RR_TYPE_AAAA, rules);
	ck_assert_int_eq(trace_status(t), TRACE_DONE);
	ck_assert_int_eq(trace_final(t)->kind, TRACE_NODATA);
	trace_free(t);
}
END_TEST

START_TEST(trace_query_limit)
{
	static const struct rule rules[] = {
	    ROOT_RULES,
	    {"127.0.53.101", "*.example.test.", 0, NET_OK, LDNS_RCODE_NOERROR, false, NULL,
	     ex_ns_12, ex_glue_12},
	    {"127.0.53.1", "*.", 0, NET_TIMEOUT, 0, false, NULL, NULL, NULL},
	};
	struct trace_opts o;
	struct trace *t;

	trace_opts_init(&o);
	o.max_queries = 4;
	t = trace_run("example.test", LDNS_RR_TYPE_MX, rules, sizeof(rules) / sizeof(rules[0]), &o);
	ck_assert_int_eq(trace_status(t), TRACE_ERROR);
	ck_assert_str_eq(trace_error(t), "gave up after 4 queries");
	ck_assert_uint_eq(trace_queries(t), 4);
	trace_free(t);
}
END_TEST

static char *write_tmp(const char *text)
{
	char *path = strdup("/tmp/dnsdeck-hints-XXXXXX");
	int fd;

	ck_assert_ptr_nonnull(path);
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

START_TEST(trace_hints_read_files)
{
	/* Debian's root.hints style: comments, no class, upper case */
	char *debian = write_tmp("; comment\n"
	                         ".                        3600000      NS    A.ROOT.INVALID.\n"
	                         "A.ROOT.INVALID.          3600000      A     127.0.53.100\n"
	                         "A.ROOT.INVALID.          3600000      AAAA  ::1\n"
	                         "other.invalid.           3600000      A     127.0.53.9\n");
	char *noaddr = write_tmp(". 3600000 IN NS a.root.invalid.\n");
	char *bad = write_tmp(". 3600000 IN NS\n");
	char err[256];
	ldns_rr_list *l = trace_hints_read(debian, err, sizeof(err));

	ck_assert_msg(l != NULL, "%s", err);
	ck_assert_uint_eq(ldns_rr_list_rr_count(l), 3); /* NS, A, AAAA; not other.invalid. */
	ldns_rr_list_deep_free(l);
	ck_assert_ptr_null(trace_hints_read(noaddr, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "no root server with an address"));
	ck_assert_ptr_null(trace_hints_read(bad, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "line 1"));
	ck_assert_ptr_null(trace_hints_read("/nonexistent/root.hints", err, sizeof(err)));
	ck_assert_str_eq(err, "cannot read root hints /nonexistent/root.hints: No such file or "
	                      "directory");
	unlink(debian);
	unlink(noaddr);
	unlink(bad);
	free(debian);
	free(noaddr);
	free(bad);
}
END_TEST

/* The renderings of a trace with skipped servers and a side trace. */
START_TEST(trace_text_and_json)
{
	static const char *const ns[] = {"example.test. 3600 IN NS a.example.test.",
	                                 "example.test. 3600 IN NS ns.other.test.", NULL};
	static const char *const glue[] = {"a.example.test. 3600 IN A 127.0.53.99", NULL};
	static const char *const esc[] = {"example.test. 3600 IN TXT \"\\027[31mred\"", NULL};
	static const struct rule rules[] = {
	    ROOT_RULES,
	    {"127.0.53.101", "*.example.test.", 0, NET_OK, LDNS_RCODE_NOERROR, false, NULL, ns,
	     glue},
	    {"127.0.53.101", "*.other.test.", 0, NET_OK, LDNS_RCODE_NOERROR, false, NULL, other_ns,
	     other_glue},
	    {"127.0.53.99", "*.", 0, NET_TIMEOUT, 0, false, NULL, NULL, NULL},
	    {"127.0.53.7", "ns.other.test.", LDNS_RR_TYPE_A, NET_OK, LDNS_RCODE_NOERROR, true,
	     ns_other_a, NULL, NULL},
	    {"127.0.53.8", "example.test.", 0, NET_OK, LDNS_RCODE_NOERROR, true, esc, NULL, NULL},
	};
	struct trace *t = RUN("example.test", LDNS_RR_TYPE_TXT, rules);
	struct tu_capture c;
	json_t *doc, *steps, *st;
	json_error_t jerr;

	ck_assert_int_eq(trace_status(t), TRACE_DONE);
	tu_capture_open(&c);
	ck_assert_int_eq(tracetext_print(c.f, t), 0);
	tu_capture_close(&c);
	ck_assert_ptr_nonnull(strstr(c.buf,
	                             ";; TRACE example.test. IN TXT from the root hints, RD=0\n\n"
	                             ".\t86400\tIN\tNS\ta.root-servers.invalid.\n"
	                             "a.root-servers.invalid.\t86400\tIN\tA\t127.0.53.100\n"
	                             ";; Received "));
	ck_assert_ptr_nonnull(
	    strstr(c.buf, " bytes from 127.0.53.100#53(a.root-servers.invalid) in 1.2 ms\n\n"
	                  "test.\t86400\tIN\tNS\tns1.nic.test.\n"));
	ck_assert_ptr_nonnull(strstr(c.buf,
	                             ";; skipped 127.0.53.99#53 (a.example.test): timed out\n"
	                             ";; resolving ns.other.test. A (a name server without glue)\n"
	                             "  test.\t86400\tIN\tNS\tns1.nic.test.\n"));
	ck_assert_ptr_nonnull(strstr(c.buf, "  ns.other.test.\t3600\tIN\tA\t127.0.53.8\n"
	                                    "  ;; Received "));
	ck_assert_ptr_nonnull(strstr(c.buf, "example.test.\t3600\tIN\tTXT\t\"\\027[31mred\"\n"
	                                    ";; Received "));
	ck_assert_ptr_nonnull(strstr(c.buf, "(ns.other.test) in 1.2 ms\n\n"
	                                    ";; TRACE DONE: NOERROR, 1 answer record, "
	                                    "authoritative (aa) from ns.other.test\n"
	                                    ";; for zone example.test.\n"
	                                    ";; 8 queries, 1 server skipped, 4 referrals, "));
	for (size_t i = 0; i < c.len; i++)
		ck_assert_msg(c.buf[i] == '\n' || c.buf[i] == '\t' ||
		                  (c.buf[i] >= 0x20 && c.buf[i] < 0x7f),
		              "raw byte %d", c.buf[i]);
	free(c.buf);

	tu_capture_open(&c);
	ck_assert_int_eq(tracejson_print(c.f, t), 0);
	tu_capture_close(&c);
	doc = json_loads(c.buf, 0, &jerr);
	ck_assert_msg(doc != NULL, "%s", jerr.text);
	ck_assert_str_eq(json_string_value(json_object_get(doc, "qname")), "example.test.");
	ck_assert_str_eq(json_string_value(json_object_get(doc, "qtype")), "TXT");
	ck_assert_str_eq(json_string_value(json_object_get(doc, "status")), "done");
	ck_assert_str_eq(json_string_value(json_object_get(doc, "result")), "answer");
	ck_assert(json_is_null(json_object_get(doc, "error")));
	ck_assert_int_eq(json_integer_value(json_object_get(doc, "queries")), 8);
	st = json_object_get(doc, "zone_cuts");
	ck_assert_uint_eq(json_array_size(st), 3);
	ck_assert_str_eq(json_string_value(json_array_get(st, 2)), "example.test.");
	steps = json_object_get(doc, "steps");
	ck_assert_uint_eq(json_array_size(steps), trace_nsteps(t));
	st = json_array_get(steps, 2); /* test. refers to example.test. */
	ck_assert_str_eq(json_string_value(json_object_get(st, "kind")), "referral");
	ck_assert_str_eq(json_string_value(json_object_get(st, "server")), "ns1.nic.test");
	ck_assert_str_eq(json_string_value(json_object_get(st, "address")), "127.0.53.101#53");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(st, "ns"), 1)),
	                 "ns.other.test.");
	ck_assert_str_eq(json_string_value(json_object_get(
	                     json_array_get(json_object_get(st, "glue"), 0), "address")),
	                 "127.0.53.99");
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(st, "message"), "AA")),
	                 0);
	st = json_array_get(steps, 3);
	ck_assert_str_eq(json_string_value(json_object_get(st, "kind")), "skipped");
	ck_assert_str_eq(json_string_value(json_object_get(st, "reason")), "timed out");
	ck_assert_str_eq(json_string_value(json_object_get(st, "error")), "timed out");
	ck_assert(json_is_null(json_object_get(st, "message")));
	st = json_array_get(steps, 4);
	ck_assert_int_eq(json_integer_value(json_object_get(st, "depth")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(st, "asked"), "qname")),
	                 "ns.other.test.");
	st = json_array_get(steps, json_array_size(steps) - 1);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(st, "records"), 0)),
	                 "example.test. 3600 IN TXT \"\\027[31mred\"");
	for (size_t i = 0; i < c.len; i++)
		ck_assert_msg(c.buf[i] == '\n' || (c.buf[i] >= 0x20 && c.buf[i] < 0x7f),
		              "raw byte");
	json_decref(doc);
	free(c.buf);
	trace_free(t);
}
END_TEST

/* The overall deadline fires on the event loop even while a question is unanswered. */
START_TEST(trace_deadline)
{
	struct event_base *base = event_base_new();
	struct query_spec q;
	ldns_rr_list *h = hints();
	struct trace_opts o;
	struct trace *t;
	const struct sockaddr *sa;
	const struct query_spec *pq;

	ck_assert_ptr_nonnull(base);
	trace_opts_init(&o);
	o.deadline_ms = 50;
	query_spec_init(&q);
	ck_assert_int_eq(query_spec_set_name(&q, "example.test"), LDNS_STATUS_OK);
	t = trace_new(NULL, base, &q, h, &o, NULL, NULL);
	ck_assert_ptr_nonnull(t);
	trace_start(t);
	ck_assert(trace_pending(t, &sa, &pq));
	ck_assert_int_ge(event_base_dispatch(base), 0); /* 1: no events left */
	ck_assert_int_eq(trace_status(t), TRACE_ERROR);
	ck_assert_str_eq(trace_error(t), "gave up at the deadline of 50 ms");
	ck_assert(!trace_pending(t, &sa, &pq));
	ck_assert_double_ge(trace_elapsed_ms(t), 45.0);
	trace_free(t);
	ldns_rr_list_deep_free(h);
	query_spec_clear(&q);
	event_base_free(base);
}
END_TEST

START_TEST(args_parse_trace_options)
{
	char *const words[] = {"+trace", "--root-hints", "lab.hints", "example.test", "MX"};
	char *const eq[] = {"--root-hints=other.hints", "+notrace"};
	char *const missing[] = {"+trace", "--root-hints"};
	struct args a;
	char err[128];

	args_init(&a);
	ck_assert_int_eq(args_parse(&a, 5, words, err, sizeof(err)), 0);
	ck_assert(a.trace);
	ck_assert_str_eq(a.root_hints, "lab.hints");
	ck_assert_int_eq(a.q.qtype, LDNS_RR_TYPE_MX);
	ck_assert_int_eq(args_parse(&a, 2, eq, err, sizeof(err)), 0);
	ck_assert(!a.trace);
	ck_assert_str_eq(a.root_hints, "other.hints");
	args_clear(&a);
	args_init(&a);
	ck_assert_int_eq(args_parse(&a, 2, missing, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "--root-hints needs a file name");
	args_clear(&a);
}
END_TEST

START_TEST(trace_free_while_waiting)
{
	struct trace *t = trace_of("example.test", LDNS_RR_TYPE_MX, NULL);
	const struct sockaddr *sa;
	const struct query_spec *q;

	ck_assert(trace_pending(t, &sa, &q));
	ck_assert(!trace_done(t));
	ck_assert_uint_eq(trace_nsteps(t), 0);
	trace_free(t);
}
END_TEST

Suite *suite_trace(void)
{
	Suite *s = suite_create("trace");
	TCase *tc = tcase_create("trace");

	tcase_add_test(tc, trace_plain_three_cuts);
	tcase_add_test(tc, trace_lame_servers_skipped);
	tcase_add_test(tc, trace_all_servers_failing);
	tcase_add_test(tc, trace_priming_fails);
	tcase_add_test(tc, trace_glueless_ns_resolved_on_the_side);
	tcase_add_test(tc, trace_referral_loop);
	tcase_add_test(tc, trace_bad_referral_in_zone_ns_without_glue);
	tcase_add_test(tc, trace_cname_followed_and_loop);
	tcase_add_test(tc, trace_negative_answers);
	tcase_add_test(tc, trace_query_limit);
	tcase_add_test(tc, trace_hints_read_files);
	tcase_add_test(tc, trace_text_and_json);
	tcase_add_test(tc, trace_free_while_waiting);
	tcase_add_test(tc, args_parse_trace_options);
	tcase_add_test(tc, trace_deadline);
	suite_add_tcase(s, tc);
	return s;
}
