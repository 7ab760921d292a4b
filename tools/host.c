// SPDX-License-Identifier: GPL-2.0
/* The connection to the host (xenstore, hypervisor) and xenstore helpers. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "pcisplit.h"

int host_open(struct pcisplit_ctx *ctx)
{
	if (ctx->host_ok)
		return 0;
	if (ctx->host_errno) {
		errno = ctx->host_errno;
		return -1;
	}
	if (ctx->host->open(&ctx->host_priv, ctx)) {
		ctx->host_errno = errno ?: EIO;
		return -1;
	}
	ctx->host_ok = true;
	return 0;
}

void host_close(struct pcisplit_ctx *ctx)
{
	if (ctx->host_ok)
		ctx->host->close(ctx->host_priv);
	ctx->host_ok = false;
	ctx->host_priv = NULL;
}

static char *vpath(const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0) {
		errno = ENOMEM;
		return NULL;
	}
	return s;
}

char *xs_readf(struct pcisplit_ctx *ctx, const char *fmt, ...)
{
	char *path, *val;
	va_list ap;
	int saved;

	va_start(ap, fmt);
	path = vpath(fmt, ap);
	va_end(ap);
	if (!path)
		return NULL;
	val = ctx->host->read(ctx->host_priv, path);
	saved = errno;
	free(path);
	errno = saved;
	return val;
}

int xs_writef(struct pcisplit_ctx *ctx, const char *value, const char *fmt,
	      ...)
{
	char *path;
	va_list ap;
	int rc, saved;

	va_start(ap, fmt);
	path = vpath(fmt, ap);
	va_end(ap);
	if (!path)
		return -1;
	pcisplit_note(ctx, "xenstore write %s = '%s'", path, value);
	rc = ctx->host->write(ctx->host_priv, path, value);
	saved = errno;
	free(path);
	errno = saved;
	return rc;
}

int xs_rmf(struct pcisplit_ctx *ctx, const char *fmt, ...)
{
	char *path;
	va_list ap;
	int rc, saved;

	va_start(ap, fmt);
	path = vpath(fmt, ap);
	va_end(ap);
	if (!path)
		return -1;
	pcisplit_note(ctx, "xenstore rm %s", path);
	rc = ctx->host->rm(ctx->host_priv, path);
	saved = errno;
	free(path);
	errno = saved;
	return rc;
}
