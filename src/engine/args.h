/*
 * args.h -- dig-style command lines, for the program's argv and the TUI's ':' prompt alike.
 *
 * Syntax: [@server ...] [name] [type] [class] [+options] [-options]. Type and class may come
 * in either order and are recognised by their mnemonics (RFC 3597 TYPEnnn/CLASSnnn too); the
 * first other word is the name. dig's rules for defaults: no name at all asks ". NS"; a name
 * without a type asks A.
 *   +time=S +tries=N +retry=N +tcp/+notcp +ignore/+noignore +rec/+norec +dnssec/+nodnssec
 *   +cd/+nocd +adflag/+noadflag +edns/+noedns +bufsize=B +nsid/+nonsid
 *   +trace (resolve from the root, engine/trace.h)  --root-hints FILE (its root hints)
 *   -t TYPE  -c CLASS  -p PORT  -x ADDRESS (reverse lookup, RFC 1035 §3.5, RFC 3596 §2.5)
 *   --text --json --tui --resolv-conf FILE --help --version
 *   --mx DOMAIN|ADDRESS (the MX failover plan)  --smtp (probe the exchanges on port 25)
 *   -C (compare the servers)  --auth (add the zone's authoritative servers)
 *   --servers FILE (servers, one per line: "ADDRESS [LABEL]")  --public (known resolvers)
 *   --explain (with text output: explain every field shown, with its RFC)
 *   --watch (ask again as answers expire)  --interval S (every S seconds instead)
 *   --count N (with --watch: stop after N lines)
 *   --save FILE (write the session to FILE afterwards)  --load FILE (reopen one offline)
 *   --diff A B (what changed between two saved sessions)
 */
#ifndef DNSDECK_ENGINE_ARGS_H
#define DNSDECK_ENGINE_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include "dns/query.h"
#include "net/server.h"
#include "net/transport.h"

/** How results are shown. */
enum args_mode {
	ARGS_MODE_AUTO = 0, /**< TUI when stdout is a terminal, text otherwise */
	ARGS_MODE_TUI,      /**< --tui */
	ARGS_MODE_TEXT,     /**< --text */
	ARGS_MODE_JSON      /**< --json */
};

/** A parsed command line. */
struct args {
	struct server *servers; /**< @servers in the order given, owned */
	size_t nservers;        /**< how many */
	struct query_spec q;    /**< question and header bits (qname set after parsing) */
	bool have_name;         /**< a name (or -x) was given */
	bool have_type;         /**< a type was given */
	uint16_t port;          /**< -p PORT for servers without #port; 0 = 53 */
	struct net_opts net;    /**< +time, +tries, +tcp, +ignore */
	enum args_mode mode;    /**< --text / --json / --tui */
	char *resolv_conf;      /**< --resolv-conf FILE, owned; NULL = /etc/resolv.conf */
	char *mx_target;        /**< --mx DOMAIN or user@DOMAIN, owned; NULL = no plan */
	bool trace;             /**< +trace: iterative resolution from the root hints */
	char *root_hints;       /**< --root-hints FILE, owned; NULL = TRACE_ROOT_HINTS */
	bool smtp;              /**< --smtp: probe the exchanges on TCP port 25 */
	bool compare;           /**< -C: the propagation comparison */
	bool auth;              /**< --auth: discover and add the authoritative servers */
	bool explain;           /**< --explain: text output explains each field (dns/explain.h) */
	bool watch;             /**< --watch: ask again as answers expire, print changes */
	unsigned interval_s;    /**< --interval S: ask again every S seconds (0 = at expiry) */
	unsigned long count;    /**< --count N: stop --watch after N lines (0 = never) */
	char *save_file;        /**< --save FILE: the session file to write, owned; NULL = none */
	char *load_file;        /**< --load FILE: the session file to reopen, owned; NULL = none */
	char *diff_a, *diff_b;  /**< --diff A B: the session files to compare, owned; NULL = none */
	bool help;              /**< --help or -h */
	bool version;           /**< --version or -v */
};

/**
 * Initialise with the defaults (no servers, dig's query defaults, net_opts_init()).
 */
void args_init(struct args *a);

/**
 * Parse words into a. Words may be applied on top of earlier ones (the TUI prompt starts from
 * the current query, so "AAAA" alone changes just the type). After the last word, call
 * args_finish().
 * \param[in,out] a      receives the settings
 * \param[in]     argc   number of words
 * \param[in]     argv   the words (not kept)
 * \param[out]    err    on failure, a message naming the bad word
 * \param[in]     errlen size of err in bytes
 * \return 0, or -1 on a usage error (unknown option, bad number, malformed name or server).
 */
int args_parse(struct args *a, int argc, char *const argv[], char *err, size_t errlen);

/**
 * Split a prompt line on blanks and parse it with args_parse().
 * \return 0 or -1 as args_parse (also -1 when the line has more than 64 words).
 */
int args_parse_line(struct args *a, const char *line, char *err, size_t errlen);

/**
 * Apply dig's defaults after parsing: no name -> ". NS"; name without type -> A; -p applied
 * to servers that had no #port.
 */
void args_finish(struct args *a);

/** Free what a owns. */
void args_clear(struct args *a);

#endif
