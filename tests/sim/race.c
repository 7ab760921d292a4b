// SPDX-License-Identifier: GPL-2.0
/*
 * Races: `race OP1 || OP2 @Nms`, two matrix operations at once (an `xl
 * pci-detach` while the guest's own xl tears it down for a reboot, say).
 *
 * Each side runs on a thread of its own, and only one side at a time:
 * the baton passes at the toolstack's interleaving points, tool_yield(),
 * which tool.c calls wherever libxl would wait for the backend or has
 * just handed a xenstore change to xenwatch.  So a race here is one
 * interleaving, chosen by the delay, and the same one every run:
 *
 *   - OP1 runs alone through N / SIM_RACE_MS_PER_POINT of its points
 *     (@0ms: none, OP2's first segment comes first, as the process
 *     started second can be the first to act);
 *   - from then on the sides alternate, one segment each, until both
 *     are done; a side that ends hands the baton to the other.
 *
 * The backend underneath (pciback's xenbus state machine and ring core)
 * runs as always: on the calling side's thread for xenwatch, on its own
 * threads for the transport legs' rings, and a guest's second vCPU keeps
 * hammering where the steps start one.
 *
 * A side may legitimately lose: its device or domain went with the other
 * side (-ESRCH, -ENODEV, -ENOENT, -EBUSY) or the backend was not ready
 * (-ETIMEDOUT), as xl reports it.  A reboot must always bring its guest
 * back; a destroy, shutdown or crash must leave no domain behind.
 */
#include "sim.h"

struct racer {
	struct sim_op op;
	int rc;
	bool done;
	unsigned int points;	/* interleaving points passed */
	pthread_t thread;
};

static struct {
	pthread_mutex_t lock;	/* guards everything here */
	pthread_cond_t moved;	/* the baton moved */
	struct racer side[2];
	int turn;		/* the side holding the baton, -1: both done */
	unsigned int start2;	/* OP2 starts at OP1's start2-th point */
	bool started2;
} race = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.moved = PTHREAD_COND_INITIALIZER,
};

/* Which side the calling thread is, -1: not in a race. */
static __thread int me = -1;

bool tool_racing(void)
{
	return me >= 0;
}

/* Under race.lock: the side that goes on once @self paused or ended. */
static int next_side(int self)
{
	int other = !self;

	if (!race.started2) {
		if (!race.side[0].done && race.side[0].points < race.start2)
			return 0;
		race.started2 = true;
		return 1;
	}
	if (!race.side[other].done)
		return other;
	if (!race.side[self].done)
		return self;
	return -1;
}

static void pass_baton(int self)
{
	race.turn = next_side(self);
	pthread_cond_broadcast(&race.moved);
}

static void wait_turn(int self)
{
	while (race.turn != self)
		pthread_cond_wait(&race.moved, &race.lock);
}

void tool_yield(void)
{
	if (me < 0)
		return;
	pthread_mutex_lock(&race.lock);
	race.side[me].points++;
	pass_baton(me);
	wait_turn(me);
	pthread_mutex_unlock(&race.lock);
}

static void *side_main(void *arg)
{
	struct racer *r = arg;
	int self = r - race.side;

	me = self;
	pthread_mutex_lock(&race.lock);
	wait_turn(self);
	pthread_mutex_unlock(&race.lock);
	r->rc = sim_op_run(&r->op, true);
	pthread_mutex_lock(&race.lock);
	r->done = true;
	pass_baton(self);
	pthread_mutex_unlock(&race.lock);
	return NULL;
}

/* A side that lost the race the way xl reports it, not a failure. */
static bool lost(int rc)
{
	return rc == -ESRCH || rc == -ENODEV || rc == -ENOENT ||
	       rc == -EBUSY || rc == -ETIMEDOUT;
}

static bool domain_op(enum sim_step_kind k)
{
	return k == STEP_SHUTDOWN || k == STEP_SHUTDOWN_NODISABLE ||
	       k == STEP_DESTROY || k == STEP_CRASH;
}

int sim_race_run(const struct sim_step *st)
{
	struct racer *r;
	unsigned int i;
	int err = 0;

	memset(race.side, 0, sizeof(race.side));
	sim_step_op(st, &race.side[0].op);
	race.side[1].op = st->op2;
	race.start2 = st->delay_ms / SIM_RACE_MS_PER_POINT;
	race.started2 = !race.start2;
	race.turn = race.started2 ? 1 : 0;
	sim_log(SEAM_LOG_INFO, "race: %s (OP2 at OP1's point %u)", st->text,
		race.start2);
	for (i = 0; i < 2; i++) {
		if (pthread_create(&race.side[i].thread, NULL, side_main,
				   &race.side[i])) {
			fprintf(stderr, "sim: race: pthread_create failed\n");
			exit(2);
		}
	}
	pthread_mutex_lock(&race.lock);
	wait_turn(-1);
	pthread_mutex_unlock(&race.lock);
	for (i = 0; i < 2; i++)
		pthread_join(race.side[i].thread, NULL);
	tool_settle();

	for (i = 0; i < 2; i++) {
		r = &race.side[i];
		sim_log(SEAM_LOG_INFO, "race: OP%u %s %s: rc %d after %u points%s",
			i + 1, sim_step_names[r->op.kind],
			sim_dc_names[r->op.dc], r->rc, r->points,
			r->rc && lost(r->rc) ? " (lost the race)" : "");
		if (r->op.kind == STEP_REBOOT) {
			if (r->rc || !guests[r->op.dc] ||
			    guests[r->op.dc]->booting) {
				sim_log(SEAM_LOG_ERR, "race: %s did not come back after its reboot (rc %d)",
					sim_dc_names[r->op.dc], r->rc);
				err = err ?: (r->rc ?: -EIO);
			}
		} else if (domain_op(r->op.kind)) {
			if (r->rc || guests[r->op.dc]) {
				sim_log(SEAM_LOG_ERR, "race: %s still exists after its %s (rc %d)",
					sim_dc_names[r->op.dc],
					sim_step_names[r->op.kind], r->rc);
				err = err ?: (r->rc ?: -EIO);
			}
		} else if (r->rc && !lost(r->rc)) {
			err = err ?: r->rc;
		}
	}
	return err;
}
