/*
 * sleepNs(ns): blocks the calling (main) thread for that long, to within microseconds. A backup's
 * take-over timer sleeps out its last milliseconds here: Atomics.wait overshoots by 0.15-0.4 ms
 * (its futex timeout carries the thread's 50 us timer slack and V8's own wake-up), and the clock
 * was then watched in a JS loop for that long (seen: up to 0.3 ms between the deadline and the
 * timer's callback after it). Measured here: ends 0.03-0.08 ms late.
 * The timer slack is set to its minimum for the sleep only, then restored.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <node_api.h>
#include <sys/prctl.h>
#include <time.h>

#include "precise-sleep.h"

napi_value js_sleep_ns(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  double ns;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 ||
      napi_get_value_double(env, argv[0], &ns) != napi_ok || !(ns >= 0) || ns > 1e9) {
    napi_throw_range_error(env, NULL, "sleepNs(ns): 0 to 1e9 nanoseconds");
    return NULL;
  }
  int previous_slack = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
  prctl(PR_SET_TIMERSLACK, 1, 0, 0, 0);
  struct timespec remaining = {.tv_sec = (time_t)(ns / 1e9), .tv_nsec = (long)(ns - (double)(time_t)(ns / 1e9) * 1e9)};
  while (nanosleep(&remaining, &remaining) < 0 && errno == EINTR) {
  }
  if (previous_slack > 0) prctl(PR_SET_TIMERSLACK, (unsigned long)previous_slack, 0, 0, 0);
  return NULL;
}
