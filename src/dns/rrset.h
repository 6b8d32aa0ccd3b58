/*
 * rrset.h -- comparing and summarising the RRs of an answer.
 *
 * Two answers are the same when they hold the same RRs compared canonically: owner and names
 * in rdata lower-cased (RFC 4034 §6.2, RFC 4343), type, class and rdata equal, TTL and order
 * ignored, a repeated RR counted once (an RRset is a set, RFC 2181 §5). The compact form is
 * what a one-line view shows of an answer. All text is escaped presentation format.
 */
#ifndef DNSDECK_DNS_RRSET_H
#define DNSDECK_DNS_RRSET_H

#include <ldns/ldns.h>

/**
 * One RR's canonical key: its canonical wire form with TTL 0, as upper-case hex.
 * \return a newly allocated string (caller frees), or NULL when memory runs out.
 */
char *rrset_rr_key(const ldns_rr *rr);

/**
 * The canonical key of an RR list: the RRs' keys sorted, repeats dropped, joined with ",".
 * Equal keys mean equal answers in the sense of the file comment.
 * \param[in] rrs  the RRs (not modified), may be NULL
 * \return a newly allocated string ("" for none; caller frees), or NULL when memory runs out.
 */
char *rrset_canonical_key(const ldns_rr_list *rrs);

/**
 * The compact answer: each RR's rdata (escaped presentation), its type in front when the type
 * is not qtype (a CNAME on the way), sorted and joined with ", ".
 * \param[in]  ans      the answer RRs
 * \param[in]  qtype    the question's type
 * \param[out] min_ttl  the smallest TTL among the RRs in seconds (0 for none); may be NULL
 * \return a newly allocated string (caller frees), or NULL when memory runs out.
 */
char *rrset_compact(const ldns_rr_list *ans, ldns_rr_type qtype, uint32_t *min_ttl);

/**
 * The RRs of a that are not in b, compared canonically (TTL ignored).
 * \param[in] a  RRs (may be NULL)
 * \param[in] b  RRs (may be NULL)
 * \return a new list of clones (caller frees with ldns_rr_list_deep_free; empty when none),
 *         or NULL when memory runs out.
 */
ldns_rr_list *rrset_minus(const ldns_rr_list *a, const ldns_rr_list *b);

#endif
