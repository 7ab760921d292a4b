/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fuzz targets' entry points under the names the replay driver links
 * them by (each target file is compiled with -DLLVMFuzzerTestOneInput=...
 * for the replay; libFuzzer builds use the standard name).
 */
#ifndef _PCISPLIT_FUZZ_H
#define _PCISPLIT_FUZZ_H

#include <pcisplit/seam.h>

int fuzz_back_dispatch_one(const u8 *data, size_t size);
int fuzz_front_answer_one(const u8 *data, size_t size);

#endif /* _PCISPLIT_FUZZ_H */
