/* deadline-send.c: the sendAtDeadline binding registered by sockets.c's module init. */
#ifndef KEEPALIVED_TS_DEADLINE_SEND_H
#define KEEPALIVED_TS_DEADLINE_SEND_H
#include <node_api.h>
napi_value js_send_at_deadline(napi_env env, napi_callback_info info);
#endif
