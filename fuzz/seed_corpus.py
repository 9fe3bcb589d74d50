"""Seeds fuzz/corpus/ffi_ops from spec/vectors: one file per case, first byte = op index."""
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
ops_src = (REPO / "core/src/ffi.rs").read_text()
block = ops_src[ops_src.index("pub const OPS"):]
block = block[: block.index("];")]
OPS = [line.strip().strip('",') for line in block.splitlines()[1:] if line.strip().startswith('"')]
out = HERE / "corpus" / "ffi_ops"
out.mkdir(parents=True, exist_ok=True)
count = 0
for path in sorted((REPO / "spec/vectors").rglob("*.json")):
    for case in json.loads(path.read_text()):
        if case["op"] in OPS:
            data = bytes([OPS.index(case["op"])]) + json.dumps(case["input"], ensure_ascii=False).encode()
            (out / case["id"]).write_bytes(data)
            count += 1
print(f"seeded {count} inputs for {len(OPS)} ops")
