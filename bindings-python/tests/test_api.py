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
    # Python's words: the float as Python shows it, and what to give instead.
    assert str(info.value) == (
        f"receivable.amount.amount: a float ({bad!r}) is not an amount: give a Decimal or a string"
    )


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
    assert e.field == "buyer.nickname"
    assert str(e) == (
        "buyer.nickname: unknown field 'nickname', expected one of legalName, legalForm, registrationNumber, "
        "vatNumber, country, entityKind, insuredHoldsMajority, excludedByName"
    )
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


def test_bad_input_is_a_value_error():
    # Bad input is a ValueError in Python (issue #25): `except ValueError` catches it, as it
    # does for int("x"); a bug inside the engine is not bad input.
    assert issubclass(InputError, ValueError) and issubclass(PolicyError, ValueError)
    assert not issubclass(InternalError, ValueError)
    with pytest.raises(ValueError) as info:
        delcredere.check_insurability({"currency": "EURO"}, {}, {})
    assert isinstance(info.value, DelcredereError)
    assert info.value.code in ("invalid_policy", "unknown_currency", "missing_field")
    e = pickle.loads(pickle.dumps(InputError("x: bad", "invalid_amount", "x")))
    assert isinstance(e, ValueError) and (e.code, e.field, str(e)) == ("invalid_amount", "x", "x: bad")


def test_version():
    assert delcredere.__version__.count(".") == 2


def test_op_must_be_a_string():
    with pytest.raises(InputError) as info:
        delcredere.call(1, {})  # type: ignore[arg-type]
    assert (info.value.code, info.value.field) == ("invalid_type", "op")


# Typed functions of the limits, self-assessment, exposure and property-claims ops. Expected
# figures are those of spec/vectors/limits/*.json, spec/vectors/exposure/exp.json and
# spec/vectors/property/*.json.


def _eur(amount):
    return {"amount": Decimal(amount), "currency": "EUR"}


def _money(amount, currency="EUR"):
    return {"amount": Decimal(amount), "currency": currency}


SELF_ASSESSMENT_POLICY = {
    "selfAssessmentAgreed": True,
    "discretionaryLimit": {"amount": "20000", "currency": "EUR"},
    "creditChecksInsideDiscretionaryLimit": True,
}

PAID_ON_TIME_TWICE = {
    "purchases": [
        {"deliveryDate": "2026-03-01", "dueDate": "2026-04-30", "paidOn": "2026-06-20"},
        {"deliveryDate": "2026-05-01", "dueDate": "2026-06-30", "paidOn": "2026-06-30"},
    ]
}

LIMIT_OF_50000 = (
    {"type": "applied", "date": "2026-02-01", "requestedAmount": _eur("50000"), "paymentTermsDays": 60},
    {"type": "granted", "date": "2026-02-05", "amount": _eur("50000")},
)


def test_every_op_has_a_typed_function():
    for op in delcredere.OPS:
        assert op in delcredere.__all__, op
        assert callable(getattr(delcredere, op)), op


def test_check_delivery_cover_part_above_the_limit(policy, buyer):
    # cover-lim-1-part-above-the-limit-is-not-insured
    d = delcredere.check_delivery_cover(
        policy,
        buyer,
        outstanding=_eur("45000"),
        delivery={"amount": _eur("10000"), "date": datetime.date(2026, 3, 1), "paymentTermsDays": 60},
        as_of=datetime.date(2026, 3, 1),
        limit_events=LIMIT_OF_50000,
    )
    assert isinstance(d, Decision)
    assert d.outcome == "partly_covered"
    assert d.amounts["coveredAmount"] == {"amount": Decimal("5000.00"), "currency": "EUR"}
    assert d.amounts["uncoveredAmount"] == {"amount": Decimal("5000.00"), "currency": "EUR"}
    assert str(d.amounts["coveredAmount"]["amount"]) == "5000.00"
    assert d.reasons[-1] == Reason(
        "outstanding_above_limit",
        "LIM-1",
        {"limit": Decimal("50000.00"), "outstanding": Decimal("55000.00"),
         "uncovered": Decimal("5000.00"), "currency": "EUR"},
    )
    assert d.details == {"type": "cover", "coverType": "namedLimit"}


def test_check_delivery_cover_defaults_and_self_assessment(policy, buyer):
    delivery = {"amount": _eur("5000"), "date": "2026-03-01", "paymentTermsDays": 60}
    # cover-lim-1-no-limit-and-no-self-assessment: no limit events, no evidence.
    d = delcredere.check_delivery_cover(policy, buyer, _eur("0"), delivery, "2026-03-01")
    assert d.outcome == "not_covered"
    assert d.amounts["uncoveredAmount"]["amount"] == Decimal("5000.00")
    assert d.details == {"type": "cover", "coverType": "none"}
    # cover-dis-1-self-assessed-buyer
    d = delcredere.check_delivery_cover(
        dict(policy, **SELF_ASSESSMENT_POLICY),
        buyer,
        _eur("12000"),
        dict(delivery, date="2026-10-01"),
        "2026-10-01",
        self_assessment=PAID_ON_TIME_TWICE,
    )
    assert d.outcome == "covered"
    assert d.amounts["coveredAmount"]["amount"] == Decimal("5000.00")
    assert d.amounts["uncoveredAmount"]["amount"] == Decimal("0.00")
    assert d.details == {"type": "cover", "coverType": "selfAssessed"}


def test_check_delivery_cover_errors_point_into_the_input(policy, buyer):
    delivery = {"amount": _eur("0"), "date": "2026-03-01", "paymentTermsDays": 60}
    with pytest.raises(InputError) as info:
        delcredere.check_delivery_cover(policy, buyer, _eur("0"), delivery, "2026-03-01", LIMIT_OF_50000)
    assert (info.value.code, info.value.field) == ("out_of_range", "delivery.amount.amount")
    events = [dict(LIMIT_OF_50000[0], requestedAmount=_money("1", "DKK"))]
    with pytest.raises(InputError) as info:
        delcredere.check_delivery_cover(policy, buyer, _eur("0"), dict(delivery, amount=_eur("5")), "2026-03-01", events)
    assert (info.value.code, info.value.field) == ("currency_mismatch", "limitEvents[0].requestedAmount.currency")
    with pytest.raises(InputError) as info:
        delcredere.check_delivery_cover(policy, buyer, _eur("0"), delivery, 20260301)
    assert info.value.field.startswith("asOf")


def test_limit_state_granted_in_part(policy):
    # lim-1-granted-in-part
    events = [LIMIT_OF_50000[0], {"type": "granted", "date": "2026-02-05", "amount": _eur("30000")}]
    d = delcredere.limit_state(policy, events, as_of=datetime.date(2026, 3, 1))
    assert d.outcome == "limit_partly_granted"
    assert d.amounts == {"limit": {"amount": Decimal("30000.00"), "currency": "EUR"}}
    assert d.reasons[0].params["requested"] == Decimal("50000.00")
    assert d.details == {"type": "limit", "amountInForce": {"amount": Decimal("30000.00"), "currency": "EUR"}}


def test_check_limit_application_fee_inside_discretionary_limit(policy):
    # lim-5-request-inside-discretionary-limit-costs-a-yearly-fee
    d = delcredere.check_limit_application(
        dict(policy, **SELF_ASSESSMENT_POLICY),
        application={"requestedAmount": _eur("15000"), "paymentTermsDays": 60, "date": "2026-03-01"},
    )
    assert d.outcome == "application_ready"
    assert d.amounts["requestedAmount"]["amount"] == Decimal("15000.00")
    assert [r.code for r in d.reasons] == ["requested_terms_within_max_credit_period", "credit_check_fee_applies"]
    assert d.reasons[1].params == {"discretionaryLimit": Decimal("20000.00"), "currency": "EUR"}


def test_assess_discretionary(policy):
    policy = dict(policy, **SELF_ASSESSMENT_POLICY)
    # dis-5-outstanding-above-discretionary-limit-apply-at-once
    d = delcredere.assess_discretionary(
        policy, _eur("15000"), datetime.date(2026, 10, 1), outstanding=_eur("21000"), evidence=PAID_ON_TIME_TWICE
    )
    assert d.outcome == "covered"
    assert d.amounts["coveredAmount"]["amount"] == Decimal("15000.00")
    assert d.amounts["uncoveredAmount"]["amount"] == Decimal("0.00")
    assert d.reasons[-1] == Reason(
        "apply_for_named_limit",
        "DIS-5",
        {"outstanding": Decimal("21000.00"), "discretionaryLimit": Decimal("20000.00"), "currency": "EUR"},
    )
    # dis-4-no-self-assessment-12-months-after-refusal
    refused = [LIMIT_OF_50000[0], {"type": "refused", "date": "2026-02-10"}]
    d = delcredere.assess_discretionary(
        policy, _eur("15000"), "2026-10-01", evidence=PAID_ON_TIME_TWICE, limit_events=refused
    )
    assert d.outcome == "not_covered"
    assert d.amounts["uncoveredAmount"]["amount"] == Decimal("15000.00")
    assert d.reasons == [
        Reason("barred_after_refusal_or_withdrawal", "DIS-4", {"date": "2026-02-10", "until": "2027-02-10"})
    ]


def test_peak_outstanding():
    def dkk(amount, day, **extra):
        return dict({"amount": _money(amount, "DKK"), "deliveryDate": day, "paymentTermsDays": 90}, **extra)

    # exp-1-late-payer-raises-peak-to-500000
    d = delcredere.peak_outstanding(
        [
            dkk("150000", datetime.date(2026, 1, 1), paidOn=datetime.date(2026, 4, 20)),
            dkk("150000", "2026-01-31"),
            dkk("100000", "2026-03-02"),
            dkk("100000", "2026-04-01"),
        ]
    )
    assert d.outcome == "computed"
    assert d.amounts == {"peakOutstanding": {"amount": Decimal("500000.00"), "currency": "DKK"}}
    assert d.reasons[0].params == {"peak": Decimal("500000.00"), "currency": "DKK", "date": "2026-04-01"}
    assert [p["date"] for p in d.details["points"]][-1] == "2026-06-30"
    # exp-1-include-start-day-pays-a-day-earlier
    d = delcredere.peak_outstanding(
        [{"amount": _eur("500"), "deliveryDate": "2026-01-01", "paymentTermsDays": 30}], day_count="includeStartDay"
    )
    assert d.amounts["peakOutstanding"]["amount"] == Decimal("500.00")
    assert d.details["points"][-1] == {"date": "2026-01-30", "outstanding": {"amount": Decimal("0.00"), "currency": "EUR"}}
    # exp-1-end-of-month-terms-days-then-month-end: 10 Jan + 30 days = 9 Feb -> paid 28 Feb
    eom = [{"amount": _eur("1000.50"), "deliveryDate": "2026-01-10", "paymentTermsDays": 30, "endOfMonth": True}]
    d = delcredere.peak_outstanding(eom, end_of_month_convention="daysThenMonthEnd")
    assert d.details["points"][-1]["date"] == "2026-02-28"
    # the default reads 31 Jan + 30 days: paid 2 Mar
    assert delcredere.peak_outstanding(eom).details["points"][-1]["date"] == "2026-03-02"


def test_average_outstanding():
    # exp-2-seed-annual-sales-corrected-to-50000
    d = delcredere.average_outstanding(30, annual_sales=_money("600000", "DKK"))
    assert d.amounts["averageOutstanding"] == {"amount": Decimal("50000.00"), "currency": "DKK"}
    # exp-2-monthly-sales
    d = delcredere.average_outstanding(45, monthly_sales=_eur("45000"))
    assert d.amounts["averageOutstanding"]["amount"] == Decimal("67500.00")
    assert d.reasons[0].code == "average_outstanding_monthly"
    # exp-2-rounds-half-even-to-cents
    assert delcredere.average_outstanding(7, annual_sales=_eur("100000")).amounts["averageOutstanding"][
        "amount"
    ] == Decimal("1944.44")
    # bad-exp-2-both-sales-figures, bad-exp-2-no-sales-figure
    with pytest.raises(InputError) as info:
        delcredere.average_outstanding(30, annual_sales=_eur("1"), monthly_sales=_eur("1"))
    assert (info.value.code, info.value.field) == ("inconsistent_terms", "monthlySales")
    with pytest.raises(InputError) as info:
        delcredere.average_outstanding(30)
    assert (info.value.code, info.value.field) == ("missing_field", "annualSales")


def test_intake_order_agency():
    # pci-1-agency-order-opened-by-hand-order-number-zero-agent-code
    d = delcredere.intake_order(
        {"channel": "agency", "claimNumber": "b1234567", "orderNumber": "5521", "agentCode": " A0457 "}
    )
    assert d.outcome == "file_to_open_by_hand"
    assert d.amounts == {}
    assert [(r.code, r.params) for r in d.reasons] == [
        ("agency_order_opened_by_hand", {}),
        ("claim_number_recorded", {"claimNumber": "B1234567"}),
        ("order_number_set_to_zero", {"orderNumber": "0"}),
        ("agent_code_recorded", {"agentCode": "A0457"}),
    ]


def test_check_water_damage():
    # pci-2-repair-works-after-cause-repaired-may-be-dispatched, pci-2-leak-repair-not-covered
    d = delcredere.check_water_damage({"request": "repairWorks", "causeRepaired": True})
    assert d.outcome == "dispatch_allowed"
    assert d.reasons == [Reason("water_damage_cause_repaired", "PCI-2", {})]
    assert delcredere.check_water_damage({"request": "leakRepair", "causeRepaired": False}).outcome == "work_not_covered"


def test_follow_up_remote_assessment():
    # pci-3-after-two-reminders-third-due-flag-set
    follow_up = {
        "awaitingSince": datetime.date(2026, 3, 2),
        "reminderIntervalDays": 2,
        "attempts": [{"kind": "reminder", "on": "2026-03-04"}, {"kind": "reminder", "on": "2026-03-06"}],
    }
    d = delcredere.follow_up_remote_assessment(follow_up, as_of=datetime.date(2026, 3, 7))
    assert d.outcome == "awaiting_remote_assessment"
    assert d.reasons[0].params == {"count": 2, "maximum": 3}
    assert d.reasons[-1] == Reason("next_reminder_due", "PCI-3", {"number": 3, "dueOn": "2026-03-08"})


def test_check_expertise():
    # pci-4-vehicle-quote-of-300-01-returns-to-insurer
    d = delcredere.check_expertise({"peril": "vehicleImpact", "quote": _eur("300.01")})
    assert d.outcome == "returned_to_insurer"
    assert d.amounts == {
        "quote": {"amount": Decimal("300.01"), "currency": "EUR"},
        "handlingLimit": {"amount": Decimal("300.00"), "currency": "EUR"},
        "expertiseThreshold": {"amount": Decimal("800.00"), "currency": "EUR"},
    }
    # pci-4-keys-insurer-given-limit-of-500-applies
    d = delcredere.check_expertise(
        {"peril": "keyTheftOrLoss", "quote": _eur("620.40"), "handlingLimit": _eur("500")}
    )
    assert d.outcome == "expertise_required"
    assert d.amounts["handlingLimit"]["amount"] == Decimal("500.00")
    assert str(d.amounts["quote"]["amount"]) == "620.40"


def test_a_panic_inside_the_engine_is_an_internal_error_not_a_crash():
    # The test build has the core's test-only `__panic` op (feature test-panic).
    with pytest.raises(delcredere.InternalError) as info:
        delcredere.call("__panic", {})
    assert info.value.code == "internal"
    assert "deliberate panic for tests" in str(info.value)
    # The interpreter and the engine keep working.
    assert delcredere.explain({"outcome": "insurable", "reasons": []}, "de").summary == "Versicherbar."


def test_huge_and_deep_inputs_are_typed_errors():
    with pytest.raises(delcredere.InputError) as info:
        delcredere.call("explain", {"lang": "x" * (16 * 1024 * 1024 + 1)})
    assert (info.value.code, info.value.field) == ("out_of_range", "input")
    deep: object = None
    for _ in range(10_000):
        deep = [deep]
    with pytest.raises(delcredere.InputError) as info:
        delcredere.call("validate_policy", {"policy": deep})
    assert info.value.code == "invalid_json"
def test_limit_application_form_answers_per_field_in_german(policy):
    report = delcredere.validate_limit_application(
        policy,
        {"buyerName": "Müller Maschinenbau GmbH", "legalForm": "GmbH", "buyerCountry": "DE",
         "requestedAmount": "50000", "currency": "EUR", "paymentTermsDays": "150", "date": ""},
        "de",
    )
    assert isinstance(report, delcredere.FormReport)
    assert report.valid is False
    assert report.fields["date"] == [
        {"code": "application_field_required", "severity": "error", "message": "Dieses Feld ist erforderlich."}
    ]
    assert report.fields["paymentTermsDays"][0]["code"] == "requested_terms_exceed_max_credit_period"
    assert pickle.loads(pickle.dumps(report)) == report


def test_turnover_declaration_form_turns_a_malformed_figure_into_a_field_message(policy):
    report = delcredere.validate_turnover_declaration_form(
        policy,
        {"currency": "EUR", "sections": [{"lines": [{"country": "DE", "amount": "3 Mio"}]}]},
        "fr",
    )
    assert report.to_dict() == {
        "valid": False,
        "fields": {"sections[0].lines[0].amount": [{
            "code": "declaration_amount_invalid",
            "severity": "error",
            "message": "3 Mio n'est pas un montant : saisissez des chiffres avec une virgule décimale, par exemple 125 000,00.",
        }]},
    }


def test_policy_class_validates_once_compares_pickles_and_is_accepted_everywhere() -> None:
    import pickle

    from delcredere import Policy, PolicyError, sample

    p = delcredere.Policy(sample.POLICY)
    assert p == sample.POLICY and p == Policy.from_json(p.to_json())
    assert pickle.loads(pickle.dumps(p)) == p
    assert "currency" in p and len(p) == len(sample.POLICY)
    nested = p["insuranceYear"]
    nested["start"] = "1999-01-01"  # a copy: the policy stays as validated
    assert p["insuranceYear"] != nested
    assert repr(p).startswith("Policy({") and "<table>" in p._repr_html_()
    with pytest.raises(PolicyError) as e:
        Policy({**sample.POLICY, "currency": "EUX", "indemnityPercentage": "150"})
    assert e.value.code == "invalid_policy" and e.value.field == "currency"
    assert {q["field"] for q in e.value.problems} >= {"currency", "indemnityPercentage"}
    # Accepted where a policy dict is: a single op and the batch give the same answers.
    args = (sample.BUYER, {"kind": "goods", "paymentTermsDays": 60})
    assert delcredere.check_insurability(p, *args) == delcredere.check_insurability(sample.POLICY, *args)
    ledger, buyers = sample.ledger(5, 50, seed=3)
    a = delcredere.cover_batch(ledger, p, buyers, sample.as_of(), paid_on="paid_on")
    b = delcredere.cover_batch(ledger, sample.POLICY, buyers, sample.as_of(), paid_on="paid_on")
    assert a.equals(b)


def test_overdue_report_form_answers_per_field_in_french_with_a_date_object(policy):
    # form-ovd-5-the-total-cannot-be-less-than-the-oldest-invoice-da, in French, reported on the
    # day it is due (31 May: the 60-day extension after 31 March ends 30 May).
    report = delcredere.validate_overdue_report_form(
        policy,
        {"invoiceDate": "2026-03-01", "dueDate": "2026-03-31", "paymentTermsDays": "30",
         "openAmount": "12000.00", "totalOverdue": "9500.00", "delayReason": "Réclamation"},
        datetime.date(2026, 5, 31),
        "fr",
    )
    assert isinstance(report, delcredere.FormReport)
    assert report.to_dict() == {
        "valid": False,
        "fields": {"totalOverdue": [{
            "code": "overdue_form_total_below_open_amount",
            "severity": "error",
            "message": "Le total de toutes les créances en retard, 9\u202f500,00 EUR, ne peut être inférieur au "
            "montant restant dû sur la facture la plus ancienne, 12\u202f000,00 EUR.",
        }]},
    }
    with pytest.raises(delcredere.InputError) as info:
        delcredere.validate_overdue_report_form(policy, {"bundled": "yes"}, "2026-05-31", "fr")
    assert (info.value.code, info.value.field) == ("invalid_type", "overdueReport.bundled")


def test_claim_file_form_answers_per_field_in_german_with_a_date_object():
    # form-clm-3-missing-items-and-short-history-de: the window runs from 12 months before
    # 2026-02-01, i.e. 2025-02-01, until as_of; the history from 2025-03-01 misses February.
    report = delcredere.validate_claim_file_form(
        {
            "oldestOpenReceivableDate": "2026-02-01",
            "invoicesProvided": True,
            "tradingHistory": {"from": "2025-03-01", "to": "2026-09-10"},
            "requestedDocuments": [{"name": "Lieferscheine", "provided": False}],
        },
        datetime.date(2026, 9, 10),
        "de",
    )
    assert isinstance(report, delcredere.FormReport)
    assert report.valid is False
    assert sorted(report.fields) == [
        "collectionWanted", "openItemsListProvided", "requestedDocuments[0]", "tradingHistory",
    ]
    assert report.fields["tradingHistory"] == [{
        "code": "claim_file_item_missing",
        "severity": "error",
        "message": "Fehlt in der Schadenmeldung: Trading History (Kundenkonto) vom 01.02.2025 bis 10.09.2026.",
    }]
    assert pickle.loads(pickle.dumps(report)) == report


def test_claim_file_form_unknown_language_is_an_input_error():
    with pytest.raises(delcredere.InputError) as info:
        delcredere.validate_claim_file_form({}, "2026-09-10", "es")
    assert (info.value.code, info.value.field) == ("unknown_language", "lang")


def test_collection_file_form_the_fax_is_a_warning_and_the_form_stays_valid():
    # form-col-2-missing-fax-is-a-warning-the-form-stays-valid-fr
    report = delcredere.validate_collection_file_form(
        {
            "buyer": {
                "companyName": "Dupont SA", "address": "1 rue de la Paix, 75002 Paris",
                "contactPerson": "Marie Dupont", "email": "m.dupont@dupont.fr", "phone": "+33 1 23 45 67 89",
            },
            "invoices": True, "purchaseOrders": True, "deliveryNotes": True,
            "accountStatementDate": "2026-05-01", "lastSettlementDate": "2026-04-15",
            "termsOrContract": True, "paymentsAndCreditNotes": True,
        },
        "fr",
    )
    assert report.to_dict() == {
        "valid": True,
        "fields": {"buyer.fax": [{
            "code": "collection_file_item_missing",
            "severity": "warning",
            "message": "Manque au dossier de recouvrement : Le fax du débiteur (recommandé).",
        }]},
    }
