"""Seeds the fuzz corpora from spec/vectors and writes a libFuzzer dictionary.

- corpus/ffi_ops: one file per vector case, first byte = the op's index in ffi::OPS, then the
  input's JSON text. Fails when an op of OPS has no vector, so a new op cannot go unseeded.
- corpus/account_replay: every `account_state` input, and every account of an `obligations`
  input as an `account_state` input (buyer, events, the policy and asOf of the portfolio).
- corpus/engine_restore: every `obligations` input and every `account_state` input as an
  engine snapshot (formatVersion 1, the policy, each account a buyer with its events).
- corpus/engine_restore_bytes: each of those snapshots that restores, as the binary snapshot
  (format 2) of the engine it restores to, when the Python module `delcredere` is importable
  (run.sh runs this script with the repository's .venv when there is one); else none.
- for every valid vector input, variants with extreme values at once: every decimal string the
  largest accepted amount (28 nines), or the smallest (28 decimal places), every integer
  4294967295, every date 0001-01-01 or 9999-12-31 (prefixes xa-, xt-, xi-, xd-, xD-). Random
  mutation seldom builds such values; overflow in money or date arithmetic hides there.
- json.dict: every key and every short string value of the vectors' inputs, as quoted JSON
  strings, so that mutations produce field names and enum tags the ops know.
"""
import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
ops_src = (REPO / "core/src/ffi.rs").read_text()
block = ops_src[ops_src.index("pub const OPS"):]
block = block[: block.index("];")]
OPS = [line.strip().strip('",') for line in block.splitlines()[1:] if line.strip().startswith('"')]


def write(directory, name, data):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_bytes(data)


DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
VARIANTS = {
    "xa": lambda v: "9" * 28 if isinstance(v, str) and DECIMAL.fullmatch(v) else v,
    "xt": lambda v: "0." + "0" * 27 + "1" if isinstance(v, str) and DECIMAL.fullmatch(v) else v,
    "xi": lambda v: 4294967295 if isinstance(v, int) and not isinstance(v, bool) else v,
    "xd": lambda v: "0001-01-01" if isinstance(v, str) and DATE.fullmatch(v) else v,
    "xD": lambda v: "9999-12-31" if isinstance(v, str) and DATE.fullmatch(v) else v,
}


def rewrite(value, leaf):
    if isinstance(value, dict):
        return {k: rewrite(v, leaf) for k, v in value.items()}
    if isinstance(value, list):
        return [rewrite(v, leaf) for v in value]
    return leaf(value)


def tokens(value, out):
    if isinstance(value, dict):
        for key, item in value.items():
            out.add(key)
            tokens(item, out)
    elif isinstance(value, list):
        for item in value:
            tokens(item, out)
    elif isinstance(value, str) and len(value) <= 40:
        out.add(value)


seeded = {op: 0 for op in OPS}
replay = 0
snapshots = 0
binary = 0
extreme = 0
try:
    import delcredere
except ImportError:
    delcredere = None
words = set()
for path in sorted((REPO / "spec/vectors").rglob("*.json")):
    for case in json.loads(path.read_text()):
        op, data = case["op"], case["input"]
        if op not in OPS:
            continue
        text = json.dumps(data, ensure_ascii=False)
        write(HERE / "corpus/ffi_ops", case["id"], bytes([OPS.index(op)]) + text.encode())
        seeded[op] += 1
        tokens(data, words)
        if "error" in case or not isinstance(data, dict):
            continue
        for prefix, leaf in VARIANTS.items():
            variant = rewrite(data, leaf)
            if variant != data:
                text = json.dumps(variant, ensure_ascii=False)
                write(HERE / "corpus/ffi_ops", f"{prefix}-{case['id']}", bytes([OPS.index(op)]) + text.encode())
                extreme += 1
        if op in ("account_state", "obligations"):
            accounts = data.get("accounts") or [{"buyer": data.get("buyer"), "events": data.get("events", [])}]
            snapshot = {"formatVersion": 1, "policy": data["policy"],
                        "buyers": [{"id": f"B-{i}", "buyer": a["buyer"], "events": a["events"]} for i, a in enumerate(accounts)]}
            write(HERE / "corpus/engine_restore", case["id"], json.dumps(snapshot, ensure_ascii=False).encode())
            snapshots += 1
            if delcredere is not None:
                try:
                    engine = delcredere.Engine.restore(json.dumps(snapshot))
                except delcredere.DelcredereError:
                    pass
                else:
                    write(HERE / "corpus/engine_restore_bytes", case["id"], engine.to_bytes())
                    binary += 1
        if op == "account_state":
            write(HERE / "corpus/account_replay", case["id"], text.encode())
            replay += 1
        elif op == "obligations":
            for i, account in enumerate(data.get("accounts", [])):
                one = {"policy": data["policy"], "buyer": account["buyer"], "events": account["events"], "asOf": data["asOf"]}
                write(HERE / "corpus/account_replay", f"{case['id']}-{i}", json.dumps(one, ensure_ascii=False).encode())
                replay += 1

missing = [op for op, n in seeded.items() if n == 0]
if missing:
    raise SystemExit(f"ops without a vector to seed from: {', '.join(missing)}")
with open(HERE / "json.dict", "w", encoding="utf-8") as f:
    for word in sorted(words):
        quoted = json.dumps(word, ensure_ascii=True)
        if len(quoted) <= 60:  # libFuzzer's longest dictionary word is 64 bytes
            f.write(json.dumps(quoted) + "\n")
print(
    f"seeded {sum(seeded.values())} ffi_ops inputs for all {len(OPS)} ops and {extreme} extreme-value variants, "
    f"{replay} account_replay inputs, {snapshots} engine_restore snapshots, "
    f"{binary} engine_restore_bytes snapshots{'' if delcredere else ' (no delcredere module to write them)'}, {len(words)} dictionary words"
)
