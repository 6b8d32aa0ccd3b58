/*
 * termguard.h -- give the terminal back when dnsdeck dies (internal to src/ui/).
 *
 * The UI's own exits ('q', SIGINT, SIGTERM, SIGHUP, the terminal going away) restore the
 * terminal through endwin() (ui.c). termguard covers the deaths the event loop never sees: a
 * crash (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT from abort() or a failed assert), a signal
 * whose default action ends the process (SIGQUIT from Ctrl-\, SIGUSR1, SIGALRM, ...) and
 * exit() called from inside a library (libevent's fatal errors). Without it the shell gets
 * back a terminal in raw mode on the alternate screen with the cursor hidden.
 *
 * Use: termguard_save() before newterm() remembers the termios of the terminal as the shell
 * left it; termguard_arm() after newterm() copies the strings that undo curses from the
 * terminal's terminfo entry into a static buffer (sgr0, op, cnorm, rmkx, a cursor move to the
 * bottom row, rmcup) and installs the handlers; termguard_disarm() once endwin() has run puts
 * the previous dispositions back. The handler does only async-signal-safe things (POSIX.1-2017
 * XSH 2.4.3): when dnsdeck is still the terminal's foreground process group it write(2)s the
 * precomputed strings and tcsetattr(TCSAFLUSH)s the saved termios; then the default action
 * comes back and the signal is raised again, so the exit status, the shell's "Segmentation
 * fault" and any core dump are the usual ones.
 *
 * A signal is only taken over while its disposition is SIG_DFL: an ignored signal (SIGPIPE)
 * stays ignored, and a sanitizer's or debugger's handler is left in place. SIGINT, SIGTERM,
 * SIGHUP (libevent events), SIGWINCH and SIGTSTP (ncurses) are not touched. One process, one
 * terminal: the state is static.
 */
#ifndef DNSDECK_UI_TERMGUARD_H
#define DNSDECK_UI_TERMGUARD_H

/**
 * Remember the terminal settings to restore: tcgetattr() of fd. Call it before curses
 * changes anything (before newterm()).
 * \param[in] fd  the terminal's input descriptor (STDIN_FILENO)
 * \return 0, or -1 with errno set (fd is not a terminal); the guard then stays unarmed.
 */
int termguard_save(int fd);

/**
 * Arm the guard: precompute the undo strings from the current terminal's terminfo entry (so
 * call it after newterm() and set_term()) and install the handlers for the fatal signals
 * (sigaction with SA_RESETHAND on an alternate signal stack, so a stack overflow is covered
 * too) and, once per process, an atexit() hook. Calling it while armed refreshes the strings.
 * \param[in] out_fd  the descriptor curses writes to (STDOUT_FILENO)
 * \return 0, or -1 when termguard_save() has not succeeded or a handler could not be
 *         installed (the handlers installed so far are removed again).
 */
int termguard_arm(int out_fd);

/**
 * Disarm the guard: restore the signal dispositions and the signal stack found by
 * termguard_arm(). Call it once the terminal has been restored (after endwin()). Idempotent;
 * a no-op when not armed.
 */
void termguard_disarm(void);

#endif
