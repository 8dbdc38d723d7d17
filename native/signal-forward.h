/* signal-forward.c: the forwardSignal binding registered by sockets.c's module init. */
#ifndef KEEPALIVED_TS_SIGNAL_FORWARD_H
#define KEEPALIVED_TS_SIGNAL_FORWARD_H
#include <node_api.h>
napi_value js_forward_signal(napi_env env, napi_callback_info info);
/* Puts the forwarding handler in front of the current one for `signum` (once); -1 if sigaction fails. */
int install_forwarding_handler(int signum);
#endif
