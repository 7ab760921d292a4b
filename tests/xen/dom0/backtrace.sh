# The backend's own part of a forwarded request, read off dom0's kernel
# tracing (sourced by bench.sh; the selftest runs backtrace_pairs on a
# made-up trace).  A request's part starts when the frontend's event
# enters the backend's handler (irq:irq_handler_entry, the irq named after
# the backend) and ends when the backend notifies the frontend of the answer
# (a kprobe on notify_remote_via_irq, which both backends answer with;
# the stock one from its workqueue, ours from the handler for a read).
# The guest's round trip (cfg_us) adds both domains' scheduling under Xen
# and the frontend's wait, which no backend can change.
TRACEFS=/sys/kernel/tracing
# the irq names the backends bind their event channel with
BACK_IRQ_NAMES='name == "xen-pciback" || name == "pcisplit-back"'

# tw FILE VALUE: write a tracefs control file, failing with its name
tw() { echo "$2" >"$TRACEFS/$1" 2>/dev/null || { echo "tracefs: cannot write '$2' to $1" >&2; return 1; }; }

# backtrace_start: trace the backends' events and answers, from empty
backtrace_start() {
	[ -d "$TRACEFS/events" ] || mount -t tracefs nodev "$TRACEFS" 2>/dev/null ||
		{ echo "tracefs: cannot mount $TRACEFS" >&2; return 1; }
	tw tracing_on 0 && tw trace "" && tw trace_clock global && tw buffer_size_kb 8192 &&
		tw kprobe_events 'p:pcisplit_bench/answer notify_remote_via_irq irq=%di:s32' &&
		tw events/irq/irq_handler_entry/filter "$BACK_IRQ_NAMES" &&
		tw events/irq/irq_handler_entry/enable 1 &&
		tw events/pcisplit_bench/answer/enable 1 && tw tracing_on 1
}

# backtrace_stop FILE: stop, keep the trace in FILE, undo the set-up
backtrace_stop() {
	tw tracing_on 0 || true
	cat "$TRACEFS/trace" >"$1"
	tw events/pcisplit_bench/answer/enable 0 || true
	tw events/irq/irq_handler_entry/enable 0 || true
	tw events/irq/irq_handler_entry/filter 0 || true
	tw kprobe_events "" || true
	tw trace "" || true
}

# backtrace_pairs < TRACE: one line per answered request, its part in us:
# an answer's time less its irq's latest event's.  An answer without an
# event before it (its event fell before the trace began) is left out.
backtrace_pairs() {
	awk '{
		for (i = 1; i <= NF; i++)
			if ($i ~ /^[0-9]+\.[0-9]+:$/)
				break
		if (i >= NF)
			next
		ts = substr($i, 1, length($i) - 1) + 0
		irq = ""
		for (j = i + 2; j <= NF; j++)
			if ($j ~ /^irq=-?[0-9]+$/)
				irq = substr($j, 5)
		if (irq == "")
			next
		if ($(i + 1) == "irq_handler_entry:")
			ev[irq] = ts
		else if ($(i + 1) == "answer:" && (irq in ev)) {
			printf "%.1f\n", (ts - ev[irq]) * 1000000
			delete ev[irq]
		}
	}'
}
