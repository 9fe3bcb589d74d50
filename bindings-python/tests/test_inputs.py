"""How the native module reads Python values as an op's input (bindings-python/src/from_python.rs):
the accepted types, the errors and their order, the limits, and when the GIL is released.

The module reads Python objects straight into the core's input types. Its answers are those of
the former path through a JSON value, which these tests pin: a value that does not convert is
refused first (wherever it is), then an input over the limits, then the first error of the
read itself."""

import collections.abc
import datetime
import subprocess
import sys
import threading
import time
import types
from decimal import Decimal
from functools import partial
from operator import methodcaller

import pytest

import delcredere
from delcredere import InputError, _delcredere

EXPLAINED = {"lang": "en", "summary": "Insurable.", "messages": []}


class Pairs(collections.abc.Mapping):
    """A mapping that is not a dict."""

    def __init__(self, d):
        self._d = d

    def __getitem__(self, key):
        return self._d[key]

    def __iter__(self):
        return iter(self._d)

    def __len__(self):
        return len(self._d)


class Broken(collections.abc.Mapping):
    """A mapping whose iteration raises."""

    def __getitem__(self, key):
        raise KeyError(key)

    def __iter__(self):
        raise ValueError("no iteration here")

    def __len__(self):
        return 1


class Amount(Decimal):
    pass


def nested(depth):
    """`depth` dicts, one inside the other."""
    value = 1
    for _ in range(depth):
        value = {"k": value}
    return value


def error(fn):
    with pytest.raises(InputError) as info:
        fn()
    return info.value.code, info.value.field, str(info.value)


# --- Accepted values ------------------------------------------------------------------------


def test_tuples_lists_and_their_subclasses_are_lists(policy):
    class Countries(list):
        pass

    for countries in (("DE", "FR"), Countries(["DE", "FR"]), ["DE", "FR"]):
        policy["agreedCountries"] = countries
        assert delcredere.validate_policy(policy).valid


def test_any_mapping_is_read_as_the_dict_of_its_items(policy):
    policy["maximumLiability"] = types.MappingProxyType({"amount": Decimal("10"), "currency": "EUR"})
    assert delcredere.validate_policy(Pairs(policy)).valid
    # Paths go into a mapping as into a dict.
    policy["insuranceYear"] = Pairs({"start": object()})
    assert error(lambda: delcredere.validate_policy(policy))[:2] == ("invalid_type", "policy.insuranceYear.start")


def test_decimal_subclasses_strings_and_dates_are_read_as_text(policy):
    policy["maximumLiability"]["amount"] = Amount("2E+6")
    policy["currency"] = type("Code", (str,), {})("EUR")
    policy["insuranceYear"]["start"] = datetime.date(2026, 1, 1)
    assert delcredere.validate_policy(policy).valid
    # A datetime is a date: its ISO text has a time, which a date field refuses.
    policy["insuranceYear"]["start"] = datetime.datetime(2026, 1, 1, 12)
    code, field, message = error(lambda: delcredere.validate_policy(policy))
    assert (code, field) == ("invalid_date", "policy.insuranceYear.start")
    assert "2026-01-01T12:00:00" in message


@pytest.mark.parametrize(
    "bad, shown",
    [
        (Decimal("NaN"), "NaN"),
        (Decimal("-sNaN"), "-sNaN"),
        (Decimal("NaN123"), "NaN123"),
        (Decimal("-Infinity"), "-Infinity"),
        (Amount("Infinity"), "Infinity"),
    ],
)
def test_non_finite_decimals_are_invalid_amounts_showing_their_text(policy, bad, shown):
    policy["maximumLiability"]["amount"] = bad
    code, field, message = error(lambda: delcredere.validate_policy(policy))
    assert (code, field) == ("invalid_amount", "policy.maximumLiability.amount")
    assert message == (
        f"policy.maximumLiability.amount: invalid amount '{shown}', expected a decimal string such as \"1250.00\""
    )


@pytest.mark.parametrize("bad", [15000.5, 5000.0, 1e16, 0.1 + 0.2, float("-inf"), float("nan")])
def test_a_float_amount_is_refused_in_one_wording_showing_it_as_python_does(policy, bad):
    # The same words as the DataFrame reader's (delcredere._events), finite or not.
    policy["maximumLiability"]["amount"] = bad
    code, field, message = error(lambda: delcredere.validate_policy(policy))
    assert (code, field) == ("invalid_amount", "policy.maximumLiability.amount")
    assert message == f"policy.maximumLiability.amount: a float ({bad!r}) is not an amount: give a Decimal or a string"


@pytest.mark.parametrize("big", [Decimal("1e40"), Decimal("-1e40"), Decimal("0." + "1" * 29), "1" * 29])
def test_a_decimal_of_more_than_28_digits_is_out_of_range_not_an_invalid_amount(policy, big):
    policy["maximumLiability"]["amount"] = big
    code, field, message = error(lambda: delcredere.validate_policy(policy))
    assert (code, field) == ("out_of_range", "policy.maximumLiability.amount")
    assert message.endswith("is out of range, expected at most 28 significant digits")


def test_ints_are_read_up_to_64_bits(policy):
    # 2**64 - 1 fits (unsigned); the field's own range then refuses it.
    policy["maxCreditPeriodDays"] = 2**64 - 1
    assert error(lambda: delcredere.validate_policy(policy)) == (
        "out_of_range",
        "policy.maxCreditPeriodDays",
        "policy.maxCreditPeriodDays: value 18446744073709551615 is out of range, "
        "expected a whole number from 0 to 4294967295",
    )
    policy["maxCreditPeriodDays"] = 2**64
    assert error(lambda: delcredere.validate_policy(policy)) == (
        "out_of_range",
        "policy.maxCreditPeriodDays",
        "policy.maxCreditPeriodDays: value 18446744073709551616 is out of range, "
        "expected an integer that fits in 64 bits",
    )


def test_keys_that_are_not_text_are_refused_at_their_dict(policy):
    policy["premium"][("a", 1)] = "x"
    assert error(lambda: delcredere.validate_policy(policy)) == (
        "invalid_type",
        "policy.premium",
        "policy.premium: dict key of type tuple, expected str",
    )
    del policy["premium"][("a", 1)]
    policy["premium"]["\ud800"] = "x"
    assert error(lambda: delcredere.validate_policy(policy))[:2] == ("invalid_type", "policy.premium")


# --- Which error comes first ----------------------------------------------------------------


def test_a_value_that_does_not_convert_comes_before_an_earlier_error(policy, buyer, receivable):
    buyer["nickname"] = "Mü"  # an unknown field, read first
    receivable["note"] = {1, 2}  # a set, further on
    code, field, message = error(lambda: delcredere.check_insurability(policy, buyer, receivable))
    assert (code, field) == ("invalid_type", "receivable.note")
    assert "set is not supported" in message
    del receivable["note"]
    assert error(lambda: delcredere.check_insurability(policy, buyer, receivable))[:2] == (
        "unknown_field",
        "buyer.nickname",
    )


def test_the_form_validator_raises_a_value_that_does_not_convert_as_such(policy):
    declaration = {"lines": [{"country": "DE", "amount": object()}]}
    code, field, _ = error(lambda: delcredere.validate_turnover_declaration_form(policy, declaration, "en"))
    assert (code, field) == ("invalid_type", "declaration.lines[0].amount")


def test_call_converts_the_input_before_looking_at_the_op():
    assert error(lambda: delcredere.call("no_such_op", {"x": object()}))[:2] == ("invalid_type", "x")
    assert error(lambda: delcredere.call("no_such_op", {"x": 1}))[:2] == ("unknown_op", "op")
    assert error(lambda: delcredere.call("explain", [object()]))[:2] == ("invalid_type", "[0]")
    assert error(lambda: delcredere.call("explain", ["en"])) == (
        "invalid_type",
        "input",
        "input: expected a JSON object",
    )
    assert error(lambda: delcredere.call(["explain"], {}))[2] == 'op: expected an op name (str), found ["explain"]'


def test_an_exception_raised_by_an_input_object_propagates():
    with pytest.raises(ValueError, match="no iteration here"):
        _delcredere.explain({"outcome": "insurable", "reasons": [], "details": Broken()}, "en")


def test_a_registered_builtin_mapping_is_read_as_one():
    # In a child process: registering a builtin with collections.abc.Mapping is for good.
    code = """
import collections.abc
from delcredere import _delcredere
policy = {"currency": "EUR", "insuranceYear": {"start": "2026-01-01"}, "agreedCountries": ("DE",),
          "maxCreditPeriodDays": 120, "maxExtensionPeriodDays": 60, "waitingPeriodDays": 180,
          "indemnityPercentage": "90", "maximumLiability": {"amount": "1", "currency": "EUR"},
          "premium": {"basis": "fixed", "fixedAmount": {"amount": "1", "currency": "EUR"}}}
print(_delcredere.validate_policy(policy)["valid"])
collections.abc.Mapping.register(tuple)
try:
    _delcredere.validate_policy(policy)
except Exception as e:
    print(type(e).__name__, e)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    # ("DE",) as a mapping: read through its keys(), which a tuple has not.
    assert out.splitlines() == ["True", "AttributeError 'tuple' object has no attribute 'keys'"]


# --- Limits ---------------------------------------------------------------------------------


def test_nesting_is_refused_from_depth_128_counted_from_the_input_and_from_each_argument():
    # Depth 0 is the input object, `decision` 1, `details` 2: its innermost dict is at depth
    # 1 + depth. A list or dict at depth 128 or more is refused: at its path, except when only
    # the count from the input object reaches 128 (not the count from the named argument).
    def named(depth):
        return _delcredere.explain({"outcome": "insurable", "reasons": [], "details": nested(depth)}, "en")

    def whole(depth):
        return _delcredere.call("explain", {"lang": "en", "decision": {"outcome": "insurable", "reasons": [],
                                                                        "details": nested(depth)}})

    assert named(126) == whole(126) == EXPLAINED
    code, field, message = error(lambda: whole(127))
    assert (code, field) == ("invalid_json", "decision.details" + ".k" * 126)
    assert message.endswith(": invalid json: nesting deeper than 128 levels")
    assert error(lambda: named(127)) == ("invalid_json", "input", "input: invalid json: nesting deeper than 128 levels")
    code, field, _ = error(lambda: named(128))
    assert (code, field) == ("invalid_json", "decision.details" + ".k" * 127)


def test_an_input_over_16_mib_is_out_of_range_before_its_other_errors():
    big = "x" * (16 * 1024 * 1024 + 1)
    # An unknown field is read first, but the size is checked before reading.
    assert error(lambda: delcredere.call("explain", {"zzz": 1, "lang": big})) == (
        "out_of_range",
        "input",
        "input: value 16777224 bytes is out of range, expected at most 16777216 bytes",
    )
    # Many small values count too: 8 bytes per number, plus the keys.
    ints = {"outcome": "insurable", "reasons": [], "details": [1] * (2 * 1024 * 1024)}
    code, field, _ = error(lambda: _delcredere.explain(ints, "en"))
    assert (code, field) == ("out_of_range", "input")
    ints["details"] = ints["details"][:2_000_000]
    assert _delcredere.explain(ints, "en") == EXPLAINED
    # A value that does not convert still comes first.
    assert error(lambda: delcredere.call("explain", {"lang": big, "decision": object()}))[:2] == (
        "invalid_type",
        "decision",
    )


# --- The GIL --------------------------------------------------------------------------------


def ran_during(call):
    """Whether another thread ran while `call` (a C callable) ran. It can only if the GIL was
    released: a thread waiting for the GIL cannot take it from native code that holds it
    (and once it has waited for the switch interval, 5 ms, the next release hands the GIL
    over to it). The clock is read by C code right before and after the call, so that the
    other thread cannot run in between as it could between Python instructions."""
    timed = [time.perf_counter, call, time.perf_counter]
    for _ in range(20):
        go, ran = threading.Event(), []
        thread = threading.Thread(target=lambda: (go.wait(), ran.append(time.perf_counter())))
        thread.start()
        time.sleep(0.01)  # the thread waits on `go`
        go.set()
        start, _, end = map(methodcaller("__call__"), timed)
        thread.join()
        if ran[0] > start:  # else it ran before the call began: try again
            return ran[0] < end
    raise AssertionError("the other thread always ran first")


def test_the_computation_on_an_input_of_64_kib_or_more_releases_the_gil():
    # 8 MB as the core counts it (8 bytes per number): read for longer than the switch
    # interval with the GIL held, then computed without it.
    large = {"outcome": "insurable", "reasons": [], "details": [1] * 1_000_000}
    assert ran_during(partial(_delcredere.explain, large, "en"))


def test_a_smaller_input_keeps_the_gil_also_when_it_takes_long_to_read():
    # 60,000 bytes as the core counts them, but 60,000 Decimals to format: milliseconds.
    small = {"outcome": "insurable", "reasons": [], "details": [Decimal("1")] * 60_000}
    assert _delcredere.explain(small, "en") == EXPLAINED
    assert not ran_during(partial(_delcredere.explain, small, "en"))


# --- Errors that say what to type (issue #25) -----------------------------------------------
# The same errors, field paths and words as the core gives JSON (core/tests/bad_input.rs): the
# key's own path and the keys allowed there, the values an enum allows, places inside a limit
# event, no Rust type name.


def cover_input():
    return {
        "policy": {"currency": "EUR", "insuranceYear": {"start": "2026-01-01"}, "agreedCountries": ["DE"],
                   "maxCreditPeriodDays": 120, "maxExtensionPeriodDays": 60, "waitingPeriodDays": 180,
                   "indemnityPercentage": "90", "maximumLiability": {"amount": "2000000", "currency": "EUR"},
                   "premium": {"basis": "fixed", "fixedAmount": {"amount": "5000", "currency": "EUR"}}},
        "buyer": {"legalName": "Müller GmbH", "country": "DE", "entityKind": "company"},
        "outstanding": {"amount": "20000", "currency": "EUR"},
        "delivery": {"amount": {"amount": "10000", "currency": "EUR"}, "date": "2026-03-01",
                     "paymentTermsDays": 60, "endOfMonth": False},
        "limitEvents": [
            {"type": "applied", "date": "2026-02-01", "requestedAmount": {"amount": "50000", "currency": "EUR"},
             "paymentTermsDays": 60},
            {"type": "granted", "date": "2026-02-05", "amount": {"amount": "50000", "currency": "EUR"}},
        ],
        "asOf": "2026-03-01",
    }


def _rename(mapping, old, new):
    mapping[new] = mapping.pop(old)


WORDS = [
    (lambda i: _rename(i["delivery"], "date", "deliveryDate"), "unknown_field", "delivery.deliveryDate",
     "delivery.deliveryDate: unknown field 'deliveryDate', expected one of amount, date, paymentTermsDays, "
     "endOfMonth, kind, paymentSecurity (did you mean 'date'?)"),
    (lambda i: i.update(lang="en"), "unknown_field", "lang",
     "lang: unknown field 'lang', expected one of policy, buyer, outstanding, delivery, limitEvents, "
     "selfAssessment, asOf, overdue"),
    (lambda i: _rename(i["limitEvents"][1], "amount", "grantedAmount"), "unknown_field",
     "limitEvents[1].grantedAmount",
     "limitEvents[1].grantedAmount: unknown field 'grantedAmount', expected one of date, amount, until "
     "(did you mean 'amount'?)"),
    (lambda i: i["limitEvents"][1].update(amount=Decimal("50000")), "invalid_type", "limitEvents[1].amount",
     'limitEvents[1].amount: expected an object with keys amount, currency, found the string "50000"'),
    (lambda i: i["limitEvents"][1].update(date="05.02.2026"), "invalid_date", "limitEvents[1].date",
     "limitEvents[1].date: invalid date '05.02.2026', expected yyyy-mm-dd"),
    (lambda i: i["limitEvents"][1]["amount"].pop("currency"), "missing_field", "limitEvents[1].amount.currency",
     "limitEvents[1].amount.currency: missing field"),
    (lambda i: i["limitEvents"][0].update(type="approved"), "unknown_value", "limitEvents[0].type",
     "limitEvents[0].type: unknown value 'approved', expected one of applied, granted, refused, reduced, "
     "withdrawn, cancelled"),
    (lambda i: i["buyer"].update(entityKind="Company"), "unknown_value", "buyer.entityKind",
     "buyer.entityKind: unknown value 'Company', expected one of company, branch, publicBody, privateIndividual "
     "(did you mean 'company'?)"),
    (lambda i: i["delivery"].update(paymentTermsDays=60.5), "invalid_type", "delivery.paymentTermsDays",
     "delivery.paymentTermsDays: expected a whole number, found 60.5"),
    (lambda i: i["delivery"].update(paymentTermsDays=-1), "out_of_range", "delivery.paymentTermsDays",
     "delivery.paymentTermsDays: value -1 is out of range, expected a whole number from 0 to 4294967295"),
    (lambda i: i["delivery"].update(endOfMonth="yes"), "invalid_type", "delivery.endOfMonth",
     'delivery.endOfMonth: expected true or false, found the string "yes"'),
    (lambda i: i["policy"].update(agreedCountries="DE"), "invalid_type", "policy.agreedCountries",
     'policy.agreedCountries: expected a list, found the string "DE"'),
    (lambda i: i["buyer"].update(legalName=None), "invalid_type", "buyer.legalName",
     "buyer.legalName: expected a string, found null"),
    (lambda i: i["policy"]["premium"].update(basis=7), "invalid_type", "policy.premium.basis",
     "policy.premium.basis: expected one of turnover, outstandingBalance, fixed, found 7"),
    (lambda i: i["limitEvents"].__setitem__(0, "applied"), "invalid_type", "limitEvents[0]",
     'limitEvents[0]: expected an object whose "type" is one of applied, granted, refused, reduced, withdrawn, '
     'cancelled, found the string "applied"'),
]


@pytest.mark.parametrize("change, code, field, message", WORDS)
def test_an_error_names_its_key_and_says_what_to_type_as_for_json(change, code, field, message):
    cover = cover_input()
    change(cover)
    assert error(lambda: delcredere.call("check_delivery_cover", cover)) == (code, field, message)
