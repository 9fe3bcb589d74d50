#!/usr/bin/env bash
# Instructions per op: runs each case of benches/callgrind/cases.txt (an FFI op on a conformance
# vector's input, JSON text in and out through ffi::call_json) under
# `valgrind --tool=callgrind`, once with ITERS calls and once with none, and prints
# (Ir with ITERS - Ir with 0) / ITERS: the instructions one call executes, without start-up and
# the first (warm-up) call. Counts, unlike times, barely move on a busy machine, so a
# regression shows; benches/compare-commits.sh runs this on two commits.
#
# Usage: bash benches/callgrind.sh [--bin PATH] [--iters N] [--tsv]
#   --bin PATH   a built benches/callgrind harness (default: build it from this checkout)
#   --iters N    calls counted per case (default 200)
#   --tsv        print `name<TAB>op<TAB>Ir/op<TAB>status` lines only (for compare-commits.sh)
# Installs valgrind from apt when it is missing. Not run by CI: nothing here is asserted.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
HARNESS="$ROOT/benches/callgrind"
BIN=""
ITERS=200
TSV=0
while [ $# -gt 0 ]; do
    case "$1" in
        --bin) BIN="$2"; shift 2 ;;
        --iters) ITERS="$2"; shift 2 ;;
        --tsv) TSV=1; shift ;;
        *) echo "usage: $0 [--bin PATH] [--iters N] [--tsv]" >&2; exit 2 ;;
    esac
done

if ! command -v valgrind >/dev/null 2>&1; then
    echo "valgrind is missing: installing it with apt-get" >&2
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq valgrind >&2
fi

if [ -z "$BIN" ]; then
    # The harness has a workspace of its own; it uses the versions pinned in the root lock file.
    cp "$ROOT/Cargo.lock" "$HARNESS/Cargo.lock"
    TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
    CARGO_TARGET_DIR="$TARGET" cargo build --release --quiet --manifest-path "$HARNESS/Cargo.toml"
    BIN="$TARGET/release/delcredere-callgrind"
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Ir of one run: callgrind's "Collected : N" line.
ir() {
    valgrind --tool=callgrind --callgrind-out-file="$WORK/out" --log-file="$WORK/log" \
        "$BIN" "$HARNESS/cases.txt" "$ROOT/spec/vectors" "$1" "$2" > "$WORK/status"
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$WORK/log"
}

[ "$TSV" -eq 1 ] || printf '%-36s %14s  %s\n' "bench" "Ir/op" "first call"
"$BIN" "$HARNESS/cases.txt" | while IFS=$'\t' read -r name op; do
    base="$(ir "$name" 0)"
    full="$(ir "$name" "$ITERS")"
    status="$(cat "$WORK/status")"
    per=$(( (full - base) / ITERS ))
    if [ "$TSV" -eq 1 ]; then
        printf '%s\t%s\t%s\t%s\n' "$name" "$op" "$per" "$status"
    else
        printf '%-36s %14s  %s\n' "$name" "$per" "$status"
    fi
done
[ "$TSV" -eq 1 ] || echo "(Ir per call of ffi::call_json, JSON text in and out; $ITERS calls per case; valgrind $(valgrind --version | sed 's/valgrind-//'))"
