/*
 * keepalived-ts native shim: the few socket system calls Node lacks (raw IP, AF_PACKET,
 * AF_NETLINK), plus readiness callbacks on the main libuv loop (and signals passed on to child
 * processes from inside the handler, signal-forward.c; a sleep precise to microseconds, precise-sleep.c).
 *
 * Everything protocol-shaped (socket addresses, packets, netlink messages, control-message
 * payloads) is built and parsed in TypeScript; this file only moves bytes across the syscall
 * boundary. Sockets are always non-blocking: recvmsg returns null on EAGAIN instead of waiting.
 * Failures throw JS errors carrying errno, code (e.g. "EEXIST") and syscall.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <net/if.h>
#include <node_api.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "deadline-send.h"
#include "farewell.h"
#include "precise-sleep.h"
#include "signal-forward.h"

#define CHECK_NAPI(env, call)                                   \
  do {                                                          \
    if ((call) != napi_ok) {                                    \
      napi_throw_error((env), NULL, "N-API call failed: " #call); \
      return NULL;                                              \
    }                                                           \
  } while (0)

/* Throws Error("<syscall>: <strerror> (<CODE>)") with errno/code/syscall properties. */
static napi_value throw_errno(napi_env env, const char *syscall, int err) {
  char message[256];
  const char *code = uv_err_name(-err);
  snprintf(message, sizeof message, "%s: %s (%s)", syscall, strerror(err), code);
  napi_value msg, code_value, error, errno_value, syscall_value;
  napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &msg);
  napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &code_value);
  napi_create_error(env, code_value, msg, &error);
  napi_create_int32(env, err, &errno_value);
  napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &syscall_value);
  napi_set_named_property(env, error, "errno", errno_value);
  napi_set_named_property(env, error, "syscall", syscall_value);
  napi_throw(env, error);
  return NULL;
}

static int get_args(napi_env env, napi_callback_info info, size_t expected, napi_value *argv) {
  size_t argc = expected;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < expected) {
    napi_throw_type_error(env, NULL, "missing arguments");
    return 0;
  }
  return 1;
}

static int get_int(napi_env env, napi_value value, int32_t *out) {
  if (napi_get_value_int32(env, value, out) != napi_ok) {
    napi_throw_type_error(env, NULL, "expected an integer");
    return 0;
  }
  return 1;
}

/* Accepts a Buffer (or any TypedArray view) and returns its bytes without copying. */
static int get_bytes(napi_env env, napi_value value, void **data, size_t *length) {
  bool is_buffer = false;
  napi_is_buffer(env, value, &is_buffer);
  if (is_buffer) return napi_get_buffer_info(env, value, data, length) == napi_ok;
  bool is_typedarray = false;
  napi_is_typedarray(env, value, &is_typedarray);
  if (is_typedarray) {
    napi_typedarray_type type;
    size_t element_count, byte_offset;
    napi_value arraybuffer;
    void *base;
    if (napi_get_typedarray_info(env, value, &type, &element_count, &base, &arraybuffer,
                                 &byte_offset) != napi_ok)
      return 0;
    *data = base;
    *length = element_count; /* callers only pass Uint8Array views */
    return 1;
  }
  napi_throw_type_error(env, NULL, "expected a Buffer");
  return 0;
}

static napi_value make_int(napi_env env, int64_t v) {
  napi_value out;
  napi_create_int64(env, v, &out);
  return out;
}

/* socket(domain, type, protocol) -> fd; always non-blocking and close-on-exec. */
static napi_value js_socket(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int32_t domain, type, protocol;
  if (!get_args(env, info, 3, argv) || !get_int(env, argv[0], &domain) ||
      !get_int(env, argv[1], &type) || !get_int(env, argv[2], &protocol))
    return NULL;
  int fd = socket(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
  if (fd < 0) return throw_errno(env, "socket", errno);
  return make_int(env, fd);
}

/* bind(fd, sockaddrBytes) */
static napi_value js_bind(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int32_t fd;
  void *addr;
  size_t addrlen;
  if (!get_args(env, info, 2, argv) || !get_int(env, argv[0], &fd) ||
      !get_bytes(env, argv[1], &addr, &addrlen))
    return NULL;
  if (bind(fd, (const struct sockaddr *)addr, (socklen_t)addrlen) < 0)
    return throw_errno(env, "bind", errno);
  return NULL;
}

/* connect(fd, sockaddrBytes) */
static napi_value js_connect(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int32_t fd;
  void *addr;
  size_t addrlen;
  if (!get_args(env, info, 2, argv) || !get_int(env, argv[0], &fd) ||
      !get_bytes(env, argv[1], &addr, &addrlen))
    return NULL;
  if (connect(fd, (const struct sockaddr *)addr, (socklen_t)addrlen) < 0)
    return throw_errno(env, "connect", errno);
  return NULL;
}

/* setsockopt(fd, level, name, value: int | Buffer) */
static napi_value js_setsockopt(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  int32_t fd, level, name;
  if (!get_args(env, info, 4, argv) || !get_int(env, argv[0], &fd) ||
      !get_int(env, argv[1], &level) || !get_int(env, argv[2], &name))
    return NULL;
  napi_valuetype kind;
  napi_typeof(env, argv[3], &kind);
  int rc;
  if (kind == napi_number) {
    int32_t value;
    if (!get_int(env, argv[3], &value)) return NULL;
    int v = value;
    rc = setsockopt(fd, level, name, &v, sizeof v);
  } else {
    void *data;
    size_t length;
    if (!get_bytes(env, argv[3], &data, &length)) return NULL;
    rc = setsockopt(fd, level, name, data, (socklen_t)length);
  }
  if (rc < 0) return throw_errno(env, "setsockopt", errno);
  return NULL;
}

/* getsockopt(fd, level, name, length) -> Buffer of the bytes the kernel wrote */
static napi_value js_getsockopt(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  int32_t fd, level, name, length;
  if (!get_args(env, info, 4, argv) || !get_int(env, argv[0], &fd) ||
      !get_int(env, argv[1], &level) || !get_int(env, argv[2], &name) ||
      !get_int(env, argv[3], &length))
    return NULL;
  if (length < 0 || length > 65536) {
    napi_throw_range_error(env, NULL, "getsockopt length out of range");
    return NULL;
  }
  unsigned char *storage = calloc(1, length > 0 ? (size_t)length : 1);
  if (!storage) return throw_errno(env, "getsockopt", ENOMEM);
  socklen_t optlen = (socklen_t)length;
  if (getsockopt(fd, level, name, storage, &optlen) < 0) {
    int err = errno;
    free(storage);
    return throw_errno(env, "getsockopt", err);
  }
  napi_value out;
  void *copy;
  napi_create_buffer_copy(env, optlen, storage, &copy, &out);
  free(storage);
  return out;
}

/* sendto(fd, data, sockaddrBytes | null, flags) -> bytes sent, or -1 on EAGAIN */
static napi_value js_sendto(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  int32_t fd, flags;
  void *data, *addr = NULL;
  size_t length, addrlen = 0;
  if (!get_args(env, info, 4, argv) || !get_int(env, argv[0], &fd) ||
      !get_bytes(env, argv[1], &data, &length) || !get_int(env, argv[3], &flags))
    return NULL;
  napi_valuetype kind;
  napi_typeof(env, argv[2], &kind);
  if (kind != napi_null && kind != napi_undefined && !get_bytes(env, argv[2], &addr, &addrlen))
    return NULL;
  ssize_t sent = sendto(fd, data, length, flags, (const struct sockaddr *)addr, (socklen_t)addrlen);
  if (sent < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK) return make_int(env, -1);
    return throw_errno(env, "sendto", errno);
  }
  return make_int(env, sent);
}

/*
 * recvmsg(fd, maxLength, controlLength, flags) ->
 *   null when nothing is waiting (EAGAIN), else
 *   { data: Buffer, address: Buffer, flags: number, control: [{ level, type, data: Buffer }], ageNs? }
 * ageNs (with SO_TIMESTAMPNS on the socket): how long ago the kernel received the datagram, taken
 * here because its stamp is on the realtime clock, which JS cannot read to the microsecond.
 * With MSG_TRUNC in flags, data.length is the real datagram length (the kernel's answer), so
 * callers can tell a truncated read from a short packet.
 */
static napi_value js_recvmsg(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  int32_t fd, max_length, control_length, flags;
  if (!get_args(env, info, 4, argv) || !get_int(env, argv[0], &fd) ||
      !get_int(env, argv[1], &max_length) || !get_int(env, argv[2], &control_length) ||
      !get_int(env, argv[3], &flags))
    return NULL;
  if (max_length < 0 || max_length > (1 << 20) || control_length < 0 || control_length > 65536) {
    napi_throw_range_error(env, NULL, "recvmsg length out of range");
    return NULL;
  }
  unsigned char *buffer = malloc((size_t)max_length + 1);
  unsigned char *control = malloc((size_t)control_length + 1);
  if (!buffer || !control) {
    free(buffer);
    free(control);
    return throw_errno(env, "recvmsg", ENOMEM);
  }
  struct sockaddr_storage address;
  memset(&address, 0, sizeof address);
  struct iovec iov = {.iov_base = buffer, .iov_len = (size_t)max_length};
  struct msghdr msg = {
      .msg_name = &address,
      .msg_namelen = sizeof address,
      .msg_iov = &iov,
      .msg_iovlen = 1,
      .msg_control = control_length > 0 ? control : NULL,
      .msg_controllen = (size_t)control_length,
  };
  ssize_t received = recvmsg(fd, &msg, flags);
  /* Read right after the datagram for its age (SO_TIMESTAMPNS stamps are on the realtime clock). */
  struct timespec read_at;
  clock_gettime(CLOCK_REALTIME, &read_at);
  if (received < 0) {
    int err = errno;
    free(buffer);
    free(control);
    if (err == EAGAIN || err == EWOULDBLOCK) {
      napi_value null_value;
      napi_get_null(env, &null_value);
      return null_value;
    }
    return throw_errno(env, "recvmsg", err);
  }
  size_t copied = (size_t)received < (size_t)max_length ? (size_t)received : (size_t)max_length;
  napi_value result, data, addr, control_list, msg_flags, real_length;
  void *ignored;
  napi_create_object(env, &result);
  napi_create_buffer_copy(env, copied, buffer, &ignored, &data);
  napi_create_buffer_copy(env, msg.msg_namelen, &address, &ignored, &addr);
  napi_create_int32(env, msg.msg_flags, &msg_flags);
  napi_create_int64(env, received, &real_length);
  napi_create_array(env, &control_list);
  uint32_t index = 0;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
    napi_value entry, level, type, payload;
    napi_create_object(env, &entry);
    napi_create_int32(env, c->cmsg_level, &level);
    napi_create_int32(env, c->cmsg_type, &type);
    size_t payload_length = c->cmsg_len - CMSG_LEN(0);
    napi_create_buffer_copy(env, payload_length, CMSG_DATA(c), &ignored, &payload);
    napi_set_named_property(env, entry, "level", level);
    napi_set_named_property(env, entry, "type", type);
    napi_set_named_property(env, entry, "data", payload);
    napi_set_element(env, control_list, index++, entry);
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS && payload_length >= sizeof(struct timespec)) {
      struct timespec stamp;
      memcpy(&stamp, CMSG_DATA(c), sizeof stamp);
      double age_ns = (double)(read_at.tv_sec - stamp.tv_sec) * 1e9 + (double)(read_at.tv_nsec - stamp.tv_nsec);
      napi_value age;
      napi_create_double(env, age_ns, &age);
      napi_set_named_property(env, result, "ageNs", age);
    }
  }
  napi_set_named_property(env, result, "data", data);
  napi_set_named_property(env, result, "length", real_length);
  napi_set_named_property(env, result, "address", addr);
  napi_set_named_property(env, result, "flags", msg_flags);
  napi_set_named_property(env, result, "control", control_list);
  free(buffer);
  free(control);
  return result;
}

/* A typed array's bytes (Uint8Array or Float64Array views alike) without copying. */
static int typed_bytes(napi_env env, napi_value value, napi_typedarray_type want, void **data, size_t *count) {
  bool is_typed = false;
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;
  return napi_is_typedarray(env, value, &is_typed) == napi_ok && is_typed &&
         napi_get_typedarray_info(env, value, &type, count, data, &buffer, &offset) == napi_ok && type == want;
}

#define RECEIVE_CONTROL_MAX 4096
#define RECEIVE_META_LENGTH 5

/*
 * recvmsgInto(fd, data: Uint8Array, control: Uint8Array, address: Uint8Array, meta: Float64Array(5), flags)
 *   -> -1 when nothing is waiting (EAGAIN), else the bytes now in `data`.
 * The same receive as recvmsg() without building a single JS value: the datagram lands in the
 * caller's `data`, its source address in `address`, and its control messages in `control` packed
 * as [int32 level, int32 type, int32 length, bytes padded to 4] each (no ABI layout for JS to know).
 * meta = [datagram length (the real one with MSG_TRUNC), msg_flags, packed control bytes, address
 * bytes, ageNs (NaN without SO_TIMESTAMPNS)]. Why: recvmsg() cost ~6.6 µs per datagram on this VM,
 * most of it creating objects and Buffers through N-API, and an idle backup reads one per advert.
 */
static napi_value js_recvmsg_into(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  int32_t fd, flags;
  void *data, *control, *address, *meta_bytes;
  size_t data_length, control_length, address_length, meta_length;
  if (!get_args(env, info, 6, argv) || !get_int(env, argv[0], &fd) || !get_int(env, argv[5], &flags)) return NULL;
  if (!typed_bytes(env, argv[1], napi_uint8_array, &data, &data_length) ||
      !typed_bytes(env, argv[2], napi_uint8_array, &control, &control_length) ||
      !typed_bytes(env, argv[3], napi_uint8_array, &address, &address_length) ||
      !typed_bytes(env, argv[4], napi_float64_array, &meta_bytes, &meta_length) || meta_length < RECEIVE_META_LENGTH ||
      control_length > RECEIVE_CONTROL_MAX) {
    napi_throw_type_error(env, NULL, "recvmsgInto(fd, data: Uint8Array, control: Uint8Array (<= 4096), address: Uint8Array, meta: Float64Array(5), flags)");
    return NULL;
  }
  double *meta = meta_bytes;
  /* The kernel's cmsghdr layout stays here: it is repacked below into what JS reads. */
  union {
    struct cmsghdr align;
    unsigned char bytes[RECEIVE_CONTROL_MAX];
  } raw_control;
  struct iovec iov = {.iov_base = data, .iov_len = data_length};
  struct msghdr msg = {
      .msg_name = address_length > 0 ? address : NULL,
      .msg_namelen = (socklen_t)address_length,
      .msg_iov = &iov,
      .msg_iovlen = 1,
      .msg_control = control_length > 0 ? raw_control.bytes : NULL,
      .msg_controllen = control_length,
  };
  ssize_t received = recvmsg(fd, &msg, flags);
  struct timespec read_at;
  clock_gettime(CLOCK_REALTIME, &read_at);
  napi_value out;
  if (received < 0) {
    int err = errno;
    if (err == EAGAIN || err == EWOULDBLOCK) {
      napi_create_int32(env, -1, &out);
      return out;
    }
    return throw_errno(env, "recvmsg", err);
  }
  size_t packed = 0;
  double age_ns = NAN;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
    size_t payload_length = c->cmsg_len - CMSG_LEN(0);
    size_t padded = (payload_length + 3) & ~(size_t)3;
    if (packed + 12 + padded > control_length) break; /* cannot happen: packed is never longer than raw */
    int32_t header[3] = {c->cmsg_level, c->cmsg_type, (int32_t)payload_length};
    memcpy((unsigned char *)control + packed, header, sizeof header);
    memcpy((unsigned char *)control + packed + 12, CMSG_DATA(c), payload_length);
    packed += 12 + padded;
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS && payload_length >= sizeof(struct timespec)) {
      struct timespec stamp;
      memcpy(&stamp, CMSG_DATA(c), sizeof stamp);
      age_ns = (double)(read_at.tv_sec - stamp.tv_sec) * 1e9 + (double)(read_at.tv_nsec - stamp.tv_nsec);
    }
  }
  meta[0] = (double)received;
  meta[1] = (double)msg.msg_flags;
  meta[2] = (double)packed;
  meta[3] = (double)msg.msg_namelen;
  meta[4] = age_ns;
  size_t copied = (size_t)received < data_length ? (size_t)received : data_length;
  napi_create_int64(env, (int64_t)copied, &out);
  return out;
}

static napi_value js_close(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t fd;
  if (!get_args(env, info, 1, argv) || !get_int(env, argv[0], &fd)) return NULL;
  farewell_forget_fd(fd); /* its number may be reused at once */
  if (close(fd) < 0) return throw_errno(env, "close", errno);
  return NULL;
}

/* ifNameToIndex(name) -> index (0 when the interface does not exist) */
static napi_value js_if_nametoindex(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  char name[IF_NAMESIZE + 1];
  size_t length;
  if (!get_args(env, info, 1, argv)) return NULL;
  if (napi_get_value_string_utf8(env, argv[0], name, sizeof name, &length) != napi_ok) {
    napi_throw_type_error(env, NULL, "expected an interface name");
    return NULL;
  }
  return make_int(env, if_nametoindex(name));
}

/* setns(fd, nstype): moves the calling (main) thread into another namespace. */
static napi_value js_setns(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int32_t fd, nstype;
  if (!get_args(env, info, 2, argv) || !get_int(env, argv[0], &fd) ||
      !get_int(env, argv[1], &nstype))
    return NULL;
  if (setns(fd, nstype) < 0) return throw_errno(env, "setns", errno);
  return NULL;
}

/* ---- readiness callbacks: one uv_poll_t per watched fd, on the main loop ---- */

typedef struct {
  uv_poll_t handle;
  napi_env env;
  napi_ref callback;
  int closed;
} watcher_t;

static void watcher_closed(uv_handle_t *handle) {
  watcher_t *w = (watcher_t *)handle->data;
  free(w);
}

static void watcher_stop(watcher_t *w) {
  if (w->closed) return;
  w->closed = 1;
  uv_poll_stop(&w->handle);
  napi_delete_reference(w->env, w->callback);
  w->callback = NULL;
  uv_close((uv_handle_t *)&w->handle, watcher_closed);
}

static void watcher_fired(uv_poll_t *handle, int status, int events) {
  watcher_t *w = (watcher_t *)handle->data;
  if (w->closed) return;
  napi_env env = w->env;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  napi_value callback, global, argv[2];
  if (napi_get_reference_value(env, w->callback, &callback) == napi_ok && callback != NULL) {
    napi_get_global(env, &global);
    if (status < 0) {
      napi_value msg, code;
      napi_create_string_utf8(env, uv_strerror(status), NAPI_AUTO_LENGTH, &msg);
      napi_create_string_utf8(env, uv_err_name(status), NAPI_AUTO_LENGTH, &code);
      napi_create_error(env, code, msg, &argv[0]);
    } else {
      napi_get_null(env, &argv[0]);
    }
    napi_create_int32(env, events, &argv[1]);
    napi_value ignored;
    /* Exceptions thrown by the callback surface as uncaught exceptions, like any event. */
    napi_make_callback(env, NULL, global, callback, 2, argv, &ignored);
  }
  napi_close_handle_scope(env, scope);
}

static napi_value js_watcher_stop(napi_env env, napi_callback_info info) {
  napi_value self;
  size_t argc = 0;
  void *data;
  napi_get_cb_info(env, info, &argc, NULL, &self, NULL);
  /* remove_wrap first: the watcher memory is freed once libuv closes the handle, and a second
   * stop() must find nothing to touch. */
  if (napi_remove_wrap(env, self, &data) == napi_ok && data != NULL) watcher_stop((watcher_t *)data);
  return NULL;
}

static napi_value js_watcher_unref(napi_env env, napi_callback_info info) {
  napi_value self;
  size_t argc = 0;
  void *data;
  napi_get_cb_info(env, info, &argc, NULL, &self, NULL);
  if (napi_unwrap(env, self, &data) == napi_ok && data != NULL) {
    watcher_t *w = data;
    if (!w->closed) uv_unref((uv_handle_t *)&w->handle);
  }
  return NULL;
}

/* watch(fd, events (1 readable | 2 writable), callback(err, events)) -> { stop(), unref() } */
static napi_value js_watch(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int32_t fd, events;
  if (!get_args(env, info, 3, argv) || !get_int(env, argv[0], &fd) ||
      !get_int(env, argv[1], &events))
    return NULL;
  uv_loop_t *loop;
  CHECK_NAPI(env, napi_get_uv_event_loop(env, &loop));
  watcher_t *w = calloc(1, sizeof *w);
  if (!w) return throw_errno(env, "watch", ENOMEM);
  int rc = uv_poll_init(loop, &w->handle, fd);
  if (rc < 0) {
    free(w);
    return throw_errno(env, "uv_poll_init", -rc);
  }
  w->handle.data = w;
  w->env = env;
  napi_create_reference(env, argv[2], 1, &w->callback);
  rc = uv_poll_start(&w->handle, events, watcher_fired);
  if (rc < 0) {
    watcher_stop(w);
    return throw_errno(env, "uv_poll_start", -rc);
  }
  napi_value handle, stop_fn, unref_fn;
  napi_create_object(env, &handle);
  napi_create_function(env, "stop", NAPI_AUTO_LENGTH, js_watcher_stop, NULL, &stop_fn);
  napi_create_function(env, "unref", NAPI_AUTO_LENGTH, js_watcher_unref, NULL, &unref_fn);
  napi_set_named_property(env, handle, "stop", stop_fn);
  napi_set_named_property(env, handle, "unref", unref_fn);
  /* No finalizer: an active poll keeps running until stop(), like a Node socket until close(). */
  napi_wrap(env, handle, w, NULL, NULL, NULL);
  return handle;
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  napi_property_descriptor props[] = {
      {"socket", NULL, js_socket, NULL, NULL, NULL, napi_enumerable, NULL},
      {"bind", NULL, js_bind, NULL, NULL, NULL, napi_enumerable, NULL},
      {"connect", NULL, js_connect, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setsockopt", NULL, js_setsockopt, NULL, NULL, NULL, napi_enumerable, NULL},
      {"getsockopt", NULL, js_getsockopt, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sendto", NULL, js_sendto, NULL, NULL, NULL, napi_enumerable, NULL},
      {"recvmsg", NULL, js_recvmsg, NULL, NULL, NULL, napi_enumerable, NULL},
      {"recvmsgInto", NULL, js_recvmsg_into, NULL, NULL, NULL, napi_enumerable, NULL},
      {"close", NULL, js_close, NULL, NULL, NULL, napi_enumerable, NULL},
      {"ifNameToIndex", NULL, js_if_nametoindex, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setns", NULL, js_setns, NULL, NULL, NULL, napi_enumerable, NULL},
      {"watch", NULL, js_watch, NULL, NULL, NULL, napi_enumerable, NULL},
      {"forwardSignal", NULL, js_forward_signal, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sleepNs", NULL, js_sleep_ns, NULL, NULL, NULL, napi_enumerable, NULL},
      {"armFarewell", NULL, js_arm_farewell, NULL, NULL, NULL, napi_enumerable, NULL},
      {"disarmFarewell", NULL, js_disarm_farewell, NULL, NULL, NULL, napi_enumerable, NULL},
      {"farewellState", NULL, js_farewell_state, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sendAtDeadline", NULL, js_send_at_deadline, NULL, NULL, NULL, napi_enumerable, NULL},
      {"farewellTable", NULL, js_farewell_table, NULL, NULL, NULL, napi_enumerable, NULL},
      {"watchFarewells", NULL, js_watch_farewells, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}
