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

/** Where one server's part of the job is. */
enum lookup_state {
	LOOKUP_RESOLVING = 0, /**< resolving the server's hostname */
	LOOKUP_WAITING,       /**< question sent, waiting for the reply */
	LOOKUP_DONE           /**< ended: see net, pkt and error */
};

/** One server's result. Read-only for views. */
struct lookup_reply {
	struct server server; /**< whom we asked */
	enum lookup_state state;
	struct net_result *net; /**< transport facts once ended (NULL before, and when the
	                             server's name could not be resolved) */
	ldns_pkt *pkt;          /**< the parsed reply, NULL unless one arrived and parsed */
	char *error;            /**< NULL, or why there is no usable reply (ASCII, escaped) */
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

/** True when at least one server's reply arrived (any rcode). */
bool lookup_any_reply(const struct lookup *l);

#endif
