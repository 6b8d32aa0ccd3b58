/*
 * mxplan.c -- the MX failover plan (see mxplan.h for the algorithm and its RFCs).
 *
 * Every question goes through the ask handle; each outstanding one has a context (struct
 * mx_ctx) on the plan's list so that mxplan_free() can cancel it. Exchanges are created once,
 * from the MX answer (or the implicit MX), so contexts refer to them by index. An exchange's
 * addresses are sorted (IPv6 first) only when both its AAAA and A answers are in, and only
 * then are PTR questions and SMTP probes started, which refer to addresses by index too.
 */
#include "config.h"
#include "engine/mxplan.h"
#include "dns/ttl.h"
#include "dns/escape.h"
#include "dns/rrtext.h"
#include "engine/prop.h"

#include <arpa/inet.h>
#include <assert.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/queue.h>

enum mx_qkind { Q_MX, Q_EX_ADDR, Q_PTR, Q_PTR_FWD, Q_RECORD };

struct mx_ctx {
	struct mxplan *p;
	enum mx_qkind kind;
	size_t ex, addr, rec; /* indexes the question is about */
	ldns_rr_type type;
	struct ask_query *aq;
	struct smtp_probe *probe;
	LIST_ENTRY(mx_ctx) link;
};

LIST_HEAD(ctx_list, mx_ctx);

/* Per exchange: answers still outstanding and what they said. */
struct mx_xwork {
	unsigned outstanding;
	bool nxdomain, failed, answered;
};

struct mxplan {
	struct ask *ask;
	struct event_base *base;
	struct mxplan_opts opts;
	ldns_rdf *domain_rdf;
	char *domain;
	enum mx_mode mode;
	struct mx_exchange *ex;
	struct mx_xwork *work;
	size_t nex;
	struct mx_step *steps;
	size_t nsteps;
	struct mx_finding *findings;
	size_t nfindings;
	struct mx_record records[4];
	struct mx_verdict verdict;
	unsigned probes_started;
	bool judged;           /* the whole-plan findings were made */
	struct prop *auth_cmp; /* the MX RRset asked of the authoritative servers, or NULL */
	bool auth_done;
	struct ctx_list ctxs;
	unsigned pending;
	mxplan_change_fn fn;
	void *arg;
};

/* --- findings ---------------------------------------------------------------------- */

struct mx_rule {
	const char *code;
	enum mx_severity severity;
	const char *rfc;
	const char *explanation;
};

static const struct mx_rule mx_rules[] = {
    {"domain-nxdomain", MX_SEV_ERROR, "RFC 5321 §5.1",
     "The domain itself does not exist (NXDOMAIN), so a sender has nowhere to deliver and "
     "bounces the message at once. Check the spelling of the address, or whether the "
     "domain's delegation has lapsed."},
    {"mx-lookup-failed", MX_SEV_ERROR, "RFC 5321 §5.1",
     "The MX question got no usable answer (timeout, SERVFAIL, REFUSED or a malformed "
     "reply). A sender treats this as a temporary failure and queues the message, retrying "
     "for days before it bounces."},
    {"null-mx", MX_SEV_INFO, "RFC 7505 §3",
     "The domain publishes a null MX (a single MX record '0 .'): it declares that it "
     "accepts no mail. Senders bounce messages at once instead of queueing them."},
    {"null-mx-mixed", MX_SEV_ERROR, "RFC 7505 §3",
     "A null MX ('0 .') must be the only MX record of a domain. Published beside other MX "
     "records it is a contradiction; senders ignore the null MX or fail, depending on the "
     "software. Remove either the null MX or the other records."},
    {"null-mx-preference", MX_SEV_WARNING, "RFC 7505 §3",
     "A null MX record has preference 0. This one has another preference; some senders "
     "will not recognise it as a null MX."},
    {"implicit-mx", MX_SEV_INFO, "RFC 5321 §5.1",
     "The domain has no MX records, so senders deliver to the domain's own A/AAAA "
     "addresses as if it had one MX record of preference 0 pointing to itself (the "
     "implicit MX). This works, but an explicit MX record states the intent."},
    {"no-mail-route", MX_SEV_ERROR, "RFC 5321 §5.1",
     "The domain has neither MX records nor an address of its own, so no sender can "
     "deliver mail to it. Publish MX records (or a null MX if the domain takes no mail)."},
    {"exchange-cname", MX_SEV_WARNING, "RFC 2181 §10.3, RFC 5321 §5.1",
     "An MX exchange must be a host name with its own address records, not an alias "
     "(CNAME). Many senders follow the alias anyway, some do not, and some reject the MX. "
     "Point the MX at the canonical name instead."},
    {"exchange-ip-literal", MX_SEV_ERROR, "RFC 5321 §5.1, RFC 1035 §3.3.9",
     "The MX exchange is an IP address written as a domain name. An MX record names a host, "
     "and senders look up that name's A/AAAA records, which an address-shaped name does not "
     "have. Create a host name with an A record and use it as the exchange."},
    {"exchange-nxdomain", MX_SEV_ERROR, "RFC 5321 §5.1",
     "The exchange named by the MX record does not exist (NXDOMAIN). Senders skip it; if "
     "it is the only exchange, mail bounces or waits in queues."},
    {"exchange-nodata", MX_SEV_ERROR, "RFC 5321 §5.1",
     "The exchange exists but has no A or AAAA record, so senders cannot connect to it and "
     "move on to the next exchange, if there is one."},
    {"exchange-failed", MX_SEV_WARNING, "RFC 5321 §5.1",
     "The address lookups of this exchange failed (timeout or server failure). Senders "
     "treat this as temporary and retry later."},
    {"exchange-special-address", MX_SEV_WARNING, "RFC 6890",
     "The exchange resolves only to special-purpose addresses (loopback, private, "
     "documentation, unspecified, ...), which senders on the public Internet cannot reach "
     "or must not use. Expected in a lab; an error for a public domain."},
    {"duplicate-exchange", MX_SEV_INFO, "RFC 5321 §5.1",
     "The same exchange is named more than once in the MX RRset. A sender tries it once, at "
     "its lowest preference; the duplicate adds nothing."},
    {"mx-differs", MX_SEV_WARNING, "RFC 1034 §4.3.5",
     "The domain's authoritative servers give different MX RRsets: a change has not reached "
     "all of them yet (a zone transfer lagging, a server not updated). Resolvers, and so "
     "senders, see one set or the other depending on which server they asked. Compare the "
     "servers with dnsdeck -C --auth DOMAIN MX."},
    {"single-mx", MX_SEV_INFO, "RFC 5321 §5.1",
     "The domain has a single mail exchanger and no backup. That is common and fine for "
     "many domains, since senders queue and retry, but there is no second host to take "
     "mail while this one is down."},
    {"same-network", MX_SEV_INFO, "RFC 5321 §5.1",
     "All exchanges share one /24 (IPv4) or /48 (IPv6) network, so one network outage "
     "takes every mail exchanger down at once."},
    {"no-ptr", MX_SEV_INFO, "RFC 1912 §2.1",
     "This exchange address has no PTR record. Inbound mail does not need one, but the "
     "same host often sends mail too, and many receivers reject senders without reverse "
     "DNS."},
    {"fcrdns-mismatch", MX_SEV_WARNING, "RFC 8601 §3",
     "The PTR name of this address does not resolve back to the address "
     "(forward-confirmed reverse DNS fails). Receivers that check it distrust such hosts."},
    {"spf-multiple", MX_SEV_ERROR, "RFC 7208 §4.5",
     "The domain publishes more than one SPF record (TXT starting 'v=spf1'). SPF then "
     "returns permerror, and receivers treat the domain as if it had no valid SPF. Merge "
     "them into one record."},
    {"no-spf", MX_SEV_INFO, "RFC 7208 §4",
     "The domain publishes no SPF record, so receivers cannot check which hosts may send "
     "mail for it."},
    {"dmarc-multiple", MX_SEV_ERROR, "RFC 7489 §6.6.3",
     "More than one DMARC record at _dmarc: receivers then apply no DMARC policy at all."},
    {"no-dmarc", MX_SEV_INFO, "RFC 7489 §6.1",
     "No DMARC record at _dmarc: receivers apply no DMARC policy for the domain."},
};

static const struct mx_rule *mx_rule(const char *code)
{
	for (size_t i = 0; i < sizeof(mx_rules) / sizeof(mx_rules[0]); i++)
		if (strcmp(mx_rules[i].code, code) == 0)
			return &mx_rules[i];
	return NULL;
}

/* Where a finding's subject stands in the plan: the domain and its records first, then the
 * exchanges in plan order, each with its addresses. */
static size_t mx_rank(const struct mxplan *p, const char *subject)
{
	if (subject == NULL)
		return 0;
	for (size_t e = 0; e < p->nex; e++) {
		const struct mx_exchange *x = &p->ex[e];
		if (x->name && strcmp(x->name, subject) == 0)
			return 1 + e * 64;
		for (size_t a = 0; a < x->naddrs; a++)
			if (strcmp(x->addrs[a].text, subject) == 0)
				return 1 + e * 64 + 1 + (a < 62 ? a : 62);
	}
	return 0;
}

/* Add a finding: errors before warnings before infos, each in plan order (mx_rank). */
static void mx_find(struct mxplan *p, const char *code, const char *subject, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void mx_find(struct mxplan *p, const char *code, const char *subject, const char *fmt, ...)
{
	const struct mx_rule *r = mx_rule(code);
	struct mx_finding *grown, f;
	char msg[512];
	va_list ap;
	size_t at, rank;

	/* every code used must have its rule: a missing one is a programming error */
	assert(r != NULL);
	if (r == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	grown = realloc(p->findings, (p->nfindings + 1) * sizeof(*grown));
	if (grown == NULL)
		return;
	p->findings = grown;
	f.code = r->code;
	f.severity = r->severity;
	f.rfc = r->rfc;
	f.explanation = r->explanation;
	f.subject = subject ? esc_str(subject) : NULL;
	f.message = esc_str(msg);
	rank = mx_rank(p, f.subject);
	for (at = 0; at < p->nfindings; at++) {
		const struct mx_finding *o = &p->findings[at];
		if (o->severity < f.severity ||
		    (o->severity == f.severity && mx_rank(p, o->subject) > rank))
			break;
	}
	memmove(&p->findings[at + 1], &p->findings[at],
	        (p->nfindings - at) * sizeof(p->findings[0]));
	p->findings[at] = f;
	p->nfindings++;
}

/* --- questions --------------------------------------------------------------------- */

static void mx_changed(struct mxplan *p)
{
	if (p->fn)
		p->fn(p, p->arg);
}

static void mx_on_result(struct net_result *res, void *arg);
static void mx_compare_auth(struct mxplan *p);

/* Ask name/type for a context; the context is freed when its answer is handled. */
static void mx_ask(struct mxplan *p, const ldns_rdf *name, ldns_rr_type type, enum mx_qkind kind,
                   size_t ex, size_t addr, size_t rec)
{
	struct mx_ctx *c = calloc(1, sizeof(*c));
	struct query_spec q;

	if (c == NULL)
		return;
	query_spec_init(&q);
	q.qtype = type;
	q.qname = ldns_rdf_clone(name);
	c->p = p;
	c->kind = kind;
	c->ex = ex;
	c->addr = addr;
	c->rec = rec;
	c->type = type;
	if (q.qname != NULL)
		c->aq = ask_start(p->ask, &q, mx_on_result, c);
	query_spec_clear(&q);
	if (c->aq == NULL) {
		free(c);
		return;
	}
	LIST_INSERT_HEAD(&p->ctxs, c, link);
	p->pending++;
}

/* Parse a result; NULL when there is no usable reply (the reason goes to why). */
static ldns_pkt *mx_pkt(const struct net_result *res, const char **why)
{
	ldns_pkt *pkt = NULL;

	if (res->status != NET_OK) {
		*why = net_status_str(res->status);
		return NULL;
	}
	if (ldns_wire2pkt(&pkt, res->wire, res->size) != LDNS_STATUS_OK) {
		*why = "malformed reply";
		return NULL;
	}
	*why = NULL;
	return pkt;
}

static char *mx_rcode_str(const ldns_pkt *pkt)
{
	char buf[32];

	return strdup(rrtext_rcode(buf, sizeof(buf), rrtext_pkt_rcode(pkt)));
}

/* --- special-purpose addresses (RFC 6890 and the registries it set up) ------------- */

struct mx_block {
	int family;
	uint8_t prefix[16];
	unsigned bits;
	const char *name;
};

static const struct mx_block mx_blocks[] = {
    {AF_INET, {0}, 8, "\"this network\" (RFC 791)"},
    {AF_INET, {10}, 8, "private (RFC 1918)"},
    {AF_INET, {100, 64}, 10, "shared address space (RFC 6598)"},
    {AF_INET, {127}, 8, "loopback (RFC 1122)"},
    {AF_INET, {169, 254}, 16, "link-local (RFC 3927)"},
    {AF_INET, {172, 16}, 12, "private (RFC 1918)"},
    {AF_INET, {192, 0, 0}, 24, "IETF protocol assignments (RFC 6890)"},
    {AF_INET, {192, 0, 2}, 24, "documentation (RFC 5737)"},
    {AF_INET, {192, 168}, 16, "private (RFC 1918)"},
    {AF_INET, {198, 18}, 15, "benchmarking (RFC 2544)"},
    {AF_INET, {198, 51, 100}, 24, "documentation (RFC 5737)"},
    {AF_INET, {203, 0, 113}, 24, "documentation (RFC 5737)"},
    {AF_INET, {224}, 4, "multicast (RFC 5771)"},
    {AF_INET, {240}, 4, "reserved (RFC 1112)"},
    {AF_INET6, {0}, 128, "unspecified (RFC 4291)"},
    {AF_INET6, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128, "loopback (RFC 4291)"},
    {AF_INET6, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff}, 96, "IPv4-mapped (RFC 4291)"},
    {AF_INET6, {0x01, 0x00}, 64, "discard-only (RFC 6666)"},
    {AF_INET6, {0x20, 0x01, 0x0d, 0xb8}, 32, "documentation (RFC 3849)"},
    {AF_INET6, {0xfc}, 7, "unique local (RFC 4193)"},
    {AF_INET6, {0xfe, 0x80}, 10, "link-local (RFC 4291)"},
    {AF_INET6, {0xff}, 8, "multicast (RFC 4291)"},
};

static bool mx_prefix_match(const uint8_t *a, const uint8_t *prefix, unsigned bits)
{
	unsigned whole = bits / 8, rest = bits % 8;

	if (memcmp(a, prefix, whole) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((a[whole] ^ prefix[whole]) & (uint8_t)(0xff << (8 - rest))) == 0;
}

static const char *mx_special(int family, const uint8_t *a)
{
	for (size_t i = 0; i < sizeof(mx_blocks) / sizeof(mx_blocks[0]); i++)
		if (mx_blocks[i].family == family &&
		    mx_prefix_match(a, mx_blocks[i].prefix, mx_blocks[i].bits))
			return mx_blocks[i].name;
	if (family == AF_INET && a[0] == 255 && a[1] == 255 && a[2] == 255 && a[3] == 255)
		return "broadcast (RFC 919)";
	return NULL;
}

/* --- the MX answer ----------------------------------------------------------------- */

/* An exchange name that is really an address ("198.51.100.7."). */
static bool mx_is_ip_literal(const ldns_rdf *name)
{
	char *s = ldns_rdf2str(name);
	uint8_t buf[16];
	bool lit = false;
	size_t n;

	if (s == NULL)
		return false;
	n = strlen(s);
	if (n > 1 && s[n - 1] == '.')
		s[n - 1] = '\0';
	lit = inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
	free(s);
	return lit;
}

static void mx_resolve_exchange(struct mxplan *p, size_t i, const ldns_rdf *name)
{
	p->work[i].outstanding = 2;
	mx_ask(p, name, LDNS_RR_TYPE_AAAA, Q_EX_ADDR, i, 0, 0);
	mx_ask(p, name, LDNS_RR_TYPE_A, Q_EX_ADDR, i, 0, 0);
}

/* The implicit MX (RFC 5321 §5.1): the domain itself, preference 0. */
static void mx_implicit(struct mxplan *p)
{
	p->ex = calloc(1, sizeof(*p->ex));
	p->work = calloc(1, sizeof(*p->work));
	p->steps = calloc(1, sizeof(*p->steps));
	if (p->ex == NULL || p->work == NULL || p->steps == NULL)
		return;
	p->mode = MX_MODE_IMPLICIT;
	p->ex[0].name = strdup(p->domain);
	p->nex = 1;
	p->steps[0].count = 1;
	p->nsteps = 1;
	mx_find(p, "implicit-mx", p->domain, "%s has no MX records: mail goes to its own address",
	        p->domain);
	mx_resolve_exchange(p, 0, p->domain_rdf);
}

static int mx_cmp_rr(const void *a, const void *b)
{
	const ldns_rr *x = *(ldns_rr *const *)a, *y = *(ldns_rr *const *)b;
	uint16_t px = ldns_rdf2native_int16(ldns_rr_rdf(x, 0));
	uint16_t py = ldns_rdf2native_int16(ldns_rr_rdf(y, 0));

	if (px != py)
		return px < py ? -1 : 1;
	return ldns_dname_compare(ldns_rr_rdf(x, 1), ldns_rr_rdf(y, 1));
}

/* Build steps and exchanges from the MX RRs of the answer (sorted, deduplicated). */
static void mx_plan_from(struct mxplan *p, ldns_rr **mx, size_t n)
{
	size_t nnull = 0;

	for (size_t i = 0; i < n; i++)
		if (ldns_dname_label_count(ldns_rr_rdf(mx[i], 1)) == 0)
			nnull++;
	if (nnull > 0 && nnull == n) {
		uint16_t pref = ldns_rdf2native_int16(ldns_rr_rdf(mx[0], 0));
		p->mode = MX_MODE_NULL;
		mx_find(p, "null-mx", p->domain, "%s accepts no mail (null MX)", p->domain);
		if (pref != 0)
			mx_find(p, "null-mx-preference", p->domain,
			        "the null MX of %s has preference %u, not 0", p->domain, pref);
		return;
	}
	if (nnull > 0)
		mx_find(p, "null-mx-mixed", p->domain,
		        "%s has a null MX beside %zu other MX record%s; the null MX is left out",
		        p->domain, n - nnull, n - nnull == 1 ? "" : "s");
	qsort(mx, n, sizeof(*mx), mx_cmp_rr);
	p->ex = calloc(n, sizeof(*p->ex));
	p->work = calloc(n, sizeof(*p->work));
	p->steps = calloc(n, sizeof(*p->steps));
	if (p->ex == NULL || p->work == NULL || p->steps == NULL)
		return;
	p->mode = MX_MODE_MX;
	for (size_t i = 0; i < n; i++) {
		const ldns_rdf *name = ldns_rr_rdf(mx[i], 1);
		uint16_t pref = ldns_rdf2native_int16(ldns_rr_rdf(mx[i], 0));
		bool dup = false;

		if (ldns_dname_label_count(name) == 0)
			continue;
		for (size_t j = 0; j < i && !dup; j++) {
			if (ldns_dname_compare(ldns_rr_rdf(mx[j], 1), name) != 0)
				continue;
			dup = true;
			for (size_t k = 0; k < p->nex; k++) {
				char *nm = rrtext_dname(name);
				if (nm && strcasecmp(p->ex[k].name, nm) == 0)
					p->ex[k].duplicates++;
				free(nm);
			}
		}
		if (dup) {
			char *nm = rrtext_dname(name);
			mx_find(
			    p, "duplicate-exchange", nm,
			    "%s is named more than once in the MX RRset (again at preference %u)",
			    nm ? nm : "?", pref);
			free(nm);
			continue;
		}
		struct mx_exchange *x = &p->ex[p->nex];
		x->name = rrtext_dname(name);
		x->preference = pref;
		x->ip_literal = mx_is_ip_literal(name);
		if (p->nsteps == 0 || p->steps[p->nsteps - 1].preference != pref) {
			p->steps[p->nsteps].preference = pref;
			p->steps[p->nsteps].first = p->nex;
			p->nsteps++;
		}
		p->steps[p->nsteps - 1].count++;
		if (x->ip_literal)
			mx_find(p, "exchange-ip-literal", x->name,
			        "exchange %s is an IP address written as a name", x->name);
		p->nex++;
	}
	/* Ask only after the arrays are complete: answers refer to exchanges by index. */
	for (size_t i = 0, k = 0; i < n; i++) {
		const ldns_rdf *name = ldns_rr_rdf(mx[i], 1);
		char *nm = rrtext_dname(name);
		if (k < p->nex && nm && strcmp(nm, p->ex[k].name) == 0)
			mx_resolve_exchange(p, k++, name);
		free(nm);
	}
	if (p->nex == 1)
		mx_find(p, "single-mx", p->ex[0].name, "%s is the only mail exchanger: no backup",
		        p->ex[0].name);
}

static void mx_on_mx(struct mxplan *p, const struct net_result *res)
{
	const char *why;
	ldns_pkt *pkt = mx_pkt(res, &why);
	ldns_rr_list *ans;
	ldns_rr **mx;
	size_t n = 0;

	if (pkt == NULL) {
		p->mode = MX_MODE_NONE;
		mx_find(p, "mx-lookup-failed", p->domain, "the MX lookup for %s failed: %s",
		        p->domain, why);
		return;
	}
	if (ldns_pkt_get_rcode(pkt) == LDNS_RCODE_NXDOMAIN) {
		p->mode = MX_MODE_NONE;
		mx_find(p, "domain-nxdomain", p->domain, "domain %s does not exist (NXDOMAIN)",
		        p->domain);
		ldns_pkt_free(pkt);
		return;
	}
	if (ldns_pkt_get_rcode(pkt) != LDNS_RCODE_NOERROR) {
		char *rc = mx_rcode_str(pkt);
		p->mode = MX_MODE_NONE;
		mx_find(p, "mx-lookup-failed", p->domain, "the MX lookup for %s failed: %s",
		        p->domain, rc ? rc : "error");
		free(rc);
		ldns_pkt_free(pkt);
		return;
	}
	ans = ldns_pkt_answer(pkt); /* owned by pkt */
	mx = calloc(ldns_rr_list_rr_count(ans) + 1, sizeof(*mx));
	for (size_t i = 0; mx && i < ldns_rr_list_rr_count(ans); i++) {
		ldns_rr *rr = ldns_rr_list_rr(ans, i);
		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_MX && ldns_rr_rd_count(rr) == 2)
			mx[n++] = rr;
	}
	if (n == 0) {
		mx_implicit(p);
	} else {
		mx_plan_from(p, mx, n);
		mx_compare_auth(p);
	}
	free(mx);
	ldns_pkt_free(pkt);
}

/* --- exchange addresses, PTR, FCrDNS ----------------------------------------------- */

static void mx_add_address(struct mx_exchange *x, const ldns_rr *rr, int64_t rx_ms)
{
	const ldns_rdf *rd = ldns_rr_rdf(rr, 0);
	int family = ldns_rr_get_type(rr) == LDNS_RR_TYPE_AAAA ? AF_INET6 : AF_INET;
	size_t len = family == AF_INET6 ? 16 : 4;
	struct mx_address *grown, *a;

	if (rd == NULL || ldns_rdf_size(rd) != len)
		return;
	for (size_t i = 0; i < x->naddrs; i++)
		if (x->addrs[i].family == family &&
		    memcmp(x->addrs[i].addr, ldns_rdf_data(rd), len) == 0)
			return;
	grown = realloc(x->addrs, (x->naddrs + 1) * sizeof(*grown));
	if (grown == NULL)
		return;
	x->addrs = grown;
	a = &x->addrs[x->naddrs++];
	memset(a, 0, sizeof(*a));
	a->family = family;
	memcpy(a->addr, ldns_rdf_data(rd), len);
	inet_ntop(family, a->addr, a->text, sizeof(a->text));
	a->ttl = ldns_rr_ttl(rr);
	a->rx_ms = rx_ms;
	a->special_name = mx_special(family, a->addr);
	a->special = a->special_name != NULL;
}

static int mx_cmp_addr(const void *a, const void *b)
{
	const struct mx_address *x = a, *y = b;

	/* IPv6 first (RFC 6724 default policy); the sort is stable enough: qsort on two
	 * families, then the address bytes, which keeps equal inputs equal. */
	if (x->family != y->family)
		return x->family == AF_INET6 ? -1 : 1;
	return memcmp(x->addr, y->addr, x->family == AF_INET6 ? 16 : 4);
}

static void mx_start_probe(struct mxplan *p, size_t ex, size_t ai);

/* Both address answers of an exchange are in: settle its state, then PTR and probes. */
static void mx_exchange_settled(struct mxplan *p, size_t i)
{
	struct mx_exchange *x = &p->ex[i];
	struct mx_xwork *w = &p->work[i];
	bool all_special = x->naddrs > 0;

	if (x->naddrs > 0) {
		x->state = MX_X_RESOLVED;
	} else if (w->nxdomain) {
		x->state = MX_X_NXDOMAIN;
	} else if (w->answered && !w->failed) {
		x->state = MX_X_NODATA;
	} else {
		x->state = MX_X_FAILED;
	}
	if (p->mode == MX_MODE_IMPLICIT && x->state != MX_X_RESOLVED) {
		/* no MX and no address: there is no mail route at all */
		p->mode = MX_MODE_NONE;
		p->nsteps = 0;
		mx_find(p, "no-mail-route", p->domain,
		        "%s has no MX records and no address of its own: no mail route", p->domain);
		return;
	}
	switch (x->state) {
	case MX_X_NXDOMAIN:
		mx_find(p, "exchange-nxdomain", x->name, "exchange %s does not exist (NXDOMAIN)",
		        x->name);
		break;
	case MX_X_NODATA:
		mx_find(p, "exchange-nodata", x->name, "exchange %s has no A or AAAA record",
		        x->name);
		break;
	case MX_X_FAILED:
		mx_find(p, "exchange-failed", x->name, "the address lookups of %s failed", x->name);
		break;
	default:
		break;
	}
	if (x->naddrs > 1)
		qsort(x->addrs, x->naddrs, sizeof(*x->addrs), mx_cmp_addr);
	for (size_t a = 0; a < x->naddrs; a++) {
		ldns_rdf *ip = ldns_rdf_new_frm_data(
		    x->addrs[a].family == AF_INET6 ? LDNS_RDF_TYPE_AAAA : LDNS_RDF_TYPE_A,
		    x->addrs[a].family == AF_INET6 ? 16 : 4, x->addrs[a].addr);
		ldns_rdf *rev = ip ? ldns_rdf_address_reverse(ip) : NULL;

		all_special = all_special && x->addrs[a].special;
		if (rev != NULL)
			mx_ask(p, rev, LDNS_RR_TYPE_PTR, Q_PTR, i, a, 0);
		else
			x->addrs[a].fcrdns = MX_FCRDNS_NO_PTR;
		ldns_rdf_deep_free(rev);
		ldns_rdf_deep_free(ip);
		mx_start_probe(p, i, a);
	}
	if (all_special) {
		char kinds[300] = "";
		size_t used = 0;
		for (size_t a = 0; a < x->naddrs; a++) {
			if (strstr(kinds, x->addrs[a].special_name) != NULL)
				continue;
			used += (size_t)snprintf(kinds + used, sizeof(kinds) - used, "%s%s",
			                         used ? ", " : "", x->addrs[a].special_name);
			if (used >= sizeof(kinds))
				break;
		}
		mx_find(p, "exchange-special-address", x->name,
		        "exchange %s resolves only to special-purpose addresses: %s", x->name,
		        kinds);
	}
}

static void mx_on_exchange_addr(struct mxplan *p, struct mx_ctx *c, const struct net_result *res)
{
	struct mx_exchange *x = &p->ex[c->ex];
	struct mx_xwork *w = &p->work[c->ex];
	const char *why;
	ldns_pkt *pkt = mx_pkt(res, &why);

	if (pkt == NULL) {
		w->failed = true;
	} else if (ldns_pkt_get_rcode(pkt) == LDNS_RCODE_NXDOMAIN) {
		w->nxdomain = true;
		w->answered = true;
	} else if (ldns_pkt_get_rcode(pkt) != LDNS_RCODE_NOERROR) {
		w->failed = true;
	} else {
		ldns_rr_list *ans = ldns_pkt_answer(pkt);
		w->answered = true;
		for (size_t i = 0; i < ldns_rr_list_rr_count(ans); i++) {
			ldns_rr *rr = ldns_rr_list_rr(ans, i);
			if (ldns_rr_get_type(rr) == c->type) {
				mx_add_address(x, rr, ttl_ts_ms(&res->rx_mono));
			} else if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_CNAME &&
			           x->alias_target == NULL && ldns_rr_rd_count(rr) == 1) {
				/* the exchange (first link of the chain) is an alias */
				char *owner = rrtext_dname(ldns_rr_owner(rr));
				if (owner && strcasecmp(owner, x->name) == 0)
					x->alias_target = rrtext_dname(ldns_rr_rdf(rr, 0));
				free(owner);
				if (x->alias_target && p->mode == MX_MODE_MX)
					mx_find(p, "exchange-cname", x->name,
					        "exchange %s is an alias (CNAME) for %s", x->name,
					        x->alias_target);
			}
		}
	}
	ldns_pkt_free(pkt);
	if (--w->outstanding == 0)
		mx_exchange_settled(p, c->ex);
}

static void mx_on_ptr(struct mxplan *p, struct mx_ctx *c, const struct net_result *res)
{
	struct mx_address *a = &p->ex[c->ex].addrs[c->addr];
	const char *why;
	ldns_pkt *pkt = mx_pkt(res, &why);
	ldns_rr_list *ptrs =
	    pkt ? ldns_pkt_rr_list_by_type(pkt, LDNS_RR_TYPE_PTR, LDNS_SECTION_ANSWER) : NULL;

	if (ptrs != NULL && ldns_rr_list_rr_count(ptrs) > 0 &&
	    ldns_rr_rd_count(ldns_rr_list_rr(ptrs, 0)) == 1) {
		const ldns_rdf *name = ldns_rr_rdf(ldns_rr_list_rr(ptrs, 0), 0);
		a->ptr = rrtext_dname(name);
		mx_ask(p, name, a->family == AF_INET6 ? LDNS_RR_TYPE_AAAA : LDNS_RR_TYPE_A,
		       Q_PTR_FWD, c->ex, c->addr, 0);
	} else {
		a->fcrdns = MX_FCRDNS_NO_PTR; /* one finding per exchange, in mx_judge() */
	}
	ldns_rr_list_deep_free(ptrs);
	ldns_pkt_free(pkt);
}

static void mx_on_ptr_forward(struct mxplan *p, struct mx_ctx *c, const struct net_result *res)
{
	struct mx_address *a = &p->ex[c->ex].addrs[c->addr];
	const char *why;
	ldns_pkt *pkt = mx_pkt(res, &why);
	ldns_rr_list *fw = pkt ? ldns_pkt_rr_list_by_type(pkt, c->type, LDNS_SECTION_ANSWER) : NULL;
	size_t len = a->family == AF_INET6 ? 16 : 4;

	a->fcrdns = MX_FCRDNS_MISMATCH;
	for (size_t i = 0; fw && i < ldns_rr_list_rr_count(fw); i++) {
		const ldns_rdf *rd = ldns_rr_rdf(ldns_rr_list_rr(fw, i), 0);
		if (rd && ldns_rdf_size(rd) == len && memcmp(ldns_rdf_data(rd), a->addr, len) == 0)
			a->fcrdns = MX_FCRDNS_OK;
	}
	if (a->fcrdns == MX_FCRDNS_MISMATCH)
		mx_find(p, "fcrdns-mismatch", a->text, "%s has PTR %s, which does not resolve back",
		        a->text, a->ptr ? a->ptr : "?");
	ldns_rr_list_deep_free(fw);
	ldns_pkt_free(pkt);
}

/* --- mail records ------------------------------------------------------------------ */

static const struct {
	const char *kind, *prefix, *label, *rfc;
} mx_record_kinds[4] = {
    {"SPF", "v=spf1", NULL, "RFC 7208"},
    {"DMARC", "v=DMARC1", "_dmarc", "RFC 7489"},
    {"MTA-STS", "v=STSv1", "_mta-sts", "RFC 8461"},
    {"TLS-RPT", "v=TLSRPTv1", "_smtp._tls", "RFC 8460"},
};

/* Does the TXT's text (its character-strings joined, RFC 7208 §3.3) start with the version
 * tag, followed by a space, ';' or its end? Case-insensitive, as the RFCs allow. */
static bool mx_txt_has_tag(const ldns_rr *rr, const char *tag)
{
	char text[512];
	size_t used = 0, tl = strlen(tag);

	for (size_t i = 0; i < ldns_rr_rd_count(rr) && used < sizeof(text) - 1; i++) {
		const ldns_rdf *rd = ldns_rr_rdf(rr, i);
		const uint8_t *d = ldns_rdf_data(rd);
		size_t n = ldns_rdf_size(rd) > 0 ? d[0] : 0;

		if (n + 1 > ldns_rdf_size(rd))
			return false;
		if (n > sizeof(text) - 1 - used)
			n = sizeof(text) - 1 - used;
		memcpy(text + used, d + 1, n);
		used += n;
	}
	text[used] = '\0';
	return used >= tl && strncasecmp(text, tag, tl) == 0 &&
	       (text[tl] == '\0' || text[tl] == ' ' || text[tl] == ';');
}

static void mx_on_record(struct mxplan *p, struct mx_ctx *c, const struct net_result *res)
{
	struct mx_record *r = &p->records[c->rec];
	const char *why;
	ldns_pkt *pkt = mx_pkt(res, &why);

	r->done = true;
	if (pkt == NULL) {
		r->error = esc_str(why);
		return;
	}
	if (ldns_pkt_get_rcode(pkt) == LDNS_RCODE_NOERROR ||
	    ldns_pkt_get_rcode(pkt) == LDNS_RCODE_NXDOMAIN) {
		ldns_rr_list *ans = ldns_pkt_answer(pkt);
		for (size_t i = 0; i < ldns_rr_list_rr_count(ans); i++) {
			ldns_rr *rr = ldns_rr_list_rr(ans, i);
			char **grown;
			if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_TXT ||
			    !mx_txt_has_tag(rr, mx_record_kinds[c->rec].prefix))
				continue;
			grown = realloc(r->texts, (r->ntexts + 2) * sizeof(*grown));
			if (grown == NULL)
				break;
			r->texts = grown;
			r->texts[r->ntexts++] = rrtext_rdata(rr);
			r->texts[r->ntexts] = NULL;
		}
	} else {
		r->error = mx_rcode_str(pkt);
	}
	ldns_pkt_free(pkt);
	if (c->rec == 0 && r->ntexts > 1)
		mx_find(p, "spf-multiple", r->owner, "%s publishes %zu SPF records", p->domain,
		        r->ntexts);
	else if (c->rec == 0 && r->ntexts == 0 && r->error == NULL)
		mx_find(p, "no-spf", r->owner, "%s publishes no SPF record", p->domain);
	else if (c->rec == 1 && r->ntexts > 1)
		mx_find(p, "dmarc-multiple", r->owner, "%s has %zu DMARC records", r->owner,
		        r->ntexts);
	else if (c->rec == 1 && r->ntexts == 0 && r->error == NULL)
		mx_find(p, "no-dmarc", r->owner, "%s has no DMARC record", p->domain);
}

/* --- SMTP probe and verdict -------------------------------------------------------- */

static void mx_on_probe(struct smtp_result *res, void *arg);

static void mx_start_probe(struct mxplan *p, size_t ex, size_t ai)
{
	struct mx_address *a = &p->ex[ex].addrs[ai];
	struct sockaddr_storage ss;
	socklen_t len;
	struct mx_ctx *c;

	if (!p->opts.smtp || p->base == NULL || p->probes_started >= p->opts.smtp_max)
		return;
	memset(&ss, 0, sizeof(ss));
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(p->opts.smtp_port);
		memcpy(&s6->sin6_addr, a->addr, 16);
		len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons(p->opts.smtp_port);
		memcpy(&s4->sin_addr, a->addr, 4);
		len = sizeof(*s4);
	}
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return;
	c->p = p;
	c->ex = ex;
	c->addr = ai;
	c->probe = smtp_probe_start(p->base, (struct sockaddr *)&ss, len, "dnsdeck.invalid",
	                            p->opts.smtp_timeout_ms, mx_on_probe, c);
	if (c->probe == NULL) {
		free(c);
		return;
	}
	p->probes_started++;
	a->smtp_pending = true;
	LIST_INSERT_HEAD(&p->ctxs, c, link);
	p->pending++;
}

/* How an exchange's probes went, in words: "refused", "timed out", "no address", ... */
static const char *mx_probe_outcome(const struct mx_exchange *x)
{
	if (x->naddrs == 0)
		return "(no address)";
	for (size_t a = 0; a < x->naddrs; a++) {
		const struct smtp_result *r = x->addrs[a].smtp;
		if (r != NULL)
			return r->status == SMTP_TIMEOUT    ? "(timed out)"
			       : r->status == SMTP_REFUSED  ? "(refused)"
			       : r->status == SMTP_REJECTED ? "(rejected the connection)"
			                                    : "(did not answer properly)";
	}
	return "(not probed)";
}

/* Where mail would go now: the first exchange, in plan order, whose probe got a 220. */
static void mx_verdict(struct mxplan *p)
{
	char buf[1024], failed[600] = "";
	size_t fl = 0;

	if (!p->opts.smtp || p->pending > 0 || p->verdict.known)
		return;
	p->verdict.known = true;
	for (size_t s = 0; s < p->nsteps && !p->verdict.first_reachable; s++) {
		for (size_t e = p->steps[s].first;
		     e < p->steps[s].first + p->steps[s].count && !p->verdict.first_reachable;
		     e++) {
			const struct mx_exchange *x = &p->ex[e];
			for (size_t a = 0; a < x->naddrs; a++) {
				const struct smtp_result *r = x->addrs[a].smtp;
				if (r && r->status == SMTP_OK && r->greeting_code == 220) {
					p->verdict.first_reachable = x;
					p->verdict.address = &x->addrs[a];
					break;
				}
			}
			if (!p->verdict.first_reachable && fl < sizeof(failed) - 1)
				fl +=
				    (size_t)snprintf(failed + fl, sizeof(failed) - fl, "%s%s %s",
				                     fl ? ", " : "", x->name, mx_probe_outcome(x));
		}
	}
	if (p->verdict.first_reachable)
		snprintf(buf, sizeof(buf), "first reachable: %s (pref %u) at %s%s%s",
		         p->verdict.first_reachable->name, p->verdict.first_reachable->preference,
		         p->verdict.address->text, fl ? " -- before it: " : "", failed);
	else
		snprintf(buf, sizeof(buf), "no exchange accepted a connection on port %u%s%s",
		         p->opts.smtp_port, fl ? ": " : "", failed);
	p->verdict.summary = esc_str(buf);
}

static void mx_on_probe(struct smtp_result *res, void *arg)
{
	struct mx_ctx *c = arg;
	struct mxplan *p = c->p;
	struct mx_address *a = &p->ex[c->ex].addrs[c->addr];

	LIST_REMOVE(c, link);
	free(c);
	p->pending--;
	a->smtp = res;
	a->smtp_pending = false;
	mx_verdict(p);
	mx_changed(p);
}

/* --- dispatch and API -------------------------------------------------------------- */

/* All exchanges (two or more, with addresses) in one IPv4 /24 and one IPv6 /48. */
static void mx_same_network(struct mxplan *p)
{
	const uint8_t *v4 = NULL, *v6 = NULL;
	size_t with_addrs = 0;

	if (p->mode != MX_MODE_MX || p->nex < 2)
		return;
	for (size_t e = 0; e < p->nex; e++) {
		const struct mx_exchange *x = &p->ex[e];
		with_addrs += x->naddrs > 0;
		for (size_t a = 0; a < x->naddrs; a++) {
			const uint8_t *ad = x->addrs[a].addr;
			if (x->addrs[a].family == AF_INET) {
				if (v4 && memcmp(v4, ad, 3) != 0)
					return;
				v4 = ad;
			} else {
				if (v6 && memcmp(v6, ad, 6) != 0)
					return;
				v6 = ad;
			}
		}
	}
	if (with_addrs >= 2)
		mx_find(p, "same-network", p->domain,
		        "all %zu exchanges of %s share one network (%s%s%s)", with_addrs, p->domain,
		        v4 ? "one /24" : "", v4 && v6 ? ", " : "", v6 ? "one /48" : "");
}

/* Findings about the whole plan, made once every question has been answered. */
static void mx_judge(struct mxplan *p)
{
	for (size_t e = 0; e < mxplan_nexchanges(p); e++) {
		const struct mx_exchange *x = &p->ex[e];
		char list[400] = "";
		size_t n = 0, used = 0;

		for (size_t a = 0; a < x->naddrs; a++) {
			if (x->addrs[a].fcrdns != MX_FCRDNS_NO_PTR)
				continue;
			n++;
			if (used < sizeof(list) - 1)
				used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s",
				                         used ? ", " : "", x->addrs[a].text);
		}
		if (n > 0)
			mx_find(p, "no-ptr", x->name, "%s: no PTR record for %s", x->name, list);
	}
	mx_same_network(p);
}

/* After every answer: once nothing is outstanding, the whole-plan findings and verdict. */
static void mx_settle(struct mxplan *p)
{
	if (p->pending == 0 && !p->judged) {
		p->judged = true;
		mx_judge(p);
	}
	if (p->pending == 0)
		mx_verdict(p);
	mx_changed(p);
}

/* The comparison of the MX RRset across the authoritative servers changed. */
static void mx_on_auth_cmp(struct prop *cmp, void *arg)
{
	struct mxplan *p = arg;

	if (p->auth_done || !prop_done(cmp))
		return;
	p->auth_done = true;
	p->pending--;
	if (prop_ngroups(cmp) > 1)
		mx_find(p, "mx-differs", p->domain,
		        "the authoritative servers of %s disagree on its MX RRset: %s", p->domain,
		        prop_summary(cmp));
	mx_settle(p);
}

/* Ask the MX RRset of every authoritative server (RD=0), through engine/prop. */
static void mx_compare_auth(struct mxplan *p)
{
	struct prop_opts o = {.auth = true};
	struct query_spec q;

	if (p->opts.auth_net == NULL || p->auth_cmp != NULL)
		return;
	query_spec_init(&q);
	q.qtype = LDNS_RR_TYPE_MX;
	q.rd = false;
	q.qname = ldns_rdf_clone(p->domain_rdf);
	if (q.qname != NULL)
		p->auth_cmp =
		    prop_new(p->opts.auth_net, p->ask, &q, NULL, 0, &o, mx_on_auth_cmp, p);
	query_spec_clear(&q);
	if (p->auth_cmp != NULL)
		p->pending++;
}

static void mx_on_result(struct net_result *res, void *arg)
{
	struct mx_ctx *c = arg;
	struct mxplan *p = c->p;

	LIST_REMOVE(c, link);
	p->pending--;
	switch (c->kind) {
	case Q_MX:
		mx_on_mx(p, res);
		break;
	case Q_EX_ADDR:
		mx_on_exchange_addr(p, c, res);
		break;
	case Q_PTR:
		mx_on_ptr(p, c, res);
		break;
	case Q_PTR_FWD:
		mx_on_ptr_forward(p, c, res);
		break;
	case Q_RECORD:
		mx_on_record(p, c, res);
		break;
	}
	free(c);
	net_result_free(res);
	mx_settle(p);
}

void mxplan_opts_init(struct mxplan_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->smtp_port = 25;
	o->smtp_timeout_ms = 5000;
	o->smtp_max = 16;
}

char *mxplan_domain_of(const char *input, char *err, size_t errlen)
{
	const char *at = strrchr(input, '@');
	const char *domain = at ? at + 1 : input;

	if (at == input) {
		snprintf(err, errlen, "'%.80s': empty local part before '@'", input);
		return NULL;
	}
	if (*domain == '\0') {
		snprintf(err, errlen, "'%.80s': no domain", input);
		return NULL;
	}
	return strdup(domain);
}

struct mxplan *mxplan_new(struct ask *ask, struct event_base *base, const char *domain,
                          const struct mxplan_opts *opts, mxplan_change_fn fn, void *arg)
{
	struct mxplan *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return NULL;
	LIST_INIT(&p->ctxs);
	p->ask = ask;
	p->verdict.probed = opts != NULL && opts->smtp && base != NULL;
	p->base = base;
	if (opts)
		p->opts = *opts;
	else
		mxplan_opts_init(&p->opts);
	if (ldns_str2rdf_dname(&p->domain_rdf, domain) != LDNS_STATUS_OK ||
	    (p->domain = rrtext_dname(p->domain_rdf)) == NULL) {
		mxplan_free(p);
		return NULL;
	}
	for (size_t i = 0; i < 4; i++) {
		struct mx_record *r = &p->records[i];
		ldns_rdf *owner = ldns_rdf_clone(p->domain_rdf);

		r->kind = mx_record_kinds[i].kind;
		r->rfc = mx_record_kinds[i].rfc;
		if (owner && mx_record_kinds[i].label) {
			ldns_rdf *label = ldns_dname_new_frm_str(mx_record_kinds[i].label);
			ldns_rdf *full = label ? ldns_dname_cat_clone(label, owner) : NULL;
			ldns_rdf_deep_free(label);
			ldns_rdf_deep_free(owner);
			owner = full;
		}
		if (owner == NULL) {
			mxplan_free(p);
			return NULL;
		}
		r->owner = rrtext_dname(owner);
		ldns_rdf_deep_free(owner);
	}
	/* callbacks only after the first questions are out */
	mx_ask(p, p->domain_rdf, LDNS_RR_TYPE_MX, Q_MX, 0, 0, 0);
	for (size_t i = 0; i < 4; i++) {
		ldns_rdf *owner = NULL;
		if (ldns_str2rdf_dname(&owner, p->records[i].owner) == LDNS_STATUS_OK)
			mx_ask(p, owner, LDNS_RR_TYPE_TXT, Q_RECORD, 0, 0, i);
		ldns_rdf_deep_free(owner);
	}
	p->fn = fn;
	p->arg = arg;
	return p;
}

void mxplan_free(struct mxplan *p)
{
	struct mx_ctx *c;

	if (p == NULL)
		return;
	prop_free(p->auth_cmp);
	while ((c = LIST_FIRST(&p->ctxs)) != NULL) {
		LIST_REMOVE(c, link);
		if (c->probe)
			smtp_probe_cancel(c->probe);
		else if (c->aq)
			ask_cancel(c->aq);
		free(c);
	}
	for (size_t i = 0; i < p->nex; i++) {
		struct mx_exchange *x = &p->ex[i];
		for (size_t a = 0; a < x->naddrs; a++) {
			free(x->addrs[a].ptr);
			smtp_result_free(x->addrs[a].smtp);
		}
		free(x->addrs);
		free(x->name);
		free(x->alias_target);
	}
	for (size_t i = 0; i < p->nfindings; i++) {
		free(p->findings[i].subject);
		free(p->findings[i].message);
	}
	for (size_t i = 0; i < 4; i++) {
		for (size_t t = 0; t < p->records[i].ntexts; t++)
			free(p->records[i].texts[t]);
		free(p->records[i].texts);
		free(p->records[i].owner);
		free(p->records[i].error);
	}
	free(p->verdict.summary);
	free(p->findings);
	free(p->ex);
	free(p->work);
	free(p->steps);
	free(p->domain);
	ldns_rdf_deep_free(p->domain_rdf);
	free(p);
}

bool mxplan_done(const struct mxplan *p)
{
	return p->mode != MX_MODE_PENDING && p->pending == 0;
}

const char *mxplan_domain(const struct mxplan *p)
{
	return p->domain;
}

enum mx_mode mxplan_mode(const struct mxplan *p)
{
	return p->mode;
}

const char *mxplan_mode_str(enum mx_mode m)
{
	switch (m) {
	case MX_MODE_MX:
		return "mx";
	case MX_MODE_NULL:
		return "null-mx";
	case MX_MODE_IMPLICIT:
		return "implicit";
	case MX_MODE_NONE:
		return "none";
	case MX_MODE_PENDING:
		break;
	}
	return "pending";
}

size_t mxplan_nsteps(const struct mxplan *p)
{
	return p->nsteps;
}

const struct mx_step *mxplan_step(const struct mxplan *p, size_t i)
{
	return i < p->nsteps ? &p->steps[i] : NULL;
}

size_t mxplan_nexchanges(const struct mxplan *p)
{
	return p->mode == MX_MODE_NONE ? 0 : p->nex;
}

const struct mx_exchange *mxplan_exchange(const struct mxplan *p, size_t i)
{
	return i < mxplan_nexchanges(p) ? &p->ex[i] : NULL;
}

size_t mxplan_nfindings(const struct mxplan *p)
{
	return p->nfindings;
}

const struct mx_finding *mxplan_finding(const struct mxplan *p, size_t i)
{
	return i < p->nfindings ? &p->findings[i] : NULL;
}

size_t mxplan_nrecords(const struct mxplan *p)
{
	return 4;
}

const struct mx_record *mxplan_record(const struct mxplan *p, size_t i)
{
	return i < 4 ? &p->records[i] : NULL;
}

const struct mx_verdict *mxplan_verdict(const struct mxplan *p)
{
	return &p->verdict;
}

const char *mxplan_severity_str(enum mx_severity s)
{
	switch (s) {
	case MX_SEV_ERROR:
		return "error";
	case MX_SEV_WARNING:
		return "warning";
	case MX_SEV_INFO:
		break;
	}
	return "info";
}
