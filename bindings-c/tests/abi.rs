//! The C ABI as a C program meets it: every function through its raw pointers, every error
//! path (NULL, text that is not UTF-8, a length that lies, a misaligned out-parameter, a
//! foreign, freed or twice-freed engine, bad input), the figures against the Rust engine's,
//! and the threading rule (questions on many threads while another thread applies events).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::ffi::{c_char, CStr};
use std::ptr::{null, null_mut};

use delcredere::engine::Engine;
use delcredere_c::*;
use serde_json::{json, Value};

const POLICY: &str = r#"{"currency": "EUR", "insuranceYear": {"start": "2026-01-01"},
    "agreedCountries": ["DE"], "maxCreditPeriodDays": 120, "maxExtensionPeriodDays": 60,
    "waitingPeriodDays": 180, "indemnityPercentage": "90",
    "maximumLiability": {"amount": "1000000", "currency": "EUR"},
    "premium": {"basis": "fixed", "fixedAmount": {"amount": "5000", "currency": "EUR"}}}"#;
const BUYER: &str = r#"{"legalName": "Müller GmbH", "legalForm": "GmbH", "country": "DE", "entityKind": "company"}"#;
const EVENTS: [&str; 3] = [
    r#"{"type": "limitApplied", "id": "l1", "date": "2026-02-01",
        "requestedAmount": {"amount": "50000", "currency": "EUR"}, "paymentTermsDays": 60}"#,
    r#"{"type": "limitGranted", "id": "l2", "date": "2026-02-05", "amount": {"amount": "50000", "currency": "EUR"}}"#,
    r#"{"type": "invoiceIssued", "id": "i1", "date": "2026-03-01", "reference": "F-1001",
        "amount": {"amount": "45000", "currency": "EUR"}, "paymentTermsDays": 60}"#,
];

/// A failed call as the caller sees it.
#[derive(Debug, PartialEq, Eq)]
struct Failed {
    status: delcredere_status,
    code: String,
    field: String,
    message: String,
}

fn text_of(p: *const c_char) -> String {
    assert!(!p.is_null());
    // SAFETY: a NUL-terminated string of the library.
    unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_owned()
}

/// The status and, on failure, the error (given back to the library).
fn outcome(status: delcredere_status, error: *mut delcredere_error) -> Result<(), Failed> {
    if status == delcredere_status::Ok {
        assert!(error.is_null(), "an error on success");
        return Ok(());
    }
    assert!(!error.is_null(), "no error for status {status:?}");
    // SAFETY: an error of the library, read before it is given back.
    let e = unsafe { &*error };
    let failed = Failed {
        status,
        code: text_of(e.code),
        field: text_of(e.field),
        message: text_of(e.message),
    };
    // SAFETY: given back once.
    unsafe { delcredere_error_free(error) };
    Err(failed)
}

/// A JSON answer (given back to the library).
fn json_out(
    status: delcredere_status,
    out: *mut c_char,
    len: usize,
    error: *mut delcredere_error,
) -> Result<String, Failed> {
    outcome(status, error)?;
    let text = text_of(out);
    assert_eq!(text.len(), len);
    // SAFETY: given back once.
    unsafe { delcredere_string_free(out) };
    Ok(text)
}

fn code_field(r: Result<impl std::fmt::Debug, Failed>) -> (delcredere_status, String, String) {
    let e = r.unwrap_err();
    (e.status, e.code, e.field)
}

fn arg(code: &str, field: &str) -> (delcredere_status, String, String) {
    (delcredere_status::ArgumentError, code.into(), field.into())
}

fn input(code: &str, field: &str) -> (delcredere_status, String, String) {
    (delcredere_status::InputError, code.into(), field.into())
}

fn call_raw(op: *const c_char, op_len: usize, input: *const c_char, input_len: usize) -> Result<String, Failed> {
    let (mut out, mut len, mut error) = (null_mut(), 0, null_mut());
    // SAFETY: the test passes pointers valid for their lengths (or NULL).
    let status = unsafe { delcredere_call(op, op_len, input, input_len, &mut out, &mut len, &mut error) };
    json_out(status, out, len, error)
}

fn call(op: &str, input: &[u8]) -> Result<String, Failed> {
    call_raw(op.as_ptr().cast(), op.len(), input.as_ptr().cast(), input.len())
}

/// An engine made through the ABI, given back when dropped.
#[derive(Debug)]
struct Handle(*mut delcredere_engine);

// SAFETY: the engine is Send + Sync behind its lock (the threading rule under test).
unsafe impl Send for Handle {}
// SAFETY: as above.
unsafe impl Sync for Handle {}

impl Drop for Handle {
    fn drop(&mut self) {
        // SAFETY: a live handle, given back once.
        assert_eq!(unsafe { delcredere_engine_free(self.0) }, delcredere_status::Ok);
    }
}

fn new_engine(policy: &str) -> Result<Handle, Failed> {
    let (mut engine, mut error) = (null_mut(), null_mut());
    // SAFETY: valid text and places.
    let status = unsafe { delcredere_engine_new(policy.as_ptr().cast(), policy.len(), &mut engine, &mut error) };
    outcome(status, error).map(|()| Handle(engine))
}

impl Handle {
    fn add_buyer(&self, key: &str, buyer: &str) -> Result<u32, Failed> {
        let (mut id, mut error) = (u32::MAX, null_mut());
        // SAFETY: a live handle, valid text and places.
        let status = unsafe {
            delcredere_engine_add_buyer(
                self.0,
                key.as_ptr().cast(),
                key.len(),
                buyer.as_ptr().cast(),
                buyer.len(),
                &mut id,
                &mut error,
            )
        };
        outcome(status, error).map(|()| id)
    }

    fn apply(&self, key: &str, event: &str) -> Result<(), Failed> {
        let mut error = null_mut();
        // SAFETY: a live handle, valid text and places.
        let status = unsafe {
            delcredere_engine_apply(
                self.0,
                key.as_ptr().cast(),
                key.len(),
                event.as_ptr().cast(),
                event.len(),
                &mut error,
            )
        };
        outcome(status, error)
    }

    fn apply_all(&self, events: &str) -> Result<usize, Failed> {
        let (mut n, mut error) = (0, null_mut());
        // SAFETY: a live handle, valid text and places.
        let status =
            unsafe { delcredere_engine_apply_all(self.0, events.as_ptr().cast(), events.len(), &mut n, &mut error) };
        outcome(status, error).map(|()| n)
    }

    #[allow(clippy::too_many_arguments)]
    fn cover(
        &self,
        buyer: u32,
        minor: i64,
        scale: u32,
        day: i32,
        terms: u32,
        flags: u32,
        kind: u32,
        as_of: i32,
    ) -> Result<delcredere_cover, Failed> {
        let mut out = delcredere_cover {
            covered_minor: -1,
            uncovered_minor: -1,
            limit_minor: -1,
            scale: 99,
            has_limit: 9,
            cover_type: delcredere_cover_type::None,
            overdue: delcredere_overdue_effect::NoEffect,
        };
        let mut error = null_mut();
        // SAFETY: a live handle and valid places.
        let status = unsafe {
            delcredere_engine_cover(
                self.0, buyer, minor, scale, day, terms, flags, kind, 0, as_of, &mut out, &mut error,
            )
        };
        outcome(status, error).map(|()| out)
    }

    fn cover_text(&self, key: &str, amount: &str, date: &str, as_of: &str) -> Result<delcredere_cover, Failed> {
        let mut out = std::mem::MaybeUninit::<delcredere_cover>::uninit();
        let mut error = null_mut();
        // SAFETY: a live handle, valid text and places.
        let status = unsafe {
            delcredere_engine_cover_text(
                self.0,
                key.as_ptr().cast(),
                key.len(),
                amount.as_ptr().cast(),
                amount.len(),
                date.as_ptr().cast(),
                date.len(),
                60,
                0,
                0,
                0,
                as_of.as_ptr().cast(),
                as_of.len(),
                out.as_mut_ptr(),
                &mut error,
            )
        };
        // SAFETY: written on success.
        outcome(status, error).map(|()| unsafe { out.assume_init() })
    }

    fn check_cover(&self, key: &str, delivery: &str, as_of: &str) -> Result<String, Failed> {
        let (mut out, mut len, mut error) = (null_mut(), 0, null_mut());
        // SAFETY: a live handle, valid text and places.
        let status = unsafe {
            delcredere_engine_check_cover(
                self.0,
                key.as_ptr().cast(),
                key.len(),
                delivery.as_ptr().cast(),
                delivery.len(),
                as_of.as_ptr().cast(),
                as_of.len(),
                &mut out,
                &mut len,
                &mut error,
            )
        };
        json_out(status, out, len, error)
    }

    fn obligations(&self, as_of: &str, lang: Option<&str>) -> Result<String, Failed> {
        let (mut out, mut len, mut error) = (null_mut(), 0, null_mut());
        let (lang_ptr, lang_len) = lang.map_or((null(), 0), |l| (l.as_ptr().cast(), l.len()));
        // SAFETY: a live handle, valid text (or NULL for lang) and places.
        let status = unsafe {
            delcredere_engine_obligations(
                self.0,
                as_of.as_ptr().cast(),
                as_of.len(),
                lang_ptr,
                lang_len,
                &mut out,
                &mut len,
                &mut error,
            )
        };
        json_out(status, out, len, error)
    }

    fn snapshot(&self) -> Result<String, Failed> {
        let (mut out, mut len, mut error) = (null_mut(), 0, null_mut());
        // SAFETY: a live handle and valid places.
        let status = unsafe { delcredere_engine_snapshot(self.0, &mut out, &mut len, &mut error) };
        json_out(status, out, len, error)
    }
}

fn restore(snapshot: &str) -> Result<Handle, Failed> {
    let (mut engine, mut error) = (null_mut(), null_mut());
    // SAFETY: valid text and places.
    let status =
        unsafe { delcredere_engine_restore(snapshot.as_ptr().cast(), snapshot.len(), &mut engine, &mut error) };
    outcome(status, error).map(|()| Handle(engine))
}

fn load(setup: &str) -> Result<Handle, Failed> {
    let (mut engine, mut error) = (null_mut(), null_mut());
    // SAFETY: valid text and places.
    let status = unsafe { delcredere_engine_load(setup.as_ptr().cast(), setup.len(), &mut engine, &mut error) };
    outcome(status, error).map(|()| Handle(engine))
}

/// `delcredere_engine_call` of `engine` (a handle's pointer, or NULL).
fn engine_call(engine: *mut delcredere_engine, method: &str, input: &str) -> Result<String, Failed> {
    let (mut out, mut len, mut error) = (null_mut(), 0, null_mut());
    // SAFETY: the engine is NULL or a live handle; valid text and places.
    let status = unsafe {
        delcredere_engine_call(
            engine,
            method.as_ptr().cast(),
            method.len(),
            input.as_ptr().cast(),
            input.len(),
            &mut out,
            &mut len,
            &mut error,
        )
    };
    json_out(status, out, len, error)
}

fn day(date: &str) -> i32 {
    let (mut d, mut error) = (0, null_mut());
    // SAFETY: valid text and places.
    let status = unsafe { delcredere_day_number(date.as_ptr().cast(), date.len(), &mut d, &mut error) };
    outcome(status, error).unwrap();
    d
}

/// The engine of the examples: one buyer, a 50,000 limit, a 45,000 invoice.
fn engine_with_buyer() -> (Handle, u32) {
    let engine = new_engine(POLICY).unwrap();
    let id = engine.add_buyer("D-1001", BUYER).unwrap();
    for event in EVENTS {
        engine.apply("D-1001", event).unwrap();
    }
    (engine, id)
}

#[test]
fn version_abi_version_and_ops() {
    assert_eq!(text_of(delcredere_version()), env!("CARGO_PKG_VERSION"));
    assert_eq!(delcredere_abi_version(), DELCREDERE_ABI_VERSION);
    let (mut out, mut len, mut error) = (null_mut(), 0, null_mut());
    // SAFETY: valid places.
    let status = unsafe { delcredere_ops(&mut out, &mut len, &mut error) };
    let ops: Vec<String> = serde_json::from_str(&json_out(status, out, len, error).unwrap()).unwrap();
    assert_eq!(ops, delcredere::ffi::OPS);
    // out_len is optional.
    // SAFETY: valid place for the text, NULL for the rest.
    let status = unsafe { delcredere_ops(&mut out, null_mut(), null_mut()) };
    assert_eq!(status, delcredere_status::Ok);
    // SAFETY: given back once.
    unsafe { delcredere_string_free(out) };
    // Freeing NULL does nothing.
    // SAFETY: NULL.
    unsafe { delcredere_string_free(null_mut()) };
    // SAFETY: NULL.
    unsafe { delcredere_error_free(null_mut()) };
}

#[test]
fn text_is_refused_when_null_not_utf8_or_its_length_lies() {
    let input = br#"{"policy": {}}"#;
    assert_eq!(
        code_field(call_raw(null(), 0, input.as_ptr().cast(), input.len())),
        arg("null_pointer", "op")
    );
    assert_eq!(
        code_field(call_raw(c"explain".as_ptr(), 7, null(), 0)),
        arg("null_pointer", "input")
    );
    assert_eq!(
        code_field(call("explain", b"{\"a\": \"\xff\"}")),
        arg("invalid_utf8", "input")
    );
    let e = call("explain", b"{\"decision\": \xc3}").unwrap_err();
    assert_eq!(e.message, "input: not UTF-8: invalid byte at offset 13");
    // A length that counts the terminator or bytes past the text.
    let with_nul = c"validate_policy";
    let e = call_raw(
        with_nul.as_ptr(),
        with_nul.to_bytes_with_nul().len(),
        input.as_ptr().cast(),
        input.len(),
    )
    .unwrap_err();
    assert_eq!((e.code.as_str(), e.field.as_str()), ("invalid_length", "op"));
    assert!(
        e.message.contains("NUL byte at offset 15 of the 16 bytes"),
        "{}",
        e.message
    );
    assert_eq!(
        code_field(call_raw(
            c"explain".as_ptr(),
            usize::MAX - 1,
            input.as_ptr().cast(),
            input.len()
        )),
        arg("invalid_length", "op")
    );
    // DELCREDERE_NUL_TERMINATED reads up to the NUL.
    let policy = std::ffi::CString::new(format!(r#"{{"policy": {POLICY}}}"#)).unwrap();
    let report = call_raw(
        c"validate_policy".as_ptr(),
        DELCREDERE_NUL_TERMINATED,
        policy.as_ptr(),
        DELCREDERE_NUL_TERMINATED,
    )
    .unwrap();
    assert_eq!(serde_json::from_str::<Value>(&report).unwrap()["valid"], true);
    // Empty text is text: the core's error.
    assert_eq!(code_field(call("", b"{}")), input_err("unknown_op", "op"));
    assert_eq!(
        code_field(call("validate_policy", b"")),
        input_err("invalid_type", "input")
    );
}

fn input_err(code: &str, field: &str) -> (delcredere_status, String, String) {
    input(code, field)
}

#[test]
fn out_parameters_are_checked_before_any_work() {
    let op = "explain";
    let body = "{}";
    let mut error = null_mut();
    // SAFETY: valid text; NULL out_json.
    let status = unsafe {
        delcredere_call(
            op.as_ptr().cast(),
            op.len(),
            body.as_ptr().cast(),
            body.len(),
            null_mut(),
            null_mut(),
            &mut error,
        )
    };
    assert_eq!(code_field(outcome(status, error)), arg("null_pointer", "out_json"));
    // A misaligned out_len.
    let mut bytes = [0u64; 2];
    let misaligned = bytes.as_mut_ptr().cast::<u8>().wrapping_add(1).cast::<usize>();
    let mut out = null_mut();
    // SAFETY: valid text and out_json; out_len points into a local buffer (misaligned).
    let status = unsafe {
        delcredere_call(
            op.as_ptr().cast(),
            op.len(),
            body.as_ptr().cast(),
            body.len(),
            &mut out,
            misaligned,
            &mut error,
        )
    };
    assert_eq!(code_field(outcome(status, error)), arg("invalid_pointer", "out_len"));
    assert!(out.is_null(), "nothing written when the call is refused");
    // Without a place for the error, the status alone tells.
    // SAFETY: valid text; NULL out_json and out_error.
    let status = unsafe {
        delcredere_call(
            op.as_ptr().cast(),
            op.len(),
            body.as_ptr().cast(),
            body.len(),
            null_mut(),
            null_mut(),
            null_mut(),
        )
    };
    assert_eq!(status, delcredere_status::ArgumentError);
    // A stale error pointer in *out_error is cleared on success.
    let mut stale: *mut delcredere_error = 0x10 as *mut _;
    let (mut out, mut len) = (null_mut(), 0);
    // SAFETY: valid places.
    let status = unsafe { delcredere_ops(&mut out, &mut len, &mut stale) };
    assert_eq!(status, delcredere_status::Ok);
    assert!(stale.is_null());
    // SAFETY: given back once.
    unsafe { delcredere_string_free(out) };
}

#[test]
fn errors_of_json_arguments_name_the_argument() {
    assert_eq!(
        code_field(new_engine(r#"{"currency": "#)),
        input("invalid_json", "policy.currency")
    );
    assert_eq!(code_field(new_engine("{} x")), input("invalid_json", "policy"));
    assert_eq!(code_field(new_engine("[]")), input("invalid_type", "policy"));
    let e = new_engine(r#"{"currency": "EUR", "insuranceYear": {"start": "1.1.2026"}}"#).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.field.as_str()),
        ("invalid_date", "policy.insuranceYear.start")
    );
    assert_eq!(
        e.message,
        "policy.insuranceYear.start: invalid date '1.1.2026', expected yyyy-mm-dd"
    );
    let e = new_engine(r#"{"currency": "EUR", "indemnityPercent": 1}"#).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.field.as_str()),
        ("unknown_field", "policy.indemnityPercent")
    );
    assert!(
        e.message
            .starts_with("policy.indemnityPercent: unknown field 'indemnityPercent', expected one of currency, ")
            && e.message.ends_with("(did you mean 'indemnityPercentage'?)"),
        "{}",
        e.message
    );
    let bad = POLICY.replace(r#""indemnityPercentage": "90""#, r#""indemnityPercentage": "190""#);
    assert_eq!(code_field(new_engine(&bad)), input("invalid_policy", "policy"));

    let (engine, _) = engine_with_buyer();
    assert_eq!(
        code_field(engine.add_buyer(
            "D-2",
            r#"{"legalName": "X", "country": "DE", "entityKind": "company", "x": 1}"#
        )),
        input("unknown_field", "buyer.x")
    );
    assert_eq!(
        code_field(engine.add_buyer(
            "D-1001",
            r#"{"legalName": "Other", "country": "DE", "entityKind": "company"}"#
        )),
        input("duplicate_buyer", "id")
    );
    assert_eq!(code_field(engine.add_buyer(" ", BUYER)), input("empty_value", "id"));
    assert_eq!(
        engine.add_buyer("D-1001", BUYER).unwrap(),
        0,
        "the same buyer again: the same id"
    );
    assert_eq!(
        code_field(engine.apply("D-9", EVENTS[0])),
        input("unknown_buyer", "buyer")
    );
    assert_eq!(
        code_field(engine.apply("D-1001", r#"{"type": "invoiceIssued", "id": "i9"}"#)),
        input("missing_field", "event.date")
    );
    let credit = r#"{"type": "creditNoteIssued", "id": "c1", "date": "2026-03-05", "reference": "NOPE",
        "amount": {"amount": "100", "currency": "EUR"}}"#;
    assert_eq!(
        code_field(engine.apply("D-1001", credit)),
        input("invalid_event", "event")
    );
    let events = json!([
        {"buyer": "D-1001", "event": {"type": "paymentReceived", "id": "p1", "date": "2026-03-10",
            "amount": {"amount": "1000", "currency": "EUR"}}},
        {"buyer": "D-1001", "event": {"type": "paymentReceived", "id": "p2", "date": "2026-03-11"}},
    ])
    .to_string();
    assert_eq!(
        code_field(engine.apply_all(&events)),
        input("missing_field", "events[1].event.amount")
    );
    assert_eq!(code_field(engine.apply_all("{}")), input("invalid_type", "events"));
    let two = json!([{"buyer": "D-1001", "event": {"type": "paymentReceived", "id": "p1", "date": "2026-03-10",
            "amount": {"amount": "1000", "currency": "EUR"}}}, {"buyer": "D-7", "event": {"type": "paymentReceived", "id": "p3", "date": "2026-03-10",
            "amount": {"amount": "1000", "currency": "EUR"}}}])
    .to_string();
    assert_eq!(
        code_field(engine.apply_all(&two)),
        input("unknown_buyer", "events[1].buyer")
    );
    assert_eq!(engine.apply_all("[]").unwrap(), 0);
    assert_eq!(
        code_field(restore(r#"{"formatVersion": 2}"#)),
        input("unsupported_snapshot", "formatVersion")
    );
    assert_eq!(
        code_field(restore(r#"{"formatVersion": 1, "policy": {"currency": "#)),
        input("invalid_json", "policy.currency")
    );
    assert_eq!(
        code_field(engine.obligations("2026-03-01", Some("es"))),
        input("unknown_language", "lang")
    );
    assert_eq!(
        code_field(engine.obligations("1.3.2026", None)),
        input("invalid_date", "asOf")
    );
    assert_eq!(
        code_field(engine.check_cover("D-1001", "{}", "2026-03-02")),
        input("missing_field", "delivery.amount")
    );
}

#[test]
fn the_cover_check_in_numbers_gives_the_engines_figures() {
    let (engine, id) = engine_with_buyer();
    let on = day("2026-03-02");
    assert_eq!(on, 20_514);
    // 45,000 owed under a 50,000 limit: 5,000.00 of 10,000.00 covered (LIM-1).
    let figures = engine.cover(id, 1_000_000, 2, on, 60, 0, 0, on).unwrap();
    assert_eq!(
        figures,
        delcredere_cover {
            covered_minor: 500_000,
            uncovered_minor: 500_000,
            limit_minor: 5_000_000,
            scale: 2,
            has_limit: 1,
            cover_type: delcredere_cover_type::NamedLimit,
            overdue: delcredere_overdue_effect::NoEffect,
        }
    );
    // The same amount at another scale, as text, and by key: the same figures.
    assert_eq!(engine.cover(id, 10_000, 0, on, 60, 0, 0, on).unwrap(), figures);
    assert_eq!(
        engine
            .cover_text("D-1001", "10000.000", "2026-03-02", "2026-03-02")
            .unwrap(),
        figures
    );
    // The explained decision and the Rust engine agree.
    let decision: Value = serde_json::from_str(
        &engine
            .check_cover(
                "D-1001",
                r#"{"amount": {"amount": "10000.00", "currency": "EUR"}, "date": "2026-03-02", "paymentTermsDays": 60}"#,
                "2026-03-02",
            )
            .unwrap(),
    )
    .unwrap();
    assert_eq!(decision["outcome"], "partly_covered");
    let mut rust = Engine::new(&serde_json::from_str(POLICY).unwrap()).unwrap();
    rust.add_buyer("D-1001", serde_json::from_str(BUYER).unwrap()).unwrap();
    for event in EVENTS {
        rust.apply("D-1001", serde_json::from_str(event).unwrap()).unwrap();
    }
    let delivery = serde_json::from_str(
        r#"{"amount": {"amount": "10000.00", "currency": "EUR"}, "date": "2026-03-02", "paymentTermsDays": 60}"#,
    )
    .unwrap();
    let as_of = "2026-03-02".parse().unwrap();
    let expected = rust.check_cover("D-1001", &delivery, as_of).unwrap();
    assert_eq!(decision, serde_json::to_value(&expected).unwrap());
    let rust_figures = rust.cover_figures_of("D-1001", &delivery, as_of).unwrap();
    assert_eq!(
        rust_figures.covered.rounded().amount.mantissa(),
        i128::from(figures.covered_minor)
    );
    // After a payment, more is covered; an odd amount rounds half-even to the cent.
    engine
        .apply("D-1001", r#"{"type": "paymentReceived", "id": "p1", "date": "2026-03-02", "amount": {"amount": "40000", "currency": "EUR"}}"#)
        .unwrap();
    let after = engine.cover(id, 1_234_565, 3, on, 60, 0, 0, on).unwrap();
    assert_eq!((after.covered_minor, after.uncovered_minor), (123_456, 0));
}

#[test]
fn bad_numbers_are_typed_errors_with_the_delivery_s_fields() {
    let (engine, id) = engine_with_buyer();
    let on = day("2026-03-02");
    assert_eq!(
        code_field(engine.cover(id + 1, 100, 2, on, 60, 0, 0, on)),
        input("unknown_buyer", "buyer")
    );
    assert_eq!(
        code_field(engine.cover(id, 0, 2, on, 60, 0, 0, on)),
        input("out_of_range", "delivery.amount.amount")
    );
    assert_eq!(
        code_field(engine.cover(id, -5, 2, on, 60, 0, 0, on)),
        input("negative_amount", "delivery.amount.amount")
    );
    assert_eq!(
        code_field(engine.cover(id, 100, 29, on, 60, 0, 0, on)),
        input("out_of_range", "delivery.amount.amount")
    );
    assert_eq!(
        code_field(engine.cover(id, 100, 2, i32::MAX, 60, 0, 0, on)),
        input("out_of_range", "delivery.date")
    );
    assert_eq!(
        code_field(engine.cover(id, 100, 2, on, 60, 0, 0, i32::MIN)),
        input("out_of_range", "asOf")
    );
    assert_eq!(
        code_field(engine.cover(id, 100, 2, on, 60, 0, 0, day("2025-12-31"))),
        input("date_order", "asOf")
    );
    assert_eq!(
        code_field(engine.cover(id, 100, 2, on, 100_000, 0, 0, on)),
        input("out_of_range", "delivery.paymentTermsDays")
    );
    assert_eq!(
        code_field(engine.cover(id, 100, 2, on, 60, 2, 0, on)),
        input("out_of_range", "flags")
    );
    assert_eq!(
        code_field(engine.cover(id, 100, 2, on, 60, 0, 4, on)),
        input("unknown_value", "delivery.kind")
    );
    assert!(engine.cover(id, 100, 2, on, 60, DELCREDERE_END_OF_MONTH, 1, on).is_ok());
    assert_eq!(
        code_field(engine.cover_text("D-1001", "1e4", "2026-03-02", "2026-03-02")),
        input("invalid_amount", "delivery.amount.amount")
    );
    assert_eq!(
        code_field(engine.cover_text("D-1001", "100", "2026-02-30", "2026-03-02")),
        input("invalid_date", "delivery.date")
    );
    assert_eq!(
        code_field(engine.cover_text("D-1", "100", "2026-03-02", "2026-03-02")),
        input("unknown_buyer", "buyer")
    );
    let mut error = null_mut();
    // SAFETY: a live handle; NULL out.
    let status = unsafe { delcredere_engine_cover(engine.0, id, 100, 2, on, 60, 0, 0, 0, on, null_mut(), &mut error) };
    assert_eq!(code_field(outcome(status, error)), arg("null_pointer", "out"));
    let (mut d, mut error) = (0, null_mut());
    // SAFETY: valid text and places.
    let status =
        unsafe { delcredere_day_number(c"2026-13-01".as_ptr(), DELCREDERE_NUL_TERMINATED, &mut d, &mut error) };
    assert_eq!(code_field(outcome(status, error)), input("invalid_date", "date"));
}

#[test]
fn a_foreign_freed_or_null_engine_is_refused() {
    let mut out = std::mem::MaybeUninit::<delcredere_cover>::uninit();
    let cover = |engine: *const delcredere_engine, out: *mut delcredere_cover| {
        let mut error = null_mut();
        // SAFETY: the engine pointer is NULL, a handle (live or freed within the quarantine) or
        // 64 readable bytes of the test's own.
        let status =
            unsafe { delcredere_engine_cover(engine, 0, 100, 2, 20_514, 60, 0, 0, 0, 20_514, out, &mut error) };
        code_field(outcome(status, error))
    };
    assert_eq!(cover(null(), out.as_mut_ptr()), arg("null_pointer", "engine"));
    let foreign = [7u64; 8];
    assert_eq!(
        cover(foreign.as_ptr().cast(), out.as_mut_ptr()),
        arg("invalid_handle", "engine")
    );
    let misaligned = foreign
        .as_ptr()
        .cast::<u8>()
        .wrapping_add(1)
        .cast::<delcredere_engine>();
    assert_eq!(cover(misaligned, out.as_mut_ptr()), arg("invalid_handle", "engine"));
    // SAFETY: 64 readable bytes of the test's own: refused, nothing freed.
    let status = unsafe { delcredere_engine_free(foreign.as_ptr().cast_mut().cast()) };
    assert_eq!(status, delcredere_status::ArgumentError);

    let (engine, _) = engine_with_buyer();
    let raw = engine.0;
    std::mem::forget(engine);
    // SAFETY: a live handle, given back once.
    assert_eq!(unsafe { delcredere_engine_free(raw) }, delcredere_status::Ok);
    let e = {
        let mut error = null_mut();
        // SAFETY: a freed handle, within the quarantine.
        let status = unsafe {
            delcredere_engine_cover(
                raw,
                0,
                100,
                2,
                20_514,
                60,
                0,
                0,
                0,
                20_514,
                out.as_mut_ptr(),
                &mut error,
            )
        };
        outcome(status, error).unwrap_err()
    };
    assert_eq!(
        (e.code.as_str(), e.message.as_str()),
        ("invalid_handle", "engine: engine already freed")
    );
    // SAFETY: freed twice: refused.
    assert_eq!(unsafe { delcredere_engine_free(raw) }, delcredere_status::ArgumentError);
    // SAFETY: NULL.
    assert_eq!(unsafe { delcredere_engine_free(null_mut()) }, delcredere_status::Ok);
}

#[test]
fn a_snapshot_restores_to_an_engine_that_answers_the_same() {
    let (engine, id) = engine_with_buyer();
    let snapshot = engine.snapshot().unwrap();
    let again = restore(&snapshot).unwrap();
    assert_eq!(again.snapshot().unwrap(), snapshot);
    let on = day("2026-03-02");
    assert_eq!(
        again.cover(id, 1_000_000, 2, on, 60, 0, 0, on).unwrap(),
        engine.cover(id, 1_000_000, 2, on, 60, 0, 0, on).unwrap()
    );
    let worklist: Value = serde_json::from_str(&again.obligations("2026-06-01", Some("de")).unwrap()).unwrap();
    assert_eq!(
        worklist,
        serde_json::from_str::<Value>(&engine.obligations("2026-06-01", Some("de")).unwrap()).unwrap()
    );
    // The states of one buyer, as the engine answers them.
    for (f, op) in [
        (
            delcredere_engine_account_state as unsafe extern "C" fn(_, _, _, _, _, _, _, _) -> _,
            "account_state",
        ),
        (delcredere_engine_limit_state, "limit_state"),
    ] {
        let (mut out, mut len, mut error) = (null_mut(), 0, null_mut());
        let (key, as_of) = ("D-1001", "2026-03-02");
        // SAFETY: a live handle, valid text and places.
        let status = unsafe {
            f(
                again.0,
                key.as_ptr().cast(),
                key.len(),
                as_of.as_ptr().cast(),
                as_of.len(),
                &mut out,
                &mut len,
                &mut error,
            )
        };
        let state: Value = serde_json::from_str(&json_out(status, out, len, error).unwrap()).unwrap();
        let rust = Engine::restore(&snapshot).unwrap();
        let as_of = as_of.parse().unwrap();
        let expected = match op {
            "account_state" => rust.account_state(key, as_of),
            _ => rust.limit_state(key, as_of),
        };
        assert_eq!(state, serde_json::to_value(expected.unwrap()).unwrap(), "{op}");
    }
}

#[test]
fn questions_run_on_many_threads_while_another_applies_events() {
    let (engine, id) = engine_with_buyer();
    let on = day("2026-03-02");
    let before = engine.cover(id, 1_000_000, 2, on, 60, 0, 0, on).unwrap();
    std::thread::scope(|s| {
        let readers: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    // Payments only lower what the buyer owes: the covered part never shrinks,
                    // and each answer is whole (covered + uncovered = the delivery).
                    let mut last = 0;
                    for _ in 0..2_000 {
                        let f = engine.cover(id, 1_000_000, 2, on, 60, 0, 0, on).unwrap();
                        assert_eq!(f.covered_minor + f.uncovered_minor, 1_000_000);
                        assert!(f.covered_minor >= last);
                        last = f.covered_minor;
                    }
                })
            })
            .collect();
        for k in 0..50 {
            let event = json!({"type": "paymentReceived", "id": format!("p{k}"), "date": "2026-03-02",
                "amount": {"amount": "100", "currency": "EUR"}})
            .to_string();
            engine.apply("D-1001", &event).unwrap();
        }
        for r in readers {
            r.join().unwrap();
        }
    });
    let after = engine.cover(id, 1_000_000, 2, on, 60, 0, 0, on).unwrap();
    assert_eq!(after.covered_minor, before.covered_minor + 50 * 10_000);
}

#[test]
fn load_and_call_by_method_name_answer_as_the_typed_functions() {
    let events: Vec<Value> = EVENTS.iter().map(|e| serde_json::from_str(e).unwrap()).collect();
    let setup = json!({"policy": serde_json::from_str::<Value>(POLICY).unwrap(),
        "buyers": [{"id": "D-1001", "buyer": serde_json::from_str::<Value>(BUYER).unwrap(), "events": events}]});
    let loaded = load(&setup.to_string()).unwrap();
    let (built, _) = engine_with_buyer();
    // The same engine, whether loaded at once or built call by call.
    assert_eq!(loaded.snapshot().unwrap(), built.snapshot().unwrap());
    let delivery =
        r#"{"amount": {"amount": "10000", "currency": "EUR"}, "date": "2026-03-02", "paymentTermsDays": 60}"#;
    let by_name = engine_call(
        loaded.0,
        "check_cover",
        &format!(r#"{{"buyer": "D-1001", "delivery": {delivery}, "asOf": "2026-03-02"}}"#),
    )
    .unwrap();
    assert_eq!(by_name, built.check_cover("D-1001", delivery, "2026-03-02").unwrap());
    // A method that changes the engine, then one that reads it.
    let invoice = r#"{"type": "invoiceIssued", "id": "i2", "date": "2026-03-03", "reference": "F-1002",
        "amount": {"amount": "1000", "currency": "EUR"}, "paymentTermsDays": 60}"#;
    let applied = engine_call(
        loaded.0,
        "apply",
        &format!(r#"{{"buyer": "D-1001", "event": {invoice}}}"#),
    )
    .unwrap();
    assert_eq!(applied, "null");
    built.apply("D-1001", invoice).unwrap();
    assert_eq!(loaded.snapshot().unwrap(), built.snapshot().unwrap());
    assert_eq!(
        engine_call(loaded.0, "obligations", r#"{"asOf": "2026-09-01"}"#).unwrap(),
        built.obligations("2026-09-01", None).unwrap()
    );
    // Errors: the method's fields, the setup's under `setup`, the unknown method, the handle.
    assert_eq!(
        code_field(engine_call(
            loaded.0,
            "limit_state",
            r#"{"buyer": "D-9", "asOf": "2026-03-02"}"#
        )),
        input("unknown_buyer", "buyer")
    );
    assert_eq!(
        code_field(engine_call(loaded.0, "no_such_method", "{}")),
        input("unknown_op", "op")
    );
    assert_eq!(
        code_field(engine_call(null_mut(), "obligations", "{}")),
        arg("null_pointer", "engine")
    );
    let twice = json!({"policy": setup["policy"], "buyers": [setup["buyers"][0], setup["buyers"][0]]});
    assert_eq!(code_field(load(&twice.to_string())).1, "duplicate_buyer");
    assert_eq!(
        code_field(load(r#"{"policy": {"currency": "EUR"}, "buyers": [{"id": "D-1"}]}"#)),
        input("missing_field", "setup.buyers[0].buyer")
    );
}
