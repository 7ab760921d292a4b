// SPDX-License-Identifier: GPL-2.0
/*
 * The simulated transport's round trip per request, beside the physical
 * limit measured between the same two threads in the same run.
 *
 * A simulated world (tests/sim, transport leg) boots a PV guest with the
 * nic; the main thread is the guest's vCPU, the world's backend thread
 * serves its shared page.  Then:
 *   ping-pong   one cache line bounced between those two threads
 *   conf read   a 4-byte config read through pcifront's op layer: request
 *               on the shared page + event -> backend thread copies it,
 *               runs pciback's dispatcher and virtual config space,
 *               answers + event -> the frontend validates the answer
 *   msix cycle  enable + disable of 3 MSI-X vectors (two round trips,
 *               hypervisor map/unmap included), per round trip
 * The machine is shared, so the three are measured in short alternating
 * chunks (CHUNKS of ROUNDS/CHUNKS each): a disturbance hits all of them
 * alike.  Printed: the best chunk (closest to the undisturbed machine)
 * and the median one; the ratio of the best config read to the best
 * ping-pong is the figure of merit (goal: within 3x).
 *
 * Usage: sim_rtt [ROUNDS]
 */
#include <time.h>
#include "../tests/sim/sim.h"

static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static u64 time_reads(struct sim_guest *g, unsigned long n)
{
	unsigned long i;
	u64 t0;
	u32 v;

	/* The first round trip wakes the backend thread: not timed. */
	sim_chan_xport.conf_read(g, SIM_NIC, 0, 4, &v);
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		if (sim_chan_xport.conf_read(g, SIM_NIC, 0, 4, &v)) {
			fprintf(stderr, "sim_rtt: conf read failed\n");
			exit(1);
		}
	}
	return (now_ns() - t0) / n;
}

static u64 time_msix(struct sim_guest *g, unsigned long n)
{
	static const u16 entries[] = { 0, 1, 2 };
	unsigned long i;
	int pirqs[3];
	u64 t0;

	/* The driver's vectors are on: take them off for the loop. */
	guest_remove(g, SIM_NIC);
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		if (sim_chan_xport.enable_msix(g, SIM_NIC, entries, 3, pirqs) ||
		    sim_chan_xport.disable(g, SIM_NIC, SIM_MODE_MSIX)) {
			fprintf(stderr, "sim_rtt: MSI-X cycle failed\n");
			exit(1);
		}
	}
	return (now_ns() - t0) / (2 * n);
}

#define CHUNKS	41

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static void show(const char *what, u64 *v, u64 pp_best, u64 pp_med)
{
	qsort(v, CHUNKS, sizeof(*v), cmp_u64);
	if (!pp_best) {
		printf("  %-44s %7llu ns best %7llu ns median\n", what,
		       (unsigned long long)v[0],
		       (unsigned long long)v[CHUNKS / 2]);
		return;
	}
	printf("  %-44s %7llu ns best %7llu ns median  %5.2fx / %5.2fx ping-pong\n",
	       what, (unsigned long long)v[0],
	       (unsigned long long)v[CHUNKS / 2], (double)v[0] / pp_best,
	       (double)v[CHUNKS / 2] / pp_med);
}

int main(int argc, char **argv)
{
	struct sim_world_opts o = { .leg = SIM_LEG_TRANSPORT };
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 0) : 200000;
	const unsigned int dev = SIM_NIC;
	u64 pp[CHUNKS], rd[CHUNKS], mx[CHUNKS], pp_best, pp_med;
	struct sim_guest *g;
	unsigned long chunk;
	int r, bad;

	if (!n)
		n = 1;
	world_init(&o);
	if (tool_create(SIM_PV1, &dev, 1, true) || !guests[SIM_PV1] ||
	    !guests[SIM_PV1]->connected) {
		fprintf(stderr, "sim_rtt: the guest did not come up\n");
		return 1;
	}
	g = guests[SIM_PV1];
	chunk = n / CHUNKS + 2;
	for (r = 0; r < CHUNKS; r++) {
		pp[r] = sim_bench_pingpong(g->slot, chunk);
		rd[r] = time_reads(g, chunk);
		mx[r] = time_msix(g, chunk / 10 + 1);
		guest_probe(g, SIM_NIC);
	}
	bad = world_fini();
	printf("simulated transport, %lu rounds in %d alternating chunks (frontend thread <-> backend thread):\n",
	       chunk * CHUNKS, CHUNKS);
	show("cache-line ping-pong (the physical limit)", pp, 0, 0);
	pp_best = pp[0];
	pp_med = pp[CHUNKS / 2];
	show("config read round trip (pcifront -> pciback)", rd, pp_best,
	     pp_med);
	show("MSI-X enable/disable, per round trip", mx, pp_best, pp_med);
	printf("  goal: config read within 3x of the ping-pong (best chunks): %s\n",
	       pp_best && rd[0] <= 3 * pp_best ? "met" : "NOT met");
	return bad ? 1 : 0;
}
