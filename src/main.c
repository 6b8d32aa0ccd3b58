/*
 * main.c -- dnsdeck's entry: options, then the TUI or batch output. The only place that
 * prints errors and chooses exit codes; the one event_base lives here.
 *
 * Exit status (documented in dnsdeck(1)), following dig:
 *   0  a reply arrived from at least one server (NXDOMAIN, SERVFAIL and REFUSED included);
 *      with --mx: the plan was computed, whatever it found; with -C: every server agreed
 *   1  usage or configuration error; with -C also: the servers differ (as the issue and
 *      diff(1) do; the message on stderr tells a usage error apart)
 *      (usage: bad option, malformed name, unknown type, bad server, no usable nameserver
 *      in resolv.conf)
 *   9  no usable reply: every server timed out, was unreachable or sent a malformed reply
 *  10  internal error (out of memory, event loop failure, terminal setup)
 */
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <event2/event.h>

#include "engine/args.h"
#include "engine/session.h"
#include "engine/mxplan.h"
#include "out/json.h"
#include "out/mxjson.h"
#include "out/mxtext.h"
#include "out/propjson.h"
#include "out/proptext.h"
#include "out/text.h"
#include "ui/ui.h"

#define EXIT_USAGE    1
#define EXIT_DIFFER   1 /* -C: the servers differ */
#define EXIT_NOREPLY  9
#define EXIT_INTERNAL 10

static void usage(FILE *f)
{
	fprintf(
	    f, "usage: dnsdeck [@server ...] [name] [type] [class] [+options] [options]\n"
	       "\n"
	       "Ask nameservers a DNS question and show the whole response: full screen on a\n"
	       "terminal, dig-like text or JSON otherwise.\n"
	       "\n"
	       "  @server          IPv4 or IPv6 address with optional #port, or a host name\n"
	       "                   (default: first nameserver of /etc/resolv.conf)\n"
	       "  name type class  type and class in either order (default: A IN; no name: . NS)\n"
	       "  -t TYPE -c CLASS -p PORT -x ADDRESS (reverse lookup)\n"
	       "  +time=S +tries=N +retry=N +tcp +ignore +[no]rec +dnssec +cd +adflag\n"
	       "  +[no]edns +bufsize=B +nsid\n"
	       "  --text           dig-like text output\n"
	       "  --json           JSON output (RFC 8427 message form)\n"
	       "  --mx TARGET      the MX failover plan of a domain or mail address (RFC 5321)\n"
	       "  --smtp           with --mx: probe every exchange on TCP port 25 (EHLO, QUIT)\n"
	       "  -C               compare: ask every server, group their answers, order serials\n"
	       "  --auth           with -C: add the zone's authoritative servers (discovered)\n"
	       "  --servers FILE   with -C: servers from FILE, one \"ADDRESS [LABEL]\" per line\n"
	       "  --public         with -C: add well-known public resolvers (see dnsdeck(1))\n"
	       "  --tui            full screen (the default when stdin and stdout are a terminal)\n"
	       "  --resolv-conf F  read the default server from F instead of /etc/resolv.conf\n"
	       "  -h, --help       this text;  -v, --version  the version\n"
	       "\n"
	       "Exit status: 0 reply received, 1 usage or configuration error, 9 no reply,\n"
	       "10 internal error.\n"
	       "Keys in the full-screen view: ? shows them all.\n");
}

/* Batch mode: stop the loop once the job on view has ended. */
static void batch_on_change(struct session *s, void *arg)
{
	struct event_base *base = arg;
	const struct lookup *l = session_lookup(s);
	const struct mxplan *p = session_mxplan(s);

	if (session_get_view(s) == SESSION_VIEW_MX ? p != NULL && mxplan_done(p)
	                                           : l != NULL && lookup_done(l))
		event_base_loopbreak(base);
}

static void batch_prop_on_change(struct session *s, void *arg)
{
	const struct prop *p = session_prop(s);

	if (p != NULL && prop_done(p))
		event_base_loopbreak(arg);
}

static int run_batch_compare(struct event_base *base, struct session *s, enum args_mode mode)
{
	const struct prop *p;
	char err[256];
	bool any = false;
	int rc;

	session_set_change_cb(s, batch_prop_on_change, base);
	if (session_compare(s, NULL, err, sizeof(err)) < 0) {
		fprintf(stderr, "dnsdeck: %s\n", err);
		return EXIT_USAGE;
	}
	p = session_prop(s);
	if (!prop_done(p) && event_base_dispatch(base) < 0) {
		fprintf(stderr, "dnsdeck: event loop failed\n");
		return EXIT_INTERNAL;
	}
	rc = mode == ARGS_MODE_JSON ? propjson_print(stdout, p) : proptext_print(stdout, p);
	if (rc < 0 || fflush(stdout) != 0) {
		fprintf(stderr, "dnsdeck: cannot write the output\n");
		return EXIT_INTERNAL;
	}
	for (size_t i = 0; i < prop_nrows(p); i++)
		any = any || prop_row(p, i)->pkt != NULL;
	if (!any)
		return EXIT_NOREPLY;
	return prop_consistent(p) ? 0 : EXIT_DIFFER;
}

static int run_batch_mx(struct event_base *base, struct session *s, const char *target,
                        enum args_mode mode)
{
	const struct mxplan *p;
	char err[256];
	int rc;

	session_set_change_cb(s, batch_on_change, base);
	if (session_mx(s, target, err, sizeof(err)) < 0) {
		fprintf(stderr, "dnsdeck: %s\n", err);
		return EXIT_USAGE;
	}
	p = session_mxplan(s);
	if (!mxplan_done(p) && event_base_dispatch(base) < 0) {
		fprintf(stderr, "dnsdeck: event loop failed\n");
		return EXIT_INTERNAL;
	}
	rc = mode == ARGS_MODE_JSON ? mxjson_print(stdout, p) : mxtext_print(stdout, p);
	if (rc < 0 || fflush(stdout) != 0) {
		fprintf(stderr, "dnsdeck: cannot write the output\n");
		return EXIT_INTERNAL;
	}
	return 0;
}

static int run_batch(struct event_base *base, struct session *s, enum args_mode mode)
{
	const struct lookup *l;
	int rc;

	session_set_change_cb(s, batch_on_change, base);
	session_start(s);
	l = session_lookup(s);
	if (l == NULL) {
		fprintf(stderr, "dnsdeck: out of memory\n");
		return EXIT_INTERNAL;
	}
	if (!lookup_done(l) && event_base_dispatch(base) < 0) {
		fprintf(stderr, "dnsdeck: event loop failed\n");
		return EXIT_INTERNAL;
	}
	rc = mode == ARGS_MODE_JSON ? json_lookup_print(stdout, l) : text_lookup_print(stdout, l);
	if (rc < 0 || fflush(stdout) != 0) {
		fprintf(stderr, "dnsdeck: cannot write the output\n");
		return EXIT_INTERNAL;
	}
	return lookup_any_reply(l) ? 0 : EXIT_NOREPLY;
}

static int run_tui(struct event_base *base, struct session *s, const char *mx_target, bool compare)
{
	char err[256];
	struct ui *ui = ui_new(base, s, err, sizeof(err));

	if (ui == NULL) {
		fprintf(stderr, "dnsdeck: %s\n", err);
		return EXIT_INTERNAL;
	}
	session_start(s);
	if ((mx_target != NULL && session_mx(s, mx_target, err, sizeof(err)) < 0) ||
	    (compare && session_compare(s, NULL, err, sizeof(err)) < 0)) {
		ui_free(ui);
		fprintf(stderr, "dnsdeck: %s\n", err);
		return EXIT_USAGE;
	}
	if (event_base_dispatch(base) < 0) {
		ui_free(ui);
		fprintf(stderr, "dnsdeck: event loop failed\n");
		return EXIT_INTERNAL;
	}
	ui_free(ui);
	return 0;
}

int main(int argc, char **argv)
{
	struct args a;
	struct event_base *base;
	struct session *s;
	char err[512];
	int rc;

	setlocale(LC_ALL, "");
	/* A peer that resets a TCP connection (DNS over TCP, the SMTP probe) must not kill us
	 * with SIGPIPE: writes report EPIPE instead, which the transports handle. */
	signal(SIGPIPE, SIG_IGN);
	/* A comparison of hundreds of servers keeps a socket per query: raise the soft
	 * descriptor limit toward the hard one (the transport caps in-flight queries by it). */
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 4096 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max < 4096 ? rl.rlim_max : 4096;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	args_init(&a);
	if (args_parse(&a, argc - 1, argv + 1, err, sizeof(err)) < 0) {
		fprintf(stderr, "dnsdeck: %s\nTry 'dnsdeck --help'.\n", err);
		args_clear(&a);
		return EXIT_USAGE;
	}
	if (a.help || a.version) {
		if (a.help)
			usage(stdout);
		else
			printf("dnsdeck %s\n", PACKAGE_VERSION);
		args_clear(&a);
		return 0;
	}
	if (a.mx_target != NULL && !a.have_name) {
		/* the lookup view of an MX plan shows the domain's MX RRset */
		char *domain = mxplan_domain_of(a.mx_target, err, sizeof(err));
		if (domain == NULL || query_spec_set_name(&a.q, domain) != LDNS_STATUS_OK) {
			fprintf(stderr, "dnsdeck: %s\nTry 'dnsdeck --help'.\n",
			        domain ? "malformed domain after --mx" : err);
			free(domain);
			args_clear(&a);
			return EXIT_USAGE;
		}
		free(domain);
		a.have_name = true;
		if (!a.have_type)
			a.q.qtype = LDNS_RR_TYPE_MX;
	}
	args_finish(&a);
	if (a.mode == ARGS_MODE_AUTO)
		a.mode =
		    isatty(STDOUT_FILENO) && isatty(STDIN_FILENO) ? ARGS_MODE_TUI : ARGS_MODE_TEXT;
	base = event_base_new();
	if (base == NULL) {
		fprintf(stderr, "dnsdeck: cannot create the event loop\n");
		args_clear(&a);
		return EXIT_INTERNAL;
	}
	s = session_new(base, &a, err, sizeof(err));
	if (s == NULL) {
		fprintf(stderr, "dnsdeck: %s\n", err);
		event_base_free(base);
		args_clear(&a);
		return EXIT_USAGE;
	}
	if (a.mode == ARGS_MODE_TUI)
		rc = run_tui(base, s, a.mx_target, a.compare);
	else if (a.compare)
		rc = run_batch_compare(base, s, a.mode);
	else if (a.mx_target != NULL)
		rc = run_batch_mx(base, s, a.mx_target, a.mode);
	else
		rc = run_batch(base, s, a.mode);
	session_free(s);
	event_base_free(base);
	args_clear(&a);
	return rc;
}
