/*
 * prop.h -- the propagation comparison: one question asked of many nameservers at once,
 * their answers side by side, the differences at a glance.
 *
 * Every server is asked the question and, alongside, SOA for the same name, whose answer (or
 * authority section, for a name below the apex) gives the serial of the zone as that server
 * sees it. Rows fill in as replies arrive. Servers are grouped by canonical answer: the RRs
 * of the answer section compared by owner (case-insensitive, RFC 4343), type, class and rdata
 * (names in rdata lower-cased as in RFC 4034 §6.2), ignoring RR order and TTL; NXDOMAIN and
 * NODATA are answers of their own. The largest group is the majority; servers in other groups
 * and servers without a usable reply (SERVFAIL, REFUSED, timeout, unreachable) are outliers.
 * SOA serials are ordered with RFC 1982 serial-number arithmetic.
 *
 * Servers may be named (@server, --servers FILE) or discovered (--auth: the zone cut of the
 * name found by asking SOA, its NS RRset resolved to A and AAAA, each address asked with
 * RD=0). All strings in the model are escaped ASCII (dns/escape.h).
 */
#ifndef DNSDECK_ENGINE_PROP_H
#define DNSDECK_ENGINE_PROP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <ldns/ldns.h>
#include "dns/query.h"
#include "engine/ask.h"
#include "net/server.h"
#include "net/transport.h"

/** What a server said, in one word (JSON "status"). */
enum prop_status {
	PROP_PENDING = 0, /**< "pending": not answered yet */
	PROP_ANSWER,      /**< "answer": NOERROR with answer RRs */
	PROP_NODATA,      /**< "nodata": NOERROR, no RRs of the type (RFC 2308 §2.2) */
	PROP_NXDOMAIN,    /**< "nxdomain": the name does not exist (RFC 2308 §2.1) */
	PROP_SERVFAIL,    /**< "servfail" */
	PROP_REFUSED,     /**< "refused" */
	PROP_OTHER_RCODE, /**< "rcode": another rcode (FORMERR, NOTIMP, ...) */
	PROP_TIMEOUT,     /**< "timeout" */
	PROP_UNREACHABLE, /**< "unreachable": ICMP refused / unreachable */
	PROP_ERROR        /**< "error": malformed reply or another failure */
};

/** One server's row. Read-only for views. */
struct prop_row {
	struct server server; /**< whom we asked (label as given or "ns1.example.test.") */
	char addr[64];        /**< "127.0.53.1#53" */
	enum prop_status status;
	bool aa, ra;            /**< header flags of the reply */
	double rtt_ms;          /**< round trip of the question in milliseconds */
	unsigned discarded;     /**< datagrams discarded by reply matching */
	struct net_result *net; /**< transport facts (NULL while pending) */
	ldns_pkt *pkt;          /**< the parsed reply (NULL without one) */
	char *answer;           /**< compact answer (escaped): rdata joined with ", " or
	                             "NXDOMAIN" / "NODATA"; NULL while pending */
	uint32_t min_ttl;       /**< smallest TTL of the answer RRs in seconds */
	bool have_serial;       /**< the SOA question gave a serial */
	uint32_t serial;        /**< the zone's SOA serial as this server sees it */
	bool soa_pending;       /**< the SOA question is still out */
	int group;              /**< index of its answer group, -1 for no usable reply */
	bool outlier;           /**< not in the majority group */
	bool behind;            /**< serial older than the newest (RFC 1982) */
	char *error;            /**< why there is no usable reply (escaped), or NULL */
	bool have_cache_ttl;    /**< the reply has a cache lifetime (dns/ttl.h ttl_of_reply) */
	uint32_t cache_ttl;     /**< min_ttl for an answer, the RFC 2308 §5 negative TTL for
	                             NXDOMAIN / NODATA; seconds as received */
	bool stale;             /**< a caching resolver (RA=1, AA=0) whose answer differs from
	                             the authoritative servers' newest: it keeps its copy until
	                             prop_row_expiry() */
};

/** A group of servers that gave the same canonical answer. */
struct prop_group {
	char *answer;  /**< the compact answer of its first member (escaped) */
	size_t size;   /**< members */
	bool majority; /**< the largest group (the first of equal largest) */
};

struct prop;

/** Called after every change (a row filled in, discovery progressed, ...). */
typedef void (*prop_change_fn)(struct prop *p, void *arg);

/** Options of a comparison. */
struct prop_opts {
	bool auth;    /**< discover the zone's authoritative servers and add them */
	bool auth_rd; /**< RD for discovered servers (default false: RFC 1035 §4.1.1) */
};

/**
 * Start a comparison.
 * \param[in] net       transport for the server questions (not owned)
 * \param[in] resolver  asker for discovery questions (SOA, NS, A/AAAA of NS names; not owned);
 *                      may be NULL without opts->auth
 * \param[in] q         the question (copied); its RD applies to named servers
 * \param[in] servers   servers named by the user (copied), may be 0 with opts->auth
 * \param[in] n         how many
 * \param[in] opts      options (copied), NULL for defaults
 * \param[in] fn        change callback, may be NULL
 * \param[in] arg       passed to fn
 * \return the comparison, or NULL when memory runs out. Free with prop_free().
 */
struct prop *prop_new(struct net *net, struct ask *resolver, const struct query_spec *q,
                      const struct server *servers, size_t n, const struct prop_opts *opts,
                      prop_change_fn fn, void *arg);

/**
 * Hand a transport result to row i, as the transport would (the test seam).
 * \param[in] kind  0 for the question, 1 for the SOA asked alongside
 * \param[in] res   the result; ownership passes to the comparison
 */
void prop_deliver(struct prop *p, size_t i, int kind, struct net_result *res);

/** Cancel everything outstanding and free. NULL is a no-op. */
void prop_free(struct prop *p);

/** True when discovery and every question have ended. */
bool prop_done(const struct prop *p);

/** The question. */
const struct query_spec *prop_question(const struct prop *p);

/** Rows, in the order servers were named, then discovered ones. */
size_t prop_nrows(const struct prop *p);
const struct prop_row *prop_row(const struct prop *p, size_t i);

/** Groups, largest first. Recomputed after every change. */
size_t prop_ngroups(const struct prop *p);
const struct prop_group *prop_group(const struct prop *p, size_t i);

/** True when every server gave the same answer and no server failed. */
bool prop_consistent(const struct prop *p);

/** The newest serial (RFC 1982) among the rows; false when no row has one. */
bool prop_newest_serial(const struct prop *p, uint32_t *serial);

/**
 * The group of the authoritative servers' newest answer: among rows with AA=1 and an answer
 * (or NXDOMAIN / NODATA), those with the newest SOA serial (RFC 1982), or when no serial is
 * known the largest group among them. Caching resolvers are measured against it.
 * \return the group index, or -1 when no authoritative server answered.
 */
int prop_reference_group(const struct prop *p);

/**
 * When a row's cached copy expires: its reply's arrival (monotonic) plus cache_ttl.
 * \param[out] ms  the monotonic moment in ms
 * \return false when the row has no cache lifetime.
 */
bool prop_row_expiry(const struct prop_row *r, int64_t *ms);

/**
 * When every cache agrees with the authoritative servers at the latest: the latest expiry
 * among stale rows (RFC 1035 §7.4: a cache answers from its copy until the TTL runs out, then
 * asks the authoritative servers again).
 * \param[out] ms  the monotonic moment in ms
 * \return false when no row is stale (nothing to wait for, or no authoritative answer).
 */
bool prop_caches_agree_by(const struct prop *p, int64_t *ms);

/**
 * One-line summary: "consistent: 4 servers agree" or
 * "3 of 7 servers differ: 2 behind serial 2026112102, 1 REFUSED". Owned by the comparison.
 */
const char *prop_summary(const struct prop *p);

/** The discovery's state in words, e.g. "zone example.test.: 3 NS, 3 addresses", or an
 * error, or NULL without --auth. Owned by the comparison. */
const char *prop_discovery(const struct prop *p);

/** The JSON word of a status ("answer", "nxdomain", ...). */
const char *prop_status_str(enum prop_status s);

/**
 * RFC 1982 §3.2 comparison of 32-bit serials.
 * \return -1 when a < b, 1 when a > b, 0 when equal or undefined (exactly 2^31 apart).
 */
int prop_serial_cmp(uint32_t a, uint32_t b);

/**
 * The difference of two rows' answers: RRs only in a ("-" lines) and only in b ("+" lines),
 * each in presentation form (escaped), compared canonically (TTL ignored).
 * \return a newly allocated text, "" when equal (caller frees), or NULL when memory runs out.
 */
char *prop_diff(const struct prop *p, size_t a, size_t b);

#endif
