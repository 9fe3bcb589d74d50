//! Every FFI op on arbitrary text: the first byte picks the op (modulo the length of `OPS`, so
//! every op, including ones added later, is reached), the rest is the JSON input. Any panic,
//! abort, hang or `internal` error is a finding; other errors are expected.
#![no_main]

use delcredere::ffi::{call, call_json, Input, OPS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((first, rest)) = data.split_first() else {
        return;
    };
    let op = OPS[usize::from(*first) % OPS.len()];
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let from_text = call_json(op, text);
    // `call` turns a panic into `internal` (libFuzzer's panic hook aborts first anyway).
    if let Err(e) = &from_text {
        assert_ne!(e.code(), "internal", "{op}: {e}");
    }
    // The value path must agree with the text path whenever the text is valid JSON.
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
        let from_value = call(op, Input::Value(value)).map(|o| serde_json::to_string(&o).unwrap_or_default());
        if let (Ok(a), Ok(b)) = (&from_text, &from_value) {
            assert_eq!(a, b, "text and value paths disagree for {op}");
        }
    }
});
