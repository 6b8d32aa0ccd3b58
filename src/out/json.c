/*
 * json.c -- JSON rendering of a lookup with jansson (see json.h).
 *
 * Member names follow RFC 8427 §2 and the order kdig +json prints them in. ldns takes the OPT
 * (and TSIG) RR out of the additional section when it parses a reply and lowers ARCOUNT; we
 * put them back as kdig does, so ARCOUNT and additionalRRs describe the message as it was on
 * the wire. Every string handed to jansson is escaped ASCII from dns/rrtext.h or
 * dns/escape.h, so the output is valid UTF-8 whatever bytes the reply held.
 */
#include "config.h"
#include "out/json.h"
#include "dns/escape.h"
#include "dns/rrtext.h"
#include "net/server.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Flags for every dump: 15 significant digits print rtt_ms (rounded to 3 decimals) as
 * "0.213", not "0.21299999999999999". */
#define JSON_OUT_FLAGS                                                                             \
	(JSON_INDENT(2) | JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))

/* Set o[key] = v, stealing v (jansson decrefs it on failure too); a NULL v (out of memory
 * while building it) fails. */
static int set(json_t *o, const char *key, json_t *v)
{
	return json_object_set_new(o, key, v);
}

/* Set o[key] to the malloc'd ASCII string s, which is freed; NULL s fails. */
static int set_str_owned(json_t *o, const char *key, char *s)
{
	json_t *v;

	if (s == NULL)
		return -1;
	v = json_string(s);
	free(s);
	return set(o, key, v);
}

/* Set o[key] to an escaped copy of s, or to null when s is NULL. */
static int set_str_esc(json_t *o, const char *key, const char *s)
{
	if (s == NULL)
		return set(o, key, json_null());
	return set_str_owned(o, key, esc_str(s));
}

/* Upper-case hex of a buffer, as RFC 8427 §2.3 RDATAHEX; caller frees. */
static char *hex_new(const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789ABCDEF";
	char *s = malloc(2 * n + 1);
	size_t i;

	if (s == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		s[2 * i] = digits[p[i] >> 4];
		s[2 * i + 1] = digits[p[i] & 0x0f];
	}
	s[2 * n] = '\0';
	return s;
}

/* Add RDLENGTH and RDATAHEX for raw rdata bytes (RDATAHEX left out when empty and
 * omit_empty, as kdig does for an OPT RR without options). */
static int set_rdata_hex(json_t *o, const uint8_t *p, size_t n, bool omit_empty)
{
	if (set(o, "RDLENGTH", json_integer((json_int_t)n)) < 0)
		return -1;
	if (n == 0 && omit_empty)
		return 0;
	return set_str_owned(o, "RDATAHEX", hex_new(p, n));
}

/* The members every RR and question entry share: NAME, TYPE, TYPEname, CLASS, CLASSname. */
static int set_rr_head(json_t *o, const ldns_rr *rr)
{
	char buf[32];
	ldns_rr_type t = ldns_rr_get_type(rr);
	ldns_rr_class c = ldns_rr_get_class(rr);

	if (set_str_owned(o, "NAME", rrtext_dname(ldns_rr_owner(rr))) < 0 ||
	    set(o, "TYPE", json_integer(t)) < 0 ||
	    set(o, "TYPEname", json_string(rrtext_type(buf, sizeof(buf), t))) < 0 ||
	    set(o, "CLASS", json_integer(c)) < 0 ||
	    set(o, "CLASSname", json_string(rrtext_class(buf, sizeof(buf), c))) < 0)
		return -1;
	return 0;
}

/* One RR of the answer, authority or additional section (RFC 8427 §2.2, §2.3). */
static json_t *rr_new(const ldns_rr *rr)
{
	char type[32], key[48];
	json_t *o = json_object();
	ldns_buffer *wire = NULL;

	if (o == NULL)
		return NULL;
	if (set_rr_head(o, rr) < 0 || set(o, "TTL", json_integer(ldns_rr_ttl(rr))) < 0)
		goto fail;
	rrtext_type(type, sizeof(type), ldns_rr_get_type(rr));
	snprintf(key, sizeof(key), "rdata%s", type);
	if (set_str_owned(o, key, rrtext_rdata(rr)) < 0)
		goto fail;
	/* ldns writes rdata names uncompressed and in their received case: the RDATAHEX of
	 * kdig, which also decompresses. */
	wire = ldns_buffer_new(256);
	if (wire == NULL || ldns_rr_rdata2buffer_wire(wire, rr) != LDNS_STATUS_OK)
		goto fail;
	if (set_rdata_hex(o, ldns_buffer_begin(wire), ldns_buffer_position(wire), false) < 0)
		goto fail;
	ldns_buffer_free(wire);
	return o;
fail:
	ldns_buffer_free(wire);
	json_decref(o);
	return NULL;
}

/* The OPT RR rebuilt from what ldns kept of it (RFC 6891 §6.1.2, §6.1.3), shown as kdig
 * does: CLASS is the UDP payload size, TTL packs extended RCODE, version and flags. */
static json_t *opt_rr_new(const ldns_pkt *pkt)
{
	json_t *o = json_object();
	ldns_rdf *data = ldns_pkt_edns_data(pkt);
	uint32_t ttl = ((uint32_t)ldns_pkt_edns_extended_rcode(pkt) << 24) |
	               ((uint32_t)ldns_pkt_edns_version(pkt) << 16) | ldns_pkt_edns_z(pkt);

	if (o == NULL)
		return NULL;
	if (set(o, "NAME", json_string(".")) < 0 ||
	    set(o, "TYPE", json_integer(LDNS_RR_TYPE_OPT)) < 0 ||
	    set(o, "TYPEname", json_string("OPT")) < 0 ||
	    set(o, "CLASS", json_integer(ldns_pkt_edns_udp_size(pkt))) < 0 ||
	    set(o, "TTL", json_integer(ttl)) < 0 ||
	    set_rdata_hex(o, data ? ldns_rdf_data(data) : NULL, data ? ldns_rdf_size(data) : 0,
	                  true) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Append every RR of a list to an array. */
static int append_rrs(json_t *a, const ldns_rr_list *list)
{
	size_t i;

	for (i = 0; i < ldns_rr_list_rr_count(list); i++)
		if (json_array_append_new(a, rr_new(ldns_rr_list_rr(list, i))) < 0)
			return -1;
	return 0;
}

/* A section array, or nothing when the section is empty (kdig leaves empty ones out). */
static int set_section(json_t *o, const char *key, const ldns_rr_list *list)
{
	json_t *a;

	if (ldns_rr_list_rr_count(list) == 0)
		return 0;
	a = json_array();
	if (a == NULL || append_rrs(a, list) < 0) {
		json_decref(a);
		return -1;
	}
	return set(o, key, a);
}

/* The question members: QNAME, QTYPE, ... of the first entry, and questionRRs when there
 * are several (RFC 8427 §2.1). */
static int set_question(json_t *o, const ldns_rr_list *qs)
{
	const ldns_rr *q;
	json_t *a;
	size_t i;

	if (ldns_rr_list_rr_count(qs) == 0)
		return 0;
	q = ldns_rr_list_rr(qs, 0);
	{
		char buf[32];
		ldns_rr_type t = ldns_rr_get_type(q);
		ldns_rr_class c = ldns_rr_get_class(q);

		if (set_str_owned(o, "QNAME", rrtext_dname(ldns_rr_owner(q))) < 0 ||
		    set(o, "QTYPE", json_integer(t)) < 0 ||
		    set(o, "QTYPEname", json_string(rrtext_type(buf, sizeof(buf), t))) < 0 ||
		    set(o, "QCLASS", json_integer(c)) < 0 ||
		    set(o, "QCLASSname", json_string(rrtext_class(buf, sizeof(buf), c))) < 0)
			return -1;
	}
	if (ldns_rr_list_rr_count(qs) < 2)
		return 0;
	a = json_array();
	if (a == NULL)
		return -1;
	for (i = 0; i < ldns_rr_list_rr_count(qs); i++) {
		json_t *e = json_object();

		if (json_array_append_new(a, e) < 0 || set_rr_head(e, ldns_rr_list_rr(qs, i)) < 0) {
			json_decref(a);
			return -1;
		}
	}
	return set(o, "questionRRs", a);
}

/* The additional section as it was on the wire: its RRs, then OPT and TSIG. */
static int set_additional(json_t *o, const ldns_pkt *pkt, bool edns)
{
	const ldns_rr_list *list = ldns_pkt_additional(pkt);
	ldns_rr *tsig = ldns_pkt_tsig(pkt);
	json_t *a;

	if (ldns_rr_list_rr_count(list) == 0 && !edns && tsig == NULL)
		return 0;
	a = json_array();
	if (a == NULL || append_rrs(a, list) < 0 ||
	    (edns && json_array_append_new(a, opt_rr_new(pkt)) < 0) ||
	    (tsig != NULL && json_array_append_new(a, rr_new(tsig)) < 0)) {
		json_decref(a);
		return -1;
	}
	return set(o, "additionalRRs", a);
}

/* dateString, dateSeconds and msgLength (RFC 8427 §2.5) of a received message, first in the
 * object as kdig prints them. */
static int set_received(json_t *o, const struct net_result *net)
{
	struct tm tm;
	char date[64];
	time_t t = net->rx_wall.tv_sec;

	/* ISO 8601 in UTC, like kdig's "2026-11-21T09:53:12+0000"; digits only, so no locale
	 * can put anything but ASCII here. */
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S+0000", &tm) == 0)
		date[0] = '\0';
	if (set(o, "dateString", json_string(date)) < 0 ||
	    set(o, "dateSeconds", json_integer((json_int_t)t)) < 0 ||
	    set(o, "msgLength", json_integer((json_int_t)net->size)) < 0)
		return -1;
	return 0;
}

/* The message object, with the reception facts first when net is given. */
static json_t *message_new(const ldns_pkt *pkt, const struct net_result *net)
{
	json_t *o = json_object();
	/* For a parsed reply: an OPT RR was present (the test rrtext_edns_from_pkt makes). */
	bool have_edns = ldns_pkt_edns(pkt);
	size_t arcount;

	if (o == NULL)
		return NULL;
	arcount = ldns_pkt_arcount(pkt) + (have_edns ? 1 : 0) + (ldns_pkt_tsig(pkt) ? 1 : 0);

	if ((net != NULL && set_received(o, net) < 0) ||
	    set(o, "ID", json_integer(ldns_pkt_id(pkt))) < 0 ||
	    set(o, "QR", json_integer(ldns_pkt_qr(pkt))) < 0 ||
	    set(o, "Opcode", json_integer(ldns_pkt_get_opcode(pkt))) < 0 ||
	    set(o, "AA", json_integer(ldns_pkt_aa(pkt))) < 0 ||
	    set(o, "TC", json_integer(ldns_pkt_tc(pkt))) < 0 ||
	    set(o, "RD", json_integer(ldns_pkt_rd(pkt))) < 0 ||
	    set(o, "RA", json_integer(ldns_pkt_ra(pkt))) < 0 ||
	    set(o, "AD", json_integer(ldns_pkt_ad(pkt))) < 0 ||
	    set(o, "CD", json_integer(ldns_pkt_cd(pkt))) < 0 ||
	    set(o, "RCODE", json_integer(ldns_pkt_get_rcode(pkt))) < 0 ||
	    set(o, "QDCOUNT", json_integer(ldns_pkt_qdcount(pkt))) < 0 ||
	    set(o, "ANCOUNT", json_integer(ldns_pkt_ancount(pkt))) < 0 ||
	    set(o, "NSCOUNT", json_integer(ldns_pkt_nscount(pkt))) < 0 ||
	    set(o, "ARCOUNT", json_integer((json_int_t)arcount)) < 0 ||
	    set_question(o, ldns_pkt_question(pkt)) < 0 ||
	    set_section(o, "answerRRs", ldns_pkt_answer(pkt)) < 0 ||
	    set_section(o, "authorityRRs", ldns_pkt_authority(pkt)) < 0 ||
	    set_additional(o, pkt, have_edns) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *json_message_new(const ldns_pkt *pkt)
{
	return message_new(pkt, NULL);
}

/* Milliseconds rounded to 3 decimals (microseconds), without libm. */
static double rtt_round(double ms)
{
	if (ms <= 0)
		return 0;
	return (double)(long long)(ms * 1000.0 + 0.5) / 1000.0;
}

json_t *json_reply_new(const struct lookup_reply *r)
{
	const struct net_result *net = r->net;
	bool got = net != NULL && net->status == NET_OK;
	json_t *o = json_object();
	json_t *msg;
	char addr[64];

	if (o == NULL)
		return NULL;
	if (set_str_esc(o, "server", r->server.label) < 0 ||
	    set_str_esc(
	        o, "address",
	        r->server.addrlen > 0
	            ? server_addr_str(addr, sizeof(addr), (const struct sockaddr *)&r->server.addr)
	            : NULL) < 0 ||
	    set(o, "transport", net ? json_string(net->tcp ? "tcp" : "udp") : json_null()) < 0 ||
	    set(o, "tc_retry", net ? json_boolean(net->tc_retry) : json_null()) < 0 ||
	    set(o, "rtt_ms", got ? json_real(rtt_round(net->rtt_ms)) : json_null()) < 0 ||
	    set(o, "size", got ? json_integer((json_int_t)net->size) : json_null()) < 0 ||
	    set(o, "tries", net ? json_integer(net->tries) : json_null()) < 0 ||
	    set(o, "discarded", net ? json_integer(net->discarded) : json_null()) < 0 ||
	    set_str_esc(o, "error", lookup_reply_reason(r)) < 0)
		goto fail;
	if (r->pkt != NULL) {
		msg = message_new(r->pkt, got ? net : NULL);
		if (msg == NULL)
			goto fail;
	} else {
		msg = json_null();
	}
	if (set(o, "message", msg) < 0)
		goto fail;
	return o;
fail:
	json_decref(o);
	return NULL;
}

int json_lookup_print(FILE *f, const struct lookup *l)
{
	size_t i, n = lookup_count(l);
	json_t *root;
	int rc = 0;

	if (n == 1) {
		root = json_reply_new(lookup_reply_at(l, 0));
	} else {
		root = json_array();
		for (i = 0; root != NULL && i < n; i++) {
			if (json_array_append_new(root, json_reply_new(lookup_reply_at(l, i))) <
			    0) {
				json_decref(root);
				root = NULL;
			}
		}
	}
	if (root == NULL)
		return -1;
	if (json_dumpf(root, f, JSON_OUT_FLAGS) < 0 || fputc('\n', f) == EOF || fflush(f) == EOF)
		rc = -1;
	json_decref(root);
	return rc;
}
