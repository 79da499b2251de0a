/*
 * measure OUT CMD [ARG...]: run CMD and write "WALL_SECONDS MAXRSS_KIB" to
 * OUT (the peak is getrusage(RUSAGE_CHILDREN): CMD is the only child);
 * exit with CMD's status.
 *
 * The driver is a Python process of some 15 MB, and a child's ru_maxrss
 * keeps the high-water mark of the process it was forked from across
 * exec(): launched from here, a few hundred kilobytes, the figure is the
 * contender's own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "common.h"

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: measure OUT CMD [ARG...]\n");
		return 2;
	}
	double t0 = bench_now();
	pid_t pid = fork();
	if (pid < 0) {
		perror("measure: fork");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	int status;
	struct rusage ru;
	if (waitpid(pid, &status, 0) < 0 || getrusage(RUSAGE_CHILDREN, &ru) != 0) {
		perror("measure: waitpid");
		return 1;
	}
	double wall = bench_now() - t0;
	FILE *f = fopen(argv[1], "w");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	fprintf(f, "%.6f %ld\n", wall, ru.ru_maxrss);
	fclose(f);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
