/*
 * sendAtDeadline(delayNs, peekFd, sends, results?): blocks the calling (main) thread until `delayNs`
 * from now, then sends prepared packets with sendto(), in order, unless a datagram is waiting on
 * `peekFd`. Returns how many left (results[i] = 1 for each), or -1 when one was waiting.
 *
 * Why in C: a backup's take-over advert is due when its master-down timer expires, and what runs
 * in JS between that moment and the send was measured at 0.3-0.9 ms on this 2-vCPU VM after a
 * master had been quiet a while (the code of the take-over path, idle since the last failover, is
 * slow to run the first time again: each cold function call cost 0.05-0.25 ms), against
 * keepalived's 0.16-0.3 ms from its timer to the wire. Here, after the deadline, only syscalls run.
 *
 * The wait sleeps (clock_nanosleep, absolute, with minimal timer slack) until SPIN_NS before the
 * deadline and watches the clock for the rest: a sleep on this VM ends 0.1-0.3 ms late when the
 * vCPU went idle. The spin costs that much CPU once per take-over, which is rare.
 * A datagram waiting on peekFd may be an advert from a master the deadline is wrong about: then
 * nothing is sent (returns -1) and JS reads it first, as it always did.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <node_api.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>

#include "deadline-send.h"

#define MAX_DEADLINE_SENDS 256
#define SPIN_NS 400000

struct prepared_send {
  int fd;
  void *bytes;
  size_t length;
  const struct sockaddr *address;
  socklen_t address_length;
};

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ volatile("yield");
#endif
}

static int64_t monotonic_ns(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

static void sleep_until_ns(int64_t deadline) {
  int previous_slack = prctl(PR_GET_TIMERSLACK, 0, 0, 0, 0);
  prctl(PR_SET_TIMERSLACK, 1, 0, 0, 0);
  struct timespec until = {.tv_sec = (time_t)(deadline / 1000000000), .tv_nsec = (long)(deadline % 1000000000)};
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) == EINTR) {
  }
  if (previous_slack > 0) prctl(PR_SET_TIMERSLACK, (unsigned long)previous_slack, 0, 0, 0);
}

static int uint8_array(napi_env env, napi_value value, void **data, size_t *length) {
  bool is_typed = false;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed) return 0;
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;
  return napi_get_typedarray_info(env, value, &type, length, data, &buffer, &offset) == napi_ok && type == napi_uint8_array;
}

/* One [fd, packet, sockaddr | null] entry of `sends`. */
static int prepared_entry(napi_env env, napi_value entry, struct prepared_send *out) {
  napi_value fd_value, packet_value, address_value;
  napi_valuetype address_type;
  int32_t fd;
  void *address = NULL;
  size_t address_length = 0;
  if (napi_get_element(env, entry, 0, &fd_value) != napi_ok || napi_get_element(env, entry, 1, &packet_value) != napi_ok ||
      napi_get_element(env, entry, 2, &address_value) != napi_ok || napi_get_value_int32(env, fd_value, &fd) != napi_ok || fd < 0 ||
      !uint8_array(env, packet_value, &out->bytes, &out->length) || out->length == 0 ||
      napi_typeof(env, address_value, &address_type) != napi_ok) {
    return 0;
  }
  if (address_type != napi_null && address_type != napi_undefined &&
      (!uint8_array(env, address_value, &address, &address_length) || address_length > sizeof(struct sockaddr_storage))) {
    return 0;
  }
  out->fd = fd;
  out->address = address_length > 0 ? (const struct sockaddr *)address : NULL;
  out->address_length = (socklen_t)address_length;
  return 1;
}

napi_value js_send_at_deadline(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4], out;
  double delay_ns;
  int32_t peek_fd;
  uint32_t count = 0;
  bool is_array = false;
  static const char *usage =
      "sendAtDeadline(delayNs 0..1e9, peekFd | -1, [[fd, packet, sockaddr | null], ...] up to 256, results?: Uint8Array as long)";
  unsigned char *results = NULL;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 3 ||
      napi_get_value_double(env, argv[0], &delay_ns) != napi_ok || !(delay_ns >= 0) || delay_ns > 1e9 ||
      napi_get_value_int32(env, argv[1], &peek_fd) != napi_ok || napi_is_array(env, argv[2], &is_array) != napi_ok || !is_array ||
      napi_get_array_length(env, argv[2], &count) != napi_ok || count > MAX_DEADLINE_SENDS) {
    napi_throw_type_error(env, NULL, usage);
    return NULL;
  }
  if (argc >= 4) {
    napi_valuetype results_type;
    void *data;
    size_t length;
    if (napi_typeof(env, argv[3], &results_type) != napi_ok) return NULL;
    if (results_type != napi_undefined) {
      if (!uint8_array(env, argv[3], &data, &length) || length < count) {
        napi_throw_type_error(env, NULL, usage);
        return NULL;
      }
      results = data;
      memset(results, 0, count);
    }
  }
  /* Everything JS hands over is read before the wait: after the deadline only syscalls run. */
  int64_t deadline = monotonic_ns() + (int64_t)delay_ns;
  struct prepared_send sends[MAX_DEADLINE_SENDS];
  for (uint32_t i = 0; i < count; i++) {
    napi_value entry;
    if (napi_get_element(env, argv[2], i, &entry) != napi_ok || !prepared_entry(env, entry, &sends[i])) {
      napi_throw_type_error(env, NULL, usage);
      return NULL;
    }
  }
  if (deadline - monotonic_ns() > SPIN_NS) sleep_until_ns(deadline - SPIN_NS);
  while (monotonic_ns() < deadline) cpu_relax();
  int32_t sent = 0;
  char peeked;
  if (peek_fd >= 0 && recv(peek_fd, &peeked, 1, MSG_PEEK | MSG_DONTWAIT) >= 0) {
    sent = -1;
  } else {
    for (uint32_t i = 0; i < count; i++) {
      if (sendto(sends[i].fd, sends[i].bytes, sends[i].length, MSG_DONTWAIT, sends[i].address, sends[i].address_length) < 0) continue;
      sent++;
      if (results != NULL) results[i] = 1;
    }
  }
  napi_create_int32(env, sent, &out);
  return out;
}
