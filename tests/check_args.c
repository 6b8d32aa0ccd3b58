/*
 * check_args.c -- server specs, dig-style command lines, the prompt, resolv.conf.
 */
#include "config.h"
#include "tests.h"
#include "engine/args.h"
#include "net/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char err[256];

static int parse(struct args *a, const char *line)
{
	args_init(a);
	return args_parse_line(a, line, err, sizeof(err));
}

static char *qname_str(const struct args *a)
{
	return ldns_rdf2str(a->q.qname);
}

START_TEST(server_parse_addresses)
{
	struct server s;
	char buf[64];

	ck_assert_int_eq(server_parse(&s, "@127.0.53.1", err, sizeof(err)), 0);
	ck_assert_str_eq(server_addr_str(buf, sizeof(buf), (struct sockaddr *)&s.addr),
	                 "127.0.53.1#53");
	ck_assert_ptr_null(s.hostname);
	server_clear(&s);
	ck_assert_int_eq(server_parse(&s, "127.0.53.1#5353", err, sizeof(err)), 0);
	ck_assert_str_eq(server_addr_str(buf, sizeof(buf), (struct sockaddr *)&s.addr),
	                 "127.0.53.1#5353");
	server_clear(&s);
	ck_assert_int_eq(server_parse(&s, "@::1", err, sizeof(err)), 0);
	ck_assert_int_eq(s.addr.ss_family, AF_INET6);
	ck_assert_str_eq(server_addr_str(buf, sizeof(buf), (struct sockaddr *)&s.addr), "::1#53");
	server_clear(&s);
	ck_assert_int_eq(server_parse(&s, "@[::1]#8053", err, sizeof(err)), 0);
	ck_assert_str_eq(server_addr_str(buf, sizeof(buf), (struct sockaddr *)&s.addr), "::1#8053");
	server_clear(&s);
	ck_assert_int_eq(server_parse(&s, "@ns1.example.test", err, sizeof(err)), 0);
	ck_assert_str_eq(s.hostname, "ns1.example.test");
	ck_assert_uint_eq(s.addrlen, 0);
	server_clear(&s);
}
END_TEST

START_TEST(server_parse_rejects)
{
	struct server s;

	ck_assert_int_eq(server_parse(&s, "@", err, sizeof(err)), -1);
	ck_assert_int_eq(server_parse(&s, "@127.0.0.1#0", err, sizeof(err)), -1);
	ck_assert_str_eq(err, "bad port in server '127.0.0.1#0'");
	ck_assert_int_eq(server_parse(&s, "@127.0.0.1#99999", err, sizeof(err)), -1);
	ck_assert_int_eq(server_parse(&s, "@127.0.0.1#", err, sizeof(err)), -1);
	/* the port is digits only: strtoul alone would take a blank or a sign (fuzz_args) */
	ck_assert_int_eq(server_parse(&s, "@127.0.0.1#\v53", err, sizeof(err)), -1);
	ck_assert_int_eq(server_parse(&s, "@127.0.0.1#+53", err, sizeof(err)), -1);
	ck_assert_int_eq(server_parse(&s, "@127.0.0.1# 53", err, sizeof(err)), -1);
	ck_assert_int_eq(server_parse(&s, "@bad name", err, sizeof(err)), -1);
	ck_assert_int_eq(server_parse(&s, "@\033[2J", err, sizeof(err)), -1);
	ck_assert_int_eq(server_parse(&s, "@a..b", err, sizeof(err)), -1);
}
END_TEST

START_TEST(server_from_resolv_conf_first_nameserver)
{
	char path[] = "/tmp/dnsdeck-resolv-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	struct server s;
	char buf[64];

	fputs("# comment\nsearch example.test\nnameserver not-an-address\n"
	      "nameserver 127.0.53.53\nnameserver 127.0.53.1\n",
	      f);
	fclose(f);
	ck_assert_int_eq(server_from_resolv_conf(&s, path, err, sizeof(err)), 0);
	ck_assert_str_eq(server_addr_str(buf, sizeof(buf), (struct sockaddr *)&s.addr),
	                 "127.0.53.53#53");
	server_clear(&s);
	f = fopen(path, "w");
	fputs("search example.test\n", f);
	fclose(f);
	ck_assert_int_eq(server_from_resolv_conf(&s, path, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "no nameserver"));
	unlink(path);
	ck_assert_int_eq(server_from_resolv_conf(&s, path, err, sizeof(err)), -1);
}
END_TEST

START_TEST(args_parse_dig_order)
{
	struct args a;
	char *n;

	ck_assert_int_eq(parse(&a, "@127.0.53.53 example.test MX"), 0);
	args_finish(&a);
	ck_assert_uint_eq(a.nservers, 1);
	ck_assert_int_eq(a.q.qtype, LDNS_RR_TYPE_MX);
	ck_assert_int_eq(a.q.qclass, LDNS_RR_CLASS_IN);
	n = qname_str(&a);
	ck_assert_str_eq(n, "example.test.");
	free(n);
	args_clear(&a);

	/* type and class in either order, before or after the name */
	ck_assert_int_eq(parse(&a, "CH TXT version.bind"), 0);
	ck_assert_int_eq(a.q.qtype, LDNS_RR_TYPE_TXT);
	ck_assert_int_eq(a.q.qclass, LDNS_RR_CLASS_CH);
	args_clear(&a);
	ck_assert_int_eq(parse(&a, "example.test in aaaa"), 0);
	ck_assert_int_eq(a.q.qtype, LDNS_RR_TYPE_AAAA);
	args_clear(&a);
	ck_assert_int_eq(parse(&a, "example.test TYPE65280"), 0);
	ck_assert_int_eq(a.q.qtype, 65280);
	args_clear(&a);
}
END_TEST

START_TEST(args_parse_options)
{
	struct args a;

	ck_assert_int_eq(parse(&a, "+time=1 +tries=3 +tcp +ignore +norec +dnssec +cd +nsid "
	                           "+bufsize=4096 --json example.test"),
	                 0);
	ck_assert_uint_eq(a.net.timeout_ms, 1000);
	ck_assert_uint_eq(a.net.tries, 3);
	ck_assert(a.net.tcp);
	ck_assert(a.net.ignore_tc);
	ck_assert(!a.q.rd);
	ck_assert(a.q.dnssec_ok);
	ck_assert(a.q.cd);
	ck_assert(a.q.nsid);
	ck_assert_uint_eq(a.q.udp_size, 4096);
	ck_assert_int_eq(a.mode, ARGS_MODE_JSON);
	args_clear(&a);
	ck_assert_int_eq(parse(&a, "+retry=0 +notcp +noedns --resolv-conf /tmp/r"), 0);
	ck_assert_uint_eq(a.net.tries, 1);
	ck_assert(!a.net.tcp);
	ck_assert(!a.q.edns);
	ck_assert_str_eq(a.resolv_conf, "/tmp/r");
	args_clear(&a);
}
END_TEST

START_TEST(args_parse_usage_errors)
{
	struct args a;

	ck_assert_int_eq(parse(&a, "+bogus"), -1);
	ck_assert_str_eq(err, "unknown option '+bogus'");
	args_clear(&a);
	ck_assert_int_eq(parse(&a, "+time=0"), -1);
	args_clear(&a);
	ck_assert_int_eq(parse(&a, "+tries=x"), -1);
	args_clear(&a);
	ck_assert_int_eq(parse(&a, "--frobnicate"), -1);
	args_clear(&a);
	ck_assert_int_eq(parse(&a, "-t NOTATYPE example.test"), -1);
	ck_assert_str_eq(err, "unknown type 'NOTATYPE'");
	args_clear(&a);
	ck_assert_int_eq(parse(&a, "a.example b.example"), -1);
	args_clear(&a);
	ck_assert_int_eq(
	    parse(&a, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.test"), -1);
	ck_assert_ptr_nonnull(strstr(err, "malformed name"));
	args_clear(&a);
	ck_assert_int_eq(parse(&a, "-p"), -1);
	args_clear(&a);
	ck_assert_int_eq(parse(&a, "-x 300.1.1.1"), -1);
	args_clear(&a);
}
END_TEST

START_TEST(args_finish_defaults)
{
	struct args a;
	char *n;

	ck_assert_int_eq(parse(&a, ""), 0);
	args_finish(&a);
	n = qname_str(&a);
	ck_assert_str_eq(n, ".");
	ck_assert_int_eq(a.q.qtype, LDNS_RR_TYPE_NS);
	free(n);
	args_clear(&a);

	ck_assert_int_eq(parse(&a, "example.test"), 0);
	args_finish(&a);
	ck_assert_int_eq(a.q.qtype, LDNS_RR_TYPE_A);
	args_clear(&a);

	ck_assert_int_eq(parse(&a, "-x 127.0.53.1 -p 5353 @127.0.0.1 @127.0.0.2#53"), 0);
	args_finish(&a);
	n = qname_str(&a);
	ck_assert_str_eq(n, "1.53.0.127.in-addr.arpa.");
	free(n);
	ck_assert_int_eq(a.q.qtype, LDNS_RR_TYPE_PTR);
	ck_assert_uint_eq(ntohs(((struct sockaddr_in *)&a.servers[0].addr)->sin_port), 5353);
	ck_assert_uint_eq(ntohs(((struct sockaddr_in *)&a.servers[1].addr)->sin_port), 53);
	args_clear(&a);
}
END_TEST

START_TEST(args_parse_line_on_top)
{
	struct args a;
	char *n;

	ck_assert_int_eq(parse(&a, "@127.0.53.1 @127.0.53.2 example.test MX"), 0);
	ck_assert_uint_eq(a.nservers, 2);
	/* the prompt: only the type changes */
	ck_assert_int_eq(args_parse_line(&a, "AAAA", err, sizeof(err)), 0);
	ck_assert_int_eq(a.q.qtype, LDNS_RR_TYPE_AAAA);
	n = qname_str(&a);
	ck_assert_str_eq(n, "example.test.");
	free(n);
	ck_assert_uint_eq(a.nservers, 2);
	/* a new @server replaces the list */
	ck_assert_int_eq(args_parse_line(&a, "ttl30.example.test A @127.0.53.53", err, sizeof(err)),
	                 0);
	ck_assert_uint_eq(a.nservers, 1);
	ck_assert_str_eq(a.servers[0].label, "127.0.53.53");
	n = qname_str(&a);
	ck_assert_str_eq(n, "ttl30.example.test.");
	free(n);
	/* -x at the prompt asks PTR even though the earlier line had a type */
	ck_assert_int_eq(args_parse_line(&a, "-x 127.0.53.2", err, sizeof(err)), 0);
	ck_assert_int_eq(a.q.qtype, LDNS_RR_TYPE_PTR);
	ck_assert_int_eq(args_parse_line(&a, "-x 127.0.53.2 TXT", err, sizeof(err)), 0);
	ck_assert_int_eq(a.q.qtype, LDNS_RR_TYPE_TXT);
	args_clear(&a);
}
END_TEST

Suite *suite_args(void)
{
	Suite *s = suite_create("args");
	TCase *tc = tcase_create("server_parse");

	tcase_add_test(tc, server_parse_addresses);
	tcase_add_test(tc, server_parse_rejects);
	tcase_add_test(tc, server_from_resolv_conf_first_nameserver);
	suite_add_tcase(s, tc);
	tc = tcase_create("args_parse");
	tcase_add_test(tc, args_parse_dig_order);
	tcase_add_test(tc, args_parse_options);
	tcase_add_test(tc, args_parse_usage_errors);
	tcase_add_test(tc, args_finish_defaults);
	tcase_add_test(tc, args_parse_line_on_top);
	suite_add_tcase(s, tc);
	return s;
}
