// SPDX-License-Identifier: GPL-2.0
/*
 * The simulator's log and its fault injection points.  The log is kept in
 * memory (one world per process) so the checks can search it; -v echoes
 * it to stderr.
 */
#include <stdarg.h>
#include "sim.h"

#define LOG_MAX		8192
#define LOG_LINE	200

struct sim_line {
	int level;
	char text[LOG_LINE];
};

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sim_line *lines;	/* ring of LOG_MAX, under log_lock */
static unsigned long nlines;	/* lines ever logged */
bool sim_verbose;

void sim_log(int level, const char *fmt, ...)
{
	struct sim_line *l;
	va_list ap;

	pthread_mutex_lock(&log_lock);
	if (!lines)
		lines = calloc(LOG_MAX, sizeof(*lines));
	l = &lines[nlines % LOG_MAX];
	l->level = level;
	va_start(ap, fmt);
	vsnprintf(l->text, sizeof(l->text), fmt, ap);
	va_end(ap);
	nlines++;
	if (sim_verbose)
		fprintf(stderr, "      | %s\n", l->text);
	pthread_mutex_unlock(&log_lock);
}

/* The portable code's lines (the seam's log), in this log too. */
static void seam_line(int level, const char *line)
{
	int n = strcspn(line, "\n");

	sim_log(level, "%.*s", n, line);
}

void sim_log_mirror_seam(void)
{
	seam_log_hook = seam_line;
}

unsigned int sim_log_count(const char *needle)
{
	unsigned long i, first;
	unsigned int n = 0;

	pthread_mutex_lock(&log_lock);
	first = nlines > LOG_MAX ? nlines - LOG_MAX : 0;
	for (i = first; i < nlines; i++)
		if (strstr(lines[i % LOG_MAX].text, needle))
			n++;
	pthread_mutex_unlock(&log_lock);
	return n;
}

unsigned long sim_log_lines(void)
{
	unsigned long n;

	pthread_mutex_lock(&log_lock);
	n = nlines;
	pthread_mutex_unlock(&log_lock);
	return n;
}

unsigned long sim_log_errors_since(unsigned long since)
{
	unsigned long i, first, n = 0;

	pthread_mutex_lock(&log_lock);
	first = nlines > LOG_MAX ? nlines - LOG_MAX : 0;
	for (i = max(first, since); i < nlines; i++)
		if (lines[i % LOG_MAX].level <= SEAM_LOG_WARN)
			n++;
	pthread_mutex_unlock(&log_lock);
	return n;
}

void sim_log_dump(FILE *f, unsigned long since)
{
	unsigned long i, first;

	pthread_mutex_lock(&log_lock);
	first = nlines > LOG_MAX ? nlines - LOG_MAX : 0;
	for (i = max(first, since); i < nlines; i++)
		fprintf(f, "      | %s\n", lines[i % LOG_MAX].text);
	pthread_mutex_unlock(&log_lock);
}

void sim_log_reset(void)
{
	pthread_mutex_lock(&log_lock);
	free(lines);
	lines = NULL;
	nlines = 0;
	pthread_mutex_unlock(&log_lock);
}

/* ---- fault injection ------------------------------------------------ */

const char *const sim_fsite_names[SIM_NFSITE] = {
	[SIM_F_MAP] = "map",
	[SIM_F_UNMAP] = "unmap",
	[SIM_F_BIND] = "evtchn-bind",
	[SIM_F_GRANT] = "grant-map",
	[SIM_F_XS_WRITE] = "xs-write",
	[SIM_F_XS_WATCH] = "xs-watch",
	[SIM_F_ALLOC] = "alloc",
};

static atomic_ulong fcalls[SIM_NFSITE];
static int armed_site = -1;
static unsigned long armed_nth;
static int armed_err;
static atomic_bool fired;
static unsigned long fired_line;

void sim_fault_arm(enum sim_fsite site, unsigned long nth, int err)
{
	armed_site = nth ? (int)site : -1;
	armed_nth = nth;
	armed_err = err;
	fired = false;
}

int sim_fault(enum sim_fsite site)
{
	unsigned long n = atomic_fetch_add(&fcalls[site], 1) + 1;

	if ((int)site != armed_site || n != armed_nth)
		return 0;
	fired_line = sim_log_lines();
	fired = true;
	sim_log(SEAM_LOG_INFO, "fault: injected %s call %lu fails with %d",
		sim_fsite_names[site], n, armed_err);
	return armed_err;
}

unsigned long sim_fault_calls(enum sim_fsite site)
{
	return fcalls[site];
}

bool sim_fault_fired(unsigned long *at_line)
{
	if (at_line)
		*at_line = fired_line;
	return fired;
}

void sim_fault_reset(void)
{
	unsigned int i;

	for (i = 0; i < SIM_NFSITE; i++)
		fcalls[i] = 0;
	armed_site = -1;
	fired = false;
}
