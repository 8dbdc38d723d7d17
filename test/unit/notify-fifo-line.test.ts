// notify FIFO lines and the notify script's appended arguments, as keepalived 2.2.7 wrote them.
import { describe, expect, it } from 'vitest';
import { formatFifoLine, notifyArguments } from '../../src/vrrp/notify-fifo-line.js';

describe('formatFifoLine', () => {
  it('writes instance, group and lower-priority lines as keepalived 2.2.7 did', () => {
    expect(formatFifoLine({ subject: 'INSTANCE', name: 'VI_1', event: 'MASTER', priority: 100 })).toBe('INSTANCE "VI_1" MASTER 100\n');
    expect(formatFifoLine({ subject: 'GROUP', name: 'SG', event: 'BACKUP', priority: 0 })).toBe('GROUP "SG" BACKUP 0\n');
    expect(formatFifoLine({ subject: 'INSTANCE', name: 'VI_HI', event: 'MASTER_RX_LOWER_PRI', priority: 150 })).toBe('INSTANCE "VI_HI" MASTER_RX_LOWER_PRI 150\n');
    expect(formatFifoLine({ subject: 'INSTANCE', name: 'VI_F4', event: 'FAULT', priority: 100 })).toBe('INSTANCE "VI_F4" FAULT 100\n');
  });
});

describe('notifyArguments', () => {
  it('are the four words of the line (measured: [ix][INSTANCE][VI_1][BACKUP][100])', () => {
    expect(notifyArguments({ subject: 'INSTANCE', name: 'VI_1', event: 'BACKUP', priority: 100 })).toEqual(['INSTANCE', 'VI_1', 'BACKUP', '100']);
    expect(notifyArguments({ subject: 'GROUP', name: 'G1', event: 'STOP', priority: 0 })).toEqual(['GROUP', 'G1', 'STOP', '0']);
  });
});
