/*
 * bench/runner.c - run one command once and report its cost.
 *
 *   runner TIMEOUT_S PROGRAM [ARG...]
 *
 * Forks, execs PROGRAM (an absolute path; no PATH search) with stdin,
 * stdout and stderr on /dev/null, waits for it with wait4() and prints
 * one line on stdout:
 *
 *   WALL_NS MAXRSS_KIB UTIME_US STIME_US STATUS
 *
 * WALL_NS is CLOCK_MONOTONIC from just before fork() to just after
 * wait4() returns.  MAXRSS_KIB is ru_maxrss of that one child.  STATUS is
 * the exit status, or 128+signal; a child still running after TIMEOUT_S
 * seconds is killed (STATUS 137).  A failed exec gives STATUS 127.
 *
 * Why a C helper and not Python's os.wait4(): Linux carries the peak RSS
 * of the address space a process had *before* execve() into its
 * ru_maxrss.  A child forked (or posix_spawn'ed, which shares the
 * parent's memory until exec) from a Python interpreter therefore
 * reports at least the interpreter's own peak RSS, tens of MiB, however
 * small the program really is.  Forked from this tiny process, the floor
 * is about 1 MiB (measure it with /bin/true: lookup.sh's "baseline" row).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile pid_t child;

static void on_alarm(int sig)
{
	(void)sig;
	if (child > 0)
		kill(child, SIGKILL);
}

static long long ns_of(const struct timespec *t)
{
	return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

static long long us_of(const struct timeval *t)
{
	return (long long)t->tv_sec * 1000000LL + t->tv_usec;
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	struct sigaction sa;
	int status = 0, devnull, code;
	unsigned timeout;
	pid_t pid, r;

	if (argc < 3 || argv[2][0] != '/') {
		fprintf(stderr, "usage: runner TIMEOUT_S /ABS/PROGRAM [ARG...]\n");
		return 2;
	}
	timeout = (unsigned)strtoul(argv[1], NULL, 10);
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull < 0) {
		perror("runner: /dev/null");
		return 2;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;	/* no SA_RESTART: wait4 gets EINTR */
	sigaction(SIGALRM, &sa, NULL);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		perror("runner: fork");
		return 2;
	}
	if (pid == 0) {
		int err = fcntl(2, F_DUPFD_CLOEXEC, 3);

		dup2(devnull, 0);
		dup2(devnull, 1);
		dup2(devnull, 2);
		execv(argv[2], argv + 2);
		if (err >= 0)
			dprintf(err, "runner: exec %s: %s\n", argv[2],
				strerror(errno));
		_exit(127);
	}
	child = pid;
	if (timeout)
		alarm(timeout);
	do
		r = wait4(pid, &status, 0, &ru);
	while (r < 0 && errno == EINTR);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	alarm(0);
	if (r < 0) {
		perror("runner: wait4");
		return 2;
	}
	if (WIFEXITED(status))
		code = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		code = 128 + WTERMSIG(status);
	else
		code = 255;
	printf("%lld %ld %lld %lld %d\n", ns_of(&t1) - ns_of(&t0),
	       ru.ru_maxrss, us_of(&ru.ru_utime), us_of(&ru.ru_stime), code);
	return 0;
}
