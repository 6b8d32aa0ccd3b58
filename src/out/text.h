/*
 * text.h -- dig-like plain text rendering of a lookup (the --text output).
 *
 * Per reply, as dig 9.18 prints it: ";; Truncated, retrying in TCP mode." when TC made us
 * retry, ";; Got answer:", a ";; ->>HEADER<<-" line with opcode, status and id, the flags
 * line with the four counts, the OPT pseudosection, the question, answer, authority and
 * additional sections in tab-aligned columns (dig's tab stops, moved out for a whole section
 * when a wider owner, TTL, class or type needs it), then ";; Query time", ";; SERVER",
 * ";; WHEN" and ";; MSG SIZE  rcvd", and dnsdeck's ";; TRANSPORT: udp, tries: 1,
 * discarded: 0". A server without a usable reply gets one ";; <server>: <error>" line.
 * Replies are separated by a blank line. All network text is escaped (dns/rrtext.h): only
 * printable ASCII, tabs and newlines are written.
 *
 * --explain (text_lookup_explain): the same output with ";;   " comment lines after each
 * header line, flag, EDNS option, section heading and RR that explain it in plain words with
 * its RFC (dns/explain.h), each concept once per output. Dropping the lines that start with
 * ";;   " gives back exactly the output of text_lookup_print().
 */
#ifndef DNSDECK_OUT_TEXT_H
#define DNSDECK_OUT_TEXT_H

#include <stdio.h>
#include "engine/lookup.h"

/**
 * Print every reply of a lookup as text.
 * \param[in] f  stream to write to
 * \param[in] l  the lookup (normally done)
 * \return 0, or -1 on a write error or when memory runs out.
 */
int text_lookup_print(FILE *f, const struct lookup *l);

/**
 * Print every reply of a lookup as text_lookup_print() does, with the explanation lines of
 * --explain: ";;   <text> (RFC ...)", wrapped at 100 columns (continuations ";;     "),
 * printable ASCII only ("§" written "section ").
 * \param[in] f  stream to write to
 * \param[in] l  the lookup (normally done)
 * \return 0, or -1 on a write error or when memory runs out.
 */
int text_lookup_explain(FILE *f, const struct lookup *l);

#endif
