/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fuzz targets' entry points under the names the replay driver links
 * them by (each target file is compiled with -DLLVMFuzzerTestOneInput=...
 * for the replay; libFuzzer builds use the standard name).
 */
#ifndef _PCISPLIT_FUZZ_H
#define _PCISPLIT_FUZZ_H

#include <pcisplit/seam.h>

/* A violated invariant: say where, then crash (libFuzzer's finding). */
#define CHECK(c)							\
	do {								\
		if (!(c)) {						\
			fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #c); \
			abort();					\
		}							\
	} while (0)

/* The input's u32 fields are little-endian. */
static inline u32 le32(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

int fuzz_back_dispatch_one(const u8 *data, size_t size);
int fuzz_front_answer_one(const u8 *data, size_t size);

#endif /* _PCISPLIT_FUZZ_H */
