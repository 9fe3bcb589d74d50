"""Pictures of the outstanding (EXP-1): the curve of peak_outstanding as inline SVG and with
matplotlib, and the buyers of exposure_batch as peak against limit. Every coordinate below is
worked out by hand from the drawing area: x from 60 to 460 px over the curve's days, y from
200 px (zero) up to 40 px (the larger of the peak and the limit)."""

from decimal import Decimal

import pytest

import delcredere
from delcredere import charts
from delcredere.sample import BUYER, POLICY

DKK = lambda amount: {"amount": Decimal(amount), "currency": "DKK"}  # noqa: E731

# 150,000 on 1 Jan, 150,000 on 31 Jan, 100,000 on 2 Mar, each on 90 days (paid 1 Apr, 1 May,
# 31 May): owed 150,000 from 1 Jan, 300,000 from 31 Jan, 400,000 from 2 Mar (the peak),
# 250,000 from 1 Apr, 100,000 from 1 May, 0 from 31 May.
SCHEDULE = [
    {"amount": DKK("150000"), "deliveryDate": "2026-01-01", "paymentTermsDays": 90},
    {"amount": DKK("150000"), "deliveryDate": "2026-01-31", "paymentTermsDays": 90},
    {"amount": DKK("100000"), "deliveryDate": "2026-03-02", "paymentTermsDays": 90},
]
# 150 days from 1 Jan to 31 May over 400 px: the points at days 0, 30, 60, 90, 120, 150 are at
# x = 60, 140, 220, 300, 380, 460; over a 400,000 scale, 150,000 is at 200 - 160 * 0.375 = 140,
# 300,000 at 80, 400,000 at 40, 250,000 at 100, 100,000 at 160.
PATH = "M60.0,140.0 H140.0 V80.0 H220.0 V40.0 H300.0 V100.0 H380.0 V160.0 H460.0 V200.0"


def test_exp_1_a_curve_shows_in_a_notebook_as_inline_svg_with_its_peak():
    d = delcredere.peak_outstanding(SCHEDULE)
    html = d._repr_html_()
    assert f'd="{PATH}"' in html
    assert '<circle class="peak" cx="220.0" cy="40.0"' in html
    assert "Peak: 400,000.00 DKK · 2026-03-02" in html
    assert "<title>Outstanding (EXP-1)</title>" in html


def test_exp_1_the_limit_is_a_dashed_line_on_the_same_scale():
    svg = charts.curve_svg(delcredere.peak_outstanding(SCHEDULE).details["points"], limit=Decimal("300000"))
    assert f'd="{PATH}"' in svg
    # 300,000 of 400,000: 200 - 160 * 0.75 = 80.
    assert '<line class="limit" x1="60" y1="80.0" x2="460" y2="80.0"' in svg
    # A limit above the peak sets the scale: 500,000, so the peak 400,000 is at 200 - 128 = 72.
    above = charts.curve_svg(delcredere.peak_outstanding(SCHEDULE).details["points"], limit=Decimal("500000"))
    assert '<circle class="peak" cx="220.0" cy="72.0"' in above and 'y1="40.0"' in above


def test_exp_1_plot_draws_the_same_curve_with_matplotlib():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    d = delcredere.peak_outstanding(SCHEDULE)
    ax = d.plot(limit=DKK("300000"))
    step = ax.lines[0]
    assert list(step.get_ydata()) == [150000.0, 300000.0, 400000.0, 250000.0, 100000.0, 0.0]
    peak = ax.lines[1]
    assert list(peak.get_ydata()) == [400000.0]
    assert list(ax.lines[2].get_ydata()) == [300000.0, 300000.0]
    import matplotlib.pyplot as plt

    plt.close("all")


def test_a_decision_without_a_curve_has_nothing_to_plot():
    d = delcredere.average_outstanding(60, annual_sales={"amount": Decimal("360000"), "currency": "EUR"})
    assert "<svg" not in d._repr_html_()
    with pytest.raises(ValueError, match="no outstanding curve"):
        d.plot()


def test_a_float_is_not_an_amount_on_a_chart_either():
    with pytest.raises(TypeError, match="a float"):
        charts.curve_svg([("2026-01-01", 1.5)])
    with pytest.raises(ValueError, match="no point"):
        charts.curve_svg([])


@pytest.mark.parametrize("kind", ["arrow", "pandas", "polars"])
def test_exp_1_exposure_chart_bars_peak_against_limit_whatever_the_table(kind):
    pa = pytest.importorskip("pyarrow")
    from datetime import date

    ledger = pa.table({
        "buyer": ["A", "A", "B"],
        "amount": pa.array([Decimal("100.00"), Decimal("50.00"), Decimal("80.00")]),
        "date": [date(2026, 3, 1), date(2026, 3, 15), date(2026, 3, 1)],
        "terms_days": [30, 30, 30],
    })
    if kind == "pandas":
        pytest.importorskip("pandas")
        ledger = ledger.to_pandas()
    elif kind == "polars":
        pl = pytest.importorskip("polars")
        ledger = pl.from_arrow(ledger)
    eur = lambda amount: {"amount": amount, "currency": "EUR"}  # noqa: E731
    limit_events = [
        {"type": "applied", "date": "2026-02-01", "requestedAmount": eur("120"), "paymentTermsDays": 30},
        {"type": "granted", "date": "2026-02-05", "amount": eur("120")},
    ]
    buyers = {"A": {"buyer": BUYER, "limitEvents": limit_events}, "B": {"buyer": BUYER}}
    exposure = delcredere.exposure_batch(ledger, POLICY, buyers, as_of="2026-03-20")
    chart = charts.exposure_chart(exposure, currency="EUR")
    # A owes 100 from 1 Mar and 150 from 15 Mar (the peak), over its limit of 120; B owes 80
    # and has no named limit.
    assert [(b.buyer, b.peak, b.limit) for b in chart.bars] == [
        ("A", Decimal("150.00"), Decimal("120.00")),
        ("B", Decimal("80.00"), None),
    ]
    svg = chart._repr_html_()
    # The scale is the largest peak: A's bar is the whole 320 px, B's 80/150 of it.
    assert 'class="peak" x="140" y="12" width="320.0"' in svg
    assert 'class="peak" x="140" y="30" width="170.7"' in svg
    # A's limit tick at 120/150 of 320 px: 140 + 256; its bar red (over the limit).
    assert '<line class="limit" x1="396.0"' in svg and 'fill="#b00020"' in svg
    assert "1 with a peak above their limit" in svg
