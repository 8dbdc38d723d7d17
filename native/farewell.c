/*
 * Farewell packets: a VRRP master's priority-0 adverts, built in advance and sent from inside the
 * SIGTERM/SIGINT handler (signal-forward.c), the moment the signal arrives. Through Node the same
 * advert waits for libuv's pipe, the loop's wake-up and the JS stop path (~0.6 ms on a quiet host,
 * more on a busy one, measured TERM-to-wire); the backups' take-over waits for that advert.
 *
 * Each slot holds one packet for one destination: the fd, the bytes and the socket address,
 * copied here. A slot is written only while disarmed (armed = 0), so the handler sees either a
 * complete packet or none. sendto() is async-signal-safe. A sent slot is disarmed (a second TERM
 * sends nothing) and its `sent` flag stays up for JS, which then skips its own priority-0 send.
 *
 * The supervisor can send them even earlier: its own handler runs first (the operator signals it,
 * it forwards to the VRRP child), and waking the child then costs ~0.3 ms on a 2-vCPU VM (measured
 * TERM-to-wire: 0.43-0.48 ms, keepalived 0.17-0.26). So the child publishes its table's address
 * (farewellTable) and the supervisor watches it (watchFarewells): on TERM/INT the supervisor's
 * handler reads the armed slots with process_vm_readv, takes the socket with pidfd_getfd, sends the
 * packet, marks the slot `by_parent` with process_vm_writev, and only then forwards the signal;
 * the child's handler counts a slot so marked as sent. Each slot carries a generation, odd while
 * it is written, so that a reader never sends a half-copied packet (it leaves that slot to the
 * child). Where any of this is refused (no ptrace rights, an old kernel), the child sends as before.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <node_api.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "farewell.h"
#include "signal-forward.h"

#define MAX_FAREWELLS 256
/* A VRRP packet with 255 IPv6 addresses: 8 + 255 x 16 bytes, IPv4 ones carry a 20-byte header. */
#define MAX_FAREWELL_BYTES 4120

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

struct farewell {
  /* Odd while the slot is being written (a reader in another process then leaves it alone). */
  volatile uint32_t generation;
  volatile sig_atomic_t sent;
  /* Sent by the supervisor from its handler (it wrote this): the child's handler only counts it. */
  volatile sig_atomic_t by_parent;
  int fd;
  size_t length;
  socklen_t address_length;
  struct sockaddr_storage address;
  unsigned char bytes[MAX_FAREWELL_BYTES];
};

static struct farewell farewells[MAX_FAREWELLS];
/* Whether each slot is armed: apart from the slots, so that the supervisor reads them all at once. */
static volatile sig_atomic_t armed[MAX_FAREWELLS];
/* Raised by the first farewell sent: JS stops sending ordinary adverts from then on. */
static volatile sig_atomic_t fired;

void farewell_send_all(void) {
  int saved_errno = errno;
  for (int i = 0; i < MAX_FAREWELLS; i++) {
    struct farewell *f = &farewells[i];
    if (!armed[i]) continue;
    armed[i] = 0;
    if (f->by_parent) {
      f->sent = 1;
      fired = 1;
      continue;
    }
    const struct sockaddr *to = f->address_length > 0 ? (const struct sockaddr *)&f->address : NULL;
    if (sendto(f->fd, f->bytes, f->length, MSG_DONTWAIT, to, f->address_length) >= 0) f->sent = 1;
    fired = 1;
  }
  errno = saved_errno;
}

void farewell_forget_fd(int fd) {
  for (int i = 0; i < MAX_FAREWELLS; i++) {
    if (farewells[i].fd == fd) armed[i] = 0;
  }
}

static int slot_argument(napi_env env, napi_value value, int32_t *slot) {
  if (napi_get_value_int32(env, value, slot) != napi_ok || *slot < 0 || *slot >= MAX_FAREWELLS) {
    napi_throw_range_error(env, NULL, "farewell slot out of range (0..255)");
    return 0;
  }
  return 1;
}

static int bytes_argument(napi_env env, napi_value value, void **data, size_t *length) {
  bool is_typed = false;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed) return 0;
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;
  return napi_get_typedarray_info(env, value, &type, length, data, &buffer, &offset) == napi_ok && type == napi_uint8_array;
}

/* armFarewell(slot, fd, packet, sockaddr | null): sent on the next SIGTERM/SIGINT, once. */
napi_value js_arm_farewell(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  int32_t slot, fd;
  void *packet, *address = NULL;
  size_t packet_length, address_length = 0;
  napi_valuetype address_type;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 4) {
    napi_throw_type_error(env, NULL, "armFarewell(slot, fd, packet, sockaddr | null)");
    return NULL;
  }
  if (!slot_argument(env, argv[0], &slot)) return NULL;
  if (napi_get_value_int32(env, argv[1], &fd) != napi_ok || fd < 0 || !bytes_argument(env, argv[2], &packet, &packet_length) ||
      packet_length == 0 || packet_length > MAX_FAREWELL_BYTES || napi_typeof(env, argv[3], &address_type) != napi_ok ||
      (address_type != napi_null && (!bytes_argument(env, argv[3], &address, &address_length) || address_length > sizeof(struct sockaddr_storage)))) {
    napi_throw_type_error(env, NULL, "armFarewell: an open fd, 1..4120 packet bytes, a socket address or null");
    return NULL;
  }
  if (install_forwarding_handler(SIGTERM) < 0 || install_forwarding_handler(SIGINT) < 0) {
    napi_throw_error(env, "EINVAL", "sigaction failed");
    return NULL;
  }
  struct farewell *f = &farewells[slot];
  armed[slot] = 0;
  __atomic_add_fetch(&f->generation, 1, __ATOMIC_SEQ_CST);
  f->sent = 0;
  f->by_parent = 0;
  f->fd = fd;
  memcpy(f->bytes, packet, packet_length);
  f->length = packet_length;
  memset(&f->address, 0, sizeof f->address);
  if (address != NULL) memcpy(&f->address, address, address_length);
  f->address_length = (socklen_t)address_length;
  __atomic_add_fetch(&f->generation, 1, __ATOMIC_SEQ_CST);
  armed[slot] = 1;
  return NULL;
}

/* disarmFarewell(slot): nothing is sent for it; its `sent` flag is cleared too. */
napi_value js_disarm_farewell(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t slot;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1) return NULL;
  if (!slot_argument(env, argv[0], &slot)) return NULL;
  armed[slot] = 0;
  farewells[slot].sent = 0;
  farewells[slot].by_parent = 0;
  return NULL;
}

/* farewellState(slot?) -> with a slot: 1 if its packet was sent; without: 1 once any was. */
napi_value js_farewell_state(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], out;
  int32_t slot;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  if (argc < 1) {
    napi_get_boolean(env, fired != 0, &out);
    return out;
  }
  if (!slot_argument(env, argv[0], &slot)) return NULL;
  napi_get_boolean(env, farewells[slot].sent != 0, &out);
  return out;
}

/* ---- the supervisor's side: the VRRP child's table, read and sent from the supervisor's handler ---- */

static volatile pid_t watched_pid;
static volatile int watched_pidfd = -1;
static volatile uintptr_t watched_table;

static int read_child(pid_t pid, void *to, uintptr_t from, size_t length) {
  struct iovec local = {.iov_base = to, .iov_len = length};
  struct iovec remote = {.iov_base = (void *)from, .iov_len = length};
  return process_vm_readv(pid, &local, 1, &remote, 1, 0) == (ssize_t)length;
}

void farewell_send_for_child(void) {
  pid_t pid = watched_pid;
  int pidfd = watched_pidfd;
  uintptr_t table = watched_table;
  if (pid <= 0 || pidfd < 0 || table == 0) return;
  int saved_errno = errno;
  /* Every slot's `armed` in one call, then the armed slots whole (static: a handler's stack is small). */
  static sig_atomic_t child_armed[MAX_FAREWELLS];
  static struct farewell copy;
  if (!read_child(pid, child_armed, table + ((uintptr_t)armed - (uintptr_t)farewells), sizeof child_armed)) {
    errno = saved_errno;
    return;
  }
  int any_sent = 0;
  for (int i = 0; i < MAX_FAREWELLS; i++) {
    if (!child_armed[i]) continue;
    uintptr_t slot = table + i * sizeof(struct farewell);
    uint32_t before, after;
    if (!read_child(pid, &before, slot, sizeof before) || (before & 1) || !read_child(pid, &copy, slot, sizeof copy) ||
        !read_child(pid, &after, slot, sizeof after) || after != before || copy.generation != before ||
        copy.by_parent || copy.length == 0 || copy.length > MAX_FAREWELL_BYTES || copy.address_length > sizeof copy.address) {
      continue; /* being rewritten, or already taken: the child's own handler decides */
    }
    int fd = (int)syscall(SYS_pidfd_getfd, pidfd, copy.fd, 0);
    if (fd < 0) continue;
    const struct sockaddr *to = copy.address_length > 0 ? (const struct sockaddr *)&copy.address : NULL;
    if (sendto(fd, copy.bytes, copy.length, MSG_DONTWAIT, to, copy.address_length) >= 0) {
      sig_atomic_t one = 1;
      struct iovec mark_local = {.iov_base = &one, .iov_len = sizeof one};
      struct iovec mark_remote = {.iov_base = (void *)(slot + offsetof(struct farewell, by_parent)), .iov_len = sizeof one};
      process_vm_writev(pid, &mark_local, 1, &mark_remote, 1, 0);
      any_sent = 1;
    }
    close(fd);
  }
  if (any_sent) {
    /* The child's `fired` (same library, same offset from the table): no ordinary advert from now on. */
    sig_atomic_t one = 1;
    struct iovec fired_local = {.iov_base = &one, .iov_len = sizeof one};
    struct iovec fired_remote = {.iov_base = (void *)(table + ((uintptr_t)&fired - (uintptr_t)farewells)), .iov_len = sizeof one};
    process_vm_writev(pid, &fired_local, 1, &fired_remote, 1, 0);
  }
  errno = saved_errno;
}

/*
 * How the table lies in memory: the supervisor reads the child's with its own idea of it, so both
 * must be the same build of this library (an upgrade while running could put a new child under an
 * old supervisor). Slot size and count, and where `armed` and `fired` lie from the table.
 */
static void layout_text(char *out, size_t size) {
  snprintf(out, size, "1:%zu:%d:%ld:%ld", sizeof(struct farewell), MAX_FAREWELLS, (long)((uintptr_t)armed - (uintptr_t)farewells),
           (long)((uintptr_t)&fired - (uintptr_t)farewells));
}

/* farewellTable() -> { table: bigint, layout: string }: where this process's slots are, for the supervisor. */
napi_value js_farewell_table(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out, table, layout;
  char text[96];
  layout_text(text, sizeof text);
  napi_create_object(env, &out);
  napi_create_bigint_uint64(env, (uint64_t)(uintptr_t)farewells, &table);
  napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &layout);
  napi_set_named_property(env, out, "table", table);
  napi_set_named_property(env, out, "layout", layout);
  return out;
}

/* watchFarewells(pid, table, layout): from now on TERM/INT send that child's armed farewells first; pid 0 stops. */
napi_value js_watch_farewells(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  int32_t pid;
  uint64_t table = 0;
  bool lossless = false;
  char theirs[96] = "", ours[96];
  size_t theirs_length = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 3 || napi_get_value_int32(env, argv[0], &pid) != napi_ok ||
      pid < 0 || napi_get_value_bigint_uint64(env, argv[1], &table, &lossless) != napi_ok || !lossless ||
      napi_get_value_string_utf8(env, argv[2], theirs, sizeof theirs, &theirs_length) != napi_ok) {
    napi_throw_type_error(env, NULL, "watchFarewells(pid, table: bigint, layout: string)");
    return NULL;
  }
  layout_text(ours, sizeof ours);
  if (pid != 0 && strcmp(ours, theirs) != 0) {
    napi_throw_error(env, "EINVAL", "watchFarewells: the child's farewell table has another layout (another build of the addon)");
    return NULL;
  }
  /* The handler reads pid first: it is cleared before and set after the rest changes. */
  watched_pid = 0;
  int old = watched_pidfd;
  watched_pidfd = -1;
  if (old >= 0) close(old);
  if (pid == 0) return NULL;
  int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
  if (pidfd < 0) {
    napi_value error, code, message;
    napi_create_string_utf8(env, strerror(errno), NAPI_AUTO_LENGTH, &message);
    napi_create_string_utf8(env, errno == ENOSYS ? "ENOSYS" : "ESRCH", NAPI_AUTO_LENGTH, &code);
    napi_create_error(env, code, message, &error);
    napi_throw(env, error);
    return NULL;
  }
  if (install_forwarding_handler(SIGTERM) < 0 || install_forwarding_handler(SIGINT) < 0) {
    close(pidfd);
    napi_throw_error(env, "EINVAL", "sigaction failed");
    return NULL;
  }
  watched_table = (uintptr_t)table;
  watched_pidfd = pidfd;
  watched_pid = pid;
  return NULL;
}
