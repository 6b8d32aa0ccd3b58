/*
 * rrset.c -- comparing and summarising the RRs of an answer (see rrset.h).
 */
#include "config.h"
#include "dns/rrset.h"
#include "dns/rrtext.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int rrset_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One RR's canonical wire form as hex (TTL 0, names lower-cased: RFC 4034 §6.2). */
char *rrset_rr_key(const ldns_rr *rr)
{
	ldns_rr *c = ldns_rr_clone(rr);
	ldns_buffer *b = ldns_buffer_new(256);
	char *hex = NULL;

	if (c != NULL && b != NULL) {
		ldns_rr_set_ttl(c, 0);
		ldns_rr2canonical(c);
		if (ldns_rr2buffer_wire_canonical(b, c, LDNS_SECTION_ANSWER) == LDNS_STATUS_OK) {
			size_t len = ldns_buffer_position(b);
			hex = malloc(len * 2 + 1);
			for (size_t i = 0; hex && i < len; i++)
				sprintf(hex + 2 * i, "%02X", ldns_buffer_at(b, i)[0]);
			if (hex)
				hex[len * 2] = '\0';
		}
	}
	ldns_rr_free(c);
	ldns_buffer_free(b);
	return hex;
}

/*
 * Sort the n strings of parts, join them with sep (a repeated one once when dedupe), and
 * free them and the array: the joined text, or NULL when memory runs out or ok is false.
 */
static char *rrset_join(char **parts, size_t n, const char *sep, bool dedupe, bool ok)
{
	size_t total = 1;
	char *out = NULL;

	for (size_t i = 0; ok && i < n; i++)
		total += strlen(parts[i]) + strlen(sep);
	if (ok) {
		qsort(parts, n, sizeof(*parts), rrset_cmp_str);
		out = malloc(total);
	}
	if (out != NULL) {
		out[0] = '\0';
		for (size_t i = 0, used = 0; i < n; i++) {
			/* an RRset is a set: a repeated RR counts once (RFC 2181 §5) */
			if (dedupe && i > 0 && strcmp(parts[i], parts[i - 1]) == 0)
				continue;
			used += (size_t)sprintf(out + used, "%s%s", used ? sep : "", parts[i]);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(parts[i]);
	free(parts);
	return out;
}

char *rrset_canonical_key(const ldns_rr_list *rrs)
{
	size_t n = rrs ? ldns_rr_list_rr_count(rrs) : 0;
	char **keys = calloc(n ? n : 1, sizeof(*keys));
	bool ok = true;

	if (keys == NULL)
		return NULL;
	for (size_t i = 0; ok && i < n; i++)
		ok = (keys[i] = rrset_rr_key(ldns_rr_list_rr(rrs, i))) != NULL;
	return rrset_join(keys, n, ",", true, ok);
}

/* The compact answer: rdata joined with ", " in sorted order (an RRset has no order, and
 * rows with the same answer must read the same), the type in front when it is not the
 * question's (a CNAME on the way). */
char *rrset_compact(const ldns_rr_list *ans, ldns_rr_type qtype, uint32_t *min_ttl)
{
	size_t n = ldns_rr_list_rr_count(ans);
	char **parts = calloc(n ? n : 1, sizeof(*parts));
	bool ok = true;

	if (min_ttl)
		*min_ttl = 0;
	if (parts == NULL)
		return NULL;
	for (size_t i = 0; ok && i < n; i++) {
		const ldns_rr *rr = ldns_rr_list_rr(ans, i);
		char *rd = rrtext_rdata(rr), type[32] = "";

		if (rd == NULL) {
			ok = false;
			break;
		}
		if (ldns_rr_get_type(rr) != qtype)
			rrtext_type(type, sizeof(type), ldns_rr_get_type(rr));
		parts[i] = malloc(strlen(type) + strlen(rd) + 2);
		if (parts[i] != NULL)
			sprintf(parts[i], "%s%s%s", type, *type ? " " : "", rd);
		free(rd);
		ok = parts[i] != NULL;
		if (min_ttl && (i == 0 || ldns_rr_ttl(rr) < *min_ttl))
			*min_ttl = ldns_rr_ttl(rr);
	}
	return rrset_join(parts, n, ", ", false, ok);
}

ldns_rr_list *rrset_minus(const ldns_rr_list *a, const ldns_rr_list *b)
{
	size_t na = a ? ldns_rr_list_rr_count(a) : 0, nb = b ? ldns_rr_list_rr_count(b) : 0;
	char **kb = calloc(nb ? nb : 1, sizeof(*kb));
	ldns_rr_list *out = ldns_rr_list_new();
	bool ok = kb != NULL && out != NULL;

	for (size_t j = 0; ok && j < nb; j++)
		ok = (kb[j] = rrset_rr_key(ldns_rr_list_rr(b, j))) != NULL;
	for (size_t i = 0; ok && i < na; i++) {
		const ldns_rr *rr = ldns_rr_list_rr(a, i);
		char *k = rrset_rr_key(rr);
		bool found = false;

		if (k == NULL) {
			ok = false;
			break;
		}
		for (size_t j = 0; !found && j < nb; j++)
			found = strcmp(k, kb[j]) == 0;
		free(k);
		if (!found) {
			ldns_rr *c = ldns_rr_clone(rr);
			ok = c != NULL && ldns_rr_list_push_rr(out, c);
			if (!ok)
				ldns_rr_free(c);
		}
	}
	for (size_t j = 0; kb && j < nb; j++)
		free(kb[j]);
	free(kb);
	if (!ok) {
		ldns_rr_list_deep_free(out);
		return NULL;
	}
	return out;
}
