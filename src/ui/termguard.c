/*
 * termguard.c -- give the terminal back when dnsdeck dies (see termguard.h).
 *
 * Everything the signal handler touches is prepared beforehand in static storage: the saved
 * termios, the two descriptors and the undo bytes (terminfo strings expanded by tputs(), so
 * padding such as "$<2>" is already resolved). The handler itself calls only tcgetpgrp(),
 * getpgrp(), write(), tcsetattr() and raise(), all async-signal-safe (POSIX.1-2017 XSH 2.4.3).
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <curses.h>
#include <term.h>

#include "ui/termguard.h"

/* Bytes of undo strings: on xterm sgr0 + op + cnorm + rmkx + cup + rmcup are about 60. */
#define TG_UNDO_MAX 512
/* The alternate signal stack, so a stack overflow's SIGSEGV can still be handled. A fixed
 * size: SIGSTKSZ is no longer a constant in glibc >= 2.34, and the handler needs little. */
#define TG_ALTSTACK (64 * 1024)
/* The cursor goes to the bottom row before rmcup, as endwin() does: terminals clamp a row
 * beyond the screen (ECMA-48 CUP), so this needs no knowledge of the current size. */
#define TG_BOTTOM_ROW 9998
/* CAN (ECMA-48 §8.3.6) cancels a control sequence that a crash cut in half (curses writes its
 * buffer in chunks that may end inside one); in the ground state terminals ignore it. */
#define TG_CAN '\030'

/* Signals whose default action ends the process and that nobody else catches: the
 * core-dumping ones (signal(7): a crash, abort(), Ctrl-\) and the terminating ones other
 * than SIGINT, SIGTERM, SIGHUP (libevent events in ui.c), SIGPIPE (ignored by main) and
 * SIGKILL (not catchable). */
static const int tg_signals[] = {
    SIGSEGV,   SIGBUS,  SIGFPE,  SIGILL,  SIGABRT, SIGQUIT,   SIGSYS,  SIGTRAP,
    SIGXCPU,   SIGXFSZ, SIGALRM, SIGUSR1, SIGUSR2, SIGVTALRM, SIGPROF,
#ifdef SIGIO
    SIGIO,
#endif
#ifdef SIGPWR
    SIGPWR,
#endif
#ifdef SIGSTKFLT
    SIGSTKFLT,
#endif
};
#define TG_NSIG (sizeof(tg_signals) / sizeof(tg_signals[0]))

static struct termios tg_tio; /* the terminal as the shell left it */
static bool tg_saved;
static int tg_in_fd = -1, tg_out_fd = -1;

static char tg_undo[TG_UNDO_MAX];
static size_t tg_undo_len;
static bool tg_undo_full; /* a capability did not fit: tg_add() drops it whole */

static struct sigaction tg_old[TG_NSIG]; /* dispositions found by termguard_arm() */
static bool tg_taken[TG_NSIG];
static bool tg_armed;
static bool tg_atexit_set;
static volatile sig_atomic_t tg_done; /* the terminal has been given back (once only) */

static char tg_stack[TG_ALTSTACK];
static stack_t tg_old_stack;
static bool tg_stack_set; /* tg_stack is the alternate signal stack */

/* tputs() output routine: append to tg_undo. */
static int tg_putc(int c)
{
	if (tg_undo_len >= sizeof(tg_undo)) {
		tg_undo_full = true;
		return EOF;
	}
	tg_undo[tg_undo_len++] = (char)c;
	return c;
}

/* Append one expanded terminfo string, or nothing if it is absent or does not fit. */
static void tg_add(const char *s)
{
	size_t before = tg_undo_len;

	/* tigetstr(): NULL = absent or cancelled, (char *)-1 = not a string capability */
	if (s == NULL || s == (const char *)-1 || *s == '\0')
		return;
	tg_undo_full = false;
	tputs(s, 1, tg_putc);
	if (tg_undo_full)
		tg_undo_len = before;
}

/* The bytes that undo what curses did to the screen, in endwin()'s order: attributes and
 * colours off, cursor visible, keypad transmit mode off, cursor to the bottom row, leave the
 * alternate screen. Runs outside signal context (tputs, tiparm). */
static void tg_build(void)
{
	static const char *const caps[] = {"sgr0", "op", "cnorm", "rmkx"};
	const char *cup = tigetstr("cup");

	tg_undo_len = 0;
	tg_undo[tg_undo_len++] = TG_CAN;
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		tg_add(tigetstr(caps[i]));
	if (cup != NULL && cup != (const char *)-1)
		tg_add(tiparm(cup, TG_BOTTOM_ROW, 0));
	tg_add(tigetstr("rmcup"));
}

/* Async-signal-safe: write all of buf, retrying after EINTR and short writes. */
static void tg_write(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

/* Async-signal-safe: put the screen and the line discipline back, once. */
static void tg_give_back(void)
{
	if (tg_done)
		return;
	tg_done = 1;
	/* Stopped and continued in the background, we must not take the terminal from the shell
	 * (and tcsetattr would stop us with SIGTTOU). */
	if (tcgetpgrp(tg_in_fd) != getpgrp())
		return;
	tg_write(tg_out_fd, tg_undo, tg_undo_len);
	/* TCSAFLUSH: drop what was typed at the dead UI rather than hand it to the shell. */
	tcsetattr(tg_in_fd, TCSAFLUSH, &tg_tio);
}

static void tg_on_signal(int sig)
{
	int saved_errno = errno;

	tg_give_back();
	/* SA_RESETHAND has put the default action back and sig stays blocked until we return:
	 * then the raised copy ends the process the usual way (exit status 128+sig in the shell,
	 * core dump if enabled). A fault would also recur on the faulting instruction. */
	raise(sig);
	errno = saved_errno;
}

/* exit() from inside a library while the UI is up (libevent's fatal errors call exit(1)). */
static void tg_on_exit(void)
{
	if (!tg_armed)
		return;
	tg_give_back();
	termguard_disarm();
}

int termguard_save(int fd)
{
	if (tcgetattr(fd, &tg_tio) < 0) {
		tg_saved = false;
		return -1;
	}
	tg_in_fd = fd;
	tg_saved = true;
	return 0;
}

int termguard_arm(int out_fd)
{
	struct sigaction sa;
	stack_t cur;

	if (!tg_saved) {
		errno = EINVAL;
		return -1;
	}
	tg_out_fd = out_fd;
	tg_build();
	if (tg_armed)
		return 0;
	tg_done = 0;

	/* Keep an alternate stack somebody else set (a sanitizer's); else use ours. */
	if (sigaltstack(NULL, &cur) == 0 && (cur.ss_flags & SS_DISABLE)) {
		stack_t ss = {.ss_sp = tg_stack, .ss_size = sizeof(tg_stack), .ss_flags = 0};

		tg_stack_set = sigaltstack(&ss, &tg_old_stack) == 0;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = tg_on_signal;
	sa.sa_flags = SA_RESETHAND | SA_ONSTACK;
	/* While one fatal signal is handled the others wait; the first one's default action
	 * ends the process before they are delivered. */
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < TG_NSIG; i++)
		sigaddset(&sa.sa_mask, tg_signals[i]);

	tg_armed = true;
	for (size_t i = 0; i < TG_NSIG; i++) {
		struct sigaction now;

		tg_taken[i] = false;
		if (sigaction(tg_signals[i], NULL, &now) < 0)
			goto fail;
		if ((now.sa_flags & SA_SIGINFO) || now.sa_handler != SIG_DFL)
			continue; /* ignored, or somebody's handler: leave it */
		if (sigaction(tg_signals[i], &sa, &tg_old[i]) < 0)
			goto fail;
		tg_taken[i] = true;
	}
	if (!tg_atexit_set && atexit(tg_on_exit) == 0)
		tg_atexit_set = true;
	return 0;

fail:
	termguard_disarm();
	return -1;
}

void termguard_disarm(void)
{
	if (!tg_armed)
		return;
	for (size_t i = 0; i < TG_NSIG; i++) {
		if (tg_taken[i])
			sigaction(tg_signals[i], &tg_old[i], NULL);
		tg_taken[i] = false;
	}
	if (tg_stack_set)
		sigaltstack(&tg_old_stack, NULL);
	tg_stack_set = false;
	tg_armed = false;
}
