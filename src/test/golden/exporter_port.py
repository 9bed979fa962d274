#!/usr/bin/env python3
"""An independent port of nvidia_gpu_exporter's exec-backend transformation, used only to produce the
golden files the Java GoldenSeriesTest compares the agent against. Ported by reading the exporter's Go
source (utkuozdemir/nvidia_gpu_exporter, MIT):
  internal/nvidiasmi/fields.go     ExtractQFields: `(?m)\n\s*\n^"([^"]+)"` over --help-query-gpu
  internal/nvidiasmi/csv.go        ParseCSVIntoTable: split on ",", trim; header = returned field names
  internal/nvidiasmi/transform.go  TransformFieldValue/TransformRawValue: enum mappers
                                   (gpu_recovery_action, fabric.state), 0x hex, enabled/yes/active=1,
                                   disabled/no/not active/default=0, exclusive_thread=1, prohibited=2,
                                   exclusive_process=3, else exactly one number x multiplier
  internal/nvidiasmi/resolve.go    infoFields: gpu_info labels uuid,name,driver_model_current,
                                   driver_model_pending,vbios_version,driver_version,pci_bus_id,serial,
                                   compute_cap,pci_sub_device_id,index (+cuda_version, empty on exec)
  internal/exporter/exporter.go    knownUnitSuffixes, BuildFQNameAndMultiplier (ToSnakeCase of the
                                   returned name with "." -> "_"), invalid-char runs -> "_", names
                                   claimed by several fields or reserved by the exporter are dropped
  internal/util/util.go            ToSnakeCase, HexToDecimal
  NormalizeUUID: lower-case, "gpu-" prefix removed.
Usage: exporter_port.py CSV_CAPTURE > golden.prom  (one series per line: name{labels} value, sorted)
"""
import re
import sys

PREFIX = "nvidia_smi"
UNITS = [(" [W]", "_watts", 1.0), (" [MHz]", "_clock_hz", 1000000.0), (" [MiB]", "_bytes", 1048576.0),
         (" [%]", "_ratio", 0.01), (" [us]", "_seconds", 0.000001), (" [ms]", "_seconds", 0.001),
         (" [seconds]", "_seconds", 1.0), (" [W/s]", "_watts_per_second", 1.0)]
RESERVED = {PREFIX + "_" + n for n in [
    "failed_scrapes_total", "last_collect_success", "last_collect_success_timestamp_seconds",
    "last_collect_duration_seconds", "gpu_info", "compute_app_info", "compute_app_used_memory_bytes",
    "compute_apps", "compute_apps_last_collect_success", "pcie_throughput_tx_bytes_per_second",
    "pcie_throughput_rx_bytes_per_second", "energy_joules_total", "mig_info", "mig_memory_total_bytes",
    "mig_memory_used_bytes", "mig_memory_free_bytes", "mig_memory_reserved_bytes",
    "mig_graphics_activity_ratio", "mig_sm_activity_ratio", "mig_sm_occupancy_ratio",
    "mig_tensor_activity_ratio", "mig_pcie_throughput_tx_bytes_per_second",
    "mig_pcie_throughput_rx_bytes_per_second", "xid_errors_total", "xid_last_timestamp_seconds",
    "command_exit_code", "nvml_return_code"]}
INFO = [("uuid", "uuid"), ("name", "name"), ("driver_model.current", "driver_model_current"),
        ("driver_model.pending", "driver_model_pending"), ("vbios_version", "vbios_version"),
        ("driver_version", "driver_version"), ("pci.bus_id", "pci_bus_id"), ("serial", "serial"),
        ("compute_cap", "compute_cap"), ("pci.sub_device_id", "pci_sub_device_id"), ("index", "index")]
ENUMS = {"gpu_recovery_action": {"none": 0, "gpu reset": 1, "reset": 1, "node reboot": 2, "reboot": 2,
                                 "drain p2p": 3, "drain and reset": 4},
         "fabric.state": {"not supported": 0, "not started": 1, "in progress": 2, "completed": 3}}
ABSENT = {"", "n/a", "[n/a]", "[not supported]", "[insufficient permissions]"}
NUMBER = re.compile(r"[+-]?(\d*[.])?\d+")


def snake(s):
    s = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", s)
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s)
    return s.lower()


def metric_name(rfield):
    name, mult = rfield, 1.0
    first = rfield.split(" ")[0]
    for suffix, name_suffix, m in UNITS:
        if rfield.endswith(suffix):
            name, mult = first + name_suffix, m
            break
    name = snake(name.replace(".", "_")).replace(" [", "_").replace("]", "")
    name = re.sub(r"[^a-zA-Z0-9_:]+", "_", name)
    return PREFIX + "_" + name, mult


def value(qfield, raw, mult):
    if qfield in ENUMS:
        key = raw.strip().lower()
        return ENUMS[qfield].get(key)  # absent token or unrecognised: no series
    t = raw.strip()
    if t.startswith("0x"):
        return float(int(t[2:], 16))
    v = t.lower()
    fixed = {"enabled": 1, "yes": 1, "active": 1, "disabled": 0, "no": 0, "not active": 0, "default": 0,
             "exclusive_thread": 1, "prohibited": 2, "exclusive_process": 3}
    if v in fixed:
        return float(fixed[v])
    nums = [m.group(0) for m in NUMBER.finditer(v)][:2]
    if len(nums) != 1:
        return None
    return float(nums[0]) * mult


def fmt(x):
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return repr(x)


def esc(s):
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")


def series(csv_text, qfields):
    lines = csv_text.strip().split("\n")
    rfields = [c.strip() for c in lines[0].split(",")]
    assert len(rfields) == len(qfields), "header does not match the query"
    names = {}
    claims = {}
    for q, r in zip(qfields, rfields):
        n, m = metric_name(r)
        names[q] = (n, m)
        claims.setdefault(n, []).append(q)
    out = []
    for line in lines[1:]:
        cells = [c.strip() for c in line.split(",")]
        if len(cells) != len(qfields):
            return []  # the exporter fails the whole collection
        row = dict(zip(qfields, cells))
        uuid = row["uuid"].lower()
        uuid = uuid[4:] if uuid.startswith("gpu-") else uuid
        labels = []
        for q, label in INFO:
            v = uuid if q == "uuid" else row.get(q, "")
            if v != "":
                labels.append((label, v))
        out.append(PREFIX + "_gpu_info{" + ",".join(f'{k}="{esc(v)}"' for k, v in sorted(labels)) + "} 1")
        for q in qfields:
            n, m = names[q]
            if n in RESERVED or len(claims[n]) > 1:
                continue
            v = value(q, row[q], m)
            if v is None:
                continue
            out.append(f'{n}{{uuid="{esc(uuid)}"}} {fmt(v)}')
    return sorted(out)


if __name__ == "__main__":
    text = open(sys.argv[1], encoding="utf-8").read()
    header = text.strip().split("\n")[0]
    qfields = [c.strip() for c in header.split(",")]
    # A --format=csv header carries units ("memory.total [MiB]"); the query names are the header names
    # without them, which is how the capture's query was built (its "query-gpu field list" section).
    qfields = [q.split(" ")[0] for q in qfields]
    print("\n".join(series(text, qfields)))
