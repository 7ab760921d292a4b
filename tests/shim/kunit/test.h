/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The subset of KUnit's API the project's tests use, for the userspace
 * runner (tests/unit/runner.c), so one test file serves both the kernel's
 * KUnit and the ASan/UBSan build.  Semantics follow <kunit/test.h>:
 * EXPECT records a failure and goes on, ASSERT ends the case, a case with
 * generate_params runs once per parameter, kunit_kzalloc'd memory is freed
 * when the case ends.
 */
#ifndef _KUNIT_TEST_H
#define _KUNIT_TEST_H

#include <pcisplit/seam.h>
#include <setjmp.h>

#define KUNIT_PARAM_DESC_SIZE	128

/* Module metadata means nothing in a userspace binary. */
#define MODULE_LICENSE(l)
#define MODULE_DESCRIPTION(d)
#define MODULE_AUTHOR(a)

struct kunit_alloc;

struct kunit {
	const char *name;
	const void *param_value;
	void *priv;
	/* The runner's: */
	int status;			/* 0 ok, 1 failed, 2 skipped */
	char skip_reason[KUNIT_PARAM_DESC_SIZE];
	jmp_buf *abort_to;
	struct kunit_alloc *allocs;
};

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
	const void *(*generate_params)(const void *prev, char *desc);
};

struct kunit_suite {
	const char name[256];
	int (*suite_init)(struct kunit_suite *suite);
	void (*suite_exit)(struct kunit_suite *suite);
	int (*init)(struct kunit *test);
	void (*exit)(struct kunit *test);
	struct kunit_case *test_cases;
};

#define KUNIT_CASE(fn)		{ .run_case = fn, .name = #fn }
#define KUNIT_CASE_PARAM(fn, gen) \
	{ .run_case = fn, .name = #fn, .generate_params = gen }

#define KUNIT_ARRAY_PARAM(name, array, get_desc)			\
	static const void *name##_gen_params(const void *prev, char *desc) \
	{								\
		typeof((array)[0]) *__next = prev ?			\
			((typeof(__next))prev) + 1 : (array);		\
		void (*__get_desc)(typeof(__next), char *) = get_desc;	\
		if (__next - (array) < (long)ARRAY_SIZE((array))) {	\
			if (__get_desc)					\
				__get_desc(__next, desc);		\
			return __next;					\
		}							\
		return NULL;						\
	}

void kunit_shim_register(struct kunit_suite **suites);
#define kunit_test_suites(...)						\
	static struct kunit_suite *__kunit_suites_##__LINE__[] = {	\
		__VA_ARGS__, NULL };					\
	__attribute__((constructor)) static void			\
	__kunit_register_##__LINE__(void)				\
	{								\
		kunit_shim_register(__kunit_suites_##__LINE__);		\
	}
#define kunit_test_suite(suite)	kunit_test_suites(&suite)

void *kunit_kmalloc_array(struct kunit *test, size_t n, size_t size,
			  gfp_t gfp);
#define kunit_kzalloc(test, size, gfp) \
	kunit_kmalloc_array(test, 1, size, (gfp) | __GFP_ZERO)
#define kunit_kcalloc(test, n, size, gfp) \
	kunit_kmalloc_array(test, n, size, (gfp) | __GFP_ZERO)

__printf(5, 6) void kunit_shim_fail(struct kunit *test, bool abort,
				    const char *file, int line,
				    const char *fmt, ...);
__printf(2, 3) void kunit_shim_log(struct kunit *test, const char *fmt, ...);
__printf(2, 3) void kunit_shim_skip(struct kunit *test, const char *fmt, ...);

#define kunit_info(test, fmt, ...)	kunit_shim_log(test, fmt, ##__VA_ARGS__)
#define kunit_warn(test, fmt, ...)	kunit_shim_log(test, fmt, ##__VA_ARGS__)
#define kunit_err(test, fmt, ...)	kunit_shim_log(test, fmt, ##__VA_ARGS__)
#define kunit_skip(test, fmt, ...)	kunit_shim_skip(test, fmt, ##__VA_ARGS__)
#define KUNIT_FAIL(test, fmt, ...) \
	kunit_shim_fail(test, false, __FILE__, __LINE__, fmt, ##__VA_ARGS__)

/* Integer comparisons: both sides as long long, printed on failure. */
#define KUNIT_SHIM_BINARY(test, abort, a, op, b, fmt, ...)		\
	do {								\
		long long __a = (long long)(a);				\
		long long __b = (long long)(b);				\
		if (!(__a op __b))					\
			kunit_shim_fail(test, abort, __FILE__, __LINE__, \
				"Expected %s %s %s, but %s == %lld, %s == %lld. " fmt, \
				#a, #op, #b, #a, __a, #b, __b, ##__VA_ARGS__); \
	} while (0)
#define KUNIT_SHIM_PTR(test, abort, a, op, b)				\
	do {								\
		const void *__a = (a), *__b = (b);			\
		if (!(__a op __b))					\
			kunit_shim_fail(test, abort, __FILE__, __LINE__, \
				"Expected %s %s %s (%p, %p)", #a, #op, #b, \
				__a, __b);				\
	} while (0)
#define KUNIT_SHIM_STR(test, abort, a, op, b)				\
	do {								\
		const char *__a = (a), *__b = (b);			\
		if (!(strcmp(__a, __b) op 0))				\
			kunit_shim_fail(test, abort, __FILE__, __LINE__, \
				"Expected %s %s %s, but \"%s\" vs \"%s\"", \
				#a, #op, #b, __a, __b);			\
	} while (0)

#define KUNIT_EXPECT_EQ(t, a, b)	KUNIT_SHIM_BINARY(t, false, a, ==, b, "")
#define KUNIT_EXPECT_NE(t, a, b)	KUNIT_SHIM_BINARY(t, false, a, !=, b, "")
#define KUNIT_EXPECT_LT(t, a, b)	KUNIT_SHIM_BINARY(t, false, a, <, b, "")
#define KUNIT_EXPECT_LE(t, a, b)	KUNIT_SHIM_BINARY(t, false, a, <=, b, "")
#define KUNIT_EXPECT_GT(t, a, b)	KUNIT_SHIM_BINARY(t, false, a, >, b, "")
#define KUNIT_EXPECT_GE(t, a, b)	KUNIT_SHIM_BINARY(t, false, a, >=, b, "")
#define KUNIT_EXPECT_TRUE(t, c)		KUNIT_SHIM_BINARY(t, false, !!(c), ==, 1, "")
#define KUNIT_EXPECT_FALSE(t, c)	KUNIT_SHIM_BINARY(t, false, !!(c), ==, 0, "")
#define KUNIT_EXPECT_EQ_MSG(t, a, b, fmt, ...) \
	KUNIT_SHIM_BINARY(t, false, a, ==, b, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_TRUE_MSG(t, c, fmt, ...) \
	KUNIT_SHIM_BINARY(t, false, !!(c), ==, 1, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_FALSE_MSG(t, c, fmt, ...) \
	KUNIT_SHIM_BINARY(t, false, !!(c), ==, 0, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NULL(t, p)		KUNIT_SHIM_PTR(t, false, p, ==, NULL)
#define KUNIT_EXPECT_NOT_NULL(t, p)	KUNIT_SHIM_PTR(t, false, p, !=, NULL)
#define KUNIT_EXPECT_PTR_EQ(t, a, b)	KUNIT_SHIM_PTR(t, false, a, ==, b)
#define KUNIT_EXPECT_STREQ(t, a, b)	KUNIT_SHIM_STR(t, false, a, ==, b)
#define KUNIT_EXPECT_STRNEQ(t, a, b)	KUNIT_SHIM_STR(t, false, a, !=, b)
#define KUNIT_EXPECT_MEMEQ(t, a, b, n)					\
	KUNIT_SHIM_BINARY(t, false, memcmp((a), (b), (n)), ==, 0, "")

#define KUNIT_ASSERT_EQ(t, a, b)	KUNIT_SHIM_BINARY(t, true, a, ==, b, "")
#define KUNIT_ASSERT_NE(t, a, b)	KUNIT_SHIM_BINARY(t, true, a, !=, b, "")
#define KUNIT_ASSERT_LT(t, a, b)	KUNIT_SHIM_BINARY(t, true, a, <, b, "")
#define KUNIT_ASSERT_LE(t, a, b)	KUNIT_SHIM_BINARY(t, true, a, <=, b, "")
#define KUNIT_ASSERT_GT(t, a, b)	KUNIT_SHIM_BINARY(t, true, a, >, b, "")
#define KUNIT_ASSERT_GE(t, a, b)	KUNIT_SHIM_BINARY(t, true, a, >=, b, "")
#define KUNIT_ASSERT_TRUE(t, c)		KUNIT_SHIM_BINARY(t, true, !!(c), ==, 1, "")
#define KUNIT_ASSERT_FALSE(t, c)	KUNIT_SHIM_BINARY(t, true, !!(c), ==, 0, "")
#define KUNIT_ASSERT_EQ_MSG(t, a, b, fmt, ...) \
	KUNIT_SHIM_BINARY(t, true, a, ==, b, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_TRUE_MSG(t, c, fmt, ...) \
	KUNIT_SHIM_BINARY(t, true, !!(c), ==, 1, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NULL(t, p)		KUNIT_SHIM_PTR(t, true, p, ==, NULL)
#define KUNIT_ASSERT_NOT_NULL(t, p)	KUNIT_SHIM_PTR(t, true, p, !=, NULL)
#define KUNIT_ASSERT_PTR_EQ(t, a, b)	KUNIT_SHIM_PTR(t, true, a, ==, b)
#define KUNIT_ASSERT_STREQ(t, a, b)	KUNIT_SHIM_STR(t, true, a, ==, b)

#endif /* _KUNIT_TEST_H */
