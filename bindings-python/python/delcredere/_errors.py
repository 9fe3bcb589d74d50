"""The exceptions of delcredere: bad input is an error, never a decision."""

from typing import Any, Dict, List, Optional

__all__ = ["DelcredereError", "PolicyError", "InputError", "InternalError"]


class DelcredereError(Exception):
    """Base of every error the engine raises.

    ``code`` is the stable snake_case code of the core (e.g. ``unknown_field``), ``field`` the
    path of the offending field in the input (e.g. ``buyer.country``) and ``problems`` every
    problem found (for ``invalid_policy``; empty otherwise). ``str(error)`` is the core's
    message.
    """

    code: str
    field: str
    problems: List[Dict[str, str]]

    def __init__(
        self,
        message: str,
        code: str = "internal",
        field: str = "",
        problems: Optional[List[Dict[str, str]]] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field
        self.problems = list(problems or [])

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, field={self.field!r}, message={self.message!r})"

    def __reduce__(self) -> Any:
        return (type(self), (self.message, self.code, self.field, self.problems))


class PolicyError(DelcredereError, ValueError):
    """A policy that does not validate (code ``invalid_policy``); ``problems`` lists them all.
    A ``ValueError``, as bad input is in Python."""


class InputError(DelcredereError, ValueError):
    """Malformed or inconsistent input: unknown or missing field, bad amount, unknown code...
    A ``ValueError``, as bad input is in Python: ``except ValueError`` catches it."""


class InternalError(DelcredereError):
    """A bug inside the engine (code ``internal``). Never expected."""
