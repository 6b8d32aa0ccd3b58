/*
 * ui.h -- the full-screen ncurses front end.
 *
 * Two views of the session: the lookup view (header pane, sections pane; view.c) and the MX
 * failover view (plan, findings, mail records with a line cursor and Enter for details;
 * mxview.c). ui.c owns events and keys, pane.c draws.
 *
 * The UI reads the session's model through getters and turns keys into session actions; it
 * never touches sockets. stdin, SIGWINCH, SIGINT, SIGTERM, SIGHUP and the redraw timer are
 * libevent events on the one event base; callbacks only mark the view dirty, and drawing
 * happens at most once per loop turn (capped at 20 redraws a second). Every exit path,
 * including ui_restore_terminal(), restores the terminal (endwin) before anything is printed.
 *
 * The screen: a header pane (server, transport, RTT, size, opcode, rcode, ID, flags, counts,
 * EDNS) above a sections pane (question, answer, authority, additional in aligned columns),
 * a tab row when several servers were asked, and a status line. Keys: '?' lists them all.
 * Internals: src/ui/view.c builds the lines from the model, src/ui/pane.c draws them.
 */
#ifndef DNSDECK_UI_UI_H
#define DNSDECK_UI_UI_H

#include <stddef.h>
#include <event2/event.h>
#include "engine/session.h"

struct ui;

/**
 * Take over the terminal and show the session. The caller then runs event_base_dispatch();
 * the UI restores the terminal and breaks the loop when the user quits ('q'), on SIGINT,
 * SIGTERM or SIGHUP, and when the terminal goes away (stdin at EOF or failing).
 * Needs a terminal on stdin and stdout; setlocale(LC_ALL, "") must have been called.
 * \param[in]  base    the event base (not owned)
 * \param[in]  s       the session to show and drive (not owned)
 * \param[out] err     on failure, why (e.g. not a terminal)
 * \param[in]  errlen  size of err
 * \return the UI, or NULL with err set (the terminal is untouched then).
 */
struct ui *ui_new(struct event_base *base, struct session *s, char *err, size_t errlen);

/**
 * Restore the terminal (if that has not happened yet) and free the UI. Call it before
 * session_free(): it unhooks the UI from the session. NULL is a no-op.
 */
void ui_free(struct ui *ui);

/**
 * Restore the terminal if a UI is active (for fatal error paths before printing). Safe to call
 * any number of times; the UI draws nothing afterwards, and ui_free() is still needed.
 */
void ui_restore_terminal(void);

#endif
