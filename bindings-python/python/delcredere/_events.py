"""Account events from a pandas or polars DataFrame (ACC, spec/account.md).

One row per event, one column per event field (``type``, ``id``, ``date``, ``reference``,
``amount``, ``paymentTermsDays``...); a null cell (``None``, ``NaN``, ``NaT``, ``pd.NA``, a
polars null) is an absent field. The rows become the list of event dicts the engine takes:

- money fields (``amount``, ``requestedAmount``) hold a ``Decimal`` or a decimal string, in the
  currency of the row's ``currency`` column, or of the policy when there is none; a cell may
  also hold the whole ``{"amount", "currency"}`` mapping (a polars struct). A float is refused,
  as everywhere in delcredere.
- ``date`` and ``dueDate`` hold a ``datetime.date``, a string or a pandas ``Timestamp`` at
  midnight.
- ``paymentTermsDays`` and ``delayDays`` hold whole numbers; a whole float (pandas turns an
  integer column with gaps into floats) is taken as the integer.
- ``policy``, ``evidence`` and ``allocation`` hold the nested mapping or list as is.

A bad cell raises :class:`InputError` whose ``field`` names the row and the column
(``events[3].amount``), in the engine's words (a float: "a float (5000.0) is not an amount:
give a Decimal or a string", as a float in a dict); what the engine refuses afterwards names
them the same way.

The conversion is a loop over the rows in Python, like building the list of dicts by hand: an
account's events are a log, not a batch.
"""

import math
import re
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Dict, List, Mapping, Optional

from ._errors import InputError

_MONEY = ("amount", "requestedAmount")
_WHOLE = ("paymentTermsDays", "delayDays")
_DATES = ("date", "dueDate")
_CURRENCY = "currency"
# The core's own syntax (money.rs, calendar.rs), checked here to name the cell in the error.
_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def frame_kind(value: Any) -> Optional[str]:
    """``"pandas"`` or ``"polars"`` for a DataFrame of that library, else ``None``."""
    module = type(value).__module__.split(".")[0]
    if type(value).__name__ == "DataFrame" and module in ("pandas", "polars"):
        return module
    return None


def events_from(events: Any, field: str, currency: Optional[str]) -> Any:
    """``events`` as the engine takes them: a DataFrame becomes a list of event dicts; anything
    else is returned unchanged. ``field`` is the path of the events in the input (for errors),
    ``currency`` the policy's currency code (for amounts without a ``currency`` column)."""
    kind = frame_kind(events)
    if kind is None:
        return events
    records: List[Mapping[str, Any]] = events.to_dict("records") if kind == "pandas" else events.to_dicts()
    isna = _pandas_isna() if kind == "pandas" else None
    return [_event(record, f"{field}[{i}]", currency, isna) for i, record in enumerate(records)]


def _pandas_isna() -> Any:
    import pandas

    return pandas.isna


def _null(value: Any, isna: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isna is not None and not isinstance(value, (str, bytes, Mapping, list, tuple, dict)):
        try:
            return bool(isna(value))
        except (TypeError, ValueError):
            return False
    return False


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value it holds."""
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        return value.item()
    return value


def _event(record: Mapping[str, Any], path: str, currency: Optional[str], isna: Any) -> Dict[str, Any]:
    cells = {str(k): _plain(v) for k, v in record.items() if not _null(v, isna)}
    row_currency = cells.pop(_CURRENCY, None)
    if row_currency is not None and not isinstance(row_currency, str):
        raise _bad(path, _CURRENCY, "invalid_type", f"a currency code is a string, not {type(row_currency).__name__}")
    event: Dict[str, Any] = {}
    for column, value in cells.items():
        if column in _MONEY:
            event[column] = _money(value, path, column, row_currency or currency)
        elif column in _WHOLE:
            event[column] = _whole(value, path, column)
        elif column == "allocation":
            event[column] = _allocation(value, path, row_currency or currency)
        elif isinstance(value, datetime):
            event[column] = _day(value, path, column)
        elif column in _DATES and isinstance(value, str):
            event[column] = _iso_day(value, path, column)
        elif isinstance(value, float):
            raise _bad(path, column, "invalid_type", f"a float ({value!r}) is not a valid value here")
        else:
            event[column] = value
    return event


def _bad(path: str, column: str, code: str, detail: str) -> InputError:
    row = path[path.rindex("[") + 1 : -1]
    field = f"{path}.{column}"
    return InputError(f"{field}: {detail} (row {row}, column {column!r})", code, field)


def _money(value: Any, path: str, column: str, currency: Optional[str]) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, float):
        raise _bad(path, column, "invalid_amount", f"a float ({value!r}) is not an amount: give a Decimal or a string")
    if not isinstance(value, (Decimal, str, int)) or isinstance(value, bool):
        raise _bad(path, column, "invalid_amount", f"an amount is a Decimal or a string, not {type(value).__name__}")
    if isinstance(value, str) and not _DECIMAL.fullmatch(value):
        raise _bad(path, column, "invalid_amount", f"invalid amount '{value}', expected a decimal string such as \"1250.00\"")
    if currency is None:
        raise _bad(path, column, "missing_field", "no currency: add a currency column")
    return {"amount": value, "currency": currency}


def _whole(value: Any, path: str, column: str) -> Any:
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise _bad(path, column, "invalid_type", f"expected a whole number, found {value!r}")
    return value


def _day(value: datetime, path: str, column: str) -> date:
    if value.time() != time(0) or value.tzinfo is not None:
        raise _bad(path, column, "invalid_date", f"{value} has a time of day or a time zone: give a date")
    return value.date()


def _iso_day(value: str, path: str, column: str) -> str:
    try:
        valid = bool(_ISO_DATE.fullmatch(value)) and date.fromisoformat(value) is not None
    except ValueError:
        valid = False
    if not valid:
        raise _bad(path, column, "invalid_date", f"invalid date '{value}', expected yyyy-mm-dd")
    return value


def _allocation(value: Any, path: str, currency: Optional[str]) -> Any:
    if not isinstance(value, (list, tuple)):
        return value
    parts = []
    for part in value:
        part = dict(part) if isinstance(part, Mapping) else part
        if isinstance(part, dict) and "amount" in part and not isinstance(part["amount"], Mapping):
            part["amount"] = _money(_plain(part["amount"]), path, "allocation", currency)
        parts.append(part)
    return parts
