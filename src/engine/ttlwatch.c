/*
 * ttlwatch.c -- asking again when an answer expires (see ttlwatch.h).
 */
#include "config.h"
#include "engine/ttlwatch.h"
#include "dns/ttl.h"

#include <stdlib.h>

struct ttlwatch {
	struct lookup *l;
	struct ttlwatch_opts opts;
	struct event *timer;
	bool enabled;
	bool firing; /* inside the timer callback: updates wait until it ends */
	int64_t next_ms;
};

void ttlwatch_opts_init(struct ttlwatch_opts *opts)
{
	opts->interval_s = 0;
	opts->retry_s = 10;
}

int64_t ttlwatch_due(const struct lookup_reply *r, const struct ttlwatch_opts *opts)
{
	int64_t rx, due;

	if (r->state != LOOKUP_DONE || r->reasking || r->net == NULL)
		return -1;
	rx = lookup_reply_rx_ms(r);
	if (opts->interval_s > 0)
		due = rx + (int64_t)opts->interval_s * 1000;
	else if (!lookup_reply_expiry(r, &due))
		due = opts->retry_s > 0 ? rx + (int64_t)opts->retry_s * 1000 : -1;
	if (due >= 0 && due < rx + TTLWATCH_MIN_GAP_MS)
		due = rx + TTLWATCH_MIN_GAP_MS;
	return due;
}

static void ttlwatch_fire(evutil_socket_t fd, short what, void *arg)
{
	struct ttlwatch *w = arg;
	int64_t now = ttl_now_ms();

	w->next_ms = -1;
	w->firing = true;
	for (size_t i = 0; i < lookup_count(w->l); i++) {
		int64_t due = ttlwatch_due(lookup_reply_at(w->l, i), &w->opts);
		if (due >= 0 && due <= now)
			lookup_reask(w->l, i);
	}
	w->firing = false;
	ttlwatch_update(w);
}

struct ttlwatch *ttlwatch_new(struct event_base *base, struct lookup *l,
                              const struct ttlwatch_opts *opts)
{
	struct ttlwatch *w = calloc(1, sizeof(*w));

	if (w == NULL)
		return NULL;
	w->l = l;
	w->next_ms = -1;
	if (opts != NULL)
		w->opts = *opts;
	else
		ttlwatch_opts_init(&w->opts);
	w->timer = evtimer_new(base, ttlwatch_fire, w);
	if (w->timer == NULL) {
		free(w);
		return NULL;
	}
	return w;
}

void ttlwatch_set_enabled(struct ttlwatch *w, bool on)
{
	w->enabled = on;
	ttlwatch_update(w);
}

bool ttlwatch_enabled(const struct ttlwatch *w)
{
	return w->enabled;
}

void ttlwatch_update(struct ttlwatch *w)
{
	int64_t next = -1, now;
	struct timeval tv;

	if (w->firing)
		return;
	if (w->enabled) {
		for (size_t i = 0; i < lookup_count(w->l); i++) {
			int64_t due = ttlwatch_due(lookup_reply_at(w->l, i), &w->opts);
			if (due >= 0 && (next < 0 || due < next))
				next = due;
		}
	}
	if (next == w->next_ms)
		return;
	w->next_ms = next;
	evtimer_del(w->timer);
	if (next < 0)
		return;
	now = ttl_now_ms();
	next = next > now ? next - now + 1 : 0; /* +1: never wake before it is due */
	tv.tv_sec = (time_t)(next / 1000);
	tv.tv_usec = (suseconds_t)(next % 1000) * 1000;
	evtimer_add(w->timer, &tv);
}

int64_t ttlwatch_next(const struct ttlwatch *w)
{
	return w->next_ms;
}

void ttlwatch_free(struct ttlwatch *w)
{
	if (w == NULL)
		return;
	event_free(w->timer);
	free(w);
}
