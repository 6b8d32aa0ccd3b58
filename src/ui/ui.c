/*
 * ui.c -- the full-screen views: terminal setup, events, keys, layout (see ui.h).
 *
 * The lookup view, top to bottom:
 *   server tabs        only when several servers were asked (n/p, ]/[ or 1-9 switch)
 *   HEADER bar         title of the header pane
 *   header pane        transport facts, opcode/rcode/ID, flags, counts, EDNS (view_header)
 *   column bar         OWNER TTL CLASS TYPE RDATA, aligned with the rows below
 *   sections pane      question, answer, authority, additional (view_sections)
 *   status line        question, server, state, key hints; or the ':' prompt
 * Tab moves the focus between the two panes; the focused pane scrolls.
 *
 * Explain mode ('e') adds a line cursor to the focused pane (Up/Down; it starts on the first
 * line) and a box above the status line that explains what the selected part of that line
 * shows, with its RFC (dns/explain.h): view.c records, for every line, the columns of each
 * field and the explanation of each (struct view_items). Left/Right (or Enter) move between
 * the fields of the line, which is underlined; 'e' or Esc leave the mode.
 *
 * The trace view ('t', ui/traceview.c): the current question resolved from the root hints
 * (--root-hints FILE), top to bottom:
 *   title bar          "Trace of <name> <type> from the root", queries, skipped, referrals, ms
 *   head               the zone cuts walked, the outcome
 *   steps pane         a block per step: cut, server asked, RTT, referral NS and glue or the
 *                      answer; skipped servers with their reason
 *   status line        question, state, key hints
 * It scrolls; 'r' traces again; 'l', Esc or 't' go back to the lookup view.
 *
 * 'w' (every view) saves the session to a file, the name asked for at a prompt prefilled with
 * "dnsdeck-YYYYmmdd-HHMMSS.session" (session_save).
 *
 * The MX view ('m', ":mx NAME", --mx), top to bottom (src/ui/mxview.c builds the lines):
 *   title bar          "MX failover plan for <domain>  mode: mx"
 *   headline           where mail goes, in a sentence, and the findings counted (rows >= 8)
 *   plan pane          DELIVERY PLAN, FINDINGS, MAIL RECORDS, with a line cursor
 *   status line        domain, state, "SMTP probe: on/off", key hints; or the ':' prompt
 * The cursor moves over the lines (Tab jumps to the next finding); Enter opens the detail of
 * the line under it (a finding's explanation and RFC, an exchange, an address and its SMTP
 * dialogue, a mail record) in an overlay that any key closes. 'l', Esc or 'm' go back.
 *
 * The comparison view ('p', ":compare name type @a @b", -C), top to bottom (src/ui/propview.c
 * builds the lines):
 *   title bar          "Propagation of <name> <type>  <n> servers"
 *   head               the summary, the discovery line (--auth) and the answer groups; as
 *                      much of it as fits in a third of the screen, the summary always
 *   column bar         ! SERVER STATUS AA RA RTT SERIAL TTL GRP ANSWER, aligned with the rows
 *   table pane         one row per server, filled in as replies arrive, with a row cursor
 *   status line        question, state, marks, key hints; or the ':' prompt
 * Enter shows the row's reply in the lookup view (where 'c' or Esc come back), Space marks
 * up to two rows and 'd' shows the diff of their answers in an overlay; 'r' asks all again.
 *
 * Events (all on the caller's event base): stdin readable, SIGWINCH, SIGINT, SIGTERM, SIGHUP
 * and a one-shot redraw timer. Callbacks only change state and call ui_schedule(); the redraw
 * timer draws, at most once per loop turn and at most UI_FPS times a second.
 */
#include "config.h"

#include <errno.h>
#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>
#include <curses.h>

#include "dns/escape.h"
#include "dns/rrtext.h"
#include "ui/mxview.h"
#include "ui/pane.h"
#include "ui/propview.h"
#include "dns/ttl.h"
#include "ui/termguard.h"
#include "ui/traceview.h"
#include "ui/ttlview.h"
#include "ui/ui.h"
#include "ui/view.h"

/* Redraws per second at most. */
#define UI_FPS 20
/* Readable-but-empty stdin events in a row before we decide the terminal is gone. */
#define UI_STDIN_STRIKES 3
/* Characters in the prompt line. */
#define UI_PROMPT_MAX 512
/* Prompt lines remembered for Up/Down. */
#define UI_HISTORY 32

enum ui_focus { UI_FOCUS_HEADER = 0, UI_FOCUS_SECTIONS };

/* What the prompt line is for. */
enum ui_prompt_kind {
	UI_PROMPT_ASK = 0, /* ':' a question (name type @server, mx NAME, compare ...) */
	UI_PROMPT_SAVE     /* 'w' the file to save the session to */
};

/* Rows of text the explain box holds at most (its border adds two). */
#define UI_EXPLAIN_ROWS 4

/* What the next rebuild does with the MX or comparison cursor when the model object changed. */
enum ui_curpos {
	UI_CURPOS_AUTO = 0, /* keep it for the same plan or comparison, reset it for another */
	UI_CURPOS_KEEP,     /* the same target asked again ('r', 'S'): keep it */
	UI_CURPOS_RESET     /* a new target: back to the top */
};

struct ui {
	struct event_base *base;
	struct session *s;
	SCREEN *scr;
	bool curses_on; /* between newterm and endwin */
	bool quitting;

	struct event *ev_stdin, *ev_winch, *ev_int, *ev_term, *ev_hup, *ev_redraw, *ev_tick;
	struct view_clock clk; /* the moment the panes were last built for */
	bool redraw_scheduled;
	bool model_dirty;    /* rebuild the pane lines before the next draw */
	bool resize_pending; /* ask the kernel for the size before the next draw */
	struct timespec last_draw;
	int stdin_strikes;
	int built_cols;

	enum ui_focus focus;
	size_t sel; /* selected server */
	struct pane hdr, sec;
	struct pane_line sec_title;
	bool help;

	bool prompt;
	enum ui_prompt_kind pkind;
	wchar_t pbuf[UI_PROMPT_MAX + 1];
	size_t plen, pcur;
	wchar_t *hist[UI_HISTORY];
	size_t nhist, hpos;

	char msg[512]; /* error from the last prompt line, shown until the next key */
	bool msg_ok;   /* msg reports a success ("saved ..."), not an error */

	/* Explain mode ('e') of the lookup view. */
	bool explain;
	struct view_items hdr_items, sec_items; /* what the parts of each line show */
	int excur[2];                           /* the selected line of each pane (ui_focus) */
	int exitem;    /* the selected item among the line's items; -1: the line's first one */
	bool exfollow; /* the selection moved: scroll its item into view at the next draw */
	struct pane_lines exbox; /* the explanation, wrapped to the box */
	struct pane_line extitle;

	/* The trace view. */
	struct pane tr;             /* the steps (traceview_body) */
	struct pane_lines trhead;   /* zone cuts and outcome (traceview_head) */
	struct pane_line trtitle;   /* the title bar (traceview_title) */
	const struct trace *trseen; /* the trace the scroll position belongs to */

	/* The MX view. */
	struct pane mx;               /* plan, findings, records (mxview_body) */
	struct mxview_ref *mxrefs;    /* one per line of mx.lines */
	struct pane_lines mxhead;     /* the headline (mxview_headline) */
	struct pane_line mxtitle;     /* the title bar (mxview_title) */
	int mxcur;                    /* the cursor's line in mx.lines */
	const struct mxplan *mxseen;  /* the plan the cursor was placed in */
	enum ui_curpos mxpos;         /* what the next rebuild does with the cursor */
	bool smtp;                    /* the SMTP probe is on ('S') */
	bool detail;                  /* the detail overlay is open */
	struct mxview_ref detail_ref; /* the line it shows */
	struct pane_lines detail_lines;
	struct pane_line detail_title;
	int detail_cols;  /* COLS the detail was built for */
	bool detail_diff; /* the overlay shows the diff of two comparison rows, not MX detail */
	bool detail_hist; /* the overlay shows the selected server's change history ('h') */

	/* The TTL pane ('T'), over whichever view is below it. */
	bool ttl;
	struct pane tt;
	struct pane_line ttcols, tttitle;

	/* The comparison view. */
	struct pane pr;                 /* the table (propview_table) */
	size_t *prrows;                 /* the row of each line of pr.lines */
	size_t prnrows;                 /* rows in the table */
	struct pane_line prcols;        /* the column titles above it */
	struct pane_lines prhead;       /* summary, discovery, groups (propview_head) */
	size_t prsum;                   /* lines of prhead the summary takes */
	struct pane_line prtitle;       /* the title bar (propview_title) */
	int prcur;                      /* the cursor's row */
	const struct prop *prseen;      /* the comparison the cursor and marks belong to */
	enum ui_curpos prpos;           /* what the next rebuild does with cursor and marks */
	size_t prmarks[PROPVIEW_MARKS]; /* marked rows, oldest first */
	size_t nprmarks;
	size_t diff_a, diff_b; /* the rows the diff overlay compares */
	long msg_prow;         /* msg says row msg_prow has not answered: it goes
	                          when the row fills in (-1: no such message) */
};

/* The active UI, for ui_restore_terminal() on fatal paths. */
static struct ui *ui_current;

static double ui_elapsed_ms(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1000.0 + (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

/* Ask for a redraw: now if the last one is old enough, else when the rate cap allows. */
static void ui_schedule(struct ui *ui)
{
	struct timespec now;
	double since;

	if (ui->redraw_scheduled || ui->quitting || !ui->curses_on)
		return;
	ui->redraw_scheduled = true;
	clock_gettime(CLOCK_MONOTONIC, &now);
	since = ui_elapsed_ms(&ui->last_draw, &now);
	if (since >= 1000.0 / UI_FPS || since < 0) {
		event_active(ui->ev_redraw, EV_TIMEOUT, 0);
	} else {
		double wait_ms = 1000.0 / UI_FPS - since;
		struct timeval tv = {0, (suseconds_t)(wait_ms * 1000.0) + 1};

		evtimer_add(ui->ev_redraw, &tv);
	}
}

static void ui_end_curses(struct ui *ui)
{
	if (!ui || !ui->curses_on)
		return;
	ui->curses_on = false;
	if (!isendwin()) {
		curs_set(1);
		endwin();
	}
	fflush(stdout);
	termguard_disarm(); /* restored: a crash from now on needs no undoing */
}

static void ui_quit(struct ui *ui)
{
	if (ui->quitting)
		return;
	ui->quitting = true;
	ui_end_curses(ui);
	event_base_loopbreak(ui->base);
}

/* ---- drawing ---------------------------------------------------------------------------- */

static const struct lookup_reply *ui_reply(const struct ui *ui, size_t *count)
{
	const struct lookup *l = session_lookup(ui->s);
	size_t n = l ? lookup_count(l) : 0;

	if (count)
		*count = n;
	if (n == 0)
		return NULL;
	return lookup_reply_at(l, ui->sel < n ? ui->sel : n - 1);
}

static bool ui_in_mx(const struct ui *ui)
{
	return session_get_view(ui->s) == SESSION_VIEW_MX && session_mxplan(ui->s) != NULL;
}

static bool ui_in_prop(const struct ui *ui)
{
	return session_get_view(ui->s) == SESSION_VIEW_COMPARE && session_prop(ui->s) != NULL;
}

static bool ui_in_trace(const struct ui *ui)
{
	return session_get_view(ui->s) == SESSION_VIEW_TRACE && session_get_trace(ui->s) != NULL;
}

/* The 'h' overlay: every change of the selected server's answer, oldest first. */
static int ui_build_history(struct ui *ui, int w)
{
	const struct lookup_reply *r = ui_reply(ui, NULL);
	struct pane_builder b;
	char srv[320], none[160];

	if (r == NULL)
		return 0;
	pane_builder_init(&b, &ui->detail_lines, w, NULL);
	if (pane_line_add(&ui->detail_title, PANE_VALUE, "changes from %s",
	                  view_server(srv, sizeof(srv), r)) < 0)
		return -1;
	if (r->nhistory == 0) {
		snprintf(none, sizeof(none), "no change yet: asked %u time%s, the same answer%s",
		         r->asked, r->asked == 1 ? "" : "s",
		         ui->clk.autoreask ? "; asked again when it expires"
		                           : "; 'a' asks again when it expires");
		pane_builder_wrap(&b, pane_builder_line(&b), 0, PANE_DIM, none, NULL);
	}
	for (size_t k = 0; k < r->nhistory; k++) {
		const struct lookup_change *c = &r->history[k];
		struct pane_line *l = pane_builder_line(&b);
		char when[16] = "?";
		struct tm tm;

		if (localtime_r(&c->wall.tv_sec, &tm))
			strftime(when, sizeof(when), "%H:%M:%S", &tm);
		pane_builder_add(&b, l, PANE_VALUE, "%s", when);
		pane_builder_add(&b, l, PANE_DIM, "  +%zu -%zu", c->added, c->removed);
		l = pane_builder_line(&b);
		pane_builder_add(&b, l, PANE_DIM, "  old ");
		pane_builder_wrap(&b, l, 6, PANE_NORMAL, c->before, NULL);
		l = pane_builder_line(&b);
		pane_builder_add(&b, l, PANE_DIM, "  new ");
		pane_builder_wrap(&b, l, 6, PANE_CHANGED, c->after, NULL);
	}
	pane_lines_measure(&ui->detail_lines);
	return b.err ? -1 : 1;
}

/*
 * The overlay's lines, in the box width for the current size: the MX detail of
 * ui->detail_ref, or the diff of comparison rows diff_a and diff_b.
 */
static int ui_build_detail(struct ui *ui)
{
	int bw = COLS < 96 ? COLS : 96;
	int w = bw - 4 > 8 ? bw - 4 : 8;

	pane_lines_clear(&ui->detail_lines);
	pane_line_clear(&ui->detail_title);
	ui->detail_cols = COLS;
	if (ui->detail_hist)
		return ui_build_history(ui, w);
	if (ui->detail_diff)
		return propview_diff(&ui->detail_lines, &ui->detail_title, session_prop(ui->s),
		                     ui->diff_a, ui->diff_b, w);
	return mxview_detail(&ui->detail_lines, &ui->detail_title, session_mxplan(ui->s),
	                     &ui->detail_ref, w);
}

static void ui_rebuild_mx(struct ui *ui)
{
	const struct mxplan *p = session_mxplan(ui->s);
	int w = COLS - 1 > 1 ? COLS - 1 : 1;

	pane_lines_clear(&ui->mx.lines);
	free(ui->mxrefs);
	ui->mxrefs = NULL;
	pane_lines_clear(&ui->mxhead);
	pane_line_clear(&ui->mxtitle);
	if (ui->mxpos == UI_CURPOS_RESET || (p != ui->mxseen && ui->mxpos != UI_CURPOS_KEEP)) {
		ui->mxcur = 0;
		ui->mx.top = ui->mx.hoff = 0;
	}
	ui->mxpos = UI_CURPOS_AUTO;
	ui->mxseen = p;
	ui->smtp = session_get_smtp(ui->s);
	/* On a memory shortage we show what was built; nothing better to do on screen. */
	(void)mxview_title(&ui->mxtitle, p);
	if (!p)
		return;
	(void)mxview_headline(&ui->mxhead, p, w);
	pane_lines_measure(&ui->mxhead);
	if (mxview_body(&ui->mx.lines, &ui->mxrefs, p, ui->smtp, w, ui->clk.now_ms) < 0 &&
	    !ui->mxrefs)
		pane_lines_clear(&ui->mx.lines); /* no references: the cursor cannot work */
	if (ui->detail && !ui->detail_diff && ui->detail_cols != COLS && ui_build_detail(ui) <= 0)
		ui->detail = false;
}

/* Forget marks that no longer name a row (a comparison asked again may have fewer). */
static void ui_prop_fix_marks(struct ui *ui, size_t nrows)
{
	size_t k = 0;

	for (size_t i = 0; i < ui->nprmarks; i++)
		if (ui->prmarks[i] < nrows)
			ui->prmarks[k++] = ui->prmarks[i];
	ui->nprmarks = k;
}

static void ui_rebuild_prop(struct ui *ui)
{
	const struct prop *p = session_prop(ui->s);
	int w = COLS - 1 > 1 ? COLS - 1 : 1;

	pane_lines_clear(&ui->pr.lines);
	free(ui->prrows);
	ui->prrows = NULL;
	ui->prnrows = 0;
	pane_line_clear(&ui->prcols);
	pane_lines_clear(&ui->prhead);
	pane_line_clear(&ui->prtitle);
	if (ui->prpos == UI_CURPOS_RESET || (p != ui->prseen && ui->prpos != UI_CURPOS_KEEP)) {
		ui->prcur = 0;
		ui->pr.top = ui->pr.hoff = 0;
		ui->nprmarks = 0;
	}
	ui->prpos = UI_CURPOS_AUTO;
	ui->prseen = p;
	/* On a memory shortage we show what was built; nothing better to do on screen. */
	(void)propview_title(&ui->prtitle, p);
	if (!p)
		return;
	ui_prop_fix_marks(ui, prop_nrows(p));
	if (ui->msg_prow >= 0) {
		const struct prop_row *r =
		    (size_t)ui->msg_prow < prop_nrows(p) ? prop_row(p, (size_t)ui->msg_prow) : NULL;

		if (!r || r->status != PROP_PENDING) {
			ui->msg[0] = '\0';
			ui->msg_prow = -1;
		}
	}
	ui->prsum = 0;
	(void)propview_head(&ui->prhead, &ui->prsum, p, w, &ui->clk);
	if (propview_table(&ui->pr.lines, &ui->prrows, &ui->prcols, p, ui->prmarks, ui->nprmarks, w,
	                   &ui->clk) < 0 &&
	    !ui->prrows)
		pane_lines_clear(&ui->pr.lines); /* without rows the cursor cannot work */
	if (ui->prrows && ui->pr.lines.n > 0)
		ui->prnrows = ui->prrows[ui->pr.lines.n - 1] + 1;
	/* Rows fill in while the diff is open: it follows the model. */
	if (ui->detail && ui->detail_diff && ui_build_detail(ui) <= 0)
		ui->detail = false;
}

static void ui_rebuild_trace(struct ui *ui)
{
	const struct trace *t = session_get_trace(ui->s);
	int w = COLS - 1 > 1 ? COLS - 1 : 1;

	pane_lines_clear(&ui->tr.lines);
	pane_lines_clear(&ui->trhead);
	pane_line_clear(&ui->trtitle);
	if (t != ui->trseen)
		ui->tr.top = ui->tr.hoff = 0;
	ui->trseen = t;
	/* On a memory shortage we show what was built; nothing better to do on screen. */
	(void)traceview_title(&ui->trtitle, t);
	if (!t)
		return;
	(void)traceview_head(&ui->trhead, t, w);
	(void)traceview_body(&ui->tr.lines, t, w);
}

static void ui_rebuild(struct ui *ui)
{
	const struct lookup *l = session_lookup(ui->s);
	const struct lookup_reply *r;
	size_t n;
	int w = COLS - 1;

	ui->clk.now_ms = ttl_now_ms();
	ttl_now_wall(&ui->clk.now_wall);
	ui->clk.autoreask = session_get_autoreask(ui->s);
	if (ui->detail && ui->detail_hist && ui_build_detail(ui) <= 0)
		ui->detail = false;
	if (ui->ttl) {
		pane_lines_clear(&ui->tt.lines);
		pane_line_clear(&ui->ttcols);
		pane_line_clear(&ui->tttitle);
		(void)ttlview_title(&ui->tttitle, session_ttls(ui->s), &ui->clk);
		(void)ttlview_lines(&ui->tt.lines, &ui->ttcols, session_ttls(ui->s), &ui->clk);
	}
	if (ui_in_mx(ui)) {
		ui_rebuild_mx(ui);
		ui->model_dirty = false;
		ui->built_cols = COLS;
		return;
	}
	if (ui_in_prop(ui)) {
		ui_rebuild_prop(ui);
		ui->model_dirty = false;
		ui->built_cols = COLS;
		return;
	}
	if (ui_in_trace(ui)) {
		ui_rebuild_trace(ui);
		ui->model_dirty = false;
		ui->built_cols = COLS;
		return;
	}

	pane_lines_clear(&ui->hdr.lines);
	pane_lines_clear(&ui->sec.lines);
	pane_line_clear(&ui->sec_title);
	view_items_clear(&ui->hdr_items);
	view_items_clear(&ui->sec_items);
	r = ui_reply(ui, &n);
	if (ui->sel >= n)
		ui->sel = n ? n - 1 : 0;
	if (r) {
		/* On a memory shortage we show what was built; nothing better to do on screen. */
		(void)view_header(&ui->hdr.lines, &ui->hdr_items, r, w > 1 ? w : 1, &ui->clk);
		pane_lines_measure(&ui->hdr.lines);
		(void)view_sections(&ui->sec.lines, &ui->sec_title, &ui->sec_items, r,
		                    lookup_question(l), w > 1 ? w : 1, &ui->clk);
	}
	ui->model_dirty = false;
	ui->built_cols = COLS;
}

static void ui_apply_size(struct ui *ui)
{
	struct winsize ws;

	ui->resize_pending = false;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) < 0 && ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) < 0)
		return;
	if (ws.ws_row == 0 || ws.ws_col == 0)
		return;
	if (ws.ws_row != LINES || ws.ws_col != COLS) {
		resizeterm(ws.ws_row, ws.ws_col);
		/*
		 * The terminal may have cut or reflowed what it showed while it was smaller, so
		 * ncurses' idea of the screen is stale: repaint all of it, not just the changes.
		 */
		clearok(curscr, TRUE);
		ui->model_dirty = true;
	}
}

/* A pane's title bar; right is drawn at the right end when it fits. */
static void ui_draw_bar(struct ui *ui, int y, bool focused, const struct pane_line *title, int hoff,
                        int frozen, const char *right)
{
	int style = focused ? PANE_BAR_FOCUS : PANE_BAR;
	int cols = COLS, rw = right ? pane_textwidth(right) : 0;
	int tw = cols - 1;

	pane_fill(y, 0, cols, style);
	if (focused)
		pane_put(y, 0, 1, 0, style, pane_glyph(PANE_G_FOCUS));
	if (rw > 0 && rw + 12 <= cols) {
		pane_put(y, cols - rw - 1, rw, 0, style, right);
		tw = cols - rw - 3;
	}
	if (title && tw > 0)
		pane_draw_line(y, 1, tw, hoff, frozen, title, style);
}

static void ui_pos(char *buf, size_t len, const struct pane *p, int h)
{
	int n = (int)p->lines.n;

	if (n <= h && p->hoff == 0) {
		*buf = '\0';
		return;
	}
	if (p->hoff > 0)
		snprintf(buf, len, "%d-%d/%d  col %d", n ? p->top + 1 : 0,
		         p->top + h < n ? p->top + h : n, n, p->hoff + 1);
	else
		snprintf(buf, len, "%d-%d/%d", n ? p->top + 1 : 0, p->top + h < n ? p->top + h : n,
		         n);
}

/* The text of server i's tab, e.g. "▶1 127.0.53.1 NOERROR 0.3 ms "; returns its width. */
static int ui_tab_text(const struct ui *ui, size_t i, char *buf, size_t len)
{
	const struct lookup_reply *r = lookup_reply_at(session_lookup(ui->s), i);
	const char *label = r->server.label ? r->server.label : "?";
	char *esc = esc_str(*label == '@' ? label + 1 : label);
	char st[96];

	view_state(st, sizeof(st), r);
	/* The marker tells the selected tab apart in monochrome and in a capture too. */
	snprintf(buf, len, "%s%zu %.96s %s ", i == ui->sel ? pane_glyph(PANE_G_FOCUS) : " ", i + 1,
	         esc ? esc : "?", st);
	free(esc);
	return pane_textwidth(buf) + 1;
}

/* One tab per server, scrolled so that the selected one is visible. */
static void ui_draw_tabs(struct ui *ui, int y)
{
	size_t n = lookup_count(session_lookup(ui->s)), first;
	char tab[256];
	int total, x = 0;

	if (n == 0)
		return;
	first = ui->sel < n ? ui->sel : n - 1;
	total = ui_tab_text(ui, first, tab, sizeof(tab));
	while (first > 0) {
		int w = ui_tab_text(ui, first - 1, tab, sizeof(tab));

		if (total + w > COLS)
			break;
		total += w;
		first--;
	}
	for (size_t i = first; i < n && x < COLS; i++) {
		ui_tab_text(ui, i, tab, sizeof(tab));
		x += pane_put(y, x, COLS - x, 0, i == ui->sel ? PANE_TAB_SEL : PANE_TAB, tab);
		x += pane_put(y, x, COLS - x, 0, PANE_DIM, " ");
	}
}

/*
 * Key hints ("? help  q quit ...") at the right end of the status line, right of column x:
 * as many as fit, most important first.
 */
static void ui_draw_hints(int y, int x, const char *const (*hints)[2], size_t nh)
{
	int cols = COLS;

	for (size_t show = nh; show > 0; show--) {
		int hw = 0, hx;

		for (size_t i = 0; i < show; i++)
			hw += pane_textwidth(hints[i][0]) + 1 + pane_textwidth(hints[i][1]) + 2;
		if (x + 2 + hw > cols)
			continue;
		hx = cols - hw;
		for (size_t i = 0; i < show; i++) {
			hx += pane_put(y, hx, cols - hx, 0, PANE_KEY, hints[i][0]);
			hx += pane_put(y, hx, cols - hx, 0, PANE_DIM, " ");
			hx += pane_put(y, hx, cols - hx, 0, PANE_DIM, hints[i][1]);
			hx += pane_put(y, hx, cols - hx, 0, PANE_DIM, "  ");
		}
		break;
	}
}

static void ui_draw_status(struct ui *ui, int y)
{
	/* Key hints, most important first: the tail is dropped when the line is short. */
	static const char *const hints[][2] = {
	    {"?", "help"},  {"q", "quit"}, {"m", "MX plan"}, {"p", "compare"}, {"e", "explain"},
	    {"t", "trace"}, {"w", "save"}, {":", "query"},   {"r", "again"},   {"Tab", "pane"}};
	/* With a comparison behind this view, the way back to it comes first. */
	static const char *const hints_back[][2] = {
	    {"?", "help"},  {"q", "quit"}, {"c", "comparison"}, {"m", "MX plan"}, {"e", "explain"},
	    {"t", "trace"}, {"w", "save"}, {":", "query"},      {"r", "again"},   {"Tab", "pane"}};
	/* In explain mode: how to move the selection, and the way out. */
	static const char *const hints_explain[][2] = {{"?", "help"},
	                                               {"e", "explain off"},
	                                               {"Up Down", "line"},
	                                               {"Left Right", "field"},
	                                               {"Tab", "pane"}};
	bool back = session_prop(ui->s) != NULL;
	const char *const(*hl)[2] = ui->explain ? hints_explain : back ? hints_back : hints;
	const size_t nh = ui->explain ? sizeof(hints_explain) / sizeof(hints_explain[0])
	                  : back      ? sizeof(hints_back) / sizeof(hints_back[0])
	                              : sizeof(hints) / sizeof(hints[0]);
	const struct lookup_reply *r;
	char *qline = session_question_line(ui->s);
	char *q = esc_str(qline ? qline : "");
	char st[sizeof(ui->msg) + 64] = "";
	int style = PANE_DIM, x = 1, cols = COLS;
	size_t n;

	free(qline);
	r = ui_reply(ui, &n);
	if (*ui->msg) {
		snprintf(st, sizeof(st), "%s", ui->msg);
		style = ui->msg_ok ? PANE_OK : PANE_ERR;
	} else if (r) {
		style = view_state(st, sizeof(st), r);
		if (n > 1) {
			const struct lookup *l = session_lookup(ui->s);
			size_t done = 0;

			for (size_t i = 0; i < n; i++)
				done += lookup_reply_at(l, i)->state == LOOKUP_DONE;
			snprintf(st + strlen(st), sizeof(st) - strlen(st), "  [%zu/%zu, %zu done]",
			         ui->sel + 1, n, done);
		}
	} else {
		snprintf(st, sizeof(st), "starting%s", pane_glyph(PANE_G_ELLIPSIS));
	}

	x += pane_put(y, x, cols - x, 0, PANE_VALUE, q ? q : "");
	free(q);
	x += pane_put(y, x, cols - x, 0, PANE_NORMAL, "  ");
	x += pane_put(y, x, cols - x, 0, style, st);
	ui_draw_hints(y, x, hl, nh);
}

static void ui_draw_prompt(struct ui *ui, int y)
{
	const char *label = ui->pkind == UI_PROMPT_SAVE ? "save to: " : ": ";
	int cols = COLS, avail, curcol = 0, start = 0, x;
	char mb[MB_LEN_MAX + 1];

	x = pane_put(y, 0, cols, 0, PANE_KEY, label);
	avail = cols - x;
	if (avail <= 0)
		return;
	for (size_t i = 0; i < ui->pcur; i++) {
		int w = wcwidth(ui->pbuf[i]);

		curcol += w > 0 ? w : 1;
	}
	/* Scroll the line so the cursor stays visible. */
	if (curcol >= avail)
		start = curcol - avail + 1;
	if (ui->plen == 0) {
		pane_put(
		    y, x, avail, 0, PANE_DIM,
		    ui->pkind == UI_PROMPT_SAVE ? "a file name  (Enter saves, Esc cancels)"
		    : ui_in_mx(ui)   ? "mx NAME | mx user@domain | name type @server  (Enter, Esc)"
		    : ui_in_prop(ui) ? "compare name type @a @b | name type @server  (Enter, Esc)"
		                     : "name type @server +opts  (Enter asks, Esc cancels)");
	} else {
		int col = 0;

		for (size_t i = 0; i < ui->plen; i++) {
			mbstate_t st;
			size_t k;
			int w = wcwidth(ui->pbuf[i]);

			w = w > 0 ? w : 1;
			if (col >= start && col - start + w <= avail) {
				memset(&st, 0, sizeof(st));
				k = wcrtomb(mb, ui->pbuf[i], &st);
				if (k == (size_t)-1)
					k = (size_t)snprintf(mb, sizeof(mb), "?");
				mb[k] = '\0';
				pane_put(y, x + col - start, w, 0, PANE_NORMAL, mb);
			}
			col += w;
		}
	}
	move(y, x + curcol - start);
}

/* Every key the lookup view knows; keep in step with ui_key() and ui_prompt_key(). */
static const char *const ui_help_lines[][2] = {
    {"Up Down  j k  ^P ^N", "scroll one line"},
    {"PgUp PgDn  b Space  ^B ^F", "scroll one page"},
    {"Home End  g G", "first / last line"},
    {"Left Right  l  < >", "scroll the rdata sideways; 0 back"},
    {"Tab  Shift-Tab", "switch pane: header / sections"},
    {"n N  ] [  1-9", "next / previous / n-th server"},
    {":  /", "ask a new question: name type @server +opts,"},
    {"", "plan mail: mx NAME, mx user@domain, or compare"},
    {"", "servers: compare name type @a @b"},
    {"r", "ask the same question again"},
    {"a", "ask again when an answer expires: on / off"},
    {"h", "this server's answer changes (history)"},
    {"T", "TTL pane: every RRset seen, soonest expiry first"},
    {"m", "MX failover plan of this name (where mail goes)"},
    {"p", "compare this question across servers"},
    {"e", "explain mode: each field's meaning and its RFC"},
    {"t", "trace this question from the root, cut by cut"},
    {"w", "save the session to a file (--load reopens it)"},
    {"c  Esc", "back to the comparison, when there is one"},
    {"^L", "redraw the screen"},
    {"?  F1", "this help"},
    {"q  ^C", "quit"},
    {"", ""},
    {"prompt", "Enter asks, Esc cancels, Up/Down history,"},
    {"", "^U clears, ^W deletes a word, ^A ^E Home End"},
};

/* Every key the MX view knows; keep in step with ui_key_mx() and ui_prompt_key(). */
static const char *const ui_help_mx_lines[][2] = {
    {"Up Down  j k  ^P ^N", "move the cursor one line"},
    {"PgUp PgDn  b Space  ^B ^F", "move the cursor one page"},
    {"Home End  g G", "first / last line"},
    {"Left Right  < >", "scroll sideways; 0 back"},
    {"Tab  Shift-Tab", "next / previous finding"},
    {"Enter", "explain the line under the cursor: a finding"},
    {"", "(explanation, RFC), an exchange, an address"},
    {"", "(PTR, SMTP reply) or a mail record in full"},
    {"r", "plan again: ask every question again"},
    {"S", "SMTP probe on/off (TCP port 25), then plan again"},
    {"l  Esc  m", "back to the lookup view"},
    {":  /", "plan another domain: mx NAME, mx user@domain;"},
    {"", "a query (name type @server) opens the lookup view"},
    {"w", "save the session to a file"},
    {"^L", "redraw the screen"},
    {"?  F1", "this help"},
    {"q  ^C", "quit"},
};

/* Every key the comparison view knows; keep in step with ui_key_prop() and ui_prompt_key(). */
static const char *const ui_help_prop_lines[][2] = {
    {"Up Down  j k  ^P ^N", "move the cursor one server"},
    {"PgUp PgDn  b  ^B ^F", "move the cursor one page"},
    {"Home End  g G", "first / last server"},
    {"Left Right  < >", "scroll the columns sideways; 0 back"},
    {"Tab  Shift-Tab", "next / previous server that differs (!, behind)"},
    {"Enter", "that server's full reply in the lookup view"},
    {"", "(where c or Esc come back here)"},
    {"Space", "mark / unmark a server: the first marked is"},
    {"", "the diff's - side, the second its + side"},
    {"d", "diff the answers of the two marked servers"},
    {"r", "ask every server again"},
    {"l  Esc  p", "back to the lookup view"},
    {":  /", "compare name type @a @b, or ask a query"},
    {"w", "save the session to a file"},
    {"^L", "redraw the screen"},
    {"?  F1", "this help"},
    {"q  ^C", "quit"},
    {"", ""},
    {"!  GRP", "not in the majority's answer group (1*)"},
    {"SERIAL", "the zone's SOA serial there, RFC 1982 order"},
};

/* Every key of explain mode in the lookup view; keep in step with ui_key_explain(). */
static const char *const ui_help_explain_lines[][2] = {
    {"Up Down  j k  ^P ^N", "select the line above / below"},
    {"PgUp PgDn  b Space", "select a line one page up / down"},
    {"Home End  g G", "first / last line"},
    {"Left Right  Enter", "previous / next field of the line"},
    {"< >  l", "scroll the rdata sideways; 0 back"},
    {"Tab  Shift-Tab", "switch pane: header / sections"},
    {"e  Esc", "leave explain mode"},
    {"", "the box above the status line explains the"},
    {"", "underlined field, with the RFC it comes from"},
    {"w", "save the session to a file"},
    {"?  F1", "this help"},
    {"q  ^C", "quit"},
};

/* Every key the trace view knows; keep in step with ui_key_trace(). */
static const char *const ui_help_trace_lines[][2] = {
    {"Up Down  j k  ^P ^N", "scroll one line"},
    {"PgUp PgDn  b Space  ^B ^F", "scroll one page"},
    {"Home End  g G", "first / last line"},
    {"Left Right  < >", "scroll sideways; 0 back"},
    {"r", "trace again from the root"},
    {"l  Esc  t", "back to the lookup view"},
    {"w", "save the session to a file"},
    {"^L", "redraw the screen"},
    {"?  F1", "this help"},
    {"q  ^C", "quit"},
    {"", ""},
    {"A -> B", "a referral: zone A's server sent the question"},
    {"", "down to zone B, with B's NS RRset and glue"},
    {"skipped", "a server that timed out, refused or was lame;"},
    {"", "the next server of the same zone was asked"},
};

/* A blank box with a border, and a title set into its top edge. */
static void ui_draw_box(int by, int bx, int bh, int bw, const struct pane_line *title)
{
	for (int i = 0; i < bh; i++)
		pane_fill(by + i, bx, bw, PANE_NORMAL);
	attr_set(A_BOLD, 0, NULL);
	mvadd_wch(by, bx, WACS_ULCORNER);
	mvadd_wch(by, bx + bw - 1, WACS_URCORNER);
	mvadd_wch(by + bh - 1, bx, WACS_LLCORNER);
	mvadd_wch(by + bh - 1, bx + bw - 1, WACS_LRCORNER);
	mvhline_set(by, bx + 1, WACS_HLINE, bw - 2);
	mvhline_set(by + bh - 1, bx + 1, WACS_HLINE, bw - 2);
	mvvline_set(by + 1, bx, WACS_VLINE, bh - 2);
	mvvline_set(by + 1, bx + bw - 1, WACS_VLINE, bh - 2);
	attr_set(A_NORMAL, 0, NULL);
	if (title && bw > 6) {
		int tw = title->width + 2 < bw - 4 ? title->width + 2 : bw - 4;

		pane_fill(by, bx + 2, tw, PANE_NORMAL);
		pane_draw_line(by, bx + 3, tw - 2, 0, 0, title, PANE_NORMAL);
	}
}

static void ui_draw_help(struct ui *ui)
{
	bool mx = ui_in_mx(ui), prop = !mx && ui_in_prop(ui);
	bool trace = !mx && !prop && ui_in_trace(ui), ex = !mx && !prop && !trace && ui->explain;
	const char *const(*lines)[2] = mx      ? ui_help_mx_lines
	                               : prop  ? ui_help_prop_lines
	                               : trace ? ui_help_trace_lines
	                               : ex    ? ui_help_explain_lines
	                                       : ui_help_lines;
	const size_t n = mx      ? sizeof(ui_help_mx_lines) / sizeof(ui_help_mx_lines[0])
	                 : prop  ? sizeof(ui_help_prop_lines) / sizeof(ui_help_prop_lines[0])
	                 : trace ? sizeof(ui_help_trace_lines) / sizeof(ui_help_trace_lines[0])
	                 : ex    ? sizeof(ui_help_explain_lines) / sizeof(ui_help_explain_lines[0])
	                         : sizeof(ui_help_lines) / sizeof(ui_help_lines[0]);
	struct pane_line title = {0};
	int kw = 0, dw = 0, bw, bh, by, bx;

	for (size_t i = 0; i < n; i++) {
		int a = pane_textwidth(lines[i][0]), b = pane_textwidth(lines[i][1]);

		kw = a > kw ? a : kw;
		dw = b > dw ? b : dw;
	}
	bw = kw + dw + 7;
	bh = (int)n + 4;
	if (bw > COLS)
		bw = COLS;
	if (bh > LINES)
		bh = LINES;
	if (bw < 3 || bh < 3)
		return;
	by = (LINES - bh) / 2;
	bx = (COLS - bw) / 2;
	pane_line_add(&title, PANE_VALUE, "dnsdeck keys%s",
	              mx      ? ": MX view"
	              : prop  ? ": comparison"
	              : trace ? ": trace"
	              : ex    ? ": explain mode"
	                      : "");
	ui_draw_box(by, bx, bh, bw, &title);
	pane_line_clear(&title);
	for (size_t i = 0; i < n && (int)i + 1 < bh - 2; i++) {
		int y = by + 1 + (int)i;

		pane_put(y, bx + 2, bw - 4, 0, PANE_KEY, lines[i][0]);
		if (bw - 4 - kw - 2 > 0)
			pane_put(y, bx + 2 + kw + 2, bw - 4 - kw - 2, 0, PANE_NORMAL, lines[i][1]);
	}
	if (bh >= 4)
		pane_put(by + bh - 2, bx + 2, bw - 4, 0, PANE_DIM, "press any key to close");
}

/* The overlay: the MX detail or the comparison diff (built by ui_build_detail). */
static void ui_draw_detail(struct ui *ui)
{
	int n = (int)ui->detail_lines.n, bw = COLS < 96 ? COLS : 96, bh = n + 4, by, bx, room;

	if (bh > LINES)
		bh = LINES;
	if (bw < 3 || bh < 3)
		return;
	by = (LINES - bh) / 2;
	bx = (COLS - bw) / 2;
	/* Blank the rows it covers: text peeking out beside the box would read as part of it. */
	for (int i = 0; i < bh; i++)
		pane_fill(by + i, 0, COLS, PANE_NORMAL);
	ui_draw_box(by, bx, bh, bw, &ui->detail_title);
	/* Rows inside the border, less the closing hint (and a blank) when there is room. */
	room = bh - 2 - (bh >= 6 ? 2 : 0);
	for (int i = 0; i < n && i < room; i++) {
		if (i == room - 1 && n > room)
			pane_put(by + 1 + i, bx + 2, bw - 4, 0, PANE_DIM,
			         "(more: a larger window shows all of it)");
		else
			pane_draw_line(by + 1 + i, bx + 2, bw - 4, 0, 0, &ui->detail_lines.v[i],
			               PANE_NORMAL);
	}
	if (bh >= 6)
		pane_put(by + bh - 2, bx + 2, bw - 4, 0, PANE_DIM, "press any key to close");
}

/* The status line of the MX view: domain, state, SMTP probe, key hints. */
static void ui_draw_status_mx(struct ui *ui, int y)
{
	/* Key hints, most important first: the tail is dropped when the line is short. */
	static const char *const hints[][2] = {
	    {"?", "help"},      {"q", "quit"}, {"l", "lookup"}, {"Enter", "explain"},
	    {"Tab", "finding"}, {"S", "SMTP"}, {"r", "again"}};
	const size_t nh = sizeof(hints) / sizeof(hints[0]);
	const struct mxplan *p = session_mxplan(ui->s);
	char st[sizeof(ui->msg) + 64];
	int style, x = 1, cols = COLS;

	if (*ui->msg) {
		snprintf(st, sizeof(st), "%s", ui->msg);
		style = ui->msg_ok ? PANE_OK : PANE_ERR;
	} else {
		style = mxview_state(st, sizeof(st), p);
	}
	x += pane_put(y, x, cols - x, 0, PANE_DIM, "mx ");
	x += pane_put(y, x, cols - x, 0, PANE_VALUE, p && mxplan_domain(p) ? mxplan_domain(p) : "");
	x += pane_put(y, x, cols - x, 0, PANE_NORMAL, "  ");
	x += pane_put(y, x, cols - x, 0, style, st);
	x += pane_put(y, x, cols - x, 0, PANE_NORMAL, "  ");
	x += pane_put(y, x, cols - x, 0, PANE_DIM, "SMTP probe: ");
	x += pane_put(y, x, cols - x, 0, ui->smtp ? PANE_OK : PANE_DIM, ui->smtp ? "on" : "off");
	ui_draw_hints(y, x, hints, nh);
}

/* Keep the MX cursor on a line, and that line in a pane h rows high. */
static void ui_mx_follow(struct ui *ui, int h)
{
	int n = (int)ui->mx.lines.n;

	if (ui->mxcur >= n)
		ui->mxcur = n - 1;
	if (ui->mxcur < 0)
		ui->mxcur = 0;
	pane_clamp(&ui->mx, h, COLS - 1);
	if (h <= 0)
		return;
	if (ui->mxcur < ui->mx.top)
		ui->mx.top = ui->mxcur;
	if (ui->mxcur >= ui->mx.top + h)
		ui->mx.top = ui->mxcur - h + 1;
}

/*
 * The head lines of a view at row y, from column x: they stay put above its scrolling pane
 * while there is room for both, that is when min_room rows are left above the status line,
 * and take a third of those rows at most. Returns the rows drawn.
 */
static int ui_draw_head(const struct pane_lines *head, int y, int status_y, int min_room, int x)
{
	int n = (int)head->n;

	if (status_y - y < min_room)
		return 0;
	if (n > (status_y - y) / 3)
		n = (status_y - y) / 3;
	for (int i = 0; i < n; i++)
		pane_draw_line(y + i, x, COLS - x, 0, 0, &head->v[i], PANE_NORMAL);
	return n;
}

/* The MX view above the status line: title bar, headline, the plan pane with its cursor. */
static void ui_draw_mx(struct ui *ui, int status_y)
{
	int cols = COLS, y = 0, h;
	bool bar = status_y >= 3;
	char pos[64];

	if (bar)
		y++;
	y += ui_draw_head(&ui->mxhead, y, status_y, 7, 1);
	h = status_y - y;
	ui_mx_follow(ui, h);
	if (bar) {
		ui_pos(pos, sizeof(pos), &ui->mx, h);
		ui_draw_bar(ui, 0, false, &ui->mxtitle, 0, 0, pos);
	}
	if (h <= 0)
		return;
	pane_draw(&ui->mx, y, 1, h, cols - 1);
	if (ui->mx.lines.n > 0) {
		int cy = y + ui->mxcur - ui->mx.top;

		if (cy >= y && cy < y + h) {
			/* The marker shows the cursor in monochrome and in a screen capture too. */
			pane_put(cy, 0, 1, 0, PANE_KEY, pane_glyph(PANE_G_FOCUS));
			if (cols > 1)
				mvchgat(cy, 1, cols - 1, A_REVERSE, 0, NULL);
		}
	}
}

/*
 * The start of the status line of a view about one question: "<word> <name> <type>  <state>",
 * or the message of the last key instead of the state. Returns the column after it.
 */
static int ui_status_question(struct ui *ui, int y, const char *word, const struct query_spec *q,
                              const char *state, int style)
{
	char *name = q && q->qname ? rrtext_dname(q->qname) : NULL;
	char type[32];
	int x = 1, cols = COLS;

	if (*ui->msg) {
		state = ui->msg;
		style = ui->msg_ok ? PANE_OK : PANE_ERR;
	}
	x += pane_put(y, x, cols - x, 0, PANE_DIM, word);
	x += pane_put(y, x, cols - x, 0, PANE_VALUE, name ? name : "");
	free(name);
	x += pane_put(y, x, cols - x, 0, PANE_NORMAL, " ");
	x += pane_put(y, x, cols - x, 0, PANE_VALUE,
	              q ? rrtext_type(type, sizeof(type), q->qtype) : "");
	x += pane_put(y, x, cols - x, 0, PANE_NORMAL, "  ");
	return x + pane_put(y, x, cols - x, 0, style, state);
}

/* The status line of the comparison view: question, state, marks, key hints. */
static void ui_draw_status_prop(struct ui *ui, int y)
{
	/* Key hints, most important first: the tail is dropped when the line is short. */
	static const char *const hints[][2] = {
	    {"?", "help"}, {"q", "quit"},   {"Enter", "reply"}, {"Space", "mark"},
	    {"d", "diff"}, {"l", "lookup"}, {"r", "again"},     {"Tab", "next differing"}};
	const size_t nh = sizeof(hints) / sizeof(hints[0]);
	const struct prop *p = session_prop(ui->s);
	char st[256];
	int style = propview_state(st, sizeof(st), p), cols = COLS;
	int x = ui_status_question(ui, y, "compare ", p ? prop_question(p) : NULL, st, style);

	if (!*ui->msg && ui->nprmarks > 0) {
		x += pane_put(y, x, cols - x, 0, PANE_NORMAL, "  ");
		x += pane_put(y, x, cols - x, 0, PANE_KEY,
		              ui->nprmarks == 1 ? "1 marked" : "2 marked: d diffs");
	}
	ui_draw_hints(y, x, hints, nh);
}

/* The lines of table row `row`: returns the first (-1 for none), *count how many. */
static int ui_prop_span(const struct ui *ui, int row, int *count)
{
	int first = -1;

	*count = 0;
	for (size_t i = 0; ui->prrows && i < ui->pr.lines.n; i++) {
		if (ui->prrows[i] == (size_t)row) {
			if (first < 0)
				first = (int)i;
			(*count)++;
		} else if (first >= 0) {
			break;
		}
	}
	return first;
}

/* Keep the comparison cursor on a row, and all of that row in a pane h lines high. */
static void ui_prop_follow(struct ui *ui, int h)
{
	int first, count;

	if (ui->prcur >= (int)ui->prnrows)
		ui->prcur = (int)ui->prnrows - 1;
	if (ui->prcur < 0)
		ui->prcur = 0;
	pane_clamp(&ui->pr, h, COLS - 1);
	first = ui_prop_span(ui, ui->prcur, &count);
	if (h <= 0 || first < 0)
		return;
	if (first + count > ui->pr.top + h)
		ui->pr.top = first + count - h;
	if (first < ui->pr.top)
		ui->pr.top = first;
}

/* "rows 3-9/40" when not every row is on screen (or the table is scrolled sideways). */
static void ui_prop_pos(char *buf, size_t len, const struct ui *ui, int h)
{
	const struct pane *p = &ui->pr;
	size_t n = p->lines.n, last;

	*buf = '\0';
	if (!ui->prrows || n == 0 || h <= 0 || ((int)n <= h && p->hoff == 0))
		return;
	last = (size_t)p->top + (size_t)h < n ? (size_t)p->top + (size_t)h - 1 : n - 1;
	snprintf(buf, len, "%zu-%zu/%zu", ui->prrows[p->top] + 1, ui->prrows[last] + 1,
	         ui->prnrows);
	if (p->hoff > 0)
		snprintf(buf + strlen(buf), len - strlen(buf), "  col %d", p->hoff + 1);
}

/*
 * The comparison view above the status line: title bar, head (the summary first: it is the
 * answer to "is my change live everywhere?"), column bar, the table with its cursor.
 */
static void ui_draw_prop(struct ui *ui, int status_y)
{
	int cols = COLS, y = 0, h, nhead = 0, avail, frozen;
	bool bar = status_y >= 3, titles;
	char pos[64];

	if (bar)
		y++;
	avail = status_y - y;
	if (avail >= 2 && ui->prhead.n > 0) {
		/*
		 * A third of the room for the head, but all of the summary if the table keeps
		 * a row or two: it is the answer to "is my change live everywhere?".
		 */
		int sum = (int)ui->prsum > 0 ? (int)ui->prsum : 1;

		nhead = (int)ui->prhead.n;
		if (nhead > avail / 3)
			nhead = avail / 3;
		if (nhead < sum)
			nhead = sum < avail - 3 ? sum : avail - 3;
		if (nhead < 1)
			nhead = 1;
		for (int i = 0; i < nhead; i++)
			pane_draw_line(y + i, 1, cols - 1, 0, 0, &ui->prhead.v[i], PANE_NORMAL);
		y += nhead;
	}
	titles = status_y - y >= 3;
	h = status_y - y - (titles ? 1 : 0);
	ui_prop_follow(ui, h);
	if (bar) {
		ui_prop_pos(pos, sizeof(pos), ui, h);
		ui_draw_bar(ui, 0, false, &ui->prtitle, 0, 0, pos);
	}
	if (titles) {
		frozen = pane_frozen(&ui->pr.lines, cols - 1);
		pane_fill(y, 0, cols, PANE_BAR);
		pane_draw_line(y, 1, cols - 1, ui->pr.hoff, frozen, &ui->prcols, PANE_BAR);
		y++;
	}
	if (h <= 0)
		return;
	pane_draw(&ui->pr, y, 1, h, cols - 1);
	if (ui->pr.lines.n > 0) {
		int count, first = ui_prop_span(ui, ui->prcur, &count);

		for (int i = 0; first >= 0 && i < count; i++) {
			int cy = y + first + i - ui->pr.top;

			if (cy < y || cy >= y + h)
				continue;
			/* The marker shows the cursor in monochrome and in a screen capture too. */
			if (i == 0)
				pane_put(cy, 0, 1, 0, PANE_KEY, pane_glyph(PANE_G_FOCUS));
			if (cols > 1)
				mvchgat(cy, 1, cols - 1, A_REVERSE, 0, NULL);
		}
	}
}

/* The TTL pane: title bar, column bar, the rows, a status line. */
static void ui_draw_ttl(struct ui *ui, int status_y)
{
	static const char *const hints[][2] = {
	    {"?", "help"}, {"q", "quit"}, {"T", "back"}, {"a", "re-ask"}};
	char pos[64];
	int y = 0, h = status_y - 2, x = 1;

	if (h < 1) {
		ui_draw_hints(status_y, 1, hints, sizeof(hints) / sizeof(hints[0]));
		return;
	}
	pane_clamp(&ui->tt, h, COLS - 1);
	ui_pos(pos, sizeof(pos), &ui->tt, h);
	ui_draw_bar(ui, y++, false, &ui->tttitle, 0, 0, pos);
	ui_draw_bar(ui, y++, true, &ui->ttcols, ui->tt.hoff, pane_frozen(&ui->tt.lines, COLS - 1),
	            "");
	pane_draw(&ui->tt, y, 1, h, COLS - 1);
	if (*ui->msg) {
		x += pane_put(status_y, x, COLS - x, 0, ui->msg_ok ? PANE_OK : PANE_ERR, ui->msg);
		ui_draw_hints(status_y, x, hints, sizeof(hints) / sizeof(hints[0]));
		return;
	}
	x += pane_put(status_y, x, COLS - x, 0, PANE_VALUE, "TTL pane");
	x += pane_put(status_y, x, COLS - x, 0, PANE_DIM, "  re-ask on expiry: ");
	x += pane_put(status_y, x, COLS - x, 0, ui->clk.autoreask ? PANE_OK : PANE_DIM,
	              ui->clk.autoreask ? "on" : "off");
	ui_draw_hints(status_y, x, hints, sizeof(hints) / sizeof(hints[0]));
}

/* ---- explain mode --------------------------------------------------------------------- */

static const struct view_items *ui_ex_items(const struct ui *ui)
{
	return ui->focus == UI_FOCUS_HEADER ? &ui->hdr_items : &ui->sec_items;
}

/* The selected item of explain mode, or NULL when the line has none: the k-th of n. */
static const struct view_item *ui_ex_item(const struct ui *ui, size_t *k, size_t *n)
{
	const struct view_items *it = ui_ex_items(ui);
	int cur = ui->excur[ui->focus];
	size_t start, first, cnt;

	*k = *n = 0;
	if (cur < 0)
		return NULL;
	cnt = view_items_of(it, (size_t)cur, &start, &first);
	if (cnt == 0)
		return NULL;
	*k = ui->exitem >= 0 && (size_t)ui->exitem < cnt ? (size_t)ui->exitem : first;
	*n = cnt;
	return &it->v[start + *k];
}

/*
 * The explain box's title and lines for the selected item, wrapped to width: the text, then
 * its RFC reference, kept on one line.
 * \return the rows of text.
 */
static int ui_ex_build(struct ui *ui, int width)
{
	size_t k, n;
	const struct view_item *it = ui_ex_item(ui, &k, &n);
	struct pane_builder b;
	struct pane_line *l;
	char full[640], *ref;

	pane_lines_clear(&ui->exbox);
	pane_line_clear(&ui->extitle);
	pane_builder_init(&b, &ui->exbox, width, NULL);
	l = pane_builder_line(&b);
	if (!it) {
		(void)pane_line_add(&ui->extitle, PANE_VALUE, "explain");
		pane_builder_add(&b, l, PANE_WARN, "no explanation for this line");
		return (int)ui->exbox.n;
	}
	if (n > 1)
		(void)pane_line_add(&ui->extitle, PANE_VALUE, "explain %zu/%zu (Left Right: %s)",
		                    k + 1, n, "the line's other fields");
	else
		(void)pane_line_add(&ui->extitle, PANE_VALUE, "explain");
	/* "<text> (<rfc>)": the reference is the last " (" of it; "§" as "section " unless the
	 * terminal shows UTF-8 */
	explain_format(full, sizeof(full), it->ex, !pane_utf8_on());
	ref = strstr(full, " (");
	for (char *p = ref; p && (p = strstr(p + 1, " (")) != NULL;)
		ref = p;
	if (ref)
		*ref++ = '\0';
	l = pane_builder_wrap(&b, l, 0, PANE_NORMAL, full, NULL);
	if (ref && l) {
		if (l->width + 1 + pane_textwidth(ref) > b.width)
			l = pane_builder_line(&b);
		else
			pane_builder_add(&b, l, PANE_NORMAL, " ");
		pane_builder_add(&b, l, PANE_KEY, "%s", ref);
	}
	return (int)ui->exbox.n;
}

/*
 * Keep the selected line in the focused pane p (h rows, w columns), and after a move its
 * selected item in view sideways.
 */
static void ui_ex_follow(struct ui *ui, struct pane *p, int h, int w)
{
	int n = (int)p->lines.n, *cur = &ui->excur[ui->focus];
	size_t k, cnt;
	const struct view_item *it;
	int frozen;

	if (*cur >= n)
		*cur = n - 1;
	if (*cur < 0)
		*cur = 0;
	if (h <= 0)
		return;
	if (*cur < p->top)
		p->top = *cur;
	if (*cur >= p->top + h)
		p->top = *cur - h + 1;
	if (!ui->exfollow || (it = ui_ex_item(ui, &k, &cnt)) == NULL)
		return;
	ui->exfollow = false;
	frozen = pane_frozen(&p->lines, w);
	if (it->col < frozen)
		return;
	if (it->col < frozen + p->hoff)
		p->hoff = it->col - frozen;
	else if (it->col + it->width > p->hoff + w)
		p->hoff = it->col + it->width - w < it->col - frozen ? it->col + it->width - w
		                                                     : it->col - frozen;
}

/* Underline columns [c0, c1) of a line drawn at (y, x) in w columns, hoff and frozen as drawn. */
static void ui_ex_underline(int y, int x, int w, int hoff, int frozen, int c0, int c1)
{
	const attr_t a = A_BOLD | A_UNDERLINE;
	int s;

	/* the part in the frozen columns, where it is */
	if (c0 < frozen) {
		int e = c1 < frozen ? c1 : frozen;

		if (e > w)
			e = w;
		if (e > c0)
			mvchgat(y, x + c0, e - c0, a, 0, NULL);
	}
	/* the part right of them, shifted left by hoff */
	s = c0 > frozen + hoff ? c0 : frozen + hoff;
	if (s < c1) {
		int sx = s - hoff, ex = c1 - hoff < w ? c1 - hoff : w;

		if (ex > sx)
			mvchgat(y, x + sx, ex - sx, a, 0, NULL);
	}
}

/*
 * Mark the selected line of pane p (drawn at row y, h rows high, from column 1 in w columns)
 * as the MX view marks its cursor, and underline its selected item.
 */
static void ui_ex_mark(struct ui *ui, struct pane *p, int y, int h, int w)
{
	int cy = y + ui->excur[ui->focus] - p->top;
	size_t k, n;
	const struct view_item *it = ui_ex_item(ui, &k, &n);

	if (p->lines.n == 0 || cy < y || cy >= y + h)
		return;
	/* The marker shows the selection in monochrome and in a screen capture too. */
	pane_put(cy, 0, 1, 0, PANE_KEY, pane_glyph(PANE_G_FOCUS));
	if (w > 0)
		mvchgat(cy, 1, w, A_REVERSE, 0, NULL);
	if (it)
		ui_ex_underline(cy, 1, w, p->hoff, pane_frozen(&p->lines, w), it->col,
		                it->col + it->width);
}

/* Rows the explain box takes out of avail rows (0: none fits), its lines built. */
static int ui_ex_box_rows(struct ui *ui, int avail)
{
	int rows = ui_ex_build(ui, COLS - 4 > 8 ? COLS - 4 : 8);
	int bh = (rows < UI_EXPLAIN_ROWS ? rows : UI_EXPLAIN_ROWS) + 2;

	/* the panes keep two rows at least */
	if (bh > avail - 2)
		bh = avail - 2;
	return bh >= 3 ? bh : 0;
}

/* The explain box across the screen at row by, bh rows high. */
static void ui_draw_explain(struct ui *ui, int by, int bh)
{
	if (bh < 3 || COLS < 6)
		return;
	ui_draw_box(by, 0, bh, COLS, &ui->extitle);
	for (int i = 0; i < bh - 2 && (size_t)i < ui->exbox.n; i++)
		pane_draw_line(by + 1 + i, 2, COLS - 4, 0, 0, &ui->exbox.v[i], PANE_NORMAL);
}

/* ---- the trace view ------------------------------------------------------------------- */

/* The status line of the trace view: question, state, key hints. */
static void ui_draw_status_trace(struct ui *ui, int y)
{
	static const char *const hints[][2] = {
	    {"?", "help"}, {"q", "quit"}, {"l", "lookup"}, {"r", "again"}, {"w", "save"}};
	const struct trace *t = session_get_trace(ui->s);
	char st[256];
	int style = traceview_state(st, sizeof(st), t);
	int x = ui_status_question(ui, y, "trace ", t ? trace_question(t) : NULL, st, style);

	ui_draw_hints(y, x, hints, sizeof(hints) / sizeof(hints[0]));
}

/* The trace view above the status line: title bar, head, the steps. */
static void ui_draw_trace(struct ui *ui, int status_y)
{
	int cols = COLS, y = 0, h;
	bool bar = status_y >= 3;
	char pos[64];

	if (bar)
		y++;
	y += ui_draw_head(&ui->trhead, y, status_y, 6, 0);
	h = status_y - y;
	pane_clamp(&ui->tr, h, cols);
	if (bar) {
		ui_pos(pos, sizeof(pos), &ui->tr, h);
		ui_draw_bar(ui, 0, false, &ui->trtitle, 0, 0, pos);
	}
	if (h > 0)
		pane_draw(&ui->tr, y, 0, h, cols);
}

/* The overlays over whichever view was drawn (detail, help), then the screen update. */
static void ui_draw_overlays(struct ui *ui)
{
	if (ui->detail)
		ui_draw_detail(ui);
	if (ui->help)
		ui_draw_help(ui);
	curs_set(ui->prompt && !ui->help ? 1 : 0);
	wnoutrefresh(stdscr);
	doupdate();
}

static void ui_draw(struct ui *ui)
{
	int rows, cols, y = 0, avail, body, hdr_h = 0, sec_h = 0, status_y, box_h = 0;
	bool titles;
	size_t n;
	char pos[64];

	if (ui->resize_pending)
		ui_apply_size(ui);
	if (ui->model_dirty || ui->built_cols != COLS)
		ui_rebuild(ui);
	rows = LINES;
	cols = COLS;
	erase();
	if (rows < 1 || cols < 1) {
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	status_y = rows - 1;
	if (ui->ttl) {
		ui_draw_ttl(ui, status_y);
		if (ui->prompt)
			ui_draw_prompt(ui, status_y);
		ui_draw_overlays(ui);
		return;
	}
	if (ui_in_mx(ui)) {
		ui_draw_mx(ui, status_y);
		if (ui->prompt)
			ui_draw_prompt(ui, status_y);
		else
			ui_draw_status_mx(ui, status_y);
		ui_draw_overlays(ui);
		return;
	}
	if (ui_in_prop(ui)) {
		ui_draw_prop(ui, status_y);
		if (ui->prompt)
			ui_draw_prompt(ui, status_y);
		else
			ui_draw_status_prop(ui, status_y);
		ui_draw_overlays(ui);
		return;
	}
	if (ui_in_trace(ui)) {
		ui_draw_trace(ui, status_y);
		if (ui->prompt)
			ui_draw_prompt(ui, status_y);
		else
			ui_draw_status_trace(ui, status_y);
		ui_draw_overlays(ui);
		return;
	}
	(void)ui_reply(ui, &n);
	if (n > 1 && rows >= 4) {
		ui_draw_tabs(ui, y);
		y++;
	}
	avail = status_y - y;
	if (ui->explain) {
		box_h = ui_ex_box_rows(ui, avail);
		avail -= box_h;
	}
	titles = avail >= 8;
	body = avail - (titles ? 2 : 0);
	if (body > 0) {
		int nh = (int)ui->hdr.lines.n, ns = (int)ui->sec.lines.n;
		int want_sec = ns < body / 2 ? ns : body / 2;

		hdr_h = nh < body - want_sec ? nh : body - want_sec;
		if (hdr_h < 1 && nh > 0 && body >= 2)
			hdr_h = 1;
		sec_h = body - hdr_h;
	}
	if (ui->explain)
		ui_ex_follow(ui, ui->focus == UI_FOCUS_HEADER ? &ui->hdr : &ui->sec,
		             ui->focus == UI_FOCUS_HEADER ? hdr_h : sec_h, cols - 1);
	if (titles) {
		pane_clamp(&ui->hdr, hdr_h, cols - 1);
		ui_pos(pos, sizeof(pos), &ui->hdr, hdr_h);
		{
			struct pane_line t = {0};

			pane_line_add(&t, PANE_NORMAL, "HEADER");
			ui_draw_bar(ui, y, ui->focus == UI_FOCUS_HEADER, &t, 0, 0, pos);
			pane_line_clear(&t);
		}
		y++;
	}
	if (hdr_h > 0) {
		pane_draw(&ui->hdr, y, 1, hdr_h, cols - 1);
		if (ui->explain && ui->focus == UI_FOCUS_HEADER)
			ui_ex_mark(ui, &ui->hdr, y, hdr_h, cols - 1);
	}
	y += hdr_h;
	if (titles) {
		pane_clamp(&ui->sec, sec_h, cols - 1);
		ui_pos(pos, sizeof(pos), &ui->sec, sec_h);
		ui_draw_bar(ui, y, ui->focus == UI_FOCUS_SECTIONS, &ui->sec_title, ui->sec.hoff,
		            pane_frozen(&ui->sec.lines, cols - 1), pos);
		y++;
	}
	if (sec_h > 0) {
		pane_draw(&ui->sec, y, 1, sec_h, cols - 1);
		if (ui->explain && ui->focus == UI_FOCUS_SECTIONS)
			ui_ex_mark(ui, &ui->sec, y, sec_h, cols - 1);
	}
	if (box_h > 0)
		ui_draw_explain(ui, status_y - box_h, box_h);

	if (ui->prompt) {
		ui_draw_prompt(ui, status_y);
	} else {
		ui_draw_status(ui, status_y);
	}
	ui_draw_overlays(ui);
}

static void ui_redraw_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ui *ui = arg;

	ui->redraw_scheduled = false;
	if (ui->quitting || !ui->curses_on)
		return;
	ui_draw(ui);
	clock_gettime(CLOCK_MONOTONIC, &ui->last_draw);
}

/* ---- keys ------------------------------------------------------------------------------- */

static struct pane *ui_focused(struct ui *ui)
{
	return ui->focus == UI_FOCUS_HEADER ? &ui->hdr : &ui->sec;
}

static void ui_select(struct ui *ui, long idx)
{
	size_t n;

	(void)ui_reply(ui, &n);
	if (n == 0)
		return;
	if (idx < 0)
		idx = (long)n - 1;
	if ((size_t)idx >= n)
		idx = 0;
	if ((size_t)idx != ui->sel) {
		ui->sel = (size_t)idx;
		ui->hdr.top = ui->sec.top = 0;
		ui->hdr.hoff = ui->sec.hoff = 0;
		ui->excur[0] = ui->excur[1] = 0;
		ui->exitem = -1;
		ui->model_dirty = true;
	}
}

static void ui_hist_add(struct ui *ui)
{
	wchar_t *copy = malloc((ui->plen + 1) * sizeof(wchar_t));

	if (!copy)
		return;
	wmemcpy(copy, ui->pbuf, ui->plen);
	copy[ui->plen] = L'\0';
	if (ui->nhist == UI_HISTORY) {
		free(ui->hist[0]);
		memmove(ui->hist, ui->hist + 1, (UI_HISTORY - 1) * sizeof(ui->hist[0]));
		ui->nhist--;
	}
	ui->hist[ui->nhist++] = copy;
}

static void ui_prompt_set(struct ui *ui, const wchar_t *s)
{
	size_t len = wcslen(s);

	if (len > UI_PROMPT_MAX)
		len = UI_PROMPT_MAX;
	wmemcpy(ui->pbuf, s, len);
	ui->pbuf[len] = L'\0';
	ui->plen = ui->pcur = len;
}

/* 'w': save the session to path; the status line says what was saved where, or why not. */
static void ui_save(struct ui *ui, const char *path)
{
	char err[512] = "";
	char *e;
	size_t replies, n;

	if (session_save(ui->s, path, err, sizeof(err)) < 0) {
		e = esc_str(*err ? err : "cannot save the session");
		snprintf(ui->msg, sizeof(ui->msg), "%s", e ? e : "cannot save the session");
		free(e);
		return;
	}
	n = session_recorded(ui->s, &replies);
	e = esc_str(path);
	if (n > replies)
		snprintf(ui->msg, sizeof(ui->msg),
		         "saved %zu repl%s (and %zu quer%s without one) to %s", replies,
		         replies == 1 ? "y" : "ies", n - replies, n - replies == 1 ? "y" : "ies",
		         e ? e : "the file");
	else
		snprintf(ui->msg, sizeof(ui->msg), "saved %zu repl%s to %s", replies,
		         replies == 1 ? "y" : "ies", e ? e : "the file");
	free(e);
	ui->msg_ok = true;
}

/* 'w': the save prompt, prefilled with a file name in the current directory. */
static void ui_open_save(struct ui *ui)
{
	char name[64] = "dnsdeck.session";
	wchar_t wname[64];
	time_t now = time(NULL);
	struct tm tm;

	if (localtime_r(&now, &tm))
		strftime(name, sizeof(name), "dnsdeck-%Y%m%d-%H%M%S.session", &tm);
	if (mbstowcs(wname, name, sizeof(wname) / sizeof(wname[0])) == (size_t)-1)
		wname[0] = L'\0';
	wname[sizeof(wname) / sizeof(wname[0]) - 1] = L'\0';
	ui->prompt = true;
	ui->pkind = UI_PROMPT_SAVE;
	ui_prompt_set(ui, wname);
}

static void ui_prompt_submit(struct ui *ui)
{
	char line[UI_PROMPT_MAX * MB_LEN_MAX + 1];
	char err[512] = "";
	const wchar_t *src = ui->pbuf;
	mbstate_t st;
	size_t k;

	ui->prompt = false;
	ui->pbuf[ui->plen] = L'\0';
	if (ui->plen == 0)
		return;
	if (ui->pkind == UI_PROMPT_ASK)
		ui_hist_add(ui);
	memset(&st, 0, sizeof(st));
	k = wcsrtombs(line, &src, sizeof(line) - 1, &st);
	if (k == (size_t)-1) {
		snprintf(ui->msg, sizeof(ui->msg),
		         "the line has characters this locale cannot encode");
		return;
	}
	line[k] = '\0';
	if (ui->pkind == UI_PROMPT_SAVE) {
		ui_save(ui, line);
		return;
	}
	if (session_ask_line(ui->s, line, err, sizeof(err)) < 0) {
		char *e = esc_str(*err ? err : "cannot ask that");

		snprintf(ui->msg, sizeof(ui->msg), "%s", e ? e : "cannot ask that");
		free(e);
		return;
	}
	ui->sel = 0;
	ui->hdr.top = ui->sec.top = 0;
	ui->hdr.hoff = ui->sec.hoff = 0;
	ui->excur[0] = ui->excur[1] = 0;
	ui->exitem = -1;
	ui->mxpos = UI_CURPOS_RESET;
	ui->prpos = UI_CURPOS_RESET;
	ui->model_dirty = true;
}

static void ui_prompt_key(struct ui *ui, wint_t ch, bool fkey)
{
	if (fkey) {
		switch (ch) {
		case KEY_ENTER:
			ui_prompt_submit(ui);
			break;
		case KEY_BACKSPACE:
			goto backspace;
		case KEY_DC:
			if (ui->pcur < ui->plen) {
				wmemmove(ui->pbuf + ui->pcur, ui->pbuf + ui->pcur + 1,
				         ui->plen - ui->pcur - 1);
				ui->plen--;
			}
			break;
		case KEY_LEFT:
			if (ui->pcur > 0)
				ui->pcur--;
			break;
		case KEY_RIGHT:
			if (ui->pcur < ui->plen)
				ui->pcur++;
			break;
		case KEY_HOME:
			ui->pcur = 0;
			break;
		case KEY_END:
			ui->pcur = ui->plen;
			break;
		case KEY_UP:
			if (ui->pkind == UI_PROMPT_ASK && ui->hpos > 0) {
				ui->hpos--;
				ui_prompt_set(ui, ui->hist[ui->hpos]);
			}
			break;
		case KEY_DOWN:
			if (ui->pkind != UI_PROMPT_ASK)
				break;
			if (ui->hpos + 1 < ui->nhist) {
				ui->hpos++;
				ui_prompt_set(ui, ui->hist[ui->hpos]);
			} else {
				ui->hpos = ui->nhist;
				ui_prompt_set(ui, L"");
			}
			break;
		case KEY_RESIZE:
			ui->resize_pending = true;
			break;
		default:
			break;
		}
		return;
	}
	switch (ch) {
	case 27: /* Esc */
		ui->prompt = false;
		return;
	case L'\r':
	case L'\n':
		ui_prompt_submit(ui);
		return;
	case 127:
	case 8:
	backspace:
		if (ui->pcur > 0) {
			wmemmove(ui->pbuf + ui->pcur - 1, ui->pbuf + ui->pcur, ui->plen - ui->pcur);
			ui->pcur--;
			ui->plen--;
		} else if (ui->plen == 0) {
			ui->prompt = false; /* Backspace on an empty line closes it, as in vi */
		}
		return;
	case 1: /* Ctrl-A */
		ui->pcur = 0;
		return;
	case 5: /* Ctrl-E */
		ui->pcur = ui->plen;
		return;
	case 21: /* Ctrl-U */
		wmemmove(ui->pbuf, ui->pbuf + ui->pcur, ui->plen - ui->pcur);
		ui->plen -= ui->pcur;
		ui->pcur = 0;
		return;
	case 23: /* Ctrl-W: delete the word before the cursor */
	{
		size_t e = ui->pcur, b = e;

		while (b > 0 && ui->pbuf[b - 1] == L' ')
			b--;
		while (b > 0 && ui->pbuf[b - 1] != L' ')
			b--;
		wmemmove(ui->pbuf + b, ui->pbuf + e, ui->plen - e);
		ui->plen -= e - b;
		ui->pcur = b;
		return;
	}
	default:
		break;
	}
	if (iswprint((wint_t)ch) && ui->plen < UI_PROMPT_MAX) {
		wmemmove(ui->pbuf + ui->pcur + 1, ui->pbuf + ui->pcur, ui->plen - ui->pcur);
		ui->pbuf[ui->pcur++] = (wchar_t)ch;
		ui->plen++;
	}
}

/* ---- keys of the MX view ------------------------------------------------------------- */

/* Move the MX cursor by n lines (clamped at the next draw). */
static void ui_mx_move(struct ui *ui, long n)
{
	long c = (long)ui->mxcur + n;

	if (c >= (long)ui->mx.lines.n)
		c = (long)ui->mx.lines.n - 1;
	if (c < 0)
		c = 0;
	ui->mxcur = (int)c;
}

static bool ui_mx_is_finding(const struct ui *ui, long i)
{
	return ui->mxrefs && i >= 0 && (size_t)i < ui->mx.lines.n &&
	       ui->mxrefs[i].kind == MXVIEW_FINDING;
}

/* Jump to the first line of the next (dir 1) or previous (dir -1) finding, wrapping round. */
static void ui_mx_jump(struct ui *ui, int dir)
{
	long n = (long)ui->mx.lines.n, i = ui->mxcur;

	if (n == 0 || !ui->mxrefs)
		return;
	/* Leave the finding the cursor is on first: its wrapped lines are one finding. */
	while (ui_mx_is_finding(ui, i) && ui_mx_is_finding(ui, i + dir) &&
	       ui->mxrefs[i + dir].i == ui->mxrefs[i].i)
		i += dir;
	for (long k = 1; k <= n; k++) {
		long j = ((i + dir * k) % n + n) % n;

		if (ui_mx_is_finding(ui, j) &&
		    !(ui_mx_is_finding(ui, j - 1) && ui->mxrefs[j - 1].i == ui->mxrefs[j].i)) {
			ui->mxcur = (int)j;
			return;
		}
	}
	snprintf(ui->msg, sizeof(ui->msg), "no findings%s",
	         mxplan_done(session_mxplan(ui->s)) ? "" : " yet");
}

static void ui_mx_enter(struct ui *ui)
{
	int r;

	if (!ui->mxrefs || ui->mxcur < 0 || (size_t)ui->mxcur >= ui->mx.lines.n)
		return;
	ui->detail_ref = ui->mxrefs[ui->mxcur];
	ui->detail_hist = false;
	ui->detail_diff = false;
	r = ui_build_detail(ui);
	if (r > 0) {
		ui->detail = true;
		return;
	}
	pane_lines_clear(&ui->detail_lines);
	pane_line_clear(&ui->detail_title);
	snprintf(ui->msg, sizeof(ui->msg), "%s",
	         r < 0 ? "out of memory"
	               : "nothing to explain here: Tab goes to a finding, Enter explains it");
}

/* Plan the same target again, keeping the cursor where it is. */
static void ui_mx_again(struct ui *ui)
{
	ui->mxpos = UI_CURPOS_KEEP;
	session_requery(ui->s);
	ui->model_dirty = true;
}

/* Home and End as line motions for ui_motion(). */
#define UI_TO_TOP (-(1L << 30))
#define UI_TO_END (1L << 30)

/*
 * The motion keys both views share. Vertical ones give a line delta in *dy (UI_TO_TOP /
 * UI_TO_END for Home/End, g/G) that the caller applies: the lookup view scrolls, the MX view
 * moves its cursor. Horizontal ones move p->hoff here. Returns false for any other key.
 */
static bool ui_motion(struct pane *p, wint_t ch, bool fkey, long *dy)
{
	int page = p->h > 1 ? p->h - 1 : 1;
	int side = p->w > 8 ? p->w / 2 : 4;

	*dy = 0;
	if (fkey) {
		switch (ch) {
		case KEY_UP:
			*dy = -1;
			break;
		case KEY_DOWN:
			*dy = 1;
			break;
		case KEY_PPAGE:
			*dy = -page;
			break;
		case KEY_NPAGE:
			*dy = page;
			break;
		case KEY_HOME:
			*dy = UI_TO_TOP;
			break;
		case KEY_END:
			*dy = UI_TO_END;
			break;
		case KEY_LEFT:
			p->hoff = p->hoff > 4 ? p->hoff - 4 : 0;
			break;
		case KEY_RIGHT:
			p->hoff += 4;
			break;
		default:
			return false;
		}
		return true;
	}
	switch (ch) {
	case L'k':
	case 16: /* Ctrl-P */
		*dy = -1;
		break;
	case L'j':
	case 14: /* Ctrl-N */
		*dy = 1;
		break;
	case L'b':
	case 2: /* Ctrl-B */
		*dy = -page;
		break;
	case L' ':
	case 6: /* Ctrl-F */
		*dy = page;
		break;
	case L'g':
		*dy = UI_TO_TOP;
		break;
	case L'G':
		*dy = UI_TO_END;
		break;
	case L'<':
		p->hoff = p->hoff > side ? p->hoff - side : 0;
		break;
	case L'>':
		p->hoff += side;
		break;
	case L'0':
		p->hoff = 0;
		break;
	default:
		return false;
	}
	return true;
}

static void ui_key_mx(struct ui *ui, wint_t ch, bool fkey)
{
	struct pane *p = &ui->mx;
	long dy;

	if (ui_motion(p, ch, fkey, &dy)) {
		if (dy == UI_TO_TOP)
			ui->mxcur = 0;
		else if (dy != 0)
			ui_mx_move(ui, dy == UI_TO_END ? (long)p->lines.n : dy);
		return;
	}
	if (fkey) {
		switch (ch) {
		case KEY_BTAB:
			ui_mx_jump(ui, -1);
			break;
		case KEY_ENTER:
			ui_mx_enter(ui);
			break;
		default:
			break;
		}
		return;
	}
	switch (ch) {
	case L'\r':
	case L'\n':
		ui_mx_enter(ui);
		break;
	case L'\t':
		ui_mx_jump(ui, 1);
		break;
	case L'l':
	case L'm':
	case 27: /* Esc */
		session_set_view(ui->s, SESSION_VIEW_LOOKUP);
		ui->model_dirty = true;
		break;
	case L'r':
		ui_mx_again(ui);
		break;
	case L'S':
		ui->smtp = !ui->smtp;
		session_set_smtp(ui->s, ui->smtp);
		ui_mx_again(ui);
		break;
	default:
		break;
	}
}

/* 'm' in the lookup view: the plan of the current question's name (kept if it is that one). */
static void ui_open_mx(struct ui *ui)
{
	const struct mxplan *p = session_mxplan(ui->s);
	const struct lookup *l = session_lookup(ui->s);
	const struct query_spec *q = l ? lookup_question(l) : NULL;
	char *name = q && q->qname ? rrtext_dname(q->qname) : NULL;
	char err[512] = "";

	if (p && name && mxplan_domain(p) && strcasecmp(name, mxplan_domain(p)) == 0) {
		session_set_view(ui->s, SESSION_VIEW_MX);
	} else if (session_mx(ui->s, NULL, err, sizeof(err)) < 0) {
		char *e = esc_str(*err ? err : "cannot plan mail for this name");

		snprintf(ui->msg, sizeof(ui->msg), "%s", e ? e : "cannot plan mail for this name");
		free(e);
	} else {
		ui->mxpos = UI_CURPOS_RESET;
	}
	free(name);
	ui->model_dirty = true;
}

/* ---- keys of the comparison view ---------------------------------------------------- */

static bool ui_prop_differs(const struct prop *p, long i)
{
	const struct prop_row *r =
	    i >= 0 && (size_t)i < prop_nrows(p) ? prop_row(p, (size_t)i) : NULL;

	return r && r->status != PROP_PENDING && (r->outlier || r->behind);
}

/*
 * Move the cursor to the next (dir 1) or previous (dir -1) row that differs (what the summary
 * counts: marked '!', or behind the newest serial), wrapping round.
 */
static void ui_prop_jump(struct ui *ui, int dir)
{
	const struct prop *p = session_prop(ui->s);
	long n = p ? (long)prop_nrows(p) : 0;

	for (long k = 1; k <= n; k++) {
		long j = ((ui->prcur + dir * k) % n + n) % n;

		if (ui_prop_differs(p, j)) {
			ui->prcur = (int)j;
			return;
		}
	}
	snprintf(ui->msg, sizeof(ui->msg), "no server differs%s",
	         p && !prop_done(p) ? " so far" : "");
}

/* Space: mark the row under the cursor, or unmark it; a third mark drops the oldest. */
static void ui_prop_mark(struct ui *ui)
{
	size_t row = (size_t)ui->prcur;

	if (ui->prnrows == 0)
		return;
	for (size_t k = 0; k < ui->nprmarks; k++) {
		if (ui->prmarks[k] == row) {
			memmove(ui->prmarks + k, ui->prmarks + k + 1,
			        (ui->nprmarks - k - 1) * sizeof(ui->prmarks[0]));
			ui->nprmarks--;
			ui->model_dirty = true;
			return;
		}
	}
	if (ui->nprmarks == PROPVIEW_MARKS) {
		memmove(ui->prmarks, ui->prmarks + 1,
		        (PROPVIEW_MARKS - 1) * sizeof(ui->prmarks[0]));
		ui->nprmarks--;
	}
	ui->prmarks[ui->nprmarks++] = row;
	ui->model_dirty = true;
}

/* 'd': the diff of the two marked rows (or of the one marked and the one under the cursor). */
static void ui_prop_diff(struct ui *ui)
{
	int r;

	if (ui->nprmarks == 2) {
		ui->diff_a = ui->prmarks[0];
		ui->diff_b = ui->prmarks[1];
	} else if (ui->nprmarks == 1 && (size_t)ui->prcur != ui->prmarks[0] && ui->prnrows > 0) {
		ui->diff_a = ui->prmarks[0];
		ui->diff_b = (size_t)ui->prcur;
	} else {
		snprintf(ui->msg, sizeof(ui->msg),
		         "mark two servers with Space, then d shows the diff of their answers");
		return;
	}
	ui->detail_diff = true;
	ui->detail_hist = false;
	r = ui_build_detail(ui);
	if (r > 0) {
		ui->detail = true;
		return;
	}
	ui->detail_diff = false;
	ui->detail_hist = false;
	pane_lines_clear(&ui->detail_lines);
	pane_line_clear(&ui->detail_title);
	snprintf(ui->msg, sizeof(ui->msg), "%s", r < 0 ? "out of memory" : "no such server");
}

/* Enter: the row's reply as received, in the lookup view. */
static void ui_prop_enter(struct ui *ui)
{
	const struct prop *p = session_prop(ui->s);
	const struct prop_row *r;

	if (!p || ui->prnrows == 0 || (size_t)ui->prcur >= prop_nrows(p))
		return;
	r = prop_row(p, (size_t)ui->prcur);
	if (session_open_prop_row(ui->s, (size_t)ui->prcur) < 0) {
		if (r && r->status == PROP_PENDING)
			ui->msg_prow = ui->prcur;
		snprintf(ui->msg, sizeof(ui->msg), "%s",
		         !r                          ? "no such server"
		         : r->status == PROP_PENDING ? "no reply from this server yet"
		                                     : "this server sent no reply to show");
		return;
	}
	ui->sel = 0;
	ui->focus = UI_FOCUS_SECTIONS;
	ui->hdr.top = ui->sec.top = 0;
	ui->hdr.hoff = ui->sec.hoff = 0;
	ui->model_dirty = true;
}

static void ui_key_prop(struct ui *ui, wint_t ch, bool fkey)
{
	struct pane *p = &ui->pr;
	long dy;

	/* Space marks here, so it is not the page key that ui_motion() makes of it. */
	if (!fkey && ch == L' ') {
		ui_prop_mark(ui);
		return;
	}
	if (ui_motion(p, ch, fkey, &dy)) {
		long c = (long)ui->prcur;

		if (dy == UI_TO_TOP) {
			c = 0;
		} else if (dy == UI_TO_END) {
			c = (long)ui->prnrows - 1;
		} else if (dy < -1 || dy > 1) {
			/* A page of lines is fewer rows when answers go below their rows. */
			long per = ui->prnrows ? (long)(p->lines.n / ui->prnrows) : 1;

			per = per > 0 ? per : 1;
			c += dy / per != 0 ? dy / per : (dy > 0 ? 1 : -1);
		} else {
			c += dy;
		}
		if (c >= (long)ui->prnrows)
			c = (long)ui->prnrows - 1;
		ui->prcur = c < 0 ? 0 : (int)c;
		return;
	}
	if (fkey) {
		switch (ch) {
		case KEY_BTAB:
			ui_prop_jump(ui, -1);
			break;
		case KEY_ENTER:
			ui_prop_enter(ui);
			break;
		default:
			break;
		}
		return;
	}
	switch (ch) {
	case L'\r':
	case L'\n':
		ui_prop_enter(ui);
		break;
	case L'\t':
		ui_prop_jump(ui, 1);
		break;
	case L'd':
		ui_prop_diff(ui);
		break;
	case L'l':
	case L'p':
	case 27: /* Esc */
		session_set_view(ui->s, SESSION_VIEW_LOOKUP);
		ui->model_dirty = true;
		break;
	case L'r':
		ui->prpos = UI_CURPOS_KEEP;
		session_requery(ui->s);
		ui->model_dirty = true;
		break;
	default:
		break;
	}
}

/* Two questions are the same: name (case-insensitive), type and class. */
static bool ui_same_question(const struct query_spec *a, const struct query_spec *b)
{
	char *na, *nb;
	bool same;

	if (!a || !b || !a->qname || !b->qname || a->qtype != b->qtype || a->qclass != b->qclass)
		return false;
	na = rrtext_dname(a->qname);
	nb = rrtext_dname(b->qname);
	same = na && nb && strcasecmp(na, nb) == 0;
	free(na);
	free(nb);
	return same;
}

/* 'p' in the lookup view: the comparison of the current question (kept if it is that one). */
static void ui_open_prop(struct ui *ui)
{
	const struct prop *p = session_prop(ui->s);
	const struct lookup *l = session_lookup(ui->s);
	char err[512] = "";

	if (p && l && ui_same_question(prop_question(p), lookup_question(l))) {
		session_set_view(ui->s, SESSION_VIEW_COMPARE);
	} else if (session_compare(ui->s, NULL, err, sizeof(err)) < 0) {
		char *e = esc_str(*err ? err : "cannot compare this question");

		snprintf(ui->msg, sizeof(ui->msg), "%s", e ? e : "cannot compare this question");
		free(e);
	} else {
		ui->prpos = UI_CURPOS_RESET;
	}
	ui->model_dirty = true;
}

/* 'c' or Esc in the lookup view: back to the comparison, if there is one. */
static void ui_back_to_prop(struct ui *ui, bool quiet)
{
	if (!session_prop(ui->s)) {
		if (!quiet)
			snprintf(ui->msg, sizeof(ui->msg),
			         "no comparison yet: p compares this question across servers");
		return;
	}
	session_set_view(ui->s, SESSION_VIEW_COMPARE);
	ui->model_dirty = true;
}

/* ---- keys of the trace view and of explain mode ---------------------------------------- */

/* 't' in the lookup view: the trace of the current question (kept if it is that one). */
static void ui_open_trace(struct ui *ui)
{
	const struct trace *t = session_get_trace(ui->s);
	const struct lookup *l = session_lookup(ui->s);
	char err[512] = "";

	if (t && l && ui_same_question(trace_question(t), lookup_question(l))) {
		session_set_view(ui->s, SESSION_VIEW_TRACE);
	} else if (session_trace(ui->s, err, sizeof(err)) < 0) {
		char *e = esc_str(*err ? err : "cannot trace this question");

		snprintf(ui->msg, sizeof(ui->msg), "%s", e ? e : "cannot trace this question");
		free(e);
	}
	ui->model_dirty = true;
}

static void ui_key_trace(struct ui *ui, wint_t ch, bool fkey)
{
	long dy;

	if (ui_motion(&ui->tr, ch, fkey, &dy)) {
		if (dy == UI_TO_TOP)
			ui->tr.top = 0;
		else if (dy == UI_TO_END)
			ui->tr.top = (int)ui->tr.lines.n;
		else if (dy != 0)
			pane_scroll(&ui->tr, (int)dy);
		return;
	}
	if (fkey)
		return;
	switch (ch) {
	case L'l':
	case L't':
	case 27: /* Esc */
		session_set_view(ui->s, SESSION_VIEW_LOOKUP);
		ui->model_dirty = true;
		break;
	case L'r':
		session_requery(ui->s);
		ui->model_dirty = true;
		break;
	default:
		break;
	}
}

/* Select field k of the selected line (dir 1 / -1 from the current one, wrapping round). */
static void ui_ex_step(struct ui *ui, int dir)
{
	size_t k, n;

	if (ui_ex_item(ui, &k, &n) == NULL || n == 0)
		return;
	ui->exitem = (int)((k + n + (size_t)(dir > 0 ? 1 : n - 1)) % n);
	ui->exfollow = true;
}

/* The keys of explain mode in the lookup view; false for a key it leaves to the view. */
static bool ui_key_explain(struct ui *ui, wint_t ch, bool fkey)
{
	struct pane *p = ui_focused(ui);
	int *cur = &ui->excur[ui->focus];
	long dy;

	if (fkey && (ch == KEY_LEFT || ch == KEY_RIGHT)) {
		ui_ex_step(ui, ch == KEY_RIGHT ? 1 : -1);
		return true;
	}
	if ((fkey && ch == KEY_ENTER) || (!fkey && (ch == L'\r' || ch == L'\n'))) {
		ui_ex_step(ui, 1);
		return true;
	}
	if (!fkey && (ch == L'e' || ch == 27)) {
		ui->explain = false;
		return true;
	}
	if (ui_motion(p, ch, fkey, &dy)) {
		long c = *cur;

		if (dy == 0)
			return true; /* sideways */
		c = dy == UI_TO_TOP ? 0 : dy == UI_TO_END ? (long)p->lines.n - 1 : c + dy;
		if (c >= (long)p->lines.n)
			c = (long)p->lines.n - 1;
		*cur = c < 0 ? 0 : (int)c;
		ui->exitem = -1;
		ui->exfollow = true;
		return true;
	}
	if ((fkey && ch == KEY_BTAB) || (!fkey && ch == L'\t')) {
		ui->focus = ui->focus == UI_FOCUS_HEADER ? UI_FOCUS_SECTIONS : UI_FOCUS_HEADER;
		ui->exitem = -1;
		ui->exfollow = true;
		return true;
	}
	return false;
}

static void ui_key(struct ui *ui, wint_t ch, bool fkey)
{
	struct pane *p = ui_focused(ui);
	long dy;

	ui->msg[0] = '\0';
	ui->msg_ok = false;
	ui->msg_prow = -1;
	if (fkey && ch == KEY_RESIZE) {
		ui->resize_pending = true;
		return;
	}
	if (ui->help) {
		ui->help = false;
		return;
	}
	if (ui->detail) {
		ui->detail = false;
		return;
	}
	if (ui->prompt) {
		ui_prompt_key(ui, ch, fkey);
		return;
	}
	/* keys every view shares */
	if ((fkey && ch == KEY_F(1)) || (!fkey && ch == L'?')) {
		ui->help = true;
		return;
	}
	if (!fkey && ch == L'q') {
		ui_quit(ui);
		return;
	}
	if (!fkey && (ch == L':' || ch == L'/')) {
		ui->prompt = true;
		ui->pkind = UI_PROMPT_ASK;
		ui->plen = ui->pcur = 0;
		ui->hpos = ui->nhist;
		return;
	}
	if (!fkey && ch == L'w') {
		ui_open_save(ui);
		return;
	}
	if (!fkey && ch == 12) { /* Ctrl-L */
		clearok(curscr, TRUE);
		ui->resize_pending = true;
		return;
	}
	if (!fkey && ch == L'a') {
		session_set_autoreask(ui->s, !session_get_autoreask(ui->s));
		ui->model_dirty = true;
		return;
	}
	if (!fkey && ch == L'T') {
		ui->ttl = !ui->ttl;
		ui->tt.top = ui->tt.hoff = 0;
		ui->model_dirty = true;
		return;
	}
	if (ui->ttl) {
		long tdy;

		if (!fkey && ch == 27) {
			ui->ttl = false;
			ui->model_dirty = true;
		} else if (ui_motion(&ui->tt, ch, fkey, &tdy)) {
			if (tdy == UI_TO_TOP)
				ui->tt.top = 0;
			else if (tdy == UI_TO_END)
				ui->tt.top = (int)ui->tt.lines.n;
			else if (tdy != 0)
				pane_scroll(&ui->tt, (int)tdy);
		}
		return;
	}
	if (!fkey && ch == L'e' && (ui_in_mx(ui) || ui_in_prop(ui) || ui_in_trace(ui))) {
		snprintf(ui->msg, sizeof(ui->msg),
		         "explain mode is for the lookup view: l goes back to it, then e");
		return;
	}
	if (ui_in_mx(ui)) {
		ui_key_mx(ui, ch, fkey);
		return;
	}
	if (ui_in_prop(ui)) {
		ui_key_prop(ui, ch, fkey);
		return;
	}
	if (ui_in_trace(ui)) {
		ui_key_trace(ui, ch, fkey);
		return;
	}
	if (ui->explain && ui_key_explain(ui, ch, fkey))
		return;
	if (ui_motion(p, ch, fkey, &dy)) {
		if (dy == UI_TO_TOP)
			p->top = 0;
		else if (dy == UI_TO_END)
			p->top = (int)p->lines.n;
		else if (dy != 0)
			pane_scroll(p, (int)dy);
		return;
	}
	if (fkey) {
		switch (ch) {
		case KEY_BTAB:
			ui->focus =
			    ui->focus == UI_FOCUS_HEADER ? UI_FOCUS_SECTIONS : UI_FOCUS_HEADER;
			break;
		default:
			break;
		}
		return;
	}
	switch (ch) {
	case L'\t':
		ui->focus = ui->focus == UI_FOCUS_HEADER ? UI_FOCUS_SECTIONS : UI_FOCUS_HEADER;
		break;
	case L'h':
		ui->detail_hist = true;
		ui->detail_diff = false;
		ui->detail = ui_build_detail(ui) > 0;
		break;
	case L'l':
		p->hoff += 4;
		break;
	case L'n':
	case L']':
		ui_select(ui, (long)ui->sel + 1);
		break;
	case L'N':
	case L'[':
		ui_select(ui, (long)ui->sel - 1);
		break;
	case L'p':
		ui_open_prop(ui);
		break;
	case L'c':
		ui_back_to_prop(ui, false);
		break;
	case 27: /* Esc */
		ui_back_to_prop(ui, true);
		break;
	case L'r':
		session_requery(ui->s);
		ui->model_dirty = true;
		break;
	case L'm':
		ui_open_mx(ui);
		break;
	case L'e':
		ui->explain = true;
		ui->excur[0] = ui->excur[1] = 0;
		ui->exitem = -1;
		ui->exfollow = true;
		break;
	case L't':
		ui_open_trace(ui);
		break;
	default:
		if (ch >= L'1' && ch <= L'9') {
			size_t n;

			(void)ui_reply(ui, &n);
			if ((size_t)(ch - L'1') < n)
				ui_select(ui, (long)(ch - L'1'));
		}
		break;
	}
}

/* ---- event callbacks -------------------------------------------------------------------- */

static void ui_stdin_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ui *ui = arg;
	int got = 0, avail = 0;
	wint_t ch;
	int r;

	if (ui->quitting || !ui->curses_on)
		return;
	/* nodelay mode: drain everything that is there, never wait. */
	while (!ui->quitting && (r = get_wch(&ch)) != ERR) {
		got++;
		ui_key(ui, ch, r == KEY_CODE_YES);
	}
	if (ui->quitting)
		return;
	if (got > 0) {
		ui->stdin_strikes = 0;
		ui_schedule(ui);
		return;
	}
	/*
	 * Readable yet nothing to read: EOF or EIO, the terminal is gone (hangup, closed pty).
	 * A few in a row and we leave instead of spinning on a level-triggered event.
	 */
	if (ioctl((int)fd, FIONREAD, &avail) < 0 || avail == 0) {
		if (++ui->stdin_strikes >= UI_STDIN_STRIKES)
			ui_quit(ui);
	} else {
		ui->stdin_strikes = 0;
	}
}

static void ui_winch_cb(evutil_socket_t sig, short what, void *arg)
{
	struct ui *ui = arg;

	/* A burst of SIGWINCH costs one ioctl and one resizeterm at the next (capped) draw. */
	ui->resize_pending = true;
	ui_schedule(ui);
}

static void ui_quit_cb(evutil_socket_t sig, short what, void *arg)
{
	ui_quit(arg);
}

/* Once a second: the countdowns move. Idle means this and nothing else wakes us. */
static void ui_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct ui *ui = arg;

	ui->model_dirty = true;
	ui_schedule(ui);
}

static void ui_on_change(struct session *s, void *arg)
{
	struct ui *ui = arg;

	ui->model_dirty = true;
	ui_schedule(ui);
}

/* ---- lifecycle -------------------------------------------------------------------------- */

struct ui *ui_new(struct event_base *base, struct session *s, char *err, size_t errlen)
{
	struct ui *ui;
	const char *term = getenv("TERM");
	bool colour, utf8;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, errlen,
		         "the full-screen view needs a terminal (use --text or --json)");
		return NULL;
	}
	if (!term || !*term) {
		snprintf(err, errlen, "TERM is not set: cannot drive the terminal");
		return NULL;
	}
	if (ui_current) {
		snprintf(err, errlen, "a full-screen view is already active");
		return NULL;
	}
	ui = calloc(1, sizeof(*ui));
	if (!ui) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	ui->base = base;
	ui->s = s;
	ui->focus = UI_FOCUS_SECTIONS;
	ui->smtp = session_get_smtp(s);
	ui->msg_prow = -1;

	/* The terminal as the shell left it, for termguard's crash handler (best effort). */
	termguard_save(STDIN_FILENO);
	ui->scr = newterm(NULL, stdout, stdin);
	if (!ui->scr) {
		char *t = esc_str(term);

		snprintf(err, errlen, "cannot use terminal type \"%s\"", t ? t : "?");
		free(t);
		free(ui);
		return NULL;
	}
	set_term(ui->scr);
	ui->curses_on = true;
	ui_current = ui;
	/* From here a crash or a fatal signal gives the terminal back (termguard.h). Best effort:
	 * if it cannot be armed, only those deaths leave the terminal raw. */
	termguard_arm(STDOUT_FILENO);
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	/*
	 * No typeahead check while drawing: ncurses would poll stdin and flush every few lines,
	 * turning one redraw into dozens of writes (and wake-ups of the terminal). Keys are read
	 * by the loop between redraws anyway.
	 */
	typeahead(-1);
	set_escdelay(25);
	curs_set(0);
	colour = has_colors() && start_color() == OK && use_default_colors() == OK;
	utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	pane_styles_init(colour, utf8);

	/*
	 * Signal events go in after newterm(): libevent's handlers then replace the ones ncurses
	 * installed for SIGWINCH, SIGINT and SIGTERM, so the loop sees them.
	 */
	ui->ev_stdin = event_new(base, STDIN_FILENO, EV_READ | EV_PERSIST, ui_stdin_cb, ui);
	ui->ev_winch = evsignal_new(base, SIGWINCH, ui_winch_cb, ui);
	ui->ev_int = evsignal_new(base, SIGINT, ui_quit_cb, ui);
	ui->ev_term = evsignal_new(base, SIGTERM, ui_quit_cb, ui);
	ui->ev_hup = evsignal_new(base, SIGHUP, ui_quit_cb, ui);
	ui->ev_redraw = evtimer_new(base, ui_redraw_cb, ui);
	ui->ev_tick = event_new(base, -1, EV_PERSIST, ui_tick_cb, ui);
	if (!ui->ev_stdin || !ui->ev_winch || !ui->ev_int || !ui->ev_term || !ui->ev_hup ||
	    !ui->ev_redraw || !ui->ev_tick || event_add(ui->ev_tick, &(struct timeval){1, 0}) < 0 ||
	    event_add(ui->ev_stdin, NULL) < 0 || event_add(ui->ev_winch, NULL) < 0 ||
	    event_add(ui->ev_int, NULL) < 0 || event_add(ui->ev_term, NULL) < 0 ||
	    event_add(ui->ev_hup, NULL) < 0) {
		ui_free(ui);
		snprintf(err, errlen, "cannot register terminal events");
		return NULL;
	}
	session_set_change_cb(s, ui_on_change, ui);
	/* The TTL pane lists what every job received; expired answers are asked again. */
	(void)session_record_ttls(s);
	session_set_autoreask(s, true);
	ui->model_dirty = true;
	ui->resize_pending = true;
	ui_schedule(ui);
	return ui;
}

void ui_free(struct ui *ui)
{
	if (!ui)
		return;

	struct event **evs[] = {&ui->ev_stdin, &ui->ev_winch,  &ui->ev_int, &ui->ev_term,
	                        &ui->ev_hup,   &ui->ev_redraw, &ui->ev_tick};

	if (ui->s)
		session_set_change_cb(ui->s, NULL, NULL);
	for (size_t i = 0; i < sizeof(evs) / sizeof(evs[0]); i++) {
		if (*evs[i])
			event_free(*evs[i]);
		*evs[i] = NULL;
	}
	ui_end_curses(ui);
	if (ui->scr) {
		delscreen(ui->scr);
		ui->scr = NULL;
	}
	pane_reset(&ui->hdr);
	pane_reset(&ui->sec);
	pane_line_clear(&ui->sec_title);
	pane_reset(&ui->mx);
	free(ui->mxrefs);
	pane_lines_clear(&ui->mxhead);
	pane_line_clear(&ui->mxtitle);
	pane_lines_clear(&ui->detail_lines);
	pane_line_clear(&ui->detail_title);
	pane_reset(&ui->pr);
	free(ui->prrows);
	pane_line_clear(&ui->prcols);
	pane_lines_clear(&ui->prhead);
	pane_line_clear(&ui->prtitle);
	view_items_clear(&ui->hdr_items);
	view_items_clear(&ui->sec_items);
	pane_lines_clear(&ui->exbox);
	pane_line_clear(&ui->extitle);
	pane_reset(&ui->tr);
	pane_lines_clear(&ui->trhead);
	pane_line_clear(&ui->trtitle);
	for (size_t i = 0; i < ui->nhist; i++)
		free(ui->hist[i]);
	if (ui_current == ui)
		ui_current = NULL;
	free(ui);
}

void ui_restore_terminal(void)
{
	ui_end_curses(ui_current);
}
