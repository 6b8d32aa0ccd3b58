/*
 * smtp.h -- the optional SMTP reachability probe (dnsdeck --smtp), on libevent.
 *
 * For one address: connect to TCP port 25 (non-blocking, bounded by a timeout), read the 220
 * greeting (RFC 5321 §4.2, multi-line replies "220-..." included), send "EHLO <helo>", read the
 * 250 reply and its extension keywords (RFC 5321 §4.1.1.1), send "QUIT", close. It never sends
 * MAIL FROM. Every byte the peer sent is escaped (esc_raw) before it is stored in the result.
 * Lines are read with a bufferevent and end in CRLF or a bare LF; a reply longer than 64 KiB or a
 * line over 1000 octets with its CRLF ends the probe as a protocol error (RFC 5321 §4.5.3.1.5
 * allows reply lines of 512 octets only; real servers exceed that, so we take the 1000 of a
 * text line, §4.5.3.1.6). Every line of a reply must carry the same code. The 221 answer to
 * QUIT is not awaited. Nothing here prints or blocks.
 */
#ifndef DNSDECK_NET_SMTP_H
#define DNSDECK_NET_SMTP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <event2/event.h>

/** How a probe ended. */
enum smtp_status {
	SMTP_OK = 0,   /**< greeting 220 and EHLO answered (any code) */
	SMTP_REFUSED,  /**< connection refused / unreachable */
	SMTP_TIMEOUT,  /**< no connection or no complete reply in time */
	SMTP_REJECTED, /**< greeting was not 220 (e.g. 554): the server refuses service */
	SMTP_PROTOCOL, /**< garbage, an over-long line, or the peer closed mid-reply */
	SMTP_NETWORK   /**< another socket error */
};

/** The outcome of one probe; owned by the callback (free with smtp_result_free). */
struct smtp_result {
	enum smtp_status status;
	int sys_errno;     /**< errno of a socket failure, 0 otherwise */
	double connect_ms; /**< milliseconds to connect (monotonic), -1 if it never did */
	double total_ms;   /**< milliseconds until the probe ended */
	int greeting_code; /**< 220, 554, ... or 0 when none was read */
	char *banner;      /**< the greeting text after the code (escaped, lines joined
	                        with " / "), or NULL */
	int ehlo_code;     /**< 250, 5xx, ... or 0 */
	char **extensions; /**< EHLO keywords with parameters, escaped ("STARTTLS",
	                        "SIZE 10240000", "PIPELINING"), NULL-terminated, or NULL */
	size_t nextensions;
	bool starttls; /**< STARTTLS was advertised (RFC 3207) */
};

struct smtp_probe;

/**
 * Called once when a probe ends (not when it is cancelled), always from the event loop, never
 * from inside smtp_probe_start; the probe is already freed, so its handle is no longer valid.
 * \param[in] res  the result; the callee owns it
 * \param[in] arg  as given to smtp_probe_start
 */
typedef void (*smtp_done_fn)(struct smtp_result *res, void *arg);

/**
 * Start a probe.
 * \param[in] base        event base (not owned)
 * \param[in] addr        address with the port to connect to (25 normally; tests use others)
 * \param[in] addrlen     its length in bytes
 * \param[in] helo        the name to send in EHLO, copied: 1..255 printable ASCII characters
 *                        without spaces (e.g. "dnsdeck.invalid"), so no CR/LF can be injected
 * \param[in] timeout_ms  overall deadline for the probe in milliseconds
 * \param[in] done        called when it ends (also when the connect fails at once)
 * \param[in] arg         passed to done
 * \return a handle valid until done runs, or NULL with errno EINVAL (bad helo, addrlen larger
 *         than a sockaddr_storage, NULL base/addr/done) or ENOMEM.
 */
struct smtp_probe *smtp_probe_start(struct event_base *base, const struct sockaddr *addr,
                                    socklen_t addrlen, const char *helo, unsigned timeout_ms,
                                    smtp_done_fn done, void *arg);

/** Cancel a running probe (only before its callback ran): its socket closes, its callback
    never runs, everything is freed. NULL is a no-op. */
void smtp_probe_cancel(struct smtp_probe *p);

/** Free a result. NULL is a no-op. */
void smtp_result_free(struct smtp_result *res);

/** "reachable", "refused", "timed out", "rejected", "protocol error", "network error". */
const char *smtp_status_str(enum smtp_status st);

#endif
