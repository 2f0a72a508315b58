#!/usr/bin/env bash
# Redmine 5 (Debian bookworm's `redmine` + `redmine-sqlite`) served by Debian's `puma` on
# 127.0.0.1:$REDMINE_PORT in production mode, beside the app, for benchmarks/targets.py
# --redmine. Idempotent: re-running it installs nothing twice, keeps the data and restarts
# nothing that already answers. Needs root (apt-get, www-data). See README.md beside it.
#
#   sudo bash benchmarks/redmine/setup.sh            # install, configure, start, load
#   REDMINE_PORT=3025 bash benchmarks/redmine/setup.sh
#   bash benchmarks/redmine/setup.sh stop            # stop the puma it started
#   REDMINE_LOAD=0 bash benchmarks/redmine/setup.sh  # without step 4 (the plan's 146 issues)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

PORT="${REDMINE_PORT:-3025}"
THREADS="${REDMINE_THREADS:-5}"   # puma threads per process (Rails' default 5)
WORKERS="${REDMINE_WORKERS:-0}"   # 0 = puma single mode (one process; SQLite)
APP=/usr/share/redmine
RUN=/run/redmine-bench
PIDFILE="$RUN/puma.pid"
LOG=/var/log/redmine/default/puma-bench.log

say() { echo "[redmine setup $(date -u +%H:%M:%S)] $*" >&2; }

if [[ "${1:-}" == stop ]]; then
    if [[ -s "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
        kill "$(cat "$PIDFILE")" && say "stopped puma $(cat "$PIDFILE")"
    else
        say "no puma running from $PIDFILE"
    fi
    exit 0
fi

[[ $(id -u) == 0 ]] || { echo "run as root (apt-get, www-data)" >&2; exit 1; }

# 1. Packages, without questions: dbconfig-common creates the SQLite database of the
#    "default" instance and the postinst migrates it and loads the default data (English).
if [[ $(dpkg-query -W -f='${Status}\n' redmine redmine-sqlite puma 2>/dev/null |
    grep -c 'install ok installed') == 3 ]]; then
    say "redmine, redmine-sqlite, puma already installed"
else
    say "preseeding debconf, apt-get install redmine redmine-sqlite puma …"
    debconf-set-selections <<'SEL'
redmine redmine/current-instances string default
redmine redmine/instances/default/dbconfig-install boolean true
redmine redmine/instances/default/dbconfig-upgrade boolean true
redmine redmine/instances/default/database-type select sqlite3
redmine redmine/instances/default/db/basepath string /var/lib/dbconfig-common/sqlite3/redmine/instances/default
redmine redmine/instances/default/db/dbname string redmine_default
redmine redmine/instances/default/default-language select en
SEL
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
        redmine redmine-sqlite puma
fi

# 2. The REST API on (the loader and benchmarks/redmine_pages.py use it), and the admin's API
#    key written where the loader finds it (root-only). One `rails runner` (~10 s).
KEY_FILE=/etc/redmine/default/bench-admin-api-key
if [[ ! -s "$KEY_FILE" ]]; then
    say "rails runner: REST API on, admin API key -> $KEY_FILE …"
    (cd "$APP" && runuser -u www-data -- env REDMINE_INSTANCE=default RAILS_ENV=production \
        bin/rails runner '
            Setting.rest_api_enabled = "1"
            admin = User.find_by_login("admin")
            admin.update_columns(must_change_passwd: false)
            puts "KEY=" + admin.api_key' | sed -n 's/^KEY=//p' > "$KEY_FILE.new")
    [[ -s "$KEY_FILE.new" ]] || { echo "rails runner printed no API key" >&2; exit 1; }
    install -m 600 "$KEY_FILE.new" "$KEY_FILE" && rm -f "$KEY_FILE.new"
else
    say "REST API already on, admin API key in $KEY_FILE"
fi

# 3. puma, production, as www-data (Debian's README: never as root), in the background with a
#    pid file. Single mode with 5 threads by default: SQLite's pool (database.yml) is Rails'
#    default 5, and one Ruby process runs one thread at a time (the GVL).
if curl -fs -o /dev/null "http://127.0.0.1:$PORT/login"; then
    say "Redmine already answers on http://127.0.0.1:$PORT"
else
    install -d -o www-data -g www-data "$RUN"
    say "starting puma on 127.0.0.1:$PORT (threads $THREADS, workers $WORKERS), log $LOG …"
    # Every descriptor of the background job goes to the log: nothing holds this script's
    # stdout open (a caller piping it would wait for puma to end).
    (cd "$APP" && exec setsid runuser -u www-data -- env REDMINE_INSTANCE=default \
        RAILS_ENV=production puma -e production -b "tcp://127.0.0.1:$PORT" \
        -t "$THREADS:$THREADS" -w "$WORKERS" --pidfile "$PIDFILE" config.ru) \
        >>"$LOG" 2>&1 </dev/null &
    for _ in $(seq 120); do
        curl -fs -o /dev/null "http://127.0.0.1:$PORT/login" && break
        sleep 1
    done
    curl -fs -o /dev/null "http://127.0.0.1:$PORT/login" ||
        { tail -20 "$LOG" >&2; echo "puma did not answer on $PORT" >&2; exit 1; }
fi
say "Redmine on http://127.0.0.1:$PORT (pid $(cat "$PIDFILE" 2>/dev/null || echo '?'))"

# 4. The 2022 plan: project dudu-2022, 146 issues, 10 notes on task 19's, the user bench
#    (load_tasks.py, REST API; it keeps a project that is already complete).
if [[ "${REDMINE_LOAD:-1}" == 1 ]]; then
    say "loading the 2022 plan (benchmarks/redmine/load_tasks.py) …"
    python3 "$HERE/load_tasks.py" --url "http://127.0.0.1:$PORT"
fi
