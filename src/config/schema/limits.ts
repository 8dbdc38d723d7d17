// Numeric ceilings keepalived applies to timers, shared by several tables.

/** UINT_MAX microseconds: keepalived's ceiling for most timers. */
export const MAX_TIMER = 4294.967295;
/** delay_loop, warmup and delay_before_retry are 64-bit microsecond counts in keepalived. */
export const MAX_LONG_TIMER = 18446744073709.551614;
