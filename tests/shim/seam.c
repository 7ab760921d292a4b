// SPDX-License-Identifier: GPL-2.0
/*
 * The customised half of the userspace seam: counted allocation with
 * fault injection, and a log buffer tests can search; and the duplicated
 * string helpers of seam_xenbus.h.
 */
#include <pcisplit/seam.h>
#include <pcisplit/seam_xenbus.h>
#include <time.h>

/* ---- context: what DEBUG_ATOMIC_SLEEP and lockdep check ----------- */

/* Spinlocks held and handlers entered by this thread. */
static __thread int atomic_depth;

void seam_lock_bug(const char *what, const char *file, int line)
{
	fprintf(stderr, "seam: BUG: %s at %s:%d\n", what, file, line);
	abort();
}

void seam_might_sleep(const char *file, int line)
{
	if (atomic_depth)
		seam_lock_bug("sleeping function called from invalid context",
			      file, line);
}

bool seam_in_atomic(void)
{
	return atomic_depth > 0;
}

void seam_atomic_inc(void)
{
	atomic_depth++;
}

void seam_atomic_dec(void)
{
	if (--atomic_depth < 0)
		seam_lock_bug("unbalanced spin_unlock or irq_exit", __FILE__,
			      __LINE__);
}

void seam_irq_enter(void)
{
	seam_atomic_inc();
}

void seam_irq_exit(void)
{
	seam_atomic_dec();
}

/* Header in front of each block so seam_free can check what it frees. */
struct seam_block {
	unsigned long magic;
	size_t size;
};

#define SEAM_MAGIC_LIVE	0x5ea1a110cUL
#define SEAM_MAGIC_DEAD	0xdeadb10cUL

static long alloc_live;
static unsigned long alloc_fail_countdown;
static pthread_mutex_t alloc_lock = PTHREAD_MUTEX_INITIALIZER;

void *seam_alloc(size_t n, size_t size, bool zero)
{
	struct seam_block *b;
	bool fail = false;

	if (size && n > (SIZE_MAX - sizeof(*b)) / size)
		return NULL;
	pthread_mutex_lock(&alloc_lock);
	if (alloc_fail_countdown && --alloc_fail_countdown == 0)
		fail = true;
	pthread_mutex_unlock(&alloc_lock);
	if (fail)
		return NULL;

	b = malloc(sizeof(*b) + n * size);
	if (!b)
		return NULL;
	b->magic = SEAM_MAGIC_LIVE;
	b->size = n * size;
	if (zero)
		memset(b + 1, 0, b->size);
	else
		memset(b + 1, 0xa5, b->size);	/* catch use of unset memory */
	__atomic_add_fetch(&alloc_live, 1, __ATOMIC_RELAXED);
	return b + 1;
}

void seam_free(const void *p)
{
	struct seam_block *b;

	if (!p)
		return;
	b = (struct seam_block *)p - 1;
	if (b->magic != SEAM_MAGIC_LIVE) {
		fprintf(stderr, "seam: kfree of %p: not a live allocation\n", p);
		abort();
	}
	b->magic = SEAM_MAGIC_DEAD;
	__atomic_sub_fetch(&alloc_live, 1, __ATOMIC_RELAXED);
	free(b);
}

long seam_alloc_live(void)
{
	return __atomic_load_n(&alloc_live, __ATOMIC_RELAXED);
}

void seam_alloc_fail_at(unsigned long nth)
{
	pthread_mutex_lock(&alloc_lock);
	alloc_fail_countdown = nth;
	pthread_mutex_unlock(&alloc_lock);
}

#define LOG_LINES	256
#define LOG_LINE_MAX	256

void (*seam_log_hook)(int level, const char *line);

static char log_ring[LOG_LINES][LOG_LINE_MAX];
static unsigned int log_next, log_used;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void seam_log(int level, const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (getenv("SEAM_LOG_STDERR"))
		fprintf(stderr, "<%d>%s", level, line);

	if (seam_log_hook)
		seam_log_hook(level, line);
	pthread_mutex_lock(&log_lock);
	memcpy(log_ring[log_next], line, sizeof(line));
	log_next = (log_next + 1) % LOG_LINES;
	if (log_used < LOG_LINES)
		log_used++;
	pthread_mutex_unlock(&log_lock);
}

unsigned int seam_log_count(const char *needle)
{
	unsigned int i, n = 0;

	pthread_mutex_lock(&log_lock);
	for (i = 0; i < log_used; i++)
		if (strstr(log_ring[i], needle))
			n++;
	pthread_mutex_unlock(&log_lock);
	return n;
}

void seam_log_clear(void)
{
	pthread_mutex_lock(&log_lock);
	log_next = 0;
	log_used = 0;
	pthread_mutex_unlock(&log_lock);
}

/* The kernel's default: a burst of 10 lines per 5 seconds per call site. */
#define RATELIMIT_INTERVAL_S	5
#define RATELIMIT_BURST		10

bool seam_ratelimit(struct seam_ratelimit *rs)
{
	struct timespec ts;
	bool ok;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	pthread_mutex_lock(&log_lock);
	if (!rs->begin || ts.tv_sec - rs->begin >= RATELIMIT_INTERVAL_S) {
		rs->begin = ts.tv_sec ? ts.tv_sec : 1;
		rs->printed = 0;
	}
	ok = rs->printed < RATELIMIT_BURST;
	if (ok)
		rs->printed++;
	else
		rs->missed++;
	pthread_mutex_unlock(&log_lock);
	return ok;
}

bool seam_warn_on(bool cond, const char *what, const char *file, int line)
{
	if (cond)
		seam_log(SEAM_LOG_WARN, "WARNING: %s at %s:%d\n", what, file,
			 line);
	return cond;
}

/* ---- duplicates: the string helpers of seam_xenbus.h ---------------- */

int kstrtoint(const char *s, unsigned int base, int *res)
{
	char *end;
	long v;

	if (!*s || *s == ' ' || *s == '\t')
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, base);
	if (*end == '\n')
		end++;
	if (end == s || *end)
		return -EINVAL;
	if (errno || v < INT_MIN || v > INT_MAX)
		return -ERANGE;
	*res = v;
	return 0;
}

char *kvasprintf(gfp_t gfp, const char *fmt, va_list ap)
{
	va_list aq;
	char *p;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	p = kmalloc(n + 1, gfp);
	if (p)
		vsnprintf(p, n + 1, fmt, ap);
	return p;
}

char *kstrdup(const char *s, gfp_t gfp)
{
	size_t n = strlen(s) + 1;
	char *p = kmalloc(n, gfp);

	if (p)
		memcpy(p, s, n);
	return p;
}

const char *xenbus_strstate(enum xenbus_state state)
{
	static const char *const name[] = {
		[XenbusStateUnknown] = "Unknown",
		[XenbusStateInitialising] = "Initialising",
		[XenbusStateInitWait] = "InitWait",
		[XenbusStateInitialised] = "Initialised",
		[XenbusStateConnected] = "Connected",
		[XenbusStateClosing] = "Closing",
		[XenbusStateClosed] = "Closed",
		[XenbusStateReconfiguring] = "Reconfiguring",
		[XenbusStateReconfigured] = "Reconfigured",
	};

	return (unsigned int)state < ARRAY_SIZE(name) ? name[state] :
	       "INVALID";
}

/* ---- waits: the polling wait_event_timeout of shim/kernel/linux/wait.h */

bool (*seam_wait_hook)(void);

unsigned long seam_jiffies(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void seam_wait_poll(void)
{
	struct timespec ms = { 0, 1000000 };

	if (seam_wait_hook && seam_wait_hook())
		return;
	nanosleep(&ms, NULL);
}
