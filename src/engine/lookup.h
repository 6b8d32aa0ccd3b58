/*
 * lookup.h -- the lookup job: one question asked of one or more servers.
 *
 * The model every lookup view reads: per server, its state, the transport facts and the
 * parsed reply. Servers given as hostnames are first resolved (A, then AAAA) through the
 * resolver the job was given. The job never prints; it calls its change callback after every
 * step so that a view can mark itself dirty.
 *
 * Test seam: lookup_deliver() feeds a transport result to a reply by hand, so engine tests run
 * on canned wire packets without sockets.
 */
#ifndef DNSDECK_ENGINE_LOOKUP_H
#define DNSDECK_ENGINE_LOOKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <ldns/ldns.h>
#include "dns/query.h"
#include "net/server.h"
#include "net/transport.h"
#include <stdint.h>
#include <time.h>

/** Where one server's part of the job is. */
enum lookup_state {
	LOOKUP_RESOLVING = 0, /**< resolving the server's hostname */
	LOOKUP_WAITING,       /**< question sent, waiting for the reply */
	LOOKUP_DONE           /**< ended: see net, pkt and error */
};

/** One change of a server's answer between two askings (the 'h' history, --watch). */
struct lookup_change {
	struct timespec wall; /**< when the newer reply arrived (CLOCK_REALTIME) */
	char *before;         /**< the older answer, compact (escaped): "203.0.113.30",
	                           "NXDOMAIN", "NODATA" or the failure ("timed out") */
	char *after;          /**< the newer answer, same form */
	size_t added;         /**< answer RRs only in the newer reply */
	size_t removed;       /**< answer RRs only in the older reply */
};

/** One server's result. Read-only for views. */
struct lookup_reply {
	struct server server; /**< whom we asked */
	enum lookup_state state;
	struct net_result *net; /**< transport facts once ended (NULL before, and when the
	                             server's name could not be resolved); net->rx_mono is the
	                             moment every TTL of pkt counts down from */
	ldns_pkt *pkt;          /**< the parsed reply, NULL unless one arrived and parsed */
	char *error;            /**< NULL, or why there is no usable reply (ASCII, escaped) */
	char *answer;           /**< compact answer (escaped, see lookup_change), NULL before */
	unsigned asked;         /**< replies received so far (1 after the first asking) */
	bool reasking;          /**< asked again (lookup_reask); until the new reply arrives,
	                             net/pkt are the previous one's */
	ldns_rr_list *added;    /**< answer RRs new since the previous reply (NULL: none) */
	ldns_rr_list *removed;  /**< answer RRs gone since the previous reply (NULL: none) */
	bool ttl_reset;         /**< the newer reply's answer TTL is above what was left of
	                             the previous one (a cache fetched it again) */
	int64_t changed_ms;     /**< monotonic ms when added/removed/ttl_reset were set
	                             (0: never) */
	struct lookup_change *history; /**< answer changes, oldest first */
	size_t nhistory;
};

struct lookup;

/** Called after every change of a lookup (a reply arrived, a name resolved, ...). */
typedef void (*lookup_change_fn)(struct lookup *l, void *arg);

/**
 * Create a lookup job (not started).
 * \param[in] net       transport to send through (not owned); NULL for tests that deliver
 *                      results by hand with lookup_deliver()
 * \param[in] q         the question (deep-copied)
 * \param[in] servers   servers to ask (copied), at least one
 * \param[in] nservers  how many
 * \param[in] resolver  server used to resolve hostname servers (copied), may be NULL
 * \param[in] fn        change callback, may be NULL
 * \param[in] arg       passed to fn
 * \return the job, or NULL when memory runs out. Free with lookup_free().
 */
struct lookup *lookup_new(struct net *net, const struct query_spec *q, const struct server *servers,
                          size_t nservers, const struct server *resolver, lookup_change_fn fn,
                          void *arg);

/** Send every question (resolving hostname servers first). */
void lookup_start(struct lookup *l);

/**
 * Hand a transport result to reply i, as the transport would (the test seam).
 * \param[in] l    the job
 * \param[in] i    reply index
 * \param[in] res  the result; ownership passes to the job
 */
void lookup_deliver(struct lookup *l, size_t i, struct net_result *res);

/** Cancel outstanding queries and free the job. NULL is a no-op. */
void lookup_free(struct lookup *l);

/** The question asked. */
const struct query_spec *lookup_question(const struct lookup *l);

/** Number of servers asked. */
size_t lookup_count(const struct lookup *l);

/** Reply i (0 <= i < lookup_count). */
const struct lookup_reply *lookup_reply_at(const struct lookup *l, size_t i);

/** True when every server's part has ended. */
bool lookup_done(const struct lookup *l);

/**
 * Why a reply has no message, for views to show: the job's error, else the state it is
 * still in ("resolving the server name", "waiting for a reply"), else the transport status.
 * \return NULL when the reply has a parsed message and no error; otherwise a string owned
 *         by the reply or static (ASCII, already escaped).
 */
const char *lookup_reply_reason(const struct lookup_reply *r);

/**
 * Ask server i the same question again, keeping its current reply on view until the new one
 * arrives (TTL expiry re-asks, RFC 1035 §7.4; the 'r' key asks everything anew instead). When
 * the new reply's answer differs canonically from the previous one (dns/rrset.h), or its
 * rcode or failure does, a lookup_change is appended to the reply's history and the added and
 * removed RRs are kept for highlighting.
 * \param[in] l  the job
 * \param[in] i  reply index; a reply still resolving, waiting or re-asking is left alone
 * \return true when the question was sent again.
 */
bool lookup_reask(struct lookup *l, size_t i);

/**
 * When reply i's answer expires: its arrival (monotonic) plus the TTL that governs the
 * answer (dns/ttl.h ttl_of_reply: the smallest answer TTL, or the RFC 2308 negative TTL).
 * \param[in]  r          the reply
 * \param[out] expiry_ms  the monotonic moment in ms
 * \return false when the reply has no cache lifetime (no reply, SERVFAIL, no SOA, ...).
 */
bool lookup_reply_expiry(const struct lookup_reply *r, int64_t *expiry_ms);

/** The monotonic ms reply r arrived, or 0 when it has none. */
int64_t lookup_reply_rx_ms(const struct lookup_reply *r);

/** True when at least one server's reply arrived (any rcode). */
bool lookup_any_reply(const struct lookup *l);

#endif
