"""The ffi_ops corpus per op: the seeds from spec/vectors, the entries libFuzzer added (named by
their SHA-1), and the crash inputs in artifacts/ffi_ops. The first byte of each picks the op."""
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
src = (HERE.parent / "core/src/ffi.rs").read_text()
block = src[src.index("pub const OPS"):]
block = block[: block.index("];")]
OPS = re.findall(r'^\s*"([a-z_]+)",', block, re.M)


def per_op(directory, keep=lambda p: True):
    counts = dict.fromkeys(OPS, 0)
    if directory.is_dir():
        for path in directory.iterdir():
            data = path.read_bytes() if path.is_file() and keep(path) else b""
            if data:
                counts[OPS[data[0] % len(OPS)]] += 1
    return counts


corpus = HERE / "corpus/ffi_ops"
added = per_op(corpus, lambda p: re.fullmatch(r"[0-9a-f]{40}", p.name) is not None)
total = per_op(corpus)
crashes = per_op(HERE / "artifacts/ffi_ops", lambda p: p.name.startswith(("crash-", "timeout-", "oom-", "leak-")))
print(f"{'op':36} {'seeds':>6} {'added':>6} {'crashes':>7}")
for op in OPS:
    print(f"{op:36} {total[op] - added[op]:>6} {added[op]:>6} {crashes[op]:>7}")
print(f"{'total':36} {sum(total.values()) - sum(added.values()):>6} {sum(added.values()):>6} {sum(crashes.values()):>7}")
