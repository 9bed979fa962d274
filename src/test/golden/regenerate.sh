#!/bin/sh
# Regenerates the golden files: nvidia_gpu_exporter's per-GPU series for each capture, computed by
# exporter_port.py (an independent port of the exporter's Go transformation) from the real captured
# full-field --format=csv files. The four-GPU input is written by GoldenSeriesTest (see
# GpuCapture.fourGpus) to target/four-gpus.csv; run that test once first.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
fixtures="$repo/src/test/resources/fixtures/nvidia-smi-query-gpu-csv"
out="$repo/src/test/resources/golden/nvidia-gpu-exporter"
mkdir -p "$out"
for csv in "$fixtures"/*.csv; do
  name=$(basename "$csv" .csv)
  python3 "$here/exporter_port.py" "$csv" > "$out/$name.prom"
done
if [ -f "$repo/target/four-gpus.csv" ]; then
  python3 "$here/exporter_port.py" "$repo/target/four-gpus.csv" > "$out/four-gpus__h100-h200__590.48.01.prom"
fi
