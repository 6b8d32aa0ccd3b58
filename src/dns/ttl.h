/*
 * ttl.h -- TTL countdowns: how long a cached RRset has left, RFC 2308 negative caching, and
 * the human form of a duration.
 *
 * A reply's TTLs are the lifetimes its RRsets had when it was sent (RFC 1035 §3.2.1; for a
 * caching resolver, what is left of its cached copy, RFC 1035 §7.4). The remaining TTL at a
 * later moment is the TTL minus the whole seconds elapsed since the reply arrived, measured on
 * the monotonic clock so that a change of the wall clock never makes a record live longer.
 * Times are int64_t milliseconds of CLOCK_MONOTONIC unless a name says "wall"; every function
 * takes "now" as a parameter so that tests run on a fake clock. Nothing here allocates.
 */
#ifndef DNSDECK_DNS_TTL_H
#define DNSDECK_DNS_TTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <ldns/ldns.h>

/** A timespec as milliseconds (any clock). */
int64_t ttl_ts_ms(const struct timespec *ts);

/** CLOCK_MONOTONIC now, in milliseconds (or the frozen moment, ttl_clock_freeze()). */
int64_t ttl_now_ms(void);

/**
 * CLOCK_REALTIME now (or the frozen moment's wall-clock time, ttl_clock_freeze()).
 * \param[out] wall  receives it
 */
void ttl_now_wall(struct timespec *wall);

/**
 * Stop the clock for every countdown of this process: ttl_now_ms() and ttl_now_wall() return
 * this moment from now on (a saved session reopened offline shows its TTLs as captured).
 * \param[in] now_ms  the monotonic moment, ms
 * \param[in] wall    its wall-clock time
 */
void ttl_clock_freeze(int64_t now_ms, const struct timespec *wall);

/**
 * Seconds of a TTL left at a moment.
 * \param[in] ttl     the TTL in the reply, seconds
 * \param[in] rx_ms   when the reply arrived (monotonic ms)
 * \param[in] now_ms  the moment asked about (monotonic ms)
 * \return ttl minus the whole seconds elapsed, never below 0; the full ttl when now_ms is
 *         before rx_ms.
 */
uint32_t ttl_remaining(uint32_t ttl, int64_t rx_ms, int64_t now_ms);

/**
 * The moment a TTL runs out: rx_ms + ttl seconds (monotonic ms). At that moment and after,
 * the RRset is expired (ttl_remaining() is 0).
 */
int64_t ttl_expiry_ms(uint32_t ttl, int64_t rx_ms);

/**
 * A duration in human form: "0s", "9s", "41m12s", "1h02m03s", "2d03h04m".
 * \param[out] buf   destination (at least 16 bytes is always enough)
 * \param[in]  len   size of buf in bytes
 * \param[in]  secs  seconds
 * \return buf.
 */
char *ttl_human(char *buf, size_t len, uint32_t secs);

/**
 * The wall-clock time a monotonic moment corresponds to, as "HH:MM:SS" in local time.
 * \param[out] buf     destination (9 bytes or more)
 * \param[in]  len     size of buf in bytes
 * \param[in]  at_ms   the moment (monotonic ms)
 * \param[in]  now_ms  now (monotonic ms)
 * \param[in]  now_wall  now on the wall clock (CLOCK_REALTIME)
 * \return buf.
 */
char *ttl_clock_text(char *buf, size_t len, int64_t at_ms, int64_t now_ms,
                     const struct timespec *now_wall);

/**
 * A future moment for people: "11:52:03 (in 41m12s)", or "11:52:03 (0s ago)" once past.
 * \param[out] buf       destination (40 bytes is always enough)
 * \param[in]  len       size of buf in bytes
 * \param[in]  at_ms     the moment (monotonic ms)
 * \param[in]  now_ms    now (monotonic ms)
 * \param[in]  now_wall  now on the wall clock
 * \return buf.
 */
char *ttl_until_text(char *buf, size_t len, int64_t at_ms, int64_t now_ms,
                     const struct timespec *now_wall);

/**
 * The wall-clock moment a monotonic moment corresponds to.
 * \param[in] at_ms     the moment (monotonic ms)
 * \param[in] now_ms    now (monotonic ms)
 * \param[in] now_wall  now on the wall clock
 * \return the wall-clock time of at_ms.
 */
struct timespec ttl_wall_at(int64_t at_ms, int64_t now_ms, const struct timespec *now_wall);

/**
 * A wall-clock time as RFC 3339 UTC to the second, "2026-11-21T11:40:02Z".
 * \param[out] buf   destination (21 bytes or more)
 * \param[in]  len   size of buf in bytes
 * \param[in]  wall  the time
 * \return buf.
 */
char *ttl_rfc3339(char *buf, size_t len, const struct timespec *wall);

/**
 * The negative-caching TTL of a reply (RFC 2308 §5): the smaller of the TTL of the SOA in the
 * authority section and that SOA's MINIMUM field.
 * \param[in]  pkt  the reply
 * \param[out] ttl  the negative TTL in seconds
 * \return true when the authority section holds an SOA, false otherwise (then a resolver
 *         does not cache the negative answer, RFC 2308 §5).
 */
bool ttl_negative(const ldns_pkt *pkt, uint32_t *ttl);

/**
 * How long a reply's answer to its question may be cached: for an answer, the smallest TTL of
 * the answer section's RRs (a CNAME chain expires with its first link); for NXDOMAIN and
 * NODATA, the negative TTL (ttl_negative()); other rcodes have none.
 * \param[in]  pkt       the reply
 * \param[out] ttl       seconds
 * \param[out] negative  set to whether the answer is negative (NXDOMAIN or NODATA); may be NULL
 * \return true when the reply has a cache lifetime.
 */
bool ttl_of_reply(const ldns_pkt *pkt, uint32_t *ttl, bool *negative);

#endif
