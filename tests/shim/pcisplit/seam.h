/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for include/pcisplit/seam.h: same include guard, same
 * names, so the portable sources build unchanged into the unit runner, the
 * simulator, the fuzzers and the benchmarks.  Three kinds of pieces, kept
 * apart below:
 *   - duplicates: kernel definitions rewritten for userspace with the same
 *     meaning (lists, bitmaps, helpers) -- keep in sync with the kernel;
 *   - customised: allocation, locking and logging, which count and record
 *     what the code did so tests can check it (leaks, log lines, faults);
 *   - component blocks at the end, one per component that needed more.
 */
#ifndef _PCISPLIT_SEAM_H
#define _PCISPLIT_SEAM_H

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/io/pciif.h>

#ifndef XEN_PCI_OP_enable_multi_msi
#define XEN_PCI_OP_enable_multi_msi	(10)
#endif

/* ---- duplicates: types and helpers ---------------------------------- */

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#define __always_unused		__attribute__((unused))
#define __maybe_unused		__attribute__((unused))
#define __must_check		__attribute__((warn_unused_result))
#define __printf(a, b)		__attribute__((format(printf, a, b)))
#define fallthrough		__attribute__((fallthrough))
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define BIT(n)			(1UL << (n))
#define BITS_PER_LONG		(8 * (int)sizeof(long))
#define BITS_TO_LONGS(n)	(((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define IS_ALIGNED(x, a)	(((x) & ((typeof(x))(a) - 1)) == 0)

#define min(a, b)		({ typeof(a) _a = (a); typeof(b) _b = (b); _a < _b ? _a : _b; })
#define max(a, b)		({ typeof(a) _a = (a); typeof(b) _b = (b); _a > _b ? _a : _b; })
#define min_t(t, a, b)		({ t _a = (a); t _b = (b); _a < _b ? _a : _b; })
#define max_t(t, a, b)		({ t _a = (a); t _b = (b); _a > _b ? _a : _b; })
#define clamp_t(t, v, lo, hi)	min_t(t, max_t(t, v, lo), hi)

#ifndef container_of
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#endif

#define READ_ONCE(x)		(*(const volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, v)	(*(volatile typeof(x) *)&(x) = (v))
#define barrier()		__asm__ __volatile__("" ::: "memory")
#define smp_mb()		__atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_rmb()		__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb()		__atomic_thread_fence(__ATOMIC_RELEASE)

#define BUILD_BUG_ON(c)		_Static_assert(!(c), #c)
#define WARN_ON(c)		seam_warn_on(!!(c), #c, __FILE__, __LINE__)
#define WARN_ON_ONCE(c)		WARN_ON(c)

static inline bool is_power_of_2(unsigned long n)
{
	return n != 0 && (n & (n - 1)) == 0;
}

/* ---- duplicates: lists ------------------------------------------------ */

struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name)	{ &(name), &(name) }
#define LIST_HEAD(name)		struct list_head name = LIST_HEAD_INIT(name)

static inline void INIT_LIST_HEAD(struct list_head *l)
{
	l->next = l;
	l->prev = l;
}

static inline void __list_add(struct list_head *n, struct list_head *prev,
			      struct list_head *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	prev->next = n;
}

static inline void list_add(struct list_head *n, struct list_head *head)
{
	__list_add(n, head, head->next);
}

static inline void list_add_tail(struct list_head *n, struct list_head *head)
{
	__list_add(n, head->prev, head);
}

static inline void list_del_init(struct list_head *e)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	INIT_LIST_HEAD(e);
}

static inline void list_del(struct list_head *e)
{
	list_del_init(e);
}

static inline bool list_empty(const struct list_head *h)
{
	return h->next == h;
}

#define list_entry(p, type, member)	container_of(p, type, member)
#define list_first_entry(h, type, member) list_entry((h)->next, type, member)
#define list_for_each_entry(pos, head, member)				\
	for (pos = list_entry((head)->next, typeof(*pos), member);	\
	     &pos->member != (head);					\
	     pos = list_entry(pos->member.next, typeof(*pos), member))
#define list_for_each_entry_safe(pos, n, head, member)			\
	for (pos = list_entry((head)->next, typeof(*pos), member),	\
	     n = list_entry(pos->member.next, typeof(*pos), member);	\
	     &pos->member != (head);					\
	     pos = n, n = list_entry(n->member.next, typeof(*n), member))

/* ---- duplicates: bitmaps (non-atomic forms only) ---------------------- */

static inline bool __test_and_set_bit(unsigned long nr, unsigned long *map)
{
	unsigned long mask = 1UL << (nr % BITS_PER_LONG);
	unsigned long *w = map + nr / BITS_PER_LONG;
	bool old = *w & mask;

	*w |= mask;
	return old;
}

static inline void __set_bit(unsigned long nr, unsigned long *map)
{
	map[nr / BITS_PER_LONG] |= 1UL << (nr % BITS_PER_LONG);
}

static inline void __clear_bit(unsigned long nr, unsigned long *map)
{
	map[nr / BITS_PER_LONG] &= ~(1UL << (nr % BITS_PER_LONG));
}

static inline bool test_bit(unsigned long nr, const unsigned long *map)
{
	return __atomic_load_n(&map[nr / BITS_PER_LONG], __ATOMIC_RELAXED) &
	       (1UL << (nr % BITS_PER_LONG));
}

/* ---- duplicates: atomic bit operations and barriers ------------------ */

/*
 * The kernel's set_bit/clear_bit are atomic but unordered, the test_and_
 * forms fully ordered; sequentially consistent builtins are at least that.
 */
static inline void set_bit(unsigned long nr, unsigned long *map)
{
	__atomic_or_fetch(&map[nr / BITS_PER_LONG],
			  1UL << (nr % BITS_PER_LONG), __ATOMIC_SEQ_CST);
}

static inline void clear_bit(unsigned long nr, unsigned long *map)
{
	__atomic_and_fetch(&map[nr / BITS_PER_LONG],
			   ~(1UL << (nr % BITS_PER_LONG)), __ATOMIC_SEQ_CST);
}

static inline bool test_and_set_bit(unsigned long nr, unsigned long *map)
{
	unsigned long mask = 1UL << (nr % BITS_PER_LONG);

	return __atomic_fetch_or(&map[nr / BITS_PER_LONG], mask,
				 __ATOMIC_SEQ_CST) & mask;
}

static inline bool test_and_clear_bit(unsigned long nr, unsigned long *map)
{
	unsigned long mask = 1UL << (nr % BITS_PER_LONG);

	return __atomic_fetch_and(&map[nr / BITS_PER_LONG], ~mask,
				  __ATOMIC_SEQ_CST) & mask;
}

#define smp_mb__after_atomic()	smp_mb()
#define smp_mb__before_atomic()	smp_mb()
#define wmb()			smp_mb()
#define rmb()			smp_mb()

/* ---- customised: context --------------------------------------------- */

/*
 * What the kernel checks with CONFIG_DEBUG_ATOMIC_SLEEP and lockdep, per
 * thread: holding a spinlock or running an interrupt handler (seam_irq_
 * enter/exit, called by a harness around what the kernel runs in hard
 * interrupt context) makes the thread atomic; might_sleep(), mutex_lock()
 * and sleeping allocations abort there with the place they were called
 * from.  lockdep_assert_held() aborts unless the calling thread holds the
 * lock.  An abort fails the run: a sleeping call in atomic context is a
 * bug even when the lock happened to be free.
 */
void seam_might_sleep(const char *file, int line);
void seam_irq_enter(void);
void seam_irq_exit(void);
/* The thread is in atomic context (a spinlock held, or in a handler). */
bool seam_in_atomic(void);
void seam_atomic_inc(void);
void seam_atomic_dec(void);
__attribute__((noreturn)) void seam_lock_bug(const char *what,
					     const char *file, int line);

#define might_sleep()		seam_might_sleep(__FILE__, __LINE__)

/* The holder of a mutex or spinlock, for lockdep_assert_held. */
struct seam_lock_owner {
	pthread_t thread;
	bool held;
};

static inline void seam_owner_set(struct seam_lock_owner *o)
{
	o->thread = pthread_self();
	__atomic_store_n(&o->held, true, __ATOMIC_RELEASE);
}

static inline void seam_owner_clear(struct seam_lock_owner *o)
{
	__atomic_store_n(&o->held, false, __ATOMIC_RELEASE);
}

static inline bool seam_owner_is_me(struct seam_lock_owner *o)
{
	return __atomic_load_n(&o->held, __ATOMIC_ACQUIRE) &&
	       pthread_equal(o->thread, pthread_self());
}

#define lockdep_assert_held(l)						\
	do {								\
		if (!seam_owner_is_me(&(l)->owner))			\
			seam_lock_bug("lockdep_assert_held(" #l ")",	\
				      __FILE__, __LINE__);		\
	} while (0)

/* ---- customised: allocation ------------------------------------------ */

/*
 * Every allocation is counted so a test can tell it left nothing behind,
 * and the n-th one can be made to fail (seam_alloc_fail_at).  One that may
 * sleep (not GFP_ATOMIC or GFP_NOWAIT) asserts it is not in atomic context.
 */
typedef unsigned int gfp_t;
#define GFP_KERNEL	0u
#define GFP_ATOMIC	1u
#define GFP_NOWAIT	2u
#define __GFP_ZERO	4u

void *seam_alloc(size_t n, size_t size, bool zero);
void seam_free(const void *p);
/* Allocations not yet freed, counted since the start of the process. */
long seam_alloc_live(void);
/* Make the @nth allocation from now fail (0: never). */
void seam_alloc_fail_at(unsigned long nth);

static inline void *seam_kalloc(gfp_t gfp, size_t n, size_t size, bool zero,
				const char *file, int line)
{
	if (!(gfp & (GFP_ATOMIC | GFP_NOWAIT)))
		seam_might_sleep(file, line);
	return seam_alloc(n, size, zero || (gfp & __GFP_ZERO));
}

#define kmalloc(s, gfp)		seam_kalloc((gfp), 1, (s), false, __FILE__, __LINE__)
#define kzalloc(s, gfp)		seam_kalloc((gfp), 1, (s), true, __FILE__, __LINE__)
#define kmalloc_array(n, s, gfp) \
	seam_kalloc((gfp), (n), (s), false, __FILE__, __LINE__)
#define kcalloc(n, s, gfp)	seam_kalloc((gfp), (n), (s), true, __FILE__, __LINE__)
#define kfree(p)		seam_free(p)
#define bitmap_zalloc(bits, gfp)					\
	((unsigned long *)seam_kalloc((gfp), BITS_TO_LONGS(bits),	\
				      sizeof(long), true, __FILE__, __LINE__))
#define bitmap_free(p)		seam_free(p)

/* ---- customised: locking --------------------------------------------- */

/* A mutex may sleep: never taken in atomic context. */
struct mutex {
	pthread_mutex_t m;
	struct seam_lock_owner owner;
};

#define mutex_init(l)		pthread_mutex_init(&(l)->m, NULL)
#define mutex_destroy(l)	pthread_mutex_destroy(&(l)->m)
#define mutex_lock(l)							\
	do {								\
		seam_might_sleep(__FILE__, __LINE__);			\
		pthread_mutex_lock(&(l)->m);				\
		seam_owner_set(&(l)->owner);				\
	} while (0)
#define mutex_unlock(l)							\
	do {								\
		seam_owner_clear(&(l)->owner);				\
		pthread_mutex_unlock(&(l)->m);				\
	} while (0)

/* Holding a spinlock is atomic context. */
typedef struct {
	pthread_mutex_t m;
	struct seam_lock_owner owner;
} spinlock_t;

#define spin_lock_init(l)	pthread_mutex_init(&(l)->m, NULL)
#define spin_lock(l)							\
	do {								\
		pthread_mutex_lock(&(l)->m);				\
		seam_owner_set(&(l)->owner);				\
		seam_atomic_inc();					\
	} while (0)
#define spin_unlock(l)							\
	do {								\
		seam_atomic_dec();					\
		seam_owner_clear(&(l)->owner);				\
		pthread_mutex_unlock(&(l)->m);				\
	} while (0)

/* ---- customised: logging ---------------------------------------------- */

/*
 * Log lines go to a buffer that tests search (seam_log_count), and to
 * stderr when SEAM_LOG_STDERR is set.  The _ratelimited forms keep a
 * state per call site, like the kernel's: a burst of 10 per 5 seconds.
 */
#define SEAM_LOG_ERR	3
#define SEAM_LOG_WARN	4
#define SEAM_LOG_INFO	6
#define SEAM_LOG_DEBUG	7

struct seam_ratelimit {
	long begin;
	int printed;
	int missed;
};

__printf(2, 3) void seam_log(int level, const char *fmt, ...);
/* If set, also called with each line (a harness's own log). */
extern void (*seam_log_hook)(int level, const char *line);
bool seam_ratelimit(struct seam_ratelimit *rs);
/* Lines logged since the last clear that contain @needle. */
unsigned int seam_log_count(const char *needle);
void seam_log_clear(void);
bool seam_warn_on(bool cond, const char *what, const char *file, int line);

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

#define pr_err(fmt, ...)	seam_log(SEAM_LOG_ERR, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	seam_log(SEAM_LOG_WARN, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)	seam_log(SEAM_LOG_INFO, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...)	seam_log(SEAM_LOG_DEBUG, pr_fmt(fmt), ##__VA_ARGS__)
#define seam_log_ratelimited(level, fmt, ...)				\
	do {								\
		static struct seam_ratelimit _rs;			\
		if (seam_ratelimit(&_rs))				\
			seam_log(level, fmt, ##__VA_ARGS__);		\
	} while (0)
#define pr_err_ratelimited(fmt, ...)	\
	seam_log_ratelimited(SEAM_LOG_ERR, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn_ratelimited(fmt, ...)	\
	seam_log_ratelimited(SEAM_LOG_WARN, pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info_ratelimited(fmt, ...)	\
	seam_log_ratelimited(SEAM_LOG_INFO, pr_fmt(fmt), ##__VA_ARGS__)

/*
 * A rate limit of the caller's own (one per backend, say), over the same
 * state: the kernel's defaults, a burst of 10 per 5 seconds.
 */
struct ratelimit_state {
	struct seam_ratelimit rs;
};

#define DEFAULT_RATELIMIT_INTERVAL	5
#define DEFAULT_RATELIMIT_BURST		10
#define DEFINE_RATELIMIT_STATE(name, interval, burst)			\
	struct ratelimit_state name = { { 0 } }
#define __ratelimit(state)	seam_ratelimit(&(state)->rs)

static inline void ratelimit_default_init(struct ratelimit_state *rs)
{
	memset(rs, 0, sizeof(*rs));
}

/* ---- component blocks (append below, one per component) --------------- */

/* ---- pcifront: the shared page's flags word ------------------------- */

/*
 * cmpxchg(): kernel semantics, a full barrier that returns the old value
 * (the frontend updates the flags word the backend writes too).
 */
#define cmpxchg(p, o, n)	__sync_val_compare_and_swap((p), (o), (n))

#endif /* _PCISPLIT_SEAM_H */
