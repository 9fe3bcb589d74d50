#!/usr/bin/env bash
# Instruction counts of two commits side by side: checks A and B out into temporary git
# worktrees, copies this checkout's benches/callgrind harness into both (so both run the same
# harness on the same inputs: this checkout's cases.txt and spec/vectors), builds it against
# each commit's core, runs benches/callgrind.sh on each and prints Ir per call and B/A.
# A ratio above 1 means B executes more instructions. Cases whose first call fails in a commit
# (an op or input field it does not know yet) say so in the status column.
#
# Usage: bash benches/compare-commits.sh A B [--iters N]    (e.g. HEAD~5 HEAD)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if [ $# -lt 2 ]; then
    echo "usage: $0 A B [--iters N]" >&2
    exit 2
fi
A="$(git -C "$ROOT" rev-parse --verify "$1^{commit}")"
B="$(git -C "$ROOT" rev-parse --verify "$2^{commit}")"
shift 2
EXTRA=("$@")
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
WORK="$(mktemp -d)"
cleanup() {
    for side in a b; do
        [ -d "$WORK/$side" ] && git -C "$ROOT" worktree remove --force "$WORK/$side" >/dev/null 2>&1 || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

for side in a b; do
    if [ "$side" = a ]; then commit="$A"; else commit="$B"; fi
    git -C "$ROOT" worktree add --detach --quiet "$WORK/$side" "$commit"
    rm -rf "$WORK/$side/benches/callgrind"
    mkdir -p "$WORK/$side/benches/callgrind"
    cp -r "$ROOT/benches/callgrind/Cargo.toml" "$ROOT/benches/callgrind/src" "$WORK/$side/benches/callgrind/"
    cp "$WORK/$side/Cargo.lock" "$WORK/$side/benches/callgrind/Cargo.lock"
    echo "building the harness against $(git -C "$ROOT" log -1 --format='%h %s' "$commit")" >&2
    CARGO_TARGET_DIR="$TARGET" cargo build --release --quiet --manifest-path "$WORK/$side/benches/callgrind/Cargo.toml"
    # Both builds write the same path: keep each binary.
    cp "$TARGET/release/delcredere-callgrind" "$WORK/$side.bin"
done

for side in a b; do
    echo "counting $side" >&2
    bash "$ROOT/benches/callgrind.sh" --bin "$WORK/$side.bin" --tsv "${EXTRA[@]}" > "$WORK/$side.tsv"
done

echo "A = $(git -C "$ROOT" log -1 --format='%h %s' "$A")"
echo "B = $(git -C "$ROOT" log -1 --format='%h %s' "$B")"
printf '%-36s %14s %14s %8s  %s\n' "bench" "A Ir/op" "B Ir/op" "B/A" "status"
paste "$WORK/a.tsv" "$WORK/b.tsv" | while IFS=$'\t' read -r name _ a_ir a_status _ _ b_ir b_status; do
    ratio="$(awk -v a="$a_ir" -v b="$b_ir" 'BEGIN { if (a > 0) printf "%.3f", b / a; else print "-" }')"
    status="ok"
    if [ "$a_status" != ok ] || [ "$b_status" != ok ]; then status="A: $a_status, B: $b_status"; fi
    printf '%-36s %14s %14s %8s  %s\n' "$name" "$a_ir" "$b_ir" "$ratio" "$status"
done
