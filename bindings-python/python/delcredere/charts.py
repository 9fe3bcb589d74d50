"""Pictures of the outstanding (EXP-1) for notebooks: inline SVG with no dependency, and
matplotlib when it is installed.

- :func:`curve_svg` draws an outstanding curve (the ``details["points"]`` of
  :func:`delcredere.peak_outstanding`) as a step line, with the peak marked and, when given,
  the limit as a dashed line. A :class:`delcredere.Decision` with a curve shows it in a
  notebook (``_repr_html_``) and has ``plot()``.
- :func:`exposure_chart` draws the buyers of an :func:`delcredere.exposure_batch` result as
  bars of peak outstanding against each buyer's limit, for a notebook or with ``plot()``.

The figures stay decimals; only the pixel positions are floats (rounded to 0.1 px).

>>> from decimal import Decimal
>>> points = [("2026-03-01", Decimal("100")), ("2026-03-11", Decimal("400")),
...           ("2026-03-21", Decimal("0"))]
>>> svg = curve_svg(points, limit=Decimal("200"), currency="EUR")
>>> svg.startswith("<svg") and 'd="M60.0,160.0 H260.0 V40.0 H460.0 V200.0"' in svg
True
>>> 'y1="120.0"' in svg  # the limit, half of the 400 scale
True
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from html import escape
from typing import Any, Iterable, List, Optional, Sequence, Tuple

__all__ = ["curve_svg", "exposure_chart", "ExposureChart", "plot_curve"]

# The drawing area of an SVG chart: margins (left, right, top, bottom) around the plot, in px.
_WIDTH, _HEIGHT = 480, 230
_LEFT, _RIGHT, _TOP, _BOTTOM = 60, 20, 40, 30


def _px(value: float) -> str:
    return f"{value:.1f}"


def _amount(value: Decimal) -> str:
    return f"{value:,.2f}"


def _points(points: Iterable[Any]) -> List[Tuple[date, Decimal]]:
    """(date, amount) pairs from ``(date, amount)`` tuples or the op's
    ``{"date": ..., "outstanding": {"amount": ...}}`` points, in date order."""
    out = []
    for p in points:
        if isinstance(p, dict):
            day, amount = p["date"], p["outstanding"]["amount"]
        else:
            day, amount = p
        if isinstance(day, str):
            day = date.fromisoformat(day)
        if isinstance(amount, float):
            raise TypeError(f"a float ({amount!r}) is not an amount: give a Decimal or a string")
        out.append((day, Decimal(amount)))
    return sorted(out, key=lambda p: p[0])


def curve_svg(
    points: Iterable[Any],
    *,
    limit: Optional[Decimal] = None,
    currency: str = "",
    title: str = "Outstanding",
) -> str:
    """The outstanding curve as an inline SVG: a step line (the amount owed holds from each
    point's date to the next one's), the peak marked with its amount and date, the ``limit``
    as a dashed line when given. The x axis runs from the first point's date to the last, in
    days; the y axis from 0 to the larger of the peak and the limit.

    ``points`` are ``(date, amount)`` pairs or the op's points
    (``Decision.details["points"]``); dates as ``datetime.date`` or ISO strings, amounts as
    ``Decimal`` or strings.
    """
    pts = _points(points)
    if not pts:
        raise ValueError("points: the curve has no point")
    peak_date, peak = max(pts, key=lambda p: (p[1], -p[0].toordinal()))
    top = max([peak] + ([Decimal(limit)] if limit is not None else []))
    span = (pts[-1][0] - pts[0][0]).days or 1
    plot_w, plot_h = _WIDTH - _LEFT - _RIGHT, _HEIGHT - _TOP - _BOTTOM

    def x(day: date) -> float:
        return _LEFT + plot_w * (day - pts[0][0]).days / span

    def y(value: Decimal) -> float:
        return _TOP + plot_h * (1 - (float(value / top) if top else 0.0))

    path = f"M{_px(x(pts[0][0]))},{_px(y(pts[0][1]))}"
    for day, value in pts[1:]:
        path += f" H{_px(x(day))} V{_px(y(value))}"
    unit = f" {currency}" if currency else ""
    desc = (
        f"Step line of the amount owed from {pts[0][0]} to {pts[-1][0]}, with its peak of "
        f"{_amount(peak)}{unit} on {peak_date}"
        + (f"; the limit: {_amount(Decimal(limit))}{unit}" if limit is not None else "")
        + "."
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{_WIDTH}" height="{_HEIGHT}" '
        f'viewBox="0 0 {_WIDTH} {_HEIGHT}" font-family="sans-serif" font-size="11">',
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>",
        f'<line x1="{_LEFT}" y1="{_px(y(Decimal(0)))}" x2="{_WIDTH - _RIGHT}" y2="{_px(y(Decimal(0)))}" stroke="#555"/>',
        f'<text x="{_LEFT - 4}" y="{_px(y(top) + 4)}" text-anchor="end">{escape(_amount(top))}</text>',
        f'<text x="{_LEFT - 4}" y="{_px(y(Decimal(0)) + 4)}" text-anchor="end">0</text>',
        f'<text x="{_LEFT}" y="{_HEIGHT - 10}">{pts[0][0]}</text>',
        f'<text x="{_WIDTH - _RIGHT}" y="{_HEIGHT - 10}" text-anchor="end">{pts[-1][0]}</text>',
        f'<path class="outstanding" d="{path}" fill="none" stroke="#1f5fa8" stroke-width="2"/>',
    ]
    if limit is not None:
        ly = _px(y(Decimal(limit)))
        parts.append(
            f'<line class="limit" x1="{_LEFT}" y1="{ly}" x2="{_WIDTH - _RIGHT}" y2="{ly}" '
            f'stroke="#b00020" stroke-dasharray="6 4"><title>limit {escape(_amount(Decimal(limit)))}{escape(unit)}</title></line>'
        )
    px, py = x(peak_date), y(peak)
    parts.append(
        f'<circle class="peak" cx="{_px(px)}" cy="{_px(py)}" r="4" fill="#8a4b00"/>'
        f'<text x="{_px(min(px, _WIDTH - _RIGHT - 150))}" y="{_px(py - 8)}">'
        f"Peak: {escape(_amount(peak))}{escape(unit)} · {peak_date}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def plot_curve(
    points: Iterable[Any],
    *,
    limit: Optional[Decimal] = None,
    currency: str = "",
    ax: Any = None,
) -> Any:
    """The outstanding curve on a matplotlib ``Axes`` (a new figure's when ``ax`` is None):
    a step line, the peak marked, the ``limit`` dashed. Returns the ``Axes``. Needs
    matplotlib (``pip install matplotlib``)."""
    plt = _pyplot()
    pts = _points(points)
    if not pts:
        raise ValueError("points: the curve has no point")
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3))
    days = [d for d, _ in pts]
    values = [float(v) for _, v in pts]
    ax.step(days, values, where="post", label="outstanding")
    peak_date, peak = max(pts, key=lambda p: (p[1], -p[0].toordinal()))
    ax.plot([peak_date], [float(peak)], "o", color="#8a4b00", label=f"peak {_amount(peak)} {currency}".rstrip())
    if limit is not None:
        ax.axhline(float(Decimal(limit)), linestyle="--", color="#b00020", label="limit")
    ax.set_ylabel(currency or "amount")
    ax.legend(loc="upper left")
    return ax


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("plot() needs matplotlib: pip install matplotlib") from e
    return plt


def _rows(table: Any) -> List[dict]:
    """The rows of a pyarrow, pandas or polars table as dicts."""
    if hasattr(table, "to_pylist"):  # pyarrow.Table
        return list(table.to_pylist())
    if hasattr(table, "to_dicts"):  # polars.DataFrame
        return list(table.to_dicts())
    if hasattr(table, "to_dict"):  # pandas.DataFrame
        return list(table.to_dict("records"))
    raise TypeError(f"exposure: expected a pyarrow, pandas or polars table, got {type(table).__name__}")


def _decimal_or_none(value: Any) -> Optional[Decimal]:
    if value is None:
        return None
    try:
        if value != value:  # NaN / NA from pandas
            return None
    except TypeError:  # pandas.NA compares to NA
        return None
    return Decimal(str(value)) if not isinstance(value, Decimal) else value


@dataclass(frozen=True)
class _Bar:
    buyer: str
    peak: Decimal
    limit: Optional[Decimal]


class ExposureChart:
    """The buyers of an :func:`delcredere.exposure_batch` result as bars of peak outstanding
    against their limit (EXP-1), the ``top`` highest peaks first. A notebook shows it as an
    inline SVG; :meth:`plot` draws it with matplotlib. ``bars`` holds the figures drawn.
    """

    def __init__(self, exposure: Any, *, top: int = 20, currency: str = "") -> None:
        rows = _rows(exposure)
        bars = [
            _Bar(str(r["buyer"]), _decimal_or_none(r["peak"]) or Decimal(0), _decimal_or_none(r.get("limit")))
            for r in rows
        ]
        bars.sort(key=lambda b: (-b.peak, b.buyer))
        self.bars: Sequence[_Bar] = bars[:top]
        self.currency = currency

    def _repr_html_(self) -> str:
        return self.svg()

    def svg(self) -> str:
        """The chart as an inline SVG: one row per buyer, its peak as a bar (red when above
        the limit), its limit as a tick."""
        row_h, label_w, width = 18, 140, 480
        top = max([b.peak for b in self.bars] + [b.limit for b in self.bars if b.limit is not None] + [Decimal(1)])
        plot_w = width - label_w - 20
        height = 30 + row_h * len(self.bars)
        unit = f" {self.currency}" if self.currency else ""
        over = sum(1 for b in self.bars if b.limit is not None and b.peak > b.limit)
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
            f"<title>Peak outstanding against limit</title><desc>{len(self.bars)} buyers, "
            f"{over} with a peak above their limit.</desc>",
        ]
        for i, b in enumerate(self.bars):
            y = 10 + i * row_h
            w = plot_w * float(b.peak / top)
            colour = "#b00020" if b.limit is not None and b.peak > b.limit else "#1f5fa8"
            parts.append(
                f'<text x="{label_w - 4}" y="{y + 12}" text-anchor="end">{escape(b.buyer[:22])}</text>'
                f'<rect class="peak" x="{label_w}" y="{y + 2}" width="{_px(w)}" height="{row_h - 5}" fill="{colour}">'
                f"<title>{escape(b.buyer)}: peak {escape(_amount(b.peak))}{escape(unit)}"
                + (f", limit {escape(_amount(b.limit))}{escape(unit)}" if b.limit is not None else ", no named limit")
                + "</title></rect>"
            )
            if b.limit is not None:
                lx = label_w + plot_w * float(b.limit / top)
                parts.append(
                    f'<line class="limit" x1="{_px(lx)}" y1="{y}" x2="{_px(lx)}" y2="{y + row_h - 1}" stroke="#000" stroke-width="2"/>'
                )
        parts.append(
            f'<text x="{label_w}" y="{height - 6}">bar: peak outstanding · tick: limit · scale 0 to {escape(_amount(top))}{escape(unit)}</text></svg>'
        )
        return "".join(parts)

    def plot(self, ax: Any = None) -> Any:
        """The chart on a matplotlib ``Axes`` (horizontal bars of peak, limit ticks). Returns
        the ``Axes``. Needs matplotlib."""
        plt = _pyplot()
        if ax is None:
            _, ax = plt.subplots(figsize=(8, 0.3 * len(self.bars) + 1))
        names = [b.buyer for b in self.bars][::-1]
        peaks = [float(b.peak) for b in self.bars][::-1]
        colours = ["#b00020" if b.limit is not None and b.peak > b.limit else "#1f5fa8" for b in self.bars][::-1]
        ax.barh(names, peaks, color=colours, label="peak outstanding")
        limits = [(i, float(b.limit)) for i, b in enumerate(self.bars[::-1]) if b.limit is not None]
        if limits:
            ax.scatter([v for _, v in limits], [i for i, _ in limits], marker="|", s=200, color="black", label="limit")
        ax.set_xlabel(self.currency or "amount")
        ax.legend(loc="lower right")
        return ax


def exposure_chart(exposure: Any, *, top: int = 20, currency: str = "") -> ExposureChart:
    """The buyers of an :func:`delcredere.exposure_batch` result as a chart of peak outstanding
    against limit, the ``top`` highest peaks first (a pyarrow, pandas or polars table).

    >>> import pyarrow as pa
    >>> from decimal import Decimal
    >>> e = pa.table({"buyer": ["A", "B"], "peak": [Decimal("150.00"), Decimal("80.00")],
    ...               "limit": [Decimal("100.00"), None]})
    >>> chart = exposure_chart(e, currency="EUR")
    >>> [(b.buyer, b.peak, b.limit) for b in chart.bars]
    [('A', Decimal('150.00'), Decimal('100.00')), ('B', Decimal('80.00'), None)]
    >>> "1 with a peak above their limit" in chart._repr_html_()
    True
    """
    return ExposureChart(exposure, top=top, currency=currency)
