/*
 * ttlwatch.h -- asking again when an answer expires (the TTL watch).
 *
 * A watch is bound to one lookup job. Whenever a server's answer runs out of TTL (RFC 1035
 * §7.4: a cache drops it then and asks again; for NXDOMAIN and NODATA the RFC 2308 §5
 * negative TTL), the watch asks that server again with lookup_reask(), so the lookup's model
 * shows what a cache would fetch next and records what changed. With an interval, every
 * server is asked again that many seconds after its previous reply instead. A reply without a
 * cache lifetime (a timeout, SERVFAIL, a negative answer without an SOA) is asked again after
 * the retry time. No server is asked more often than once a second, whatever its TTL (a TTL
 * of 0 would otherwise mean a busy loop).
 *
 * The watch keeps one libevent timer armed at the earliest due moment; it never polls. Call
 * ttlwatch_update() after every change of the lookup (the lookup's change callback) so the
 * timer follows the new replies.
 */
#ifndef DNSDECK_ENGINE_TTLWATCH_H
#define DNSDECK_ENGINE_TTLWATCH_H

#include <stdbool.h>
#include <stdint.h>
#include <event2/event.h>
#include "engine/lookup.h"

/** The smallest gap between two askings of one server, in milliseconds. */
#define TTLWATCH_MIN_GAP_MS 1000

/** Settings of a watch. */
struct ttlwatch_opts {
	uint32_t interval_s; /**< 0: ask again when the answer's TTL runs out; otherwise every
	                          interval_s seconds after the previous reply */
	uint32_t retry_s;    /**< seconds before asking again a reply without a cache lifetime;
	                          0 = never */
};

struct ttlwatch;

/** Fill opts with the defaults: at TTL expiry, failed replies retried after 10 s. */
void ttlwatch_opts_init(struct ttlwatch_opts *opts);

/**
 * When reply r is due to be asked again.
 * \param[in] r     the reply
 * \param[in] opts  the watch's settings
 * \return the monotonic moment in ms, or -1 when it is not due at all (still waiting, already
 *         re-asking, never answered, or no cache lifetime and no retry).
 */
int64_t ttlwatch_due(const struct lookup_reply *r, const struct ttlwatch_opts *opts);

/**
 * Watch a lookup (disabled until ttlwatch_set_enabled()).
 * \param[in] base  the event base for the timer (not owned)
 * \param[in] l     the lookup (not owned; must outlive the watch; it needs a transport)
 * \param[in] opts  settings (copied), NULL for the defaults
 * \return the watch, or NULL when memory runs out. Free with ttlwatch_free().
 */
struct ttlwatch *ttlwatch_new(struct event_base *base, struct lookup *l,
                              const struct ttlwatch_opts *opts);

/** Turn asking again on or off (off: the timer is disarmed, countdowns just reach 0). */
void ttlwatch_set_enabled(struct ttlwatch *w, bool on);

/** Whether the watch asks again. */
bool ttlwatch_enabled(const struct ttlwatch *w);

/** Re-arm the timer for the lookup's current replies (call after every lookup change). */
void ttlwatch_update(struct ttlwatch *w);

/** The moment the timer fires next (monotonic ms), or -1 when it is not armed. */
int64_t ttlwatch_next(const struct ttlwatch *w);

/** Disarm and free. NULL is a no-op. */
void ttlwatch_free(struct ttlwatch *w);

#endif
