"""Shared inputs: the quickstart policy and buyer."""

import copy
from decimal import Decimal
from typing import Any, Dict

import pytest

POLICY: Dict[str, Any] = {
    "currency": "EUR",
    "insuranceYear": {"start": "2026-01-01"},
    "agreedCountries": ["DE", "FR", "NL", "DK"],
    "maxCreditPeriodDays": 120,
    "maxExtensionPeriodDays": 60,
    "waitingPeriodDays": 180,
    "indemnityPercentage": Decimal("90"),
    "maximumLiability": {"amount": Decimal("2000000.00"), "currency": "EUR"},
    "premium": {
        "basis": "turnover",
        "rate": Decimal("0.20"),
        "expectedTurnover": {"amount": "20000000", "currency": "EUR"},
    },
    "declarationDeadlineDays": 30,
}

BUYER: Dict[str, Any] = {
    "legalName": "Müller Maschinenbau GmbH",
    "legalForm": "GmbH",
    "registrationNumber": "HRB 12345",
    "country": "DE",
    "entityKind": "company",
}

RECEIVABLE: Dict[str, Any] = {"kind": "goods", "paymentTermsDays": 60}


@pytest.fixture
def policy() -> Dict[str, Any]:
    return copy.deepcopy(POLICY)


@pytest.fixture
def buyer() -> Dict[str, Any]:
    return copy.deepcopy(BUYER)


@pytest.fixture
def receivable() -> Dict[str, Any]:
    return copy.deepcopy(RECEIVABLE)
