// The lab's results: one row per scenario with the medians of its runs, as a text table for people
// and as JSON for machines. Pure.
import { median } from './measure.js';
import type { Measurement, ScenarioName } from './scenarios.js';

export interface ScenarioResult {
  readonly scenario: ScenarioName;
  readonly summary: string;
  readonly runs: readonly Measurement[];
  /** One message per failed run. */
  readonly failures: readonly string[];
  readonly skipped?: string;
}

export interface LabReport {
  readonly runId: string;
  readonly config: string;
  readonly directors: readonly { id: string; implementation: string; priority: number; primary: boolean }[];
  readonly vip: string;
  readonly version: 2 | 3;
  readonly advertIntSeconds: number;
  readonly unicast: boolean;
  readonly masterDownSeconds: number;
  readonly results: readonly ScenarioResult[];
  /** Set when the run ended early (signal or setup failure). */
  readonly aborted?: string;
}

const MEDIAN_KEYS = ['vipSeconds', 'garpSeconds', 'pingGapSeconds', 'httpGapSeconds', 'recoverySeconds', 'clientBackSeconds', 'serverOutSeconds', 'serverBackSeconds', 'transitions'] as const;

export type MedianRow = { [K in keyof Measurement]?: Measurement[K] };

export function medians(runs: readonly Measurement[]): MedianRow {
  const row: Record<string, number> = {};
  for (const key of MEDIAN_KEYS) {
    const value = median(runs.map((run) => run[key]));
    if (value !== undefined) row[key] = value;
  }
  return row;
}

export function passed(report: LabReport): boolean {
  return report.aborted === undefined && report.results.every((result) => result.failures.length === 0);
}

const seconds = (value: number | undefined) => (value === undefined ? '—' : `${value.toFixed(3)} s`);

export function formatReport(report: LabReport): string {
  const directors = report.directors.map((d) => `${d.id} ${d.implementation} prio ${d.priority}${d.primary ? ' (primary)' : ''}`).join(', ');
  const header = [
    `lab ${report.runId}: ${report.config}`,
    `  directors: ${directors}`,
    `  VIP ${report.vip}, VRRPv${report.version}, advert_int ${report.advertIntSeconds} s, ${report.unicast ? 'unicast' : 'multicast'}, master-down ${report.masterDownSeconds.toFixed(3)} s`,
    '',
  ];
  const columns = ['scenario', 'runs', 'VIP moved', 'first GARP', 'ping gap', 'HTTP gap', 'changes', 'result'];
  const rows = report.results.map((result) => {
    if (result.skipped !== undefined) return [result.scenario, '0', '—', '—', '—', '—', '—', `skipped: ${result.skipped}`];
    const m = medians(result.runs);
    const ok = result.runs.length;
    const total = ok + result.failures.length;
    const outcome = result.failures.length === 0 ? 'ok' : `FAILED: ${result.failures[0]}`;
    const extra =
      (m.recoverySeconds !== undefined ? ` (one master ${m.recoverySeconds.toFixed(3)} s after healing${m.clientBackSeconds !== undefined ? `, client back after ${m.clientBackSeconds.toFixed(3)} s` : ''})` : '') +
      (m.serverOutSeconds !== undefined ? ` (out of IPVS after ${m.serverOutSeconds.toFixed(3)} s, back ${m.serverBackSeconds?.toFixed(3) ?? '?'} s after it returned)` : '');
    return [result.scenario, `${ok}/${total}`, seconds(m.vipSeconds), seconds(m.garpSeconds), seconds(m.pingGapSeconds), seconds(m.httpGapSeconds), m.transitions === undefined ? '—' : String(m.transitions), outcome + extra];
  });
  const widths = columns.map((column, index) => Math.max(column.length, ...rows.map((row) => row[index]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, index) => (index === cells.length - 1 ? cell : cell.padEnd(widths[index]!))).join('  ');
  const footer = [
    '',
    'VIP moved: fault to the VIP on the next master (partition: on the backup too; reload: none; real-server: see its result). First GARP: from that director, as the',
    'client saw it. Gaps: longest time without a reply (ping every 10 ms, HTTP every 20 ms). Changes: state changes the daemons logged.',
    'Medians over the successful runs.',
  ];
  if (report.aborted !== undefined) footer.push(`Run ended early: ${report.aborted}`);
  return [...header, line(columns), ...rows.map(line), ...footer].join('\n') + '\n';
}
