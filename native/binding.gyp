{
  "targets": [
    {
      "target_name": "keepalived_ts_native",
      "sources": ["sockets.c", "signal-forward.c", "farewell.c", "precise-sleep.c", "deadline-send.c"],
      "cflags": ["-Wall", "-Wextra", "-O2"],
      "cflags!": ["-fno-exceptions"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
