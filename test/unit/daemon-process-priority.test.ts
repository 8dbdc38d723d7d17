// checker_priority / vrrp_priority: the nice value is applied to the calling process's main thread.
// Only ever lowers this test worker's priority (allowed without privileges); the worker ends with the file.
import { getPriority } from 'node:os';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/common/logger.js';
import { applyCheckerProcessPriority } from '../../src/daemon/process-priority.js';

describe('applyCheckerProcessPriority', () => {
  it('sets the nice value from checker_priority and ignores vrrp_priority', () => {
    const before = getPriority();
    const wanted = Math.min(before + 2, 19);
    applyCheckerProcessPriority({ checker_priority: wanted, vrrp_priority: -20 }, silentLogger());
    expect(getPriority()).toBe(wanted);
  });

  it('leaves the priority alone when checker_priority is not set', () => {
    const before = getPriority();
    applyCheckerProcessPriority({ vrrp_priority: 5 }, silentLogger());
    expect(getPriority()).toBe(before);
  });
});
