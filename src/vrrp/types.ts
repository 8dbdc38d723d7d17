// Plain data shared by the VRRP core (fsm.ts, timers.ts, priority.ts, sync-group.ts) and the shell
// that will drive it: one instance's configuration, its state, what it can be told (events) and
// what it asks the shell to do (effects). No classes, no functions, nothing that needs sockets.
// All times are milliseconds on one monotonic clock chosen by the shell (`now`).

export type VrrpVersion = 2 | 3;
export type AddressFamily = 'ipv4' | 'ipv6';
export type VrrpStateName = 'INIT' | 'BACKUP' | 'MASTER' | 'FAULT' | 'STOP';

/** Priority of the address owner (RFC 5798 §5.2.4): goes MASTER at once, ignores tracker weights. */
export const OWNER_PRIORITY = 255;
/** Priority a leaving master advertises (shutdown, FAULT): backups take over after Skew_Time. */
export const LEAVING_PRIORITY = 0;

/** Gratuitous ARP / unsolicited NA settings (keepalived's garp_* keywords, as milliseconds). */
export interface GarpConfig {
  /** garp_master_repeat: messages per VIP when becoming master (keepalived default 5). */
  readonly masterRepeat: number;
  /** garp_master_delay: second burst this long after becoming master; 0 = none (default 5 s). */
  readonly masterDelayMs: number;
  /** garp_master_refresh: periodic burst while master; 0 = off (default). */
  readonly masterRefreshMs: number;
  /** garp_master_refresh_repeat: messages per VIP per refresh (default 1). */
  readonly masterRefreshRepeat: number;
  /** garp_lower_prio_repeat: burst when a master hears a lower-priority advert; 0 = none. */
  readonly lowerPrioRepeat: number;
  /** garp_lower_prio_delay: second burst after a lower-priority advert; 0 = none. */
  readonly lowerPrioDelayMs: number;
}

export interface InstanceConfig {
  /** vrrp_instance name, for logs and notifies. */
  readonly name: string;
  readonly vrid: number;
  readonly version: VrrpVersion;
  readonly family: AddressFamily;
  /** `priority` (1..255) before trackers adjust it. */
  readonly basePriority: number;
  /** advert_int: v2 whole seconds, v3 multiples of 10 ms (the config layer validates). */
  readonly advertIntervalMs: number;
  /**
   * false for `nopreempt`. The config layer enforces keepalived's rule that nopreempt only works
   * with `state BACKUP`; the reducer takes the value as given.
   */
  readonly preempt: boolean;
  /** preempt_delay; 0 = none. */
  readonly preemptDelayMs: number;
  /**
   * The `state` keyword. Below priority 255 it changes nothing (keepalived always starts as BACKUP
   * and waits a full Master_Down_Interval); an owner with `state BACKUP` waits like any backup.
   */
  readonly initialState: 'MASTER' | 'BACKUP' | undefined;
  /** Our primary (source) address: the equal-priority tie break compares it with the sender's. */
  readonly primaryAddress: string;
  /** down_timer_adverts (1..100, RFC value 3): Master_Down_Interval = N × interval + skew. */
  readonly downTimerAdverts: number;
  /** lower_prio_no_advert: a master ignores lower-priority adverts (pre-RFC 9568 behaviour). */
  readonly lowerPrioNoAdvert: boolean;
  /** higher_prio_send_advert: a master sends one last advert before yielding to a higher one. */
  readonly higherPrioSendAdvert: boolean;
  readonly garp: GarpConfig;
}

/** The timers the reducer asks the shell to run, by name. One deadline per name at most. */
export type TimerName =
  | 'masterDown'
  | 'advert'
  | 'garpMasterDelay'
  | 'garpRefresh'
  | 'garpLowerPrioDelay';

/** Why a state changed: every transition has one (the simulator checks it against the event). */
export type TransitionReason =
  | 'startup'
  | 'ownerStartup'
  | 'masterDownTimerExpired'
  | 'higherPriorityAdvert'
  | 'fault'
  | 'faultCleared'
  | 'shutdown'
  | 'syncGroup'
  | 'virtualAddressRemoved';

export interface Transition {
  readonly from: VrrpStateName;
  readonly to: VrrpStateName;
  readonly reason: TransitionReason;
  /** Human detail for logs and status, e.g. "advert from 10.0.0.2 priority 150 > 100". */
  readonly detail: string;
  readonly at: number;
}

export interface InstanceState {
  /** Carried along so that `step(state, event, now)` needs nothing else; a reload swaps it. */
  readonly config: InstanceConfig;
  readonly state: VrrpStateName;
  /** Base priority adjusted by trackers (priority.ts); what we advertise and compare. */
  readonly effectivePriority: number;
  /** Master_Adver_Interval: ours, or (v3) the one the current master advertises. */
  readonly masterAdverIntervalMs: number;
  /** The master we last accepted an advert from (ourselves while MASTER). */
  readonly masterAddress: string | undefined;
  readonly masterPriority: number | undefined;
  /** Deadlines of armed timers; a name absent or undefined here is not armed. */
  readonly timers: Readonly<Partial<Record<TimerName, number>>>;
  /** While now < this, lower-priority adverts are still accepted (preempt_delay running). */
  readonly preemptDelayUntil: number | undefined;
  /** Active fault sources ("interface eth0 down", "chk_nginx failed", "sync group G"). */
  readonly faults: readonly string[];
  readonly lastTransition: Transition | undefined;
  readonly transitionCount: number;
}

/** An advert that passed the receive checks, as the packet layer hands it over. */
export interface ReceivedAdvert {
  readonly priority: number;
  /** Advertised interval: v2 seconds × 1000, v3 centiseconds × 10. */
  readonly advertIntervalMs: number;
  /** IP source address of the advert: the sender's primary address. */
  readonly sourceAddress: string;
}

export type VrrpEvent =
  | { readonly type: 'startup' }
  | { readonly type: 'shutdown' }
  | { readonly type: 'advertReceived'; readonly advert: ReceivedAdvert }
  | { readonly type: 'timerExpired'; readonly timer: TimerName }
  /** Effective priority recomputed from trackers (priority.ts); `reason` is for logs. */
  | { readonly type: 'priorityChanged'; readonly priority: number; readonly reason: string }
  | { readonly type: 'interfaceDown'; readonly interfaceName: string }
  | { readonly type: 'interfaceUp'; readonly interfaceName: string }
  /** A fault source (weight-0 tracker, lost address, unicast without peer, sync group) set or cleared. */
  | { readonly type: 'faultChanged'; readonly source: string; readonly faulted: boolean }
  /** A sync group moves this member with the others (sync-group.ts decides). */
  | { readonly type: 'syncGroupTransition'; readonly group: string; readonly to: 'MASTER' | 'BACKUP'; readonly cause: string }
  /** One of a MASTER's VIPs was deleted by someone else (rtnetlink). */
  | { readonly type: 'virtualAddressRemoved'; readonly address: string };

/** Why a burst of gratuitous ARPs / unsolicited NAs is sent. */
export type GratuitousReason = 'becameMaster' | 'masterDelay' | 'refresh' | 'lowerPriorityAdvert' | 'lowerPriorityDelay';

export type VrrpEffect =
  /** Send one advert now with this priority (0 = leaving); the shell knows addresses and interval. */
  | { readonly type: 'sendAdvert'; readonly priority: number }
  /** Add the VIPs, excluded VIPs, virtual routes and rules. */
  | { readonly type: 'addVips' }
  /** Remove them again. */
  | { readonly type: 'removeVips' }
  /** `count` gratuitous ARPs (IPv4) or unsolicited NAs (IPv6) per VIP. */
  | { readonly type: 'sendGratuitous'; readonly count: number; readonly reason: GratuitousReason }
  /** (Re)arm the named timer to fire at `at`; replaces any earlier deadline of that name. */
  | { readonly type: 'armTimer'; readonly timer: TimerName; readonly at: number }
  | { readonly type: 'cancelTimer'; readonly timer: TimerName }
  /** A state change: run notify scripts, log "from -> to", count it. */
  | { readonly type: 'notify'; readonly from: VrrpStateName; readonly to: VrrpStateName; readonly reason: TransitionReason; readonly detail: string; readonly priority: number }
  /** keepalived's notify_master_rx_lower_pri / MASTER_RX_LOWER_PRI fifo line. */
  | { readonly type: 'masterReceivedLowerPriority'; readonly priority: number; readonly sourceAddress: string }
  /** A decision worth a log line that is not a transition (preempt delay, interval adoption). */
  | { readonly type: 'log'; readonly message: string };

export interface StepResult {
  readonly state: InstanceState;
  readonly effects: readonly VrrpEffect[];
}
