/* precise-sleep.c: the sleepNs binding registered by sockets.c's module init. */
#ifndef KEEPALIVED_TS_PRECISE_SLEEP_H
#define KEEPALIVED_TS_PRECISE_SLEEP_H
#include <node_api.h>
napi_value js_sleep_ns(napi_env env, napi_callback_info info);
#endif
