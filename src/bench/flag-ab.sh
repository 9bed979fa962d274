#!/usr/bin/env bash
# A/B of two variants of the role's start (its flags, an archive from its own training run per variant):
# N starts of each, interleaved A B A B so that a noisy hour hits both, and the medians of the first
# /health after launch, the CPU its main thread used by then (steadier than the wall time on a shared
# machine) and RSS 1 s after start; with LOAD=1 each start then takes benchmark.sh's loads (/health,
# then cached /overview: wrk -t2 -c16, 5 s warm-up and 10 s each) and adds their rates and RSS and
# threads at the end of them (where benchmark.sh reads "RSS after load") and RSS 3 s later.
#   A="flags" B="flags" [JAR_A=x.jar JAR_B=y.jar] [N=5] [LOAD=1] bash src/bench/flag-ab.sh
# A and B are added to the role's flags (either may be empty); the jars default to target/system-status.jar.
# e.g. B="-XX:NewRatio=4" LOAD=1 bash src/bench/flag-ab.sh      (needs wrk and python3 with LOAD=1)
set -euo pipefail
cd "$(dirname "$0")/../.."
jar_a=${JAR_A:-target/system-status.jar}; jar_b=${JAR_B:-target/system-status.jar}
for j in "$jar_a" "$jar_b"; do [ -f "$j" ] || { echo "flag-ab: $j is missing (mvn -B -q package -DskipTests)" >&2; exit 1; }; done
# shellcheck source=src/bench/lib.sh
. src/bench/lib.sh
ROLE_FLAGS=$(role_flags)
port=18175
work=$(mktemp -d)
pid=
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
stand_in_settings "$work"
for v in A B; do
  if [ $v = A ]; then jar=$jar_a; extra=${A:-}; else jar=$jar_b; extra=${B:-}; fi
  # shellcheck disable=SC2086
  sh ansible/roles/system_status/files/build-cds-archive.sh java "$jar" "$work/cds$v" "$work/$v.jsa" "$work/application.json" \
    $ROLE_FLAGS $extra && [ -e "$work/$v.jsa" ] || { echo "flag-ab: the training run failed for $v" >&2; exit 1; }
done

# one VARIANT JAR EXTRA: prints "VARIANT first_ms main_cpu_ms rss_1s [health_rps overview_rps rss_after threads rss_after_3s]"
one() {
  local started; started=$(date +%s%N)
  # shellcheck disable=SC2086
  java $ROLE_FLAGS $3 -Xshare:auto -XX:SharedArchiveFile="$work/$1.jsa" -Dmicronaut.config.files="$work/application.json" \
    -Dstatus.bind-address=127.0.0.1 -Dstatus.port=$port -Dstatus.push.enabled=false -jar "$2" >"$work/agent.log" 2>&1 &
  pid=$!
  python3 src/bench/first-answer.py "$port" "$pid" || { cat "$work/agent.log" >&2; exit 1; }
  local line="$1 $(( ($(date +%s%N) - started) / 1000000 )) $(main_cpu_ms "$pid")"
  sleep 1; line="$line $(rss_mib "$pid" 1)"
  if [ -n "${LOAD:-}" ]; then
    line="$line $(rate /health 10s) $(rate /overview 10s) $(rss_mib "$pid" 1) $(threads "$pid")"
    sleep 3; line="$line $(rss_mib "$pid" 1)"
  fi
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  echo "$line"
}
for _ in $(seq "${N:-5}"); do
  one A "$jar_a" "${A:-}"; one B "$jar_b" "${B:-}"
done | tee "$work/runs"
echo
names=("first /health, ms" "main thread CPU by then, ms" "RSS 1 s after start, MiB" "/health req/s" "cached /overview req/s" "RSS after load, MiB" "threads after load" "RSS 3 s later, MiB")
cols=$(awk '{print NF - 1; exit}' "$work/runs")
printf '| median of %s | A: %s | B: %s |\n|---|---|---|\n' "${N:-5}" "${A:-role flags}${JAR_A:+ ($jar_a)}" "${B:-role flags}${JAR_B:+ ($jar_b)}"
for c in $(seq "$cols"); do
  printf '| %s | %s | %s |\n' "${names[$((c - 1))]}" "$(awk -v c=$((c + 1)) '$1 == "A" {print $c}' "$work/runs" | median)" \
    "$(awk -v c=$((c + 1)) '$1 == "B" {print $c}' "$work/runs" | median)"
done
printf '\n(%s, %s cores, load %s at the end, %s)\n' "$(date -u +%Y-%m-%d)" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" \
  "$(java -version 2>&1 | head -1)"
