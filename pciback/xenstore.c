// SPDX-License-Identifier: GPL-2.0
/*
 * The xenbus backend's xenstore helpers: the kernel's xenbus_scanf,
 * xenbus_printf, xenbus_gather and friends rebuilt over be->xb (struct
 * pcisplit_xb_ops), and the readers of what libxl writes (num_devs,
 * dev-N, state-N, opts-N).  Portable: only the seam.
 */

#define pr_fmt(fmt) "pcisplit-back: " fmt

#include <pcisplit/back_xenbus.h>

/* xenbus_scanf: how many fields matched (-ERANGE: none), or -errno. */
static __scanf(4, 5) int xs_scanf(struct pcisplit_back *be, const char *dir,
				  const char *node, const char *fmt, ...)
{
	va_list ap;
	char *val;
	int n;

	val = xb_read(be, dir, node);
	if (IS_ERR(val))
		return PTR_ERR(val);
	va_start(ap, fmt);
	n = vsscanf(val, fmt, ap);
	va_end(ap);
	kfree(val);
	return n ? n : -ERANGE;
}

int pcisplit_xs_printf(struct pcisplit_back *be, const char *dir,
		       const char *node, const char *fmt, ...)
{
	va_list ap;
	char *val;
	int err;

	va_start(ap, fmt);
	val = kvasprintf(GFP_NOIO | __GFP_HIGH, fmt, ap);
	va_end(ap);
	if (!val)
		return -ENOMEM;
	err = xb_write(be, dir, node, val);
	kfree(val);
	/* Said here: the callers retry on the next watch event, or give up. */
	if (err)
		dev_warn(&be->xdev->dev, "writing %s/%s failed: %d\n", dir,
			 node, err);
	return err;
}

/* xenbus_read_unsigned: @def unless the node holds a number. */
static unsigned int xs_read_unsigned(struct pcisplit_back *be,
				     const char *dir, const char *node,
				     unsigned int def)
{
	unsigned int val;

	if (xs_scanf(be, dir, node, "%u", &val) <= 0)
		return def;
	return val;
}

int pcisplit_xs_gather(struct pcisplit_back *be, const char *dir, ...)
{
	const char *node;
	va_list ap;
	int err = 0;

	va_start(ap, dir);
	while (!err && (node = va_arg(ap, const char *))) {
		const char *fmt = va_arg(ap, const char *);
		void *result = va_arg(ap, void *);
		char *val = xb_read(be, dir, node);
		int n;

		if (IS_ERR(val)) {
			err = PTR_ERR(val);
			break;
		}
		n = sscanf(val, fmt, result);
		kfree(val);
		if (!n)
			err = -EINVAL;
	}
	va_end(ap);
	return err;
}

enum xenbus_state pcisplit_xs_state(struct pcisplit_back *be,
				    const char *path)
{
	int st;

	if (pcisplit_xs_gather(be, path, "state", "%d", &st, NULL))
		return XenbusStateUnknown;
	return st;
}

bool pcisplit_xs_online(struct pcisplit_back *be)
{
	return xs_read_unsigned(be, be->xdev->nodename, "online", 0);
}

void pcisplit_xs_fatal(const struct pcisplit_xb_ops *xb,
		       struct xenbus_device *xdev, int err, const char *fmt,
		       ...)
{
	va_list ap;

	va_start(ap, fmt);
	xb->fatal(xdev, err, fmt, ap);
	va_end(ap);
}

/*
 * libxl writes the state node itself (it sets Reconfiguring for
 * hot-plug), behind the back of xenbus' cached copy, which would then
 * take a switch to the cached state for a no-op and leave libxl's value
 * in place: resynchronise the cache first.
 */
int pcisplit_xs_set_state(struct pcisplit_back *be, enum xenbus_state st)
{
	be->xdev->state = pcisplit_xs_state(be, be->xdev->nodename);
	return xb_switch_state(be, st);
}

int pcisplit_xs_num_devs(struct pcisplit_back *be, unsigned int *num)
{
	char *val;
	int err, n;

	val = xb_read(be, be->xdev->nodename, "num_devs");
	if (IS_ERR(val))
		return PTR_ERR(val);
	err = kstrtoint(val, 10, &n);
	if (err) {
		pcisplit_xs_fatal(be->xb, be->xdev, -EINVAL,
				  "num_devs \"%.16s\" is not a number", val);
		kfree(val);
		return -EINVAL;
	}
	kfree(val);
	if (n < 0 || n > PCISPLIT_MAX_EXPORTS) {
		pcisplit_xs_fatal(be->xb, be->xdev, -E2BIG,
				  "num_devs %d: at most %d devices per guest",
				  n, PCISPLIT_MAX_EXPORTS);
		return -E2BIG;
	}
	*num = n;
	return 0;
}

int pcisplit_xs_sbdf(struct pcisplit_back *be, const char *key, int i,
		     u32 *sbdf)
{
	char node[16], *val;
	int err;

	snprintf(node, sizeof(node), "%s-%d", key, i);
	val = xb_read(be, be->xdev->nodename, node);
	if (IS_ERR(val))
		return PTR_ERR(val);
	err = pcisplit_sbdf_parse(val, sbdf);
	kfree(val);
	return err;
}

unsigned int pcisplit_xs_substate(struct pcisplit_back *be, int i)
{
	char node[16];

	snprintf(node, sizeof(node), "state-%d", i);
	return xs_read_unsigned(be, be->xdev->nodename, node,
				XenbusStateUnknown);
}

int pcisplit_xs_set_substate(struct pcisplit_back *be, int i,
			     enum xenbus_state st)
{
	char node[16];

	snprintf(node, sizeof(node), "state-%d", i);
	return pcisplit_xs_printf(be, be->xdev->nodename, node, "%d", st);
}

bool pcisplit_xs_permissive(struct pcisplit_back *be, int i)
{
	char node[16];
	char *opts;
	bool on;

	snprintf(node, sizeof(node), "opts-%d", i);
	opts = xb_read(be, be->xdev->nodename, node);
	if (IS_ERR(opts))
		return false;
	on = strstr(opts, "permissive=1");
	kfree(opts);
	return on;
}
