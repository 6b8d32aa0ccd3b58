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
 *   9  no usable reply: every server timed out, was unreachable or sent a malformed reply;
 *      with +trace: no authoritative answer reached (no server of a cut answered, a loop,
 *      a bad referral or a limit)
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
#include "engine/record.h"
#include "engine/trace.h"
#include "out/difftext.h"
#include "out/json.h"
#include "out/mxjson.h"
#include "out/mxtext.h"
#include "out/propjson.h"
#include "out/proptext.h"
#include "out/text.h"
#include "out/tracejson.h"
#include "out/tracetext.h"
#include "out/watchout.h"
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
	       "  --explain        text output that explains every field shown, with its RFC\n"
	       "  --mx TARGET      the MX failover plan of a domain or mail address (RFC 5321)\n"
	       "  --smtp           with --mx: probe every exchange on TCP port 25 (EHLO, QUIT)\n"
	       "  -C               compare: ask every server, group their answers, order serials\n"
	       "  --auth           with -C: add the zone's authoritative servers (discovered)\n"
	       "  --servers FILE   with -C: servers from FILE, one \"ADDRESS [LABEL]\" per line\n"
	       "  --public         with -C: add well-known public resolvers (see dnsdeck(1))\n"
	       "  --watch          ask again as each answer expires, print one line per change\n"
	       "  --interval S     with --watch: ask again every S seconds instead\n"
	       "  --count N        with --watch: stop after N lines (default: until Ctrl-C)\n"
	       "  +trace           resolve from the root, one step per zone cut (RD=0)\n"
	       "  --root-hints F   with +trace: root hints file (default " TRACE_ROOT_HINTS ")\n"
	       "  --tui            full screen (the default when stdin and stdout are a terminal)\n"
	       "  --resolv-conf F  read the default server from F instead of /etc/resolv.conf\n"
	       "  --save FILE      write the session (every reply, raw) to FILE afterwards\n"
	       "  --load FILE      reopen a saved session offline (no query is sent)\n"
	       "  --diff A B       what changed between two saved sessions (exit 1 if any)\n"
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

static int print_compare(const struct prop *p, enum args_mode mode);

static int run_batch_compare(struct event_base *base, struct session *s, enum args_mode mode)
{
	const struct prop *p;
	char err[256];

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
	return print_compare(p, mode);
}

/* Print a comparison; the exit status of -C. */
static int print_compare(const struct prop *p, enum args_mode mode)
{
	bool any = false;
	int rc;

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

static int print_lookup(const struct lookup *l, enum args_mode mode, bool explain);

static int run_batch(struct event_base *base, struct session *s, enum args_mode mode, bool explain)
{
	const struct lookup *l;

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
	return print_lookup(l, mode, explain);
}

/* Print a lookup; the exit status of a lookup. */
static int print_lookup(const struct lookup *l, enum args_mode mode, bool explain)
{
	int rc;

	rc = mode == ARGS_MODE_JSON ? json_lookup_print(stdout, l)
	     : explain              ? text_lookup_explain(stdout, l)
	                            : text_lookup_print(stdout, l);
	if (rc < 0 || fflush(stdout) != 0) {
		fprintf(stderr, "dnsdeck: cannot write the output\n");
		return EXIT_INTERNAL;
	}
	return lookup_any_reply(l) ? 0 : EXIT_NOREPLY;
}

/* --watch: what has been printed, and when to stop. */
struct watch_state {
	struct event_base *base;
	bool json;
	unsigned long count;   /* stop after this many records (0 = never) */
	unsigned long printed; /* records printed */
	size_t *seen;          /* per reply: history entries printed */
	bool *started;         /* per reply: its initial record is out */
	bool failed;           /* a write failed */
};

static void watch_on_change(struct session *s, void *arg)
{
	struct watch_state *w = arg;
	const struct lookup *l = session_lookup(s);

	for (size_t i = 0; l != NULL && i < lookup_count(l) && !w->failed; i++) {
		const struct lookup_reply *r = lookup_reply_at(l, i);

		if (r->asked == 0 || (w->count && w->printed >= w->count))
			continue;
		if (!w->started[i]) {
			w->started[i] = true;
			w->seen[i] = r->nhistory;
			w->failed = watchout_print(stdout, l, i, NULL, w->json) < 0;
			w->printed++;
		}
		while (w->seen[i] < r->nhistory && !w->failed &&
		       !(w->count && w->printed >= w->count)) {
			w->failed =
			    watchout_print(stdout, l, i, &r->history[w->seen[i]++], w->json) < 0;
			w->printed++;
		}
	}
	if (w->failed || (w->count && w->printed >= w->count))
		event_base_loopbreak(w->base);
}

static void watch_on_signal(evutil_socket_t sig, short what, void *arg)
{
	event_base_loopbreak(arg);
}

/* --watch: ask, then ask again as answers expire (or every --interval), printing changes
 * until --count records or SIGINT / SIGTERM (exit 0). */
static int run_watch(struct event_base *base, struct session *s, const struct args *a)
{
	struct watch_state w = {.base = base, .json = a->mode == ARGS_MODE_JSON, .count = a->count};
	struct event *ev_int = evsignal_new(base, SIGINT, watch_on_signal, base);
	struct event *ev_term = evsignal_new(base, SIGTERM, watch_on_signal, base);
	int rc = 0;

	w.seen = calloc(a->nservers ? a->nservers : 1, sizeof(*w.seen));
	w.started = calloc(a->nservers ? a->nservers : 1, sizeof(*w.started));
	if (w.seen == NULL || w.started == NULL || ev_int == NULL || ev_term == NULL ||
	    event_add(ev_int, NULL) < 0 || event_add(ev_term, NULL) < 0) {
		fprintf(stderr, "dnsdeck: out of memory\n");
		rc = EXIT_INTERNAL;
		goto done;
	}
	session_set_change_cb(s, watch_on_change, &w);
	session_set_autoreask(s, true);
	session_start(s);
	if (session_lookup(s) == NULL) {
		fprintf(stderr, "dnsdeck: out of memory\n");
		rc = EXIT_INTERNAL;
		goto done;
	}
	if (!(w.count && w.printed >= w.count) && event_base_dispatch(base) < 0) {
		fprintf(stderr, "dnsdeck: event loop failed\n");
		rc = EXIT_INTERNAL;
	}
	if (w.failed) {
		fprintf(stderr, "dnsdeck: cannot write the output\n");
		rc = EXIT_INTERNAL;
	}
done:
	if (ev_int)
		event_free(ev_int);
	if (ev_term)
		event_free(ev_term);
	free(w.seen);
	free(w.started);
	return rc;
}

static void trace_on_change(struct trace *t, void *arg)
{
	if (trace_done(t))
		event_base_loopbreak(arg);
}

/* +trace: resolve from the root hints, one step per zone cut. Exit 0 when an authoritative
 * answer (NXDOMAIN and NODATA included) was reached, 9 when a cut had no usable server or the
 * trace stopped (loop, bad referral, limit). Always text or JSON. */
static int run_trace(struct event_base *base, const struct args *a)
{
	const char *path = a->root_hints != NULL ? a->root_hints : TRACE_ROOT_HINTS;
	char err[512];
	ldns_rr_list *hints;
	struct net *net;
	struct trace *t = NULL;
	int rc;

	if (a->nservers > 0 || a->compare || a->mx_target != NULL || a->watch || a->explain) {
		fprintf(stderr, "dnsdeck: +trace asks the servers of the root hints "
		                "(--root-hints FILE): not with @server, -C, --mx, --watch or "
		                "--explain\n");
		return EXIT_USAGE;
	}
	hints = trace_hints_read(path, err, sizeof(err));
	if (hints == NULL) {
		fprintf(stderr, "dnsdeck: %s\n", err);
		return EXIT_USAGE;
	}
	net = net_new(base, &a->net);
	if (net != NULL)
		t = trace_new(net, base, &a->q, hints, NULL, trace_on_change, base);
	ldns_rr_list_deep_free(hints);
	if (t == NULL) {
		net_free(net);
		fprintf(stderr, "dnsdeck: out of memory\n");
		return EXIT_INTERNAL;
	}
	trace_start(t);
	if (!trace_done(t) && event_base_dispatch(base) < 0) {
		rc = EXIT_INTERNAL;
		fprintf(stderr, "dnsdeck: event loop failed\n");
	} else if ((a->mode == ARGS_MODE_JSON ? tracejson_print(stdout, t)
	                                      : tracetext_print(stdout, t)) < 0 ||
	           fflush(stdout) != 0) {
		rc = EXIT_INTERNAL;
		fprintf(stderr, "dnsdeck: cannot write the output\n");
	} else {
		rc = trace_status(t) == TRACE_DONE ? 0 : EXIT_NOREPLY;
	}
	trace_free(t);
	net_free(net);
	return rc;
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

/* --save FILE: write the session after the run; a failure turns rc into an internal error. */
static int save_session(struct session *s, const char *path, int rc)
{
	char err[512];

	if (session_save(s, path, err, sizeof(err)) < 0) {
		fprintf(stderr, "dnsdeck: %s\n", err);
		return EXIT_INTERNAL;
	}
	return rc;
}

/* --load FILE: the saved views, offline, as the original run showed them. */
static int run_load(struct event_base *base, const struct args *a)
{
	char err[512];
	struct session *s = session_load(base, a->load_file, err, sizeof(err));
	int rc;

	if (s == NULL) {
		fprintf(stderr, "dnsdeck: %s\n", err);
		return EXIT_USAGE;
	}
	if (a->mode == ARGS_MODE_TUI) {
		rc = run_tui(base, s, NULL, false);
	} else if (session_get_view(s) == SESSION_VIEW_COMPARE) {
		rc = a->explain ? (fprintf(stderr, "dnsdeck: --explain explains a lookup; the "
		                                   "file shows a comparison\n"),
		                   EXIT_USAGE)
		                : print_compare(session_prop(s), a->mode);
	} else {
		rc = print_lookup(session_lookup(s), a->mode, a->explain);
	}
	if (a->save_file != NULL && rc != EXIT_INTERNAL)
		rc = save_session(s, a->save_file, rc);
	session_free(s);
	return rc;
}

/* --diff A B: 0 when the files agree, 1 when they differ (as diff(1)) or on a bad file. */
static int run_diff(const struct args *a)
{
	char err[512];
	struct record_file *fa = NULL, *fb = NULL;
	struct record_diff d;
	int rc = EXIT_USAGE;

	if ((fa = record_read(a->diff_a, err, sizeof(err))) == NULL ||
	    (fb = record_read(a->diff_b, err, sizeof(err))) == NULL) {
		fprintf(stderr, "dnsdeck: %s\n", err);
		goto out;
	}
	if (record_diff(fa, fb, &d) < 0) {
		fprintf(stderr, "dnsdeck: out of memory\n");
		rc = EXIT_INTERNAL;
		goto out;
	}
	if ((a->mode == ARGS_MODE_JSON ? difftext_print_json(stdout, &d, a->diff_a, a->diff_b)
	                               : difftext_print(stdout, &d, a->diff_a, a->diff_b)) < 0) {
		fprintf(stderr, "dnsdeck: cannot write the output\n");
		rc = EXIT_INTERNAL;
	} else {
		rc = d.n == 0 ? 0 : EXIT_DIFFER;
	}
	record_diff_clear(&d);
out:
	record_file_free(fa);
	record_file_free(fb);
	return rc;
}

/* What --diff, --load and --save cannot be combined with; NULL when the line is fine. */
static const char *session_file_conflict(const struct args *a)
{
	bool question = a->have_name || a->have_type || a->nservers > 0 || a->compare ||
	                a->mx_target != NULL || a->watch || a->trace || a->auth || a->smtp;

	if (a->diff_a != NULL &&
	    (question || a->load_file || a->save_file || a->explain || a->mode == ARGS_MODE_TUI))
		return "--diff compares two session files: nothing else with it but --text or "
		       "--json";
	if (a->load_file != NULL && question)
		return "--load reopens a saved session: no question, @server, -C, --mx, --watch or "
		       "+trace with it";
	if (a->save_file != NULL && (a->watch || a->trace))
		return "--save records a lookup, -C or --mx: not --watch or +trace";
	if (a->save_file != NULL) {
		/* a session must not be lost at the end for want of a writable directory */
		char *dir = strdup(a->save_file), *slash = dir ? strrchr(dir, '/') : NULL;
		bool ok;

		if (slash != NULL)
			slash[slash == dir ? 1 : 0] = '\0'; /* "/f" -> "/", "d/f" -> "d" */
		ok = dir == NULL || access(slash != NULL ? dir : ".", W_OK) == 0;
		free(dir);
		if (!ok)
			return "--save: the file's directory is not writable";
	}
	return NULL;
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
	if (session_file_conflict(&a) != NULL) {
		fprintf(stderr, "dnsdeck: %s\n", session_file_conflict(&a));
		args_clear(&a);
		return EXIT_USAGE;
	}
	if (a.diff_a != NULL) {
		rc = run_diff(&a);
		args_clear(&a);
		return rc;
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
	if ((a.watch && (a.compare || a.mx_target != NULL || a.mode == ARGS_MODE_TUI)) ||
	    (a.count && !a.watch)) {
		fprintf(stderr, "dnsdeck: %s\n",
		        a.count && !a.watch ? "--count needs --watch"
		                            : "--watch prints a lookup's changes as text or JSON: "
		                              "not with -C, --mx or --tui (the full-screen view "
		                              "asks again by itself, 'a' toggles it)");
		args_clear(&a);
		return EXIT_USAGE;
	}
	/* --explain annotates the dig-like text of a lookup, nothing else (dnsdeck(1)) */
	if (a.explain && (a.mode == ARGS_MODE_JSON || a.mode == ARGS_MODE_TUI || a.compare ||
	                  a.mx_target != NULL || a.watch)) {
		fprintf(stderr, "dnsdeck: --explain explains a lookup's text output: not with "
		                "--json, --tui, -C, --mx or --watch\n");
		args_clear(&a);
		return EXIT_USAGE;
	}
	if (a.explain && a.mode == ARGS_MODE_AUTO)
		a.mode = ARGS_MODE_TEXT;
	if (a.mode == ARGS_MODE_AUTO)
		a.mode = a.watch || !isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO) ? ARGS_MODE_TEXT
		                                                                    : ARGS_MODE_TUI;
	base = event_base_new();
	if (base == NULL) {
		fprintf(stderr, "dnsdeck: cannot create the event loop\n");
		args_clear(&a);
		return EXIT_INTERNAL;
	}
	if (a.load_file != NULL) {
		rc = run_load(base, &a);
		event_base_free(base);
		args_clear(&a);
		return rc;
	}
	if (a.trace) {
		rc = run_trace(base, &a);
		event_base_free(base);
		args_clear(&a);
		return rc;
	}
	s = session_new(base, &a, err, sizeof(err));
	if (s == NULL) {
		fprintf(stderr, "dnsdeck: %s\n", err);
		event_base_free(base);
		args_clear(&a);
		return EXIT_USAGE;
	}
	/* the TUI records for its 'w' key; --save for the file written at the end */
	if ((a.save_file != NULL || a.mode == ARGS_MODE_TUI) && session_record(s) < 0) {
		fprintf(stderr, "dnsdeck: out of memory\n");
		session_free(s);
		event_base_free(base);
		args_clear(&a);
		return EXIT_INTERNAL;
	}
	if (a.mode == ARGS_MODE_TUI)
		rc = run_tui(base, s, a.mx_target, a.compare);
	else if (a.compare)
		rc = run_batch_compare(base, s, a.mode);
	else if (a.mx_target != NULL)
		rc = run_batch_mx(base, s, a.mx_target, a.mode);
	else if (a.watch)
		rc = run_watch(base, s, &a);
	else
		rc = run_batch(base, s, a.mode, a.explain);
	if (a.save_file != NULL && rc != EXIT_INTERNAL)
		rc = save_session(s, a.save_file, rc);
	session_free(s);
	event_base_free(base);
	args_clear(&a);
	return rc;
}
