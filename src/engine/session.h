/*
 * session.h -- what the user is looking at, and the actions that change it.
 *
 * A session owns the transport and the current lookup. Views turn keys into actions
 * (session_ask_line, session_requery) and read the model through session_lookup(); the
 * session calls its change callback whenever the model changes, and views only mark
 * themselves dirty there (they draw once per loop turn).
 */
#ifndef DNSDECK_ENGINE_SESSION_H
#define DNSDECK_ENGINE_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <event2/event.h>
#include "engine/args.h"
#include "engine/lookup.h"
#include "engine/mxplan.h"
#include "engine/prop.h"
#include "engine/trace.h"
#include "engine/ttltable.h"
#include "engine/ttlwatch.h"

struct session;

/** Which job the user is looking at. */
enum session_view {
	SESSION_VIEW_LOOKUP = 0, /**< one question, its replies (session_lookup) */
	SESSION_VIEW_MX,         /**< the MX failover plan (session_mxplan) */
	SESSION_VIEW_COMPARE,    /**< the propagation comparison (session_prop) */
	SESSION_VIEW_TRACE       /**< the trace from the root (session_get_trace) */
};

/** Called whenever the model changed. */
typedef void (*session_change_fn)(struct session *s, void *arg);

/**
 * Create a session from a parsed command line.
 * \param[in]  base    the event base everything runs on (not owned)
 * \param[in]  a       parsed and finished args (copied)
 * \param[out] err     on failure, why (e.g. no nameserver in resolv.conf)
 * \param[in]  errlen  size of err in bytes
 * \return the session, or NULL with err set. Free with session_free().
 */
struct session *session_new(struct event_base *base, const struct args *a, char *err,
                            size_t errlen);

/** Set the change callback (replaces any earlier one). */
void session_set_change_cb(struct session *s, session_change_fn fn, void *arg);

/** Start the lookup the command line asked for. */
void session_start(struct session *s);

/**
 * Parse a prompt line ("name type @server +opts") on top of the current question and ask it.
 * A line starting with the word "mx" ("mx user@example.test") opens the MX plan instead, and
 * one starting with "compare" opens the propagation comparison (session_compare).
 * \return 0, or -1 with err set on a usage error (the current lookup is kept then).
 */
int session_ask_line(struct session *s, const char *line, char *err, size_t errlen);

/** Ask the current question again, or rebuild the current MX plan (the 'r' key). */
void session_requery(struct session *s);

/**
 * Show the MX failover plan of a domain or mail address (the 'm' key, ":mx NAME", --mx).
 * The plan is asked of the session's first server. The lookup is kept for the lookup view.
 * \param[in]  s       the session
 * \param[in]  target  "example.test" or "user@example.test"; NULL = the current question's name
 * \param[out] err     on failure, why (malformed domain or address)
 * \param[in]  errlen  size of err
 *
eturn 0, or -1 with err set.
 */
int session_mx(struct session *s, const char *target, char *err, size_t errlen);

/**
 * Show the propagation comparison (the 'p' key, ":compare name type @a @b", -C).
 * \param[in]  s       the session
 * \param[in]  line    prompt words on top of the current question ("example.test SOA
 *                     @127.0.53.1 @127.0.53.2"); NULL = the current question. Servers named
 *                     in the line are compared; without any, the session's servers are, and
 *                     the zone's authoritative servers are discovered and added (--auth).
 * \param[out] err     on failure, why
 * \param[in]  errlen  size of err
 * \return 0, or -1 with err set.
 */
int session_compare(struct session *s, const char *line, char *err, size_t errlen);

/** The current comparison, or NULL when none was asked for. */
const struct prop *session_prop(const struct session *s);

/**
 * Show one comparison row's reply in the lookup view (Enter on a row): the reply as it was
 * received, not asked again.
 * \return 0, or -1 when the row has no reply.
 */
int session_open_prop_row(struct session *s, size_t row);

/**
 * Trace the current question from the root (the TUI's 't' key, engine/trace.h): the root
 * hints are read from the args' --root-hints file (TRACE_ROOT_HINTS when none was given), the
 * trace is sent through the session's transport, and the view becomes SESSION_VIEW_TRACE.
 * An earlier trace is replaced; the lookup is kept. 'r' in that view traces again.
 * \param[in]  s       the session
 * \param[out] err     on failure, why (a loaded session, unreadable hints; escaped ASCII)
 * \param[in]  errlen  size of err in bytes
 * \return 0, or -1 with err set.
 */
int session_trace(struct session *s, char *err, size_t errlen);

/** The current trace, or NULL when none was asked for. */
const struct trace *session_get_trace(const struct session *s);

/** Switch between the lookup view and the MX view (when a plan exists). */
void session_set_view(struct session *s, enum session_view v);

/** The view the user is looking at. */
enum session_view session_get_view(const struct session *s);

/** The current MX plan, or NULL when none was asked for. */
const struct mxplan *session_mxplan(const struct session *s);

/** Turn the SMTP probe on or off for the next plan (the 'S' key re-plans with it on). */
void session_set_smtp(struct session *s, bool on);

/** Whether the next plan runs the SMTP probe (--smtp, or the 'S' key). */
bool session_get_smtp(const struct session *s);

/** The current lookup (never NULL after session_start). */
const struct lookup *session_lookup(const struct session *s);

/** The current question as a prompt line, e.g. "example.test. MX @127.0.53.53". Caller frees. */
char *session_question_line(const struct session *s);

/**
 * Ask the lookup's servers again as their answers expire (the 'a' key; --watch). The setting
 * carries over to every later lookup of the session. See engine/ttlwatch.h.
 */
void session_set_autoreask(struct session *s, bool on);

/** Whether answers are asked again as they expire. */
bool session_get_autoreask(const struct session *s);

/** The current lookup's watch (its next due moment), or NULL (a reply opened as received). */
const struct ttlwatch *session_watch(const struct session *s);

/**
 * Start recording every RRset the session receives from now on, from every job (lookup,
 * MX plan, comparison), for the TTL pane (engine/ttltable.h). Off by default: batch runs
 * do not pay for it.
 * \return 0, or -1 when memory runs out.
 */
int session_record_ttls(struct session *s);

/** The recorded RRsets, or NULL when not recording. */
const struct ttl_table *session_ttls(const struct session *s);

/**
 * Start recording every result the session receives from now on (every job: lookup, MX plan,
 * comparison; engine/record.h), for session_save(). Call it before session_start() so that
 * the file holds everything asked. Off by default.
 * \return 0, or -1 when memory runs out.
 */
int session_record(struct session *s);

/**
 * Save the session to a file (the 'w' key, --save FILE): every result recorded, raw, and what
 * the user asked (lookup, comparison, MX target); format in dnsdeck(1), SESSION FILES.
 * \param[in]  s       a session that records (session_record) or was loaded (session_load)
 * \param[in]  path    the file, replaced atomically
 * \param[out] err     on failure, why (escaped ASCII; "cannot write FILE: reason")
 * \param[in]  errlen  size of err in bytes
 * \return 0, or -1 with err set.
 */
int session_save(struct session *s, const char *path, char *err, size_t errlen);

/**
 * What session_save() would write: the results recorded so far.
 * \param[in]  s        the session
 * \param[out] replies  how many of them are replies (the rest: timeouts and other failures)
 * \return the number of results recorded (0 when the session does not record).
 */
size_t session_recorded(const struct session *s, size_t *replies);

/**
 * Reopen a saved session offline (--load FILE): the lookup and the comparison are rebuilt
 * from the saved wire replies, the view on screen when it was saved is current, nothing is
 * ever sent (asking again, ':' questions, 'm' and 'p' answer with an error), and TTLs are
 * frozen at the capture (session_frozen_clock). Do not call session_start(). The session
 * records (it holds the file's results), so it can be saved again.
 * \param[in]  base    the event base (not owned; nothing is scheduled on it)
 * \param[in]  path    the file
 * \param[out] err     on failure "FILE:LINE: reason" (escaped ASCII); a file that holds only
 *                     an MX plan is refused (MX plans cannot be reopened yet)
 * \param[in]  errlen  size of err in bytes (300 is enough)
 * \return the session, or NULL with err set. Free with session_free().
 */
struct session *session_load(struct event_base *base, const char *path, char *err, size_t errlen);

/**
 * The clock views must count TTLs down against. For a loaded session the countdowns are
 * frozen: the views show every TTL as it was when the newest reply of the view arrived, and
 * "now" on the wall clock is that arrival. Views build their clock (ui/view.h view_clock)
 * from these values instead of the current time when this returns true.
 * \param[out] now_ms    the monotonic "now" to use (ms)
 * \param[out] now_wall  the wall-clock "now" to use
 * \return true for a loaded session, false when the real clock applies.
 */
bool session_frozen_clock(const struct session *s, int64_t *now_ms, struct timespec *now_wall);

/** Whether the session was loaded from a file (it never sends). */
bool session_offline(const struct session *s);

/** Free the session, its lookup and its transport. NULL is a no-op. */
void session_free(struct session *s);

#endif
