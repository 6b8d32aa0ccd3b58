/*
 * rrtext.c -- escaped presentation text (see rrtext.h). ldns prints, esc_* makes it safe.
 */
#include "config.h"
#include "dns/rrtext.h"
#include "dns/escape.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Print one rdf with ldns and escape the result. */
static char *rrtext_rdf(const ldns_rdf *rdf)
{
	ldns_buffer *b = ldns_buffer_new(64);
	char *out = NULL;

	if (b == NULL)
		return NULL;
	if (rdf == NULL || ldns_rdf2buffer_str(b, rdf) == LDNS_STATUS_OK)
		out = esc_bytes(ldns_buffer_begin(b), ldns_buffer_position(b));
	ldns_buffer_free(b);
	return out;
}

char *rrtext_dname(const ldns_rdf *name)
{
	return rrtext_rdf(name);
}

char *rrtext_rdata(const ldns_rr *rr)
{
	ldns_buffer *b = ldns_buffer_new(128);
	char *out = NULL;
	ldns_status st = LDNS_STATUS_OK;

	if (b == NULL)
		return NULL;
	for (size_t i = 0; i < ldns_rr_rd_count(rr) && st == LDNS_STATUS_OK; i++) {
		if (i > 0)
			ldns_buffer_printf(b, " ");
		st = ldns_rdf2buffer_str(b, ldns_rr_rdf(rr, i));
	}
	if (st == LDNS_STATUS_OK && ldns_buffer_status_ok(b))
		out = esc_bytes(ldns_buffer_begin(b), ldns_buffer_position(b));
	else if (st != LDNS_STATUS_OK)
		out = esc_str("<unprintable rdata>");
	ldns_buffer_free(b);
	return out;
}

int rrtext_from_rr(struct rrtext *out, const ldns_rr *rr)
{
	char buf[32];

	memset(out, 0, sizeof(*out));
	out->owner = rrtext_dname(ldns_rr_owner(rr));
	out->ttl = ldns_rr_is_question(rr) ? 0 : ldns_rr_ttl(rr);
	out->klass = strdup(rrtext_class(buf, sizeof(buf), ldns_rr_get_class(rr)));
	out->type = strdup(rrtext_type(buf, sizeof(buf), ldns_rr_get_type(rr)));
	out->rdata = ldns_rr_is_question(rr) ? strdup("") : rrtext_rdata(rr);
	if (!out->owner || !out->klass || !out->type || !out->rdata) {
		rrtext_clear(out);
		return -1;
	}
	return 0;
}

void rrtext_clear(struct rrtext *t)
{
	if (t == NULL)
		return;
	free(t->owner);
	free(t->klass);
	free(t->type);
	free(t->rdata);
	memset(t, 0, sizeof(*t));
}

/* Copy an ldns-allocated mnemonic into buf, with a numeric fallback (RFC 3597 §5). */
static char *rrtext_mnemonic(char *buf, size_t buflen, char *ldns_str, const char *prefix,
                             unsigned n)
{
	if (ldns_str != NULL)
		snprintf(buf, buflen, "%s", ldns_str);
	else
		snprintf(buf, buflen, "%s%u", prefix, n);
	free(ldns_str);
	return buf;
}

char *rrtext_type(char *buf, size_t buflen, ldns_rr_type t)
{
	return rrtext_mnemonic(buf, buflen, ldns_rr_type2str(t), "TYPE", t);
}

char *rrtext_class(char *buf, size_t buflen, ldns_rr_class c)
{
	return rrtext_mnemonic(buf, buflen, ldns_rr_class2str(c), "CLASS", c);
}

char *rrtext_opcode(char *buf, size_t buflen, unsigned opcode)
{
	ldns_lookup_table *lt = ldns_lookup_by_id(ldns_opcodes, (int)opcode);

	if (lt != NULL)
		snprintf(buf, buflen, "%s", lt->name);
	else
		snprintf(buf, buflen, "OPCODE%u", opcode);
	return buf;
}

char *rrtext_rcode(char *buf, size_t buflen, unsigned rcode)
{
	ldns_lookup_table *lt = ldns_lookup_by_id(ldns_rcodes, (int)rcode);

	if (lt != NULL)
		snprintf(buf, buflen, "%s", lt->name);
	else if (rcode == 16)
		snprintf(buf, buflen, "BADVERS"); /* RFC 6891 §9 */
	else if (rcode == 23)
		snprintf(buf, buflen, "BADCOOKIE"); /* RFC 7873 §8 */
	else
		snprintf(buf, buflen, "RCODE%u", rcode);
	return buf;
}

unsigned rrtext_pkt_rcode(const ldns_pkt *pkt)
{
	return ((unsigned)ldns_pkt_edns_extended_rcode(pkt) << 4) | ldns_pkt_get_rcode(pkt);
}

/* IANA "DNS EDNS0 Option Codes (OPT)" names for the options people meet. */
static const char *rrtext_opt_name(uint16_t code)
{
	switch (code) {
	case 3:
		return "NSID";
	case 5:
		return "DAU";
	case 6:
		return "DHU";
	case 7:
		return "N3U";
	case 8:
		return "CLIENT-SUBNET";
	case 9:
		return "EXPIRE";
	case 10:
		return "COOKIE";
	case 11:
		return "TCP-KEEPALIVE";
	case 12:
		return "PADDING";
	case 13:
		return "CHAIN";
	case 14:
		return "KEY-TAG";
	case 15:
		return "EDE";
	default:
		return NULL;
	}
}

/* RFC 8914 §4 info codes. */
static const char *rrtext_ede_name(unsigned code)
{
	static const char *const names[] = {
	    "Other Error",
	    "Unsupported DNSKEY Algorithm",
	    "Unsupported DS Digest Type",
	    "Stale Answer",
	    "Forged Answer",
	    "DNSSEC Indeterminate",
	    "DNSSEC Bogus",
	    "Signature Expired",
	    "Signature Not Yet Valid",
	    "DNSKEY Missing",
	    "RRSIGs Missing",
	    "No Zone Key Bit Set",
	    "NSEC Missing",
	    "Cached Error",
	    "Not Ready",
	    "Blocked",
	    "Censored",
	    "Filtered",
	    "Prohibited",
	    "Stale NXDOMAIN Answer",
	    "Not Authoritative",
	    "Not Supported",
	    "No Reachable Authority",
	    "Network Error",
	    "Invalid Data",
	    /* registered after RFC 8914 (IANA "Extended DNS Error Codes") */
	    "Signature Expired before Valid",
	    "Too Early",
	    "Unsupported NSEC3 Iterations Value",
	    "Unable to conform to policy",
	    "Synthesized",
	};
	return code < sizeof(names) / sizeof(names[0]) ? names[code] : "Unassigned";
}

/* Option payload as text: hex, plus the escaped bytes for NSID; EDE decoded. */
static char *rrtext_opt_text(uint16_t code, const uint8_t *data, size_t len)
{
	size_t cap = len * 2 + 64 + (len * 4);
	char *out = malloc(cap + 1), *p = out;
	char *esc;

	if (out == NULL)
		return NULL;
	*p = '\0';
	if (code == 15 && len >= 2) {
		unsigned info = (unsigned)data[0] << 8 | data[1];
		esc = esc_raw(data + 2, len - 2);
		if (esc == NULL) {
			free(out);
			return NULL;
		}
		snprintf(out, cap + 1, "%u (%s)%s%s", info, rrtext_ede_name(info),
		         len > 2 ? ": " : "", esc);
		free(esc);
		return out;
	}
	for (size_t i = 0; i < len; i++)
		p += sprintf(p, "%02X", data[i]);
	if (code == 3 && len > 0) {
		esc = esc_raw(data, len);
		if (esc == NULL) {
			free(out);
			return NULL;
		}
		snprintf(p, cap + 1 - (size_t)(p - out), " (\"%s\")", esc);
		free(esc);
	}
	return out;
}

int rrtext_edns_from_pkt(struct rrtext_edns *out, ldns_pkt *pkt)
{
	ldns_edns_option_list *list;
	size_t n;

	memset(out, 0, sizeof(*out));
	/* ldns_pkt_edns() is also true for a query we built; for a parsed reply it means an
	 * OPT RR was present. */
	if (!ldns_pkt_edns(pkt))
		return 0;
	out->present = true;
	out->version = ldns_pkt_edns_version(pkt);
	out->udp_size = ldns_pkt_edns_udp_size(pkt);
	out->do_bit = ldns_pkt_edns_do(pkt);
	list = ldns_pkt_edns_get_option_list(pkt); /* owned by pkt */
	n = list != NULL ? ldns_edns_option_list_get_count(list) : 0;
	if (n == 0)
		return 0;
	out->opts = calloc(n, sizeof(*out->opts));
	if (out->opts == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		ldns_edns_option *o = ldns_edns_option_list_get_option(list, i);
		uint16_t code = ldns_edns_get_code(o);
		const char *name = rrtext_opt_name(code);
		char nbuf[16];
		struct rrtext_opt *ro = &out->opts[out->nopts];

		if (name == NULL) {
			snprintf(nbuf, sizeof(nbuf), "OPT%u", code);
			name = nbuf;
		}
		ro->code = code;
		ro->name = strdup(name);
		ro->text = rrtext_opt_text(code, ldns_edns_get_data(o), ldns_edns_get_size(o));
		out->nopts++;
		if (ro->name == NULL || ro->text == NULL) {
			rrtext_edns_clear(out);
			return -1;
		}
	}
	return 0;
}

void rrtext_edns_clear(struct rrtext_edns *e)
{
	if (e == NULL)
		return;
	for (size_t i = 0; i < e->nopts; i++) {
		free(e->opts[i].name);
		free(e->opts[i].text);
	}
	free(e->opts);
	memset(e, 0, sizeof(*e));
}
