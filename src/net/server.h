/*
 * server.h -- naming the nameserver to ask.
 *
 * Server specs follow dig/kdig: an IPv4 or IPv6 address with an optional "#port"
 * ("127.0.53.1", "127.0.53.1#5353", "::1", "::1#53", "[::1]#53"), or a hostname, which the
 * engine resolves through the default resolver before asking. The default resolver is the
 * first "nameserver" line of a resolv.conf file (resolv.conf(5)).
 */
#ifndef DNSDECK_NET_SERVER_H
#define DNSDECK_NET_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/** Default DNS port (RFC 1035 §4.2). */
#define SERVER_PORT 53

/** A nameserver to ask. */
struct server {
	char *label;                  /**< what the user typed (ASCII, printable), owned */
	char *hostname;               /**< set when label is a name still to resolve, owned */
	uint16_t port;                /**< port, host order */
	struct sockaddr_storage addr; /**< address and port, valid when addrlen > 0 */
	socklen_t addrlen;            /**< 0 while unresolved */
};

/**
 * Parse a server spec (with or without a leading '@').
 * \param[out] s       filled on success; free with server_clear()
 * \param[in]  spec    the text, e.g. "@127.0.53.1#53"
 * \param[out] err     on failure, a message naming the problem
 * \param[in]  errlen  size of err in bytes
 * \return 0, or -1 on a malformed spec (bad port, empty, bad characters in a hostname).
 */
int server_parse(struct server *s, const char *spec, char *err, size_t errlen);

/**
 * Read the first nameserver of a resolv.conf file (resolv.conf(5)).
 * \param[out] s       filled on success; free with server_clear()
 * \param[in]  path    file to read, e.g. "/etc/resolv.conf"
 * \param[out] err     on failure, a message
 * \param[in]  errlen  size of err in bytes
 * \return 0, or -1 when the file cannot be read or names no usable nameserver.
 */
int server_from_resolv_conf(struct server *s, const char *path, char *err, size_t errlen);

/**
 * Set a server's address (after resolving its hostname), keeping its port.
 * \param[in,out] s    the server
 * \param[in]     sa   address (port ignored)
 * \param[in]     len  its length in bytes
 */
void server_set_addr(struct server *s, const struct sockaddr *sa, socklen_t len);

/**
 * Format an address as "127.0.53.1#53" or "::1#53" (dig's style).
 * \param[out] buf     destination (64 bytes is always enough)
 * \param[in]  buflen  size of buf
 * \return buf.
 */
char *server_addr_str(char *buf, size_t buflen, const struct sockaddr *sa);

/** Deep-copy a server. \return 0 or -1 when memory runs out. */
int server_copy(struct server *dst, const struct server *src);

/** Free what a server owns. NULL is a no-op. */
void server_clear(struct server *s);

#endif
