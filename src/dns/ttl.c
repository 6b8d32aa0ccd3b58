/*
 * ttl.c -- TTL countdowns (see ttl.h).
 */
#include "config.h"
#include "dns/ttl.h"

#include <stdio.h>

int64_t ttl_ts_ms(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000 + ts->tv_nsec / 1000000;
}

/* ttl_clock_freeze(): one process, one clock for every view. */
static bool ttl_frozen;
static int64_t ttl_frozen_ms;
static struct timespec ttl_frozen_wall;

void ttl_clock_freeze(int64_t now_ms, const struct timespec *wall)
{
	ttl_frozen = true;
	ttl_frozen_ms = now_ms;
	ttl_frozen_wall = *wall;
}

int64_t ttl_now_ms(void)
{
	struct timespec ts;

	if (ttl_frozen)
		return ttl_frozen_ms;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ttl_ts_ms(&ts);
}

void ttl_now_wall(struct timespec *wall)
{
	if (ttl_frozen)
		*wall = ttl_frozen_wall;
	else
		clock_gettime(CLOCK_REALTIME, wall);
}

uint32_t ttl_remaining(uint32_t ttl, int64_t rx_ms, int64_t now_ms)
{
	int64_t gone;

	if (now_ms <= rx_ms)
		return ttl;
	gone = (now_ms - rx_ms) / 1000;
	return gone >= (int64_t)ttl ? 0 : ttl - (uint32_t)gone;
}

int64_t ttl_expiry_ms(uint32_t ttl, int64_t rx_ms)
{
	return rx_ms + (int64_t)ttl * 1000;
}

char *ttl_human(char *buf, size_t len, uint32_t secs)
{
	unsigned d = secs / 86400, h = secs / 3600 % 24, m = secs / 60 % 60, s = secs % 60;

	if (d > 0)
		snprintf(buf, len, "%ud%02uh%02um", d, h, m);
	else if (h > 0)
		snprintf(buf, len, "%uh%02um%02us", h, m, s);
	else if (m > 0)
		snprintf(buf, len, "%um%02us", m, s);
	else
		snprintf(buf, len, "%us", s);
	return buf;
}

char *ttl_clock_text(char *buf, size_t len, int64_t at_ms, int64_t now_ms,
                     const struct timespec *now_wall)
{
	struct timespec wall = ttl_wall_at(at_ms, now_ms, now_wall);
	time_t t = wall.tv_sec;
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL || strftime(buf, len, "%H:%M:%S", &tm) == 0)
		snprintf(buf, len, "??:??:??");
	return buf;
}

char *ttl_until_text(char *buf, size_t len, int64_t at_ms, int64_t now_ms,
                     const struct timespec *now_wall)
{
	char at[16], in[16];

	ttl_clock_text(at, sizeof(at), at_ms, now_ms, now_wall);
	if (at_ms > now_ms)
		snprintf(buf, len, "%s (in %s)", at,
		         ttl_human(in, sizeof(in), (uint32_t)((at_ms - now_ms + 999) / 1000)));
	else
		snprintf(buf, len, "%s (%s ago)", at,
		         ttl_human(in, sizeof(in), (uint32_t)((now_ms - at_ms) / 1000)));
	return buf;
}

struct timespec ttl_wall_at(int64_t at_ms, int64_t now_ms, const struct timespec *now_wall)
{
	int64_t ms = ttl_ts_ms(now_wall) + (at_ms - now_ms);
	struct timespec ts = {.tv_sec = (time_t)(ms / 1000),
	                      .tv_nsec = (long)(ms % 1000) * 1000000};

	return ts;
}

char *ttl_rfc3339(char *buf, size_t len, const struct timespec *wall)
{
	time_t t = wall->tv_sec;
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "?");
	return buf;
}

bool ttl_negative(const ldns_pkt *pkt, uint32_t *ttl)
{
	const ldns_rr_list *auth = ldns_pkt_authority(pkt);

	for (size_t i = 0; i < ldns_rr_list_rr_count(auth); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(auth, i);
		const ldns_rdf *min;

		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_SOA || ldns_rr_rd_count(rr) < 7)
			continue;
		min = ldns_rr_rdf(rr, 6);
		*ttl = ldns_rr_ttl(rr);
		if (min != NULL && ldns_rdf_size(min) == 4 && ldns_rdf2native_int32(min) < *ttl)
			*ttl = ldns_rdf2native_int32(min);
		return true;
	}
	return false;
}

bool ttl_of_reply(const ldns_pkt *pkt, uint32_t *ttl, bool *negative)
{
	const ldns_rr_list *ans = ldns_pkt_answer(pkt);
	size_t n = ldns_rr_list_rr_count(ans);
	ldns_pkt_rcode rc = ldns_pkt_get_rcode(pkt);

	if (negative)
		*negative = false;
	if (rc == LDNS_RCODE_NOERROR && n > 0) {
		*ttl = ldns_rr_ttl(ldns_rr_list_rr(ans, 0));
		for (size_t i = 1; i < n; i++)
			if (ldns_rr_ttl(ldns_rr_list_rr(ans, i)) < *ttl)
				*ttl = ldns_rr_ttl(ldns_rr_list_rr(ans, i));
		return true;
	}
	if (rc != LDNS_RCODE_NOERROR && rc != LDNS_RCODE_NXDOMAIN)
		return false;
	if (negative)
		*negative = true;
	return ttl_negative(pkt, ttl);
}
