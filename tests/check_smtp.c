/*
 * check_smtp.c -- the SMTP probe against a scripted server on 127.0.0.1 inside the test: the
 * normal dialogue (greeting, EHLO, QUIT and nothing else), refused ports, silence, rejection,
 * hostile bytes, over-long lines and replies, EHLO refused, cancellation. Everything runs on one
 * libevent loop in the test process; no byte leaves loopback.
 */
#include "config.h"
#include "tests.h"
#include "net/smtp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>

#define HELO "dnsdeck.invalid"

static const char greeting_normal[] = "220-mx1.example.test ESMTP\r\n220 ready\r\n";
static const char ehlo_normal[] = "250-mx1.example.test\r\n250-PIPELINING\r\n"
                                  "250-SIZE 10240000\r\n250 STARTTLS\r\n";

/* What the scripted server says: its greeting on accept, its answer to EHLO. */
struct script {
	const char *greeting; /* NULL: never write anything */
	size_t greeting_len;  /* 0: strlen(greeting) */
	const char *ehlo;     /* NULL: "502" to EHLO too */
	bool close_after_greeting;
};

struct fake {
	struct event_base *base;
	struct script sc;
	int lsn;
	struct event *ev_lsn;
	struct bufferevent *conn;
	bool closing;     /* free conn once its output is flushed */
	bool peer_closed; /* the probe's side closed (EOF or reset) */
	char rx[8192];    /* every byte received from the probe */
	size_t rxlen, rxdone;
	struct sockaddr_in addr;
	struct smtp_result *res;
	int results;
};

static void fake_answer(struct fake *f, const char *line, size_t len)
{
	struct evbuffer *out = bufferevent_get_output(f->conn);

	if (len >= 5 && strncmp(line, "EHLO ", 5) == 0 && f->sc.ehlo != NULL)
		evbuffer_add(out, f->sc.ehlo, strlen(f->sc.ehlo));
	else if (len == 4 && strncmp(line, "QUIT", 4) == 0)
		evbuffer_add_printf(out, "221 2.0.0 bye\r\n");
	else
		evbuffer_add_printf(out, "502 5.5.2 not here\r\n");
}

/* Log what the probe sends and answer each whole command line. */
static void fake_conn_read(struct bufferevent *bev, void *arg)
{
	struct fake *f = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	char *eol;

	f->rxlen += evbuffer_remove(in, f->rx + f->rxlen, sizeof(f->rx) - 1 - f->rxlen);
	f->rx[f->rxlen] = '\0';
	while ((eol = strstr(f->rx + f->rxdone, "\r\n")) != NULL) {
		fake_answer(f, f->rx + f->rxdone, (size_t)(eol - (f->rx + f->rxdone)));
		f->rxdone = (size_t)(eol + 2 - f->rx);
	}
}

static void fake_conn_write(struct bufferevent *bev, void *arg)
{
	struct fake *f = arg;

	if (f->closing) {
		bufferevent_free(f->conn);
		f->conn = NULL;
	}
}

static void fake_conn_event(struct bufferevent *bev, short what, void *arg)
{
	struct fake *f = arg;

	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		f->peer_closed = true;
}

static void fake_accept(evutil_socket_t fd, short what, void *arg)
{
	struct fake *f = arg;
	int c = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	ck_assert_int_ge(c, 0);
	ck_assert_ptr_null(f->conn); /* one probe, one connection */
	f->conn = bufferevent_socket_new(f->base, c, BEV_OPT_CLOSE_ON_FREE);
	ck_assert_ptr_nonnull(f->conn);
	bufferevent_setcb(f->conn, fake_conn_read, fake_conn_write, fake_conn_event, f);
	bufferevent_enable(f->conn, EV_READ | EV_WRITE);
	if (f->sc.greeting != NULL)
		bufferevent_write(f->conn, f->sc.greeting,
		                  f->sc.greeting_len ? f->sc.greeting_len : strlen(f->sc.greeting));
	f->closing = f->sc.close_after_greeting;
}

static void fake_start(struct fake *f, const struct script *sc)
{
	socklen_t al = sizeof(f->addr);
	int one = 1;

	memset(f, 0, sizeof(*f));
	f->sc = *sc;
	f->base = event_base_new();
	f->lsn = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(f->lsn, 0);
	f->addr.sin_family = AF_INET;
	f->addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(f->lsn, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	ck_assert_int_eq(bind(f->lsn, (struct sockaddr *)&f->addr, sizeof(f->addr)), 0);
	ck_assert_int_eq(getsockname(f->lsn, (struct sockaddr *)&f->addr, &al), 0);
	ck_assert_int_eq(listen(f->lsn, 4), 0);
	f->ev_lsn = event_new(f->base, f->lsn, EV_READ | EV_PERSIST, fake_accept, f);
	event_add(f->ev_lsn, NULL);
}

static void fake_done(struct smtp_result *res, void *arg)
{
	struct fake *f = arg;

	smtp_result_free(f->res);
	f->res = res;
	f->results++;
}

static struct smtp_result *fake_probe(struct fake *f, unsigned timeout_ms)
{
	ck_assert_ptr_nonnull(smtp_probe_start(f->base, (struct sockaddr *)&f->addr,
	                                       sizeof(f->addr), HELO, timeout_ms, fake_done, f));
	while (f->results == 0)
		event_base_loop(f->base, EVLOOP_ONCE);
	return f->res;
}

/* Run the loop until the server has seen the probe's socket close. */
static void fake_drain(struct fake *f)
{
	while (f->conn != NULL && !f->peer_closed)
		event_base_loop(f->base, EVLOOP_ONCE);
}

static void fake_stop(struct fake *f)
{
	event_free(f->ev_lsn);
	close(f->lsn);
	if (f->conn)
		bufferevent_free(f->conn);
	smtp_result_free(f->res);
	event_base_free(f->base);
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* A TCP port on 127.0.0.1 that nobody listens on: bound once, then closed. */
static struct sockaddr_in free_port(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t al = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &al), 0);
	close(fd);
	return a;
}

static void assert_printable(const char *s)
{
	ck_assert_ptr_nonnull(s);
	for (const unsigned char *c = (const unsigned char *)s; *c; c++)
		ck_assert_msg(*c >= 0x20 && *c <= 0x7e, "byte 0x%02x left unescaped in \"%s\"", *c,
		              s);
}

START_TEST(smtp_probe_start_normal_dialogue)
{
	const struct script sc = {.greeting = greeting_normal, .ehlo = ehlo_normal};
	struct fake f;
	struct smtp_result *r;

	fake_start(&f, &sc);
	r = fake_probe(&f, 2000);
	ck_assert_int_eq(r->status, SMTP_OK);
	ck_assert_int_eq(r->sys_errno, 0);
	ck_assert_int_eq(r->greeting_code, 220);
	ck_assert_str_eq(r->banner, "mx1.example.test ESMTP / ready");
	ck_assert_int_eq(r->ehlo_code, 250);
	ck_assert(r->starttls);
	ck_assert_uint_eq(r->nextensions, 3);
	ck_assert_str_eq(r->extensions[0], "PIPELINING");
	ck_assert_str_eq(r->extensions[1], "SIZE 10240000");
	ck_assert_str_eq(r->extensions[2], "STARTTLS");
	ck_assert_ptr_null(r->extensions[3]);
	ck_assert(r->connect_ms >= 0 && r->connect_ms <= r->total_ms);
	ck_assert(r->total_ms < 1000);
	fake_drain(&f);
	ck_assert_str_eq(f.rx, "EHLO " HELO "\r\nQUIT\r\n");
	ck_assert_ptr_null(strstr(f.rx, "MAIL"));
	fake_stop(&f);
}
END_TEST

START_TEST(smtp_probe_start_refused_port)
{
	struct fake f;
	struct smtp_result *r;
	const struct script sc = {0};

	fake_start(&f, &sc);
	f.addr = free_port();
	r = fake_probe(&f, 2000);
	ck_assert_int_eq(r->status, SMTP_REFUSED);
	ck_assert_int_eq(r->sys_errno, ECONNREFUSED);
	ck_assert(r->connect_ms < 0);
	ck_assert_int_eq(r->greeting_code, 0);
	ck_assert_ptr_null(r->banner);
	ck_assert_ptr_null(r->extensions);
	fake_stop(&f);
}
END_TEST

START_TEST(smtp_probe_start_silent_server_times_out)
{
	const struct script sc = {.greeting = NULL};
	struct fake f;
	struct smtp_result *r;
	struct timespec t0;
	double ms;

	fake_start(&f, &sc);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = fake_probe(&f, 200);
	ms = ms_since(&t0);
	ck_assert_int_eq(r->status, SMTP_TIMEOUT);
	ck_assert_msg(ms >= 200 && ms < 1500, "took %.1f ms", ms);
	ck_assert(r->total_ms >= 199 && r->total_ms < 1500);
	ck_assert(r->connect_ms >= 0); /* it connected, then heard nothing */
	ck_assert_int_eq(r->greeting_code, 0);
	ck_assert_ptr_null(r->banner);
	fake_drain(&f);
	ck_assert_uint_eq(f.rxlen, 0); /* no EHLO before a greeting */
	fake_stop(&f);
}
END_TEST

START_TEST(smtp_probe_start_rejected_554)
{
	const struct script sc = {.greeting = "554 5.7.1 no service for you\r\n",
	                          .ehlo = ehlo_normal};
	struct fake f;
	struct smtp_result *r;

	fake_start(&f, &sc);
	r = fake_probe(&f, 2000);
	ck_assert_int_eq(r->status, SMTP_REJECTED);
	ck_assert_int_eq(r->greeting_code, 554);
	ck_assert_str_eq(r->banner, "5.7.1 no service for you");
	ck_assert_int_eq(r->ehlo_code, 0);
	ck_assert_ptr_null(r->extensions);
	fake_drain(&f);
	ck_assert_str_eq(f.rx, "QUIT\r\n"); /* polite, and no EHLO */
	fake_stop(&f);
}
END_TEST

START_TEST(smtp_probe_start_escapes_hostile_bytes)
{
	const struct script sc = {
	    .greeting = "220 evil\x1b[2J\x07\x9b\xff\\027 end\r\n",
	    .ehlo = "250-evil.test\r\n250-X-EVIL \x1b]0;owned\x07\r\n250 starttls\r\n"};
	struct fake f;
	struct smtp_result *r;

	fake_start(&f, &sc);
	r = fake_probe(&f, 2000);
	ck_assert_int_eq(r->status, SMTP_OK);
	ck_assert_str_eq(r->banner, "evil\\027[2J\\007\\155\\255\\092027 end");
	assert_printable(r->banner);
	ck_assert_uint_eq(r->nextensions, 2);
	ck_assert_str_eq(r->extensions[0], "X-EVIL \\027]0;owned\\007");
	assert_printable(r->extensions[0]);
	ck_assert_str_eq(r->extensions[1], "starttls"); /* kept as sent */
	ck_assert(r->starttls);                         /* matched case-insensitively */
	fake_stop(&f);
}
END_TEST

START_TEST(smtp_probe_start_line_without_end)
{
	char *junk = malloc(2000);
	struct script sc = {.greeting = junk, .greeting_len = 2000};
	struct fake f;
	struct smtp_result *r;

	memset(junk, 'a', 2000);
	fake_start(&f, &sc);
	r = fake_probe(&f, 2000);
	ck_assert_int_eq(r->status, SMTP_PROTOCOL);
	ck_assert(r->total_ms < 1000); /* at once, not at the deadline */
	fake_stop(&f);
	free(junk);
}
END_TEST

START_TEST(smtp_probe_start_line_length_limit)
{
	/* 1000 octets with CRLF pass, 1001 do not (RFC 5321 §4.5.3.1.6) */
	for (size_t len = 998; len <= 999; len++) {
		char *g = malloc(len + 3);
		struct script sc = {.greeting = g, .ehlo = "250 ok\r\n"};
		struct fake f;
		struct smtp_result *r;

		memcpy(g, "220 ", 4);
		memset(g + 4, 'b', len - 4);
		memcpy(g + len, "\r\n", 3);
		fake_start(&f, &sc);
		r = fake_probe(&f, 2000);
		ck_assert_int_eq(r->status, len == 998 ? SMTP_OK : SMTP_PROTOCOL);
		if (len == 998)
			ck_assert_uint_eq(strlen(r->banner), 994);
		fake_stop(&f);
		free(g);
	}
}
END_TEST

START_TEST(smtp_probe_start_reply_over_64k)
{
	struct evbuffer *big = evbuffer_new();
	struct script sc = {.greeting = "220 big.test\r\n"};
	struct fake f;
	struct smtp_result *r;
	char x[901];

	memset(x, 'x', 900);
	x[900] = '\0';
	evbuffer_add_printf(big, "250-big.test\r\n");
	for (int i = 0; i < 80; i++) /* 80 lines of 906 octets: over 64 KiB */
		evbuffer_add_printf(big, "250-X%s\r\n", x);
	evbuffer_add_printf(big, "250 END\r\n");
	evbuffer_add(big, "", 1);
	sc.ehlo = (const char *)evbuffer_pullup(big, -1);
	fake_start(&f, &sc);
	r = fake_probe(&f, 2000);
	ck_assert_int_eq(r->status, SMTP_PROTOCOL);
	ck_assert_int_eq(r->greeting_code, 220);
	fake_stop(&f);
	evbuffer_free(big);
}
END_TEST

START_TEST(smtp_probe_start_garbage_is_protocol_error)
{
	static const char *const greetings[] = {
	    "hello there\r\n", "22\r\n", "220x\r\n", "2a0 code\r\n", "220-a\r\n250 b\r\n",
	};

	for (size_t i = 0; i < sizeof(greetings) / sizeof(greetings[0]); i++) {
		struct script sc = {.greeting = greetings[i], .ehlo = ehlo_normal};
		struct fake f;
		struct smtp_result *r;

		fake_start(&f, &sc);
		r = fake_probe(&f, 2000);
		ck_assert_msg(r->status == SMTP_PROTOCOL, "greeting %zu: %s", i,
		              smtp_status_str(r->status));
		fake_stop(&f);
	}
}
END_TEST

START_TEST(smtp_probe_start_close_mid_reply)
{
	const struct script sc = {.greeting = "220-partial\r\n", .close_after_greeting = true};
	struct fake f;
	struct smtp_result *r;

	fake_start(&f, &sc);
	r = fake_probe(&f, 2000);
	ck_assert_int_eq(r->status, SMTP_PROTOCOL);
	ck_assert(r->total_ms < 1000);
	fake_stop(&f);
}
END_TEST

START_TEST(smtp_probe_start_bare_lf)
{
	const struct script sc = {.greeting = "220 lf.example.test\n",
	                          .ehlo = "250-lf.example.test\n250 8BITMIME\n"};
	struct fake f;
	struct smtp_result *r;

	fake_start(&f, &sc);
	r = fake_probe(&f, 2000);
	ck_assert_int_eq(r->status, SMTP_OK);
	ck_assert_str_eq(r->banner, "lf.example.test");
	ck_assert_uint_eq(r->nextensions, 1);
	ck_assert_str_eq(r->extensions[0], "8BITMIME");
	ck_assert(!r->starttls);
	fake_stop(&f);
}
END_TEST

START_TEST(smtp_probe_start_ehlo_502)
{
	const struct script sc = {.greeting = "220 old.example.test\r\n", .ehlo = NULL};
	struct fake f;
	struct smtp_result *r;

	fake_start(&f, &sc);
	r = fake_probe(&f, 2000);
	ck_assert_int_eq(r->status, SMTP_OK);
	ck_assert_int_eq(r->greeting_code, 220);
	ck_assert_int_eq(r->ehlo_code, 502);
	ck_assert_uint_eq(r->nextensions, 0);
	ck_assert_ptr_null(r->extensions);
	ck_assert(!r->starttls);
	fake_drain(&f);
	ck_assert_str_eq(f.rx, "EHLO " HELO "\r\nQUIT\r\n");
	fake_stop(&f);
}
END_TEST

START_TEST(smtp_probe_start_cancel)
{
	const struct script sc = {.greeting = "220-first line only\r\n"};
	struct fake f;
	struct smtp_probe *p;

	fake_start(&f, &sc);
	p = smtp_probe_start(f.base, (struct sockaddr *)&f.addr, sizeof(f.addr), HELO, 300,
	                     fake_done, &f);
	ck_assert_ptr_nonnull(p);
	while (f.conn == NULL)
		event_base_loop(f.base, EVLOOP_ONCE);
	event_base_loop(f.base, EVLOOP_NONBLOCK);
	smtp_probe_cancel(p);
	fake_drain(&f); /* the probe's socket is closed */
	ck_assert(f.peer_closed);
	/* past the deadline: no timer of the probe is left to fire */
	event_base_loopexit(f.base, &(struct timeval){.tv_usec = 400000});
	event_base_dispatch(f.base);
	ck_assert_int_eq(f.results, 0);

	/* and a probe whose connect failed at once (address too short), cancelled before the
	   loop could report it */
	p = smtp_probe_start(f.base, (struct sockaddr *)&f.addr, 4, HELO, 300, fake_done, &f);
	ck_assert_ptr_nonnull(p);
	smtp_probe_cancel(p);
	event_base_loop(f.base, EVLOOP_NONBLOCK);
	ck_assert_int_eq(f.results, 0);
	fake_stop(&f);
}
END_TEST

START_TEST(smtp_probe_start_immediate_failure_from_loop)
{
	const struct script sc = {0};
	struct fake f;

	fake_start(&f, &sc);
	/* connect() fails at once (EINVAL: the address is cut short); the callback must still
	   come from the loop, never from inside smtp_probe_start */
	ck_assert_ptr_nonnull(
	    smtp_probe_start(f.base, (struct sockaddr *)&f.addr, 4, HELO, 2000, fake_done, &f));
	ck_assert_int_eq(f.results, 0);
	event_base_loop(f.base, EVLOOP_ONCE);
	ck_assert_int_eq(f.results, 1);
	ck_assert_int_eq(f.res->status, SMTP_NETWORK);
	ck_assert_int_eq(f.res->sys_errno, EINVAL);
	ck_assert(f.res->connect_ms < 0);
	ck_assert(f.res->total_ms < 1000);
	fake_stop(&f);
}
END_TEST

START_TEST(smtp_probe_start_rejects_bad_helo)
{
	struct sockaddr_in a = free_port();
	struct event_base *base = event_base_new();
	static const char *const bad[] = {"", "two words", "x\r\nMAIL FROM:<a@b.test>",
	                                  "tab\there"};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		ck_assert_ptr_null(smtp_probe_start(base, (struct sockaddr *)&a, sizeof(a), bad[i],
		                                    100, fake_done, NULL));
		ck_assert_int_eq(errno, EINVAL);
	}
	ck_assert_ptr_null(
	    smtp_probe_start(base, (struct sockaddr *)&a, sizeof(a), NULL, 100, fake_done, NULL));
	event_base_free(base);
}
END_TEST

START_TEST(smtp_status_str_names)
{
	ck_assert_str_eq(smtp_status_str(SMTP_OK), "reachable");
	ck_assert_str_eq(smtp_status_str(SMTP_REFUSED), "refused");
	ck_assert_str_eq(smtp_status_str(SMTP_TIMEOUT), "timed out");
	ck_assert_str_eq(smtp_status_str(SMTP_REJECTED), "rejected");
	ck_assert_str_eq(smtp_status_str(SMTP_PROTOCOL), "protocol error");
	ck_assert_str_eq(smtp_status_str(SMTP_NETWORK), "network error");
	smtp_result_free(NULL);
	smtp_probe_cancel(NULL);
}
END_TEST

Suite *suite_smtp(void)
{
	Suite *s = suite_create("smtp");
	TCase *tc = tcase_create("smtp_probe_start");
	TCase *ts = tcase_create("smtp_status_str");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, smtp_probe_start_normal_dialogue);
	tcase_add_test(tc, smtp_probe_start_refused_port);
	tcase_add_test(tc, smtp_probe_start_silent_server_times_out);
	tcase_add_test(tc, smtp_probe_start_rejected_554);
	tcase_add_test(tc, smtp_probe_start_escapes_hostile_bytes);
	tcase_add_test(tc, smtp_probe_start_line_without_end);
	tcase_add_test(tc, smtp_probe_start_line_length_limit);
	tcase_add_test(tc, smtp_probe_start_reply_over_64k);
	tcase_add_test(tc, smtp_probe_start_garbage_is_protocol_error);
	tcase_add_test(tc, smtp_probe_start_close_mid_reply);
	tcase_add_test(tc, smtp_probe_start_bare_lf);
	tcase_add_test(tc, smtp_probe_start_ehlo_502);
	tcase_add_test(tc, smtp_probe_start_cancel);
	tcase_add_test(tc, smtp_probe_start_immediate_failure_from_loop);
	tcase_add_test(tc, smtp_probe_start_rejects_bad_helo);
	suite_add_tcase(s, tc);
	tcase_add_test(ts, smtp_status_str_names);
	suite_add_tcase(s, ts);
	return s;
}
