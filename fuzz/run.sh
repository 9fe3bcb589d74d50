#!/usr/bin/env bash
# Fuzzes each target for the given number of seconds (default 60), starting from corpora
# seeded with the conformance vectors (seed_corpus.py) and a dictionary of their keys and tags:
#   ffi_ops         every FFI op of ffi::OPS (the first byte of an input picks the op)
#   account_replay  the account event replay: Account::replay against Account::apply
#   engine_restore  Engine::restore of arbitrary bytes as a snapshot (spec/engine.md)
#   engine_restore_bytes  Engine::restore_bytes of arbitrary bytes as a binary snapshot
# Usage: bash fuzz/run.sh [SECONDS] [TARGET...]   (e.g. `nice bash fuzz/run.sh 600 ffi_ops`)
# Prints per target libFuzzer's runs, executions per second and new corpus entries, then the
# ffi_ops corpus per op (report.py). Logs go to fuzz/logs/, crashes to fuzz/artifacts/<target>/;
# copy each one, once fixed, to fuzz/crashers/ (ffi_ops), fuzz/crashers/account_replay/ or
# fuzz/crashers/engine_restore/ so that core/tests/fuzz_regressions.rs replays it on stable
# Rust. Exits non-zero when a target
# found something. Needs cargo-fuzz; the stable toolchain is used with RUSTC_BOOTSTRAP=1 for
# libFuzzer's flags.
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_PER_TARGET="${1:-60}"
[ $# -gt 0 ] && shift
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(ffi_ops account_replay engine_restore engine_restore_bytes)
PYTHON=python3
[ -x ../.venv/bin/python ] && PYTHON=../.venv/bin/python
"$PYTHON" seed_corpus.py
mkdir -p logs
failed=0
for target in "${TARGETS[@]}"; do
    echo "== $target: ${SECONDS_PER_TARGET}s, started $(date -u +%FT%TZ)"
    RUSTC_BOOTSTRAP=1 cargo fuzz build "$target" 2> "logs/$target.build.log" || { cat "logs/$target.build.log" >&2; exit 1; }
    set +e
    RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" "corpus/$target" -- -max_total_time="$SECONDS_PER_TARGET" \
        -max_len=65536 -rss_limit_mb=4096 -timeout=10 -dict=json.dict -print_final_stats=1 \
        2> "logs/$target.log"
    rc=$?
    set -e
    grep -E '^Done [0-9]+ runs|^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' \
        "logs/$target.log" || true
    echo "corpus entries: $(find "corpus/$target" -type f | wc -l)"
    if [ "$rc" -ne 0 ]; then
        failed=1
        echo "FOUND something (exit $rc): see fuzz/logs/$target.log and fuzz/artifacts/$target/"
        grep -E 'panicked at|ERROR: libFuzzer|SUMMARY' "logs/$target.log" | head -5 || true
    else
        echo "no crash, hang or leak"
    fi
done
python3 report.py
exit "$failed"
