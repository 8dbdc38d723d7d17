// /metrics: the VRRP process' counters in Prometheus text format (prom-client), and the checker
// process' results and IPVS counters (metrics-checkers.ts) from its snapshot. Every value is
// read from the runtime's stats() and the TrackerLog when scraped (collect callbacks), so the
// VRRP loop does no metrics work between scrapes. Counters are the runtime's own totals; after a
// reload restarts an instance they start again from zero, which Prometheus reads as a reset.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Counter, Gauge, Registry } from 'prom-client';
import type { RuntimeStats } from '../vrrp/runtime/runtime.js';
import type { VrrpStateName } from '../vrrp/types.js';
import type { CheckerSnapshot } from './checker-snapshot.js';
import { registerCheckerMetrics } from './metrics-checkers.js';
import type { TrackedStatus } from './status-trackers.js';

const PREFIX = 'keepalived_ts_vrrp_';
const STATES: readonly VrrpStateName[] = ['INIT', 'BACKUP', 'MASTER', 'FAULT', 'STOP'];

export interface MetricsSource {
  stats(): RuntimeStats;
  trackersOf(instance: string): readonly TrackedStatus[];
  /** The checker process' snapshot, asked once per scrape (undefined: no checker, or no answer). */
  checkerSnapshot?(): Promise<CheckerSnapshot | undefined>;
}

/** Registers a metric family filled at each scrape (metrics-checkers.ts uses the same two). */
export type DefineGauge = (name: string, help: string, labelNames: string[], fill: (g: Gauge) => void) => void;
export type DefineCounter = (name: string, help: string, labelNames: string[], fill: (inc: (labels: Record<string, string>, value: number) => void) => void) => void;

export interface VrrpMetrics {
  readonly contentType: string;
  /** The exposition text, from one stats() snapshot. */
  render(): Promise<string>;
}

/** Metrics that read `source` at each scrape. */
export function createVrrpMetrics(source: MetricsSource): VrrpMetrics {
  const registry = new Registry();
  // One stats() call per scrape, shared by every collect callback of that scrape.
  let snapshot: RuntimeStats | undefined;
  const current = (): RuntimeStats => (snapshot ??= source.stats());
  const instances = (): [string, RuntimeStats['instances'][string]][] => Object.entries(current().instances);

  // Each family fills itself in its own turn of the event loop: with hundreds of instances a whole
  // scrape costs milliseconds, and a due advert timer must not wait for all of it. prom-client
  // starts every collect at once, so the turns are chained here.
  let turns: Promise<void> = Promise.resolve();
  const nextTurn = (): Promise<void> => (turns = turns.then(() => yieldToEventLoop()));
  const gauge: DefineGauge = (name, help, labelNames, fill) => {
    registry.registerMetric(new Gauge({ name, help, labelNames, registers: [], async collect() {
      await nextTurn();
      this.reset();
      fill(this);
    } }));
  };
  const counter: DefineCounter = (name, help, labelNames, fill) => {
    registry.registerMetric(new Counter({ name, help, labelNames, registers: [], async collect() {
      await nextTurn();
      this.reset();
      fill((labels, value) => this.inc(labels, value));
    } }));
  };

  gauge(PREFIX + 'instance_state', 'VRRP instance state: 1 for the current state, 0 for the others', ['instance', 'state'], (g) => {
    for (const [instance, s] of instances()) for (const state of STATES) g.set({ instance, state }, s.state === state ? 1 : 0);
  });
  gauge(PREFIX + 'base_priority', 'Configured priority of the instance', ['instance'], (g) => {
    for (const [instance, s] of instances()) g.set({ instance }, s.basePriority);
  });
  gauge(PREFIX + 'effective_priority', 'Priority after tracker weights', ['instance'], (g) => {
    for (const [instance, s] of instances()) g.set({ instance }, s.effectivePriority);
  });
  counter(PREFIX + 'transitions_total', 'State transitions of the instance', ['instance'], (inc) => {
    for (const [instance, s] of instances()) inc({ instance }, s.transitions);
  });
  counter(PREFIX + 'adverts_sent_total', 'VRRP advertisements sent', ['instance'], (inc) => {
    for (const [instance, s] of instances()) inc({ instance }, s.advertsSent);
  });
  counter(PREFIX + 'adverts_received_total', 'VRRP advertisements received and accepted for the instance', ['instance'], (inc) => {
    for (const [instance, s] of instances()) inc({ instance }, s.advertsReceived);
  });
  counter(PREFIX + 'send_failures_total', 'Advertisements the kernel refused to send', ['instance'], (inc) => {
    for (const [instance, s] of instances()) inc({ instance }, s.sendFailures);
  });
  counter(PREFIX + 'gratuitous_sent_total', 'Gratuitous ARP / unsolicited NA packets sent', ['instance'], (inc) => {
    for (const [instance, s] of instances()) inc({ instance }, s.gratuitousSent);
  });
  counter(PREFIX + 'takeovers_at_deadline_total', 'Take-overs whose advert the addon sent at the master-down deadline (the rest went through JavaScript)', ['instance'], (inc) => {
    for (const [instance, s] of instances()) inc({ instance }, s.takeOversAtDeadline);
  });
  counter(PREFIX + 'vip_requests_at_deadline_total', 'VIP address requests the addon sent right behind a take-over advert', ['instance'], (inc) => {
    for (const [instance, s] of instances()) inc({ instance }, s.vipRequestsAtDeadline);
  });
  counter(PREFIX + 'drops_total', 'Received packets dropped, by reason (instance "" for drops before an instance is known)', ['instance', 'socket', 'reason'], (inc) => {
    for (const [instance, s] of instances()) for (const [reason, n] of Object.entries(s.drops)) inc({ instance, socket: '', reason }, n ?? 0);
    for (const [socket, s] of Object.entries(current().sockets)) for (const [reason, n] of Object.entries(s.drops)) inc({ instance: '', socket, reason }, n ?? 0);
  });
  counter(PREFIX + 'timer_fired_total', 'Protocol timers fired', ['instance'], (inc) => {
    for (const [instance, s] of instances()) inc({ instance }, s.timerLateness.count);
  });
  counter(PREFIX + 'timer_late_total', 'Protocol timers that fired later than the lateness threshold', ['instance'], (inc) => {
    for (const [instance, s] of instances()) inc({ instance }, s.timerLateness.late);
  });
  gauge(PREFIX + 'timer_lateness_max_seconds', 'Largest timer lateness seen', ['instance'], (g) => {
    for (const [instance, s] of instances()) g.set({ instance }, s.timerLateness.maxMs / 1000);
  });
  gauge(PREFIX + 'timer_lateness_p99_seconds', 'Upper bound of the 99th percentile of timer lateness', ['instance'], (g) => {
    for (const [instance, s] of instances()) g.set({ instance }, s.timerLateness.p99UpperBoundMs / 1000);
  });
  // Separate gauges, not a quantile label: Prometheus keeps `quantile` for summaries.
  gauge(PREFIX + 'event_loop_lag_p50_seconds', 'Median event-loop delay of the VRRP process', [], (g) => g.set(current().loopLag.p50Ms / 1000));
  gauge(PREFIX + 'event_loop_lag_p99_seconds', '99th percentile event-loop delay of the VRRP process', [], (g) => g.set(current().loopLag.p99Ms / 1000));
  gauge(PREFIX + 'event_loop_lag_max_seconds', 'Largest event-loop delay of the VRRP process', [], (g) => g.set(current().loopLag.maxMs / 1000));
  gauge(PREFIX + 'tracker_up', 'Tracker (script, interface, file, process) status per instance: 1 up, 0 failing', ['instance', 'tracker'], (g) => {
    for (const [instance] of instances()) for (const t of source.trackersOf(instance)) g.set({ instance, tracker: t.status.name }, t.status.up ? 1 : 0);
  });
  gauge(PREFIX + 'tracker_weight', 'Configured weight of the tracker for the instance', ['instance', 'tracker'], (g) => {
    for (const [instance] of instances()) for (const t of source.trackersOf(instance)) g.set({ instance, tracker: t.status.name }, t.status.weight);
  });
  gauge(PREFIX + 'faults', 'Active fault sources of the instance', ['instance'], (g) => {
    for (const [instance, s] of instances()) g.set({ instance }, s.faults.length);
  });

  let checkers: CheckerSnapshot | undefined;
  registerCheckerMetrics(gauge, counter, () => checkers);

  return {
    contentType: registry.contentType,
    async render() {
      snapshot = undefined;
      checkers = await source.checkerSnapshot?.();
      try {
        return await registry.metrics();
      } finally {
        snapshot = undefined;
        checkers = undefined;
      }
    },
  };
}
