/*
 * server.c -- server specs and resolv.conf (see server.h).
 */
#include "config.h"
#include "net/server.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parse a numeric address (no name lookups: AI_NUMERICHOST). */
static int server_numeric(const char *host, struct sockaddr_storage *ss, socklen_t *len)
{
	struct addrinfo hints, *res = NULL;

	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST;
	hints.ai_socktype = SOCK_DGRAM;
	if (getaddrinfo(host, NULL, &hints, &res) != 0 || res == NULL)
		return -1;
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

static void server_set_port(struct sockaddr_storage *ss, uint16_t port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
}

/* A hostname we are willing to resolve: LDH labels plus '_' , at most 253 characters. */
static int server_hostname_ok(const char *h)
{
	size_t n = strlen(h);

	if (n == 0 || n > 254)
		return 0;
	for (const char *p = h; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '.' && *p != '_')
			return 0;
	return strstr(h, "..") == NULL && h[0] != '.';
}

int server_parse(struct server *s, const char *spec, char *err, size_t errlen)
{
	char host[300];
	const char *hash;
	unsigned long port = SERVER_PORT;
	size_t hl;

	memset(s, 0, sizeof(*s));
	if (spec[0] == '@')
		spec++;
	if (*spec == '\0') {
		snprintf(err, errlen, "empty server after '@'");
		return -1;
	}
	hash = strrchr(spec, '#');
	hl = hash ? (size_t)(hash - spec) : strlen(spec);
	if (hash != NULL) {
		char *end;
		errno = 0;
		port = strtoul(hash + 1, &end, 10);
		/* digits only: strtoul would also take blanks and a sign (found by fuzz_args) */
		if (!isdigit((unsigned char)hash[1]) || *end != '\0' || errno != 0 || port == 0 ||
		    port > 65535) {
			snprintf(err, errlen, "bad port in server '%.64s'", spec);
			return -1;
		}
	}
	if (hl >= sizeof(host)) {
		snprintf(err, errlen, "server name too long");
		return -1;
	}
	memcpy(host, spec, hl);
	host[hl] = '\0';
	/* "[::1]#53" and "[::1]" */
	if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
		memmove(host, host + 1, hl - 2);
		host[hl - 2] = '\0';
	}
	s->port = (uint16_t)port;
	if (server_numeric(host, &s->addr, &s->addrlen) == 0) {
		server_set_port(&s->addr, s->port);
	} else if (server_hostname_ok(host)) {
		s->hostname = strdup(host);
		if (s->hostname == NULL)
			goto nomem;
	} else {
		snprintf(err, errlen, "'%.64s' is neither an IP address nor a host name", host);
		return -1;
	}
	s->label = strndup(spec, 255);
	if (s->label == NULL)
		goto nomem;
	return 0;
nomem:
	server_clear(s);
	snprintf(err, errlen, "out of memory");
	return -1;
}

int server_from_resolv_conf(struct server *s, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[512];

	memset(s, 0, sizeof(*s));
	if (f == NULL) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *save = NULL, *kw = strtok_r(line, " \t\r\n", &save);
		char *addr = kw ? strtok_r(NULL, " \t\r\n", &save) : NULL;

		if (kw == NULL || strcmp(kw, "nameserver") != 0 || addr == NULL)
			continue;
		if (server_numeric(addr, &s->addr, &s->addrlen) != 0)
			continue; /* resolv.conf(5) allows only addresses here */
		s->port = SERVER_PORT;
		server_set_port(&s->addr, s->port);
		s->label = strdup(addr);
		fclose(f);
		if (s->label == NULL) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		return 0;
	}
	fclose(f);
	snprintf(err, errlen, "no nameserver line in %s (name one with @server)", path);
	return -1;
}

void server_set_addr(struct server *s, const struct sockaddr *sa, socklen_t len)
{
	if (len > sizeof(s->addr))
		return;
	memcpy(&s->addr, sa, len);
	s->addrlen = len;
	server_set_port(&s->addr, s->port);
}

char *server_addr_str(char *buf, size_t buflen, const struct sockaddr *sa)
{
	char host[INET6_ADDRSTRLEN + 16];

	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
		snprintf(buf, buflen, "%s#%u", host, ntohs(in->sin_port));
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
		snprintf(buf, buflen, "%s#%u", host, ntohs(in6->sin6_port));
	} else {
		snprintf(buf, buflen, "(unresolved)");
	}
	return buf;
}

int server_copy(struct server *dst, const struct server *src)
{
	*dst = *src;
	dst->label = src->label ? strdup(src->label) : NULL;
	dst->hostname = src->hostname ? strdup(src->hostname) : NULL;
	if ((src->label && !dst->label) || (src->hostname && !dst->hostname)) {
		server_clear(dst);
		return -1;
	}
	return 0;
}

void server_clear(struct server *s)
{
	if (s == NULL)
		return;
	free(s->label);
	free(s->hostname);
	memset(s, 0, sizeof(*s));
}
