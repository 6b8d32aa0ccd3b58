/*
 * record.h -- saved sessions: the recorder, the session file, replaying it, and the diff of two.
 *
 * The recorder keeps a copy of every result the session's transport ends with (the observer
 * of net/transport.h): the server asked, the question, the transport facts and the raw wire
 * reply, stamped with the wall clock and the monotonic time since recording began. Saving
 * writes them, with what the user asked (the lookup's question and servers, the comparison's
 * question, servers and discovery, the MX target), to a session file; loading reads one back
 * and rebuilds the lookup and the comparison offline from the saved wire replies, so that
 * every view shows what was on screen (TTLs as they were at capture). The diff pairs the
 * replies of two files by question and server and says what changed.
 *
 * The file ("dnsdeck-session 1", documented in dnsdeck(1) SESSION FILES) is line-oriented
 * ASCII so that a person reading a ticket can follow it:
 *
 *   dnsdeck-session 1
 *   # comment lines
 *   saved at=2026-11-21T10:04:28.123456789Z t=52.000000 view=lookup results=1 dropped=0
 *     program=dnsdeck/0.1.0
 *   lookup qname=example.test. qtype=MX qclass=IN rd=1 cd=0 ad=0 edns=1 do=0 nsid=0 bufsize=1232
 *   lookup-server label=127.0.53.1 hostname=- port=53 addr=127.0.53.1#53 reply=1 resolve=-
 *   result 1 at=2026-11-21T10:04:28.101000000Z t=50.125000 server=127.0.53.1#53
 *     qname=example.test. ... status=ok errno=0 tcp=0 tc_retry=0 rtt=0.412 tries=1 ... wire=HEX
 *
 * (the "saved" and "result" lines are one line each; they are folded here). Every value is
 * printable ASCII without blanks: in labels, host names and targets other bytes, blanks and
 * '\' are written as \DDD; names are ldns presentation text; wire bytes are hexadecimal.
 * The file is untrusted input when read back: its size and line lengths are bounded, every
 * field is checked (numbers in range, names through ldns, addresses numeric, references to
 * existing results, a reply that answers the recorded question), and the first problem is
 * reported as "FILE:LINE: reason". Wire bytes are only ever interpreted by ldns. Nothing here
 * prints or exits.
 */
#ifndef DNSDECK_ENGINE_RECORD_H
#define DNSDECK_ENGINE_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <sys/socket.h>
#include "dns/query.h"
#include "engine/args.h"
#include "engine/ask.h"
#include "engine/lookup.h"
#include "engine/prop.h"
#include "net/server.h"
#include "net/transport.h"

/** The version this code writes and the newest it reads. */
#define RECORD_VERSION 1

/** A session file larger than this is refused (bytes). */
#define RECORD_FILE_MAX (64u * 1024 * 1024)

/** A line longer than this is refused (bytes, the newline excluded). */
#define RECORD_LINE_MAX (256u * 1024)

/** The recorder keeps at most this many results; beyond it the oldest are dropped. */
#define RECORD_KEEP_MAX 20000

/** Which view the user was looking at (the file's "view=" word). */
enum record_view {
	RECORD_VIEW_LOOKUP = 0, /**< "lookup" */
	RECORD_VIEW_COMPARE,    /**< "compare" */
	RECORD_VIEW_MX          /**< "mx" */
};

/** One result, as recorded or as read from a file. */
struct record_entry {
	uint64_t seq;                 /**< the recorder's running number (1 for the first) */
	char server[64];              /**< the address asked, "127.0.53.1#53" */
	struct sockaddr_storage addr; /**< the same address */
	socklen_t addrlen;            /**< its length */
	struct query_spec q;          /**< the question and header bits asked, owned */
	struct net_result res;        /**< the transport's result; res.wire owned. Read from a
	                                   file, res.rx_mono is zero: replay sets it */
	bool have_rx;                 /**< the result carried receive times (res.rx_*) */
	int64_t t_ns;                 /**< when it ended: ns since recording began (monotonic;
	                                   the receive time when have_rx) */
	struct timespec at;           /**< when it ended, wall clock (res.rx_wall when have_rx) */
};

struct record;

/**
 * Start recording; time 0 is now (CLOCK_MONOTONIC).
 * \return the recorder, or NULL when memory runs out. Free with record_free().
 */
struct record *record_new(void);

/** Free a recorder and every copy it holds. NULL is a no-op. */
void record_free(struct record *r);

/**
 * Keep a copy of one result (the transport observer's arguments, net_observe_fn).
 * \return 0, or -1 when memory runs out (the result is not recorded then).
 */
int record_add(struct record *r, const struct sockaddr *server, socklen_t len,
               const struct query_spec *q, const struct net_result *res);

/** The running number the next result will get; a mark for "everything from here on". */
uint64_t record_next_seq(const struct record *r);

/** Results held (the oldest may have been dropped, see RECORD_KEEP_MAX). */
size_t record_count(const struct record *r);

/** Result i (0 = the oldest held). */
const struct record_entry *record_at(const struct record *r, size_t i);

/** What the session shows, for record_write(): every pointer may be NULL (no such view). */
struct record_views {
	enum record_view view;                /**< the view on screen */
	const struct lookup *lookup;          /**< the lookup view's job */
	const struct server *lookup_resolver; /**< its resolver for server names, or NULL */
	const struct prop *prop;              /**< the comparison */
	const struct server *prop_servers;    /**< the servers it was given (as typed) */
	size_t prop_nservers;                 /**< how many */
	bool prop_auth;                       /**< it discovers authoritative servers */
	const struct server *prop_resolver;   /**< its resolver (names, discovery), or NULL */
	uint64_t prop_first;                  /**< record_next_seq() when it began */
	const char *mx_target;                /**< the MX plan's target, or NULL */
	bool mx_smtp;                         /**< the plan ran the SMTP probe */
	uint64_t mx_first;                    /**< record_next_seq() when it began */
};

/**
 * Write a session file (see the file comment) to a stream.
 * \param[in] f  the stream
 * \param[in] r  the recorder
 * \param[in] v  what the session shows
 * \return 0, or -1 on a write error or when memory runs out.
 */
int record_write(FILE *f, const struct record *r, const struct record_views *v);

/**
 * Write a session file to path, atomically (a temporary file in the same directory, renamed
 * over path once complete; mode 0666 less the umask).
 * \param[out] err     on failure, why ("cannot create FILE: reason")
 * \return 0, or -1 with err set.
 */
int record_save(const struct record *r, const struct record_views *v, const char *path, char *err,
                size_t errlen);

/** A session file read back. */
struct record_file;

/**
 * Read and check a session file (see the file comment).
 * \param[in]  path    the file
 * \param[out] err     on failure "PATH:LINE: reason" (or "PATH: reason"), escaped ASCII
 * \param[in]  errlen  size of err (300 bytes is enough)
 * \return the file, or NULL with err set. Free with record_file_free().
 */
struct record_file *record_read(const char *path, char *err, size_t errlen);

/** The same from an open stream; name is used in messages. */
struct record_file *record_parse(FILE *f, const char *name, char *err, size_t errlen);

/** Free a file read back. NULL is a no-op. */
void record_file_free(struct record_file *f);

/** The view that was on screen. */
enum record_view record_file_view(const struct record_file *f);

/** The file's results, in file order. */
size_t record_file_count(const struct record_file *f);
const struct record_entry *record_file_at(const struct record_file *f, size_t i);

/** Whether the file holds a lookup view, a comparison, an MX plan. */
bool record_file_has_lookup(const struct record_file *f);
bool record_file_has_prop(const struct record_file *f);

/** The MX plan's target (escaped ASCII), or NULL without one. */
const char *record_file_mx_target(const struct record_file *f);

/**
 * The moment the views are frozen at: the newest receive time of the lookup's replies (else
 * of the comparison's, else of any result), ns since recording began, and that moment on the
 * wall clock. TTLs shown at this moment are the TTLs as they were received.
 */
void record_file_frozen(const struct record_file *f, int64_t *t_ns, struct timespec *wall);

/**
 * The question and servers of the file's lookup view or comparison as parsed arguments (for
 * the session's status line, prompt and 'r'), and the resolver it used.
 * \param[in]  which     RECORD_VIEW_LOOKUP or RECORD_VIEW_COMPARE (whose --auth is set too)
 * \param[out] a         initialised and filled (free with args_clear); cleared on failure
 * \param[out] resolver  its resolver (server_clear it), addrlen 0 when the file has none
 * \return 0, or -1 when memory runs out or the file has no such view.
 */
int record_file_args(const struct record_file *f, enum record_view which, struct args *a,
                     struct server *resolver);

/**
 * Rebuild the lookup view offline: lookup_new() without a transport, each server's saved
 * results handed over with lookup_deliver() in the order they arrived.
 * \param[in]  f        the file (record_file_has_lookup)
 * \param[in]  base_ns  the CLOCK_MONOTONIC moment (ns) that stands for the file's t=0: every
 *                      result's rx_mono becomes base_ns + t
 * \param[in]  fn, arg  the lookup's change callback
 * \param[out] err      on failure, why
 * \return the lookup (done unless it was still waiting when saved), or NULL with err set.
 */
struct lookup *record_lookup_replay(const struct record_file *f, int64_t base_ns,
                                    lookup_change_fn fn, void *arg, char *err, size_t errlen);

/**
 * Rebuild the comparison offline: prop_new() without a transport; server names and discovery
 * are answered by a fake asker (ask_new_fake) from the saved replies of the resolver, rows by
 * prop_deliver() from their saved replies. Discovered servers come in the order their
 * questions were asked (the original run used the order the answers arrived; with one
 * resolver answering in turn they are the same).
 * \param[out] asker    the fake asker the comparison keeps using; free it after the
 *                      comparison (NULL when the comparison has no resolver)
 * \return the comparison, or NULL with err set (a reply the comparison needs is missing).
 */
struct prop *record_prop_replay(const struct record_file *f, int64_t base_ns, prop_change_fn fn,
                                void *arg, struct ask **asker, char *err, size_t errlen);

/**
 * Hand every result of a file to a recorder as if it had just been observed (keeping its
 * times), so that a session loaded from a file can be saved again.
 * \return 0, or -1 when memory runs out.
 */
int record_add_file(struct record *r, const struct record_file *f);

/** How one (question, server) pair differs between two files. */
enum record_change_kind {
	RECORD_ONLY_A = 0, /**< asked only in the first file */
	RECORD_ONLY_B,     /**< asked only in the second file */
	RECORD_CHANGED     /**< asked in both, with different results */
};

/** One difference. Strings are escaped ASCII. */
struct record_change {
	enum record_change_kind kind;
	char *question;        /**< "example.test. MX IN" */
	char *server_a;        /**< the server in the first file ("127.0.53.1#53"), or NULL */
	char *server_b;        /**< the server in the second file, or NULL */
	char *outcome_a;       /**< "NOERROR", "NXDOMAIN", "timed out" ... (ONLY_A, CHANGED) */
	char *outcome_b;       /**< the same for the second file */
	bool outcome_changed;  /**< outcome_a and outcome_b differ */
	bool have_serial_a;    /**< the first reply holds an SOA (answer or authority) */
	bool have_serial_b;    /**< the second does */
	uint32_t serial_a;     /**< its serial */
	uint32_t serial_b;     /**< the second's */
	ldns_rr_list *removed; /**< answer RRs only in the first (canonical, TTL ignored) */
	ldns_rr_list *added;   /**< answer RRs only in the second */
};

/** The differences between two files. */
struct record_diff {
	struct record_change *v; /**< in the order of the first file, then the second's own */
	size_t n;                /**< how many; 0 = the files agree */
	struct timespec saved_a; /**< when the first file was saved (wall clock) */
	struct timespec saved_b; /**< when the second was */
};

/**
 * Compare two session files (see dnsdeck(1) --diff). For every question (name, type, class)
 * and server, the newest result of each file is compared: the outcome (rcode or transport
 * failure), the answer RRs (rrset_minus both ways) and the SOA serial. A question asked of
 * exactly one server in each file, a different one in each, is compared across the two
 * servers (the same question before and after a move); the change names both servers.
 * \param[out] d  filled (free with record_diff_clear)
 * \return 0, or -1 when memory runs out.
 */
int record_diff(const struct record_file *a, const struct record_file *b, struct record_diff *d);

/** Free what a diff holds. */
void record_diff_clear(struct record_diff *d);

/**
 * Lower-case hexadecimal of bytes.
 * \param[out] dst  2 * len + 1 bytes
 */
void record_hex(char *dst, const uint8_t *src, size_t len);

/**
 * Bytes of a hexadecimal text (either case).
 * \param[out] dst     room for len / 2 bytes
 * \param[in]  src     the text
 * \param[in]  len     its length; must be even
 * \return 0, or -1 on an odd length or a character that is not a hex digit.
 */
int record_unhex(uint8_t *dst, const char *src, size_t len);

/**
 * Quote a string for a file value: bytes 0x21..0x7E except '\' kept, every other byte \DDD.
 * \return a newly allocated string (caller frees), or NULL when memory runs out.
 */
char *record_quote(const char *s);

/**
 * Undo record_quote: \DDD (three decimal digits, at most 255) is the only escape.
 * \param[out] out  newly allocated string (caller frees)
 * \return 0, or -1 on a bad escape, a blank, a byte outside 0x21..0x7E, an escaped NUL, or
 *         when memory runs out.
 */
int record_unquote(const char *s, char **out);

/**
 * RFC 3339 UTC time with nanoseconds ("2026-11-21T10:04:28.123456789Z").
 * \param[out] buf  at least 32 bytes
 */
char *record_time_str(char *buf, size_t len, const struct timespec *ts);

/**
 * Parse record_time_str's form (the fraction may have 1 to 9 digits, or be absent).
 * \return 0, or -1 when the text is not such a time.
 */
int record_time_parse(const char *s, struct timespec *ts);

#endif
