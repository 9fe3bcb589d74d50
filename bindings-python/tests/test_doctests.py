"""Runs the docstring examples of the package."""

import doctest

import delcredere


def test_docstring_examples_pass() -> None:
    result = doctest.testmod(delcredere, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted >= 5, "the docstring examples were not found"
    assert result.failed == 0
