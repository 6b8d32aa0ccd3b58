/*
 * trace.h -- the trace job: a name resolved iteratively from the root, one step per zone cut
 * (+trace, and the TUI's trace view).
 *
 * Contract. The trace starts from root hints (RFC 1034 §5.3.3 "SBELT"; the file format of
 * /usr/share/dns/root.hints): it primes first, asking ". NS" of a hint address (RFC 8109 §3),
 * and takes the root's NS RRset and glue from that reply. Then it asks the question with
 * RD = 0 of one server of the current zone cut at a time and follows the reply:
 *   - a referral (RFC 1034 §4.3.2 step 3b: no answer, an NS RRset for a zone below the cut
 *     and above the name in the authority section) moves the cut down; the glue taken is the
 *     A/AAAA of the NS names found in the additional section, and only when it lies inside
 *     the cut that was asked (the parent's bailiwick);
 *   - an authoritative (AA) answer, NXDOMAIN (RFC 2308 §2.1) or NODATA (RFC 2308 §2.2) ends
 *     the trace; an answer that is a CNAME chain leaving the server's data is followed from
 *     the root for its target (RFC 1034 §5.3.3 step 3c), at most opts.max_cnames times;
 *   - a timeout, an unreachable server, a malformed reply, an rcode other than NOERROR and
 *     NXDOMAIN, a reply without AA that is no referral (lame), and an upward or sideways
 *     referral (lame) make the server skipped: the step records why and the next server of
 *     the same NS RRset is asked, as a resolver would.
 * Servers of a cut are tried in a fixed order, so traces are repeatable: NS names in
 * canonical order (RFC 4034 §6.1); first the IPv4 glue addresses, then the IPv6 ones, each
 * address once; then the NS names without glue, whose addresses a side trace (depth + 1)
 * resolves from the root, A first and AAAA when there is no A.
 * Errors end the trace: a CNAME loop or a chain over the limit, a glueless NS name whose
 * resolution needs the very servers it is for (a referral loop, or a "bad referral" when the
 * name lies inside the delegated zone and no glue came), and the limits of trace_opts (side
 * trace depth, referrals followed, queries sent, the overall deadline).
 *
 * One question is in flight at a time (a trace is a path), sent through the transport on the
 * caller's event loop; nothing blocks. The job never prints; it calls its change callback
 * after every step. All strings of the model are escaped ASCII (dns/escape.h).
 *
 * Test seam: created without a transport, the trace sends nothing; trace_pending() shows the
 * question it is waiting for and whom it asked, and trace_deliver() hands it a result, so unit
 * tests drive whole traces with canned wire packets.
 */
#ifndef DNSDECK_ENGINE_TRACE_H
#define DNSDECK_ENGINE_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <event2/event.h>
#include <ldns/ldns.h>
#include "dns/query.h"
#include "net/server.h"
#include "net/transport.h"

/** Where Debian's dns-root-data package keeps the real root hints. */
#define TRACE_ROOT_HINTS "/usr/share/dns/root.hints"

/** What one step was (JSON "kind", trace_kind_str). */
enum trace_kind {
	TRACE_PRIMING = 0, /**< "priming": ". NS" asked of a root hint; ns/glue = the root's */
	TRACE_REFERRAL,    /**< "referral": sent down to the zone child; ns/glue to ask next */
	TRACE_ANSWER,      /**< "answer": authoritative answer; records = the answer section */
	TRACE_CNAME,       /**< "cname": authoritative CNAME chain that leaves the server's data;
	                        the trace goes on from the root for the chain's target */
	TRACE_NXDOMAIN,    /**< "nxdomain": authoritative name error; records = authority SOA */
	TRACE_NODATA,      /**< "nodata": authoritative, no RRs of the type; records = SOA */
	TRACE_SKIPPED      /**< "skipped": failing or lame server (reason); the next was tried */
};

/** How the trace ended (JSON "status", trace_status_str). */
enum trace_status {
	TRACE_RUNNING = 0, /**< "running" */
	TRACE_DONE,        /**< "done": an authoritative answer, NXDOMAIN or NODATA (trace_final) */
	TRACE_FAILED,      /**< "failed": no server of a zone cut gave a usable reply */
	TRACE_ERROR        /**< "error": a loop, a bad referral or a limit stopped it */
};

/** One step: one question asked of one server, or a server that could not be asked. */
struct trace_step {
	enum trace_kind kind;
	unsigned depth;         /**< 0: the question; 1: a side trace resolving a glueless NS
	                             name of the question's path; 2: one inside that ... */
	char *qname;            /**< the name asked (escaped, absolute) */
	ldns_rr_type qtype;     /**< the type asked */
	char *zone;             /**< the zone cut whose server was asked ("." for the root) */
	struct server server;   /**< label: the server's NS name without the final dot
	                             (escaped) as dig shows it; addr: the address asked,
	                             addrlen 0 when it had none */
	char addr[64];          /**< "127.0.53.100#53", "" when nothing was sent */
	struct net_result *net; /**< transport facts, NULL when nothing was sent */
	ldns_pkt *pkt;          /**< the parsed reply, NULL without one */
	char *child;            /**< priming / referral: the zone delegated to; cname: the
	                             chain's target, asked next from the root (escaped) */
	ldns_rr_list *ns;       /**< priming / referral: its NS RRset (owned clones) */
	ldns_rr_list *glue;     /**< priming / referral: the glue taken, A and AAAA (clones) */
	ldns_rr_list *records;  /**< answer / cname: the answer section; nxdomain / nodata:
	                             the SOA of the authority section (owned clones) */
	char *reason;           /**< skipped: why, e.g. "timed out", "REFUSED", "lame: not
	                             authoritative (no AA, no referral)"; NULL otherwise */
};

/** Bounds of a trace (trace_opts_init gives the defaults). */
struct trace_opts {
	unsigned max_depth;     /**< side traces nested at most this deep (default 3) */
	unsigned max_referrals; /**< referrals followed, side traces included (default 48) */
	unsigned max_queries;   /**< questions sent in all (default 128) */
	unsigned max_cnames;    /**< CNAME restarts per path (default 8) */
	unsigned deadline_ms;   /**< the whole trace, in milliseconds (default 30000); needs the
	                             event base given to trace_new */
};

struct trace;

/** Called after every change of a trace (a step added, the end). */
typedef void (*trace_change_fn)(struct trace *t, void *arg);

/**
 * Fill opts with the defaults.
 * \param[out] opts  the options
 */
void trace_opts_init(struct trace_opts *opts);

/**
 * Read a root hints file: NS RRs for "." and A/AAAA RRs of their names, in zone file format
 * (comments, and lines without a class as in Debian's root.hints, are accepted).
 * \param[in]  path    the file, e.g. TRACE_ROOT_HINTS
 * \param[out] err     on failure, why (the file is missing or unreadable, a line does not
 *                     parse, or it names no root server with an address)
 * \param[in]  errlen  size of err in bytes
 * \return the RRs (caller ldns_rr_list_deep_free()s), or NULL with err set.
 */
ldns_rr_list *trace_hints_read(const char *path, char *err, size_t errlen);

/**
 * Create a trace (not started).
 * \param[in] net    transport to send through (not owned); NULL for the test seam
 * \param[in] base   event base for the deadline timer (not owned); NULL: no deadline timer
 * \param[in] q      the question (copied); RD is cleared, EDNS settings are kept
 * \param[in] hints  root hints as trace_hints_read returns them (copied); at least one
 *                   address of a root NS name
 * \param[in] opts   bounds (copied), NULL for the defaults
 * \param[in] fn     change callback, may be NULL
 * \param[in] arg    passed to fn
 * \return the trace, or NULL when memory runs out or hints has no root server address.
 *         Free with trace_free().
 */
struct trace *trace_new(struct net *net, struct event_base *base, const struct query_spec *q,
                        const ldns_rr_list *hints, const struct trace_opts *opts,
                        trace_change_fn fn, void *arg);

/** Send the first question (priming). The change callback runs for every step after. */
void trace_start(struct trace *t);

/** Cancel the question in flight and free the trace. NULL is a no-op. */
void trace_free(struct trace *t);

/** True once the trace has ended (trace_status is not TRACE_RUNNING). */
bool trace_done(const struct trace *t);

/** How the trace ended, or TRACE_RUNNING. */
enum trace_status trace_status(const struct trace *t);

/** Why a failed or stopped trace ended (escaped ASCII), NULL otherwise. Owned by the trace. */
const char *trace_error(const struct trace *t);

/** The question traced. */
const struct query_spec *trace_question(const struct trace *t);

/** Number of steps so far. */
size_t trace_nsteps(const struct trace *t);

/** Step i (0 <= i < trace_nsteps), in the order they happened; NULL past the end. */
const struct trace_step *trace_step(const struct trace *t, size_t i);

/** The final step (answer, NXDOMAIN or NODATA at depth 0) of a TRACE_DONE trace, else NULL. */
const struct trace_step *trace_final(const struct trace *t);

/** Questions sent so far. */
unsigned trace_queries(const struct trace *t);

/** Milliseconds from trace_start to the end (or to now while running), monotonic clock. */
double trace_elapsed_ms(const struct trace *t);

/**
 * Test seam: the question the trace waits for (only for a trace made without a transport).
 * \param[in]  t     the trace
 * \param[out] addr  the address asked (points into the trace; valid until the next deliver)
 * \param[out] q     the question asked (same lifetime)
 * \return true when a question is waiting for trace_deliver().
 */
bool trace_pending(const struct trace *t, const struct sockaddr **addr,
                   const struct query_spec **q);

/**
 * Test seam: hand the waiting question its result, as the transport would.
 * \param[in] t    the trace
 * \param[in] res  the result; ownership passes to the trace (freed when nothing waits)
 */
void trace_deliver(struct trace *t, struct net_result *res);

/** The JSON word of a kind ("priming", "referral", ...). */
const char *trace_kind_str(enum trace_kind k);

/** The JSON word of a status ("running", "done", "failed", "error"). */
const char *trace_status_str(enum trace_status s);

#endif
