"""Writes REPORT.md and chart.png from the bench results directory (see run.sh)."""
import glob
import json
import os
import re
import sys

results = sys.argv[1]
TARGETS = {"default": 5, "offset_100k": 250}
# a class whose SQL alone runs faster than this (tx/s) is "cheap": the service should reach half of it
CHEAP_SQL_TPS = 10000


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def sizes(prefix):
    found = [int(m.group(1)) for p in glob.glob(os.path.join(results, prefix + "-*"))
             if (m := re.search(r"-(\d+)$", p))]
    return sorted(found)


def classes():
    names = []
    with open(os.path.join(os.path.dirname(__file__), "queries.txt")) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                names.append(line.split()[0])
    return names


out = ["# rv-feed benchmark", ""]
# the hand-written part (setup, verdict, explanations) comes first when there is one
notes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "report-notes.md")
if os.path.exists(notes):
    out += [open(notes).read().strip(), ""]
verdict = []  # (target, measured, met)
feed_sizes = sizes("feed")
full = [n for n in feed_sizes if load(os.path.join(results, f"feed-{n}", "service-mix.json"))]
chart_rows = []
cheap = []  # (class, service/SQL throughput) of the cheap classes
if full:
    n = full[-1]
    d = os.path.join(results, f"feed-{n}")
    out += [f"## Feed queries at {n:,} sessions (big tenant: a fifth of them)", "",
            "Per query class: the service over HTTP (wrk) and the same SQL statement (the service sends one per "
            "request, count and page together) through pgbench, same connection count. Target p99: default page 5 ms, deep offset 250 ms, "
            "every other single filter or ordering, `combined` and the `combo_*` combinations 150 ms; on cheap classes "
            f"(SQL above {CHEAP_SQL_TPS:,} tx/s) the service at half of pgbench's throughput or more.", "",
            "| class | service p50 ms | service p99 ms | service req/s | SQL p50 ms | SQL p99 ms | SQL tx/s | "
            "service/SQL throughput | p99 target met |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for name in classes() + ["mix"]:
        s = load(os.path.join(d, f"service-{name}.json"))
        p = load(os.path.join(d, f"pgbench-{name}.json"))
        if not s or not p:
            continue
        ratio = s["rps"] / p["rps"] if p["rps"] else 0
        target = TARGETS.get(name, 150 if name not in ("mix", "combined_deep") else None)
        # wrk counts a request unanswered after 10 s as an error, without a latency
        timed_out = s.get("errors", 0)
        answered = s["requests"] - timed_out > 0
        ok = target is not None and answered and timed_out == 0 and s["p99_ms"] <= target
        met = "" if target is None else ("yes" if ok else f"no (> {target})")
        s_p50 = f"{s['p50_ms']:.1f}" if answered else "-"
        s_p99 = (f"{s['p99_ms']:.1f}" if answered else "> 10000") + (f" ({timed_out} timed out)" if timed_out else "")
        out.append(f"| {name} | {s_p50} | {s_p99} | {s['rps']:.1f} | {p['p50_ms']:.1f} | "
                   f"{p['p99_ms']:.1f} | {p['rps']:.1f} | {ratio:.0%} | {met} |")
        if answered:
            chart_rows.append((name, s, p))
        if target is not None:
            verdict.append((f"{name} service p99 <= {target} ms", f"{s_p99} ms", ok))
        if name != "mix" and p["rps"] > CHEAP_SQL_TPS:
            cheap.append((name, ratio))
        if name == "mix":
            verdict.append(("mix: service throughput >= 60% of pgbench on the same SQL",
                            f"{s['rps']:.0f} / {p['rps']:.0f} = {ratio:.0%}", ratio >= 0.6))
    if cheap:
        low = min(cheap, key=lambda c: c[1])
        reached = sum(1 for c in cheap if c[1] >= 0.5)
        verdict.append((f"cheap classes (SQL > {CHEAP_SQL_TPS:,} tx/s) at >= 50% of pgbench's throughput",
                        f"{reached} of {len(cheap)}; {min(c[1] for c in cheap):.0%}-{max(c[1] for c in cheap):.0%} "
                        f"(lowest: {low[0]})", reached == len(cheap)))
    heap, heap_of = [], ""
    for name, of in (("heap.txt", "the full run"), ("heap-partial.txt", "a run of some classes only")):
        path = os.path.join(d, name)
        heap = [int(float(x)) for x in open(path).read().split()] if os.path.exists(path) else []
        if heap:
            heap_of = of
            break
    if heap:
        out += ["", f"Service heap used under load ({heap_of}; -Xmx512m, sampled each second from /actuator/prometheus): "
                    f"max {max(heap) / 2**20:.0f} MB, median {sorted(heap)[len(heap) // 2] / 2**20:.0f} MB."]
        verdict.append(("service heap used <= 512 MB under the feed load", f"max {max(heap) / 2**20:.0f} MB",
                        max(heap) <= 512 * 2**20))
    out.append("")

if feed_sizes:
    out += ["## Growth: p99 / p50 ms by dataset size (big tenant: a fifth of the sessions)", ""]
    header = "| class | " + " | ".join(f"service {n:,} | SQL {n:,}" for n in feed_sizes) + " |"
    out += [header, "|---|" + "---:|---:|" * len(feed_sizes)]
    for name in ["default", "offset_100k", "state_failed", "device_name_kiosk", "order_device_name"]:
        cells = []
        for n in feed_sizes:
            for side in ("service", "pgbench"):
                s = load(os.path.join(results, f"feed-{n}", f"{side}-{name}.json"))
                cells.append(f"{s['p99_ms']:.1f} / {s['p50_ms']:.1f}" if s else "-")
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    out.append("")

for n in sizes("ingest"):
    d = os.path.join(results, f"ingest-{n}")
    c, e, b = (load(os.path.join(d, f)) for f in ("create.json", "event.json", "batch.json"))
    out += [f"## Ingest at {n:,} sessions", "", "| write | requests/s | events/s | p50 ms | p99 ms | non-2xx |",
            "|---|---:|---:|---:|---:|---:|"]
    if c:
        out.append(f"| create session | {c['rps']:.0f} | - | {c['p50_ms']:.1f} | {c['p99_ms']:.1f} | {c['non2xx']} |")
    if e:
        out.append(f"| single event | {e['rps']:.0f} | {e['rps']:.0f} | {e['p50_ms']:.1f} | {e['p99_ms']:.1f} | "
                   f"{e['non2xx']} |")
    if b:
        out.append(f"| batch of 1,000 | {b['rps']:.1f} | {b['rps'] * 1000:.0f} | {b['p50_ms']:.0f} | "
                   f"{b['p99_ms']:.0f} | {b['non2xx']} |")
    out += ["", "Targets: 1,000 single events/s, 5,000 events/s in batches.", ""]
    if e:
        verdict.append((f"single events >= 1,000/s ({n:,})", f"{e['rps']:.0f}/s", e["rps"] >= 1000))
    if b:
        verdict.append((f"batched events >= 5,000/s ({n:,})", f"{b['rps'] * 1000:.0f}/s", b["rps"] * 1000 >= 5000))

for n in sizes("stats"):
    d = os.path.join(results, f"stats-{n}")
    out += [f"## Statistics at {n:,} sessions", "",
            "`GET /api/v2/rv-activity-stats/` per class, each alone, on the big tenant (wrk, its key; a request "
            "still unanswered after 10 s counts as timed out). Targets p99: one group_by with one filter 150 ms, "
            "two group_bys 300 ms, device_name top 50 300 ms.", "",
            "| class | service p50 ms | service p99 ms | service req/s | non-2xx | timed out | p99 target met |",
            "|---|---:|---:|---:|---:|---:|---|"]
    for name in [c for c in classes() if c.startswith("stats_")]:
        s = load(os.path.join(d, f"service-{name}.json"))
        if not s:
            continue
        target = 300 if name in ("stats_device_name_top50", "stats_day_state", "stats_device_id_state") else 150
        ok = s["p99_ms"] <= target and s.get("errors", 0) == 0 and s.get("non2xx", 0) == 0
        met = "yes" if ok else f"no (> {target})"
        answered = s["requests"] - s.get("errors", 0) > 0
        p50 = f"{s['p50_ms']:.1f}" if answered else "-"
        p99 = f"{s['p99_ms']:.1f}" if answered else "> 10000"
        out.append(f"| {name} | {p50} | {p99} | {s['rps']:.1f} | {s.get('non2xx', 0)} | {s.get('errors', 0)} | {met} |")
        verdict.append((f"{name} service p99 <= {target} ms ({n:,})",
                        f"{p99} ms" + (f", {s['errors']} timed out" if s.get("errors") else ""), ok))
    out.append("")

for n in sizes("events"):
    d = os.path.join(results, f"events-{n}")
    out += [f"## Cursors and the events feed at {n:,} sessions", "",
            "Pages of 100 from a cursor half-way through the big tenant (each class alone, wrk), then `rv-feed "
            "follow` reading the big tenant's whole events feed from the start.", "",
            "| class | p50 ms | p99 ms | req/s | non-2xx |", "|---|---:|---:|---:|---:|"]
    for name in ("changes_page_100", "events_page_100", "events_page_100_failed"):
        s = load(os.path.join(d, f"service-{name}.json"))
        if s:
            out.append(f"| {name} | {s['p50_ms']:.1f} | {s['p99_ms']:.1f} | {s['rps']:.0f} | {s['non2xx']} |")
    f = load(os.path.join(d, "follow.json"))
    if f:
        out += ["", f"Following the whole events feed: {f['events']:,} events in {f['seconds']:.1f} s, "
                    f"{f['events_per_second']:,.0f} events/s."]
    out.append("")

for n in sizes("replica"):
    d = os.path.join(results, f"replica-{n}")
    p, r, b = (load(os.path.join(d, f)) for f in ("mix-primary.json", "mix-replica.json", "batch.json"))
    out += [f"## Reads on a streaming replica at {n:,} sessions", "",
            "One PostgreSQL streaming replica (`pg_basebackup -R`, stock settings) on the same machine, sharing its "
            "2 cores: the feed mix with every read on the primary, then with the service reading from the replica "
            "(`RVFEED_READ_DATASOURCE_URL`); then 1,000-event batches at full speed with the replica's replay lag "
            "sampled each second.", "", "| run | req/s | p50 ms | p99 ms | non-2xx |", "|---|---:|---:|---:|---:|"]
    for label, s in (("mix, reads on the primary", p), ("mix, reads on the replica", r)):
        if s:
            out.append(f"| {label} | {s['rps']:.0f} | {s['p50_ms']:.1f} | {s['p99_ms']:.1f} | {s['non2xx']} |")
    if b:
        out.append(f"| batches of 1,000 (events/s) | {b['rps'] * 1000:.0f} | {b['p50_ms']:.0f} | {b['p99_ms']:.0f} | "
                   f"{b['non2xx']} |")
    lag = os.path.join(d, "lag-summary.txt")
    if os.path.exists(lag):
        out += ["", "Replay lag under those batches:" + open(lag).read().strip().split(":", 1)[-1] + "."]
    out.append("")

for n in sizes("purge"):
    d = os.path.join(results, f"purge-{n}")
    before, during, purge = load(os.path.join(d, "mix-before.json")), [], load(os.path.join(d, "purge.json"))
    for path in sorted(glob.glob(os.path.join(d, "mix-during-*.json")), key=lambda x: int(re.findall(r"\d+", x)[-1])):
        if (w := load(path)):
            during.append(w)
    out += [f"## Retention purge at {n:,} sessions", "",
            "The big tenant's oldest month expired by a retention period, purged by `data purge` (the service's "
            "hourly job, run at once) while the feed mix runs: the mix alone before, then in windows of 10 s "
            "until the purge ends.", ""]
    for name in ("before.txt", "purge.txt", "after.txt"):
        path = os.path.join(d, name)
        if os.path.exists(path):
            lines = [ln for ln in open(path).read().splitlines() if ln.startswith(("tenant", "sessions", "the feed"))]
            out += [f"- {ln}" for ln in lines]
    if purge:
        out.append(f"- purge duration: {purge['seconds']:.1f} s")
    out += ["", "| mix | req/s | p50 ms | p99 ms | non-2xx |", "|---|---:|---:|---:|---:|"]
    if before:
        out.append(f"| before the purge | {before['rps']:.0f} | {before['p50_ms']:.1f} | {before['p99_ms']:.1f} | "
                   f"{before['non2xx']} |")
    for i, w in enumerate(during, 1):
        out.append(f"| during, window {i} | {w['rps']:.0f} | {w['p50_ms']:.1f} | {w['p99_ms']:.1f} | {w['non2xx']} |")
    out.append("")

for path in sorted(glob.glob(os.path.join(results, "generate-*.txt"))):
    out += [f"## {os.path.basename(path)}", "", "```", open(path).read().strip(), "```", ""]

if chart_rows:
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        names = [r[0] for r in chart_rows]
        x = range(len(names))
        fig, (a1, a2) = plt.subplots(2, 1, figsize=(14, 9), sharex=True)
        w = 0.2
        a1.bar([i - 1.5 * w for i in x], [r[1]["p50_ms"] for r in chart_rows], w, label="service p50")
        a1.bar([i - 0.5 * w for i in x], [r[1]["p99_ms"] for r in chart_rows], w, label="service p99")
        a1.bar([i + 0.5 * w for i in x], [r[2]["p50_ms"] for r in chart_rows], w, label="SQL p50")
        a1.bar([i + 1.5 * w for i in x], [r[2]["p99_ms"] for r in chart_rows], w, label="SQL p99")
        a1.set_ylabel("latency ms"); a1.set_yscale("log"); a1.legend()
        a2.bar([i - w / 2 for i in x], [r[1]["rps"] for r in chart_rows], w, label="service req/s")
        a2.bar([i + w / 2 for i in x], [r[2]["rps"] for r in chart_rows], w, label="SQL tx/s")
        a2.set_ylabel("throughput /s"); a2.set_yscale("log"); a2.legend()
        a2.set_xticks(list(x)); a2.set_xticklabels(names, rotation=60, ha="right")
        fig.tight_layout(); fig.savefig(os.path.join(results, "chart.png"), dpi=90)
        out += ["![latency and throughput per query class](chart.png)", ""]
    except ImportError:
        out += ["(No chart: apt-get install -y python3-matplotlib and run with /usr/bin/python3.)", ""]

if verdict:
    table = ["## Targets (computed from the result files)", "", "| target | measured | met |", "|---|---:|---|"]
    table += [f"| {t} | {m} | {'yes' if ok else '**no**'} |" for t, m, ok in verdict]
    out += table + [""]

with open(os.path.join(results, "REPORT.md"), "w") as f:
    f.write("\n".join(out) + "\n")
print(os.path.join(results, "REPORT.md"))
