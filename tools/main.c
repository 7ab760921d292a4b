// SPDX-License-Identifier: GPL-2.0
/*
 * pcisplit: operator's tool for pcisplit-back in dom0.
 *
 *   pcisplit [-v] [--root DIR] COMMAND [ARGS...]
 *
 * One row per command in cmd_table[], one handler per command (cmd_*.c),
 * options parsed by cmd_getopt().  Exit codes: 0 success, 1 failure,
 * 2 usage.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <pcisplit/version.h>

#include "pcisplit.h"

static int cmd_help(struct pcisplit_ctx *ctx, const struct cmd_spec *spec,
		    int argc, char **argv);

static const struct cmd_spec cmd_table[] = {
	{
		.name = "list",
		.fn = cmd_list,
		.help = "List the devices pciback holds, their owner, mode and vectors",
		.usage = "[--json]",
		.options = "--json          one JSON document (pcisplit(8), JSON OUTPUT)",
	},
	{
		.name = "vectors",
		.fn = cmd_vectors,
		.help = "Show the entry -> pirq table of one device or of all",
		.usage = "[--json] [BDF]",
		.options = "--json          one JSON document (pcisplit(8), JSON OUTPUT)",
	},
	{
		.name = "audit",
		.fn = cmd_audit,
		.help = "Cross-check the vector table, xenstore and the live domains",
		.usage = "[--json]",
		.options = "--json          one JSON document (pcisplit(8), JSON OUTPUT)",
	},
	{
		.name = "assignable-add",
		.fn = cmd_assignable_add,
		.help = "Make a device assignable to guests (as xl pci-assignable-add)",
		.usage = "[-n NAME] BDF",
		.options = "-n, --name=NAME remember the device under NAME (as xl does)",
	},
	{
		.name = "assignable-remove",
		.fn = cmd_assignable_remove,
		.help = "Give an assignable device back to dom0 (as xl pci-assignable-remove)",
		.usage = "[-r] BDF|NAME",
		.options = "-r, --rebind    rebind the driver it had before assignable-add\n"
			   "-n NAME         the device named NAME (NAME alone does the same)",
	},
	{
		.name = "assignable-list",
		.fn = cmd_assignable_list,
		.help = "List the devices that are assignable and not assigned",
		.usage = "[-n] [--json]",
		.options = "-n, --show-names  show each device's name (as xl does)\n"
			   "--json          one JSON document (pcisplit(8), JSON OUTPUT)",
	},
	{
		.name = "reset",
		.fn = cmd_reset,
		.help = "Reset a device that no running guest has",
		.usage = "BDF",
	},
	{
		.name = "help",
		.fn = cmd_help,
		.help = "Show this list, or a command's usage",
		.usage = "[COMMAND]",
	},
};

#define NR_CMDS ARRAY_SIZE(cmd_table)

static void global_usage(FILE *f)
{
	unsigned int i;

	fprintf(f, "Usage: pcisplit [-v] [--root DIR] COMMAND [ARGS...]\n"
		   "       pcisplit --version\n\n");
	for (i = 0; i < NR_CMDS; i++)
		fprintf(f, " %-18s %s\n", cmd_table[i].name,
			cmd_table[i].help);
	fprintf(f, "\n -v, --verbose      say every sysfs and xenstore write\n"
		   " --version          print pcisplit's version\n"
		   " --root DIR         read sysfs and debugfs under DIR (tests, images);\n"
		   "                    also $PCISPLIT_SYSFS_ROOT\n"
		   "'pcisplit COMMAND -h' shows a command's usage.\n");
}

static const struct cmd_spec *find_cmd(const char *name)
{
	unsigned int i;

	for (i = 0; i < NR_CMDS; i++)
		if (!strcmp(cmd_table[i].name, name))
			return &cmd_table[i];
	return NULL;
}

void cmd_usage(const struct cmd_spec *spec, bool to_stderr)
{
	FILE *f = to_stderr ? stderr : stdout;

	fprintf(f, "Usage: pcisplit %s%s%s\n\n%s\n", spec->name,
		*spec->usage ? " " : "", spec->usage, spec->help);
	if (spec->options) {
		const char *p = spec->options, *nl;

		fprintf(f, "\nOptions:\n");
		/* One option per line, indented. */
		while (*p) {
			nl = strchr(p, '\n');
			fprintf(f, " %.*s\n", nl ? (int)(nl - p) : (int)strlen(p),
				p);
			if (!nl)
				break;
			p = nl + 1;
		}
	}
	fprintf(f, " -h, --help        show this help\n");
}

void cmd_short_usage(const struct cmd_spec *spec)
{
	fprintf(stderr, "Usage: pcisplit %s%s%s\n'pcisplit %s --help' for more.\n",
		spec->name, *spec->usage ? " " : "", spec->usage, spec->name);
}

/* The option as the user wrote it ("-x", "--name"), for a message. */
static const char *opt_text(int argc, char **argv, char *buf, size_t len)
{
	const char *a = optind > 0 && optind <= argc ? argv[optind - 1] : "";

	if (!strncmp(a, "--", 2))
		snprintf(buf, len, "%.*s", (int)strcspn(a, "="), a);
	else
		snprintf(buf, len, "-%c", optopt);
	return buf;
}

int cmd_getopt(const struct cmd_spec *spec, int argc, char **argv,
	       const char *opts, const struct option *longopts, int min_args,
	       int max_args)
{
	struct option all[16];
	char optstring[32], what[64];
	unsigned int n = 0;
	int opt, left;

	/* The command's long options, then --help (xl's COMMON_LONG_OPTS). */
	for (; longopts && longopts[n].name && n < ARRAY_SIZE(all) - 2; n++)
		all[n] = longopts[n];
	all[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	all[n] = (struct option){ NULL, 0, NULL, 0 };
	snprintf(optstring, sizeof(optstring), "+:h%s", opts);
	optopt = 0;
	opt = getopt_long(argc, argv, optstring, all, NULL);
	switch (opt) {
	case 'h':
		cmd_usage(spec, false);
		return OPT_HELP;
	case '?':
		pcisplit_err("%s: unknown option '%s'", spec->name,
			     opt_text(argc, argv, what, sizeof(what)));
		goto usage;
	case ':':
		pcisplit_err("%s: option '%s' needs an argument", spec->name,
			     opt_text(argc, argv, what, sizeof(what)));
		goto usage;
	case -1:
		break;
	default:
		return opt;
	}
	left = argc - optind;
	if (left < min_args) {
		pcisplit_err("%s: missing argument", spec->name);
		goto usage;
	}
	if (left > max_args) {
		pcisplit_err("%s: unexpected argument '%s'", spec->name,
			     argv[optind + max_args]);
		goto usage;
	}
	return OPT_DONE;
usage:
	cmd_short_usage(spec);
	return OPT_USAGE;
}

int arg_bdf(const struct cmd_spec *spec, const char *arg, sbdf_t *out)
{
	if (!bdf_parse(arg, out))
		return 0;
	if (errno == EDOM)
		pcisplit_err("%s: '%s' names every function of a device; give one, e.g. %.*s0",
			     spec->name, arg, (int)strlen(arg) - 1, arg);
	else
		pcisplit_err("%s: '%s' is not a PCI address: expected [SSSS:]BB:DD.F in hex, as xl takes it and lspci -D prints it",
			     spec->name, arg);
	return -1;
}

static int cmd_help(struct pcisplit_ctx *ctx, const struct cmd_spec *spec,
		    int argc, char **argv)
{
	const struct cmd_spec *c;
	int opt;

	FOREACH_OPT(opt, spec, "", NULL, 0, 1) {
	}
	if (optind == argc) {
		global_usage(stdout);
		return EXIT_OK;
	}
	c = find_cmd(argv[optind]);
	if (!c) {
		pcisplit_err("help: no command '%s'", argv[optind]);
		global_usage(stderr);
		return EXIT_USAGE;
	}
	cmd_usage(c, false);
	return EXIT_OK;
}

static int set_root(struct pcisplit_ctx *ctx, const char *dir)
{
	struct stat st;
	size_t len;

	if (!*dir || stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		pcisplit_err("--root '%s' is not a directory", dir);
		return -1;
	}
	len = strlen(dir);
	while (len > 1 && dir[len - 1] == '/')
		len--;
	if (len >= sizeof(ctx->root) - 256) {
		pcisplit_err("--root '%s': path too long", dir);
		return -1;
	}
	/* "/" is the real root: paths are then used as they are. */
	if (len == 1 && dir[0] == '/')
		len = 0;
	memcpy(ctx->root, dir, len);
	ctx->root[len] = '\0';
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "root", required_argument, NULL, 'R' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct pcisplit_ctx *ctx;
	const struct cmd_spec *spec;
	const char *env;
	int opt, rc = EXIT_USAGE;

	ctx = calloc(1, sizeof(*ctx));
	if (!ctx) {
		pcisplit_err("out of memory");
		return EXIT_FAIL;
	}
	ctx->host = &pcisplit_host_ops;
	env = getenv("PCISPLIT_SYSFS_ROOT");
	if (env && *env && set_root(ctx, env))
		goto out;

	while ((opt = getopt_long(argc, argv, "+vh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'R':
			if (set_root(ctx, optarg))
				goto out;
			break;
		case 'v':
			ctx->verbose = true;
			break;
		case 'h':
			global_usage(stdout);
			rc = EXIT_OK;
			goto out;
		case 'V':
			printf("pcisplit %s\n", PCISPLIT_VERSION);
			rc = EXIT_OK;
			goto out;
		default:
			global_usage(stderr);
			goto out;
		}
	}
	if (optind == argc) {
		pcisplit_err("no command given");
		global_usage(stderr);
		goto out;
	}
	spec = find_cmd(argv[optind]);
	if (!spec) {
		pcisplit_err("unknown command '%s'", argv[optind]);
		global_usage(stderr);
		goto out;
	}
	/* The handler sees argv[0] = command name, as xl's handlers do. */
	argc -= optind;
	argv += optind;
	optind = 0;	/* glibc: start getopt afresh for the handler */
	rc = spec->fn(ctx, spec, argc, argv);
	if (fflush(stdout) && rc == EXIT_OK) {
		pcisplit_err("writing the output failed: %s", strerror(errno));
		rc = EXIT_FAIL;
	}
out:
	host_close(ctx);
	free(ctx);
	return rc;
}
