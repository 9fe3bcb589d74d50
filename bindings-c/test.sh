#!/bin/sh
# Builds and tests the C ABI (crate delcredere-c), from any working directory: the shared and
# static libraries, the header against the code (cbindgen, header.sh --check), the header
# alone as C99 and as C++, and the integrator's example examples/erp.c compiled with the
# system C compiler against each library, run, and run again under valgrind (no error, no
# definite or indirect leak). The vectors through the C ABI and the error paths are Rust
# tests (tests/), run by `cargo test --workspace`.
# Needs: cargo, cbindgen (the version scripts/setup.sh pins), gcc (or $CC), valgrind.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"
CC=${CC:-gcc}
target=${CARGO_TARGET_DIR:-$root/target}
lib="$target/debug"
out="$target/c-abi"
mkdir -p "$out"

echo "== c abi: cargo build -p delcredere-c"
cargo build -p delcredere-c --locked

echo "== c abi: header"
sh "$here/header.sh" --check
"$CC" -std=c99 -pedantic -Wall -Wextra -Werror -fsyntax-only -x c "$here/include/delcredere.h"
if command -v g++ >/dev/null; then
  g++ -std=c++11 -pedantic -Wall -Wextra -Werror -fsyntax-only -x c++ "$here/include/delcredere.h"
fi

echo "== c abi: examples/erp.c against the shared library"
"$CC" -std=c11 -Wall -Wextra -Werror -pthread -I "$here/include" "$here/examples/erp.c" \
  -L "$lib" -ldelcredere_c -Wl,-rpath,"$lib" -o "$out/erp"
"$out/erp"

echo "== c abi: examples/erp.c against the static library"
# The system libraries a Rust static library needs on Linux (`cargo rustc -p delcredere-c
# --crate-type staticlib -- --print native-static-libs` lists them).
"$CC" -std=c11 -Wall -Wextra -Werror -pthread -I "$here/include" "$here/examples/erp.c" \
  "$lib/libdelcredere_c.a" -lgcc_s -lutil -lrt -lpthread -lm -ldl -o "$out/erp-static"
if ldd "$out/erp-static" | grep -q delcredere; then
  echo "erp-static links libdelcredere_c dynamically" >&2
  exit 1
fi
"$out/erp-static" >/dev/null

echo "== c abi: valgrind"
for exe in erp erp-static; do
  valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect \
    "$out/$exe" >/dev/null
  echo "valgrind $exe: no error, no leak"
done
echo "c abi: all green"
