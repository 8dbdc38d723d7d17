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
 */
#define _GNU_SOURCE
#include <errno.h>
#include <node_api.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>

#include "farewell.h"
#include "signal-forward.h"

#define MAX_FAREWELLS 256
/* A VRRP packet with 255 IPv6 addresses: 8 + 255 x 16 bytes, IPv4 ones carry a 20-byte header. */
#define MAX_FAREWELL_BYTES 4120

struct farewell {
  volatile sig_atomic_t armed;
  volatile sig_atomic_t sent;
  int fd;
  size_t length;
  socklen_t address_length;
  struct sockaddr_storage address;
  unsigned char bytes[MAX_FAREWELL_BYTES];
};

static struct farewell farewells[MAX_FAREWELLS];
/* Raised by the first farewell sent: JS stops sending ordinary adverts from then on. */
static volatile sig_atomic_t fired;

void farewell_send_all(void) {
  int saved_errno = errno;
  for (int i = 0; i < MAX_FAREWELLS; i++) {
    struct farewell *f = &farewells[i];
    if (!f->armed) continue;
    f->armed = 0;
    const struct sockaddr *to = f->address_length > 0 ? (const struct sockaddr *)&f->address : NULL;
    if (sendto(f->fd, f->bytes, f->length, MSG_DONTWAIT, to, f->address_length) >= 0) f->sent = 1;
    fired = 1;
  }
  errno = saved_errno;
}

void farewell_forget_fd(int fd) {
  for (int i = 0; i < MAX_FAREWELLS; i++) {
    if (farewells[i].fd == fd) farewells[i].armed = 0;
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
  f->armed = 0;
  f->sent = 0;
  f->fd = fd;
  memcpy(f->bytes, packet, packet_length);
  f->length = packet_length;
  memset(&f->address, 0, sizeof f->address);
  if (address != NULL) memcpy(&f->address, address, address_length);
  f->address_length = (socklen_t)address_length;
  f->armed = 1;
  return NULL;
}

/* disarmFarewell(slot): nothing is sent for it; its `sent` flag is cleared too. */
napi_value js_disarm_farewell(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t slot;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1) return NULL;
  if (!slot_argument(env, argv[0], &slot)) return NULL;
  farewells[slot].armed = 0;
  farewells[slot].sent = 0;
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
