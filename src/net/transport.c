/*
 * transport.c -- non-blocking UDP and TCP DNS exchanges on libevent (see transport.h).
 *
 * Each query moves through: QUEUED (waiting for an in-flight slot) -> UDP (socket connected,
 * waiting for a matching datagram; resent on each timeout until the tries run out) -> TCP
 * (after TC = 1, or from the start with +tcp: connect, write the length-prefixed query, read
 * length-prefixed messages until one matches) -> ended (callback). Late replies to an earlier
 * UDP try are accepted: every try of a query reuses its socket and ID. A malformed UDP reply is
 * kept (the last one) and the try goes on; when the try's timer fires with one kept, the query
 * ends NET_MALFORMED.
 */
#include "config.h"
#include "net/transport.h"
#include "dns/reply.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#define NET_RECV_MAX         65535 /* largest DNS message, bytes */
#define NET_INFLIGHT_DEFAULT 2048  /* queries in flight when not configured */

enum nq_state { NQ_QUEUED, NQ_UDP, NQ_TCP_CONNECT, NQ_TCP_WRITE, NQ_TCP_READ };

struct net_query {
	struct net *net;
	TAILQ_ENTRY(net_query) link; /* in net->queued or net->running */
	enum nq_state state;
	struct sockaddr_storage ss;
	socklen_t sslen;
	struct query_spec q;
	uint16_t id;
	uint8_t *wire; /* the query, without TCP framing */
	size_t wirelen;
	int fd;
	struct event *ev_io;
	struct event *ev_timer;
	unsigned udp_tries, tcp_tries;
	struct timespec sent;
	struct net_result *res;
	uint8_t *bad; /* the last malformed reply, kept for NET_MALFORMED */
	size_t badlen;
	/* TCP state */
	uint8_t *tcp_out; /* 2-byte length then the query; allocated when TCP starts */
	size_t tcp_outlen, tcp_written;
	uint8_t *tcp_in; /* 2-byte length then message; allocated when TCP starts */
	size_t tcp_have, tcp_need;
	net_done_fn done;
	void *arg;
};

TAILQ_HEAD(nq_list, net_query);

struct net {
	struct event_base *base;
	struct net_opts opts;
	size_t inflight_max;
	size_t running;
	struct nq_list queued;
	struct nq_list active;
	struct event *ev_pump;  /* starts queries queued by net_query_start on the next turn */
	net_observe_fn observe; /* sees every result first (net_set_observer) */
	void *observe_arg;
	uint8_t rbuf[NET_RECV_MAX];
};

static void nq_udp_send(struct net_query *nq);
static void nq_tcp_begin(struct net_query *nq);
static void nq_launch(struct net_query *nq);

void net_set_observer(struct net *net, net_observe_fn fn, void *arg)
{
	net->observe = fn;
	net->observe_arg = arg;
}

void net_opts_init(struct net_opts *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->timeout_ms = 2000;
	opts->tries = 2;
}

/* In-flight cap: configured value, bounded by what RLIMIT_NOFILE leaves us. */
static size_t net_cap(const struct net_opts *opts)
{
	struct rlimit rl;
	size_t cap = opts->inflight_max ? opts->inflight_max : NET_INFLIGHT_DEFAULT;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
		size_t room = rl.rlim_cur > 64 ? (size_t)rl.rlim_cur - 64 : 1;
		if (cap > room)
			cap = room;
	}
	return cap ? cap : 1;
}

static void net_pump(struct net *net);

static void net_pump_cb(evutil_socket_t fd, short what, void *arg)
{
	net_pump(arg);
}

struct net *net_new(struct event_base *base, const struct net_opts *opts)
{
	struct net *net = calloc(1, sizeof(*net));

	if (net == NULL)
		return NULL;
	net->base = base;
	net->opts = *opts;
	if (net->opts.tries == 0)
		net->opts.tries = 1;
	if (net->opts.timeout_ms == 0)
		net->opts.timeout_ms = 1;
	net->inflight_max = net_cap(opts);
	TAILQ_INIT(&net->queued);
	TAILQ_INIT(&net->active);
	net->ev_pump = event_new(base, -1, 0, net_pump_cb, net);
	if (net->ev_pump == NULL) {
		free(net);
		return NULL;
	}
	return net;
}

static double ts_diff_ms(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e3 + (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

/* Close the socket and drop the events of the current phase. */
static void nq_close(struct net_query *nq)
{
	if (nq->ev_io) {
		event_free(nq->ev_io);
		nq->ev_io = NULL;
	}
	if (nq->ev_timer)
		evtimer_del(nq->ev_timer);
	if (nq->fd >= 0) {
		close(nq->fd);
		nq->fd = -1;
	}
}

static void nq_destroy(struct net_query *nq)
{
	nq_close(nq);
	if (nq->ev_timer)
		event_free(nq->ev_timer);
	query_spec_clear(&nq->q);
	free(nq->wire);
	free(nq->bad);
	free(nq->tcp_in);
	free(nq->tcp_out);
	net_result_free(nq->res);
	free(nq);
}

/* Start queued queries while there is room. */
static void net_pump(struct net *net)
{
	struct net_query *nq;

	while (net->running < net->inflight_max && (nq = TAILQ_FIRST(&net->queued)) != NULL) {
		TAILQ_REMOVE(&net->queued, nq, link);
		TAILQ_INSERT_TAIL(&net->active, nq, link);
		net->running++;
		nq_launch(nq);
	}
}

/* End a query: hand the result to its owner and free the rest. */
static void nq_finish(struct net_query *nq, enum net_status st, int err)
{
	struct net *net = nq->net;
	struct net_result *res = nq->res;
	net_done_fn done = nq->done;
	void *arg = nq->arg;

	res->status = st;
	res->sys_errno = err;
	nq->res = NULL;
	if (net->observe != NULL)
		net->observe((const struct sockaddr *)&nq->ss, nq->sslen, &nq->q, res,
		             net->observe_arg);
	TAILQ_REMOVE(&net->active, nq, link);
	net->running--;
	nq_destroy(nq);
	/* Refill the slots before the callback, which may start new queries itself. */
	net_pump(net);
	done(res, arg);
}

static void nq_accept(struct net_query *nq, const uint8_t *msg, size_t len)
{
	struct net_result *res = nq->res;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	res->rx_mono = now;
	clock_gettime(CLOCK_REALTIME, &res->rx_wall);
	res->rtt_ms = ts_diff_ms(&nq->sent, &now);
	res->wire = malloc(len);
	if (res->wire == NULL) {
		nq_finish(nq, NET_NETWORK, ENOMEM);
		return;
	}
	memcpy(res->wire, msg, len);
	res->size = len;
	nq_finish(nq, NET_OK, 0);
}

/* Count a message reply_match() turned down; keep a malformed one for NET_MALFORMED. */
static void nq_discard(struct net_query *nq, enum reply_verdict v, const uint8_t *msg, size_t len)
{
	uint8_t *copy;

	nq->res->discarded++;
	nq->res->last_discard = v;
	if (v != REPLY_MALFORMED || (copy = malloc(len)) == NULL)
		return;
	memcpy(copy, msg, len);
	free(nq->bad);
	nq->bad = copy;
	nq->badlen = len;
}

/* End with the kept malformed reply, so the owner can say what was wrong with it. */
static void nq_finish_malformed(struct net_query *nq)
{
	nq->res->wire = nq->bad;
	nq->res->size = nq->badlen;
	nq->bad = NULL;
	nq_finish(nq, NET_MALFORMED, 0);
}

static enum net_status errno_status(int err)
{
	switch (err) {
	case ECONNREFUSED:
	case EHOSTUNREACH:
	case ENETUNREACH:
	case ECONNRESET:
		return NET_UNREACHABLE;
	default:
		return NET_NETWORK;
	}
}

static void nq_on_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct net_query *nq = arg;

	if (nq->state == NQ_UDP) {
		if (nq->bad != NULL)
			nq_finish_malformed(nq); /* the server answered: no point asking again */
		else if (nq->udp_tries < nq->net->opts.tries)
			nq_udp_send(nq);
		else
			nq_finish(nq, NET_TIMEOUT, 0);
		return;
	}
	/* A TCP phase timed out: note how far the reply got, reconnect while tries are left. */
	nq->res->tcp_got = nq->state == NQ_TCP_READ ? nq->tcp_have : 0;
	nq->res->tcp_want = nq->state == NQ_TCP_READ ? nq->tcp_need : 0;
	nq_close(nq);
	if (nq->tcp_tries < nq->net->opts.tries)
		nq_tcp_begin(nq);
	else
		nq_finish(nq, NET_TIMEOUT, 0);
}

static void nq_arm_timer(struct net_query *nq)
{
	struct timeval tv = {
	    .tv_sec = nq->net->opts.timeout_ms / 1000,
	    .tv_usec = (nq->net->opts.timeout_ms % 1000) * 1000,
	};
	evtimer_add(nq->ev_timer, &tv);
}

static int nq_socket(struct net_query *nq, int type)
{
	int fd = socket(nq->ss.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	nq->fd = fd;
	return 0;
}

/* --- UDP ---------------------------------------------------------------------------- */

static void nq_udp_read(evutil_socket_t fd, short what, void *arg)
{
	struct net_query *nq = arg;
	struct net *net = nq->net;

	for (;;) {
		ssize_t n = recv(fd, net->rbuf, sizeof(net->rbuf), 0);
		enum reply_verdict v;

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
				return;
			nq_finish(nq, errno_status(errno), errno);
			return;
		}
		v = reply_match(net->rbuf, (size_t)n, nq->id, &nq->q);
		if (v != REPLY_MATCH) {
			/* RFC 5452 §9.1: discard, count, keep waiting. */
			nq_discard(nq, v, net->rbuf, (size_t)n);
			continue;
		}
		if (reply_tc(net->rbuf, (size_t)n) && !net->opts.ignore_tc) {
			nq->res->tc_retry = true;
			nq_close(nq);
			nq_tcp_begin(nq);
			return;
		}
		nq_accept(nq, net->rbuf, (size_t)n);
		return;
	}
}

static void nq_udp_send(struct net_query *nq)
{
	if (nq->fd < 0) {
		if (nq_socket(nq, SOCK_DGRAM) < 0 ||
		    connect(nq->fd, (struct sockaddr *)&nq->ss, nq->sslen) < 0) {
			nq_finish(nq, errno_status(errno), errno);
			return;
		}
		nq->ev_io = event_new(nq->net->base, nq->fd, EV_READ | EV_PERSIST, nq_udp_read, nq);
		if (nq->ev_io == NULL || event_add(nq->ev_io, NULL) < 0) {
			nq_finish(nq, NET_NETWORK, ENOMEM);
			return;
		}
	}
	nq->state = NQ_UDP;
	nq->udp_tries++;
	nq->res->tries++;
	clock_gettime(CLOCK_MONOTONIC, &nq->sent);
	if (send(nq->fd, nq->wire, nq->wirelen, 0) < 0 && errno != EAGAIN) {
		nq_finish(nq, errno_status(errno), errno);
		return;
	}
	nq_arm_timer(nq);
}

/* --- TCP (RFC 7766 §8: two-byte length prefix) --------------------------------------- */

static void nq_tcp_io(evutil_socket_t fd, short what, void *arg);

static int nq_tcp_want(struct net_query *nq, short events)
{
	if (nq->ev_io)
		event_free(nq->ev_io);
	nq->ev_io = event_new(nq->net->base, nq->fd, events | EV_PERSIST, nq_tcp_io, nq);
	return nq->ev_io && event_add(nq->ev_io, NULL) == 0 ? 0 : -1;
}

static void nq_tcp_begin(struct net_query *nq)
{
	nq->tcp_tries++;
	nq->res->tries++;
	nq->res->tcp = true;
	nq->tcp_written = 0;
	nq->tcp_have = 0;
	nq->tcp_need = 2;
	if (nq->tcp_in == NULL) {
		nq->tcp_in = malloc(2 + 65535);
		nq->tcp_out = malloc(2 + nq->wirelen);
		if (nq->tcp_in == NULL || nq->tcp_out == NULL) {
			nq_finish(nq, NET_NETWORK, ENOMEM);
			return;
		}
		nq->tcp_out[0] = (uint8_t)(nq->wirelen >> 8);
		nq->tcp_out[1] = (uint8_t)nq->wirelen;
		memcpy(nq->tcp_out + 2, nq->wire, nq->wirelen);
		nq->tcp_outlen = 2 + nq->wirelen;
	}
	clock_gettime(CLOCK_MONOTONIC, &nq->sent);
	if (nq_socket(nq, SOCK_STREAM) < 0) {
		nq_finish(nq, errno_status(errno), errno);
		return;
	}
	if (connect(nq->fd, (struct sockaddr *)&nq->ss, nq->sslen) < 0 && errno != EINPROGRESS) {
		nq_finish(nq, errno_status(errno), errno);
		return;
	}
	nq->state = NQ_TCP_CONNECT;
	if (nq_tcp_want(nq, EV_WRITE) < 0) {
		nq_finish(nq, NET_NETWORK, ENOMEM);
		return;
	}
	nq_arm_timer(nq);
}

/* Read what is there; returns 1 when the query ended (finished or moved on). */
static int nq_tcp_read(struct net_query *nq)
{
	for (;;) {
		ssize_t n;

		if (nq->tcp_have == nq->tcp_need) {
			if (nq->tcp_need == 2) {
				size_t mlen = (size_t)nq->tcp_in[0] << 8 | nq->tcp_in[1];
				nq->tcp_need = 2 + mlen;
				if (mlen > 0)
					continue;
			}
			/* a whole message */
			const uint8_t *msg = nq->tcp_in + 2;
			size_t mlen = nq->tcp_need - 2;
			enum reply_verdict v = reply_match(msg, mlen, nq->id, &nq->q);
			if (v == REPLY_MATCH) {
				nq_accept(nq, msg, mlen);
				return 1;
			}
			nq_discard(nq, v, msg, mlen);
			if (v == REPLY_MALFORMED && nq->bad != NULL) {
				/* our own connection: no forger could have put it there */
				nq_finish_malformed(nq);
				return 1;
			}
			nq->tcp_have = 0;
			nq->tcp_need = 2;
			continue;
		}
		n = read(nq->fd, nq->tcp_in + nq->tcp_have, nq->tcp_need - nq->tcp_have);
		if (n > 0) {
			nq->tcp_have += (size_t)n;
			continue;
		}
		if (n == 0) {
			nq->res->tcp_got = nq->tcp_have;
			nq->res->tcp_want = nq->tcp_need;
			nq_finish(nq, NET_TCP_CLOSED, 0);
			return 1;
		}
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return 0;
		nq_finish(nq, errno_status(errno), errno);
		return 1;
	}
}

static void nq_tcp_io(evutil_socket_t fd, short what, void *arg)
{
	struct net_query *nq = arg;

	if (nq->state == NQ_TCP_CONNECT) {
		int err = 0;
		socklen_t el = sizeof(err);
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) < 0)
			err = errno;
		if (err != 0) {
			nq_finish(nq, errno_status(err), err);
			return;
		}
		nq->state = NQ_TCP_WRITE;
	}
	if (nq->state == NQ_TCP_WRITE) {
		while (nq->tcp_written < nq->tcp_outlen) {
			ssize_t n = send(fd, nq->tcp_out + nq->tcp_written,
			                 nq->tcp_outlen - nq->tcp_written, MSG_NOSIGNAL);
			if (n < 0) {
				if (errno == EAGAIN || errno == EINTR)
					return;
				nq_finish(nq, errno_status(errno), errno);
				return;
			}
			nq->tcp_written += (size_t)n;
		}
		nq->state = NQ_TCP_READ;
		if (nq_tcp_want(nq, EV_READ) < 0)
			nq_finish(nq, NET_NETWORK, ENOMEM);
		return;
	}
	nq_tcp_read(nq);
}

/* --- queries ------------------------------------------------------------------------ */

static void nq_launch(struct net_query *nq)
{
	if (nq->net->opts.tcp)
		nq_tcp_begin(nq);
	else
		nq_udp_send(nq);
}

struct net_query *net_query_start(struct net *net, const struct sockaddr *server, socklen_t len,
                                  const struct query_spec *q, net_done_fn done, void *arg)
{
	struct net_query *nq;

	if (len > sizeof(nq->ss) || q->qname == NULL)
		return NULL;
	nq = calloc(1, sizeof(*nq));
	if (nq == NULL)
		return NULL;
	nq->fd = -1;
	nq->net = net;
	nq->done = done;
	nq->arg = arg;
	memcpy(&nq->ss, server, len);
	nq->sslen = len;
	nq->id = query_random_id();
	nq->res = calloc(1, sizeof(*nq->res));
	nq->ev_timer = evtimer_new(net->base, nq_on_timeout, nq);
	if (nq->res == NULL || nq->ev_timer == NULL ||
	    query_spec_copy(&nq->q, q) != LDNS_STATUS_OK ||
	    query_wire_new(q, nq->id, &nq->wire, &nq->wirelen) != LDNS_STATUS_OK ||
	    nq->wirelen > 65535) {
		nq_destroy(nq);
		return NULL;
	}
	nq->state = NQ_QUEUED;
	TAILQ_INSERT_TAIL(&net->queued, nq, link);
	/*
	 * Launch on the loop's next turn, never from here: a send that fails at once (no route)
	 * would otherwise call done before the caller has the handle this returns.
	 */
	event_active(net->ev_pump, EV_TIMEOUT, 0);
	return nq;
}

void net_query_cancel(struct net_query *nq)
{
	struct net *net = nq->net;

	if (nq->state == NQ_QUEUED) {
		TAILQ_REMOVE(&net->queued, nq, link);
	} else {
		TAILQ_REMOVE(&net->active, nq, link);
		net->running--;
	}
	nq_destroy(nq);
	net_pump(net);
}

size_t net_pending(const struct net *net)
{
	size_t n = net->running;
	const struct net_query *nq;

	TAILQ_FOREACH(nq, &net->queued, link)
	n++;
	return n;
}

void net_free(struct net *net)
{
	struct net_query *nq;

	if (net == NULL)
		return;
	while ((nq = TAILQ_FIRST(&net->queued)) != NULL) {
		TAILQ_REMOVE(&net->queued, nq, link);
		nq_destroy(nq);
	}
	while ((nq = TAILQ_FIRST(&net->active)) != NULL) {
		TAILQ_REMOVE(&net->active, nq, link);
		nq_destroy(nq);
	}
	event_free(net->ev_pump);
	free(net);
}

void net_result_free(struct net_result *res)
{
	if (res == NULL)
		return;
	free(res->wire);
	free(res);
}

const char *net_status_str(enum net_status st)
{
	switch (st) {
	case NET_OK:
		return "ok";
	case NET_TIMEOUT:
		return "timed out";
	case NET_UNREACHABLE:
		return "connection refused or unreachable";
	case NET_NETWORK:
		return "network error";
	case NET_TCP_CLOSED:
		return "TCP connection closed before the reply was complete";
	case NET_MALFORMED:
		return "malformed reply";
	case NET_CANCELLED:
		return "cancelled";
	}
	return "unknown";
}

/* Append to the string in buf like snprintf, never past buflen. */
static void describe_add(char *buf, size_t buflen, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used + 1 >= buflen)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, buflen - used, fmt, ap);
	va_end(ap);
}

char *net_result_describe(char *buf, size_t buflen, const struct net_result *res)
{
	char why[160];

	if (buflen == 0)
		return buf;
	snprintf(buf, buflen, "%s", net_status_str(res->status));
	switch (res->status) {
	case NET_MALFORMED:
		if (res->wire != NULL && !reply_wellformed(res->wire, res->size, why, sizeof(why)))
			describe_add(buf, buflen, ": %s", why);
		/* the discarded count includes the malformed reply itself */
		if (res->discarded > 1)
			describe_add(buf, buflen, "; %u replies discarded", res->discarded);
		break;
	case NET_TIMEOUT:
	case NET_TCP_CLOSED:
		if (res->status == NET_TIMEOUT && res->tcp)
			describe_add(buf, buflen, " over TCP%s",
			             res->tc_retry ? " after a truncated UDP reply" : "");
		if (res->tcp_got > 0)
			describe_add(buf, buflen, "; %zu of %zu bytes of the reply arrived",
			             res->tcp_got, res->tcp_want);
		if (res->discarded > 0)
			describe_add(buf, buflen, "; %u %s discarded (the last: %s)",
			             res->discarded, res->discarded == 1 ? "reply" : "replies",
			             reply_verdict_str(res->last_discard));
		break;
	case NET_NETWORK:
		if (res->sys_errno != 0)
			describe_add(buf, buflen, ": %s", strerror(res->sys_errno));
		break;
	default:
		break;
	}
	return buf;
}
