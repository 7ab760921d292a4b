/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pcisplit: the operator's view of pcisplit-back (or the stock xen-pciback)
 * in dom0.  Private header of tools/.
 *
 * Three sources of truth are read and compared:
 *  - sysfs: which devices the "pciback" driver holds, their IDs, drivers;
 *  - the backend's vector table in debugfs (pcisplit-back only);
 *  - xenstore (the backend trees libxl writes, /libxl/pci/<bdf>/ and the
 *    domain names) and the hypervisor's list of live domains and whether
 *    it has a device assigned to a guest.
 * The last two are reached only through struct pcisplit_host_ops, so the
 * commands run against a fake host in the tests.
 *
 * Conventions: functions return 0 (or a non-NULL pointer) on success and
 * -1 (or NULL) with errno set on failure; messages for the operator go to
 * stderr through pcisplit_err() and name the device, the domain and what to
 * do next.
 */
#ifndef PCISPLIT_TOOLS_H
#define PCISPLIT_TOOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <getopt.h>	/* struct option, optind, optarg for FOREACH_OPT */
#include <unistd.h>
#include <pcisplit/pciaddr.h>	/* PCISPLIT_SBDF_LEN, the one format */

#ifndef __printf
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#endif
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* Exit codes of every command. */
#define EXIT_OK		0
#define EXIT_FAIL	1
#define EXIT_USAGE	2

/* Paths, relative to the root directory (normally "/"). */
#define SYSFS_PCI_DEVICES	"/sys/bus/pci/devices"
#define SYSFS_PCI_DRIVERS	"/sys/bus/pci/drivers"
#define SYSFS_PCIBACK		SYSFS_PCI_DRIVERS "/pciback"
#define DEBUGFS_VECTORS		"/sys/kernel/debug/pcisplit/vectors"

/* xenstore paths libxl uses. */
#define XS_PCI_BACKENDS		"/local/domain/0/backend/pci"
#define XS_LIBXL_PCI		"/libxl/pci"

/* Xen's DOMID_FIRST_RESERVED: every real domid is below it. */
#define PCISPLIT_DOMID_MAX	0x7FEFU

/* A PCI address: segment << 16 | bus << 8 | device << 3 | function. */
typedef uint32_t sbdf_t;

/* ---- bdf.c ---- */
/*
 * An address as xl takes it, parsed by libxlutil's xlu_pci_parse_bdf():
 * "[SSSS:]BB:DD.F" in hex, any number of digits per field within its
 * range (3:0.0 is 0000:03:00.0), nothing after it.  0; -1 with errno
 * EINVAL (not an address) or EDOM (a function wildcard, "03:00.*").
 */
int bdf_parse(const char *s, sbdf_t *out);
/*
 * An address a program wrote (sysfs names and slots, libxl's dev-N, the
 * debugfs table): exactly "SSSS:BB:DD.F", pcisplit_sbdf_parse's form,
 * as pciback itself reads dev-N.  0; -1 with errno EINVAL.
 */
int bdf_parse_exact(const char *s, sbdf_t *out);
/* "0000:03:00.0" into @buf (PCISPLIT_SBDF_LEN bytes); returns @buf. */
char *bdf_fmt(sbdf_t sbdf, char *buf);
/*
 * The xenstore form libxl uses under /libxl/pci: "0000-03-00-0", every
 * field its full width, as strict as bdf_parse_exact.
 */
char *bdf_fmt_xs(sbdf_t sbdf, char *buf);
int bdf_parse_xs(const char *s, sbdf_t *out);

/* ---- host.c: the hypervisor and xenstore, behind a const ops table ---- */
struct pcisplit_ctx;
/* Xen's SHUTDOWN_* reasons (public/sched.h), as xl names them. */
#define PCISPLIT_SHUTDOWN_REASONS \
	{ "poweroff", "reboot", "suspend", "crash", "watchdog", "soft_reset" }

struct pcisplit_dominfo {
	unsigned int domid;
	bool dying;		/* being destroyed: as good as gone */
	bool shutdown;		/* shut down or crashed, not yet destroyed */
	unsigned int shutdown_reason;	/* SHUTDOWN_*, when @shutdown */
};

struct pcisplit_host_ops {
	/* Connect to xenstore; 0, or -1 with errno.  @ctx outlives @priv. */
	int (*open)(void **priv, const struct pcisplit_ctx *ctx);
	/* Disconnect and free @priv (NULL is fine). */
	void (*close)(void *priv);
	/* Value of a node (malloc'd); NULL with errno ENOENT when absent. */
	char *(*read)(void *priv, const char *path);
	/* Children of a node: one malloc'd block (free() it), @n entries. */
	char **(*list)(void *priv, const char *path, unsigned int *n);
	/* Create or overwrite a node. */
	int (*write)(void *priv, const char *path, const char *value);
	/* Remove a node and its children; absent is not an error. */
	int (*rm)(void *priv, const char *path);
	/* Fill @out with up to @max live domains; their count or -1. */
	int (*domains)(void *priv, struct pcisplit_dominfo *out,
		       unsigned int max);
	/*
	 * libxl_device_pci_assignable_add(..., rebind=1), as xl calls it:
	 * unbind the device from its driver (kept in xenstore for a later
	 * rebind), bind it to pciback, name it (@name NULL: drop the name),
	 * quarantine it.  0, or -1 with errno (libxl said why on stderr;
	 * ENOTSUP: not possible under --root).
	 */
	int (*assignable_add)(void *priv, sbdf_t sbdf, const char *name);
	/* libxl_device_pci_assignable_remove(); @rebind: its old driver. */
	int (*assignable_remove)(void *priv, sbdf_t sbdf, bool rebind);
	/*
	 * libxl_device_pci_assignable_list(): the devices pciback holds that
	 * no domain has, and their names (NULL: none); malloc'd arrays of
	 * the returned count (free each name and both arrays), or -1.
	 */
	int (*assignable_list)(void *priv, sbdf_t **devs, char ***names);
	/*
	 * Whether Xen has the device assigned to a guest (the test libxl
	 * makes before assigning one, xc_test_assign_device): 1 a guest has
	 * it, 0 dom0 or the quarantine (DOMID_IO) has it, -1 with errno
	 * (EOPNOTSUPP: Xen assigns no devices here, no IOMMU).
	 */
	int (*xen_assigned)(void *priv, sbdf_t sbdf);
};

/* The host implementation linked in: libxen (host_xen.c) or a test fake. */
extern const struct pcisplit_host_ops pcisplit_host_ops;

/* ---- the context every command gets ---- */
struct pcisplit_ctx {
	char root[4096];	/* "" for the real root, else a directory */
	bool verbose;		/* -v: say every sysfs and xenstore write */
	const struct pcisplit_host_ops *host;
	void *host_priv;	/* after a successful host_open() */
	bool host_ok;
	int host_errno;		/* why host_open() failed, once it did */
};

/* Connect to the host once; 0 or -1 with errno (remembered). */
int host_open(struct pcisplit_ctx *ctx);
void host_close(struct pcisplit_ctx *ctx);
/* printf-style xenstore helpers over the ops. */
char *xs_readf(struct pcisplit_ctx *ctx, const char *fmt, ...)
	__printf(2, 3);
int xs_writef(struct pcisplit_ctx *ctx, const char *value,
	      const char *fmt, ...) __printf(3, 4);
int xs_rmf(struct pcisplit_ctx *ctx, const char *fmt, ...)
	__printf(2, 3);

/* ---- util.c ---- */
void pcisplit_err(const char *fmt, ...) __printf(1, 2);
void pcisplit_warn(const char *fmt, ...) __printf(1, 2);
void pcisplit_note(struct pcisplit_ctx *ctx, const char *fmt, ...)
	__printf(2, 3);
/* malloc'd printf; NULL with errno ENOMEM. */
char *xasprintf(const char *fmt, ...) __printf(1, 2);
/* Strict decimal: digits only, no sign, fits @max. 0 or -1 EINVAL/ERANGE. */
int parse_uint(const char *s, unsigned long long max, unsigned long long *out);

/* ---- sysfs.c: everything under the root directory ---- */
/* @buf gets root + formatted path; -1 with ENAMETOOLONG when it is. */
int root_path(const struct pcisplit_ctx *ctx, char *buf, size_t len,
	      const char *fmt, ...) __printf(4, 5);
/* Whole small file (<= 64 KiB) into a malloc'd, NUL-terminated buffer. */
char *read_file(const char *path, size_t *len);
/* One write(2) of @s to an existing attribute (no O_CREAT, no O_TRUNC). */
int write_attr(struct pcisplit_ctx *ctx, const char *path, const char *s);
bool dev_exists(const struct pcisplit_ctx *ctx, sbdf_t sbdf);
bool pciback_loaded(const struct pcisplit_ctx *ctx);
bool pciback_holds(const struct pcisplit_ctx *ctx, sbdf_t sbdf);
/* Sorted list of the devices bound to pciback; count or -1. */
int pciback_devices(const struct pcisplit_ctx *ctx, sbdf_t **out);
/*
 * Whether pciback/slots lists @sbdf: 1 by its own slot, 2 only through a
 * wildcard slot of its bus or device, 0 not, or -1 with errno.
 */
int pciback_has_slot(const struct pcisplit_ctx *ctx, sbdf_t sbdf);
/* A "0x..." sysfs attribute of the device, at most @max; 0 or -1. */
int dev_hex_attr(const struct pcisplit_ctx *ctx, sbdf_t sbdf,
		 const char *attr, unsigned long max, unsigned int *out);
/* "8086:10d3", or "?" when the IDs cannot be read. */
void dev_ids(const struct pcisplit_ctx *ctx, sbdf_t sbdf, char *buf,
	     size_t len);
/*
 * The driver the device is bound to, as the root-relative canonical path
 * ("/sys/bus/pci/drivers/e1000e") in @buf: 1; not bound: 0; -1 with errno.
 */
int dev_driver(const struct pcisplit_ctx *ctx, sbdf_t sbdf, char *buf,
	       size_t len);
/* Whether @p is "/sys/bus/pci/drivers/NAME" with a plain NAME. */
bool driver_path_ok(const char *p);

/*
 * SR-IOV.  A virtual function has a physfn link to its physical function
 * (../SSSS:BB:DD.F); the PF has one virtfnN link per VF it created, N
 * being the VF's index, and sriov_numvfs.  What a VF's links say:
 */
enum vf_state {
	VF_NONE,	/* no physfn link: not a virtual function */
	VF_OK,		/* the PF is there and its virtfn<index> is this VF */
	VF_PF_GONE,	/* physfn dangles: the PF it names is not there */
	VF_UNLISTED,	/* the PF is there but none of its virtfnN is this VF */
	VF_BAD_LINK,	/* physfn is not a link to a PCI address */
};

struct vf_info {
	enum vf_state state;
	sbdf_t pf;		/* VF_OK, VF_PF_GONE, VF_UNLISTED */
	unsigned int index;	/* VF_OK */
	char problem[192];	/* VF_PF_GONE, VF_UNLISTED, VF_BAD_LINK */
};

/* Fill @vf for @sbdf: 0; -1 with errno when sysfs could not be read. */
int dev_vf(const struct pcisplit_ctx *ctx, sbdf_t sbdf, struct vf_info *vf);

/* ---- pciname.c: device names as lspci shows them (libpci, pci.ids) ---- */
struct pci_access;
/* The name database, or NULL (then no names: never an error). */
struct pci_access *pciname_open(void);
void pciname_close(struct pci_access *pacc);
/*
 * "Ethernet controller: Intel Corporation 82574L Gigabit Network
 * Connection" from the device's class, vendor and device IDs, as lspci
 * prints it; NULL when the IDs cannot be read.
 */
const char *pciname_describe(struct pci_access *pacc,
			     const struct pcisplit_ctx *ctx, sbdf_t sbdf,
			     char *buf, size_t len);

/* ---- vtab_text.c: the debugfs dump of pcisplit-back ---- */
enum vt_mode { VT_NONE, VT_MSI, VT_MSIX };

struct vt_vec {
	unsigned int entry;
	unsigned int pirq;
};

struct vt_dev {
	sbdf_t sbdf;
	bool owned;			/* owner=- is false */
	unsigned int domid;
	unsigned long long epoch;
	enum vt_mode mode;
	unsigned int table;		/* MSI-X table size */
	unsigned int nvec;
	struct vt_vec *vec;
	unsigned int line;		/* where the device line was */
};

struct vt_table {
	struct vt_dev *dev;
	unsigned int ndev;
};

/*
 * Parse the text strictly.  On a malformed line: -1 with errno EBADMSG
 * and @err saying "line N: what was wrong".
 */
int vt_parse(const char *text, struct vt_table *t, char *err, size_t errlen);
/*
 * Load the table from the root's debugfs file: 0; -1 with errno ENOENT
 * when there is no table (stock xen-pciback, debugfs not mounted), other
 * errno on a read error, EBADMSG with @err on malformed text.
 */
int vt_load(const struct pcisplit_ctx *ctx, struct vt_table *t, char *err,
	    size_t errlen);
void vt_free(struct vt_table *t);
struct vt_dev *vt_find(const struct vt_table *t, sbdf_t sbdf);
const char *vt_mode_label(enum vt_mode mode);

/* ---- xsview.c: what xenstore and the hypervisor say ---- */
struct xs_backend {
	unsigned int domid;		/* the frontend domain */
	char *path;			/* .../backend/pci/<domid>/0 */
	int state;			/* XenbusState, -1 unreadable */
	int fe_state;			/* the frontend's, -1 unreadable */
	/* aerState "aerfail": pciback gave up an AER recovery here */
	bool aer_failed;
	unsigned int ndev;
	sbdf_t *dev;			/* dev-0 .. dev-(n-1) that parsed */
	int *dev_state;			/* their state-N, -1 absent */
	char **problems;		/* malformed entries, for audit */
	unsigned int nproblems;
};

struct xs_libxl_pci {
	sbdf_t sbdf;
	int domid;			/* "domid" node, -1 absent */
	char *driver_path;		/* NULL absent */
	char *name;			/* NULL absent */
};

struct xs_view {
	bool have_domains;		/* the domain list could be read */
	struct pcisplit_dominfo *dom;
	unsigned int ndom;
	struct xs_backend *be;
	unsigned int nbe;
	struct xs_libxl_pci *lp;
	unsigned int nlp;
	char **problems;		/* malformed top-level entries */
	unsigned int nproblems;
};

/* Read the whole view; -1 with errno when xenstore cannot be read. */
int xsv_load(struct pcisplit_ctx *ctx, struct xs_view *v);
void xsv_free(struct xs_view *v);
/* Whether @domid is a live domain (false also when unknown). */
bool xsv_alive(const struct xs_view *v, unsigned int domid);
/* The backend tree listing @sbdf (a live domain's first), or NULL. */
const struct xs_backend *xsv_backend_of(const struct xs_view *v,
					sbdf_t sbdf);
const struct xs_libxl_pci *xsv_libxl(const struct xs_view *v, sbdf_t sbdf);
/*
 * The domain @sbdf is assigned to according to xenstore (a backend tree,
 * else libxl's domid node), -1 when none.
 */
int xsv_owner(const struct xs_view *v, sbdf_t sbdf);
/* "5 (web1)" or "5" into @buf; returns @buf. */
char *dom_label(struct pcisplit_ctx *ctx, unsigned int domid, char *buf,
		size_t len);

/* ---- json.c: --json documents (yajl) ---- */
/* The "schema" member of every document; bumped on an incompatible change. */
#define PCISPLIT_JSON_SCHEMA	1
struct json;
/* A document {"schema": N, "command": @command, ...}; NULL on failure. */
struct json *json_open(const char *command);
/* A document whose last member @key is an array, open for its elements. */
struct json *json_open_list(const char *command, const char *key);
/* Close that array and the document, print it: json_close(j, true). */
int json_close_list(struct json *j);
void json_map_open(struct json *j);
void json_map_close(struct json *j);
void json_array_open(struct json *j);
void json_array_close(struct json *j);
void json_key(struct json *j, const char *k);
/* A string, or null for NULL. */
void json_str(struct json *j, const char *s);
void json_uint(struct json *j, unsigned long long v);
void json_int(struct json *j, long long v);
void json_bool(struct json *j, bool v);
void json_kv_str(struct json *j, const char *k, const char *v);
void json_kv_uint(struct json *j, const char *k, unsigned long long v);
void json_kv_int(struct json *j, const char *k, long long v);
void json_kv_bool(struct json *j, const char *k, bool v);
/*
 * End the document, print it to stdout when @print, free @j (NULL is
 * fine).  0, or -1 (said on stderr) when the document could not be made.
 */
int json_close(struct json *j, bool print);
/* cmd_show.c: the --json long option, and an owner as {domid, name}|null. */
extern const struct option json_longopts[];
struct pcisplit_ctx;
void json_owner(struct json *j, struct pcisplit_ctx *ctx, int domid);

/* ---- guard.c ---- */
/*
 * Refuse (printing why and what to do) when a running guest has the
 * device by xenstore or by the vector table (@vt may be NULL).  0 when
 * no running guest has it, -1 when refused.
 */
int refuse_if_assigned(struct pcisplit_ctx *ctx, const struct xs_view *xv,
		       const struct vt_table *vt, sbdf_t sbdf);

/* ---- commands ---- */
struct cmd_spec {
	const char *name;
	int (*fn)(struct pcisplit_ctx *ctx, const struct cmd_spec *spec,
		  int argc, char **argv);
	const char *help;	/* one line for `pcisplit help` */
	const char *usage;	/* arguments after the command name */
	const char *options;	/* one option per line, or NULL */
};

/* Return values of cmd_getopt() besides option characters. */
#define OPT_DONE	(-1)
#define OPT_HELP	(-2)
#define OPT_USAGE	(-3)

/*
 * getopt_long over @opts and @longopts (NULL: none) plus -h/--help; at the
 * end checks that between @min_args and @max_args operands remain.  A
 * usage error names the option or argument and prints the usage line.
 * Leaves optind at the first operand.
 */
int cmd_getopt(const struct cmd_spec *spec, int argc, char **argv,
	       const char *opts, const struct option *longopts, int min_args,
	       int max_args);
void cmd_usage(const struct cmd_spec *spec, bool to_stderr);
/* After a usage error: the command's usage line and where its help is. */
void cmd_short_usage(const struct cmd_spec *spec);

/* One helper for every handler's option loop, in the manner of xl. */
#define FOREACH_OPT(opt, spec, opts, longopts, min, max)		\
	while (((opt) = cmd_getopt((spec), argc, argv, (opts),		\
				   (longopts), (min), (max))) != OPT_DONE) \
		if ((opt) == OPT_HELP)					\
			return EXIT_OK;					\
		else if ((opt) == OPT_USAGE)				\
			return EXIT_USAGE;				\
		else							\
			switch (opt)

/* A BDF operand; prints the usage error itself.  0 or -1. */
int arg_bdf(const struct cmd_spec *spec, const char *arg, sbdf_t *out);

int cmd_list(struct pcisplit_ctx *ctx, const struct cmd_spec *spec,
	     int argc, char **argv);
int cmd_vectors(struct pcisplit_ctx *ctx, const struct cmd_spec *spec,
		int argc, char **argv);
int cmd_audit(struct pcisplit_ctx *ctx, const struct cmd_spec *spec,
	      int argc, char **argv);
int cmd_assignable_add(struct pcisplit_ctx *ctx, const struct cmd_spec *spec,
		       int argc, char **argv);
int cmd_assignable_remove(struct pcisplit_ctx *ctx,
			  const struct cmd_spec *spec, int argc, char **argv);
int cmd_assignable_list(struct pcisplit_ctx *ctx,
			const struct cmd_spec *spec, int argc, char **argv);
int cmd_reset(struct pcisplit_ctx *ctx, const struct cmd_spec *spec,
	      int argc, char **argv);

#endif /* PCISPLIT_TOOLS_H */
