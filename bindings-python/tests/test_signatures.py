"""Every op's Python function takes its input DTO's fields, no more and no fewer (issue #25).

The fields are asked of the core itself, so that this cannot drift from it: an input with a key
no DTO has is refused with ``unknown_field``, whose message lists the keys the op's input allows
("expected one of policy, buyer, ..."). Each function's parameters, in camelCase, must be those
keys.
"""

import inspect
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

import delcredere
from delcredere import InputError

UNKNOWN = "qqqqqqqqqqqq"
ROOT = Path(__file__).resolve().parents[2]


def dto_fields(op):
    """The keys the input DTO of ``op`` allows, as the core's unknown_field error lists them."""
    with pytest.raises(InputError) as caught:
        # lang too: a form op reads its language first.
        delcredere.call(op, {UNKNOWN: 1, "lang": "en"})
    e = caught.value
    assert (e.code, e.field) == ("unknown_field", UNKNOWN), f"{op}: {e!r}"
    listed = re.fullmatch(
        rf"{UNKNOWN}: unknown field '{UNKNOWN}', expected (?:one of )?(.+?)(?: \(did you mean '.*'\?\))?",
        str(e),
    )
    assert listed, f"{op}: the message does not list the allowed keys: {e}"
    return set(listed.group(1).split(", "))


def camel(name):
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def snake(name):
    return re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), name)


def parameters(op):
    function = getattr(delcredere, op)
    return {camel(name) for name in inspect.signature(function).parameters}


@pytest.mark.parametrize("op", delcredere.OPS)
def test_the_python_function_of_every_op_takes_its_input_dtos_fields(op):
    assert callable(getattr(delcredere, op, None)), f"no function delcredere.{op}"
    fields = dto_fields(op)
    params = parameters(op)
    assert params == fields, (
        f"{op}: missing in Python {sorted(fields - params)}, not in the DTO {sorted(params - fields)}"
    )


def test_the_comparison_fails_on_a_missing_argument():
    # check_delivery_cover lacked overdue= (issue #25): the comparison above sees such a gap.
    fields = dto_fields("check_delivery_cover")
    assert "overdue" in fields
    assert fields - {"overdue"} != fields


def test_check_delivery_cover_reads_overdue():
    # Vector dis-7-automatic-cover-is-excluded-after-an-overdue-as-a-named-limit: automatic
    # cover of 20000 EUR would cover the 10000 EUR delivery on 5000 EUR outstanding, but an
    # invoice of 5000 EUR due on 31 March is still open on 5 June (OVD-2): not covered.
    path = ROOT / "spec" / "vectors" / "limits" / "small-buyers.json"
    case = next(
        c
        for c in json.loads(path.read_text(encoding="utf-8"))
        if c["id"] == "dis-7-automatic-cover-is-excluded-after-an-overdue-as-a-named-limit"
    )
    kwargs = {snake(k): v for k, v in case["input"].items()}
    assert "overdue" in kwargs
    d = delcredere.check_delivery_cover(**kwargs)
    assert d.outcome == "not_covered"
    assert d.amounts["coveredAmount"] == {"amount": Decimal("0.00"), "currency": "EUR"}
    del kwargs["overdue"]
    assert delcredere.check_delivery_cover(**kwargs).outcome == "covered"
