// SPDX-License-Identifier: GPL-2.0
/*
 * --json output through yajl (the JSON library libxl itself uses): one
 * document per command, generated in memory and written to stdout at the
 * end, so a failed command never prints half a document.  The schema is
 * in pcisplit(8), JSON OUTPUT.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "pcisplit.h"

struct json {
	yajl_gen g;
	yajl_gen_status st;	/* the first error, yajl_gen_status_ok if none */
};

static void note_status(struct json *j, yajl_gen_status st)
{
	if (j->st == yajl_gen_status_ok)
		j->st = st;
}

struct json *json_open(const char *command)
{
	struct json *j = calloc(1, sizeof(*j));

	if (!j) {
		pcisplit_err("out of memory");
		return NULL;
	}
	j->g = yajl_gen_alloc(NULL);
	if (!j->g) {
		free(j);
		pcisplit_err("out of memory");
		return NULL;
	}
	yajl_gen_config(j->g, yajl_gen_beautify, 1);
	yajl_gen_config(j->g, yajl_gen_indent_string, "  ");
	yajl_gen_config(j->g, yajl_gen_validate_utf8, 1);
	json_map_open(j);
	json_kv_uint(j, "schema", PCISPLIT_JSON_SCHEMA);
	json_kv_str(j, "command", command);
	return j;
}

struct json *json_open_list(const char *command, const char *key)
{
	struct json *j = json_open(command);

	if (j) {
		json_key(j, key);
		json_array_open(j);
	}
	return j;
}

int json_close_list(struct json *j)
{
	json_array_close(j);
	return json_close(j, true);
}

void json_map_open(struct json *j)
{
	note_status(j, yajl_gen_map_open(j->g));
}

void json_map_close(struct json *j)
{
	note_status(j, yajl_gen_map_close(j->g));
}

void json_array_open(struct json *j)
{
	note_status(j, yajl_gen_array_open(j->g));
}

void json_array_close(struct json *j)
{
	note_status(j, yajl_gen_array_close(j->g));
}

void json_str(struct json *j, const char *s)
{
	if (!s)
		note_status(j, yajl_gen_null(j->g));
	else
		note_status(j, yajl_gen_string(j->g, (const unsigned char *)s,
					       strlen(s)));
}

void json_uint(struct json *j, unsigned long long v)
{
	note_status(j, yajl_gen_integer(j->g, (long long)v));
}

void json_int(struct json *j, long long v)
{
	note_status(j, yajl_gen_integer(j->g, v));
}

void json_bool(struct json *j, bool v)
{
	note_status(j, yajl_gen_bool(j->g, v));
}

void json_key(struct json *j, const char *k)
{
	json_str(j, k);
}

void json_kv_str(struct json *j, const char *k, const char *v)
{
	json_key(j, k);
	json_str(j, v);
}

void json_kv_uint(struct json *j, const char *k, unsigned long long v)
{
	json_key(j, k);
	json_uint(j, v);
}

void json_kv_int(struct json *j, const char *k, long long v)
{
	json_key(j, k);
	json_int(j, v);
}

void json_kv_bool(struct json *j, const char *k, bool v)
{
	json_key(j, k);
	json_bool(j, v);
}

int json_close(struct json *j, bool print)
{
	const unsigned char *buf;
	size_t len;
	int rc = -1;

	if (!j)
		return 0;
	json_map_close(j);
	if (j->st != yajl_gen_status_ok) {
		/* Bad UTF-8 in a name read from xenstore, or our own bug. */
		pcisplit_err("cannot write the JSON document (yajl status %d): a string was not UTF-8?",
			     j->st);
		goto out;
	}
	if (yajl_gen_get_buf(j->g, &buf, &len) != yajl_gen_status_ok)
		goto out;
	if (print)
		fwrite(buf, 1, len, stdout);
	rc = 0;
out:
	yajl_gen_free(j->g);
	free(j);
	return rc;
}
