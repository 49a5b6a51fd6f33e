"""p50/p99 latency and throughput from pgbench's per-transaction logs (-l) in a directory."""
import glob
import json
import sys

latencies = []
first = last = None
for path in glob.glob(sys.argv[1] + "/pgbench_log.*"):
    with open(path) as log:
        for line in log:
            fields = line.split()
            # client_id transaction_no time_us script_no time_epoch time_us_fraction
            latencies.append(int(fields[2]) / 1000.0)
            at = int(fields[4]) + int(fields[5]) / 1e6
            first = at if first is None or at < first else first
            last = at if last is None or at > last else last
latencies.sort()


def pct(p):
    return latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] if latencies else 0


seconds = (last - first) if latencies and last > first else 1
print(json.dumps({"requests": len(latencies), "seconds": round(seconds, 3),
                  "rps": round(len(latencies) / seconds, 1), "p50_ms": round(pct(50), 2),
                  "p99_ms": round(pct(99), 2), "max_ms": round(latencies[-1], 2) if latencies else 0}))
