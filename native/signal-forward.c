/*
 * Signal forwarding from inside the signal handler: the supervisor's children get the operator's
 * SIGTERM the moment it arrives, not after Node's own delivery (libuv's handler writes to a pipe,
 * the loop wakes, JS runs the listener: ~0.5 ms on a quiet host, more on a busy one). The VRRP
 * child's priority-0 adverts, which the backups wait for, leave that much earlier.
 *
 * The handler installed here first sends the farewell packets armed for TERM/INT (farewell.c: its
 * own, then the watched VRRP child's), then
 * kill()s every registered pid (async-signal-safe), then runs the handler
 * it replaced (libuv's, so the JS listeners still run; a replaced default action is re-raised).
 * If libuv later re-installs its handler (the last JS listener removed, then a new one added), the
 * forwarding simply stops: the JS listener forwards the signal as before.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <node_api.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>

#include "farewell.h"
#include "signal-forward.h"

#define MAX_FORWARD_PIDS 8
#define MAX_SIGNAL 65

/* Per signal: the pids to kill (0 = free slot) and the handler we replaced. */
static volatile sig_atomic_t forward_pids[MAX_SIGNAL][MAX_FORWARD_PIDS];
static struct sigaction replaced[MAX_SIGNAL];
static int installed[MAX_SIGNAL];

static void forwarding_handler(int signum, siginfo_t *info, void *context) {
  if (signum == SIGTERM || signum == SIGINT) {
    farewell_send_all();
    farewell_send_for_child(); /* before the child hears of it: it only counts what we sent */
  }
  int saved_errno = errno;
  for (int i = 0; i < MAX_FORWARD_PIDS; i++) {
    pid_t pid = (pid_t)forward_pids[signum][i];
    if (pid > 0) kill(pid, signum);
  }
  errno = saved_errno;
  const struct sigaction *next = &replaced[signum];
  if (next->sa_flags & SA_SIGINFO) {
    next->sa_sigaction(signum, info, context);
  } else if (next->sa_handler == SIG_DFL) {
    signal(signum, SIG_DFL);
    raise(signum);
  } else if (next->sa_handler != SIG_IGN) {
    next->sa_handler(signum);
  }
}

int install_forwarding_handler(int signum) {
  if (installed[signum]) return 0;
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_sigaction = forwarding_handler;
  action.sa_flags = SA_SIGINFO | SA_RESTART | SA_ONSTACK;
  sigfillset(&action.sa_mask);
  if (sigaction(signum, &action, &replaced[signum]) < 0) return -1;
  installed[signum] = 1;
  return 0;
}

/* forwardSignal(signum, pids: number[]): from now on `signum` is passed to these pids first. */
napi_value js_forward_signal(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int32_t signum;
  uint32_t count = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 ||
      napi_get_value_int32(env, argv[0], &signum) != napi_ok || signum <= 0 || signum >= MAX_SIGNAL ||
      signum == SIGKILL || signum == SIGSTOP || napi_get_array_length(env, argv[1], &count) != napi_ok ||
      count > MAX_FORWARD_PIDS) {
    napi_throw_type_error(env, NULL, "forwardSignal(signal, pids): a catchable signal and at most 8 pids");
    return NULL;
  }
  pid_t pids[MAX_FORWARD_PIDS] = {0};
  for (uint32_t i = 0; i < count; i++) {
    napi_value element;
    int32_t pid;
    if (napi_get_element(env, argv[1], i, &element) != napi_ok || napi_get_value_int32(env, element, &pid) != napi_ok || pid <= 0) {
      napi_throw_type_error(env, NULL, "forwardSignal: pids must be positive integers");
      return NULL;
    }
    pids[i] = pid;
  }
  /* Slots are written one by one: a signal arriving meanwhile sees each slot old or new, never torn. */
  for (int i = 0; i < MAX_FORWARD_PIDS; i++) forward_pids[signum][i] = pids[i];
  if (install_forwarding_handler(signum) < 0) {
    napi_throw_error(env, "EINVAL", "sigaction failed");
    return NULL;
  }
  return NULL;
}
