// The health-check layer's public surface: checkers, the scheduler and the specs they take.
export * from './types.js';
export { runCheck } from './run-check.js';
export { CheckScheduler, DEFAULT_HISTORY_LENGTH } from './scheduler.js';
export type { HealthChange, HistoryEntry, MonitoredServer, ScheduledCheck, SchedulerOptions } from './scheduler.js';
export type { ServerHealth, CheckerHealth } from './health-state.js';
export { resolveTiming, DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_DELAY_LOOP_MS } from './defaults.js';
export { checksFromConfig, realServerId, serviceId } from './from-config.js';
export type { CheckProblem, ConfigChecks, FromConfigOptions } from './from-config.js';
