// Cold-start timeline markers, off unless KEEPALIVED_TS_STARTUP_TRACE is set (bench/vrrp-coldstart.mjs
// sets it). Each marker is one stderr line `kts-startup <pid> <label> <epoch ms>`, from the same
// wall clock in every process, so a bench can line up the parent's and the children's steps against
// the moment it started the daemon. Off, a marker costs one property read.
const enabled = process.env['KEEPALIVED_TS_STARTUP_TRACE'] !== undefined;

/** Epoch milliseconds (sub-ms precision) of `msSinceOrigin` on this process' performance clock. */
function epochMs(msSinceOrigin: number): number {
  return performance.timeOrigin + msSinceOrigin;
}

export function traceStartup(label: string): void {
  if (!enabled) return;
  process.stderr.write(`kts-startup ${process.pid} ${label} ${epochMs(performance.now()).toFixed(1)}\n`);
}

/** Node's own start-up steps of this process: its start, and its bootstrap's end (where its JS begins). */
export function traceNodeBootstrap(): void {
  if (!enabled) return;
  process.stderr.write(`kts-startup ${process.pid} process-start ${epochMs(0).toFixed(1)}\n`);
  process.stderr.write(`kts-startup ${process.pid} v8-start ${epochMs(performance.nodeTiming.v8Start).toFixed(1)}\n`);
  process.stderr.write(`kts-startup ${process.pid} node-bootstrap-complete ${epochMs(performance.nodeTiming.bootstrapComplete).toFixed(1)}\n`);
}
