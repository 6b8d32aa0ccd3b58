/*
 * tests.h -- the Check suites of dnsdeck, one suite_<module>() per module, run by tests/main.c,
 * and the helpers they share (tests/testutil.c).
 */
#ifndef DNSDECK_TESTS_H
#define DNSDECK_TESTS_H

#include <check.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <ldns/ldns.h>

Suite *suite_escape(void);
Suite *suite_query(void);
Suite *suite_reply(void);
Suite *suite_args(void);
Suite *suite_lookup(void);
Suite *suite_json(void);
Suite *suite_net(void);
Suite *suite_smtp(void);
Suite *suite_mxplan(void);
Suite *suite_mxout(void);
Suite *suite_prop(void);
Suite *suite_propout(void);
Suite *suite_explain(void);
Suite *suite_trace(void);
Suite *suite_record(void);
Suite *suite_ttl(void);
Suite *suite_view(void);

/**
 * Build a canned reply packet in wire form.
 * \param[in]  qname    question name, presentation format
 * \param[in]  qtype    question type
 * \param[in]  id       message ID
 * \param[in]  rcode    header RCODE
 * \param[in]  answer   NULL-terminated list of RRs in zone-file text for the answer section
 *                      (may be NULL)
 * \param[out] len      wire length in bytes
 * \return malloc'd wire bytes; the test fails (ck_abort) on any error.
 */
uint8_t *tu_reply_wire(const char *qname, ldns_rr_type qtype, uint16_t id, ldns_pkt_rcode rcode,
                       const char *const *answer, size_t *len);

/**
 * Parse wire bytes into a packet; the test fails on a parse error. Caller ldns_pkt_free()s.
 */
ldns_pkt *tu_pkt(const uint8_t *wire, size_t len);

/** Wall-clock receive time tu_result() stamps on results: 2026-11-21 09:53:05 UTC. */
#define TU_WHEN_SECONDS 1795254785

struct lookup;
struct net_result;

/**
 * A lookup job without a transport, for lookup_deliver(): name/type asked of 127.0.53.1,
 * and of 127.0.53.2 too when nservers is 2. Caller lookup_free()s.
 */
struct lookup *tu_lookup(const char *name, ldns_rr_type type, size_t nservers);

/**
 * A transport result as the transport hands it over: status st, wire owned by the result,
 * one try, RTT 1.23456 ms, received at TU_WHEN_SECONDS.
 */
struct net_result *tu_result(int st, uint8_t *wire, size_t len);

/** What a renderer writes, captured in memory (open_memstream). */
struct tu_capture {
	FILE *f;    /**< the stream to hand to the renderer */
	char *buf;  /**< after tu_capture_close: the bytes plus a NUL (the test frees it) */
	size_t len; /**< their number */
};

/** Open a capture; the test fails if the stream cannot be made. */
void tu_capture_open(struct tu_capture *c);

/** Close a capture; c->buf then holds c->len bytes plus a NUL (free it). */
void tu_capture_close(struct tu_capture *c);

#endif
