// The lines keepalived writes to notify_fifo / vrrp_notify_fifo, checked byte for byte against
// keepalived 2.2.7 (test/interop/notify-fifo.test.ts):
//   INSTANCE "VI_1" MASTER 130        (the instance's effective priority at the time)
//   GROUP "SG" BACKUP 0               (a sync group's priority is always 0)
//   INSTANCE "VI_1" MASTER_RX_LOWER_PRI 150
// States: MASTER, BACKUP, FAULT, STOP, DELETED (reload), and MASTER_RX_LOWER_PRI for an instance;
// MASTER_PRIORITY / BACKUP_PRIORITY with notify_priority_changes. Names are written as configured,
// between double quotes, without escaping (keepalived names have no quotes or blanks).
// The same four words are the last four arguments of a generic `notify` script.

export type NotifySubject = 'INSTANCE' | 'GROUP';
export type NotifyState = 'MASTER' | 'BACKUP' | 'FAULT' | 'STOP' | 'DELETED';
export type FifoEventName = NotifyState | 'MASTER_RX_LOWER_PRI' | 'MASTER_PRIORITY' | 'BACKUP_PRIORITY';

export interface NotifyEvent {
  readonly subject: NotifySubject;
  readonly name: string;
  readonly event: FifoEventName;
  readonly priority: number;
}

export function formatFifoLine(event: NotifyEvent): string {
  return `${event.subject} "${event.name}" ${event.event} ${event.priority}\n`;
}

/** The four arguments keepalived appends to a generic `notify` script: subject, name, state, priority. */
export function notifyArguments(event: NotifyEvent): [string, string, string, string] {
  return [event.subject, event.name, event.event, String(event.priority)];
}
