#!/bin/sh
# The cover check through the C ABI against the same check in Rust (issue #24; goal: within
# 1.5x). Builds the C ABI in release (fat LTO, as shipped), compiles the C timing loop
# cover.c with the system C compiler (-O2) against the shared and the static library, runs
# each, then the Rust timing loops of benches/c_abi.rs on the same engine. Arguments: calls
# per round (default 2000000) and rounds (default 7). Figures in benches/RESULTS.md.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
CC=${CC:-gcc}
target=${CARGO_TARGET_DIR:-$root/target}
calls=${1:-2000000}
rounds=${2:-7}
out="$target/c-abi"
mkdir -p "$out"
cargo build -p delcredere-c --release --locked
lib="$target/release"
"$CC" -std=c11 -O2 -Wall -Wextra -Werror -I bindings-c/include benches/c_abi/cover.c \
  -L "$lib" -ldelcredere_c -Wl,-rpath,"$lib" -o "$out/cover-bench"
"$CC" -std=c11 -O2 -Wall -Wextra -Werror -I bindings-c/include benches/c_abi/cover.c \
  "$lib/libdelcredere_c.a" -lgcc_s -lutil -lrt -lpthread -lm -ldl -o "$out/cover-bench-static"
echo "== C loop, shared library"
"$out/cover-bench" "$calls" "$rounds"
echo "== C loop, static library"
"$out/cover-bench-static" "$calls" "$rounds"
echo "== Rust loops (cargo bench -p delcredere-c --bench c_abi)"
cargo bench -p delcredere-c --bench c_abi --locked -- "$calls" "$rounds"
