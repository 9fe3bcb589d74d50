"""One engine, prepared once (ACC, spec/engine.md): a policy and its buyers' accounts held
between calls.

The methods of :class:`Engine` are not written out here: each is built from the core's table of
engine methods (``_delcredere.ENGINE_METHODS``: name, parameters in order, output) and runs the
core's method by name on an input dict of its arguments. Parameters are taken positionally in
the table's order, snake_case (``as_of`` for ``asOf``); a method whose output is a decision
returns a :class:`Decision`. Only the native class's own fast paths (``cover_figures``,
``snapshot``) and the DataFrame and pickling helpers are written here.
"""

import collections.abc
import inspect
import re
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from . import _delcredere
from ._errors import InputError
from ._events import events_from, frame_kind

_MethodRow = Tuple[str, bool, Tuple[Tuple[str, str, bool], ...], str, str, str]

CoverFigures = _delcredere.CoverFigures
# The answer of Engine.cover_figures reads as method cover_figures's dict: a Mapping.
collections.abc.Mapping.register(CoverFigures)


def _snake(key: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", lambda m: "_" + m.group(1).lower(), key)


class Engine(_delcredere.Engine):
    """A policy and its buyers' accounts, held between calls (ACC, spec/engine.md).

    ``Engine(policy)`` validates the policy once; ``Engine.load(setup)`` builds a whole engine
    (``{"policy", "buyers": [{"id", "buyer", "events"}]}``); ``Engine.restore(text)`` reads a
    snapshot back, ``Engine.from_bytes(data)`` a binary one (of :meth:`to_bytes`, which pickling
    uses). Buyers are added by key and their events applied as they happen; every
    question takes its date. Bad input raises :class:`InputError` with the core's ``code`` and
    ``field``.

    >>> from decimal import Decimal
    >>> from delcredere.sample import POLICY
    >>> engine = Engine(POLICY)
    >>> engine.add_buyer("D-1001", {"legalName": "Müller GmbH", "legalForm": "GmbH",
    ...                             "country": "DE", "entityKind": "company"})
    0
    >>> engine.apply("D-1001", {"type": "limitApplied", "id": "l0", "date": "2026-02-01",
    ...                         "requestedAmount": {"amount": "50000", "currency": "EUR"},
    ...                         "paymentTermsDays": 60})
    >>> engine.apply("D-1001", {"type": "limitGranted", "id": "l1", "date": "2026-02-05",
    ...                         "amount": {"amount": "50000", "currency": "EUR"}})
    >>> engine.apply("D-1001", {"type": "invoiceIssued", "id": "i1", "date": "2026-03-01",
    ...                         "reference": "F-1", "amount": {"amount": "45000", "currency": "EUR"},
    ...                         "paymentTermsDays": 60})
    >>> delivery = {"date": "2026-03-02", "amount": {"amount": "10000", "currency": "EUR"},
    ...             "paymentTermsDays": 60}
    >>> figures = engine.cover_figures("D-1001", delivery, "2026-03-02")
    >>> figures.covered, figures.uncovered, figures.cover_type
    (Decimal('5000'), Decimal('5000'), 'namedLimit')
    >>> figures["covered"]  # it also reads as method cover_figures's dict
    {'amount': Decimal('5000'), 'currency': 'EUR'}
    >>> engine.check_cover("D-1001", delivery, "2026-03-02").outcome
    'partly_covered'
    >>> import pickle; pickle.loads(pickle.dumps(engine)) == engine
    True
    >>> Engine.from_bytes(engine.to_bytes()) == engine
    True
    """

    __slots__ = ()

    @classmethod
    def load(cls, setup: Mapping[str, Any]) -> "Engine":
        """A whole engine at once: ``{"policy", "buyers": [{"id", "buyer", "events"}]}``, each
        buyer's events a list of dicts or a DataFrame (as :func:`delcredere.account_state`
        takes them)."""
        if isinstance(setup, Mapping) and isinstance(setup.get("buyers"), list):
            currency = _currency(setup.get("policy"))
            setup = {
                **setup,
                "buyers": [
                    {**b, "events": events_from(b["events"], f"setup.buyers[{i}].events", currency)}
                    if isinstance(b, Mapping) and "events" in b
                    else b
                    for i, b in enumerate(setup["buyers"])
                ],
            }
        return cls(setup=setup)

    @classmethod
    def restore(cls, snapshot: str) -> "Engine":
        """The engine a snapshot of :meth:`snapshot` describes (format version 1; any other is
        ``unsupported_snapshot``)."""
        return cls(snapshot=snapshot)

    @classmethod
    def from_bytes(cls, data: bytes) -> "Engine":
        """The engine a binary snapshot of :meth:`to_bytes` describes (format version 2; any
        other is ``unsupported_snapshot``, bytes cut short or edited ``invalid_type``): restored
        without reading the logs again, much faster than :meth:`restore` of the text."""
        return cls(snapshot=bytes(data))

    def apply_frame(self, events: Any, buyer: str = "buyer") -> int:
        """Applies the events of a pandas or polars DataFrame in row order, one event per row,
        the buyer's key in column ``buyer`` and the event's fields in the others (as
        :func:`delcredere.account_state` reads a frame); returns how many were applied. It
        stops at the first bad row, whose error names it (``events[3]...``); the rows before
        stay applied."""
        kind = frame_kind(events)
        if kind is None:
            raise InputError(
                f"events: expected a pandas or polars DataFrame, found {type(events).__name__}",
                "invalid_type",
                "events",
            )
        if buyer not in events.columns:
            raise InputError(f"events: no column {buyer!r} with the buyers' keys", "missing_field", "events.buyer")
        keys = list(events[buyer])
        rest = events.drop(columns=[buyer]) if kind == "pandas" else events.drop(buyer)
        rows = events_from(rest, "events", _currency(self.policy()))  # type: ignore[attr-defined]
        return self.apply_all([{"buyer": k, "event": e} for k, e in zip(keys, rows)])  # type: ignore[attr-defined, no-any-return]

    def __reduce__(self) -> Any:
        # The binary snapshot: written and read several times faster than the text.
        return (_restore, (type(self), self.to_bytes()))  # type: ignore[attr-defined]

    def __copy__(self) -> "Engine":
        return type(self).from_bytes(self.to_bytes())  # type: ignore[attr-defined]

    def __deepcopy__(self, memo: Dict[int, Any]) -> "Engine":
        return self.__copy__()


def _restore(cls: type, snapshot: Any) -> Engine:
    # Text (pickles of earlier versions) or bytes (of to_bytes) alike.
    return cls(snapshot=snapshot)  # type: ignore[no-any-return]


def _currency(policy: Any) -> Optional[str]:
    try:
        code = policy["currency"]
    except (KeyError, TypeError, IndexError):
        return None
    return code if isinstance(code, str) else None


def _build(row: _MethodRow, decision: Callable[[Any], Any]) -> Callable[..., Any]:
    name, _changes, params, _input, output, doc = row
    keys = [key for key, _ts, _optional in params]
    names = [_snake(key) for key in keys]
    optional = [opt for _key, _ts, opt in params]
    wrap = decision if output == "Decision" else None
    call = _delcredere.Engine.call

    def method(self: Engine, *args: Any, **kwargs: Any) -> Any:
        if len(args) > len(keys):
            raise TypeError(f"{name}() takes {len(keys)} arguments, {len(args)} given")
        given: Dict[str, Any] = {}
        for key, value in zip(keys, args):
            given[key] = value
        for arg, value in kwargs.items():
            try:
                key = keys[names.index(arg)]
            except ValueError:
                raise TypeError(f"{name}() got an unexpected keyword argument {arg!r}") from None
            if key in given:
                raise TypeError(f"{name}() got multiple values for argument {arg!r}")
            given[key] = value
        input = {k: v for k, v in given.items() if v is not None or not optional[keys.index(k)]}
        out = call(self, name, input)
        return wrap(out) if wrap is not None else out

    method.__name__ = method.__qualname__ = name
    method.__doc__ = doc.strip()
    method.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
        + [
            inspect.Parameter(
                n,
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
                default=None if opt else inspect.Parameter.empty,
            )
            for n, opt in zip(names, optional)
        ]
    )
    return method


def install(decision: Callable[[Any], Any]) -> List[str]:
    """Puts a method on :class:`Engine` for each row of the core's table that the native class
    does not answer itself; ``decision`` makes a decision dict a :class:`Decision`. Returns the
    method names."""
    names = []
    for row in _delcredere.ENGINE_METHODS:
        name = row[0]
        names.append(name)
        if name not in vars(_delcredere.Engine):
            setattr(Engine, name, _build(row, decision))
    return names
