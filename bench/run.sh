#!/usr/bin/env bash
# The rv-feed benchmark on one machine: the packaged service against a PostgreSQL holding the
# bench dataset, driven by wrk, next to the same SQL through pgbench. See bench/README.md.
#
#   bench/run.sh generate SESSIONS      load SESSIONS sessions into database rvfeed_bench_SESSIONS
#   bench/run.sh feed SESSIONS          per-query-class and mix latency/throughput, service vs pgbench
#   bench/run.sh growth SESSIONS        a few query classes only (for the 100k / 1M / 10M growth table)
#   bench/run.sh classes SESSIONS NAMES re-measure the named classes only ("default combined")
#   bench/run.sh ingest SESSIONS        write API throughput: single events and 1,000-event batches
#   bench/run.sh ingest-ab SESSIONS     batches, single events and creates with the statistics kept on write
#                                       (on) and without (off), alternating on one running service
#   bench/run.sh events SESSIONS        pages of 100 changes/events from a deep cursor; follow the whole events feed
#   bench/run.sh stats SESSIONS         the statistics classes (queries.txt names stats_*), each alone
#   bench/run.sh replica SESSIONS       the feed mix with reads on a streaming replica; replay lag under batches
#   bench/run.sh purge SESSIONS         retention purge of the big tenant's oldest month under the feed mix
#   bench/run.sh report                 bench/results/REPORT.md and chart.png from all results
#
# Environment: BENCH_DURATION (wrk/pgbench seconds per class, default 20), BENCH_WARMUP (seconds of
# unmeasured load on a freshly started service first, so the JIT has compiled the hot paths;
# default 30: with 10 the first class measured was still ~2x slow), BENCH_CONNECTIONS (default 8), BENCH_PG (libpq connection options, default
# "-h 127.0.0.1 -U root").
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RESULTS=$ROOT/bench/results
JAR=${BENCH_JAR:-$ROOT/target/rv-feed.jar}
DURATION=${BENCH_DURATION:-20}
WARMUP=${BENCH_WARMUP:-30}
CONNECTIONS=${BENCH_CONNECTIONS:-8}
PG=${BENCH_PG:--h 127.0.0.1 -U root}
PORT=${BENCH_PORT:-18080}
mkdir -p "$RESULTS"

db_of() { echo "rvfeed_bench_$1"; }
jdbc_of() { echo "jdbc:postgresql://127.0.0.1:5432/$(db_of "$1")"; }
psql_q() { psql $PG -X -qAt "$@"; }
# pgbench runs the statements with the session settings of the service's connections
# (application.yaml: no JIT compilation)
SERVICE_PGOPTIONS="-c jit=off"
big_tenant() { psql_q -d "$(db_of "$1")" -c "select md5('rvfeed-bench-tenant-0')::uuid"; }

generate() {
  local n=$1 db; db=$(db_of "$1")
  psql_q -d postgres -c "drop database if exists $db with (force)" -c "create database $db"
  local start=$SECONDS
  SPRING_DATASOURCE_URL=$(jdbc_of "$n") SPRING_DATASOURCE_USERNAME=root \
    java -jar "$JAR" bench generate --sessions "$n" --tenants "${BENCH_TENANTS:-1000}" | tee "$RESULTS/generate-$n.txt"
  echo "total: $((SECONDS - start)) s" | tee -a "$RESULTS/generate-$n.txt"
  psql_q -d "$db" -c "select 'database size: ' || pg_size_pretty(pg_database_size(current_database()))" \
    | tee -a "$RESULTS/generate-$n.txt"
}

# A key of the big tenant with a limit far above what the bench sends.
make_key() {
  SPRING_DATASOURCE_URL=$(jdbc_of "$1") SPRING_DATASOURCE_USERNAME=root java -jar "$JAR" keys create \
    --tenant "$(big_tenant "$1")" --name "bench $(date +%s)" --scopes feed:read,sessions:write \
    --requests-per-second 1000000 --burst 1000000 | sed -n 's/^API key: //p'
}

SERVICE_PID=
start_service() {
  # The request log line is off: at thousands of requests a second it measures the logger.
  SPRING_DATASOURCE_URL=$(jdbc_of "$1") SPRING_DATASOURCE_USERNAME=root RVFEED_METRICS_TOKEN=bench \
    java -Xmx512m -jar "$JAR" --server.port="$PORT" --rvfeed.request-log.enabled=false ${SERVICE_ARGS:-} \
    >"$RESULTS/service-$1.log" 2>&1 &
  SERVICE_PID=$!
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$PORT/actuator/health/readiness" >/dev/null && return 0
    sleep 1
  done
  echo "service did not start; see $RESULTS/service-$1.log" >&2
  exit 1
}
stop_service() { [ -n "$SERVICE_PID" ] && kill "$SERVICE_PID" && wait "$SERVICE_PID" 2>/dev/null || true; SERVICE_PID=; }
trap stop_service EXIT

# used heap, all pools, each second (the value is the last field: pool ids contain spaces)
heap_sampler() {
  local out=$1
  while kill -0 "$SERVICE_PID" 2>/dev/null; do
    curl -s -H "Authorization: Bearer bench" "http://127.0.0.1:$PORT/actuator/prometheus" \
      | awk '/^jvm_memory_used_bytes\{.*area="heap"/ {s += $NF} END {if (s) printf "%d\n", s}' >>"$out"
    sleep 1
  done
}

# Waits (up to 120 s) until no query runs on the bench database: when wrk stops, the service
# still finishes the requests in flight, and on a big dataset those take seconds; they must
# not load the next class's measurement.
wait_idle() {
  for _ in $(seq 1 240); do
    [ "$(psql_q -d "$(db_of "$1")" -c "select count(*) from pg_stat_activity
      where datname = current_database() and state = 'active' and pid <> pg_backend_pid()")" = 0 ] && return 0
    sleep 0.5
  done
  echo "  (the database did not become idle within 120 s)" >&2
}

# wrk on one query mix: $1 name, $2 "weight<TAB>query" lines, $3 output json
run_wrk() {
  wait_idle "$N"
  QUERIES="$2" WRK_OUT="$3" wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s \
    -s "$ROOT/bench/feed.lua" "http://127.0.0.1:$PORT" >/dev/null
  echo "  service $1: $(cat "$3")"
}

# pgbench on the SQL of one query class: the one statement the service sends (autocommit)
run_pgbench() {
  local n=$1 name=$2 query=$3 out=$4 sqlfile logdir
  sqlfile="$RESULTS/sql/$n/$name.sql"
  mkdir -p "$(dirname "$sqlfile")"
  # made again whenever the jar is newer: a file kept from an older build gave pgbench that
  # build's statement
  if [ ! -s "$sqlfile" ] || [ "$JAR" -nt "$sqlfile" ]; then
    SPRING_DATASOURCE_URL=$(jdbc_of "$n") SPRING_DATASOURCE_USERNAME=root java -jar "$JAR" bench sql \
      --tenant "$(big_tenant "$n")" --query "$query" >"$sqlfile"
  fi
  logdir=$(mktemp -d)
  (cd "$logdir" && PGOPTIONS="$SERVICE_PGOPTIONS" pgbench $PG -d "$(db_of "$n")" -n -M prepared -c "$CONNECTIONS" -j 2 -T "$DURATION" -l \
    -f "$sqlfile" >"$logdir/summary.txt" 2>&1)
  python3 "$ROOT/bench/pgbench_stats.py" "$logdir" >"$out"
  rm -rf "$logdir"
  echo "  pgbench $name: $(cat "$out")"
}

# Warms the service up on "name query" lines (unmeasured), then measures each: $1 the lines,
# $2 the results directory, $3 what the warm-up log line calls them
warm_up_and_run() {
  local classes=$1 dir=$2 what=$3
  if [ "$WARMUP" -gt 0 ]; then
    QUERIES="$(printf '%s' "$classes" | awk '{print "1\t" $2}')" WRK_OUT=/dev/null wrk -t2 -c"$CONNECTIONS" \
      -d"${WARMUP}s" --timeout 10s -s "$ROOT/bench/feed.lua" "http://127.0.0.1:$PORT" >/dev/null
    echo "  warm-up: ${WARMUP} s of the $what"
  fi
  while read -r name query; do
    [ -z "$name" ] && continue
    run_wrk "$name" "1"$'\t'"$query" "$dir/service-$name.json"
  done <<<"$classes"
}

# The weighted mix of the feed classes in queries.txt ("weight<TAB>query" lines), for runs of the
# whole mix; weight-0 classes are measured alone and stay out of it
feed_mix() {
  while read -r name weight query; do
    [[ -z "$name" || "$name" == \#* || "$query" == /* || "$weight" -eq 0 ]] && continue
    printf '%s\t%s\n' "$weight" "$query"
  done <"$ROOT/bench/queries.txt"
}

# JIT warm-up, unmeasured: the default page (many requests through the whole request path: on a
# big dataset the mix alone makes too few), then $1, a mix
warm_up_feed() {
  if [ "$WARMUP" -gt 0 ]; then
    QUERIES="1"$'\t'"limit=20" WRK_OUT=/dev/null wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" --timeout 10s \
      -s "$ROOT/bench/feed.lua" "http://127.0.0.1:$PORT" >/dev/null
    QUERIES="$1" WRK_OUT=/dev/null wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" --timeout 10s \
      -s "$ROOT/bench/feed.lua" "http://127.0.0.1:$PORT" >/dev/null
    echo "  warm-up: ${WARMUP} s of the default page, ${WARMUP} s of the mix"
  fi
}

feed() {
  local n=$1 classes=${2:-all} key dir
  N=$n
  remove_written "$(db_of "$n")"
  # index-only scans need the visibility map (and no dead rows at the head of an order); every
  # count reads the delta table, whose folded rows stay as dead index entries until a vacuum
  psql_q -d "$(db_of "$n")" -c "vacuum rv_session, rv_session_count, rv_session_count_delta, rv_session_facet_count, rv_session_facet_delta"
  dir="$RESULTS/feed-$n"; mkdir -p "$dir"
  key=$(make_key "$n")
  export BENCH_KEY=$key
  start_service "$n"
  # heap.txt is the full run's; a run of some classes only samples into heap-partial.txt
  local heap="$dir/heap.txt"; [[ "$classes" == all ]] || heap="$dir/heap-partial.txt"
  : >"$heap"; heap_sampler "$heap" & local sampler=$!
  local mix=""
  while read -r name weight query; do
    [[ -z "$name" || "$name" == \#* || "$query" == /* ]] && continue
    if [[ "$classes" != all && " $classes " != *" $name "* ]]; then continue; fi
    # weight 0: measured alone only (in a run of some classes, the warm-up's mix has them too)
    if [[ "$weight" -gt 0 || "$classes" != all ]]; then mix+="$((weight > 0 ? weight : 1))"$'\t'"$query"$'\n'; fi
  done <"$ROOT/bench/queries.txt"
  warm_up_feed "$mix"
  while read -r name weight query; do
    [[ -z "$name" || "$name" == \#* || "$query" == /* ]] && continue
    if [[ "$classes" != all && " $classes " != *" $name "* ]]; then continue; fi
    run_wrk "$name" "1"$'\t'"$query" "$dir/service-$name.json"
  done <"$ROOT/bench/queries.txt"
  if [[ "$classes" == all ]]; then run_wrk mix "$mix" "$dir/service-mix.json"; fi
  stop_service; kill "$sampler" 2>/dev/null || true
  while read -r name weight query; do
    [[ -z "$name" || "$name" == \#* || "$query" == /* ]] && continue
    if [[ "$classes" != all && " $classes " != *" $name "* ]]; then continue; fi
    run_pgbench "$n" "$name" "$query" "$dir/pgbench-$name.json"
  done <"$ROOT/bench/queries.txt"
  if [[ "$classes" == all ]]; then
    # the mix: every class's file at its weight
    local args=() logdir; logdir=$(mktemp -d)
    while read -r name weight query; do
      [[ -z "$name" || "$name" == \#* || "$query" == /* || "$weight" -eq 0 ]] && continue
      args+=(-f "$RESULTS/sql/$n/$name.sql@$weight")
    done <"$ROOT/bench/queries.txt"
    (cd "$logdir" && PGOPTIONS="$SERVICE_PGOPTIONS" pgbench $PG -d "$(db_of "$n")" -n -M prepared -c "$CONNECTIONS" -j 2 -T "$DURATION" -l \
      "${args[@]}" >"$logdir/summary.txt" 2>&1)
    python3 "$ROOT/bench/pgbench_stats.py" "$logdir" >"$dir/pgbench-mix.json"; rm -rf "$logdir"
    echo "  pgbench mix: $(cat "$dir/pgbench-mix.json")"
  fi
}

# How many sessions each wrk thread of the creates made without a gap (numbered from 2). The
# last requests of a run may be cut off while later ones complete, so the numbers of the last
# CONNECTIONS requests are left out: an event to a missing session would answer 404.
sessions_per_thread() {
  psql_q -d "$1" -c "select min(c) - $CONNECTIONS from (select count(*) c from rv_session
    where session_id::text like '00000000-0000-4000-8$2%' group by substr(session_id::text, 20, 4)) x"
}

# Removes the sessions the ingest bench writes (ids 00000000-0000-4000-8...): the dataset stays
# as generated. They are the newest rows, so leftovers of an interrupted run would sit at the
# head of the default order and every filter would step over them first.
remove_written() {
  psql_q -d "$1" -c "delete from rv_session_event where session_id::text like '00000000-0000-4000-8%'" \
    -c "delete from rv_session where session_id::text like '00000000-0000-4000-8%'"
}

# JIT warm-up on sessions of their own (thread numbers from 0x100): creates, then events, then
# batches. Single events get twice as long: after 30 s of load the JIT compiler threads still
# took a fifth of the machine, and the measured rate was 40 % below the rate once they were done.
ingest_warm_up() {
  local db=$1 w=$WARMUP wpt
  [ "$w" -gt 0 ] || return 0
  THREAD_BASE=256 MODE=create WRK_OUT=/dev/null wrk -t2 -c"$CONNECTIONS" -d"${w}s" \
    -s "$ROOT/bench/ingest.lua" "http://127.0.0.1:$PORT" >/dev/null
  wpt=$(sessions_per_thread "$db" 1)
  THREAD_BASE=256 SESSIONS_PER_THREAD=$wpt MODE=event WRK_OUT=/dev/null wrk -t2 -c"$CONNECTIONS" -d"$((2 * w))s" \
    -s "$ROOT/bench/ingest.lua" "http://127.0.0.1:$PORT" >/dev/null
  THREAD_BASE=256 SESSIONS_PER_THREAD=$wpt MODE=batch BATCH=1000 WRK_OUT=/dev/null wrk -t2 -c2 -d"${w}s" \
    --timeout 60s -s "$ROOT/bench/ingest.lua" "http://127.0.0.1:$PORT" >/dev/null
  echo "  warm-up: $((4 * w)) s of creates, events (twice as long) and batches on other sessions"
}

ingest() {
  local n=$1 key dir db per_thread
  dir="$RESULTS/ingest-$n"; mkdir -p "$dir"; db=$(db_of "$n")
  key=$(make_key "$n"); export BENCH_KEY=$key
  remove_written "$db"
  start_service "$n"
  ingest_warm_up "$db"
  MODE=create WRK_OUT="$dir/create.json" wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s "$ROOT/bench/ingest.lua" \
    "http://127.0.0.1:$PORT" >/dev/null
  echo "  creates: $(cat "$dir/create.json")"
  per_thread=$(sessions_per_thread "$db" 0)
  SESSIONS_PER_THREAD=$per_thread MODE=event WRK_OUT="$dir/event.json" wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" \
    -s "$ROOT/bench/ingest.lua" "http://127.0.0.1:$PORT" >/dev/null
  echo "  single events: $(cat "$dir/event.json")"
  SESSIONS_PER_THREAD=$per_thread MODE=batch BATCH=1000 WRK_OUT="$dir/batch.json" wrk -t2 -c2 -d"${DURATION}s" \
    --timeout 60s -s "$ROOT/bench/ingest.lua" "http://127.0.0.1:$PORT" >/dev/null
  echo "  batches of 1000: $(cat "$dir/batch.json")"
  stop_service
  # their dead versions (every event updates the row) would slow the feed until a vacuum
  remove_written "$db"
  psql_q -d "$db" -c "vacuum (analyze) rv_session" -c "vacuum (analyze) rv_session_event"
}

# The write budget of the statistics kept on write (issue 19): the statistics on and off in
# turn on one running service, so that a drift of the machine or of the service (JIT, caches,
# bloat) falls on both. Separate runs per configuration differed by more than what they
# compared. "off" is the schema before issue 19: the nine statistics triggers disabled, the
# two indexes kept for the statistics (V52's covering one by device id, V60's partial one)
# dropped, and the feed's index by device name made again without the state and duration it
# carries for them since V60 (each made again in "on" from its definition as read at the
# start). BENCH_AB_MODES (default "batch event create") are measured in turn, each in the
# phases of BENCH_AB (default "on off on off on").
#
# Every phase addresses sessions of its own (its own wrk thread numbers), made in SQL first
# (per thread and phase: BENCH_AB_SESSIONS for batches, default 250,000, and
# BENCH_AB_EVENT_SESSIONS for single events, default 30,000), and updates each once from
# INITIATED: every event is a state change that the statistics count. Each session is on a
# device of its own (BENCH_AB_DEVICES=own, the default: the device counts' worst case, new
# counts by id for every change) or on the big tenant's devices in turn (dataset). Events to sessions a
# phase before had moved would repeat a stage, which updates the row's change position but no
# statistic (what `ingest` measures after its first pass over its sessions), and updating the
# same few thousand sessions again and again bloats rv_session's 19 indexes until vacuum. The
# statistics are made again from the rows at the end (rv_stats_refill), as the triggers
# missed the "off" phases. The events name ACKNOWLEDGED and ACTIVE in turn (a session's first
# moves) unless BENCH_AB_STATES says otherwise: "TERMINATED,FAILED" ends every session instead.
# BENCH_AB_OFF=indexes keeps the triggers on in "off" and changes the indexes only: their
# share of the cost. Each mode starts with an unmeasured phase in its first phase's
# configuration (at 10 M the first phase ran at 0.6 of the rest whether on or off), and every
# phase starts after a checkpoint, so that each writes its pages' first images after one.
AB_TRIGGERS="rv_stats_inserted rv_stats_updated rv_stats_deleted rv_stats_value_inserted rv_stats_value_updated
  rv_stats_value_deleted rv_stats_device_inserted rv_stats_device_updated rv_stats_device_deleted"
AB_INDEXES="'rv_session_device_id_durations', 'rv_session_live_devices'"
# the feed's index by device name as V5 made it
AB_FEED_INDEX_BEFORE='CREATE INDEX rv_session_device_name ON public.rv_session USING btree
  (tenant_id, device_name_lc COLLATE "C", device_name COLLATE "C", created_at DESC, session_id);'

ab_config() {
  local db=$1 c=$2 t
  if [ "$c" = on ] || [ "${BENCH_AB_OFF:-all}" != indexes ]; then
    for t in $AB_TRIGGERS; do
      psql_q -d "$db" -c "alter table rv_session $([ "$c" = on ] && echo enable || echo disable) trigger $t"
    done
  fi
  if [ "$c" = on ]; then
    printf '%s\n' "$AB_INDEX_DEFINITIONS" | sed 's/^CREATE INDEX /CREATE INDEX IF NOT EXISTS /' |
      psql_q -d "$db" -c "set maintenance_work_mem = '1GB'" -c "set client_min_messages = warning" -f -
    ab_feed_index "$db" "$AB_FEED_INDEX"
  else
    psql_q -d "$db" -c "set client_min_messages = warning" -c "drop index if exists ${AB_INDEXES//\'/}"
    ab_feed_index "$db" "$AB_FEED_INDEX_BEFORE"
  fi
}
# The feed's index by device name made again as the definition says, unless it is so already
# (the settle phase and the first measured one share a configuration).
ab_feed_index() {
  local db=$1 definition=$2
  [ "$(psql_q -d "$db" -c "select pg_get_indexdef('rv_session_device_name'::regclass) || ';'")" = \
    "$(printf '%s' "$definition" | tr -s ' \n' ' ')" ] && return 0
  printf '%s\n' "$definition" | psql_q -d "$db" -c "set maintenance_work_mem = '1GB'" \
    -c "drop index if exists rv_session_device_name" -f -
}
# Sessions per wrk thread and phase a mode updates (none for creates).
ab_sessions() {
  case $1 in
    batch) echo "${BENCH_AB_SESSIONS:-250000}" ;;
    event) echo "${BENCH_AB_EVENT_SESSIONS:-30000}" ;;
    *) echo 0 ;;
  esac
}
ingest_ab() {
  local n=$1 db tenant key dir measured=(${BENCH_AB:-on off on off on}) modes=(${BENCH_AB_MODES:-batch event create})
  local mode c i label spt base made=0 sent created=528
  case ${BENCH_AB_OFF:-all} in all | indexes) ;; *) echo "ingest-ab: unknown BENCH_AB_OFF=$BENCH_AB_OFF (all, indexes)" >&2; return 1 ;; esac
  db=$(db_of "$n"); tenant=$(big_tenant "$n"); dir="$RESULTS/ingest-ab-$n"; mkdir -p "$dir"
  AB_INDEX_DEFINITIONS=$(psql_q -d "$db" -c "select pg_get_indexdef(c.oid) || ';' from pg_class c
    where c.relname in ($AB_INDEXES) order by c.relname")
  [ "$(printf '%s\n' "$AB_INDEX_DEFINITIONS" | grep -c .)" -eq 2 ] ||
    { echo "ingest-ab: the statistics' indexes ($AB_INDEXES) are not in $db" >&2; return 1; }
  AB_FEED_INDEX=$(psql_q -d "$db" -c "select pg_get_indexdef('rv_session_device_name'::regclass) || ';'")
  case $AB_FEED_INDEX in *INCLUDE*) ;; *)
    echo "ingest-ab: the feed's index by device name in $db does not carry the statistics' columns (V60)" >&2; return 1 ;;
  esac
  for mode in "${modes[@]}"; do
    case $mode in batch | event | create) ;; *) echo "ingest-ab: unknown mode $mode (batch, event, create)" >&2; return 1 ;; esac
  done
  for c in "${measured[@]}"; do
    case $c in on | off) ;; *) echo "ingest-ab: unknown phase $c in BENCH_AB (on, off)" >&2; return 1 ;; esac
  done
  # the first phase runs twice: unmeasured ("settle"), then measured
  local phases=("${measured[0]}" "${measured[@]}")
  key=$(make_key "$n"); export BENCH_KEY=$key
  remove_written "$db"
  start_service "$n"
  ingest_warm_up "$db"
  export STATES=${BENCH_AB_STATES:-ACKNOWLEDGED,ACTIVE}
  # the sessions bench/ingest.lua addresses (a thread's sessions 2 .. spt + 1): two wrk threads
  # per phase of each mode that updates sessions, thread numbers from 0x011 on. They are made
  # with the statistics off, so that no phase runs beside the fold of their deltas (the
  # statistics are made again at the end).
  ab_config "$db" off
  base=16
  for mode in "${modes[@]}"; do
    spt=$(ab_sessions "$mode")
    [ "$spt" -gt 0 ] || continue
    if [ "${BENCH_AB_DEVICES:-own}" = dataset ]; then
      # on the big tenant's devices, in turn: as a fleet's sessions, on devices that had some
      psql_q -d "$db" -c "insert into rv_session (tenant_id, session_id, device_id, device_name, device_name_lc, state,
          video_quality, created_by, created_by_lc, updated_by, created_at, updated_at)
        with d as materialized (select device_id, device_name, device_name_lc, row_number() over (order by device_id) - 1 as k
                                from (select distinct device_id, device_name, device_name_lc from rv_session
                                      where tenant_id = '$tenant') x)
        select '$tenant', s, d.device_id, d.device_name, d.device_name_lc, 'INITIATED', 'STANDARD',
               'bench', 'bench', 'bench', now(), now()
        from generate_series($base + 1, $base + 2 * ${#phases[@]}) t, generate_series(2, $spt + 1) i,
             lateral (select format('00000000-0000-4000-8%s-%s', lpad(to_hex(t), 3, '0'), lpad(to_hex(i), 12, '0'))::uuid) x (s),
             d where d.k = (t * $spt + i) % (select count(*) from d)"
    else
      # each on a device of its own, named as one of 500: every state change makes new counts by id
      psql_q -d "$db" -c "insert into rv_session (tenant_id, session_id, device_id, device_name, device_name_lc, state,
          video_quality, created_by, created_by_lc, updated_by, created_at, updated_at)
        select '$tenant', s, s, 'Bench-Device-' || (i % 500), 'bench-device-' || (i % 500), 'INITIATED', 'STANDARD',
               'bench', 'bench', 'bench', now(), now()
        from generate_series($base + 1, $base + 2 * ${#phases[@]}) t, generate_series(2, $spt + 1) i,
             lateral (select format('00000000-0000-4000-8%s-%s', lpad(to_hex(t), 3, '0'), lpad(to_hex(i), 12, '0'))::uuid) x (s)"
    fi
    base=$((base + 2 * ${#phases[@]}))
    made=$((made + 2 * ${#phases[@]} * spt))
  done
  psql_q -d "$db" -c "vacuum (analyze) rv_session"
  echo "  $made sessions made for the phases; waiting for the compactors"
  sleep 20
  : >"$dir/phases.txt"
  base=16
  for mode in "${modes[@]}"; do
    spt=$(ab_sessions "$mode")
    for i in "${!phases[@]}"; do
      c=${phases[$i]}
      label=$c
      [ "$i" -eq 0 ] && label="$c (settle, not measured)"
      ab_config "$db" "$c"
      psql_q -d "$db" -c "checkpoint"
      sleep 3
      case $mode in
        batch) THREAD_BASE=$base SESSIONS_PER_THREAD=$spt MODE=batch BATCH=1000 WRK_OUT="$dir/phase.json" \
          wrk -t2 -c2 -d"${DURATION}s" --timeout 60s -s "$ROOT/bench/ingest.lua" "http://127.0.0.1:$PORT" >/dev/null ;;
        event) THREAD_BASE=$base SESSIONS_PER_THREAD=$spt MODE=event WRK_OUT="$dir/phase.json" \
          wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s "$ROOT/bench/ingest.lua" "http://127.0.0.1:$PORT" >/dev/null ;;
        # sessions of their own, numbered past every other phase's and the warm-up's
        create) THREAD_BASE=$created MODE=create WRK_OUT="$dir/phase.json" \
          wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s "$ROOT/bench/ingest.lua" "http://127.0.0.1:$PORT" >/dev/null ;;
      esac
      echo "$mode $label $(cat "$dir/phase.json")" | tee -a "$dir/phases.txt"
      sent=$(sed -n 's/.*"requests": \([0-9]*\).*/\1/p' "$dir/phase.json")
      [ "$mode" = batch ] && sent=$((sent * 1000))
      if [ "$spt" -gt 0 ] && [ "$sent" -gt $((2 * spt)) ]; then
        echo "  warning: $sent events for $((2 * spt)) sessions: some repeated a stage (raise the sessions per phase)" |
          tee -a "$dir/phases.txt"
      fi
      # the next phase's threads: as the sessions were made, two per phase of a mode
      if [ "$spt" -gt 0 ]; then base=$((base + 2)); else created=$((created + 2)); fi
    done
  done
  ab_config "$db" on
  stop_service
  remove_written "$db"
  psql_q -d "$db" -c "select rv_stats_refill()" -c "vacuum (analyze) rv_session"
}

# A cursor as the service encodes it (web/FeedCursor): base64url of version 1, the kind ('c'
# changes, 'e' events), the tenant and the position (tx, seq), 8 bytes each, big-endian.
encode_cursor() {
  local kind=$1 tenant=$2 tx=$3 seq=$4
  printf '01%s%s%016x%016x' "$kind" "${tenant//-/}" "$tx" "$seq" | xxd -r -p | base64 -w0 | tr '+/' '-_' | tr -d '='
}

# The classes by cursor (queries.txt lines whose query is a path): a page of 100 changes or
# events from a cursor half-way through the big tenant; then `follow` reading the big tenant's
# whole events feed from the start (events/s). Ingest with the events feed in place is what
# `ingest` measures (V20's index and V21's columns are part of the schema).
events() {
  local n=$1 key dir db tenant pos changes_cursor events_cursor total start elapsed
  N=$n; db=$(db_of "$n"); tenant=$(big_tenant "$n")
  dir="$RESULTS/events-$n"; mkdir -p "$dir"
  remove_written "$db"
  psql_q -d "$db" -c "vacuum (analyze) rv_session" -c "vacuum (analyze) rv_session_event"
  total=$(psql_q -d "$db" -c "select count(*) from rv_session_event where tenant_id = '$tenant'")
  pos=$(psql_q -d "$db" -F ' ' -c "select change_tx, arrival from rv_session_event where tenant_id = '$tenant'
    order by change_tx, arrival offset $((total / 2)) limit 1")
  events_cursor=$(encode_cursor 65 "$tenant" ${pos})
  pos=$(psql_q -d "$db" -F ' ' -c "select change_tx, change_seq from rv_session where tenant_id = '$tenant'
    order by change_tx, change_seq offset $(($(psql_q -d "$db" -c "select count(*) from rv_session where tenant_id = '$tenant'") / 2)) limit 1")
  changes_cursor=$(encode_cursor 63 "$tenant" ${pos})
  key=$(make_key "$n"); export BENCH_KEY=$key
  start_service "$n"
  local classes=""
  while read -r name weight query; do
    [[ -z "$name" || "$name" == \#* || "$query" != /* || "$name" == stats_* ]] && continue
    query=${query//\$EVENTS_CURSOR/$events_cursor}; query=${query//\$CHANGES_CURSOR/$changes_cursor}
    classes+="$name $query"$'\n'
  done <"$ROOT/bench/queries.txt"
  warm_up_and_run "$classes" "$dir" "classes by cursor"
  # following the whole events feed of the big tenant, from the start, to /dev/null
  printf '%s\n' "$key" >"$dir/key"; rm -f "$dir/follow.cursor"
  wait_idle "$n"
  start=$(date +%s.%N)
  java -Xmx256m -jar "$JAR" follow --url "http://127.0.0.1:$PORT" --key-file "$dir/key" \
    --state-file "$dir/follow.cursor" --once >/dev/null
  elapsed=$(echo "$(date +%s.%N) - $start" | bc)
  printf '{"events": %d, "seconds": %.2f, "events_per_second": %.0f}\n' "$total" "$elapsed" \
    "$(echo "$total / $elapsed" | bc -l)" | tee "$dir/follow.json"
  rm -f "$dir/key"
  stop_service
}

# The statistics classes (queries.txt names stats_*): each alone on the big tenant, after a
# warm-up of all of them; latency and throughput of the service (no pgbench twin).
stats() {
  local n=$1 key dir db classes=""
  N=$n; db=$(db_of "$n")
  dir="$RESULTS/stats-$n"; mkdir -p "$dir"
  remove_written "$db"
  psql_q -d "$db" -c "vacuum (analyze) rv_session"
  key=$(make_key "$n"); export BENCH_KEY=$key
  start_service "$n"
  while read -r name weight query; do
    [[ "$name" == stats_* ]] || continue
    classes+="$name $query"$'\n'
  done <"$ROOT/bench/queries.txt"
  warm_up_and_run "$classes" "$dir" "statistics classes"
  stop_service
}

# The retention purge of the big tenant's oldest month while the feed mix runs: the mix alone
# first, then the mix in windows of 10 s for as long as the purge runs (`data purge`, the same
# code as the service's hourly job, batches of rvfeed.lifecycle.batch-size with its pause).
# Deletes that month from the dataset: run it last, or generate again.
purge() {
  local n=$1 db tenant days key dir mix="" start elapsed purger window=0
  N=$n; db=$(db_of "$n"); tenant=$(big_tenant "$n")
  dir="$RESULTS/purge-$n"; mkdir -p "$dir"; rm -f "$dir"/mix-during-*.json
  remove_written "$db"
  psql_q -d "$db" -c "vacuum (analyze) rv_session" -c "vacuum (analyze) rv_session_event"
  # whole days from one month after the tenant's oldest update until now: that month expires
  days=$(psql_q -d "$db" -c "select floor(extract(epoch from now() - (min(updated_at) + interval '1 month'))
    / 86400)::int from rv_session where tenant_id = '$tenant'")
  psql_q -d "$db" -F ' ' -c "select 'sessions', count(*), 'expiring', count(*) filter (where updated_at
    < now() - make_interval(days => $days)) from rv_session where tenant_id = '$tenant'" | tee "$dir/before.txt"
  mix=$(feed_mix)
  key=$(make_key "$n"); export BENCH_KEY=$key
  start_service "$n"
  warm_up_feed "$mix"
  run_wrk mix-before "$mix" "$dir/mix-before.json"
  SPRING_DATASOURCE_URL=$(jdbc_of "$n") SPRING_DATASOURCE_USERNAME=root java -jar "$JAR" data retention \
    --tenant "$tenant" --days "$days" | tee "$dir/retention.txt"
  start=$(date +%s.%N)
  SPRING_DATASOURCE_URL=$(jdbc_of "$n") SPRING_DATASOURCE_USERNAME=root java -Xmx256m -jar "$JAR" data purge \
    >"$dir/purge.txt" 2>&1 &
  purger=$!
  while kill -0 "$purger" 2>/dev/null; do
    window=$((window + 1))
    QUERIES="$mix" WRK_OUT="$dir/mix-during-$window.json" wrk -t2 -c"$CONNECTIONS" -d10s --timeout 10s \
      -s "$ROOT/bench/feed.lua" "http://127.0.0.1:$PORT" >/dev/null
    echo "  mix during the purge, window $window: $(cat "$dir/mix-during-$window.json")"
  done
  wait "$purger"
  elapsed=$(echo "$(date +%s.%N) - $start" | bc)
  curl -s -H "Authorization: Bearer $key" "http://127.0.0.1:$PORT/api/v2/rv-activity-feed/?limit=1" \
    | sed -n 's/.*"count":\([0-9]*\).*/the feed'"'"'s count after: \1/p' >"$dir/after.txt"
  echo >>"$dir/after.txt"; cat "$dir/after.txt"
  stop_service
  grep '^tenant' "$dir/purge.txt"
  printf '{"days": %d, "seconds": %.1f, "windows": %d}\n' "$days" "$elapsed" "$window" | tee "$dir/purge.json"
  psql_q -d "$db" -F ' ' -c "select 'sessions', count(*) from rv_session where tenant_id = '$tenant'" \
    | tee -a "$dir/after.txt"
}

REPLICA_PORT=${BENCH_REPLICA_PORT:-5433}
REPLICA_DIR=${BENCH_REPLICA_DIR:-/var/tmp/rvfeed-bench-replica}
pg_bin() { echo "/usr/lib/postgresql/$(psql_q -d postgres -c "show server_version_num" | cut -c1-2)/bin"; }
stop_replica() {
  [ -f "$REPLICA_DIR/data/postmaster.pid" ] && su postgres -c "$(pg_bin)/pg_ctl -D $REPLICA_DIR/data -m fast -w stop" >/dev/null || true
  rm -rf "$REPLICA_DIR"
}

# A streaming replica of the machine's PostgreSQL server (all its databases) on REPLICA_PORT,
# with the primary's stock settings: pg_basebackup -R, then a hot standby. The primary must
# accept replication connections from 127.0.0.1 (a line is added to its pg_hba.conf if none does).
start_replica() {
  local bin hba; bin=$(pg_bin); hba=$(psql_q -d postgres -c "show hba_file")
  stop_replica
  if ! grep -Eq '^host[[:space:]]+replication' "$hba"; then
    echo "host replication all 127.0.0.1/32 trust" >>"$hba"
    psql_q -d postgres -c "select pg_reload_conf()" >/dev/null
  fi
  mkdir -p "$REPLICA_DIR"; chown postgres "$REPLICA_DIR"; chmod 700 "$REPLICA_DIR"
  local start=$SECONDS
  su postgres -c "$bin/pg_basebackup -h 127.0.0.1 -p 5432 -U root -D $REPLICA_DIR/data -R -X stream -c fast"
  echo "  replica: base backup of $(du -sh "$REPLICA_DIR/data" | cut -f1) in $((SECONDS - start)) s"
  cat >"$REPLICA_DIR/data/postgresql.conf" <<CONF
port = $REPLICA_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$REPLICA_DIR'
hot_standby = on
CONF
  printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' >"$REPLICA_DIR/data/pg_hba.conf"
  chown postgres "$REPLICA_DIR/data/postgresql.conf" "$REPLICA_DIR/data/pg_hba.conf"
  su postgres -c "$bin/pg_ctl -D $REPLICA_DIR/data -l $REPLICA_DIR/log -w start" >/dev/null
}

# Replay lag as the primary sees it, each second: seconds (0 when caught up) and bytes behind
lag_sampler() {
  local out=$1
  while true; do
    psql_q -d postgres -F ' ' -c "select coalesce(extract(epoch from replay_lag), 0),
      pg_wal_lsn_diff(sent_lsn, replay_lsn) from pg_stat_replication" >>"$out" 2>/dev/null || true
    sleep 1
  done
}

# Reads on a streaming replica: the feed mix with every read on the primary, then with the
# service reading from the replica; then 1,000-event batches at full speed with the replay lag
# sampled each second. The replica is removed afterwards.
replica() {
  local n=$1 key dir db mix="" per_thread sampler
  N=$n; db=$(db_of "$n")
  dir="$RESULTS/replica-$n"; mkdir -p "$dir"
  remove_written "$db"
  psql_q -d "$db" -c "vacuum (analyze) rv_session"
  start_replica
  mix=$(feed_mix)
  key=$(make_key "$n"); export BENCH_KEY=$key
  for reads in primary replica; do
    if [ "$reads" = replica ]; then
      SERVICE_ARGS="--rvfeed.read-replica.url=jdbc:postgresql://127.0.0.1:$REPLICA_PORT/$db" start_service "$n"
    else
      start_service "$n"
    fi
    warm_up_feed "$mix"
    run_wrk "mix, reads on the $reads" "$mix" "$dir/mix-$reads.json"
    if [ "$reads" = replica ]; then
      curl -s -H "Authorization: Bearer bench" "http://127.0.0.1:$PORT/actuator/prometheus" \
        | grep -E '^rvfeed_read_replica' >"$dir/replica-metrics.txt" || true
      # batches while the lag is sampled: the service writes to the primary only
      MODE=create WRK_OUT=/dev/null wrk -t2 -c"$CONNECTIONS" -d10s -s "$ROOT/bench/ingest.lua" \
        "http://127.0.0.1:$PORT" >/dev/null
      per_thread=$(sessions_per_thread "$db" 0)
      : >"$dir/lag.txt"; lag_sampler "$dir/lag.txt" & sampler=$!
      SESSIONS_PER_THREAD=$per_thread MODE=batch BATCH=1000 WRK_OUT="$dir/batch.json" wrk -t2 -c2 \
        -d"${DURATION}s" --timeout 60s -s "$ROOT/bench/ingest.lua" "http://127.0.0.1:$PORT" >/dev/null
      sleep 5; kill "$sampler" 2>/dev/null || true
      echo "  batches of 1000 with the replica: $(cat "$dir/batch.json")"
      awk '{ if ($1 > max) max = $1; if ($2 > maxb) maxb = $2; n++ }
        END { printf "  replay lag over %d samples: max %.2f s, max %d bytes behind\n", n, max, maxb }' "$dir/lag.txt" \
        | tee "$dir/lag-summary.txt"
    fi
    stop_service
  done
  remove_written "$db"
  stop_replica
}

case "${1:-}" in
  generate) generate "$2" ;;
  feed) feed "$2" ;;
  growth) feed "$2" "default offset_100k state_failed device_name_kiosk order_device_name" ;;
  classes) feed "$2" "$3" ;;   # re-measure some classes only: bench/run.sh classes SESSIONS "default combined"
  ingest) ingest "$2" ;;
  ingest-ab) ingest_ab "$2" ;;
  events) events "$2" ;;
  stats) stats "$2" ;;
  purge) purge "$2" ;;
  replica) replica "$2" ;;
  report) /usr/bin/python3 "$ROOT/bench/report.py" "$RESULTS" ;;
  *) sed -n '2,19p' "$0"; exit 2 ;;
esac
