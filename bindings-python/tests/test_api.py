"""The Python surface: Decimal in and out, errors with codes and paths, value objects."""

import copy
import datetime
import pickle
from decimal import Decimal

import pytest

import delcredere
from delcredere import (
    Decision,
    DelcredereError,
    Explanation,
    InputError,
    InternalError,
    PolicyError,
    PolicyReport,
    Reason,
)

DECISION_WITH_AMOUNTS = {
    "outcome": "not_insurable",
    "amounts": {
        "coveredAmount": {"amount": "40000.10", "currency": "EUR"},
        "tiny": {"amount": "0.000000000000000000000001", "currency": "EUR"},
    },
    "reasons": [
        {"code": "country_not_agreed", "rule": "BUY-4", "params": {"country": "US"}},
        {
            "code": "payment_terms_exceed_max_credit_period",
            "rule": "BUY-3",
            "params": {"paymentTermsDays": 150, "maxCreditPeriodDays": 120},
        },
    ],
}


def test_insurable_buyer_gives_a_decision(policy, buyer, receivable):
    d = delcredere.check_insurability(policy, buyer, receivable)
    assert isinstance(d, Decision)
    assert d.outcome == "insurable"
    assert d.amounts == {}
    assert d.reasons == [
        Reason("independent_company", "BUY-2", {"buyer": "Müller Maschinenbau GmbH"}),
        Reason("country_agreed", "BUY-4", {"country": "DE"}),
    ]


def test_amounts_come_back_as_exact_decimals():
    d = Decision.from_dict(DECISION_WITH_AMOUNTS)
    covered = d.amounts["coveredAmount"]["amount"]
    assert type(covered) is Decimal
    assert str(covered) == "40000.10"
    assert d.amounts["coveredAmount"]["currency"] == "EUR"
    assert format(d.amounts["tiny"]["amount"], "f") == "0.000000000000000000000001"
    # Reason params that are whole numbers stay ints.
    assert d.reasons[1].params == {"paymentTermsDays": 150, "maxCreditPeriodDays": 120}
    assert type(d.reasons[1].params["paymentTermsDays"]) is int


def test_decimal_amounts_are_accepted_exactly(policy, buyer, receivable):
    receivable["amount"] = {"amount": Decimal("1250.005"), "currency": "EUR"}
    assert delcredere.check_insurability(policy, buyer, receivable).outcome == "insurable"
    # An exponent form Decimal is sent as its plain string.
    policy["maximumLiability"]["amount"] = Decimal("2E+6")
    assert delcredere.validate_policy(policy).valid


def test_dates_are_accepted(policy):
    policy["insuranceYear"]["start"] = datetime.date(2026, 1, 1)
    assert delcredere.validate_policy(policy).valid


@pytest.mark.parametrize("bad", [1250.5, 1250.0])
def test_float_amount_is_refused_not_rounded(policy, buyer, receivable, bad):
    receivable["amount"] = {"amount": bad, "currency": "EUR"}
    with pytest.raises(InputError) as info:
        delcredere.check_insurability(policy, buyer, receivable)
    assert info.value.code == "invalid_amount"
    assert info.value.field == "receivable.amount.amount"


@pytest.mark.parametrize("bad", [Decimal("NaN"), Decimal("Infinity"), float("nan")])
def test_non_finite_amount_is_refused(policy, bad):
    policy["maximumLiability"]["amount"] = bad
    with pytest.raises(InputError) as info:
        delcredere.validate_policy(policy)
    assert info.value.code == "invalid_amount"
    assert info.value.field == "policy.maximumLiability.amount"


def test_unknown_field_is_an_input_error_with_code_and_field(policy, buyer, receivable):
    buyer["nickname"] = "Mü"
    with pytest.raises(InputError) as info:
        delcredere.check_insurability(policy, buyer, receivable)
    e = info.value
    assert isinstance(e, DelcredereError) and isinstance(e, Exception)
    assert e.code == "unknown_field"
    assert e.field == "buyer"
    assert "nickname" in str(e)
    assert e.problems == []


def test_invalid_policy_raises_policy_error_with_every_problem(policy, buyer, receivable):
    policy["currency"] = "EUX"
    del policy["agreedCountries"]
    with pytest.raises(PolicyError) as info:
        delcredere.check_insurability(policy, buyer, receivable)
    e = info.value
    assert e.code == "invalid_policy"
    assert e.field == "policy"
    codes = {(p["code"], p["field"]) for p in e.problems}
    assert ("unknown_currency", "currency") in codes
    assert ("missing_field", "agreedCountries") in codes
    assert all(set(p) == {"code", "field", "message"} for p in e.problems)


def test_validate_policy_reports_instead_of_raising(policy):
    policy["currency"] = "EUX"
    report = delcredere.validate_policy(policy)
    assert isinstance(report, PolicyReport)
    assert report.valid is False
    assert report.problems == [
        {"code": "unknown_currency", "field": "currency", "message": "currency: unknown currency code 'EUX'"}
    ]


@pytest.mark.parametrize(
    "value, code",
    [
        ({1, 2}, "invalid_type"),
        (b"bytes", "invalid_type"),
        (object(), "invalid_type"),
        (2**64, "out_of_range"),
        (-(2**63) - 1, "out_of_range"),
    ],
)
def test_unsupported_python_values_are_input_errors(policy, value, code):
    policy["maxCreditPeriodDays"] = value
    with pytest.raises(InputError) as info:
        delcredere.validate_policy(policy)
    assert info.value.code == code
    assert info.value.field == "policy.maxCreditPeriodDays"


def test_bool_is_not_taken_for_an_int(policy):
    policy["maxCreditPeriodDays"] = True
    with pytest.raises(InputError) as info:
        delcredere.validate_policy(policy)
    assert info.value.code == "invalid_type"


def test_non_string_keys_are_refused(policy):
    policy["insuranceYear"] = {1: "2026-01-01"}
    with pytest.raises(InputError) as info:
        delcredere.validate_policy(policy)
    assert info.value.code == "invalid_type"
    assert info.value.field == "policy.insuranceYear"


def test_list_paths_name_the_index(policy):
    policy["agreedCountries"] = ["DE", {"x"}]
    with pytest.raises(InputError) as info:
        delcredere.validate_policy(policy)
    assert info.value.field == "policy.agreedCountries[1]"


def test_deep_nesting_is_refused():
    deep: list = []
    for _ in range(200):
        deep = [deep]
    with pytest.raises(InputError) as info:
        delcredere.call("validate_policy", {"policy": deep})
    assert info.value.code == "invalid_json"


def test_unknown_op_and_language(policy):
    with pytest.raises(InputError) as info:
        delcredere.call("indemnity_of_everything", {})
    assert info.value.code == "unknown_op"
    with pytest.raises(InputError) as info:
        delcredere.explain({"outcome": "insurable", "reasons": []}, "xx")
    assert (info.value.code, info.value.field) == ("unknown_language", "lang")


def test_call_returns_plain_values(policy):
    out = delcredere.call("validate_policy", {"policy": policy})
    assert out == {"valid": True, "problems": []}
    assert sorted(delcredere.OPS) == list(delcredere.OPS)
    assert "check_insurability" in delcredere.OPS


def test_explain_in_german_and_french():
    d = Decision.from_dict(DECISION_WITH_AMOUNTS)
    de = d.explain("de")
    assert isinstance(de, Explanation)
    assert de.lang == "de"
    assert de.summary == "Nicht versicherbar."
    assert de.messages[0].text == (
        "Das Land des Kunden (US) gehört nicht zu den vereinbarten Ländern der Police."
    )
    assert de.messages[0].code == "country_not_agreed" and de.messages[0].rule == "BUY-4"
    fr = delcredere.explain(d, "fr")
    assert fr.lang == "fr"
    assert fr.summary == "Non assurable."
    assert len(fr.messages) == 2
    assert "US" in fr.messages[0].text
    assert str(fr).startswith("Non assurable.\n- ")


def test_explain_default_language_is_english(policy, buyer, receivable):
    d = delcredere.check_insurability(policy, buyer, receivable)
    assert d.explain().summary == "Insurable."


def test_pickle_round_trip(policy, buyer, receivable):
    for value in [
        Decision.from_dict(DECISION_WITH_AMOUNTS),
        delcredere.check_insurability(policy, buyer, receivable),
        delcredere.validate_policy({"currency": "EUX"}),
        Decision.from_dict(DECISION_WITH_AMOUNTS).explain("da"),
        Reason("country_agreed", "BUY-4", {"country": "DE"}),
    ]:
        for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
            back = pickle.loads(pickle.dumps(value, protocol=protocol))
            assert back == value
            assert type(back) is type(value)
            assert repr(back) == repr(value)


def test_errors_pickle_with_their_attributes(policy, buyer, receivable):
    policy["currency"] = "EUX"
    with pytest.raises(PolicyError) as info:
        delcredere.check_insurability(policy, buyer, receivable)
    back = pickle.loads(pickle.dumps(info.value))
    assert type(back) is PolicyError
    assert (back.code, back.field, back.problems, str(back)) == (
        info.value.code,
        info.value.field,
        info.value.problems,
        str(info.value),
    )


def test_repr_shows_the_values():
    d = Decision.from_dict(DECISION_WITH_AMOUNTS)
    r = repr(d)
    assert r.startswith("Decision(outcome='not_insurable', amounts={'coveredAmount': {'amount': Decimal('40000.10')")
    assert "Reason(code='country_not_agreed', rule='BUY-4', params={'country': 'US'})" in r
    assert r.endswith("], details=None)")
    assert repr(PolicyReport(True, [])) == "PolicyReport(valid=True, problems=[])"
    e = InputError("buyer.country: unknown country code 'ZZ'", "unknown_country", "buyer.country")
    assert repr(e) == (
        "InputError(code='unknown_country', field='buyer.country', "
        "message=\"buyer.country: unknown country code 'ZZ'\")"
    )


def test_equality_is_by_value():
    a = Decision.from_dict(DECISION_WITH_AMOUNTS)
    b = Decision.from_dict(copy.deepcopy(DECISION_WITH_AMOUNTS))
    assert a == b and a is not b
    b.reasons.pop()
    assert a != b
    assert a != DECISION_WITH_AMOUNTS


def test_dict_and_json_forms_round_trip():
    d = Decision.from_dict(DECISION_WITH_AMOUNTS)
    assert Decision.from_dict(d.to_dict()) == d
    import json

    as_json = json.loads(d.to_json())
    assert as_json["amounts"]["coveredAmount"] == {"amount": "40000.10", "currency": "EUR"}
    assert Decision.from_dict(as_json) == d


def test_decision_from_dict_is_checked_by_the_core():
    bad = copy.deepcopy(DECISION_WITH_AMOUNTS)
    bad["reasons"][0]["code"] = "no_such_reason"
    with pytest.raises(InputError) as info:
        Decision.from_dict(bad)
    assert (info.value.code, info.value.field) == ("unknown_value", "decision.reasons[0].code")


def test_exception_hierarchy():
    for cls in (PolicyError, InputError, InternalError):
        assert issubclass(cls, DelcredereError)
    assert issubclass(DelcredereError, Exception)
    e = InternalError("internal error: boom")
    assert (e.code, e.field, e.problems) == ("internal", "", [])


def test_version():
    assert delcredere.__version__.count(".") == 2


def test_op_must_be_a_string():
    with pytest.raises(InputError) as info:
        delcredere.call(1, {})  # type: ignore[arg-type]
    assert (info.value.code, info.value.field) == ("invalid_type", "op")
