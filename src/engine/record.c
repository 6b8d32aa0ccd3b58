/*
 * record.c -- saved sessions: recorder, session file writer and reader, replay, diff
 * (see record.h).
 */
#include "config.h"
#include "engine/record.h"
#include "dns/escape.h"
#include "dns/reply.h"
#include "dns/rrset.h"
#include "dns/rrtext.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* --- small encoders ----------------------------------------------------------------- */

void record_hex(char *dst, const uint8_t *src, size_t len)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		dst[2 * i] = digits[src[i] >> 4];
		dst[2 * i + 1] = digits[src[i] & 15];
	}
	dst[2 * len] = '\0';
}

static int record_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int record_unhex(uint8_t *dst, const char *src, size_t len)
{
	if (len % 2 != 0)
		return -1;
	for (size_t i = 0; i < len; i += 2) {
		int hi = record_nibble(src[i]), lo = record_nibble(src[i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		dst[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

char *record_quote(const char *s)
{
	size_t n = strlen(s);
	char *out = malloc(4 * n + 1), *o = out;

	if (out == NULL)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p > 0x20 && *p < 0x7f && *p != '\\')
			*o++ = (char)*p;
		else
			o += sprintf(o, "\\%03u", *p);
	}
	*o = '\0';
	return out;
}

int record_unquote(const char *s, char **out)
{
	char *r = malloc(strlen(s) + 1), *o = r;

	if (r == NULL)
		return -1;
	for (const char *p = s; *p; p++) {
		unsigned v;
		if (*p == '\\') {
			if (p[1] < '0' || p[1] > '9' || p[2] < '0' || p[2] > '9' || p[3] < '0' ||
			    p[3] > '9')
				goto bad;
			v = (unsigned)((p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0'));
			if (v == 0 || v > 255)
				goto bad;
			*o++ = (char)v;
			p += 3;
		} else if ((unsigned char)*p > 0x20 && (unsigned char)*p < 0x7f) {
			*o++ = *p;
		} else {
			goto bad;
		}
	}
	*o = '\0';
	*out = r;
	return 0;
bad:
	free(r);
	return -1;
}

char *record_time_str(char *buf, size_t len, const struct timespec *ts)
{
	struct tm tm;
	time_t t = ts->tv_sec;
	char day[24];

	if (gmtime_r(&t, &tm) == NULL || strftime(day, sizeof(day), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		snprintf(day, sizeof(day), "1970-01-01T00:00:00");
	snprintf(buf, len, "%s.%09ldZ", day, (long)ts->tv_nsec);
	return buf;
}

/* Exactly n decimal digits at s into *v. */
static int record_digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

int record_time_parse(const char *s, struct timespec *ts)
{
	struct tm tm, back;
	int y, mo, d, h, mi, se;
	long ns = 0;
	const char *p = s + 19;
	time_t t;

	if (strlen(s) < 20 || record_digits(s, 4, &y) || s[4] != '-' ||
	    record_digits(s + 5, 2, &mo) || s[7] != '-' || record_digits(s + 8, 2, &d) ||
	    s[10] != 'T' || record_digits(s + 11, 2, &h) || s[13] != ':' ||
	    record_digits(s + 14, 2, &mi) || s[16] != ':' || record_digits(s + 17, 2, &se))
		return -1;
	if (*p == '.') {
		int nd = 0;
		for (p++; *p >= '0' && *p <= '9' && nd < 9; p++, nd++)
			ns = ns * 10 + (*p - '0');
		if (nd == 0)
			return -1;
		for (; nd < 9; nd++)
			ns *= 10;
	}
	if (strcmp(p, "Z") != 0 || y < 1970 || y > 9999)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	t = timegm(&tm);
	/* timegm normalises 2026-02-30 to March: refuse what does not come back the same */
	if (t == (time_t)-1 || gmtime_r(&t, &back) == NULL || back.tm_year != y - 1900 ||
	    back.tm_mon != mo - 1 || back.tm_mday != d || back.tm_hour != h || back.tm_min != mi ||
	    back.tm_sec != se)
		return -1;
	ts->tv_sec = t;
	ts->tv_nsec = ns;
	return 0;
}

/* Words of the file for transport statuses and discard reasons (never translated). */
static const char *const record_status_words[] = {
    [NET_OK] = "ok",
    [NET_TIMEOUT] = "timeout",
    [NET_UNREACHABLE] = "unreachable",
    [NET_NETWORK] = "network",
    [NET_TCP_CLOSED] = "tcp-closed",
    [NET_MALFORMED] = "malformed",
    [NET_CANCELLED] = "cancelled",
};

static const char *const record_verdict_words[] = {
    [REPLY_MATCH] = "none",
    [REPLY_SHORT] = "short",
    [REPLY_NOT_RESPONSE] = "not-response",
    [REPLY_ID_MISMATCH] = "id-mismatch",
    [REPLY_OPCODE_MISMATCH] = "opcode-mismatch",
    [REPLY_QUESTION_MISMATCH] = "question-mismatch",
    [REPLY_MALFORMED] = "malformed",
};

#define RECORD_NWORDS(a) (sizeof(a) / sizeof((a)[0]))

static int record_word_index(const char *const *words, size_t n, const char *w)
{
	for (size_t i = 0; i < n; i++)
		if (words[i] != NULL && strcmp(words[i], w) == 0)
			return (int)i;
	return -1;
}

static const char *const record_view_words[] = {
    [RECORD_VIEW_LOOKUP] = "lookup",
    [RECORD_VIEW_COMPARE] = "compare",
    [RECORD_VIEW_MX] = "mx",
};

static int64_t record_ts_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

static struct timespec record_ns_ts(int64_t ns)
{
	struct timespec ts = {.tv_sec = (time_t)(ns / 1000000000),
	                      .tv_nsec = (long)(ns % 1000000000)};
	return ts;
}

static bool record_ts_zero(const struct timespec *ts)
{
	return ts->tv_sec == 0 && ts->tv_nsec == 0;
}

/* The port of an address (host order). */
static uint16_t record_port_of(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	return 0;
}

/* Same name (case-insensitive, RFC 4343), type and class. */
static bool record_same_question(const struct query_spec *a, const struct query_spec *b)
{
	return a->qtype == b->qtype && a->qclass == b->qclass && a->qname != NULL &&
	       b->qname != NULL && ldns_dname_compare(a->qname, b->qname) == 0;
}

static void record_entry_clear(struct record_entry *e)
{
	query_spec_clear(&e->q);
	free(e->res.wire);
	memset(e, 0, sizeof(*e));
}

static void record_entries_free(struct record_entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		record_entry_clear(&e[i]);
	free(e);
}

/* A deep copy of e's result for a job, its receive time rebased on base_ns. */
static struct net_result *record_result_copy(const struct record_entry *e, int64_t base_ns)
{
	struct net_result *res = malloc(sizeof(*res));

	if (res == NULL)
		return NULL;
	*res = e->res;
	res->wire = NULL;
	if (e->res.size > 0) {
		res->wire = malloc(e->res.size);
		if (res->wire == NULL) {
			free(res);
			return NULL;
		}
		memcpy(res->wire, e->res.wire, e->res.size);
	}
	if (e->have_rx) {
		res->rx_mono = record_ns_ts(base_ns + e->t_ns);
		res->rx_wall = e->at;
	}
	return res;
}

/* --- the recorder -------------------------------------------------------------------- */

struct record {
	struct record_entry *e;
	size_t n, cap;
	uint64_t next_seq;
	int64_t start_ns; /* CLOCK_MONOTONIC at record_new */
};

struct record *record_new(void)
{
	struct record *r = calloc(1, sizeof(*r));
	struct timespec now;

	if (r == NULL)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &now);
	r->start_ns = record_ts_ns(&now);
	r->next_seq = 1;
	return r;
}

void record_free(struct record *r)
{
	if (r == NULL)
		return;
	record_entries_free(r->e, r->n);
	free(r);
}

/* Room for one more entry, dropping the oldest half when RECORD_KEEP_MAX is reached. */
static struct record_entry *record_slot(struct record *r)
{
	if (r->n >= RECORD_KEEP_MAX) {
		size_t drop = r->n / 2;
		for (size_t i = 0; i < drop; i++)
			record_entry_clear(&r->e[i]);
		memmove(r->e, r->e + drop, (r->n - drop) * sizeof(*r->e));
		r->n -= drop;
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		struct record_entry *grown = realloc(r->e, cap * sizeof(*grown));
		if (grown == NULL)
			return NULL;
		r->e = grown;
		r->cap = cap;
	}
	memset(&r->e[r->n], 0, sizeof(r->e[r->n]));
	return &r->e[r->n];
}

/* Append a copy of e (its times kept) under the next running number. */
static int record_put(struct record *r, const struct record_entry *src)
{
	struct record_entry *e = record_slot(r);

	if (e == NULL)
		return -1;
	*e = *src;
	e->q.qname = NULL;
	e->res.wire = NULL;
	if (query_spec_copy(&e->q, &src->q) != LDNS_STATUS_OK)
		goto fail;
	if (src->res.size > 0) {
		if ((e->res.wire = malloc(src->res.size)) == NULL)
			goto fail;
		memcpy(e->res.wire, src->res.wire, src->res.size);
	}
	e->seq = r->next_seq++;
	r->n++;
	return 0;
fail:
	record_entry_clear(e);
	return -1;
}

int record_add(struct record *r, const struct sockaddr *server, socklen_t len,
               const struct query_spec *q, const struct net_result *res)
{
	struct record_entry e;
	struct timespec mono;

	if (len > sizeof(e.addr))
		return -1;
	memset(&e, 0, sizeof(e));
	memcpy(&e.addr, server, len);
	e.addrlen = len;
	server_addr_str(e.server, sizeof(e.server), server);
	e.q = *q;
	e.res = *res;
	if (res->wire == NULL)
		e.res.size = 0;
	e.have_rx = !record_ts_zero(&res->rx_mono);
	if (e.have_rx) {
		mono = res->rx_mono;
		e.at = res->rx_wall;
	} else {
		clock_gettime(CLOCK_MONOTONIC, &mono);
		clock_gettime(CLOCK_REALTIME, &e.at);
	}
	e.t_ns = record_ts_ns(&mono) - r->start_ns;
	if (e.t_ns < 0)
		e.t_ns = 0;
	return record_put(r, &e);
}

uint64_t record_next_seq(const struct record *r)
{
	return r->next_seq;
}

size_t record_count(const struct record *r)
{
	return r->n;
}

const struct record_entry *record_at(const struct record *r, size_t i)
{
	return i < r->n ? &r->e[i] : NULL;
}

/* --- finding the results a view shows -------------------------------------------------- */

static bool record_same_result(const struct net_result *a, const struct net_result *b)
{
	size_t asz = a->wire ? a->size : 0, bsz = b->wire ? b->size : 0;

	return a->status == b->status && a->sys_errno == b->sys_errno && a->tcp == b->tcp &&
	       a->tc_retry == b->tc_retry && a->rtt_ms == b->rtt_ms && a->tries == b->tries &&
	       a->discarded == b->discarded && asz == bsz &&
	       (asz == 0 || memcmp(a->wire, b->wire, asz) == 0) &&
	       a->rx_wall.tv_sec == b->rx_wall.tv_sec && a->rx_wall.tv_nsec == b->rx_wall.tv_nsec;
}

/* The newest entry (1-based position, 0 = none) that is res, asked of addr with question q. */
static size_t record_find_result(const struct record *r, const char *addr,
                                 const struct query_spec *q, const struct net_result *res)
{
	for (size_t i = r->n; i > 0; i--) {
		const struct record_entry *e = &r->e[i - 1];
		if (strcmp(e->server, addr) == 0 && record_same_question(&e->q, q) &&
		    record_same_result(&e->res, res))
			return i;
	}
	return 0;
}

/* The newest entry from seq `from` on asking addr name/type, other than position `not`. */
static size_t record_find_key(const struct record *r, const char *addr, const ldns_rdf *name,
                              ldns_rr_type type, ldns_rr_class klass, uint64_t from, size_t not )
{
	for (size_t i = r->n; i > 0 && r->e[i - 1].seq >= from; i--) {
		const struct record_entry *e = &r->e[i - 1];
		if (i != not &&strcmp(e->server, addr) == 0 && e->q.qtype == type &&
		    e->q.qclass == klass && ldns_dname_compare(e->q.qname, name) == 0)
			return i;
	}
	return 0;
}

/* --- writing -------------------------------------------------------------------------- */

/* A name in ldns presentation form, checked to be one printable token. */
static char *record_name_token(const ldns_rdf *name)
{
	char *t = rrtext_dname(name);

	for (const char *p = t; p && *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f) {
			free(t);
			return NULL;
		}
	return t;
}

static int record_put_question(FILE *f, const struct query_spec *q)
{
	char type[32], klass[32];
	char *name = record_name_token(q->qname);
	int rc;

	if (name == NULL)
		return -1;
	rc = fprintf(
	    f, " qname=%s qtype=%s qclass=%s rd=%d cd=%d ad=%d edns=%d do=%d nsid=%d bufsize=%u",
	    name, rrtext_type(type, sizeof(type), q->qtype),
	    rrtext_class(klass, sizeof(klass), q->qclass), q->rd, q->cd, q->ad, q->edns,
	    q->dnssec_ok, q->nsid, (unsigned)q->udp_size);
	free(name);
	return rc < 0 ? -1 : 0;
}

static int record_put_server(FILE *f, const struct server *s)
{
	char addr[64] = "-";
	char *label = record_quote(s->label ? s->label : "");
	char *host = s->hostname ? record_quote(s->hostname) : strdup("-");
	int rc = -1;

	if (s->addrlen > 0)
		server_addr_str(addr, sizeof(addr), (const struct sockaddr *)&s->addr);
	if (label != NULL && host != NULL &&
	    fprintf(f, " label=%s hostname=%s port=%u addr=%s", *label ? label : "-", host,
	            (unsigned)s->port, addr) >= 0)
		rc = 0;
	free(label);
	free(host);
	return rc;
}

/* "=-" for position 0, else "=N". */
static int record_put_ref(FILE *f, const char *key, size_t pos)
{
	return (pos ? fprintf(f, " %s=%zu", key, pos) : fprintf(f, " %s=-", key)) < 0 ? -1 : 0;
}

/* ms with six decimals from ns, without the locale's decimal point. */
static int record_put_ms(FILE *f, const char *key, int64_t ns)
{
	return fprintf(f, " %s=%" PRId64 ".%06" PRId64, key, ns / 1000000, ns % 1000000) < 0 ? -1
	                                                                                     : 0;
}

/* A double that reads back to the same value, in the "C" locale's notation. */
static int record_put_double(FILE *f, const char *key, double v)
{
	locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0), old;
	char buf[64];

	if (c == (locale_t)0)
		return -1;
	old = uselocale(c);
	snprintf(buf, sizeof(buf), "%.6f", v);
	if (strtod(buf, NULL) != v)
		snprintf(buf, sizeof(buf), "%.17g", v);
	uselocale(old);
	freelocale(c);
	return fprintf(f, " %s=%s", key, buf) < 0 ? -1 : 0;
}

static int record_put_entry(FILE *f, size_t pos, const struct record_entry *e)
{
	const struct net_result *res = &e->res;
	char at[40];
	char *hex = NULL;
	int rc;

	if (fprintf(f, "result %zu at=%s", pos, record_time_str(at, sizeof(at), &e->at)) < 0 ||
	    record_put_ms(f, "t", e->t_ns) < 0 || fprintf(f, " server=%s", e->server) < 0 ||
	    record_put_question(f, &e->q) < 0 ||
	    fprintf(f, " status=%s errno=%d tcp=%d tc_retry=%d",
	            (size_t)res->status < RECORD_NWORDS(record_status_words)
	                ? record_status_words[res->status]
	                : "network",
	            res->sys_errno, res->tcp, res->tc_retry) < 0 ||
	    record_put_double(f, "rtt", res->rtt_ms) < 0)
		return -1;
	if (res->size > 0 && (hex = malloc(2 * res->size + 1)) == NULL)
		return -1;
	if (hex)
		record_hex(hex, res->wire, res->size);
	rc = fprintf(
	    f,
	    " tries=%u discarded=%u last_discard=%s tcp_got=%zu tcp_want=%zu rx=%d size=%zu "
	    "wire=%s\n",
	    res->tries, res->discarded,
	    (size_t)res->last_discard < RECORD_NWORDS(record_verdict_words)
	        ? record_verdict_words[res->last_discard]
	        : "none",
	    res->tcp_got, res->tcp_want, e->have_rx, res->size, hex ? hex : "-");
	free(hex);
	return rc < 0 ? -1 : 0;
}

static int record_put_lookup(FILE *f, const struct record *r, const struct record_views *v)
{
	const struct lookup *l = v->lookup;
	char raddr[64] = "";

	if (fprintf(f, "lookup") < 0 || record_put_question(f, lookup_question(l)) < 0 ||
	    fprintf(f, "\n") < 0)
		return -1;
	if (v->lookup_resolver != NULL && v->lookup_resolver->addrlen > 0) {
		server_addr_str(raddr, sizeof(raddr),
		                (const struct sockaddr *)&v->lookup_resolver->addr);
		if (fprintf(f, "lookup-resolver") < 0 ||
		    record_put_server(f, v->lookup_resolver) < 0 || fprintf(f, "\n") < 0)
			return -1;
	}
	for (size_t i = 0; i < lookup_count(l); i++) {
		const struct lookup_reply *rp = lookup_reply_at(l, i);
		size_t reply = 0, res[2] = {0, 0};
		char addr[64];

		if (rp->net != NULL && rp->server.addrlen > 0) {
			server_addr_str(addr, sizeof(addr),
			                (const struct sockaddr *)&rp->server.addr);
			reply = record_find_result(r, addr, lookup_question(l), rp->net);
		}
		/* a server given by name and not resolved: how its resolution ended */
		if (rp->server.addrlen == 0 && rp->server.hostname != NULL && *raddr) {
			ldns_rdf *name = ldns_dname_new_frm_str(rp->server.hostname);
			if (name != NULL) {
				res[0] = record_find_key(r, raddr, name, LDNS_RR_TYPE_A,
				                         LDNS_RR_CLASS_IN, 0, 0);
				res[1] = record_find_key(r, raddr, name, LDNS_RR_TYPE_AAAA,
				                         LDNS_RR_CLASS_IN, 0, 0);
				ldns_rdf_deep_free(name);
			}
		}
		if (fprintf(f, "lookup-server") < 0 || record_put_server(f, &rp->server) < 0 ||
		    record_put_ref(f, "reply", reply) < 0)
			return -1;
		/* the A answer, then the AAAA one (asked only when A gave no address) */
		if (res[0] && res[1] > res[0]
		        ? fprintf(f, " resolve=%zu,%zu\n", res[0], res[1]) < 0
		        : record_put_ref(f, "resolve", res[0]) < 0 || fprintf(f, "\n") < 0)
			return -1;
	}
	return 0;
}

static int record_put_prop(FILE *f, const struct record *r, const struct record_views *v)
{
	const struct prop *p = v->prop;
	const struct query_spec *q = prop_question(p);
	char raddr[64] = "";
	bool *is_row = calloc(r->n + 1, sizeof(*is_row));
	size_t nasked = 0;
	int rc = -1;

	if (is_row == NULL)
		return -1;
	if (fprintf(f, "compare") < 0 || record_put_question(f, q) < 0 ||
	    fprintf(f, " auth=%d\n", v->prop_auth) < 0)
		goto out;
	if (v->prop_resolver != NULL && v->prop_resolver->addrlen > 0) {
		server_addr_str(raddr, sizeof(raddr),
		                (const struct sockaddr *)&v->prop_resolver->addr);
		if (fprintf(f, "compare-resolver") < 0 ||
		    record_put_server(f, v->prop_resolver) < 0 || fprintf(f, "\n") < 0)
			goto out;
	}
	for (size_t i = 0; i < v->prop_nservers; i++)
		if (fprintf(f, "compare-server") < 0 ||
		    record_put_server(f, &v->prop_servers[i]) < 0 || fprintf(f, "\n") < 0)
			goto out;
	for (size_t i = 0; i < prop_nrows(p); i++) {
		const struct prop_row *row = prop_row(p, i);
		size_t question = 0, soa = 0;
		char *label;

		if (row->server.addrlen == 0)
			continue; /* a name that did not resolve: replayed through the resolver */
		if (row->net != NULL)
			question = record_find_result(r, row->addr, q, row->net);
		if (!row->soa_pending)
			soa = record_find_key(r, row->addr, q->qname, LDNS_RR_TYPE_SOA, q->qclass,
			                      v->prop_first, question);
		is_row[question] = is_row[soa] = true;
		label = record_quote(row->server.label ? row->server.label : "-");
		if (label == NULL ||
		    fprintf(f, "compare-row label=%s addr=%s", label, row->addr) < 0 ||
		    record_put_ref(f, "question", question) < 0 ||
		    record_put_ref(f, "soa", soa) < 0 || fprintf(f, "\n") < 0) {
			free(label);
			goto out;
		}
		free(label);
	}
	/* what the resolver was asked for the comparison (server names, discovery) */
	for (size_t i = 0; *raddr && i < r->n; i++) {
		if (r->e[i].seq < v->prop_first || is_row[i + 1] ||
		    strcmp(r->e[i].server, raddr) != 0)
			continue;
		if (nasked % 64 == 0 &&
		    fprintf(f, "%scompare-asked %zu", nasked ? "\n" : "", i + 1) < 0)
			goto out;
		if (nasked % 64 != 0 && fprintf(f, ",%zu", i + 1) < 0)
			goto out;
		nasked++;
	}
	if (nasked && fprintf(f, "\n") < 0)
		goto out;
	rc = 0;
out:
	free(is_row);
	return rc;
}

int record_write(FILE *f, const struct record *r, const struct record_views *v)
{
	struct timespec wall, mono;
	char at[40];
	char *target = NULL;

	clock_gettime(CLOCK_REALTIME, &wall);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	if (fprintf(f,
	            "dnsdeck-session %d\n"
	            "# A dnsdeck session: what was asked and every reply received, raw "
	            "(dnsdeck(1), SESSION FILES).\n"
	            "# Open it with: dnsdeck --load FILE   Compare two: dnsdeck --diff A B\n",
	            RECORD_VERSION) < 0 ||
	    fprintf(f, "saved at=%s", record_time_str(at, sizeof(at), &wall)) < 0 ||
	    record_put_ms(f, "t", record_ts_ns(&mono) - r->start_ns) < 0 ||
	    fprintf(f, " view=%s results=%zu dropped=%" PRIu64 " program=dnsdeck/%s\n",
	            record_view_words[v->view <= RECORD_VIEW_MX ? v->view : 0], r->n,
	            r->next_seq - 1 - r->n, PACKAGE_VERSION) < 0)
		return -1;
	if (v->lookup != NULL && record_put_lookup(f, r, v) < 0)
		return -1;
	if (v->prop != NULL && record_put_prop(f, r, v) < 0)
		return -1;
	if (v->mx_target != NULL) {
		if ((target = record_quote(v->mx_target)) == NULL ||
		    fprintf(f, "mx target=%s smtp=%d\n", target, v->mx_smtp) < 0) {
			free(target);
			return -1;
		}
		free(target);
	}
	for (size_t i = 0; i < r->n; i++)
		if (record_put_entry(f, i + 1, &r->e[i]) < 0)
			return -1;
	return fflush(f) == 0 ? 0 : -1;
}

int record_save(const struct record *r, const struct record_views *v, const char *path, char *err,
                size_t errlen)
{
	size_t n = strlen(path);
	char *tmp = malloc(n + 8);
	char *epath = esc_str(path);
	mode_t mask;
	FILE *f = NULL;
	int fd, rc = -1;

	if (tmp == NULL || epath == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	snprintf(tmp, n + 8, "%s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create %.200s: %s", epath, strerror(errno));
		goto out;
	}
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) < 0 || (f = fdopen(fd, "w")) == NULL) {
		snprintf(err, errlen, "cannot write %.200s: %s", epath, strerror(errno));
		close(fd);
		unlink(tmp);
		goto out;
	}
	if (record_write(f, r, v) < 0 || fsync(fileno(f)) < 0) {
		snprintf(err, errlen, "cannot write %.200s: %s", epath,
		         errno ? strerror(errno) : "out of memory");
		fclose(f);
		unlink(tmp);
		goto out;
	}
	if (fclose(f) != 0 || rename(tmp, path) < 0) {
		snprintf(err, errlen, "cannot write %.200s: %s", epath, strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	free(epath);
	return rc;
}

/* --- the file read back ----------------------------------------------------------------- */

/* A server of a view as the file gives it, with the results it refers to. */
struct rf_server {
	struct server srv;
	size_t reply;      /* lookup: its reply (file number, 0 = none) */
	size_t resolve[2]; /* lookup: how its name was resolved (A, then AAAA) */
	unsigned line;
};

/* A comparison row: its address and its two replies. */
struct rf_row {
	char addr[64];
	size_t question, soa; /* file numbers, 0 = none */
	unsigned line;
};

struct record_file {
	char *name; /* escaped, for messages */
	enum record_view view;
	struct timespec saved_at;
	size_t results_said;
	struct record_entry *e;
	size_t n, cap;

	bool have_lookup;
	struct query_spec lq;
	struct rf_server *ls;
	size_t nls;
	bool have_lres;
	struct server lres;

	bool have_prop;
	struct query_spec pq;
	bool pauth;
	struct rf_server *ps;
	size_t nps;
	bool have_pres;
	struct server pres;
	struct rf_row *rows;
	size_t nrows;
	size_t *asked; /* file numbers of the resolver's results */
	size_t nasked;
	unsigned asked_line;

	char *mx_target;
	bool mx_smtp;
};

void record_file_free(struct record_file *f)
{
	if (f == NULL)
		return;
	record_entries_free(f->e, f->n);
	query_spec_clear(&f->lq);
	for (size_t i = 0; i < f->nls; i++)
		server_clear(&f->ls[i].srv);
	free(f->ls);
	server_clear(&f->lres);
	query_spec_clear(&f->pq);
	for (size_t i = 0; i < f->nps; i++)
		server_clear(&f->ps[i].srv);
	free(f->ps);
	server_clear(&f->pres);
	free(f->rows);
	free(f->asked);
	free(f->mx_target);
	free(f->name);
	free(f);
}

/* The parser's state; every problem becomes "NAME:LINE: reason" in err. */
struct rf_parse {
	struct record_file *f;
	unsigned line;
	char *err;
	size_t errlen;
	locale_t c; /* the "C" locale, for strtod */
};

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int
rf_fail(struct rf_parse *ps, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (ps->line > 0)
		n = snprintf(ps->err, ps->errlen, "%s:%u: ", ps->f->name, ps->line);
	else
		n = snprintf(ps->err, ps->errlen, "%s: ", ps->f->name);
	if (n < 0 || (size_t)n >= ps->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(ps->err + n, ps->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

#define RF_MAXF 40

/* The key=value fields of one line. */
struct rf_fields {
	size_t n;
	const char *k[RF_MAXF];
	const char *v[RF_MAXF];
	bool used[RF_MAXF];
};

/* Split "keyword [word] k=v k=v" (single blanks) in place. */
static int rf_split(struct rf_parse *ps, char *line, char **kw, bool want_word, char **word,
                    struct rf_fields *fl)
{
	char *p = line, *tok;

	memset(fl, 0, sizeof(*fl));
	*kw = strsep(&p, " ");
	if (want_word) {
		*word = p ? strsep(&p, " ") : NULL;
		if (*word == NULL || **word == '\0')
			return rf_fail(ps, "'%s' needs a number", *kw);
	}
	while (p != NULL) {
		char *eq;
		tok = strsep(&p, " ");
		if (*tok == '\0')
			return rf_fail(ps, "two blanks in a row or a blank at the end");
		eq = strchr(tok, '=');
		if (eq == NULL || eq == tok)
			return rf_fail(ps, "'%.40s' is not a key=value field", tok);
		*eq = '\0';
		for (size_t i = 0; i < fl->n; i++)
			if (strcmp(fl->k[i], tok) == 0)
				return rf_fail(ps, "field '%.40s' given twice", tok);
		if (fl->n == RF_MAXF)
			return rf_fail(ps, "too many fields");
		fl->k[fl->n] = tok;
		fl->v[fl->n++] = eq + 1;
	}
	return 0;
}

static const char *rf_get(struct rf_parse *ps, struct rf_fields *fl, const char *key)
{
	for (size_t i = 0; i < fl->n; i++)
		if (strcmp(fl->k[i], key) == 0) {
			fl->used[i] = true;
			return fl->v[i];
		}
	rf_fail(ps, "field '%s' is missing", key);
	return NULL;
}

static int rf_all_used(struct rf_parse *ps, const struct rf_fields *fl)
{
	for (size_t i = 0; i < fl->n; i++)
		if (!fl->used[i])
			return rf_fail(ps, "unknown field '%.40s'", fl->k[i]);
	return 0;
}

/* A decimal number in [0, max] (no sign, no leading zeros beyond "0"). */
static int rf_num(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (*s == '\0' || (s[0] == '0' && s[1] != '\0') || strlen(s) > 19)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

static int rf_u64(struct rf_parse *ps, struct rf_fields *fl, const char *key, uint64_t max,
                  uint64_t *out)
{
	const char *v = rf_get(ps, fl, key);

	if (v == NULL)
		return -1;
	if (rf_num(v, max, out) < 0)
		return rf_fail(ps, "%s: '%.40s' is not a number from 0 to %" PRIu64, key, v, max);
	return 0;
}

static int rf_bool(struct rf_parse *ps, struct rf_fields *fl, const char *key, bool *out)
{
	uint64_t v;

	if (rf_u64(ps, fl, key, 1, &v) < 0)
		return -1;
	*out = v == 1;
	return 0;
}

/* One of a list of words; its index. */
static int rf_word(struct rf_parse *ps, struct rf_fields *fl, const char *key,
                   const char *const *words, size_t n, int *out)
{
	const char *v = rf_get(ps, fl, key);

	if (v == NULL)
		return -1;
	if ((*out = record_word_index(words, n, v)) < 0)
		return rf_fail(ps, "%s: unknown word '%.20s'", key, v);
	return 0;
}

/* A reference to a result: "-" (0) or its number. */
static int rf_ref(struct rf_parse *ps, struct rf_fields *fl, const char *key, size_t *out)
{
	const char *v = rf_get(ps, fl, key);
	uint64_t n;

	if (v == NULL)
		return -1;
	if (strcmp(v, "-") == 0) {
		*out = 0;
		return 0;
	}
	if (rf_num(v, SIZE_MAX, &n) < 0 || n == 0)
		return rf_fail(ps, "%s: '%.40s' is not a result number", key, v);
	*out = (size_t)n;
	return 0;
}

/* "ms.micro" (up to six decimals) into ns. */
static int rf_ms(struct rf_parse *ps, struct rf_fields *fl, const char *key, int64_t *ns)
{
	const char *v = rf_get(ps, fl, key), *dot;
	char whole[24];
	uint64_t ms, frac = 0;
	size_t wl, fd;

	if (v == NULL)
		return -1;
	dot = strchr(v, '.');
	wl = dot ? (size_t)(dot - v) : strlen(v);
	fd = dot ? strlen(dot + 1) : 0;
	if (wl == 0 || wl >= sizeof(whole) || (dot && (fd == 0 || fd > 6)))
		goto bad;
	memcpy(whole, v, wl);
	whole[wl] = '\0';
	/* ten years of milliseconds is plenty for one session */
	if (rf_num(whole, 315576000000ULL, &ms) < 0)
		goto bad;
	for (size_t i = 0; i < 6; i++) {
		char c = i < fd ? dot[1 + i] : '0';
		if (c < '0' || c > '9')
			goto bad;
		frac = frac * 10 + (uint64_t)(c - '0');
	}
	*ns = (int64_t)(ms * 1000000 + frac);
	return 0;
bad:
	return rf_fail(ps, "%s: '%.40s' is not milliseconds", key, v);
}

static int rf_time(struct rf_parse *ps, struct rf_fields *fl, const char *key, struct timespec *ts)
{
	const char *v = rf_get(ps, fl, key);

	if (v == NULL)
		return -1;
	if (record_time_parse(v, ts) < 0)
		return rf_fail(ps, "%s: '%.40s' is not an RFC 3339 UTC time", key, v);
	return 0;
}

/* A quoted string value; "-" means none when allow_none. */
static int rf_string(struct rf_parse *ps, struct rf_fields *fl, const char *key, bool allow_none,
                     char **out)
{
	const char *v = rf_get(ps, fl, key);

	*out = NULL;
	if (v == NULL)
		return -1;
	if (allow_none && strcmp(v, "-") == 0)
		return 0;
	if (*v == '\0' || record_unquote(v, out) < 0)
		return rf_fail(ps, "%s: bad text '%.40s'", key, v);
	if (strlen(*out) > 255) {
		free(*out);
		*out = NULL;
		return rf_fail(ps, "%s: longer than 255 characters", key);
	}
	/* labels, host names and targets are shown as they are: printable ASCII only (a \DDD
	 * escape must not smuggle a terminal control in) */
	for (const char *p = *out; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e) {
			unsigned char bad = (unsigned char)*p;
			free(*out);
			*out = NULL;
			return rf_fail(ps, "%s: byte 0x%02x is not printable", key, bad);
		}
	return 0;
}

/* A numeric address with port ("127.0.53.1#53", "::1#53"); "-" for none when allowed. */
static int rf_addr(struct rf_parse *ps, struct rf_fields *fl, const char *key, bool allow_none,
                   struct sockaddr_storage *ss, socklen_t *len)
{
	const char *v = rf_get(ps, fl, key);
	struct server s;
	char e[128];

	*len = 0;
	memset(&s, 0, sizeof(s));
	if (v == NULL)
		return -1;
	if (allow_none && strcmp(v, "-") == 0)
		return 0;
	if (strchr(v, '#') == NULL || server_parse(&s, v, e, sizeof(e)) < 0)
		return rf_fail(ps, "%s: '%.60s' is not an address#port", key, v);
	if (s.addrlen == 0) {
		server_clear(&s);
		return rf_fail(ps, "%s: '%.60s' is not an address#port", key, v);
	}
	*ss = s.addr;
	*len = s.addrlen;
	server_clear(&s);
	return 0;
}

static int rf_question(struct rf_parse *ps, struct rf_fields *fl, struct query_spec *q)
{
	const char *name, *type, *klass;
	uint64_t size;
	ldns_rr_type t;
	ldns_rr_class c;

	query_spec_init(q);
	if ((name = rf_get(ps, fl, "qname")) == NULL || (type = rf_get(ps, fl, "qtype")) == NULL ||
	    (klass = rf_get(ps, fl, "qclass")) == NULL)
		return -1;
	if (strlen(name) > 1024 || query_spec_set_name(q, name) != LDNS_STATUS_OK)
		return rf_fail(ps, "qname: '%.60s' is not a domain name", name);
	t = ldns_get_rr_type_by_name(type);
	c = ldns_get_rr_class_by_name(klass);
	if (t == 0)
		return rf_fail(ps, "qtype: unknown type '%.20s'", type);
	if (c == 0)
		return rf_fail(ps, "qclass: unknown class '%.20s'", klass);
	q->qtype = t;
	q->qclass = c;
	if (rf_bool(ps, fl, "rd", &q->rd) < 0 || rf_bool(ps, fl, "cd", &q->cd) < 0 ||
	    rf_bool(ps, fl, "ad", &q->ad) < 0 || rf_bool(ps, fl, "edns", &q->edns) < 0 ||
	    rf_bool(ps, fl, "do", &q->dnssec_ok) < 0 || rf_bool(ps, fl, "nsid", &q->nsid) < 0 ||
	    rf_u64(ps, fl, "bufsize", 65535, &size) < 0)
		return -1;
	q->udp_size = (uint16_t)size;
	return 0;
}

/* label= hostname= port= addr= of a server line. */
static int rf_server_fields(struct rf_parse *ps, struct rf_fields *fl, struct server *s)
{
	uint64_t port;
	char *label = NULL;

	memset(s, 0, sizeof(*s));
	if (rf_string(ps, fl, "label", false, &label) < 0 ||
	    rf_string(ps, fl, "hostname", true, &s->hostname) < 0 ||
	    rf_u64(ps, fl, "port", 65535, &port) < 0 ||
	    rf_addr(ps, fl, "addr", true, &s->addr, &s->addrlen) < 0) {
		free(label);
		server_clear(s);
		return -1;
	}
	s->label = label;
	s->port = (uint16_t)port;
	if (s->addrlen == 0 && s->hostname == NULL) {
		server_clear(s);
		return rf_fail(ps, "a server needs an address or a host name");
	}
	if (s->addrlen > 0 && record_port_of(&s->addr) != s->port) {
		server_clear(s);
		return rf_fail(ps, "port and addr disagree");
	}
	return 0;
}

static int rf_line_result(struct rf_parse *ps, const char *num, struct rf_fields *fl)
{
	struct record_file *f = ps->f;
	struct record_entry e;
	const char *wire;
	uint64_t n, v;
	int st, vd;
	double rtt;
	char *end;

	memset(&e, 0, sizeof(e));
	if (rf_num(num, SIZE_MAX, &n) < 0 || n != f->n + 1) {
		rf_fail(ps, "result number '%.20s' out of order (expected %zu)", num, f->n + 1);
		goto fail;
	}
	if (rf_time(ps, fl, "at", &e.at) < 0 || rf_ms(ps, fl, "t", &e.t_ns) < 0 ||
	    rf_addr(ps, fl, "server", false, &e.addr, &e.addrlen) < 0 ||
	    rf_question(ps, fl, &e.q) < 0 ||
	    rf_word(ps, fl, "status", record_status_words, RECORD_NWORDS(record_status_words),
	            &st) < 0)
		goto fail;
	server_addr_str(e.server, sizeof(e.server), (struct sockaddr *)&e.addr);
	e.res.status = (enum net_status)st;
	if (rf_u64(ps, fl, "errno", 4095, &v) < 0)
		goto fail;
	e.res.sys_errno = (int)v;
	if (rf_bool(ps, fl, "tcp", &e.res.tcp) < 0 ||
	    rf_bool(ps, fl, "tc_retry", &e.res.tc_retry) < 0)
		goto fail;
	{
		const char *r = rf_get(ps, fl, "rtt");
		locale_t old;
		if (r == NULL)
			goto fail;
		old = uselocale(ps->c);
		errno = 0;
		rtt = strtod(r, &end);
		uselocale(old);
		if (*r == '\0' || *end != '\0' || errno != 0 || !isfinite(rtt) || rtt < 0 ||
		    rtt > 1e9 || strspn(r, "0123456789.e-+") != strlen(r)) {
			rf_fail(ps, "rtt: '%.40s' is not milliseconds", r);
			goto fail;
		}
		e.res.rtt_ms = rtt;
	}
	if (rf_u64(ps, fl, "tries", 1000000, &v) < 0)
		goto fail;
	e.res.tries = (unsigned)v;
	if (rf_u64(ps, fl, "discarded", 1000000000, &v) < 0)
		goto fail;
	e.res.discarded = (unsigned)v;
	if (rf_word(ps, fl, "last_discard", record_verdict_words,
	            RECORD_NWORDS(record_verdict_words), &vd) < 0)
		goto fail;
	e.res.last_discard = (enum reply_verdict)vd;
	if (rf_u64(ps, fl, "tcp_got", 65537, &v) < 0)
		goto fail;
	e.res.tcp_got = (size_t)v;
	if (rf_u64(ps, fl, "tcp_want", 65537, &v) < 0)
		goto fail;
	e.res.tcp_want = (size_t)v;
	if (rf_bool(ps, fl, "rx", &e.have_rx) < 0 || rf_u64(ps, fl, "size", 65535, &v) < 0 ||
	    (wire = rf_get(ps, fl, "wire")) == NULL || rf_all_used(ps, fl) < 0)
		goto fail;
	e.res.size = (size_t)v;
	if (strcmp(wire, "-") == 0 ? v != 0 : strlen(wire) != 2 * v) {
		rf_fail(ps, "wire: %zu hex digits for size=%" PRIu64,
		        strcmp(wire, "-") == 0 ? 0 : strlen(wire), v);
		goto fail;
	}
	if (v > 0) {
		if ((e.res.wire = malloc(v)) == NULL) {
			rf_fail(ps, "out of memory");
			goto fail;
		}
		if (record_unhex(e.res.wire, wire, 2 * v) < 0) {
			rf_fail(ps, "wire: not hexadecimal");
			goto fail;
		}
	}
	if (e.res.status == NET_OK) {
		/* what the transport accepted answered the question asked (RFC 5452 §9.1) */
		if (e.res.size < LDNS_HEADER_SIZE ||
		    reply_match(e.res.wire, e.res.size, LDNS_ID_WIRE(e.res.wire), &e.q) !=
		        REPLY_MATCH) {
			rf_fail(ps, "the reply does not answer the question of the result");
			goto fail;
		}
	} else if (e.res.status != NET_MALFORMED && e.res.size > 0) {
		rf_fail(ps, "a result with status=%s has no reply", record_status_words[st]);
		goto fail;
	}
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 64;
		struct record_entry *grown = realloc(f->e, cap * sizeof(*grown));
		if (grown == NULL) {
			rf_fail(ps, "out of memory");
			goto fail;
		}
		f->e = grown;
		f->cap = cap;
	}
	e.seq = f->n + 1;
	if (e.have_rx)
		e.res.rx_wall = e.at;
	f->e[f->n++] = e;
	return 0;
fail:
	record_entry_clear(&e);
	return -1;
}

/* Append a server line's server to a view's list. */
static int rf_add_server(struct rf_parse *ps, struct rf_server **v, size_t *n, struct rf_fields *fl,
                         bool lookup)
{
	struct rf_server s;
	struct rf_server *grown;

	memset(&s, 0, sizeof(s));
	s.line = ps->line;
	if (*n >= 10000)
		return rf_fail(ps, "more than 10000 servers");
	if (rf_server_fields(ps, fl, &s.srv) < 0)
		return -1;
	if (lookup) {
		const char *res;
		if (rf_ref(ps, fl, "reply", &s.reply) < 0 ||
		    (res = rf_get(ps, fl, "resolve")) == NULL)
			goto fail;
		if (strcmp(res, "-") != 0) {
			char a[24], b[24];
			uint64_t x, y = 0;
			const char *comma = strchr(res, ',');
			size_t al = comma ? (size_t)(comma - res) : strlen(res);
			if (al >= sizeof(a) || (comma && strlen(comma + 1) >= sizeof(b)))
				goto bad_resolve;
			memcpy(a, res, al);
			a[al] = '\0';
			if (rf_num(a, SIZE_MAX, &x) < 0 || x == 0 ||
			    (comma && (rf_num(strcpy(b, comma + 1), SIZE_MAX, &y) < 0 || y == 0)))
				goto bad_resolve;
			s.resolve[0] = (size_t)x;
			s.resolve[1] = (size_t)y;
		}
	}
	if (rf_all_used(ps, fl) < 0)
		goto fail;
	grown = realloc(*v, (*n + 1) * sizeof(**v));
	if (grown == NULL) {
		rf_fail(ps, "out of memory");
		goto fail;
	}
	*v = grown;
	(*v)[(*n)++] = s;
	return 0;
bad_resolve:
	rf_fail(ps, "resolve: not '-', N or N,N");
fail:
	server_clear(&s.srv);
	return -1;
}

static int rf_line_row(struct rf_parse *ps, struct rf_fields *fl)
{
	struct record_file *f = ps->f;
	struct rf_row row;
	struct sockaddr_storage ss;
	socklen_t len;
	char *label = NULL;
	struct rf_row *grown;

	memset(&row, 0, sizeof(row));
	row.line = ps->line;
	if (f->nrows >= 10000)
		return rf_fail(ps, "more than 10000 rows");
	if (rf_string(ps, fl, "label", false, &label) < 0 ||
	    rf_addr(ps, fl, "addr", false, &ss, &len) < 0 ||
	    rf_ref(ps, fl, "question", &row.question) < 0 || rf_ref(ps, fl, "soa", &row.soa) < 0 ||
	    rf_all_used(ps, fl) < 0) {
		free(label);
		return -1;
	}
	free(label); /* the row's label comes back through replay; kept in the file for readers */
	server_addr_str(row.addr, sizeof(row.addr), (struct sockaddr *)&ss);
	for (size_t i = 0; i < f->nrows; i++)
		if (strcmp(f->rows[i].addr, row.addr) == 0)
			return rf_fail(ps, "a second row for %s", row.addr);
	grown = realloc(f->rows, (f->nrows + 1) * sizeof(*grown));
	if (grown == NULL)
		return rf_fail(ps, "out of memory");
	f->rows = grown;
	f->rows[f->nrows++] = row;
	return 0;
}

/* "compare-asked N,N,..." */
static int rf_line_asked(struct rf_parse *ps, const char *list)
{
	struct record_file *f = ps->f;
	char *copy = strdup(list), *p = copy, *tok;
	int rc = 0;

	if (copy == NULL)
		return rf_fail(ps, "out of memory");
	if (f->asked_line == 0)
		f->asked_line = ps->line;
	while (rc == 0 && (tok = strsep(&p, ",")) != NULL) {
		uint64_t v;
		size_t *grown;
		if (rf_num(tok, SIZE_MAX, &v) < 0 || v == 0) {
			rc = rf_fail(ps, "'%.20s' is not a result number", tok);
		} else if (f->nasked >= RECORD_KEEP_MAX) {
			rc = rf_fail(ps, "too many results listed");
		} else if ((grown = realloc(f->asked, (f->nasked + 1) * sizeof(*grown))) == NULL) {
			rc = rf_fail(ps, "out of memory");
		} else {
			f->asked = grown;
			f->asked[f->nasked++] = (size_t)v;
		}
	}
	free(copy);
	return rc;
}

static int rf_line_saved(struct rf_parse *ps, struct rf_fields *fl)
{
	struct record_file *f = ps->f;
	char *program = NULL;
	uint64_t results, dropped;
	int64_t t;
	int vi;

	if (rf_time(ps, fl, "at", &f->saved_at) < 0 || rf_ms(ps, fl, "t", &t) < 0 ||
	    rf_word(ps, fl, "view", record_view_words, RECORD_NWORDS(record_view_words), &vi) < 0 ||
	    rf_u64(ps, fl, "results", SIZE_MAX, &results) < 0 ||
	    rf_u64(ps, fl, "dropped", UINT64_MAX / 2, &dropped) < 0 ||
	    rf_string(ps, fl, "program", false, &program) < 0 || rf_all_used(ps, fl) < 0) {
		free(program);
		return -1;
	}
	free(program);
	f->view = (enum record_view)vi;
	f->results_said = (size_t)results;
	return 0;
}

/* One line of the body (after the version line). */
static int rf_line(struct rf_parse *ps, char *line, bool *have_saved, int *section)
{
	struct record_file *f = ps->f;
	struct rf_fields fl;
	char *kw, *word = NULL;
	bool is_result = strncmp(line, "result ", 7) == 0;
	bool is_asked = strncmp(line, "compare-asked ", 14) == 0;

	if (line[0] == '#' || line[0] == '\0')
		return 0;
	if (is_asked) {
		if (*section != 2)
			return rf_fail(ps, "'compare-asked' outside a comparison");
		if (strchr(line + 14, ' ') != NULL)
			return rf_fail(ps, "compare-asked: one comma-separated list");
		return rf_line_asked(ps, line + 14);
	}
	if (rf_split(ps, line, &kw, is_result, &word, &fl) < 0)
		return -1;
	if (!*have_saved && strcmp(kw, "saved") != 0)
		return rf_fail(ps, "the 'saved' line must come first");
	if (strcmp(kw, "saved") == 0) {
		if (*have_saved)
			return rf_fail(ps, "a second 'saved' line");
		*have_saved = true;
		return rf_line_saved(ps, &fl);
	}
	if (is_result) {
		*section = 3;
		return rf_line_result(ps, word, &fl);
	}
	if (*section == 3)
		return rf_fail(ps, "'%.20s' after the results", kw);
	if (strcmp(kw, "lookup") == 0) {
		if (f->have_lookup)
			return rf_fail(ps, "a second 'lookup' line");
		f->have_lookup = true;
		*section = 1;
		return rf_question(ps, &fl, &f->lq) < 0 ? -1 : rf_all_used(ps, &fl);
	}
	if (strcmp(kw, "compare") == 0) {
		if (f->have_prop)
			return rf_fail(ps, "a second 'compare' line");
		f->have_prop = true;
		*section = 2;
		if (rf_question(ps, &fl, &f->pq) < 0 || rf_bool(ps, &fl, "auth", &f->pauth) < 0)
			return -1;
		return rf_all_used(ps, &fl);
	}
	if (strcmp(kw, "mx") == 0) {
		if (f->mx_target != NULL)
			return rf_fail(ps, "a second 'mx' line");
		*section = 0;
		if (rf_string(ps, &fl, "target", false, &f->mx_target) < 0 ||
		    rf_bool(ps, &fl, "smtp", &f->mx_smtp) < 0)
			return -1;
		return rf_all_used(ps, &fl);
	}
	if (strcmp(kw, "lookup-server") == 0 || strcmp(kw, "lookup-resolver") == 0) {
		if (*section != 1)
			return rf_fail(ps, "'%s' outside a lookup", kw);
		if (strcmp(kw, "lookup-server") == 0)
			return rf_add_server(ps, &f->ls, &f->nls, &fl, true);
		if (f->have_lres)
			return rf_fail(ps, "a second 'lookup-resolver' line");
		f->have_lres = true;
		return rf_server_fields(ps, &fl, &f->lres) < 0 ? -1 : rf_all_used(ps, &fl);
	}
	if (strcmp(kw, "compare-server") == 0 || strcmp(kw, "compare-resolver") == 0 ||
	    strcmp(kw, "compare-row") == 0) {
		if (*section != 2)
			return rf_fail(ps, "'%s' outside a comparison", kw);
		if (strcmp(kw, "compare-server") == 0)
			return rf_add_server(ps, &f->ps, &f->nps, &fl, false);
		if (strcmp(kw, "compare-row") == 0)
			return rf_line_row(ps, &fl);
		if (f->have_pres)
			return rf_fail(ps, "a second 'compare-resolver' line");
		f->have_pres = true;
		return rf_server_fields(ps, &fl, &f->pres) < 0 ? -1 : rf_all_used(ps, &fl);
	}
	return rf_fail(ps, "unknown line '%.20s'", kw);
}

/* A reference must name a result of the file. */
static int rf_check_ref(struct rf_parse *ps, unsigned line, size_t ref)
{
	if (ref <= ps->f->n)
		return 0;
	ps->line = line;
	return rf_fail(ps, "result %zu does not exist (the file has %zu)", ref, ps->f->n);
}

/* Checks that need the whole file. */
static int rf_finish(struct rf_parse *ps, bool have_saved)
{
	struct record_file *f = ps->f;

	ps->line = 0;
	if (!have_saved)
		return rf_fail(ps, "no 'saved' line");
	if (f->results_said != f->n)
		return rf_fail(ps, "the file says %zu results but holds %zu (cut short?)",
		               f->results_said, f->n);
	for (size_t i = 0; i < f->nls; i++)
		if (rf_check_ref(ps, f->ls[i].line, f->ls[i].reply) < 0 ||
		    rf_check_ref(ps, f->ls[i].line, f->ls[i].resolve[0]) < 0 ||
		    rf_check_ref(ps, f->ls[i].line, f->ls[i].resolve[1]) < 0)
			return -1;
	for (size_t i = 0; i < f->nrows; i++)
		if (rf_check_ref(ps, f->rows[i].line, f->rows[i].question) < 0 ||
		    rf_check_ref(ps, f->rows[i].line, f->rows[i].soa) < 0)
			return -1;
	for (size_t i = 0; i < f->nasked; i++)
		if (rf_check_ref(ps, f->asked_line, f->asked[i]) < 0)
			return -1;
	if (f->have_lookup && f->nls == 0)
		return rf_fail(ps, "the lookup has no server");
	if (f->view == RECORD_VIEW_LOOKUP && !f->have_lookup)
		return rf_fail(ps, "view=lookup but no 'lookup' line");
	if (f->view == RECORD_VIEW_COMPARE && !f->have_prop)
		return rf_fail(ps, "view=compare but no 'compare' line");
	if (f->view == RECORD_VIEW_MX && f->mx_target == NULL)
		return rf_fail(ps, "view=mx but no 'mx' line");
	return 0;
}

struct record_file *record_parse(FILE *in, const char *name, char *err, size_t errlen)
{
	struct rf_parse ps = {.err = err, .errlen = errlen};
	struct record_file *f = calloc(1, sizeof(*f));
	char *buf = NULL, *p, *end;
	size_t len = 0, cap = 0;
	bool have_saved = false;
	int section = 0;

	if (f == NULL || (f->name = esc_str(name)) == NULL) {
		snprintf(err, errlen, "out of memory");
		record_file_free(f);
		return NULL;
	}
	ps.f = f;
	ps.c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	if (ps.c == (locale_t)0) {
		rf_fail(&ps, "out of memory");
		goto fail;
	}
	/* the whole file, bounded */
	for (;;) {
		size_t got;
		if (len == cap) {
			char *grown;
			if (cap > RECORD_FILE_MAX) {
				rf_fail(&ps, "larger than %u MiB", RECORD_FILE_MAX >> 20);
				goto fail;
			}
			/* one byte past the limit is enough to know the file is too large */
			cap = cap == 0                    ? 65536
			      : cap * 2 > RECORD_FILE_MAX ? RECORD_FILE_MAX + 1
			                                  : cap * 2;
			if ((grown = realloc(buf, cap + 1)) == NULL) {
				rf_fail(&ps, "out of memory");
				goto fail;
			}
			buf = grown;
		}
		got = fread(buf + len, 1, cap - len, in);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(in)) {
		rf_fail(&ps, "read error");
		goto fail;
	}
	if (len > RECORD_FILE_MAX) {
		rf_fail(&ps, "larger than %u MiB", RECORD_FILE_MAX >> 20);
		goto fail;
	}
	if (buf == NULL || len == 0) {
		rf_fail(&ps, "empty file");
		goto fail;
	}
	buf[len] = '\0';
	for (p = buf; p < buf + len; p = end + 1) {
		size_t ll;
		end = memchr(p, '\n', (size_t)(buf + len - p));
		if (end == NULL)
			end = buf + len; /* a last line without a newline */
		*end = '\0';
		ps.line++;
		ll = (size_t)(end - p);
		if (ll > 0 && p[ll - 1] == '\r')
			p[--ll] = '\0'; /* CRLF from a ticket system */
		if (ll > RECORD_LINE_MAX) {
			rf_fail(&ps, "line longer than %u bytes", RECORD_LINE_MAX);
			goto fail;
		}
		for (size_t i = 0; i < ll; i++)
			if ((unsigned char)p[i] < 0x20 || (unsigned char)p[i] > 0x7e) {
				rf_fail(
				    &ps,
				    "byte 0x%02x at column %zu: only printable ASCII is allowed",
				    (unsigned char)p[i], i + 1);
				goto fail;
			}
		if (ps.line == 1) {
			uint64_t v;
			if (strncmp(p, "dnsdeck-session ", 16) != 0 ||
			    rf_num(p + 16, 1000000, &v) < 0) {
				rf_fail(&ps,
				        "not a dnsdeck session file (no 'dnsdeck-session 1' line)");
				goto fail;
			}
			if (v != RECORD_VERSION) {
				rf_fail(&ps,
				        "session format version %" PRIu64 "; this dnsdeck reads "
				        "version %d",
				        v, RECORD_VERSION);
				goto fail;
			}
			continue;
		}
		if (rf_line(&ps, p, &have_saved, &section) < 0)
			goto fail;
	}
	if (rf_finish(&ps, have_saved) < 0)
		goto fail;
	free(buf);
	freelocale(ps.c);
	return f;
fail:
	free(buf);
	if (ps.c != (locale_t)0)
		freelocale(ps.c);
	record_file_free(f);
	return NULL;
}

struct record_file *record_read(const char *path, char *err, size_t errlen)
{
	FILE *in = fopen(path, "r");
	struct record_file *f;

	if (in == NULL) {
		char *e = esc_str(path);
		snprintf(err, errlen, "%.200s: %s", e ? e : "?", strerror(errno));
		free(e);
		return NULL;
	}
	f = record_parse(in, path, err, errlen);
	fclose(in);
	return f;
}

enum record_view record_file_view(const struct record_file *f)
{
	return f->view;
}

size_t record_file_count(const struct record_file *f)
{
	return f->n;
}

const struct record_entry *record_file_at(const struct record_file *f, size_t i)
{
	return i < f->n ? &f->e[i] : NULL;
}

bool record_file_has_lookup(const struct record_file *f)
{
	return f->have_lookup;
}

bool record_file_has_prop(const struct record_file *f)
{
	return f->have_prop;
}

const char *record_file_mx_target(const struct record_file *f)
{
	return f->mx_target;
}

/* The newest capture among results refs[0..n) (0 entries skipped). */
static bool record_newest(const struct record_file *f, const size_t *refs, size_t n, size_t *best)
{
	bool found = false;

	for (size_t i = 0; i < n; i++) {
		const struct record_entry *e = refs[i] ? &f->e[refs[i] - 1] : NULL;
		if (e != NULL && e->have_rx && (!found || e->t_ns > f->e[*best - 1].t_ns)) {
			*best = refs[i];
			found = true;
		}
	}
	return found;
}

void record_file_frozen(const struct record_file *f, int64_t *t_ns, struct timespec *wall)
{
	size_t best = 0, cap = f->nls + 2 * f->nrows + f->n + 1, n = 0;
	size_t *refs = malloc(cap * sizeof(*refs));
	bool found = false;

	*t_ns = 0;
	*wall = f->saved_at;
	if (refs == NULL)
		return;
	for (size_t i = 0; i < f->nls; i++)
		refs[n++] = f->ls[i].reply;
	found = record_newest(f, refs, n, &best);
	for (size_t i = 0; !found && i < f->nrows; i++) {
		refs[n++] = f->rows[i].question;
		refs[n++] = f->rows[i].soa;
	}
	found = found || record_newest(f, refs, n, &best);
	for (size_t i = 0; !found && i < f->n; i++)
		refs[n++] = i + 1;
	found = found || record_newest(f, refs, n, &best);
	if (found) {
		*t_ns = f->e[best - 1].t_ns;
		*wall = f->e[best - 1].at;
	}
	free(refs);
}

int record_file_args(const struct record_file *f, enum record_view which, struct args *a,
                     struct server *resolver)
{
	bool lookup = which == RECORD_VIEW_LOOKUP;
	const struct rf_server *sv = lookup ? f->ls : f->ps;
	size_t n = lookup ? f->nls : f->nps;
	const struct server *res =
	    lookup ? (f->have_lres ? &f->lres : NULL) : (f->have_pres ? &f->pres : NULL);

	args_init(a);
	memset(resolver, 0, sizeof(*resolver));
	if (lookup ? !f->have_lookup : !f->have_prop)
		return -1;
	query_spec_clear(&a->q);
	if (query_spec_copy(&a->q, lookup ? &f->lq : &f->pq) != LDNS_STATUS_OK)
		goto fail;
	a->have_name = a->have_type = true;
	a->auth = !lookup && f->pauth;
	a->compare = !lookup && n > 0;
	if (n > 0 && (a->servers = calloc(n, sizeof(*a->servers))) == NULL)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		if (server_copy(&a->servers[i], &sv[i].srv) < 0)
			goto fail;
		a->nservers++;
	}
	if (res != NULL && server_copy(resolver, res) < 0)
		goto fail;
	return 0;
fail:
	args_clear(a);
	return -1;
}

/* --- replay ----------------------------------------------------------------------------- */

#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static void
rp_fail(const struct record_file *f, unsigned line, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, errlen, "%s:%u: ", f->name, line);

	if (n < 0 || (size_t)n >= errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
}

/* Result ref (1-based) asked of addr with q's name/type/class? */
static bool rp_is(const struct record_file *f, size_t ref, const char *addr, const ldns_rdf *name,
                  ldns_rr_type type, ldns_rr_class klass)
{
	const struct record_entry *e = &f->e[ref - 1];

	return strcmp(e->server, addr) == 0 && e->q.qtype == type && e->q.qclass == klass &&
	       ldns_dname_compare(e->q.qname, name) == 0;
}

struct lookup *record_lookup_replay(const struct record_file *f, int64_t base_ns,
                                    lookup_change_fn fn, void *arg, char *err, size_t errlen)
{
	struct server *servers = calloc(f->nls ? f->nls : 1, sizeof(*servers));
	struct lookup *l = NULL;
	char raddr[64] = "";

	if (servers == NULL)
		goto nomem;
	for (size_t i = 0; i < f->nls; i++)
		servers[i] = f->ls[i].srv; /* lookup_new copies them */
	l = lookup_new(NULL, &f->lq, servers, f->nls, f->have_lres ? &f->lres : NULL, fn, arg);
	free(servers);
	if (l == NULL)
		goto nomem;
	if (f->have_lres && f->lres.addrlen > 0)
		server_addr_str(raddr, sizeof(raddr), (const struct sockaddr *)&f->lres.addr);
	lookup_start(l); /* without a transport nothing is sent */
	for (size_t i = 0; i < f->nls; i++) {
		const struct rf_server *s = &f->ls[i];
		const struct lookup_reply *r = lookup_reply_at(l, i);
		ldns_rdf *host = NULL;
		struct net_result *res;

		for (size_t k = 0; k < 2 && s->resolve[k] && r->state == LOOKUP_RESOLVING; k++) {
			ldns_rr_type want = k == 0 ? LDNS_RR_TYPE_A : LDNS_RR_TYPE_AAAA;
			if (host == NULL && s->srv.hostname != NULL)
				host = ldns_dname_new_frm_str(s->srv.hostname);
			if (host == NULL || !*raddr ||
			    !rp_is(f, s->resolve[k], raddr, host, want, LDNS_RR_CLASS_IN)) {
				rp_fail(
				    f, s->line, err, errlen,
				    "result %zu is not the resolver's answer to the server's name",
				    s->resolve[k]);
				ldns_rdf_deep_free(host);
				goto fail;
			}
			if ((res = record_result_copy(&f->e[s->resolve[k] - 1], base_ns)) == NULL) {
				ldns_rdf_deep_free(host);
				goto nomem;
			}
			lookup_deliver(l, i, res);
		}
		ldns_rdf_deep_free(host);
		if (s->reply && r->state == LOOKUP_WAITING) {
			char addr[64];
			server_addr_str(addr, sizeof(addr),
			                (const struct sockaddr *)&r->server.addr);
			if (!rp_is(f, s->reply, addr, f->lq.qname, f->lq.qtype, f->lq.qclass)) {
				rp_fail(f, s->line, err, errlen,
				        "result %zu is not this server's answer to the lookup's "
				        "question",
				        s->reply);
				goto fail;
			}
			if ((res = record_result_copy(&f->e[s->reply - 1], base_ns)) == NULL)
				goto nomem;
			lookup_deliver(l, i, res);
		}
	}
	return l;
nomem:
	snprintf(err, errlen, "out of memory");
fail:
	lookup_free(l);
	return NULL;
}

/* The fake resolver of a replayed comparison: answers from the saved results, in order. */
struct rp_asker {
	const struct record_file *f;
	const char *raddr;
	bool *used; /* per asked[] entry */
	int64_t base_ns;
	bool missing; /* a question had no saved answer */
	char missing_what[200];
};

static struct net_result *rp_answer(const struct query_spec *q, void *arg)
{
	struct rp_asker *a = arg;
	struct net_result *res;

	for (size_t i = 0; i < a->f->nasked; i++) {
		const struct record_entry *e = &a->f->e[a->f->asked[i] - 1];
		if (!a->used[i] && strcmp(e->server, a->raddr) == 0 &&
		    record_same_question(&e->q, q)) {
			a->used[i] = true;
			if ((res = record_result_copy(e, a->base_ns)) != NULL)
				return res;
			break;
		}
	}
	if (!a->missing) {
		char type[32], *name = rrtext_dname(q->qname);
		snprintf(a->missing_what, sizeof(a->missing_what), "%s %s", name ? name : "?",
		         rrtext_type(type, sizeof(type), q->qtype));
		free(name);
	}
	a->missing = true;
	/* the job needs some result; this one never shows: the replay fails */
	res = calloc(1, sizeof(*res));
	if (res != NULL)
		res->status = NET_NETWORK;
	return res;
}

struct prop *record_prop_replay(const struct record_file *f, int64_t base_ns, prop_change_fn fn,
                                void *arg, struct ask **asker, char *err, size_t errlen)
{
	struct prop_opts opts = {.auth = f->pauth};
	struct rp_asker fake = {.f = f, .base_ns = base_ns};
	struct server *named = calloc(f->nps ? f->nps : 1, sizeof(*named));
	bool *delivered = calloc(f->nrows ? f->nrows : 1, sizeof(*delivered));
	char raddr[64] = "";
	struct prop *p = NULL;
	bool progress = true;

	*asker = NULL;
	fake.used = calloc(f->nasked ? f->nasked : 1, sizeof(*fake.used));
	if (named == NULL || delivered == NULL || fake.used == NULL)
		goto nomem;
	if (f->have_pres && f->pres.addrlen > 0) {
		server_addr_str(raddr, sizeof(raddr), (const struct sockaddr *)&f->pres.addr);
		fake.raddr = raddr;
		if ((*asker = ask_new_fake(rp_answer, &fake)) == NULL)
			goto nomem;
	}
	for (size_t i = 0; i < f->nps; i++)
		named[i] = f->ps[i].srv; /* prop_new copies them */
	p = prop_new(NULL, *asker, &f->pq, named, f->nps, &opts, fn, arg);
	if (p == NULL)
		goto nomem;
	while (progress) {
		progress = *asker != NULL && ask_fake_pump(*asker) > 0;
		for (size_t i = 0; i < prop_nrows(p); i++) {
			const struct prop_row *row = prop_row(p, i);
			const struct rf_row *fr = NULL;
			struct net_result *res;

			if (row->server.addrlen == 0 || row->net != NULL ||
			    row->status != PROP_PENDING)
				continue;
			for (size_t k = 0; k < f->nrows && fr == NULL; k++)
				if (!delivered[k] && strcmp(f->rows[k].addr, row->addr) == 0)
					fr = &f->rows[k];
			if (fr == NULL)
				continue; /* pending when saved, or delivered already */
			delivered[fr - f->rows] = true;
			progress = true;
			if (fr->question && !rp_is(f, fr->question, fr->addr, f->pq.qname,
			                           f->pq.qtype, f->pq.qclass)) {
				rp_fail(f, fr->line, err, errlen,
				        "result %zu is not this server's answer to the "
				        "comparison's question",
				        fr->question);
				goto fail;
			}
			if (fr->soa && !rp_is(f, fr->soa, fr->addr, f->pq.qname, LDNS_RR_TYPE_SOA,
			                      f->pq.qclass)) {
				rp_fail(f, fr->line, err, errlen,
				        "result %zu is not this server's answer to SOA of the name",
				        fr->soa);
				goto fail;
			}
			if (fr->question) {
				if ((res = record_result_copy(&f->e[fr->question - 1], base_ns)) ==
				    NULL)
					goto nomem;
				prop_deliver(p, i, 0, res);
			}
			if (fr->soa) {
				if ((res = record_result_copy(&f->e[fr->soa - 1], base_ns)) == NULL)
					goto nomem;
				prop_deliver(p, i, 1, res);
			}
		}
	}
	if (fake.missing) {
		rp_fail(f, f->asked_line, err, errlen,
		        "the comparison asked its resolver %s, and the file holds no answer",
		        fake.missing_what);
		goto fail;
	}
	for (size_t k = 0; k < f->nrows; k++)
		if (!delivered[k] && (f->rows[k].question || f->rows[k].soa)) {
			rp_fail(f, f->rows[k].line, err, errlen,
			        "the comparison has no row for %s (the file does not replay)",
			        f->rows[k].addr);
			goto fail;
		}
	free(named);
	free(delivered);
	free(fake.used);
	return p;
nomem:
	snprintf(err, errlen, "out of memory");
fail:
	prop_free(p);
	ask_free(*asker);
	*asker = NULL;
	free(named);
	free(delivered);
	free(fake.used);
	return NULL;
}

int record_add_file(struct record *r, const struct record_file *f)
{
	for (size_t i = 0; i < f->n; i++)
		if (record_put(r, &f->e[i]) < 0)
			return -1;
	return 0;
}

/* --- diff -------------------------------------------------------------------------------- */

/* One result picked for the diff: the newest per question and server. */
struct df_pick {
	char *qkey; /* canonical question, "example.test./15/1" */
	const struct record_entry *e;
	size_t pos; /* position in its file */
	bool paired;
};

static int df_cmp(const void *a, const void *b)
{
	const struct df_pick *x = a, *y = b;
	int c = strcmp(x->qkey, y->qkey);

	if (c == 0)
		c = strcmp(x->e->server, y->e->server);
	if (c == 0)
		c = x->pos < y->pos ? 1 : x->pos > y->pos ? -1 : 0; /* newest first */
	return c;
}

static char *df_qkey(const struct query_spec *q)
{
	ldns_rdf *c = ldns_rdf_clone(q->qname);
	char *name, *key = NULL;

	if (c == NULL)
		return NULL;
	ldns_dname2canonical(c);
	name = rrtext_dname(c);
	ldns_rdf_deep_free(c);
	if (name != NULL && (key = malloc(strlen(name) + 16)) != NULL)
		sprintf(key, "%s/%u/%u", name, (unsigned)q->qtype, (unsigned)q->qclass);
	free(name);
	return key;
}

static void df_picks_free(struct df_pick *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i].qkey);
	free(v);
}

/* The newest result per (question, server) of a file, sorted by question then server. */
static struct df_pick *df_picks(const struct record_file *f, size_t *np)
{
	struct df_pick *v = calloc(f->n ? f->n : 1, sizeof(*v));
	size_t n = 0;

	if (v == NULL)
		return NULL;
	for (size_t i = 0; i < f->n; i++) {
		if ((v[i].qkey = df_qkey(&f->e[i].q)) == NULL) {
			df_picks_free(v, i);
			return NULL;
		}
		v[i].e = &f->e[i];
		v[i].pos = i;
	}
	qsort(v, f->n, sizeof(*v), df_cmp);
	for (size_t i = 0; i < f->n; i++) {
		if (n > 0 && strcmp(v[n - 1].qkey, v[i].qkey) == 0 &&
		    strcmp(v[n - 1].e->server, v[i].e->server) == 0) {
			free(v[i].qkey);
			continue; /* an older result of the same pair */
		}
		v[n++] = v[i];
	}
	*np = n;
	return v;
}

/* The SOA serial in the answer or authority section (RFC 2308 §3). */
static bool df_serial(const ldns_pkt *pkt, uint32_t *serial)
{
	ldns_rr_list *secs[2] = {ldns_pkt_answer(pkt), ldns_pkt_authority(pkt)};

	for (size_t s = 0; pkt && s < 2; s++)
		for (size_t i = 0; i < ldns_rr_list_rr_count(secs[s]); i++) {
			const ldns_rr *rr = ldns_rr_list_rr(secs[s], i);
			if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_SOA && ldns_rr_rd_count(rr) == 7 &&
			    ldns_rdf_size(ldns_rr_rdf(rr, 2)) == 4) {
				*serial = ldns_rdf2native_int32(ldns_rr_rdf(rr, 2));
				return true;
			}
		}
	return false;
}

/* A result's outcome in words and its parsed reply (NULL without one). */
static char *df_outcome(const struct record_entry *e, ldns_pkt **pkt)
{
	char rc[32];

	*pkt = NULL;
	if (e->res.status != NET_OK)
		return strdup(net_status_str(e->res.status));
	if (ldns_wire2pkt(pkt, e->res.wire, e->res.size) != LDNS_STATUS_OK) {
		*pkt = NULL;
		return strdup("malformed reply");
	}
	return strdup(rrtext_rcode(rc, sizeof(rc), rrtext_pkt_rcode(*pkt)));
}

static char *df_question_text(const struct query_spec *q)
{
	char type[32], klass[32], *name = rrtext_dname(q->qname), *out = NULL;

	if (name != NULL && (out = malloc(strlen(name) + 70)) != NULL)
		sprintf(out, "%s %s %s", name, rrtext_type(type, sizeof(type), q->qtype),
		        rrtext_class(klass, sizeof(klass), q->qclass));
	free(name);
	return out;
}

static void df_change_clear(struct record_change *c)
{
	free(c->question);
	free(c->server_a);
	free(c->server_b);
	free(c->outcome_a);
	free(c->outcome_b);
	ldns_rr_list_deep_free(c->removed);
	ldns_rr_list_deep_free(c->added);
	memset(c, 0, sizeof(*c));
}

void record_diff_clear(struct record_diff *d)
{
	for (size_t i = 0; i < d->n; i++)
		df_change_clear(&d->v[i]);
	free(d->v);
	memset(d, 0, sizeof(*d));
}

/* Compare picks a and b (either may be NULL); append a change when they differ. */
static int df_compare(struct record_diff *d, const struct df_pick *a, const struct df_pick *b,
                      size_t *order, size_t order_of)
{
	struct record_change c;
	ldns_pkt *pa = NULL, *pb = NULL;
	const struct record_entry *any = a ? a->e : b->e;
	struct record_change *grown;
	bool differ;

	memset(&c, 0, sizeof(c));
	c.kind = a && b ? RECORD_CHANGED : a ? RECORD_ONLY_A : RECORD_ONLY_B;
	if ((c.question = df_question_text(&any->q)) == NULL ||
	    (a && ((c.server_a = strdup(a->e->server)) == NULL ||
	           (c.outcome_a = df_outcome(a->e, &pa)) == NULL)) ||
	    (b && ((c.server_b = strdup(b->e->server)) == NULL ||
	           (c.outcome_b = df_outcome(b->e, &pb)) == NULL)))
		goto nomem;
	c.have_serial_a = pa && df_serial(pa, &c.serial_a);
	c.have_serial_b = pb && df_serial(pb, &c.serial_b);
	differ = !(a && b);
	if (a && b) {
		c.outcome_changed = strcmp(c.outcome_a, c.outcome_b) != 0;
		c.removed =
		    rrset_minus(pa ? ldns_pkt_answer(pa) : NULL, pb ? ldns_pkt_answer(pb) : NULL);
		c.added =
		    rrset_minus(pb ? ldns_pkt_answer(pb) : NULL, pa ? ldns_pkt_answer(pa) : NULL);
		if (c.removed == NULL || c.added == NULL)
			goto nomem;
		differ = c.outcome_changed || ldns_rr_list_rr_count(c.removed) > 0 ||
		         ldns_rr_list_rr_count(c.added) > 0 || c.have_serial_a != c.have_serial_b ||
		         (c.have_serial_a && c.serial_a != c.serial_b);
	}
	ldns_pkt_free(pa);
	ldns_pkt_free(pb);
	pa = pb = NULL;
	if (!differ) {
		df_change_clear(&c);
		return 0;
	}
	grown = realloc(d->v, (d->n + 1) * sizeof(*grown));
	if (grown == NULL)
		goto nomem;
	d->v = grown;
	d->v[d->n] = c;
	order[d->n++] = order_of;
	return 0;
nomem:
	ldns_pkt_free(pa);
	ldns_pkt_free(pb);
	df_change_clear(&c);
	return -1;
}

/* The unpaired picks of question qkey in v: how many, and the first. */
static size_t df_unpaired(struct df_pick *v, size_t n, const char *qkey, bool *any_paired,
                          struct df_pick **first)
{
	size_t count = 0;

	*any_paired = false;
	*first = NULL;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i].qkey, qkey) != 0)
			continue;
		if (v[i].paired)
			*any_paired = true;
		else if (count++ == 0)
			*first = &v[i];
	}
	return count;
}

/* A change and where it sorts. */
struct df_ord {
	size_t order, i;
};

static int df_ord_cmp(const void *a, const void *b)
{
	const struct df_ord *x = a, *y = b;

	return x->order < y->order ? -1 : x->order > y->order ? 1 : 0;
}

int record_diff(const struct record_file *fa, const struct record_file *fb, struct record_diff *d)
{
	size_t na = 0, nb = 0, i = 0, j = 0;
	struct df_pick *a = df_picks(fa, &na), *b = df_picks(fb, &nb);
	size_t *order = malloc((fa->n + fb->n + 1) * sizeof(*order));
	int rc = -1;

	memset(d, 0, sizeof(*d));
	d->saved_a = fa->saved_at;
	d->saved_b = fb->saved_at;
	if (a == NULL || b == NULL || order == NULL)
		goto out;
	/* pairs of the same question and server */
	while (i < na && j < nb) {
		int c = strcmp(a[i].qkey, b[j].qkey);
		if (c == 0)
			c = strcmp(a[i].e->server, b[j].e->server);
		if (c == 0) {
			a[i].paired = b[j].paired = true;
			if (df_compare(d, &a[i], &b[j], order, a[i].pos) < 0)
				goto out;
			i++;
			j++;
		} else if (c < 0) {
			i++;
		} else {
			j++;
		}
	}
	/* the same question asked of one server in each file, a different one */
	for (i = 0; i < na; i++) {
		struct df_pick *pa, *pb;
		bool pa_any, pb_any;
		if (a[i].paired || df_unpaired(a, na, a[i].qkey, &pa_any, &pa) != 1 || pa_any ||
		    df_unpaired(b, nb, a[i].qkey, &pb_any, &pb) != 1 || pb_any)
			continue;
		pa->paired = pb->paired = true;
		if (df_compare(d, pa, pb, order, pa->pos) < 0)
			goto out;
	}
	for (i = 0; i < na; i++)
		if (!a[i].paired && df_compare(d, &a[i], NULL, order, a[i].pos) < 0)
			goto out;
	for (j = 0; j < nb; j++)
		if (!b[j].paired && df_compare(d, NULL, &b[j], order, fa->n + b[j].pos) < 0)
			goto out;
	/* in the order of the first file, then the second's own questions */
	if (d->n > 1) {
		struct df_ord *o = malloc(d->n * sizeof(*o));
		struct record_change *v = malloc(d->n * sizeof(*v));
		if (o == NULL || v == NULL) {
			free(o);
			free(v);
			goto out;
		}
		for (size_t x = 0; x < d->n; x++)
			o[x] = (struct df_ord){order[x], x};
		qsort(o, d->n, sizeof(*o), df_ord_cmp);
		for (size_t x = 0; x < d->n; x++)
			v[x] = d->v[o[x].i];
		free(d->v);
		d->v = v;
		free(o);
	}
	rc = 0;
out:
	if (rc < 0)
		record_diff_clear(d);
	df_picks_free(a, na);
	df_picks_free(b, nb);
	free(order);
	return rc;
}
