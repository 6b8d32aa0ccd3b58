/*
 * mxplan.h -- the MX failover plan: where a sending MTA would deliver mail for a domain,
 * in which order, and everything that is wrong with it.
 *
 * The sender's algorithm of RFC 5321 §5.1, run as a plan rather than a delivery:
 *  1. MX for the domain. NXDOMAIN: the domain does not exist (mode NONE).
 *  2. A single MX "0 ." is a null MX (RFC 7505 §3): the domain accepts no mail (mode NULL).
 *     A null MX beside other MX records is an error, and is left out of the plan.
 *  3. No MX (NODATA): the domain itself is the implicit MX with preference 0 (RFC 5321 §5.1),
 *     if it has an A or AAAA record (mode IMPLICIT); otherwise there is no mail route (NONE).
 *  4. Otherwise (mode MX) the exchanges are sorted by preference; exchanges of equal
 *     preference form one step whose members a sender tries in random order ("MUST
 *     randomize", RFC 5321 §5.1), so a step lists them without a fake order. A duplicate
 *     exchange is collapsed with a note.
 *  5. Every exchange is resolved to AAAA and A, all in parallel; each address carries its
 *     TTL, its PTR and whether the PTR name resolves back to it (forward-confirmed rDNS).
 * Alongside: SPF (TXT "v=spf1" at the domain, RFC 7208), DMARC (_dmarc, RFC 7489), MTA-STS
 * (_mta-sts, RFC 8461) and TLS-RPT (_smtp._tls, RFC 8460). With the SMTP probe enabled, every
 * address is probed on port 25 (net/smtp.h) once it is known. Given a transport
 * (opts.auth_net), the MX RRset is also asked of every authoritative server of the domain
 * (the propagation comparison with --auth, RD=0), and a disagreement is a finding.
 *
 * Findings name each problem with a stable code, a severity, its RFC and a one-line message.
 * All strings in the model are escaped ASCII (dns/escape.h). The plan never prints; it calls
 * its change callback after every step.
 */
#ifndef DNSDECK_ENGINE_MXPLAN_H
#define DNSDECK_ENGINE_MXPLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <event2/event.h>
#include "engine/ask.h"
#include "net/transport.h"
#include "net/smtp.h"

/** What kind of mail route the domain has (JSON "mode"). */
enum mx_mode {
	MX_MODE_PENDING = 0, /**< the MX answer has not arrived yet */
	MX_MODE_MX,          /**< explicit MX records ("mx") */
	MX_MODE_NULL,        /**< null MX, RFC 7505 ("null-mx") */
	MX_MODE_IMPLICIT,    /**< no MX, the domain's own address records ("implicit") */
	MX_MODE_NONE         /**< no mail route at all ("none") */
};

/** How bad a finding is. */
enum mx_severity { MX_SEV_INFO = 0, MX_SEV_WARNING, MX_SEV_ERROR };

/** What we know of an exchange's addresses. */
enum mx_xstate {
	MX_X_PENDING = 0, /**< A/AAAA questions outstanding */
	MX_X_RESOLVED,    /**< at least one address */
	MX_X_NXDOMAIN,    /**< the exchange name does not exist */
	MX_X_NODATA,      /**< the name exists but has no A or AAAA */
	MX_X_FAILED       /**< the lookups failed (timeout, SERVFAIL, ...) */
};

/** Forward-confirmed reverse DNS of one address. */
enum mx_fcrdns {
	MX_FCRDNS_PENDING = 0, /**< PTR or its forward lookup outstanding */
	MX_FCRDNS_NO_PTR,      /**< no PTR record (or the lookup failed) */
	MX_FCRDNS_OK,          /**< the PTR name resolves back to this address */
	MX_FCRDNS_MISMATCH     /**< the PTR name does not resolve back to this address */
};

/** One address of an exchange. */
struct mx_address {
	int family;               /**< AF_INET or AF_INET6 */
	uint8_t addr[16];         /**< network byte order (4 or 16 bytes used) */
	char text[48];            /**< "198.51.100.11" or "2001:db8::11" */
	uint32_t ttl;             /**< TTL of the A/AAAA RRset in seconds, as received */
	int64_t rx_ms;            /**< when it was received (monotonic ms, dns/ttl.h): the
	                               countdown's start */
	bool special;             /**< a special-purpose address (RFC 6890) */
	const char *special_name; /**< e.g. "documentation (RFC 5737)", or NULL */
	char *ptr;                /**< first PTR name (escaped), or NULL */
	enum mx_fcrdns fcrdns;
	struct smtp_result *smtp; /**< the SMTP probe's result, NULL if not probed (yet) */
	bool smtp_pending;        /**< a probe is running */
};

/** One exchange (an MX target host, or the domain itself for an implicit MX). */
struct mx_exchange {
	char *name;          /**< exchange as in the MX rdata (escaped), "." for null MX */
	uint16_t preference; /**< MX preference (0 for an implicit MX) */
	enum mx_xstate state;
	char *alias_target;       /**< the CNAME target when the exchange is an alias, or NULL */
	bool ip_literal;          /**< the exchange is an IP address written as a name */
	struct mx_address *addrs; /**< IPv6 first, then IPv4 (RFC 6724 default policy) */
	size_t naddrs;
	unsigned duplicates; /**< how many more times the MX RRset named it */
};

/** One delivery step: the exchanges of one preference, tried in random order. */
struct mx_step {
	uint16_t preference;
	size_t first; /**< index of its first exchange in mxplan_exchange() order */
	size_t count; /**< exchanges in this step (2 or more: an equal-preference group) */
};

/** One finding. */
struct mx_finding {
	const char *code; /**< stable identifier, e.g. "exchange-cname" (static) */
	enum mx_severity severity;
	const char *rfc;         /**< e.g. "RFC 2181 §10.3" (static) */
	char *subject;           /**< what it is about (escaped): a name or address, or NULL */
	char *message;           /**< one line (escaped) */
	const char *explanation; /**< a few sentences for the detail view (static) */
};

/** A mail-related TXT record set (SPF, DMARC, MTA-STS, TLS-RPT). */
struct mx_record {
	const char *kind; /**< "SPF", "DMARC", "MTA-STS", "TLS-RPT" (static) */
	char *owner;      /**< the name asked, e.g. "_dmarc.example.test." (escaped) */
	const char *rfc;  /**< e.g. "RFC 7489" (static) */
	bool done;        /**< the answer arrived (or failed) */
	char **texts;     /**< matching TXT records, presentation form (escaped) */
	size_t ntexts;
	char *error; /**< NULL, or why the lookup failed */
};

/** Where mail would go now, after the SMTP probe (RFC 5321 §5.1 order). */
struct mx_verdict {
	bool probed; /**< the SMTP probe is on for this plan (--smtp) */
	bool known;  /**< every probe ended */
	const struct mx_exchange *first_reachable; /**< NULL when none answered */
	const struct mx_address *address;          /**< its address that answered */
	char *summary; /**< "first reachable: smtp2.example.test. (pref 20) -- ..." */
};

struct mxplan;

/** Called after every change of a plan. */
typedef void (*mxplan_change_fn)(struct mxplan *p, void *arg);

/** Options of a plan. */
struct mxplan_opts {
	bool smtp;                /**< run the SMTP probe (--smtp) */
	uint16_t smtp_port;       /**< port to probe, default 25 */
	unsigned smtp_timeout_ms; /**< per-address deadline in milliseconds (default 5000) */
	unsigned smtp_max;        /**< at most this many addresses are probed (default 16) */
	struct net *auth_net;     /**< transport for asking the domain's MX RRset of every
	                               authoritative server (engine/prop.h, --auth); NULL = no
	                               comparison (not owned) */
};

/** Defaults: no probe, port 25, 5000 ms, 16 addresses. */
void mxplan_opts_init(struct mxplan_opts *o);

/**
 * Domain of a mail address or a domain: "user@example.test" -> "example.test",
 * "example.test" -> "example.test". The domain follows the last '@', since a quoted local
 * part may itself contain '@' (RFC 5321 §4.1.2).
 * \param[in]  input   what the user typed
 * \param[out] err     why it is unusable (empty local part, empty domain)
 * \param[in]  errlen  size of err
 * \return a newly allocated domain (caller frees), or NULL with err set.
 */
char *mxplan_domain_of(const char *input, char *err, size_t errlen);

/**
 * Create a plan and ask its first questions.
 * \param[in] ask     how to ask (not owned; must outlive the plan)
 * \param[in] base    event base for the SMTP probe; may be NULL when opts->smtp is false
 * \param[in] domain  the domain (presentation format; made absolute)
 * \param[in] opts    options (copied); NULL for the defaults
 * \param[in] fn      change callback, may be NULL
 * \param[in] arg     passed to fn
 * \return the plan, or NULL when the domain is malformed or memory runs out. Free with
 *         mxplan_free().
 */
struct mxplan *mxplan_new(struct ask *ask, struct event_base *base, const char *domain,
                          const struct mxplan_opts *opts, mxplan_change_fn fn, void *arg);

/** Cancel everything outstanding and free the plan. NULL is a no-op. */
void mxplan_free(struct mxplan *p);

/** True when every question (and probe) has ended. */
bool mxplan_done(const struct mxplan *p);

/** The domain (escaped, absolute). */
const char *mxplan_domain(const struct mxplan *p);

/** The mode. */
enum mx_mode mxplan_mode(const struct mxplan *p);

/** "mx", "null-mx", "implicit", "none" or "pending" (the JSON words). */
const char *mxplan_mode_str(enum mx_mode m);

/** Steps in delivery order. */
size_t mxplan_nsteps(const struct mxplan *p);
const struct mx_step *mxplan_step(const struct mxplan *p, size_t i);

/** Exchanges, step by step (within a step sorted by name, which is not an order). */
size_t mxplan_nexchanges(const struct mxplan *p);
const struct mx_exchange *mxplan_exchange(const struct mxplan *p, size_t i);

/** Findings, errors first, then warnings, then infos. */
size_t mxplan_nfindings(const struct mxplan *p);
const struct mx_finding *mxplan_finding(const struct mxplan *p, size_t i);

/** Mail records: SPF, DMARC, MTA-STS, TLS-RPT in that order. */
size_t mxplan_nrecords(const struct mxplan *p);
const struct mx_record *mxplan_record(const struct mxplan *p, size_t i);

/** The SMTP verdict (known is false without --smtp or while probes run). */
const struct mx_verdict *mxplan_verdict(const struct mxplan *p);

/** "error", "warning", "info". */
const char *mxplan_severity_str(enum mx_severity s);

#endif
