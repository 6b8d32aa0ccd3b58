/*
 * check_net.c -- the transport against a scripted server on 127.0.0.1 inside the test:
 * discard-and-count of a wrong-ID datagram, timeouts and tries, TC -> TCP, refused ports,
 * the in-flight cap; malformed replies (kept to the end of the try, then NET_MALFORMED, unless
 * the right reply follows), QR = 0 datagrams, a TCP reply that stops after its length prefix,
 * and the text net_result_describe() makes of each. Everything runs on one libevent loop in
 * the test process.
 */
#include "config.h"
#include "tests.h"
#include "net/transport.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum scenario {
	SC_WRONG_ID_FIRST,
	SC_SILENT,
	SC_TC,
	SC_WRONG_QUESTION_FIRST,
	SC_MALFORMED_FIRST,  /* the reply with a trailing byte, then the reply */
	SC_MALFORMED_ONLY,   /* only the reply with a trailing byte */
	SC_QR0,              /* only the reply with QR = 0 */
	SC_TC_TCP_MALFORMED, /* TC = 1, then over TCP the reply with a trailing byte */
	SC_TC_TCP_STALL      /* TC = 1, then over TCP a length prefix of 65535, 10 bytes, silence */
};

struct fake {
	struct event_base *base;
	enum scenario sc;
	int udp, tcp, conn;
	struct event *ev_udp, *ev_tcp, *ev_conn;
	uint8_t tcpbuf[600];
	size_t tcphave;
	struct sockaddr_in addr;
	unsigned udp_queries;
	struct net_result *res;
	int results;
};

/* A reply to query wire q: same ID and question, one A record, flags as asked. */
static uint8_t *fake_reply(const uint8_t *q, size_t qlen, int id_delta, const char *qname, bool tc,
                           size_t *len)
{
	ldns_pkt *pkt = tu_pkt(q, qlen);
	ldns_rr *question = ldns_rr_list_rr(ldns_pkt_question(pkt), 0);
	const char *const answer[] = {"example.test. 60 IN A 203.0.113.1", NULL};
	char *name = ldns_rdf2str(ldns_rr_owner(question));
	uint8_t *w = tu_reply_wire(qname ? qname : name, ldns_rr_get_type(question),
	                           (uint16_t)(ldns_pkt_id(pkt) + id_delta), LDNS_RCODE_NOERROR,
	                           tc ? NULL : answer, len);
	if (tc)
		w[2] |= 0x02;
	free(name);
	ldns_pkt_free(pkt);
	return w;
}

/* The reply to q with one byte of garbage after it: malformed (reply_wellformed). */
static uint8_t *fake_malformed(const uint8_t *q, size_t qlen, size_t *len)
{
	uint8_t *w = fake_reply(q, qlen, 0, NULL, false, len);

	w = realloc(w, *len + 1);
	ck_assert_ptr_nonnull(w);
	w[(*len)++] = 0x1b;
	return w;
}

static void fake_udp_read(evutil_socket_t fd, short what, void *arg)
{
	struct fake *f = arg;
	uint8_t buf[1500];
	struct sockaddr_storage from;
	socklen_t fl = sizeof(from);
	ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
	size_t len;
	uint8_t *w;

	ck_assert_int_gt(n, 12);
	f->udp_queries++;
	switch (f->sc) {
	case SC_SILENT:
		return;
	case SC_WRONG_ID_FIRST:
	case SC_WRONG_QUESTION_FIRST:
		w = f->sc == SC_WRONG_ID_FIRST
		        ? fake_reply(buf, (size_t)n, 1, NULL, false, &len)
		        : fake_reply(buf, (size_t)n, 0, "forged.test.", false, &len);
		sendto(fd, w, len, 0, (struct sockaddr *)&from, fl);
		free(w);
		w = fake_reply(buf, (size_t)n, 0, NULL, false, &len);
		sendto(fd, w, len, 0, (struct sockaddr *)&from, fl);
		free(w);
		return;
	case SC_MALFORMED_FIRST:
	case SC_MALFORMED_ONLY:
		w = fake_malformed(buf, (size_t)n, &len);
		sendto(fd, w, len, 0, (struct sockaddr *)&from, fl);
		free(w);
		if (f->sc == SC_MALFORMED_ONLY)
			return;
		w = fake_reply(buf, (size_t)n, 0, NULL, false, &len);
		sendto(fd, w, len, 0, (struct sockaddr *)&from, fl);
		free(w);
		return;
	case SC_QR0:
		w = fake_reply(buf, (size_t)n, 0, NULL, false, &len);
		w[2] &= 0x7f;
		sendto(fd, w, len, 0, (struct sockaddr *)&from, fl);
		free(w);
		return;
	case SC_TC:
	case SC_TC_TCP_MALFORMED:
	case SC_TC_TCP_STALL:
		w = fake_reply(buf, (size_t)n, 0, NULL, true, &len);
		sendto(fd, w, len, 0, (struct sockaddr *)&from, fl);
		free(w);
		return;
	}
}

static void fake_conn_read(evutil_socket_t fd, short what, void *arg)
{
	struct fake *f = arg;
	ssize_t n = read(fd, f->tcpbuf + f->tcphave, sizeof(f->tcpbuf) - f->tcphave);
	size_t need, len;
	uint8_t *w, hdr[2];

	if (n <= 0) {
		event_del(f->ev_conn); /* the transport closed it: no busy loop on EOF */
		return;
	}
	f->tcphave += (size_t)n;
	if (f->tcphave < 2)
		return;
	need = 2 + ((size_t)f->tcpbuf[0] << 8 | f->tcpbuf[1]);
	if (f->tcphave < need)
		return;
	if (f->sc == SC_TC_TCP_STALL) {
		/* 65535 announced, 10 sent, then nothing: the connection stays open */
		ck_assert_int_eq(write(fd, "\377\377\0\1\2\3\4\5\6\7\10\11", 12), 12);
		return;
	}
	w = f->sc == SC_TC_TCP_MALFORMED
	        ? fake_malformed(f->tcpbuf + 2, need - 2, &len)
	        : fake_reply(f->tcpbuf + 2, need - 2, 0, NULL, false, &len);
	hdr[0] = (uint8_t)(len >> 8);
	hdr[1] = (uint8_t)len;
	ck_assert_int_eq(write(fd, hdr, 2), 2);
	ck_assert_int_eq(write(fd, w, len), (ssize_t)len);
	free(w);
}

static void fake_tcp_accept(evutil_socket_t fd, short what, void *arg)
{
	struct fake *f = arg;

	/* a new try of the transport: the old connection is done with */
	if (f->ev_conn) {
		event_free(f->ev_conn);
		f->ev_conn = NULL;
	}
	if (f->conn >= 0)
		close(f->conn);
	f->tcphave = 0;
	f->conn = accept(fd, NULL, NULL);
	ck_assert_int_ge(f->conn, 0);
	f->ev_conn = event_new(f->base, f->conn, EV_READ | EV_PERSIST, fake_conn_read, f);
	event_add(f->ev_conn, NULL);
}

static void fake_start(struct fake *f, enum scenario sc)
{
	int one = 1, tries = 0;

	memset(f, 0, sizeof(*f));
	f->sc = sc;
	f->conn = -1;
	f->base = event_base_new();
	/* UDP and TCP on the same port: take the kernel's UDP port and try TCP on it; the TCP
	 * port may already be in use elsewhere, then draw another pair. */
	for (;;) {
		socklen_t al = sizeof(f->addr);

		f->udp = socket(AF_INET, SOCK_DGRAM, 0);
		memset(&f->addr, 0, sizeof(f->addr));
		f->addr.sin_family = AF_INET;
		f->addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		ck_assert_int_eq(bind(f->udp, (struct sockaddr *)&f->addr, sizeof(f->addr)), 0);
		ck_assert_int_eq(getsockname(f->udp, (struct sockaddr *)&f->addr, &al), 0);
		f->tcp = socket(AF_INET, SOCK_STREAM, 0);
		setsockopt(f->tcp, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(f->tcp, (struct sockaddr *)&f->addr, sizeof(f->addr)) == 0)
			break;
		close(f->tcp);
		close(f->udp);
		ck_assert_int_lt(++tries, 50);
	}
	ck_assert_int_eq(listen(f->tcp, 4), 0);
	f->ev_udp = event_new(f->base, f->udp, EV_READ | EV_PERSIST, fake_udp_read, f);
	f->ev_tcp = event_new(f->base, f->tcp, EV_READ | EV_PERSIST, fake_tcp_accept, f);
	event_add(f->ev_udp, NULL);
	event_add(f->ev_tcp, NULL);
}

static void fake_done(struct net_result *res, void *arg)
{
	struct fake *f = arg;

	net_result_free(f->res);
	f->res = res;
	f->results++;
}

static struct net_result *fake_ask(struct fake *f, const struct net_opts *opts)
{
	struct query_spec q;
	struct net *net = net_new(f->base, opts);

	query_spec_init(&q);
	ck_assert_int_eq(query_spec_set_name(&q, "example.test"), LDNS_STATUS_OK);
	ck_assert_ptr_nonnull(
	    net_query_start(net, (struct sockaddr *)&f->addr, sizeof(f->addr), &q, fake_done, f));
	while (f->results == 0)
		event_base_loop(f->base, EVLOOP_ONCE);
	net_free(net);
	query_spec_clear(&q);
	return f->res;
}

static void fake_stop(struct fake *f)
{
	event_free(f->ev_udp);
	event_free(f->ev_tcp);
	if (f->ev_conn)
		event_free(f->ev_conn);
	close(f->udp);
	close(f->tcp);
	if (f->conn >= 0)
		close(f->conn);
	net_result_free(f->res);
	event_base_free(f->base);
}

/* Ask the scripted server playing sc with this per-try timeout and tries; *ms receives how
 * long the query took (monotonic). */
static struct net_result *fake_timed(struct fake *f, enum scenario sc, unsigned timeout_ms,
                                     unsigned tries, double *ms)
{
	struct net_opts o;
	struct timespec t0, t1;
	struct net_result *r;

	net_opts_init(&o);
	o.timeout_ms = timeout_ms;
	o.tries = tries;
	fake_start(f, sc);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = fake_ask(f, &o);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	return r;
}

START_TEST(net_query_start_discards_wrong_id)
{
	struct fake f;
	struct net_opts o;
	struct net_result *r;

	net_opts_init(&o);
	fake_start(&f, SC_WRONG_ID_FIRST);
	r = fake_ask(&f, &o);
	ck_assert_int_eq(r->status, NET_OK);
	ck_assert_uint_eq(r->discarded, 1);
	ck_assert_uint_eq(r->tries, 1);
	ck_assert(!r->tcp);
	ck_assert(r->rtt_ms >= 0 && r->rtt_ms < 1000);
	ck_assert_uint_gt(r->size, 12);
	fake_stop(&f);
}
END_TEST

START_TEST(net_query_start_discards_wrong_question)
{
	struct fake f;
	struct net_opts o;
	struct net_result *r;

	net_opts_init(&o);
	fake_start(&f, SC_WRONG_QUESTION_FIRST);
	r = fake_ask(&f, &o);
	ck_assert_int_eq(r->status, NET_OK);
	ck_assert_uint_eq(r->discarded, 1);
	fake_stop(&f);
}
END_TEST

START_TEST(net_query_start_times_out_after_tries)
{
	struct fake f;
	double ms;
	struct net_result *r = fake_timed(&f, SC_SILENT, 150, 3, &ms);

	ck_assert_int_eq(r->status, NET_TIMEOUT);
	ck_assert_uint_eq(r->tries, 3);
	ck_assert_uint_eq(f.udp_queries, 3);
	ck_assert_ptr_null(r->wire);
	ck_assert(ms >= 440 && ms < 2000);
	fake_stop(&f);
}
END_TEST

START_TEST(net_query_start_tc_retries_over_tcp)
{
	struct fake f;
	struct net_opts o;
	struct net_result *r;

	net_opts_init(&o);
	fake_start(&f, SC_TC);
	r = fake_ask(&f, &o);
	ck_assert_int_eq(r->status, NET_OK);
	ck_assert(r->tc_retry);
	ck_assert(r->tcp);
	ck_assert_uint_eq(r->tries, 2);
	ck_assert(!(r->wire[2] & 0x02)); /* the TCP reply is whole */
	fake_stop(&f);
}
END_TEST

START_TEST(net_query_start_ignore_keeps_tc)
{
	struct fake f;
	struct net_opts o;
	struct net_result *r;

	net_opts_init(&o);
	o.ignore_tc = true;
	fake_start(&f, SC_TC);
	r = fake_ask(&f, &o);
	ck_assert_int_eq(r->status, NET_OK);
	ck_assert(!r->tcp);
	ck_assert(r->wire[2] & 0x02);
	fake_stop(&f);
}
END_TEST

START_TEST(net_query_start_tcp_only)
{
	struct fake f;
	struct net_opts o;
	struct net_result *r;

	net_opts_init(&o);
	o.tcp = true;
	fake_start(&f, SC_SILENT); /* UDP would never answer */
	r = fake_ask(&f, &o);
	ck_assert_int_eq(r->status, NET_OK);
	ck_assert(r->tcp);
	ck_assert(!r->tc_retry);
	ck_assert_uint_eq(f.udp_queries, 0);
	fake_stop(&f);
}
END_TEST

START_TEST(net_query_start_refused_port)
{
	struct fake f;
	struct net_opts o;
	struct net_result *r;

	net_opts_init(&o);
	fake_start(&f, SC_SILENT);
	/* close the UDP socket: the port now answers with ICMP port unreachable */
	event_del(f.ev_udp);
	close(f.udp);
	f.udp = socket(AF_INET, SOCK_DGRAM, 0);
	r = fake_ask(&f, &o);
	ck_assert_int_eq(r->status, NET_UNREACHABLE);
	fake_stop(&f);
}
END_TEST

/* A send that fails at once (port 0 cannot be connected to) still reports from the loop,
 * never from within net_query_start(): the caller has the handle first. */
START_TEST(net_query_start_never_calls_back_from_within)
{
	struct fake f;
	struct net_opts o;
	struct query_spec q;
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = 0};
	struct net *net;

	net_opts_init(&o);
	fake_start(&f, SC_SILENT);
	f.results = 0;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	net = net_new(f.base, &o);
	query_spec_init(&q);
	ck_assert_int_eq(query_spec_set_name(&q, "example.test"), LDNS_STATUS_OK);
	ck_assert_ptr_nonnull(
	    net_query_start(net, (struct sockaddr *)&sin, sizeof(sin), &q, fake_done, &f));
	ck_assert_int_eq(f.results, 0);
	while (f.results == 0)
		event_base_loop(f.base, EVLOOP_ONCE);
	ck_assert_int_ne(f.res->status, NET_OK);
	net_free(net);
	query_spec_clear(&q);
	fake_stop(&f);
}
END_TEST

START_TEST(net_query_start_right_reply_wins_over_malformed)
{
	struct fake f;
	struct net_opts o;
	struct net_result *r;
	char buf[256];

	net_opts_init(&o);
	fake_start(&f, SC_MALFORMED_FIRST);
	r = fake_ask(&f, &o);
	ck_assert_int_eq(r->status, NET_OK);
	ck_assert_uint_eq(r->discarded, 1);
	ck_assert_int_eq(r->last_discard, REPLY_MALFORMED);
	ck_assert_uint_eq(r->tries, 1);
	ck_assert_str_eq(net_result_describe(buf, sizeof(buf), r), "ok");
	fake_stop(&f);
}
END_TEST

START_TEST(net_query_start_malformed_ends_after_the_try)
{
	struct fake f;
	double ms;
	struct net_result *r = fake_timed(&f, SC_MALFORMED_ONLY, 150, 3, &ms);
	char buf[256];

	/* kept to the end of the first try, then no second one: the server did answer */
	ck_assert_int_eq(r->status, NET_MALFORMED);
	ck_assert(ms >= 140 && ms < 1000);
	ck_assert_uint_eq(r->tries, 1);
	ck_assert_uint_eq(f.udp_queries, 1);
	ck_assert_uint_eq(r->discarded, 1);
	ck_assert_ptr_nonnull(r->wire);
	ck_assert_uint_gt(r->size, 12);
	ck_assert_str_eq(net_result_describe(buf, sizeof(buf), r),
	                 "malformed reply: 1 byte of trailing data after the message");
	fake_stop(&f);
}
END_TEST

START_TEST(net_query_start_qr0_is_discarded_until_timeout)
{
	struct fake f;
	double ms;
	struct net_result *r = fake_timed(&f, SC_QR0, 100, 2, &ms);
	char buf[256];

	ck_assert_int_eq(r->status, NET_TIMEOUT);
	ck_assert(ms >= 190 && ms < 1500);
	ck_assert_uint_eq(r->discarded, 2);
	ck_assert_int_eq(r->last_discard, REPLY_NOT_RESPONSE);
	ck_assert_str_eq(net_result_describe(buf, sizeof(buf), r),
	                 "timed out; 2 replies discarded (the last: not a response (QR=0))");
	/* the plain timeout stays plain */
	r->discarded = 0;
	ck_assert_str_eq(net_result_describe(buf, sizeof(buf), r), "timed out");
	fake_stop(&f);
}
END_TEST

START_TEST(net_query_start_tcp_malformed_ends_at_once)
{
	struct fake f;
	double ms;
	struct net_result *r = fake_timed(&f, SC_TC_TCP_MALFORMED, 2000, 2, &ms);

	ck_assert_int_eq(r->status, NET_MALFORMED);
	ck_assert(ms < 1000);
	ck_assert(r->tcp && r->tc_retry);
	ck_assert_uint_eq(r->discarded, 1);
	fake_stop(&f);
}
END_TEST

START_TEST(net_query_start_tcp_stall_says_how_far)
{
	struct fake f;
	double ms;
	struct net_result *r = fake_timed(&f, SC_TC_TCP_STALL, 100, 2, &ms);
	char buf[256];

	ck_assert_int_eq(r->status, NET_TIMEOUT);
	ck_assert(ms >= 190 && ms < 1500); /* two TCP tries of 100 ms */
	ck_assert_uint_eq(r->tries, 3);    /* one UDP, two TCP */
	ck_assert_uint_eq(r->tcp_got, 12);
	ck_assert_uint_eq(r->tcp_want, 65537);
	ck_assert_str_eq(net_result_describe(buf, sizeof(buf), r),
	                 "timed out over TCP after a truncated UDP reply; 12 of 65537 bytes of "
	                 "the reply arrived");
	fake_stop(&f);
}
END_TEST

START_TEST(net_query_start_inflight_cap_queues)
{
	struct fake f;
	struct net_opts o;
	struct query_spec q;
	struct net *net;

	net_opts_init(&o);
	o.inflight_max = 2;
	o.timeout_ms = 50;
	o.tries = 1;
	fake_start(&f, SC_SILENT);
	net = net_new(f.base, &o);
	query_spec_init(&q);
	query_spec_set_name(&q, "example.test");
	for (int i = 0; i < 5; i++)
		ck_assert_ptr_nonnull(net_query_start(net, (struct sockaddr *)&f.addr,
		                                      sizeof(f.addr), &q, fake_done, &f));
	ck_assert_uint_eq(net_pending(net), 5);
	/* let the first wave reach the server: only two are on the wire */
	event_base_loop(f.base, EVLOOP_NONBLOCK);
	ck_assert_uint_le(f.udp_queries, 2);
	while (f.results < 5)
		event_base_loop(f.base, EVLOOP_ONCE);
	ck_assert_uint_eq(f.udp_queries, 5);
	ck_assert_uint_eq(net_pending(net), 0);
	net_free(net);
	query_spec_clear(&q);
	fake_stop(&f);
}
END_TEST

Suite *suite_net(void)
{
	Suite *s = suite_create("net");
	TCase *tc = tcase_create("net_query_start");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, net_query_start_discards_wrong_id);
	tcase_add_test(tc, net_query_start_discards_wrong_question);
	tcase_add_test(tc, net_query_start_times_out_after_tries);
	tcase_add_test(tc, net_query_start_tc_retries_over_tcp);
	tcase_add_test(tc, net_query_start_ignore_keeps_tc);
	tcase_add_test(tc, net_query_start_tcp_only);
	tcase_add_test(tc, net_query_start_refused_port);
	tcase_add_test(tc, net_query_start_never_calls_back_from_within);
	tcase_add_test(tc, net_query_start_inflight_cap_queues);
	tcase_add_test(tc, net_query_start_right_reply_wins_over_malformed);
	tcase_add_test(tc, net_query_start_malformed_ends_after_the_try);
	tcase_add_test(tc, net_query_start_qr0_is_discarded_until_timeout);
	tcase_add_test(tc, net_query_start_tcp_malformed_ends_at_once);
	tcase_add_test(tc, net_query_start_tcp_stall_says_how_far);
	suite_add_tcase(s, tc);
	return s;
}
