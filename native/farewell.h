/* farewell.c: packets sent from inside the SIGTERM/SIGINT handler (the priority-0 adverts). */
#ifndef KEEPALIVED_TS_FAREWELL_H
#define KEEPALIVED_TS_FAREWELL_H
#include <node_api.h>
/* Async-signal-safe: sends every armed packet once, then disarms it. */
void farewell_send_all(void);
/* Disarms the packets armed on `fd` (called before the fd is closed: its number may be reused). */
void farewell_forget_fd(int fd);
/* Async-signal-safe: sends the armed packets of the watched child (watchFarewells) and marks them. */
void farewell_send_for_child(void);
napi_value js_farewell_table(napi_env env, napi_callback_info info);
napi_value js_watch_farewells(napi_env env, napi_callback_info info);
napi_value js_arm_farewell(napi_env env, napi_callback_info info);
napi_value js_disarm_farewell(napi_env env, napi_callback_info info);
napi_value js_farewell_state(napi_env env, napi_callback_info info);
#endif
