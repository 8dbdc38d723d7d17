// A master's priority-0 adverts, sent by the addon from inside the SIGTERM/SIGINT handler
// (native/farewell.c) instead of after Node has delivered the signal and the stop path has run:
// the backups' Skew_Time take-over starts from that advert, so every fraction of a millisecond
// between `kill -TERM` and the wire is failover time (bench/vrrp-failover.mjs, "TERM on wire").
// Here: the slots (256, one per instance and destination) and the rules JS keeps with them.
// Without the addon's handler (slots used up, unit tests), the stop path sends them as before.
import { native } from '../../sys/native.js';

const SLOTS = 256;
const free: number[] = Array.from({ length: SLOTS }, (_, i) => SLOTS - 1 - i);

/** Whether a farewell has left: the process is stopping, and an ordinary advert now would undo it. */
export function farewellFired(): boolean {
  return native().farewellState();
}

/** One destination's farewell: armed while its instance is MASTER. */
export class Farewell {
  #slot: number | undefined;
  #armed: Uint8Array | undefined;

  /**
   * Arms `packet` (copied by the addon) unless this very buffer is armed already: callers pass
   * their cached packet, which is a new buffer whenever its bytes change.
   */
  arm(fd: number, packet: Uint8Array, sockaddr: Uint8Array | null): void {
    if (this.#armed === packet) return;
    this.#slot ??= free.pop();
    if (this.#slot === undefined) return;
    try {
      native().armFarewell(this.#slot, fd, packet, sockaddr);
      this.#armed = packet;
    } catch {
      this.#armed = undefined;
    }
  }

  /** Whether the signal handler sent it (the stop path then does not send it again). */
  get sent(): boolean {
    return this.#slot !== undefined && this.#armed !== undefined && native().farewellState(this.#slot);
  }

  /** Left MASTER (or stopped): nothing to send any more; the slot goes back to the pool. */
  disarm(): void {
    if (this.#slot === undefined) return;
    native().disarmFarewell(this.#slot);
    free.push(this.#slot);
    this.#slot = undefined;
    this.#armed = undefined;
  }
}
