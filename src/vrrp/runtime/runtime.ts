// The VRRP runtime: the imperative shell that runs every vrrp_instance of a config around the pure
// reducer. It owns the shared pieces (one rtnetlink request socket, link notifications, one
// AF_PACKET socket for gratuitous ARP/NA, one socket set per interface/family/mode), starts and
// stops instances (InstanceDriver), turns link changes into interfaceUp/Down, keeps sync-group
// members together, and exposes counters through stats().
//
//   const runtime = await VrrpRuntime.start({ instances: instanceDefinitions(config), logger });
//   runtime.updateTracker('VI_1', { name: 'chk_nginx', weight: -30, reverse: false, up: false });
//   runtime.stats();            // adverts, drops by reason, transitions, timer lateness, loop lag
//   await runtime.reload(instanceDefinitions(newConfig));
//   await runtime.stop();       // priority 0 from every MASTER, VIPs removed unless releaseOnStop false
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Logger } from '../../common/logger.js';
import { createMacvlan, deleteLink, getLink, listLinks, setLinkUp, type Link } from '../../netlink/route/link.js';
import { addAddress, deleteAddress, listAddresses, type Address } from '../../netlink/route/address.js';
import { RouteEvents } from '../../netlink/route/events.js';
import { openRouteSocket } from '../../netlink/route/index.js';
import type { NetlinkSocket } from '../../netlink/socket.js';
import type { Socket } from '../../sys/socket.js';
import { native } from '../../sys/native.js';
import { createInstanceState } from '../fsm.js';
import type { TrackerStatus } from '../priority.js';
import { openPacketSendSocket } from '../raw-sockets.js';
import { syncGroupActions } from '../sync-group.js';
import { TimerQueue, type PreciseSleeper } from '../timer-queue.js';
import { monotonicNowMs } from '../timer-set.js';
import { macFromText, virtualMac } from '../vmac.js';
import { LEAVING_PRIORITY, type InstanceConfig, type VrrpStateName } from '../types.js';
import { AdvertSender } from './advert-sender.js';
import type { RuntimeDropReason } from './drop-counter.js';
import { GratuitousSender } from './gratuitous.js';
import { InstanceDriver, type LowerPriorityListener, type PriorityListener, type TransitionListener } from './instance-driver.js';
import { OwnedAddresses } from './owned-addresses.js';
import { SocketSet, socketSetKey } from './socket-set.js';
import { linkLocalAddress, resolveSourceAddress, type SourceAddressQuery } from './source-address.js';
import { advertInterfaceName, type InstanceDefinition } from './spec.js';

export interface VrrpRuntimeOptions {
  readonly instances: readonly InstanceDefinition[];
  readonly logger: Logger;
  readonly onTransition?: TransitionListener;
  /** A MASTER heard a lower-priority advert (notify_master_rx_lower_pri, MASTER_RX_LOWER_PRI fifo lines). */
  readonly onMasterReceivedLowerPriority?: LowerPriorityListener;
  /** A reload is about to stop an instance the new config no longer has (its STOP follows). */
  readonly onInstanceRemoving?: (instanceName: string) => void;
  /** An instance's effective priority changed (notify_priority_changes). */
  readonly onPriorityChanged?: PriorityListener;
  /** A vrrp_sync_group as a whole changed state (all members MASTER, all BACKUP, any FAULT, all STOP). */
  readonly onGroupTransition?: (group: string, to: VrrpStateName) => void;
  /** Tracker states known before an instance starts (fed before `startup`, so a failed weight-0 tracker starts it in FAULT). */
  readonly initialTrackers?: (instanceName: string) => readonly TrackerStatus[];
  /** false for -V: VIPs, routes and rules stay when the daemon stops. */
  readonly releaseOnStop?: boolean;
  /** A timer firing later than this is logged and counted (default 20 ms). */
  readonly lateThresholdMs?: number;
  /**
   * global `log_unknown_vrids`: every advert for a VRID no instance here has is logged, as
   * keepalived 2.2.7 does (measured); without it they are only counted, and keepalived is silent.
   */
  readonly logUnknownVrids?: boolean;
}

export interface InstanceStats {
  readonly state: VrrpStateName;
  readonly vrid: number;
  readonly interfaceName: string;
  readonly basePriority: number;
  readonly effectivePriority: number;
  readonly masterAddress: string | undefined;
  readonly faults: readonly string[];
  readonly advertsSent: number;
  readonly advertsReceived: number;
  readonly sendFailures: number;
  readonly gratuitousSent: number;
  readonly kernelFailures: number;
  readonly transitions: number;
  /** Entries into MASTER, exits from it, priority-0 adverts heard and sent (keepalived's stats). */
  readonly becameMaster: number;
  readonly releasedMaster: number;
  readonly priorityZeroReceived: number;
  readonly priorityZeroSent: number;
  /** Take-overs whose advert the addon sent at the master-down deadline (instance-driver.ts), and VIP requests it sent behind them. */
  readonly takeOversAtDeadline: number;
  readonly vipRequestsAtDeadline: number;
  readonly lastTransition: { readonly from: string; readonly to: string; readonly reason: string; readonly detail: string; readonly at: number } | undefined;
  readonly drops: Partial<Record<RuntimeDropReason, number>>;
  readonly timerLateness: { readonly count: number; readonly late: number; readonly maxMs: number; readonly p99UpperBoundMs: number };
}

/**
 * Event-loop lag as the VRRP timers see it: how late the shared timer queue's wake-ups ran
 * (bucket upper bounds for the quantiles, the exact maximum).
 */
export interface LoopLagSnapshot {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

export interface RuntimeStats {
  readonly instances: Readonly<Record<string, InstanceStats>>;
  readonly sockets: Readonly<Record<string, { readonly received: number; readonly drops: Partial<Record<RuntimeDropReason, number>> }>>;
  readonly loopLag: LoopLagSnapshot;
}

const OWN_FAULT_NO_ADDRESS = 'no usable address on the interface';
const OWN_FAULT_NO_PEER = 'unicast_fault_no_peer without unicast peers';

/** The addon's nanosleep with minimal timer slack for the precise timers (measured: ends 0.03-0.08 ms late). */
const NANOSLEEPER: PreciseSleeper = { sleep: (ms) => native().sleepNs(ms * 1e6), overshootMs: 0.06 };

export class VrrpRuntime {
  readonly #drivers = new Map<string, InstanceDriver>();
  readonly #definitions = new Map<string, InstanceDefinition>();
  /** IPv6 VMAC link-local updates, one after the other. */
  #vmacLinkLocalSync: Promise<void> = Promise.resolve();
  readonly #socketSets = new Map<string, SocketSet>();
  readonly #links = new Map<string, Link>();
  /** Every address in the namespace, kept current by rtnetlink address events. */
  #addresses: Address[] = [];
  /** The address each instance advertises from (undefined: none, the instance is in FAULT). */
  readonly #sources = new Map<InstanceDriver, string | undefined>();
  /** Every instance's timers: one Node timer for the process, adverts of one batch leave together. */
  readonly #timerQueue: TimerQueue;
  /** VMAC interfaces this runtime created: removed again on stop (unless VIPs are kept, -V). */
  readonly #createdVmacs = new Set<string>();
  /** Base-interface sysctls changed for VMACs, with their earlier values. */
  readonly #sysctlsToRestore = new Map<string, string>();
  #syncing = false;
  readonly #groupStates = new Map<string, VrrpStateName>();
  #stopped = false;
  #logUnknownVrids: boolean;

  private constructor(
    private readonly options: VrrpRuntimeOptions,
    private readonly netlink: NetlinkSocket,
    private readonly events: RouteEvents,
    private readonly packetSocket: Socket,
  ) {
    this.#logUnknownVrids = options.logUnknownVrids ?? false;
    this.#timerQueue = new TimerQueue({
      lateThresholdMs: options.lateThresholdMs ?? 20,
      preciseSleeper: NANOSLEEPER,
      onLateWake: (latenessMs, timers) => options.logger.warn({ latenessMs, timers }, `VRRP timers ran ${latenessMs.toFixed(1)} ms late (${timers} in that wake-up): the event loop was held up`),
    });
    events.on('link', (event) => {
      if (event.action === 'delete') this.#links.delete(event.link.name);
      else this.#links.set(event.link.name, event.link);
      this.#applyLinkStates();
    });
    events.on('address', (event) => {
      const { address } = event;
      const same = (a: Address): boolean => a.index === address.index && a.family === address.family && a.address === address.address;
      this.#addresses = [...this.#addresses.filter((a) => !same(a)), ...(event.action === 'new' ? [address] : [])];
      if (event.action === 'delete') this.#noticeRemovedVip(address);
      this.#applyAddressChanges();
      if (address.family === 'inet6' && address.address.startsWith('fe80')) {
        this.#vmacLinkLocalSync = this.#vmacLinkLocalSync.then(() => this.#syncVmacLinkLocals());
      }
    });
    events.on('resync', () => void this.#resyncLinks());
    events.on('malformed', (failure) => options.logger.warn({ failure }, 'malformed rtnetlink notification dropped'));
  }

  /** Opens the shared sockets in the current network namespace and starts every instance. */
  static async start(options: VrrpRuntimeOptions): Promise<VrrpRuntime> {
    const netlink = openRouteSocket();
    const events = RouteEvents.open({ links: true, addresses: true });
    const packetSocket = openPacketSendSocket();
    const runtime = new VrrpRuntime(options, netlink, events, packetSocket);
    try {
      await runtime.#startInstances(options.instances);
    } catch (error) {
      await runtime.stop();
      throw error;
    }
    return runtime;
  }

  get logger(): Logger {
    return this.options.logger;
  }

  /** Names and current states, in config order. */
  instanceStates(): Record<string, VrrpStateName> {
    return Object.fromEntries([...this.#drivers].map(([name, driver]) => [name, driver.state.state]));
  }

  /** The trackers seam: feed a tracker's new status for an instance (unknown instances are ignored). */
  updateTracker(instanceName: string, status: TrackerStatus): void {
    this.#drivers.get(instanceName)?.updateTracker(status);
  }

  /** A reload rebuilt the trackers: the instance's whole new tracker set (unknown instances are ignored). */
  replaceTrackers(instanceName: string, statuses: readonly TrackerStatus[]): void {
    this.#drivers.get(instanceName)?.replaceTrackers(statuses);
  }

  stats(): RuntimeStats {
    const instances: Record<string, InstanceStats> = {};
    for (const [name, driver] of this.#drivers) {
      const s = driver.state;
      const lateness = driver.timers.lateness;
      instances[name] = {
        state: s.state,
        vrid: driver.vrid,
        interfaceName: driver.spec.interfaceName,
        basePriority: s.config.basePriority,
        effectivePriority: s.effectivePriority,
        masterAddress: s.masterAddress,
        faults: s.faults,
        advertsSent: driver.advertsSent,
        advertsReceived: driver.received,
        sendFailures: driver.sendFailures,
        gratuitousSent: driver.gratuitousSent,
        kernelFailures: driver.kernelFailures,
        transitions: s.transitionCount,
        becameMaster: driver.masterCounters.became,
        releasedMaster: driver.masterCounters.released,
        priorityZeroReceived: driver.masterCounters.priorityZeroReceived,
        priorityZeroSent: driver.masterCounters.priorityZeroSent,
        takeOversAtDeadline: driver.atDeadline.takeOvers,
        vipRequestsAtDeadline: driver.atDeadline.vipRequests,
        lastTransition: s.lastTransition && { from: s.lastTransition.from, to: s.lastTransition.to, reason: s.lastTransition.reason, detail: s.lastTransition.detail, at: s.lastTransition.at },
        drops: { ...driver.drops.counts },
        timerLateness: { count: lateness.count, late: driver.timers.lateCount, maxMs: lateness.maxMs, p99UpperBoundMs: lateness.quantileUpperBoundMs(0.99) },
      };
    }
    const sockets: Record<string, { received: number; drops: Partial<Record<RuntimeDropReason, number>> }> = {};
    for (const [key, set] of this.#socketSets) sockets[key] = { received: set.received, drops: { ...set.drops.counts } };
    const lag = this.#timerQueue.wakeLateness;
    return { instances, sockets, loopLag: { p50Ms: lag.quantileUpperBoundMs(0.5), p99Ms: lag.quantileUpperBoundMs(0.99), maxMs: lag.maxMs } };
  }

  /**
   * Applies a new set of instances: those whose definition is unchanged keep running untouched;
   * changed ones are stopped (priority 0, VIPs removed) and started afresh; removed ones stop.
   */
  /** global `log_unknown_vrids` as a reloaded config has it. */
  setLogUnknownVrids(enabled: boolean): void {
    this.#logUnknownVrids = enabled;
    for (const sockets of this.#socketSets.values()) sockets.logUnknownVrids = enabled;
  }

  async reload(definitions: readonly InstanceDefinition[]): Promise<{ kept: string[]; restarted: string[]; stopped: string[]; started: string[] }> {
    const wanted = new Map(definitions.map((d) => [d.config.name, d]));
    const kept: string[] = [];
    const restarted: string[] = [];
    const stopped: string[] = [];
    const started: string[] = [];
    const toStop: InstanceDriver[] = [];
    for (const [name, driver] of this.#drivers) {
      const next = wanted.get(name);
      if (next === undefined) stopped.push(name);
      else if (JSON.stringify(next) === JSON.stringify(this.#definitions.get(name))) {
        kept.push(name);
        continue;
      } else restarted.push(name);
      toStop.push(driver);
    }
    for (const name of stopped) this.options.onInstanceRemoving?.(name);
    await this.#stopInstances(toStop, true);
    const toStart = definitions.filter((d) => !kept.includes(d.config.name));
    for (const d of toStart) if (!restarted.includes(d.config.name)) started.push(d.config.name);
    await this.#startInstances(toStart);
    return { kept, restarted, stopped, started };
  }

  /** Stops every instance (priority 0 from masters, VIPs removed unless releaseOnStop is false) and closes the sockets. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await this.#stopInstances([...this.#drivers.values()], this.options.releaseOnStop ?? true);
    for (const set of this.#socketSets.values()) set.close();
    this.#socketSets.clear();
    if (this.options.releaseOnStop ?? true) {
      for (const name of this.#createdVmacs) {
        await deleteLink(this.netlink, name).catch((error: Error) => this.options.logger.warn(`cannot remove VMAC ${name}: ${error.message}`));
      }
      for (const [path, value] of this.#sysctlsToRestore) this.#setSysctl(path, value, false);
    }
    this.events.close();
    this.netlink.close();
    this.packetSocket.close();
    this.#timerQueue.clear();
  }

  // ---- starting and stopping instances ---------------------------------------------------------

  async #startInstances(definitions: readonly InstanceDefinition[]): Promise<void> {
    if (definitions.length === 0) return;
    const { logger } = this.options;
    for (const definition of definitions) {
      if (definition.spec.vmac) await this.#ensureVmac(definition);
    }
    await this.#refreshLinks();
    const addresses = await listAddresses(this.netlink);
    this.#addresses = addresses;
    await this.#removeStaleAddresses(definitions, addresses);
    const created: InstanceDriver[] = [];
    for (const definition of definitions) {
      const driver = this.#createDriver(definition, addresses);
      this.#drivers.set(driver.name, driver);
      this.#definitions.set(driver.name, definition);
      created.push(driver);
      logger.info(`${driver.prefix}Initialising: VRID ${driver.vrid} on ${definition.spec.interfaceName}, priority ${definition.config.basePriority}, ` +
        `${definition.spec.unicastPeers.length > 0 ? `unicast to ${definition.spec.unicastPeers.join(', ')}` : 'multicast'}`);
    }
    this.#applyLinkStates(created);
    for (const driver of created) {
      for (const status of this.options.initialTrackers?.(driver.name) ?? []) driver.updateTracker(status);
    }
    // One `now` for the whole batch: same-priority instances get identical master-down deadlines,
    // become MASTER in one wake-up and from then on send their adverts in one wake-up too.
    const now = monotonicNowMs();
    for (const driver of created) driver.feed({ type: 'startup' }, now);
    for (const driver of created) driver.rehearseTakeOver();
  }

  async #stopInstances(drivers: readonly InstanceDriver[], release: boolean): Promise<void> {
    // Every priority-0 advert first (the backups' Skew_Time starts when they hear it), then the
    // VIP removals, log lines and notify listeners of each instance.
    const rests = drivers.map((driver) => {
      driver.releaseOnStop = release;
      return driver.beginShutdown();
    });
    for (const rest of rests) rest();
    await Promise.all(drivers.map((driver) => driver.settled()));
    for (const driver of drivers) {
      this.#drivers.delete(driver.name);
      this.#sources.delete(driver);
      this.#definitions.delete(driver.name);
      for (const [key, set] of this.#socketSets) {
        set.remove(driver);
        if (set.size === 0) {
          set.close();
          this.#socketSets.delete(key);
        }
      }
    }
  }

  #createDriver(definition: InstanceDefinition, addresses: readonly Address[]): InstanceDriver {
    const { spec } = definition;
    const { logger } = this.options;
    const family = definition.config.family;
    const link = this.#links.get(spec.interfaceName);
    const query = this.#sourceQuery(definition);
    const linkLocal = linkLocalAddress(query, addresses);
    const resolvedSource = resolveSourceAddress(query, addresses);
    const config: InstanceConfig = { ...definition.config, primaryAddress: resolvedSource ?? (family === 'ipv4' ? '0.0.0.0' : '::') };
    const mode = spec.unicastPeers.length > 0 ? 'unicast' : 'multicast';
    const authentication = spec.ahAuthentication ? 'ah' : undefined;
    const advertInterface = advertInterfaceName(spec);
    const key = socketSetKey(advertInterface, family, mode, authentication);
    let sockets = this.#socketSets.get(key);
    if (!sockets) {
      const otherMode = socketSetKey(advertInterface, family, mode === 'unicast' ? 'multicast' : 'unicast', authentication);
      sockets = new SocketSet(advertInterface, family, mode, spec.multicastGroup, logger, () => this.#socketSets.has(otherMode), authentication);
      sockets.logUnknownVrids = this.#logUnknownVrids;
      this.#socketSets.set(key, sockets);
    }
    const vips = spec.virtualAddresses.map((a) => a.address);
    const sender = new AdvertSender({
      config,
      addresses: vips,
      source: config.primaryAddress,
      destinations: mode === 'unicast' ? spec.unicastPeers : [spec.multicastGroup],
      ...(spec.password === undefined ? {} : { password: spec.password }),
      ...(spec.ahAuthentication ? { ahAuthentication: true } : {}),
      v3ChecksumAsV2: spec.v3ChecksumAsV2,
      sockets,
    });
    sender.prepare([config.basePriority, LEAVING_PRIORITY]);
    const gratuitous = this.#gratuitousSender(definition, link, linkLocal);
    const prefix = `(${config.name}) `;
    const owned = new OwnedAddresses(this.netlink, {
      addresses: [...spec.virtualAddresses, ...spec.excludedAddresses],
      routes: spec.virtualRoutes,
      rules: spec.virtualRules,
    }, logger, prefix, (name) => this.#links.get(name)?.index);
    const driver = new InstanceDriver({
      state: createInstanceState(config),
      spec,
      expectation: {
        version: config.version,
        addresses: vips,
        ...(config.version === 2 ? { authType: spec.ahAuthentication ? 'ah' : spec.password === undefined ? 'none' : 'pass', advertIntervalSeconds: Math.round(config.advertIntervalMs / 1000) } : {}),
        ...(spec.password === undefined ? {} : { password: spec.password }),
      },
      sender,
      owned,
      gratuitous,
      logger,
      lateThresholdMs: this.options.lateThresholdMs ?? 20,
      timerQueue: this.#timerQueue,
      syncGroup: definition.syncGroup,
      onStepped: (d) => this.#followSyncGroup(d),
      onTransition: this.options.onTransition,
      onMasterReceivedLowerPriority: this.options.onMasterReceivedLowerPriority,
      onPriorityChanged: this.options.onPriorityChanged,
      readPendingAdverts: () => sockets.drainPending(),
      pendingAdvertFd: () => sockets.receiveFd,
    });
    sockets.add(driver);
    this.#sources.set(driver, resolvedSource);
    if (resolvedSource === undefined) {
      logger.error(`${prefix}no ${family === 'ipv4' ? 'IPv4' : 'IPv6 link-local'} address on ${spec.baseInterfaceName ?? spec.interfaceName}: entering FAULT`);
      driver.feed({ type: 'faultChanged', source: OWN_FAULT_NO_ADDRESS, faulted: true });
    }
    if (spec.faultWithoutPeers) {
      // keepalived 2.2.7: "Cannot use unicast without any peers - going to fault state", for good.
      logger.error(`${prefix}Cannot use unicast without any peers - going to fault state`);
      driver.feed({ type: 'faultChanged', source: OWN_FAULT_NO_PEER, faulted: true });
    }
    return driver;
  }

  #sourceQuery(definition: InstanceDefinition): SourceAddressQuery {
    const { spec, config } = definition;
    return {
      family: config.family,
      ...(spec.sourceAddress === undefined ? {} : { configured: spec.sourceAddress }),
      interfaceIndex: this.#links.get(advertInterfaceName(spec))?.index,
      baseInterfaceIndex: spec.baseInterfaceName === undefined ? undefined : this.#links.get(spec.baseInterfaceName)?.index,
      virtualAddresses: new Set(spec.virtualAddresses.map((a) => a.address)),
    };
  }

  /** GARP/NA for the VIPs leave from the interface that holds them (the VMAC even with vmac_xmit_base). */
  #gratuitousSender(definition: InstanceDefinition, link: Link | undefined, linkLocal: string | undefined): GratuitousSender | undefined {
    const mac = link?.mac === undefined ? undefined : macFromText(link.mac);
    if (link === undefined || mac === undefined) return undefined;
    return new GratuitousSender({
      socket: this.packetSocket,
      ifindex: link.index,
      family: definition.config.family,
      senderMac: mac,
      ...(linkLocal === undefined ? {} : { linkLocal }),
      addresses: definition.spec.virtualAddresses.map((a) => a.address),
    });
  }

  /**
   * An address came or went: instances whose source address changes follow it. Losing the last
   * usable address is a FAULT (priority 0 first when MASTER); getting one back leaves FAULT for
   * BACKUP; losing the one in use while another remains switches to that one (as keepalived).
   */
  #applyAddressChanges(): void {
    for (const [name, driver] of this.#drivers) {
      const definition = this.#definitions.get(name);
      if (definition === undefined || definition.spec.sourceAddress !== undefined) continue;
      const query = this.#sourceQuery(definition);
      const next = resolveSourceAddress(query, this.#addresses);
      const previous = this.#sources.get(driver);
      if (next === previous) continue;
      this.#sources.set(driver, next);
      const where = definition.spec.baseInterfaceName ?? definition.spec.interfaceName;
      if (next === undefined) {
        this.options.logger.error(`${driver.prefix}no ${query.family === 'ipv4' ? 'IPv4' : 'IPv6 link-local'} address left on ${where}: entering FAULT`);
        driver.feed({ type: 'faultChanged', source: OWN_FAULT_NO_ADDRESS, faulted: true });
        continue;
      }
      this.options.logger.info(`${driver.prefix}advertising from ${next} on ${where}${previous === undefined ? '' : ` (was ${previous})`}`);
      const link = this.#links.get(definition.spec.interfaceName);
      const gratuitous = query.family === 'ipv6' ? this.#gratuitousSender(definition, link, linkLocalAddress(query, this.#addresses)) : undefined;
      driver.changeSource(next, gratuitous ?? driver.gratuitous);
      if (previous === undefined) driver.feed({ type: 'faultChanged', source: OWN_FAULT_NO_ADDRESS, faulted: false });
    }
  }

  /** A VIP deleted under a MASTER that was not changing its own addresses: someone else removed it. */
  #noticeRemovedVip(address: Address): void {
    for (const driver of this.#drivers.values()) {
      if (driver.state.state !== 'MASTER' || driver.changingKernel) continue;
      const vip = driver.spec.virtualAddresses.find((v) => v.address === address.address && this.#links.get(v.link)?.index === address.index);
      if (vip === undefined) continue;
      this.options.logger.warn(`${driver.prefix}VIP ${vip.address} was removed from ${vip.link} by someone else`);
      driver.feed({ type: 'virtualAddressRemoved', address: vip.address });
    }
  }

  /** VIPs this config would own, present while we are not MASTER: leftovers of a crashed run. */
  async #removeStaleAddresses(definitions: readonly InstanceDefinition[], addresses: readonly Address[]): Promise<void> {
    for (const definition of definitions) {
      for (const vip of [...definition.spec.virtualAddresses, ...definition.spec.excludedAddresses]) {
        const link = this.#links.get(vip.link);
        if (!link || !addresses.some((a) => a.index === link.index && a.address === vip.address)) continue;
        this.options.logger.warn(`(${definition.config.name}) removing stale VIP ${vip.address} from ${vip.link} (left by an earlier run)`);
        try {
          await deleteAddress(this.netlink, vip);
        } catch (error) {
          this.options.logger.error({ err: error }, `(${definition.config.name}) could not remove stale VIP ${vip.address}: ${(error as Error).message}`);
        }
      }
    }
  }

  /** use_vmac: a private-mode macvlan with the RFC virtual MAC on the base interface, created if missing. */
  async #ensureVmac(definition: InstanceDefinition): Promise<void> {
    const { spec, config } = definition;
    const name = spec.vmac!.name;
    try {
      await getLink(this.netlink, name);
    } catch {
      await createMacvlan(this.netlink, {
        name,
        parent: spec.baseInterfaceName ?? spec.interfaceName,
        mode: 'private',
        mac: [...virtualMac(config.vrid, config.family)].map((b) => b.toString(16).padStart(2, '0')).join(':'),
      });
      this.#createdVmacs.add(name);
      this.options.logger.info(`(${config.name}) created VMAC interface ${name}`);
    }
    if (config.family === 'ipv4') {
      // Only the VMAC may answer ARP for its VIPs, with the virtual MAC: the base interface must
      // not answer for addresses it does not carry (its own values are put back on stop).
      const base = spec.baseInterfaceName ?? spec.interfaceName;
      for (const link of [name, base]) this.#setSysctl(`/proc/sys/net/ipv4/conf/${link}/arp_ignore`, '1', link === base);
      // Nor may its ARP requests name a VIP as their sender (neighbours would learn the base MAC for it).
      this.#setSysctl(`/proc/sys/net/ipv4/conf/${base}/arp_announce`, '2', true);
    }
    // As keepalived 2.2.7 (measured): no link-local of the VMAC's own. It would derive from the
    // virtual MAC, hence be the same on every director (IPv6 adverts from it could not tell routers
    // apart), and its MLD reports and router solicitations would teach switches the virtual MAC on
    // a BACKUP's port. An IPv4 VMAC has no IPv6 address at all; an IPv6 VMAC carries the base
    // interface's link-local (the adverts' source) and sends no router solicitations.
    if (existsSync(`/proc/sys/net/ipv6/conf/${name}`)) this.#setSysctl(`/proc/sys/net/ipv6/conf/${name}/addr_gen_mode`, '1', false);
    if (config.family === 'ipv6') this.#setSysctl(`/proc/sys/net/ipv6/conf/${name}/router_solicitations`, '0', false);
    await setLinkUp(this.netlink, name);
    if (config.family === 'ipv6') await this.#copyBaseLinkLocal(name, spec.baseInterfaceName ?? spec.interfaceName);
  }

  /**
   * Keeps every IPv6 VMAC's link-local equal to its base interface's when that one changes (as
   * keepalived 2.2.7, measured): the new one is added before the old one goes, so the adverts move
   * to it without a FAULT; a base without a link-local leaves the VMAC none either (FAULT).
   */
  async #syncVmacLinkLocals(): Promise<void> {
    if (this.#stopped) return;
    const linkLocalsOn = (index: number): Address[] =>
      this.#addresses.filter((a) => a.index === index && a.family === 'inet6' && a.address.startsWith('fe80'));
    for (const { spec, config } of this.#definitions.values()) {
      if (spec.vmac === undefined || config.family !== 'ipv6') continue;
      const vmac = this.#links.get(spec.vmac.name);
      const base = this.#links.get(spec.baseInterfaceName ?? spec.interfaceName);
      if (vmac === undefined || base === undefined) continue;
      const wanted = linkLocalsOn(base.index)[0];
      const present = linkLocalsOn(vmac.index);
      try {
        if (wanted !== undefined && !present.some((a) => a.address === wanted.address)) {
          await addAddress(this.netlink, { link: vmac.name, address: wanted.address, prefixLength: wanted.prefixLength, scope: 'link', nodad: true }, { replace: true });
        }
        for (const stale of present.filter((a) => a.address !== wanted?.address)) {
          await deleteAddress(this.netlink, { link: vmac.name, address: stale.address, prefixLength: stale.prefixLength });
        }
      } catch (error) {
        this.options.logger.warn(`VMAC ${vmac.name}: cannot follow the link-local of ${base.name}: ${(error as Error).message}`);
      }
    }
  }

  /** Puts the base interface's link-local on the VMAC `name` (no DAD: it is the base's own). */
  async #copyBaseLinkLocal(name: string, base: string): Promise<void> {
    try {
      const baseIndex = (await getLink(this.netlink, base)).index;
      const linkLocal = (await listAddresses(this.netlink, { family: 'inet6', index: baseIndex })).find((a) => a.address.startsWith('fe80'));
      if (linkLocal === undefined) {
        this.options.logger.warn(`VMAC ${name}: ${base} has no IPv6 link-local to advertise from`);
        return;
      }
      await addAddress(this.netlink, { link: name, address: linkLocal.address, prefixLength: linkLocal.prefixLength, scope: 'link', nodad: true }, { replace: true });
    } catch (error) {
      this.options.logger.warn(`VMAC ${name}: cannot copy the link-local of ${base}: ${(error as Error).message}`);
    }
  }

  /** Writes a /proc/sys value (sync: the main thread is the one in our namespace); `restore` keeps the old value for stop. */
  #setSysctl(path: string, value: string, restore: boolean): void {
    try {
      const previous = readFileSync(path, 'utf8').trim();
      if (previous === value) return;
      writeFileSync(path, value);
      if (restore && !this.#sysctlsToRestore.has(path)) this.#sysctlsToRestore.set(path, previous);
    } catch (error) {
      this.options.logger.warn(`cannot set ${path} to ${value}: ${(error as Error).message}`);
    }
  }

  // ---- links ------------------------------------------------------------------------------------

  async #refreshLinks(): Promise<void> {
    const links = await listLinks(this.netlink);
    this.#links.clear();
    for (const link of links) this.#links.set(link.name, link);
  }

  async #resyncLinks(): Promise<void> {
    this.options.logger.warn('rtnetlink notifications were lost: re-reading links and addresses');
    try {
      await this.#refreshLinks();
      this.#addresses = await listAddresses(this.netlink);
      this.#applyLinkStates();
      this.#applyAddressChanges();
    } catch (error) {
      this.options.logger.error({ err: error }, `link resync failed: ${(error as Error).message}`);
    }
  }

  /** Feeds interfaceUp/Down to instances whose watched interface changed (all of `drivers` on first sight). */
  #applyLinkStates(drivers: Iterable<InstanceDriver> = this.#drivers.values()): void {
    for (const driver of drivers) {
      // dont_track_primary (measured on 2.2.7): a MASTER stays MASTER on link down, failing to send.
      if (driver.spec.ignorePrimaryLink) continue;
      const watched = [driver.spec.baseInterfaceName, driver.spec.interfaceName].filter((n): n is string => n !== undefined);
      for (const name of new Set(watched)) {
        const link = this.#links.get(name);
        const up = link !== undefined && link.up && link.lowerUp;
        const key = `link:${name}`;
        const known = driver.linkStates.get(key);
        if (known === up) continue;
        driver.linkStates.set(key, up);
        if (known === undefined && up) continue; // first sight of a working link: nothing to tell
        this.options.logger.info(`${driver.prefix}interface ${name} ${up ? 'is up' : 'is down'}`);
        driver.feed(up ? { type: 'interfaceUp', interfaceName: name } : { type: 'interfaceDown', interfaceName: name });
      }
    }
  }

  // ---- sync groups ------------------------------------------------------------------------------

  #followSyncGroup(driver: InstanceDriver): void {
    const group = driver.syncGroup;
    if (group === undefined || this.#syncing) return;
    this.#syncing = true;
    try {
      for (let round = 0; round < 4; round++) {
        const members = [...this.#drivers.values()].filter((d) => d.syncGroup === group).map((d) => ({ name: d.name, state: d.state }));
        const actions = syncGroupActions(group, members);
        if (actions.length === 0) break;
        for (const action of actions) this.#drivers.get(action.member)?.feed(action.event);
      }
    } finally {
      this.#syncing = false;
    }
    this.#reportGroupState(group);
  }

  /** Each sync group's state as last reported (groups whose members never agreed are absent). */
  groupStates(): ReadonlyMap<string, VrrpStateName> {
    return this.#groupStates;
  }

  #reportGroupState(group: string): void {
    const states = [...this.#drivers.values()].filter((d) => d.syncGroup === group).map((d) => d.state.state);
    const state: VrrpStateName | undefined = states.includes('FAULT') ? 'FAULT'
      : states.length > 0 && states.every((s) => s === states[0]) ? states[0] : undefined;
    if (state === undefined || state === 'INIT' || this.#groupStates.get(group) === state) return;
    this.#groupStates.set(group, state);
    this.options.logger.info(`VRRP_Group(${group}) Syncing instances to ${state} state`);
    try {
      this.options.onGroupTransition?.(group, state);
    } catch (error) {
      this.options.logger.error({ err: error }, `VRRP_Group(${group}) listener failed: ${(error as Error).message}`);
    }
  }
}
