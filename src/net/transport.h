/*
 * transport.h -- our own non-blocking DNS transport on libevent.
 *
 * Contract (DESIGN.md "Transport contract"): one query is one connected UDP socket with a
 * kernel-chosen source port and a CSPRNG query ID; a datagram is accepted only when
 * reply_match() says so, anything else is discarded, counted, and we keep waiting
 * (RFC 5452 §9.1). A datagram whose ID and question match but whose message is not
 * well-formed (reply_wellformed: a cut RR, a pointer loop, a label over 63 octets, trailing
 * bytes...) is discarded the same way, since a forger needs no more to send one: the query
 * keeps waiting for the rest of that try, then ends as NET_MALFORMED instead of retrying (the
 * server did answer). Over TCP, where nobody else can inject, a malformed message ends the
 * query at once. TC = 1 sends the same question over TCP to the same server with RFC 7766
 * §8 two-byte length framing. Each try has a timeout; after the last try the query fails.
 * RTT is measured on CLOCK_MONOTONIC. Many queries may be in flight; beyond the in-flight cap
 * they wait in a FIFO. Nothing here blocks, prints or touches curses.
 */
#ifndef DNSDECK_NET_TRANSPORT_H
#define DNSDECK_NET_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <sys/socket.h>
#include <event2/event.h>
#include "dns/query.h"
#include "dns/reply.h"

/** Transport settings (dig's +time, +tries, +tcp, +ignore). */
struct net_opts {
	unsigned timeout_ms; /**< per-try timeout in milliseconds (default 2000) */
	unsigned tries;      /**< tries over UDP before giving up (default 2, at least 1) */
	bool tcp;            /**< use TCP from the start (+tcp) */
	bool ignore_tc;      /**< keep a truncated UDP reply instead of retrying over TCP */
	unsigned
	    inflight_max; /**< queries in flight at once; 0 = default (bounded by RLIMIT_NOFILE) */
};

/** How a query ended. */
enum net_status {
	NET_OK = 0,      /**< a matching reply arrived (whatever its rcode) */
	NET_TIMEOUT,     /**< no matching reply within tries x timeout */
	NET_UNREACHABLE, /**< the server refused (ICMP port/host unreachable, TCP RST) */
	NET_NETWORK,     /**< another socket error (see sys_errno) */
	NET_TCP_CLOSED,  /**< the TCP connection closed before a whole reply arrived */
	NET_MALFORMED,   /**< only a malformed reply arrived (it is in wire, for the reason) */
	NET_CANCELLED    /**< net_query_cancel() was called (no callback is made then) */
};

/** The outcome of one query, handed to its callback; owned by the callback afterwards. */
struct net_result {
	enum net_status status; /**< how it ended */
	int sys_errno;          /**< errno of the failure, 0 if none */
	bool tcp;               /**< the reply came over TCP */
	bool tc_retry;          /**< a UDP reply had TC = 1 and we retried over TCP */
	double rtt_ms;      /**< milliseconds from sending the last try to its reply (monotonic) */
	unsigned tries;     /**< sends made, UDP and TCP together */
	unsigned discarded; /**< datagrams (and TCP messages) discarded by reply_match() */
	enum reply_verdict last_discard; /**< why the last one was discarded */
	size_t tcp_got;          /**< bytes of an unfinished TCP reply (length prefix included) when
	                              the last TCP try timed out or the server closed, else 0 */
	size_t tcp_want;         /**< the bytes that reply needed (2 until the prefix was read) */
	uint8_t *wire;           /**< the accepted reply's bytes (NULL unless NET_OK), or for
	                              NET_MALFORMED the last malformed one; owned */
	size_t size;             /**< its length in bytes */
	struct timespec rx_mono; /**< CLOCK_MONOTONIC time it arrived */
	struct timespec rx_wall; /**< CLOCK_REALTIME time it arrived */
};

struct net;
struct net_query;

/**
 * Called once per query when it ends (never for a cancelled one).
 * \param[in] res  the outcome; the callee owns it and frees it with net_result_free()
 * \param[in] arg  the pointer given to net_query_start()
 */
typedef void (*net_done_fn)(struct net_result *res, void *arg);

/**
 * Sees every query's result before its owner does (the TTL pane's record of every RRset the
 * session received; saved sessions). Must not start or cancel queries.
 * \param[in] server  the address asked
 * \param[in] len     its length in bytes
 * \param[in] q       the question
 * \param[in] res     the result (read-only; the owner gets it next)
 * \param[in] arg     as given to net_set_observer
 */
typedef void (*net_observe_fn)(const struct sockaddr *server, socklen_t len,
                               const struct query_spec *q, const struct net_result *res, void *arg);

/** Set (or, with NULL, clear) the transport's observer. */
void net_set_observer(struct net *net, net_observe_fn fn, void *arg);

/**
 * Fill opts with the defaults: 2000 ms, 2 tries, UDP first, TC honoured.
 */
void net_opts_init(struct net_opts *opts);

/**
 * Create a transport on an event base.
 * \param[in] base  libevent base that will run every socket and timer (not owned)
 * \param[in] opts  settings, copied
 * \return the transport, or NULL when memory runs out. Free with net_free().
 */
struct net *net_new(struct event_base *base, const struct net_opts *opts);

/**
 * Cancel every query and free the transport. No callbacks are made. NULL is a no-op.
 */
void net_free(struct net *net);

/**
 * Start a query (or queue it when the in-flight cap is reached).
 * \param[in] net     the transport
 * \param[in] server  address and port to ask (copied)
 * \param[in] len     length of server in bytes
 * \param[in] q       the question and header bits (deep-copied)
 * \param[in] done    called once when the query ends, always from the event loop (never
 *                    from within this call: the query starts on the loop's next turn)
 * \param[in] arg     passed to done
 * \return a handle valid until done is called or the query is cancelled, or NULL when the
 *         query could not be built (bad spec, no memory).
 */
struct net_query *net_query_start(struct net *net, const struct sockaddr *server, socklen_t len,
                                  const struct query_spec *q, net_done_fn done, void *arg);

/**
 * Cancel a query that has not ended: its socket is closed, its callback never runs.
 */
void net_query_cancel(struct net_query *nq);

/** Number of queries started and not yet ended (in flight plus queued). */
size_t net_pending(const struct net *net);

/**
 * Free a result and its wire bytes. NULL is a no-op.
 */
void net_result_free(struct net_result *res);

/**
 * A short English reason for a status ("timed out", "connection refused", ...).
 * \return a static string.
 */
const char *net_status_str(enum net_status st);

/**
 * Say why a query has no reply, as specifically as the result allows: "timed out",
 * "timed out over TCP after a truncated UDP reply; 12 of 65537 bytes of the reply arrived",
 * "timed out; 2 replies discarded (the last: wrong message ID)", "malformed reply: the header
 * counts 3 answer RRs, the message ends after 1", "network error: <strerror>". For NET_OK it
 * is "ok". No byte of the reply is copied into the text (strerror's words follow the locale:
 * escape the text like any other before it is shown).
 * \param[out] buf     destination, always NUL-terminated
 * \param[in]  buflen  size of buf in bytes (256 is enough for every case)
 * \param[in]  res     the result
 * \return buf.
 */
char *net_result_describe(char *buf, size_t buflen, const struct net_result *res);

#endif
