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

struct session;

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
 * \return 0, or -1 with err set on a usage error (the current lookup is kept then).
 */
int session_ask_line(struct session *s, const char *line, char *err, size_t errlen);

/** Ask the current question again (the 'r' key). */
void session_requery(struct session *s);

/** The current lookup (never NULL after session_start). */
const struct lookup *session_lookup(const struct session *s);

/** The current question as a prompt line, e.g. "example.test. MX @127.0.53.53". Caller frees. */
char *session_question_line(const struct session *s);

/** Free the session, its lookup and its transport. NULL is a no-op. */
void session_free(struct session *s);

#endif
