/*
 * fuzz_args.c -- libFuzzer harness for the command-line and prompt parser (engine/args.h).
 *
 * One input is "COMMAND" or "COMMAND NUL FILE", used three ways:
 *   1. the program's argv: COMMAND split at '\n' into words (a word may hold blanks),
 *      parsed with args_parse() into fresh args;
 *   2. the ':' prompt: COMMAND as one line, parsed with args_parse_line() on top of what
 *      step 1 left (as the TUI applies a prompt line to the current query), and again into
 *      fresh args;
 *   3. the file of --servers: FILE is written to a private file, and the word after every
 *      "--servers" is replaced by that file's path, so the fuzzer drives the file parser
 *      too but never makes it open anything else (a FIFO or /dev/zero would block or never
 *      end).
 * After each successful parse, args_finish() runs and the result must hold: an absolute
 * qname, 1..100 tries, a timeout of 1..300 s, and every server with a printable ASCII label
 * and an address or a hostname (net/server.h). A failed parse must leave a message. Any
 * violation calls abort(); ASan, UBSan and LeakSanitizer report the rest (args_clear() must
 * free everything, also after a failed parse).
 *
 * Build and run: `make fuzz` / `make check-fuzz` (tests/fuzz/README.md); seeds are in
 * tests/fuzz/corpus/args/.
 */
#include "config.h"
#include "engine/args.h"

#include <ctype.h>
#include <ldns/ldns.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* At most this many words are taken from an input (args_parse_line itself allows 64). */
#define FUZZ_ARGS_MAX_WORDS 256

/* The private --servers file and its directory (under $TMPDIR). */
static char servers_dir[256];
static char servers_path[300];

static void fuzz_args_fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_args: %s: %s\n", what, detail);
	abort();
}

/* The rules a parsed and finished command line keeps. */
static void fuzz_args_check(const struct args *a)
{
	if (a->q.qname == NULL || ldns_rdf_get_type(a->q.qname) != LDNS_RDF_TYPE_DNAME)
		fuzz_args_fail("args_finish", "no qname");
	if (ldns_rdf_size(a->q.qname) == 0 ||
	    ldns_rdf_data(a->q.qname)[ldns_rdf_size(a->q.qname) - 1] != 0)
		fuzz_args_fail("args_finish", "qname not absolute");
	if (a->net.tries < 1 || a->net.tries > 100)
		fuzz_args_fail("args_parse", "tries out of range");
	if (a->net.timeout_ms < 1000 || a->net.timeout_ms > 300000)
		fuzz_args_fail("args_parse", "timeout out of range");
	for (size_t i = 0; i < a->nservers; i++) {
		const struct server *s = &a->servers[i];

		if (s->label == NULL || (s->addrlen == 0 && s->hostname == NULL))
			fuzz_args_fail("server", "no label, or neither address nor hostname");
		for (const char *p = s->label; *p; p++) {
			if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
				fuzz_args_fail("server", "label is not printable ASCII");
		}
	}
}

/* After a parse: a failure leaves a message; a success is finished and checked. */
static void fuzz_args_after(struct args *a, int rc, const char *err)
{
	if (rc != 0) {
		if (rc != -1 || err[0] == '\0')
			fuzz_args_fail("args_parse", "failed without a message");
		return;
	}
	args_finish(a);
	fuzz_args_check(a);
}

/* Point the value of every --servers at the private file; true when there was one. */
static bool fuzz_args_redirect(int n, char *w[])
{
	bool any = false;

	for (int i = 0; i + 1 < n; i++) {
		if (strcmp(w[i], "--servers") == 0) {
			w[++i] = servers_path;
			any = true;
		}
	}
	return any;
}

/* Write the input as the --servers file. */
static void fuzz_args_write_servers(const uint8_t *data, size_t size)
{
	FILE *f = fopen(servers_path, "wb");

	if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		fuzz_args_fail("servers file", servers_path);
}

/* Split buf (len bytes without a NUL, then a NUL) in place at any of seps; empty words are
 * kept when keep_empty. Returns the number of words (at most FUZZ_ARGS_MAX_WORDS). */
static int fuzz_args_split(char *buf, size_t len, const char *seps, bool keep_empty, char *w[])
{
	int n = 0;
	char *start = buf;

	for (size_t i = 0; i <= len && n < FUZZ_ARGS_MAX_WORDS; i++) {
		if (i < len && strchr(seps, buf[i]) == NULL)
			continue;
		buf[i] = '\0';
		if (keep_empty || buf + i > start)
			w[n++] = start;
		start = buf + i + 1;
	}
	return n;
}

/* Remove the private file and directory when the process ends normally. */
static void fuzz_args_cleanup(void)
{
	unlink(servers_path);
	rmdir(servers_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");

	(void)argc;
	(void)argv;
	snprintf(servers_dir, sizeof(servers_dir), "%s/dnsdeck-fuzz-args.XXXXXX",
	         tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(servers_dir) == NULL)
		fuzz_args_fail("mkdtemp", servers_dir);
	snprintf(servers_path, sizeof(servers_path), "%s/servers", servers_dir);
	atexit(fuzz_args_cleanup);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t clen = nul ? (size_t)(nul - data) : size; /* COMMAND's length */
	char *argv_buf = malloc(clen + 1), *line = malloc(clen + 1), *tok_buf = malloc(clen + 1);
	char *words[FUZZ_ARGS_MAX_WORDS], *toks[FUZZ_ARGS_MAX_WORDS];
	char err[256];
	struct args a;
	int n, ntok, rc;
	bool file_argv, file_line;

	if (argv_buf == NULL || line == NULL || tok_buf == NULL)
		abort();
	memcpy(line, data, clen);
	line[clen] = '\0';
	memcpy(argv_buf, line, clen + 1);
	memcpy(tok_buf, line, clen + 1);

	n = fuzz_args_split(argv_buf, clen, "\n", true, words);
	file_argv = fuzz_args_redirect(n, words);
	/* split as args_parse_line splits, only to find --servers; a line that has one goes in
	 * as these words, with the private file in its place */
	ntok = fuzz_args_split(tok_buf, clen, " \t\r\n", false, toks);
	file_line = fuzz_args_redirect(ntok, toks);
	if (file_argv || file_line)
		fuzz_args_write_servers(nul ? nul + 1 : data + size, nul ? size - clen - 1 : 0);

	/* 1. argv, then 2. the prompt line on top of it */
	args_init(&a);
	err[0] = '\0';
	rc = args_parse(&a, n, words, err, sizeof(err));
	fuzz_args_after(&a, rc, err);
	err[0] = '\0';
	rc = file_line ? args_parse(&a, ntok, toks, err, sizeof(err))
	               : args_parse_line(&a, line, err, sizeof(err));
	fuzz_args_after(&a, rc, err);
	args_clear(&a);

	/* 2. the prompt line alone */
	args_init(&a);
	err[0] = '\0';
	rc = file_line ? args_parse(&a, ntok, toks, err, sizeof(err))
	               : args_parse_line(&a, line, err, sizeof(err));
	fuzz_args_after(&a, rc, err);
	args_clear(&a);

	free(argv_buf);
	free(line);
	free(tok_buf);
	return 0;
}
