/*
 * args.c -- dig-style command lines (see args.h).
 */
#include "config.h"
#include "engine/args.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void args_init(struct args *a)
{
	memset(a, 0, sizeof(*a));
	query_spec_init(&a->q);
	net_opts_init(&a->net);
	a->mode = ARGS_MODE_AUTO;
}

void args_clear(struct args *a)
{
	if (a == NULL)
		return;
	for (size_t i = 0; i < a->nservers; i++)
		server_clear(&a->servers[i]);
	free(a->servers);
	free(a->resolv_conf);
	free(a->mx_target);
	free(a->root_hints);
	free(a->save_file);
	free(a->load_file);
	free(a->diff_a);
	free(a->diff_b);
	query_spec_clear(&a->q);
	memset(a, 0, sizeof(*a));
}

/* Parse an unsigned decimal in [min, max]. */
static int args_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*out = strtoul(s, &end, 10);
	return (*end != '\0' || errno != 0 || *out < min || *out > max) ? -1 : 0;
}

static int args_add_server(struct args *a, const char *spec, bool *replaced, char *err,
                           size_t errlen)
{
	struct server s, *grown;

	if (server_parse(&s, spec, err, errlen) < 0)
		return -1;
	/* The first @server of a parse replaces the servers of an earlier one (the prompt). */
	if (!*replaced) {
		for (size_t i = 0; i < a->nservers; i++)
			server_clear(&a->servers[i]);
		a->nservers = 0;
		*replaced = true;
	}
	grown = realloc(a->servers, (a->nservers + 1) * sizeof(*grown));
	if (grown == NULL) {
		server_clear(&s);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	a->servers = grown;
	a->servers[a->nservers++] = s;
	return 0;
}

/*
 * --public: well-known public resolvers, for comparing what the Internet's big caches say.
 * Documented in dnsdeck(1); never used by the tests, which run without Internet access.
 */
static const char *const args_public[] = {
    "1.1.1.1",
    "1.0.0.1",
    "8.8.8.8",
    "8.8.4.4",
    "9.9.9.9",
    "149.112.112.112",
    "208.67.222.222",
    "208.67.220.220",
    "2606:4700:4700::1111",
    "2001:4860:4860::8888",
    "2620:fe::fe",
};

static int args_add_public(struct args *a, bool *replaced, char *err, size_t errlen)
{
	for (size_t i = 0; i < sizeof(args_public) / sizeof(args_public[0]); i++)
		if (args_add_server(a, args_public[i], replaced, err, errlen) < 0)
			return -1;
	return 0;
}

/* --servers FILE: "ADDRESS[#PORT] [LABEL]" per line; '#' or ';' starts a comment line. */
static int args_add_file(struct args *a, const char *path, bool *replaced, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[512];
	unsigned lineno = 0;

	if (f == NULL) {
		snprintf(err, errlen, "cannot read %.200s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *save = NULL, *spec = strtok_r(line, " \t\r\n", &save);
		char *label = spec ? strtok_r(NULL, "\r\n", &save) : NULL;

		lineno++;
		if (spec == NULL || spec[0] == '#' || spec[0] == ';')
			continue;
		if (args_add_server(a, spec, replaced, err, errlen) < 0) {
			size_t l = strlen(err);
			snprintf(err + l, errlen > l ? errlen - l : 0, " (%.200s line %u)", path,
			         lineno);
			fclose(f);
			return -1;
		}
		while (label && (*label == ' ' || *label == '\t'))
			label++;
		if (label && *label) {
			struct server *s = &a->servers[a->nservers - 1];
			char *copy = strndup(label, 63);
			size_t n = copy ? strlen(copy) : 0;
			bool ok = copy != NULL;

			/* labels come from the user's file: printable ASCII only */
			for (size_t k = 0; ok && k < n; k++)
				ok = copy[k] >= 0x20 && copy[k] <= 0x7e;
			if (!ok) {
				free(copy);
				snprintf(err, errlen, "unprintable label (%.200s line %u)", path,
				         lineno);
				fclose(f);
				return -1;
			}
			free(s->label);
			s->label = copy;
		}
	}
	fclose(f);
	return 0;
}

static int args_set_name(struct args *a, const char *name, char *err, size_t errlen)
{
	ldns_status st = query_spec_set_name(&a->q, name);

	if (st != LDNS_STATUS_OK) {
		snprintf(err, errlen, "malformed name '%.80s': %s", name,
		         ldns_get_errorstr_by_id(st));
		return -1;
	}
	a->have_name = true;
	return 0;
}

/* -x: the reverse-mapping name of an address (RFC 1035 §3.5, RFC 3596 §2.5). */
static int args_reverse(struct args *a, const char *addr, char *err, size_t errlen)
{
	ldns_rdf *ip = ldns_rdf_new_frm_str(LDNS_RDF_TYPE_A, addr), *rev;

	if (ip == NULL)
		ip = ldns_rdf_new_frm_str(LDNS_RDF_TYPE_AAAA, addr);
	if (ip == NULL) {
		snprintf(err, errlen, "-x needs an IPv4 or IPv6 address, not '%.80s'", addr);
		return -1;
	}
	rev = ldns_rdf_address_reverse(ip);
	ldns_rdf_deep_free(ip);
	if (rev == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	ldns_rdf_deep_free(a->q.qname);
	a->q.qname = rev;
	a->have_name = true;
	return 0;
}

static int args_type(struct args *a, const char *w)
{
	ldns_rr_type t = ldns_get_rr_type_by_name(w);

	if (t == 0)
		return -1;
	a->q.qtype = t;
	a->have_type = true;
	return 0;
}

static int args_class(struct args *a, const char *w)
{
	ldns_rr_class c = ldns_get_rr_class_by_name(w);

	if (c == 0)
		return -1;
	a->q.qclass = c;
	return 0;
}

/* One +option. dig accepts "no" in front of the boolean ones. */
static int args_plus(struct args *a, const char *opt, char *err, size_t errlen)
{
	bool on = true;
	const char *name = opt + 1, *val = strchr(opt, '=');
	size_t nl;
	unsigned long n;

	if (strncmp(name, "no", 2) == 0 && strcmp(name, "nsid") != 0) {
		on = false;
		name += 2;
	}
	nl = val ? (size_t)(val - name) : strlen(name);
	if (val)
		val++;
#define IS(word) (nl == strlen(word) && strncmp(name, word, nl) == 0)
	if (IS("time") && val && on) {
		if (args_uint(val, 1, 300, &n) < 0)
			goto bad_value;
		a->net.timeout_ms = (unsigned)n * 1000;
	} else if (IS("tries") && val && on) {
		if (args_uint(val, 1, 100, &n) < 0)
			goto bad_value;
		a->net.tries = (unsigned)n;
	} else if (IS("retry") && val && on) {
		if (args_uint(val, 0, 99, &n) < 0)
			goto bad_value;
		a->net.tries = (unsigned)n + 1;
	} else if ((IS("tcp") || IS("vc")) && !val) {
		a->net.tcp = on;
	} else if (IS("ignore") && !val) {
		a->net.ignore_tc = on;
	} else if ((IS("rec") || IS("recurse")) && !val) {
		a->q.rd = on;
	} else if (IS("dnssec") && !val) {
		a->q.dnssec_ok = on;
		if (on)
			a->q.edns = true;
	} else if ((IS("cd") || IS("cdflag")) && !val) {
		a->q.cd = on;
	} else if (IS("adflag") && !val) {
		a->q.ad = on;
	} else if (IS("edns") && (!val || on)) {
		if (val && (args_uint(val, 0, 0, &n) < 0))
			goto bad_value; /* only EDNS version 0 exists (RFC 6891) */
		a->q.edns = on;
	} else if (IS("bufsize") && val && on) {
		if (args_uint(val, 0, 65535, &n) < 0)
			goto bad_value;
		a->q.udp_size = (uint16_t)n;
		a->q.edns = true;
	} else if (IS("trace") && !val) {
		a->trace = on;
	} else if (IS("nsid") && !val) {
		a->q.nsid = on;
		if (on)
			a->q.edns = true;
	} else {
		snprintf(err, errlen, "unknown option '%.40s'", opt);
		return -1;
	}
#undef IS
	return 0;
bad_value:
	snprintf(err, errlen, "bad value in '%.40s'", opt);
	return -1;
}

/*
 * "--opt FILE" or "--opt=FILE": true when w is opt; *dst then holds the file name (owned;
 * an earlier one is replaced), *i is moved past a separate FILE word, and err is "" on
 * success or says what is wrong (no file name, out of memory).
 */
static bool args_file_opt(const char *w, const char *opt, char **dst, const char *next, int *i,
                          char *err, size_t errlen)
{
	size_t l = strlen(opt);
	const char *file;

	if (strncmp(w, opt, l) != 0 || (w[l] != '\0' && w[l] != '='))
		return false;
	file = w[l] == '=' ? w + l + 1 : next;
	if (file == NULL || *file == '\0') {
		snprintf(err, errlen, "%s needs a file name", opt);
		return true;
	}
	if (w[l] == '\0')
		(*i)++;
	free(*dst);
	if ((*dst = strdup(file)) == NULL)
		snprintf(err, errlen, "out of memory");
	else if (errlen > 0)
		*err = '\0';
	return true;
}

int args_parse(struct args *a, int argc, char *const argv[], char *err, size_t errlen)
{
	bool replaced = false, name_this_time = false, type_this_time = false,
	     class_this_time = false;
	bool reversed = false;

	for (int i = 0; i < argc; i++) {
		const char *w = argv[i];
		const char *next = i + 1 < argc ? argv[i + 1] : NULL;
		unsigned long n;

		if (w[0] == '@') {
			if (args_add_server(a, w, &replaced, err, errlen) < 0)
				return -1;
		} else if (w[0] == '+') {
			if (args_plus(a, w, err, errlen) < 0)
				return -1;
		} else if (strcmp(w, "--text") == 0) {
			a->mode = ARGS_MODE_TEXT;
		} else if (strcmp(w, "--json") == 0) {
			a->mode = ARGS_MODE_JSON;
		} else if (strcmp(w, "--tui") == 0) {
			a->mode = ARGS_MODE_TUI;
		} else if (strcmp(w, "--smtp") == 0) {
			a->smtp = true;
		} else if (strcmp(w, "-C") == 0 || strcmp(w, "--compare") == 0) {
			a->compare = true;
		} else if (strcmp(w, "--auth") == 0) {
			a->auth = true;
		} else if (strcmp(w, "--explain") == 0) {
			a->explain = true;
		} else if (strcmp(w, "--watch") == 0) {
			a->watch = true;
		} else if (strcmp(w, "--interval") == 0 || strcmp(w, "--count") == 0) {
			bool iv = w[2] == 'i';
			if (next == NULL || args_uint(next, 1, iv ? 86400 : 1000000000, &n) < 0) {
				snprintf(err, errlen, "%s needs a number from 1 to %s", w,
				         iv ? "86400 (seconds)" : "1000000000");
				return -1;
			}
			i++;
			if (iv)
				a->interval_s = (unsigned)n;
			else
				a->count = n;
		} else if (strcmp(w, "--public") == 0) {
			if (args_add_public(a, &replaced, err, errlen) < 0)
				return -1;
		} else if (strcmp(w, "--servers") == 0) {
			if (next == NULL || *next == '\0') {
				snprintf(err, errlen, "--servers needs a file name");
				return -1;
			}
			i++;
			if (args_add_file(a, next, &replaced, err, errlen) < 0)
				return -1;
		} else if (strcmp(w, "--mx") == 0) {
			if (next == NULL || *next == '\0' || *next == '-' || *next == '@') {
				snprintf(err, errlen, "--mx needs a domain or a mail address");
				return -1;
			}
			i++;
			free(a->mx_target);
			if ((a->mx_target = strdup(next)) == NULL) {
				snprintf(err, errlen, "out of memory");
				return -1;
			}
		} else if (strcmp(w, "--help") == 0 || strcmp(w, "-h") == 0) {
			a->help = true;
		} else if (strcmp(w, "--version") == 0 || strcmp(w, "-v") == 0) {
			a->version = true;
		} else if (strcmp(w, "--diff") == 0) {
			if (next == NULL || i + 2 >= argc || *next == '\0' ||
			    *argv[i + 2] == '\0') {
				snprintf(err, errlen, "--diff needs two session files");
				return -1;
			}
			free(a->diff_a);
			free(a->diff_b);
			a->diff_a = strdup(next);
			a->diff_b = strdup(argv[i + 2]);
			i += 2;
			if (a->diff_a == NULL || a->diff_b == NULL) {
				snprintf(err, errlen, "out of memory");
				return -1;
			}
		} else if (args_file_opt(w, "--resolv-conf", &a->resolv_conf, next, &i, err,
		                         errlen) ||
		           args_file_opt(w, "--root-hints", &a->root_hints, next, &i, err,
		                         errlen) ||
		           args_file_opt(w, "--save", &a->save_file, next, &i, err, errlen) ||
		           args_file_opt(w, "--load", &a->load_file, next, &i, err, errlen)) {
			if (*err != '\0')
				return -1;
		} else if (w[0] == '-' && w[1] != '\0' && strchr("tcpx", w[1]) && w[2] == '\0') {
			if (next == NULL) {
				snprintf(err, errlen, "%s needs a value", w);
				return -1;
			}
			i++;
			if (w[1] == 't' && args_type(a, next) < 0) {
				snprintf(err, errlen, "unknown type '%.40s'", next);
				return -1;
			} else if (w[1] == 't') {
				type_this_time = true;
			} else if (w[1] == 'c' && args_class(a, next) < 0) {
				snprintf(err, errlen, "unknown class '%.40s'", next);
				return -1;
			} else if (w[1] == 'p') {
				if (args_uint(next, 1, 65535, &n) < 0) {
					snprintf(err, errlen, "bad port '%.40s'", next);
					return -1;
				}
				a->port = (uint16_t)n;
			} else if (w[1] == 'x') {
				if (args_reverse(a, next, err, errlen) < 0)
					return -1;
				reversed = true;
			}
		} else if (w[0] == '-' && w[1] != '\0') {
			snprintf(err, errlen, "unknown option '%.40s'", w);
			return -1;
		} else if (!type_this_time && args_type(a, w) == 0) {
			type_this_time = true;
		} else if (!class_this_time && args_class(a, w) == 0) {
			class_this_time = true;
		} else if (!name_this_time) {
			if (args_set_name(a, w, err, errlen) < 0)
				return -1;
			name_this_time = true;
		} else {
			snprintf(err, errlen,
			         "unexpected '%.40s' (one name per query; is it a type?)", w);
			return -1;
		}
	}
	/* -x asks PTR unless this same line named a type (dig does the same) */
	if (reversed && !type_this_time)
		a->q.qtype = LDNS_RR_TYPE_PTR;
	return 0;
}

int args_parse_line(struct args *a, const char *line, char *err, size_t errlen)
{
	char *copy = strdup(line), *save = NULL, *w;
	char *words[64];
	int n = 0, rc;

	if (copy == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (w = strtok_r(copy, " \t\r\n", &save); w; w = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == 64) {
			free(copy);
			snprintf(err, errlen, "too many words");
			return -1;
		}
		words[n++] = w;
	}
	rc = args_parse(a, n, words, err, errlen);
	free(copy);
	return rc;
}

void args_finish(struct args *a)
{
	if (!a->have_name) {
		/* dig with no name asks for the root's NS RRset */
		query_spec_set_name(&a->q, ".");
		if (!a->have_type)
			a->q.qtype = LDNS_RR_TYPE_NS;
		a->have_name = true;
	}
	if (a->port != 0) {
		for (size_t i = 0; i < a->nservers; i++) {
			struct server *s = &a->servers[i];
			if (strchr(s->label, '#') != NULL)
				continue;
			s->port = a->port;
			if (s->addrlen > 0)
				server_set_addr(s, (struct sockaddr *)&s->addr, s->addrlen);
		}
	}
}
