#!/usr/bin/env bash
# Receiver CPU time per HTTP request, two wfsend binaries in the same run (e.g. before and after a
# change): each `wfsend listen --quiet` gets the same N small POST /report requests (10 metric lines
# each) pipelined on one keep-alive connection, and the receiver process's own CPU time (user + sys,
# from /proc) is read once every answer has arrived. CPU time, not wall time, so that the other load
# on a shared machine does not decide the ratio. The rounds alternate between the binaries.
# Usage: bash scripts/bench_listen_cpu.sh OLD_WFSEND NEW_WFSEND [REQUESTS] [ROUNDS]
set -euo pipefail
old="$1"
new="$2"
requests="${3:-100000}"
rounds="${4:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

measure() {  # binary -> prints CPU seconds of the receiver
  local binary="$1"
  "$binary" listen --port 0 --port-file "$work/port" --quiet 2>"$work/stderr" &
  local pid=$!
  for _ in $(seq 100); do [[ -s "$work/port" ]] && break; sleep 0.05; done
  local port
  port="$(head -1 "$work/port")"
  python3 - "$port" "$requests" <<'PY'
import socket, sys, threading
port, count = int(sys.argv[1]), int(sys.argv[2])
body = "".join('"bench.metric.%d" %d 1700000000 source="host-1" "env"="prod"\n' % (i, i) for i in range(10))
request = ("POST /report?f=wavefront HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
           "Content-Length: %d\r\n\r\n%s" % (len(body), body)).encode()
sock = socket.create_connection(("127.0.0.1", port))
answers = 0
def read():
    global answers
    pending = b""
    while answers < count:
        data = sock.recv(1 << 16)
        if not data:
            break
        pending += data
        end = pending.rfind(b"\n") + 1  # count whole lines only
        answers += pending[:end].count(b"HTTP/1.1 202")
        pending = pending[end:]
reader = threading.Thread(target=read)
reader.start()
batch = request * 1000
for _ in range(count // 1000):
    sock.sendall(batch)
reader.join()
if answers != count:
    sys.exit("only %d of %d answers" % (answers, count))
PY
  # utime + stime of the receiver, in clock ticks, fields 14 and 15 of /proc/PID/stat
  local ticks
  ticks="$(awk '{print $14 + $15}' "/proc/$pid/stat")"
  kill -INT "$pid"
  wait "$pid" || true
  rm -f "$work/port"
  awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", t / hz}'
}

echo "$requests requests of 10 lines each per round; receiver CPU seconds"
for round in $(seq "$rounds"); do
  a="$(measure "$old")"
  b="$(measure "$new")"
  echo "round $round: old $a s, new $b s, new/old $(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.3f", b / a}')"
done
