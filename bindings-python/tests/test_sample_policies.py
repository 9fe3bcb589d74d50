"""The four countries' sample policies (spec/policies/*.json) as `delcredere.sample` offers them:
the same data as the spec files, each valid, a fresh copy on every call."""

import json
from pathlib import Path

import pytest

import delcredere
from delcredere import sample

SPEC = Path(__file__).resolve().parents[2] / "spec" / "policies"


@pytest.mark.parametrize("country", ["be", "ch", "dk", "fr"])
def test_sample_policy_is_the_spec_file_and_valid(country):
    policy = sample.policy(country.upper())
    assert policy == json.loads((SPEC / f"{country}.json").read_text(encoding="utf-8"))
    report = delcredere.validate_policy(policy)
    assert (report.valid, report.problems) == (True, [])


def test_sample_policy_is_a_fresh_copy():
    sample.policy("ch")["currency"] = "EUR"
    assert sample.policy("ch")["currency"] == "CHF"


def test_unknown_sample_country_names_the_four():
    with pytest.raises(KeyError, match="be, ch, dk, fr"):
        sample.policy("se")
