// SPDX-License-Identifier: GPL-2.0
/*
 * Replays the fuzzers' corpora without libFuzzer (gcc, ASan/UBSan): each
 * input in its own process, so one crash is counted and the rest still
 * run.  Usage: replay TARGET:DIR...  (TARGET back_dispatch, front_answer)
 * Ends with "fuzz-replay: N passed, M failed".
 */
#include <dirent.h>
#include <sys/wait.h>
#include <unistd.h>
#include "fuzz.h"

static const struct {
	const char *name;
	int (*one)(const u8 *data, size_t size);
} targets[] = {
	{ "back_dispatch", fuzz_back_dispatch_one },
	{ "front_answer", fuzz_front_answer_one },
};

static int run_file(int (*one)(const u8 *, size_t), const char *path)
{
	u8 *buf = NULL;
	long n;
	FILE *f = fopen(path, "rb");

	if (!f)
		return 1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n > 0 ? n : 1);
	if (!buf || (n > 0 && fread(buf, 1, n, f) != (size_t)n)) {
		fclose(f);
		free(buf);
		return 1;
	}
	fclose(f);
	one(buf, n);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int passed = 0, failed = 0, t;
	int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc; i++) {
		char *dir = strchr(argv[i], ':');
		struct dirent *de;
		unsigned int files = 0;
		DIR *d;

		if (!dir) {
			fprintf(stderr, "usage: %s TARGET:DIR...\n", argv[0]);
			return 2;
		}
		*dir++ = '\0';
		for (t = 0; t < ARRAY_SIZE(targets); t++)
			if (!strcmp(targets[t].name, argv[i]))
				break;
		if (t == ARRAY_SIZE(targets)) {
			fprintf(stderr, "replay: no target '%s'\n", argv[i]);
			return 2;
		}
		d = opendir(dir);
		if (!d) {
			fprintf(stdout, "fuzz-replay: %s: cannot open %s\n",
				argv[i], dir);
			failed++;
			continue;
		}
		while ((de = readdir(d))) {
			char path[4096];
			int status;
			pid_t pid;

			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			fflush(NULL);
			pid = fork();
			if (!pid)
				exit(run_file(targets[t].one, path));
			waitpid(pid, &status, 0);
			files++;
			if (WIFEXITED(status) && !WEXITSTATUS(status)) {
				passed++;
				continue;
			}
			failed++;
			fprintf(stdout, "fuzz-replay: %s: %s FAILED (%s %d)\n",
				argv[i], de->d_name,
				WIFSIGNALED(status) ? "signal" : "exit",
				WIFSIGNALED(status) ? WTERMSIG(status) :
				WEXITSTATUS(status));
		}
		closedir(d);
		fprintf(stdout, "fuzz-replay: %s: %u inputs from %s\n", argv[i],
			files, dir);
		if (!files) {
			fprintf(stdout, "fuzz-replay: %s: empty corpus\n", argv[i]);
			failed++;
		}
	}
	fprintf(stdout, "fuzz-replay: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
