// SPDX-License-Identifier: GPL-2.0
/*
 * The userspace runner: runs every KUnit suite linked into it (see
 * tests/shim/kunit/test.h), under ASan/UBSan, checking after each case
 * that it freed every allocation it made.  Quiet on success; -v prints
 * every case.  Usage: runner [-v] [-s SUITE] [-c CASE] [-l]
 *
 * The last line is "unit: N passed, M failed[, K skipped]".
 */
#include <kunit/test.h>
#include <getopt.h>

#define MAX_SUITES	64

struct kunit_alloc {
	struct kunit_alloc *next;
};

static struct kunit_suite *suites[MAX_SUITES];
static unsigned int nr_suites;
static bool verbose;

void kunit_shim_register(struct kunit_suite **list)
{
	for (; *list; list++) {
		if (nr_suites == MAX_SUITES) {
			fprintf(stderr, "runner: more than %d suites\n",
				MAX_SUITES);
			exit(2);
		}
		suites[nr_suites++] = *list;
	}
}

void *kunit_kmalloc_array(struct kunit *test, size_t n, size_t size,
			  gfp_t gfp)
{
	struct kunit_alloc *a;

	if (size && n > (SIZE_MAX - sizeof(*a)) / size)
		return NULL;
	/* Plain malloc: these are the test's own, released with the case. */
	a = calloc(1, sizeof(*a) + n * size);
	if (!a)
		return NULL;
	a->next = test->allocs;
	test->allocs = a;
	return a + 1;
}

static void free_case_allocs(struct kunit *test)
{
	struct kunit_alloc *a, *next;

	for (a = test->allocs; a; a = next) {
		next = a->next;
		free(a);
	}
	test->allocs = NULL;
}

void kunit_shim_log(struct kunit *test, const char *fmt, ...)
{
	va_list ap;

	if (!verbose)
		return;
	va_start(ap, fmt);
	fprintf(stdout, "        # ");
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	if (fmt[0] && fmt[strlen(fmt) - 1] != '\n')
		fputc('\n', stdout);
}

void kunit_shim_fail(struct kunit *test, bool abort, const char *file,
		     int line, const char *fmt, ...)
{
	va_list ap;

	test->status = 1;
	fprintf(stdout, "        # %s: %s:%d: ", test->name, file, line);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	if (abort)
		longjmp(*test->abort_to, 1);
}

void kunit_shim_skip(struct kunit *test, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(test->skip_reason, sizeof(test->skip_reason), fmt, ap);
	va_end(ap);
	if (test->status == 0)
		test->status = 2;
	longjmp(*test->abort_to, 1);
}

struct tally {
	unsigned int passed, failed, skipped;
};

/* Run one case (one parameter of it); returns its status. */
static int run_one(struct kunit_suite *suite, struct kunit_case *kc,
		   const void *param, const char *desc)
{
	struct kunit test = { .name = kc->name, .param_value = param };
	jmp_buf env;
	long live_before;

	test.abort_to = &env;
	seam_log_clear();
	seam_alloc_fail_at(0);
	live_before = seam_alloc_live();
	if (!setjmp(env)) {
		if (suite->init && suite->init(&test)) {
			kunit_shim_fail(&test, false, __FILE__, __LINE__,
					"suite init failed");
		} else {
			kc->run_case(&test);
		}
	}
	/* exit runs even after an ASSERT, as in the kernel. */
	test.abort_to = &env;
	if (!setjmp(env) && suite->exit)
		suite->exit(&test);
	free_case_allocs(&test);
	seam_alloc_fail_at(0);
	if (seam_alloc_live() != live_before && test.status != 2) {
		fprintf(stdout, "        # %s: leaked %ld allocation(s)\n",
			kc->name, seam_alloc_live() - live_before);
		test.status = 1;
	}

	if (test.status == 1 || verbose) {
		fprintf(stdout, "    %s %s.%s%s%s%s%s\n",
			test.status == 1 ? "not ok" : "ok", suite->name,
			kc->name, desc ? " [" : "", desc ? desc : "",
			desc ? "]" : "",
			test.status == 2 ? " # SKIP" : "");
	}
	if (test.status == 2)
		fprintf(stdout, "    skip %s.%s: %s\n", suite->name, kc->name,
			test.skip_reason);
	return test.status;
}

static void count(struct tally *t, int status)
{
	if (status == 0)
		t->passed++;
	else if (status == 1)
		t->failed++;
	else
		t->skipped++;
}

static void run_suite(struct kunit_suite *suite, const char *case_filter,
		      struct tally *total)
{
	struct tally t = { 0 };
	struct kunit_case *kc;
	char desc[KUNIT_PARAM_DESC_SIZE];
	const void *param;

	if (suite->suite_init && suite->suite_init(suite)) {
		fprintf(stdout, "  %s: suite_init failed\n", suite->name);
		total->failed++;
		return;
	}
	for (kc = suite->test_cases; kc->run_case; kc++) {
		if (case_filter && strcmp(case_filter, kc->name))
			continue;
		if (!kc->generate_params) {
			count(&t, run_one(suite, kc, NULL, NULL));
			continue;
		}
		desc[0] = '\0';
		for (param = kc->generate_params(NULL, desc); param;
		     param = kc->generate_params(param, desc)) {
			count(&t, run_one(suite, kc, param, desc));
			desc[0] = '\0';
		}
	}
	if (suite->suite_exit)
		suite->suite_exit(suite);
	fprintf(stdout, "  %-32s %u passed, %u failed", suite->name, t.passed,
		t.failed);
	if (t.skipped)
		fprintf(stdout, ", %u skipped", t.skipped);
	fputc('\n', stdout);
	total->passed += t.passed;
	total->failed += t.failed;
	total->skipped += t.skipped;
}

int main(int argc, char **argv)
{
	const char *suite_filter = NULL, *case_filter = NULL;
	struct tally total = { 0 };
	unsigned int i;
	int opt;
	bool list = false;

	while ((opt = getopt(argc, argv, "vs:c:lh")) != -1) {
		switch (opt) {
		case 'v':
			verbose = true;
			break;
		case 's':
			suite_filter = optarg;
			break;
		case 'c':
			case_filter = optarg;
			break;
		case 'l':
			list = true;
			break;
		default:
			fprintf(stderr,
				"usage: %s [-v] [-s SUITE] [-c CASE] [-l]\n",
				argv[0]);
			return opt == 'h' ? 0 : 2;
		}
	}
	/* Failures must be seen even when stdout is a pipe. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < nr_suites; i++) {
		if (list) {
			printf("%s\n", suites[i]->name);
			continue;
		}
		if (suite_filter && strcmp(suite_filter, suites[i]->name))
			continue;
		run_suite(suites[i], case_filter, &total);
	}
	if (list)
		return 0;
	if (!total.passed && !total.failed) {
		fprintf(stdout, "unit: no test matched\n");
		return 1;
	}
	printf("unit: %u passed, %u failed", total.passed, total.failed);
	if (total.skipped)
		printf(", %u skipped", total.skipped);
	printf("\n");
	return total.failed ? 1 : 0;
}
