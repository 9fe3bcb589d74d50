#!/usr/bin/env bash
# How much two threads can gain on this machine, apart from delcredere: each kind of work of
# probe.c (compute, memory, page faults) alone, then two processes of it at once, ROUNDS times
# (default 3). A speed-up of two at once is 2 x (alone) / (the slower of the pair). Needs a C
# compiler (cc). Not run in CI; figures in benches/RESULTS.md, "The machine".
set -euo pipefail
cd "$(dirname "$0")"
rounds=${1:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cc -O2 -o "$out/probe" probe.c
echo "$(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| work | round | alone | two at once | speed-up of two |"
echo "|---|---:|---:|---:|---:|"
for mode in compute memory faults; do
  for r in $(seq "$rounds"); do
    alone=$("$out/probe" "$mode")
    "$out/probe" "$mode" >"$out/a" & "$out/probe" "$mode" >"$out/b"; wait
    a=$(cat "$out/a"); b=$(cat "$out/b")
    awk -v m="$mode" -v r="$r" -v s="$alone" -v a="$a" -v b="$b" 'BEGIN {
      slow = a > b ? a : b; printf "| %s | %d | %.3f s | %.3f s, %.3f s | %.2fx |\n", m, r, s, a, b, 2 * s / slow }'
  done
done
