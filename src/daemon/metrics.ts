// /metrics: the VRRP process' counters in Prometheus text format (prom-client). Every value is
// read from the runtime's stats() and the TrackerLog when scraped (collect callbacks), so the
// VRRP loop does no metrics work between scrapes. Counters are the runtime's own totals; after a
// reload restarts an instance they start again from zero, which Prometheus reads as a reset.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Counter, Gauge, Registry } from 'prom-client';
import type { RuntimeStats } from '../vrrp/runtime/runtime.js';
import type { VrrpStateName } from '../vrrp/types.js';
import type { TrackedStatus } from './status-trackers.js';

const PREFIX = 'keepalived_ts_vrrp_';
const STATES: readonly VrrpStateName[] = ['INIT', 'BACKUP', 'MASTER', 'FAULT', 'STOP'];

export interface MetricsSource {
  stats(): RuntimeStats;
  trackersOf(instance: string): readonly TrackedStatus[];
}

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
  const gauge = (name: string, help: string, labelNames: string[], fill: (g: Gauge) => void): void => {
    registry.registerMetric(new Gauge({ name: PREFIX + name, help, labelNames, registers: [], async collect() {
      await nextTurn();
      this.reset();
      fill(this);
    } }));
  };
  const counter = (name: string, help: string, labelNames: string[], fill: (inc: (labels: Record<string, string>, value: number) => void) => void): void => {
    registry.registerMetric(new Counter({ name: PREFIX + name, help, labelNames, registers: [], async collect() {
      await nextTurn();
      this.reset();
      fill((labels, value) => this.inc(labels, value));
    } }));
  };

  gauge('instance_state', 'VRRP instance state: 1 for the current state, 0 for the others', ['instance', 'state'], (g) => {
    for (const [instance, s] of instances()) for (const state of STATES) g.set({ instance, state }, s.state === state ? 1 : 0);
  });
  gauge('base_priority', 'Configured priority of the instance', ['instance'], (g) => {
    for (const [instance, s] of instances()) g.set({ instance }, s.basePriority);
  });
  gauge('effective_priority', 'Priority after tracker weights', ['instance'], (g) => {
    for (const [instance, s] of instances()) g.set({ instance }, s.effectivePriority);
  });
  counter('transitions_total', 'State transitions of the instance', ['instance'], (inc) => {
    for (const [instance, s] of instances()) inc({ instance }, s.transitions);
  });
  counter('adverts_sent_total', 'VRRP advertisements sent', ['instance'], (inc) => {
    for (const [instance, s] of instances()) inc({ instance }, s.advertsSent);
  });
  counter('adverts_received_total', 'VRRP advertisements received and accepted for the instance', ['instance'], (inc) => {
    for (const [instance, s] of instances()) inc({ instance }, s.advertsReceived);
  });
  counter('send_failures_total', 'Advertisements the kernel refused to send', ['instance'], (inc) => {
    for (const [instance, s] of instances()) inc({ instance }, s.sendFailures);
  });
  counter('gratuitous_sent_total', 'Gratuitous ARP / unsolicited NA packets sent', ['instance'], (inc) => {
    for (const [instance, s] of instances()) inc({ instance }, s.gratuitousSent);
  });
  counter('drops_total', 'Received packets dropped, by reason (instance "" for drops before an instance is known)', ['instance', 'socket', 'reason'], (inc) => {
    for (const [instance, s] of instances()) for (const [reason, n] of Object.entries(s.drops)) inc({ instance, socket: '', reason }, n ?? 0);
    for (const [socket, s] of Object.entries(current().sockets)) for (const [reason, n] of Object.entries(s.drops)) inc({ instance: '', socket, reason }, n ?? 0);
  });
  counter('timer_fired_total', 'Protocol timers fired', ['instance'], (inc) => {
    for (const [instance, s] of instances()) inc({ instance }, s.timerLateness.count);
  });
  counter('timer_late_total', 'Protocol timers that fired later than the lateness threshold', ['instance'], (inc) => {
    for (const [instance, s] of instances()) inc({ instance }, s.timerLateness.late);
  });
  gauge('timer_lateness_max_seconds', 'Largest timer lateness seen', ['instance'], (g) => {
    for (const [instance, s] of instances()) g.set({ instance }, s.timerLateness.maxMs / 1000);
  });
  gauge('timer_lateness_p99_seconds', 'Upper bound of the 99th percentile of timer lateness', ['instance'], (g) => {
    for (const [instance, s] of instances()) g.set({ instance }, s.timerLateness.p99UpperBoundMs / 1000);
  });
  // Separate gauges, not a quantile label: Prometheus keeps `quantile` for summaries.
  gauge('event_loop_lag_p50_seconds', 'Median event-loop delay of the VRRP process', [], (g) => g.set(current().loopLag.p50Ms / 1000));
  gauge('event_loop_lag_p99_seconds', '99th percentile event-loop delay of the VRRP process', [], (g) => g.set(current().loopLag.p99Ms / 1000));
  gauge('event_loop_lag_max_seconds', 'Largest event-loop delay of the VRRP process', [], (g) => g.set(current().loopLag.maxMs / 1000));
  gauge('tracker_up', 'Tracker (script, interface, file, process) status per instance: 1 up, 0 failing', ['instance', 'tracker'], (g) => {
    for (const [instance] of instances()) for (const t of source.trackersOf(instance)) g.set({ instance, tracker: t.status.name }, t.status.up ? 1 : 0);
  });
  gauge('tracker_weight', 'Configured weight of the tracker for the instance', ['instance', 'tracker'], (g) => {
    for (const [instance] of instances()) for (const t of source.trackersOf(instance)) g.set({ instance, tracker: t.status.name }, t.status.weight);
  });
  gauge('faults', 'Active fault sources of the instance', ['instance'], (g) => {
    for (const [instance, s] of instances()) g.set({ instance }, s.faults.length);
  });

  return {
    contentType: registry.contentType,
    async render() {
      snapshot = undefined;
      try {
        return await registry.metrics();
      } finally {
        snapshot = undefined;
      }
    },
  };
}
