#!/usr/bin/env bash
# The role's application.json against the agent, no root and no boot needed:
#  1. every status.* key the agent reads (found in src/main/java) is one the role renders, with the
#     value the operator set (tests/all-settings.yml, plus paths and principals made here);
#  2. the agent starts with that file (no one-line refusal): over HTTPS the rendered token file's token
#     lets a caller in and none gets 401; over the unix socket this user is an allowed peer;
#  3. the defaults render too, and say what the agent's own defaults say for the keys that decide who may ask.
# Needs target/system-status.jar (mvn -B -q package -DskipTests), openssl, curl and ansible-playbook.
set -euo pipefail
cd "$(dirname "$0")"
repo=$(cd ../.. && pwd)
jar=$repo/target/system-status.jar
[ -f "$jar" ] || { echo "check-config: $jar is missing: mvn -B -q package -DskipTests" >&2; exit 1; }
out=$(mktemp -d /tmp/system-status-config-check.XXXXXX)
agent=""
trap '[ -z "$agent" ] || kill "$agent" 2>/dev/null; rm -rf "$out"' EXIT

render() {
  local dir=$1; shift
  ANSIBLE_LOCALHOST_WARNING=False ANSIBLE_NOCOLOR=1 ansible-playbook -i localhost, render.yml \
    -e "render_dir=$dir" "$@" >"$out/render.log" 2>&1 || { cat "$out/render.log" >&2; exit 1; }
}

# What the all-settings render points at: real files with the modes the agent insists on.
token=check-config-token-0123456789abcdef
printf '# check-config\n%s\n' "$token" >"$out/tokens"
chmod 0600 "$out/tokens"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=check-config-ca -keyout "$out/ca.key" -out "$out/ca.pem" 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -keyout "$out/server.key" -out "$out/server.pem" 2>/dev/null
user=$(id -un) group=$(id -gn)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$out/paths.json" <<JSON
{"system_status_port": $port, "system_status_uds_path": "$out/status.sock", "system_status_auth_token_file": "$out/tokens",
 "system_status_tls_cert_path": "$out/server.pem", "system_status_tls_key_path": "$out/server.key",
 "system_status_tls_client_ca_path": "$out/ca.pem", "system_status_uds_owner": "$user",
 "system_status_uds_group": "$group", "system_status_uds_allowed_uids": ["$user", "0"],
 "system_status_uds_allowed_gids": ["$group"],
 "system_status_commands": {"systemctl": "$repo/src/demo/fake-bin/systemctl",
   "journalctl": "$repo/src/demo/fake-bin/journalctl", "nvidia-smi": "$repo/src/demo/fake-bin/nvidia-smi"}}
JSON
render "$out/all" -e @all-settings.yml -e @"$out/paths.json"
grep -rhoE '"status\.[a-z0-9.-]+"' "$repo/src/main/java" | tr -d '"' | sort -u >"$out/keys.txt"
python3 - "$out/all/application.json" "$out/keys.txt" all-settings.yml "$out/paths.json" <<'PY'
import json, sys, yaml
rendered = json.load(open(sys.argv[1]))
flat = {}
def walk(prefix, node):
    if isinstance(node, dict):
        for key, value in node.items():
            walk(prefix + "." + key if prefix else key, value)
    else:
        flat[prefix] = node
walk("", rendered)
read = [k for k in open(sys.argv[2]).read().split() if not k.endswith(".")]
# Prefixes the code builds keys from (status.commands.<program>, status.auth) are covered by their leaves.
missing = [k for k in read if k not in flat and not any(f.startswith(k + ".") for f in flat)]
assert not missing, "keys the agent reads that the role cannot set: %s" % missing
given = yaml.safe_load(open(sys.argv[3]))
given.update(json.load(open(sys.argv[4])))
def expect(key, var):
    want = given[var]
    got = flat[key]
    if isinstance(want, list) or isinstance(got, list):
        ok = [str(x) for x in got] == [str(x) for x in want]
    elif isinstance(want, bool) or isinstance(got, bool):
        ok = got == want
    else:
        ok = str(got) == str(want) or (isinstance(got, float) and got == float(want))
    assert ok, "%s: rendered %r, set %r" % (key, got, want)
for var in given:
    if var in ("system_status_commands", "system_status_services"):
        continue
    key = "status." + var[len("system_status_"):].replace("_", "-")
    key = {"status.auth-token-file": "status.auth.token-file", "status.auth-metrics-open": "status.auth.metrics-open",
           "status.tls-cert-path": "status.tls.cert-path", "status.tls-key-path": "status.tls.key-path",
           "status.tls-client-ca-path": "status.tls.client-ca-path", "status.tls-client-auth": "status.tls.client-auth",
           "status.rate-limit-per-second": "status.rate-limit.per-second", "status.rate-limit-burst": "status.rate-limit.burst",
           "status.audit-enabled": "status.audit.enabled", "status.redaction-patterns": "status.redaction.patterns",
           "status.metrics-min-interval": "status.metrics.min-interval",
           "status.overview-max-staleness": "status.overview.max-staleness",
           "status.gpu-xid-refresh": "status.gpu.xid-refresh"}.get(key, key)
    if key.startswith("status.push-"):
        key = "status.push." + key[len("status.push-"):]
    expect(key, var)
for program, path in given["system_status_commands"].items():
    assert flat["status.commands." + program] == path, program
services = rendered["status"]["services"]
assert [s["id"] for s in services] == ["k3s", "fabric"] and services[1]["masked-ok"] is True, services
print("check-config: the role renders all %d keys the agent reads, each as set" % len(read))
PY

# The agent accepts the file: it starts, and the token from the file lets an allowed peer in.
java -Xmx64m -XX:TieredStopAtLevel=1 -Dmicronaut.config.files="$out/all/application.json" -jar "$jar" \
  >"$out/agent.out" 2>"$out/agent.err" &
agent=$!
for _ in $(seq 200); do
  kill -0 "$agent" 2>/dev/null || { cat "$out/agent.err" >&2; echo "check-config: the agent refused the rendered file" >&2; exit 1; }
  [ -S "$out/status.sock" ] && break
  sleep 0.1
done
[ -S "$out/status.sock" ] || { echo "check-config: no unix socket after 20 s" >&2; exit 1; }
# Over HTTPS (client-auth optional): the token from the rendered file lets a caller in, none gets 401.
https() { curl -sk -o /dev/null -w '%{http_code}' --max-time 10 "$@" "https://127.0.0.1:$port/services"; }
code=$(https -H "Authorization: Bearer $token")
[ "$code" = 200 ] || { cat "$out/agent.err" >&2; echo "check-config: HTTPS with the rendered token: HTTP $code" >&2; exit 1; }
code=$(https)
[ "$code" = 401 ] || { echo "check-config: HTTPS without a token: HTTP $code (want 401)" >&2; exit 1; }
# Over the unix socket: this user is on the rendered peer allowlist; the file has the rendered mode.
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 --unix-socket "$out/status.sock" http://localhost/services)
[ "$code" = 200 ] || { echo "check-config: unix socket as an allowed peer: HTTP $code" >&2; exit 1; }
[ "$(stat -c %a "$out/status.sock")" = 600 ] || { echo "check-config: socket mode $(stat -c %a "$out/status.sock"), want 600" >&2; exit 1; }
kill "$agent"; wait "$agent" 2>/dev/null || true; agent=""
echo "check-config: the agent starts with it: HTTPS 200 with the token and 401 without; unix socket 0600, peer allowed"

# The defaults: who may ask is open unless the operator says otherwise, as in the agent.
render "$out/default"
python3 - "$out/default/application.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))["status"]
assert s["auth"] == {"token-file": "", "metrics-open": False}, s["auth"]
assert s["rate-limit"] == {"per-second": 0.0} and s["audit"] == {"enabled": True}, (s["rate-limit"], s["audit"])
assert "client-ca-path" not in s["tls"] and s["redaction"] == {"patterns": []} and s["uds-mode"] == "0660", s
print("check-config: the defaults render as the agent's own defaults")
PY
