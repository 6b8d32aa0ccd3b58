/*
 * smtp.c -- the SMTP reachability probe on one libevent bufferevent (see smtp.h).
 *
 * A probe moves through: CONNECT (our own non-blocking socket, handed to the bufferevent while
 * its connect is in progress) -> GREETING (read the greeting reply) -> EHLO ("EHLO <helo>"
 * sent, read its reply) -> QUIT ("QUIT" handed to the kernel) -> ended. The 221 answer to QUIT
 * is not awaited. Replies are read line by line with evbuffer_readln(EVBUFFER_EOL_CRLF), so a
 * bare LF ends a line too. A single one-shot timer bounds the whole probe. The result is handed
 * over exactly once, after the probe has freed itself, so the callback may start or cancel
 * other probes. Bytes from the peer are stored only through esc_raw().
 */
#include "config.h"
#include "net/smtp.h"
#include "dns/escape.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

#define SMTP_LINE_MAX  1000        /* octets in one reply line, CRLF included */
#define SMTP_REPLY_MAX (64 * 1024) /* octets in one reply, all its lines */
#define SMTP_HELO_MAX  255         /* octets in the EHLO argument */

enum sp_state { SP_CONNECT, SP_GREETING, SP_EHLO, SP_QUIT };

struct smtp_probe {
	struct bufferevent *bev;
	struct event *ev_timer;
	enum sp_state state;
	char *helo;
	struct timespec t0;
	/* the reply being read */
	int code;                /* its code, 0 before its first line */
	size_t reply_len;        /* octets read of it so far */
	struct evbuffer *banner; /* raw greeting text, lines joined with " / " */
	size_t ext_cap;          /* slots allocated in res->extensions, NULL excluded */
	/* an outcome decided before the probe can end: a failed connect, or the verdict while
	   QUIT drains */
	bool decided;
	enum smtp_status end_status;
	int end_errno;
	struct smtp_result *res;
	smtp_done_fn done;
	void *arg;
};

static double ts_ms_since(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a->tv_sec) * 1e3 + (double)(b.tv_nsec - a->tv_nsec) / 1e6;
}

static void sp_free(struct smtp_probe *p)
{
	/* Safe inside the bufferevent's own callbacks: libevent holds a reference until they
	   return and drops our callbacks now. */
	if (p->bev)
		bufferevent_free(p->bev);
	if (p->ev_timer)
		event_free(p->ev_timer);
	if (p->banner)
		evbuffer_free(p->banner);
	free(p->helo);
	smtp_result_free(p->res);
	free(p);
}

/* End the probe: free it first, then hand the result over, so the callback sees no probe. */
static void sp_finish(struct smtp_probe *p, enum smtp_status st, int err)
{
	struct smtp_result *res = p->res;
	smtp_done_fn done = p->done;
	void *arg = p->arg;

	res->status = st;
	res->sys_errno = err;
	res->total_ms = ts_ms_since(&p->t0);
	p->res = NULL;
	sp_free(p);
	done(res, arg);
}

static enum smtp_status sp_connect_status(int err)
{
	switch (err) {
	case ECONNREFUSED:
	case EHOSTUNREACH:
	case ENETUNREACH:
		return SMTP_REFUSED;
	case ETIMEDOUT:
		return SMTP_TIMEOUT;
	default:
		return SMTP_NETWORK;
	}
}

/* Only printable ASCII without spaces may follow "EHLO ": no CR/LF, so no injected command. */
static bool sp_helo_ok(const char *helo)
{
	size_t n;

	if (helo == NULL)
		return false;
	n = strlen(helo);
	if (n == 0 || n > SMTP_HELO_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (helo[i] < 0x21 || helo[i] > 0x7e)
			return false;
	return true;
}

/*
 * Send a command. Our commands are short and the socket is fresh, so send() normally takes
 * them whole; MSG_NOSIGNAL keeps a peer that already reset from raising SIGPIPE. A remainder
 * (zero window) goes to the bufferevent to be flushed later.
 */
static int sp_send(struct smtp_probe *p, const char *cmd, size_t len)
{
	ssize_t n = send(bufferevent_getfd(p->bev), cmd, len, MSG_NOSIGNAL);

	if (n < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			return errno;
		n = 0;
	}
	if ((size_t)n < len && bufferevent_write(p->bev, cmd + n, len - (size_t)n) < 0)
		return ENOMEM;
	return 0;
}

/* The verdict is known: say QUIT politely and end once it has left (or at the deadline). */
static void sp_quit(struct smtp_probe *p, enum smtp_status st)
{
	static const char quit[] = "QUIT\r\n";

	p->state = SP_QUIT;
	p->decided = true;
	p->end_status = st;
	/* A failed QUIT does not change what we learned. */
	if (sp_send(p, quit, sizeof(quit) - 1) != 0 ||
	    evbuffer_get_length(bufferevent_get_output(p->bev)) == 0)
		sp_finish(p, st, 0);
}

/* ASCII-only case folding: the locale must not decide what "STARTTLS" matches. */
static bool sp_keyword_is(const char *text, size_t len, const char *kw)
{
	size_t klen = strlen(kw), i;

	for (i = 0; i < len && text[i] != ' '; i++) {
		char c = text[i];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (i >= klen || c != kw[i])
			return false;
	}
	return i == klen;
}

static bool sp_add_extension(struct smtp_probe *p, const char *text, size_t len)
{
	struct smtp_result *res = p->res;
	char *e;

	if (len == 0)
		return true;
	if (res->nextensions == p->ext_cap) {
		size_t cap = p->ext_cap ? 2 * p->ext_cap : 8;
		char **v = realloc(res->extensions, (cap + 1) * sizeof(*v));
		if (v == NULL)
			return false;
		res->extensions = v;
		p->ext_cap = cap;
	}
	e = esc_raw(text, len);
	if (e == NULL)
		return false;
	if (sp_keyword_is(text, len, "STARTTLS"))
		res->starttls = true;
	res->extensions[res->nextensions++] = e;
	res->extensions[res->nextensions] = NULL;
	return true;
}

static bool sp_add_banner(struct smtp_probe *p, const char *text, size_t len)
{
	if (len == 0)
		return true;
	if (evbuffer_get_length(p->banner) > 0 && evbuffer_add(p->banner, " / ", 3) < 0)
		return false;
	return evbuffer_add(p->banner, text, len) == 0;
}

/* A whole greeting reply arrived: 220 goes on to EHLO, anything else is a refusal. */
static bool sp_greeting_done(struct smtp_probe *p, int code)
{
	char cmd[sizeof("EHLO \r\n") + SMTP_HELO_MAX];
	size_t blen = evbuffer_get_length(p->banner);
	int n, err;

	p->res->greeting_code = code;
	p->res->banner = esc_raw(evbuffer_pullup(p->banner, -1), blen);
	if (p->res->banner == NULL) {
		sp_finish(p, SMTP_NETWORK, ENOMEM);
		return true;
	}
	if (code != 220) {
		sp_quit(p, SMTP_REJECTED);
		return true;
	}
	p->state = SP_EHLO;
	n = snprintf(cmd, sizeof(cmd), "EHLO %s\r\n", p->helo);
	err = sp_send(p, cmd, (size_t)n);
	if (err != 0) {
		sp_finish(p, SMTP_NETWORK, err);
		return true;
	}
	return false;
}

/*
 * One reply line (RFC 5321 §4.2): "ddd-text" continues the reply, "ddd text" or "ddd" ends
 * it; every line carries the same code. Returns true when the probe ended.
 */
static bool sp_line(struct smtp_probe *p, const char *line, size_t n)
{
	bool first = p->code == 0, last;
	const char *text = n > 4 ? line + 4 : "";
	size_t tlen = n > 4 ? n - 4 : 0;
	int code;

	p->reply_len += n + 2;
	if (n > SMTP_LINE_MAX - 2 || p->reply_len > SMTP_REPLY_MAX || n < 3)
		goto garbage;
	for (size_t i = 0; i < 3; i++)
		if (line[i] < '0' || line[i] > '9')
			goto garbage;
	if (n == 3 || line[3] == ' ')
		last = true;
	else if (line[3] == '-')
		last = false;
	else
		goto garbage;
	code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
	if (!first && code != p->code)
		goto garbage;
	p->code = code;

	if (p->state == SP_GREETING) {
		if (!sp_add_banner(p, text, tlen)) {
			sp_finish(p, SMTP_NETWORK, ENOMEM);
			return true;
		}
	} else if (code == 250 && !first) {
		/* RFC 5321 §4.1.1.1: the first line greets, each later one is an extension */
		if (!sp_add_extension(p, text, tlen)) {
			sp_finish(p, SMTP_NETWORK, ENOMEM);
			return true;
		}
	}
	if (!last)
		return false;

	p->code = 0;
	p->reply_len = 0;
	if (p->state == SP_GREETING)
		return sp_greeting_done(p, code);
	/* Any answer to EHLO, even 5xx, shows an SMTP server is there. */
	p->res->ehlo_code = code;
	sp_quit(p, SMTP_OK);
	return true;

garbage:
	sp_finish(p, SMTP_PROTOCOL, 0);
	return true;
}

static void sp_read(struct bufferevent *bev, void *arg)
{
	struct smtp_probe *p = arg;
	struct evbuffer *in = bufferevent_get_input(bev);

	while (p->state == SP_GREETING || p->state == SP_EHLO) {
		size_t n;
		char *line = evbuffer_readln(in, &n, EVBUFFER_EOL_CRLF);
		bool ended;

		if (line == NULL) {
			/* No line end yet: a peer that never sends one must not grow the buffer. */
			if (evbuffer_get_length(in) > SMTP_LINE_MAX)
				sp_finish(p, SMTP_PROTOCOL, 0);
			return;
		}
		ended = sp_line(p, line, n);
		free(line);
		if (ended)
			return;
	}
	evbuffer_drain(in, evbuffer_get_length(in));
}

static void sp_write(struct bufferevent *bev, void *arg)
{
	struct smtp_probe *p = arg;

	if (p->state == SP_QUIT && evbuffer_get_length(bufferevent_get_output(bev)) == 0)
		sp_finish(p, p->end_status, 0);
}

static void sp_event(struct bufferevent *bev, short what, void *arg)
{
	struct smtp_probe *p = arg;
	int err = EVUTIL_SOCKET_ERROR();

	if (what & BEV_EVENT_CONNECTED) {
		p->res->connect_ms = ts_ms_since(&p->t0);
		p->state = SP_GREETING;
		if (bufferevent_enable(bev, EV_READ) < 0)
			sp_finish(p, SMTP_NETWORK, ENOMEM);
		return;
	}
	if (p->state == SP_QUIT)
		sp_finish(p, p->end_status, 0);
	else if (!(what & BEV_EVENT_ERROR))
		sp_finish(p, SMTP_PROTOCOL, 0); /* EOF in the middle of the dialogue */
	else if (p->state == SP_CONNECT)
		sp_finish(p, sp_connect_status(err), err);
	else
		sp_finish(p, SMTP_NETWORK, err);
}

static void sp_timer(evutil_socket_t fd, short what, void *arg)
{
	struct smtp_probe *p = arg;

	if (p->decided)
		sp_finish(p, p->end_status, p->end_errno);
	else
		sp_finish(p, SMTP_TIMEOUT, 0);
}

/*
 * Connect our own socket rather than let bufferevent_socket_connect() create one: a connect
 * that fails at once then keeps its errno, and the failure still reaches the caller from the
 * loop (never from inside smtp_probe_start). The bufferevent gets the connecting socket and
 * bufferevent_socket_connect(bev, NULL, 0) waits for the connection to complete.
 * Returns 0, or -1 when the probe cannot be set up at all.
 */
static int sp_connect(struct smtp_probe *p, struct event_base *base, const struct sockaddr *addr,
                      socklen_t addrlen)
{
	int fd = socket(addr->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		p->decided = true;
		p->end_status = SMTP_NETWORK;
		p->end_errno = errno;
		return 0;
	}
	if (connect(fd, addr, addrlen) < 0 && errno != EINPROGRESS && errno != EINTR) {
		p->decided = true;
		p->end_status = sp_connect_status(errno);
		p->end_errno = errno;
		close(fd);
		return 0;
	}
	p->bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (p->bev == NULL) {
		close(fd);
		return -1;
	}
	bufferevent_setcb(p->bev, sp_read, sp_write, sp_event, p);
	return bufferevent_socket_connect(p->bev, NULL, 0);
}

struct smtp_probe *smtp_probe_start(struct event_base *base, const struct sockaddr *addr,
                                    socklen_t addrlen, const char *helo, unsigned timeout_ms,
                                    smtp_done_fn done, void *arg)
{
	struct timeval tv = {.tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000};
	struct smtp_probe *p;

	if (base == NULL || addr == NULL || done == NULL ||
	    addrlen > sizeof(struct sockaddr_storage) || !sp_helo_ok(helo)) {
		errno = EINVAL;
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return NULL;
	p->done = done;
	p->arg = arg;
	p->state = SP_CONNECT;
	clock_gettime(CLOCK_MONOTONIC, &p->t0);
	p->helo = strdup(helo);
	p->res = calloc(1, sizeof(*p->res));
	p->banner = evbuffer_new();
	p->ev_timer = evtimer_new(base, sp_timer, p);
	if (p->helo == NULL || p->res == NULL || p->banner == NULL || p->ev_timer == NULL)
		goto fail;
	p->res->connect_ms = -1;
	if (sp_connect(p, base, addr, addrlen) < 0 || evtimer_add(p->ev_timer, &tv) < 0)
		goto fail;
	/* A connect that failed at once is reported from the loop, like every other outcome. */
	if (p->decided)
		event_active(p->ev_timer, EV_TIMEOUT, 1);
	return p;

fail:
	sp_free(p);
	errno = ENOMEM;
	return NULL;
}

void smtp_probe_cancel(struct smtp_probe *p)
{
	if (p != NULL)
		sp_free(p);
}

void smtp_result_free(struct smtp_result *res)
{
	if (res == NULL)
		return;
	for (size_t i = 0; i < res->nextensions; i++)
		free(res->extensions[i]);
	free(res->extensions);
	free(res->banner);
	free(res);
}

const char *smtp_status_str(enum smtp_status st)
{
	switch (st) {
	case SMTP_OK:
		return "reachable";
	case SMTP_REFUSED:
		return "refused";
	case SMTP_TIMEOUT:
		return "timed out";
	case SMTP_REJECTED:
		return "rejected";
	case SMTP_PROTOCOL:
		return "protocol error";
	case SMTP_NETWORK:
		return "network error";
	}
	return "unknown";
}
