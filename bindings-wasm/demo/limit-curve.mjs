// Panel 5, "how much limit do I need?" (EXP-1): a delivery schedule typed or pasted, the
// outstanding curve the engine computes (op `peak_outstanding`) drawn as inline SVG against the
// limit in force (op `limit_state`), the peak marked, with a table of the same figures.
//
// Both ops are in the build with every op (`delcredere/full`, pkg-web-full/), not in the form
// build the rest of the page loads: this panel loads it the first time it draws, so that the
// forms keep their download size. The chart is page code: no chart library, no engine code.
// Amounts stay the engine's decimal strings; they become numbers only for pixel positions, and
// are shown through Intl.NumberFormat, which formats the string itself.

const SVG = 'http://www.w3.org/2000/svg';
const DAY = 86_400_000;

/** Days since 1970-01-01 of an ISO date (UTC, no time zone drift). */
const dayOf = (iso) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY;

/** Compares two non-negative decimal strings exactly (no floating point): -1, 0 or 1. */
export function compareDecimal(a, b) {
  const split = (s) => {
    const [int, frac = ''] = s.split('.');
    return [int.replace(/^0+(?=\d)/, ''), frac.replace(/0+$/, '')];
  };
  const [ai, af] = split(a);
  const [bi, bf] = split(b);
  if (ai.length !== bi.length) return ai.length < bi.length ? -1 : 1;
  if (ai !== bi) return ai < bi ? -1 : 1;
  const n = Math.max(af.length, bf.length);
  const [x, y] = [af.padEnd(n, '0'), bf.padEnd(n, '0')];
  return x === y ? 0 : x < y ? -1 : 1;
}

/**
 * Reads a schedule as typed or pasted: one delivery per line, date, amount and payment terms in
 * days, separated by tabs (a spreadsheet's copy), semicolons or commas; blank lines skipped.
 * Returns `{ deliveries, lines }` (`lines[i]`: the line number of delivery i), or
 * `{ error: { line } }` for a line without its three parts. The values go to the engine as
 * typed: it says what is wrong with them.
 */
export function parseSchedule(textValue, currency) {
  const deliveries = [];
  const lines = [];
  const rows = textValue.split(/\r?\n/);
  for (let i = 0; i < rows.length; i += 1) {
    const row = rows[i].trim();
    if (!row) continue;
    // Tabs (a spreadsheet's copy) or semicolons, when the line has them, else commas: so that
    // "25000,00" on a tab or semicolon line stays one value (which the engine then refuses).
    const separator = row.includes('\t') ? /\s*\t\s*/ : row.includes(';') ? /\s*;\s*/ : /\s*,\s*/;
    const parts = row.split(separator);
    if (parts.length !== 3) return { error: { line: i + 1 } };
    const [deliveryDate, amount, terms] = parts;
    deliveries.push({
      amount: { amount, currency },
      deliveryDate,
      paymentTermsDays: /^\d+$/.test(terms) ? Number(terms) : terms,
    });
    lines.push(i + 1);
  }
  return { deliveries, lines };
}

/** A "nice" step for about `count` gridlines up to `max` (1, 2 or 5 times a power of ten). */
function niceStep(max, count) {
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
}

function el(name, attrs = {}, textValue = null) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (textValue !== null) node.textContent = textValue;
  return node;
}

/**
 * The chart: the outstanding as a step line (each change point marked, `data-date` and
 * `data-outstanding` on its marker), the limit in force as a dashed step line, the peak marked
 * and labelled. `points`: the engine's curve; `limits`: `{ date, amount }` (amount `null`: no
 * limit) from the first date on; `peak`: `{ date, amount }`. `width`: of the drawing in user units,
 * the width it gets on the page (300 to 640), so that its text keeps the page's size.
 */
export function curveSvg({ points, limits, peak, labels, money, monthName, width = 640 }) {
  const height = width < 480 ? 240 : 300;
  const m = { left: width < 480 ? 56 : 76, right: 16, top: 30, bottom: 40 };
  const first = dayOf(points[0].date);
  const last = dayOf(points[points.length - 1].date);
  const span = Math.max(last - first, 1);
  const top = Math.max(Number(peak.amount), ...limits.map((l) => Number(l.amount ?? 0)));
  const step = niceStep(top || 1, 4);
  const yMax = Math.ceil((top * 1.12) / step) * step || step;
  const x = (iso) => m.left + ((dayOf(iso) - first) / span) * (width - m.left - m.right);
  const y = (amount) => m.top + (1 - Number(amount) / yMax) * (height - m.top - m.bottom);
  const base = y(0);

  const svg = el('svg', {
    viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': 'curve-title curve-desc', class: 'curve',
    'data-baseline': base,
  });
  svg.append(el('title', { id: 'curve-title' }, labels.title), el('desc', { id: 'curve-desc' }, labels.desc));

  // Gridlines and amounts.
  const grid = el('g', { class: 'grid-lines', 'aria-hidden': 'true' });
  for (let v = 0; v <= yMax + step / 2; v += step) {
    grid.append(el('line', { x1: m.left, x2: width - m.right, y1: y(v), y2: y(v) }));
    grid.append(el('text', { x: m.left - 8, y: y(v) + 4, 'text-anchor': 'end' }, money(String(v), 0)));
  }
  // Month ticks: the first day of each month inside the range.
  const start = new Date(first * DAY);
  for (let d = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1)); d.getTime() / DAY <= last; d.setUTCMonth(d.getUTCMonth() + 1)) {
    const iso = d.toISOString().slice(0, 10);
    grid.append(el('line', { x1: x(iso), x2: x(iso), y1: base, y2: base + 5, class: 'tick' }));
    grid.append(el('text', { x: x(iso), y: base + 20, 'text-anchor': 'middle' }, monthName(d)));
  }
  svg.append(grid);

  // The outstanding: a step line (the level holds until the next change point), its area shaded.
  let d = `M ${x(points[0].date)} ${base} V ${y(points[0].outstanding.amount)}`;
  for (const p of points.slice(1)) d += ` H ${x(p.date)} V ${y(p.outstanding.amount)}`;
  svg.append(el('path', { d: `${d} Z`, class: 'area', 'aria-hidden': 'true' }));
  svg.append(el('path', { d, class: 'outstanding', 'aria-hidden': 'true' }));

  // The limit in force: a dashed step line, absent where no limit is in force.
  const limit = el('g', { class: 'limit', 'aria-hidden': 'true' });
  limits.forEach((l, i) => {
    if (l.amount === null) return;
    const to = limits[i + 1]?.date ?? points[points.length - 1].date;
    limit.append(el('line', { x1: x(l.date), x2: x(to), y1: y(l.amount), y2: y(l.amount), 'data-date': l.date, 'data-limit': l.amount }));
  });
  const lastLimit = [...limits].reverse().find((l) => l.amount !== null);
  if (lastLimit) {
    limit.append(el('text', { x: width - m.right, y: y(lastLimit.amount) + 16, 'text-anchor': 'end', class: 'limit-label' }, labels.limit));
  }
  svg.append(limit);

  // The change points, then the peak on top.
  const marks = el('g', { class: 'points', 'aria-hidden': 'true' });
  for (const p of points) {
    marks.append(el('circle', { cx: x(p.date), cy: y(p.outstanding.amount), r: 3.5, 'data-date': p.date, 'data-outstanding': p.outstanding.amount }));
  }
  svg.append(marks);
  const px = x(peak.date);
  const py = y(peak.amount);
  const label = `${labels.peak}: ${money(peak.amount, 2)} · ${peak.date}`;
  const anchor = px > width * 0.7 ? 'end' : px < width * 0.3 ? 'start' : 'middle';
  const peakGroup = el('g', { class: 'peak', 'aria-hidden': 'true' });
  svg.append(peakGroup);
  peakGroup.append(
    el('circle', { cx: px, cy: py, r: 7, 'data-date': peak.date, 'data-amount': peak.amount }),
    el('text', { x: px, y: Math.max(py - 12, 14), 'text-anchor': anchor }, label),
  );
  return svg;
}

/**
 * Wires the panel. `page`: the page's helpers and data (`$`, `text`, `lang`, `policy`,
 * `limitEvents`, `currency`).
 */
export function setupLimitCurve({ $, text, lang, policy, limitEvents, currency }) {
  const form = $('need-form');
  const schedule = $('schedule');
  const hint = 'schedule-hint';
  let engine = null;
  let last = null;

  /** The build with every op, loaded (and initialised) once, on first use. */
  async function full() {
    if (!engine) {
      const mod = await import('../pkg-web-full/delcredere_wasm.js');
      await mod.default();
      engine = mod;
    }
    return engine;
  }

  const locale = () => lang();
  const money = (amount, digits) => new Intl.NumberFormat(locale(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(amount);
  const monthName = (d) => new Intl.DateTimeFormat(locale(), { month: 'short', timeZone: 'UTC' }).format(d);
  const fill = (key, params) => Object.entries(params).reduce((s, [k, v]) => s.replaceAll(`{${k}}`, v), text(key));

  function showError(line, message) {
    last = { error: { line, message } };
    render();
    schedule.focus();
  }

  function render() {
    const result = $('need-result');
    const box = $('schedule-msg');
    result.lang = lang();
    if (!last) return;
    if (last.error) {
      const { line, message } = last.error;
      box.replaceChildren(Object.assign(document.createElement('p'), {
        className: 'field-error',
        textContent: fill('need.lineError', { line, message: typeof message === 'function' ? message() : message }),
      }));
      schedule.setAttribute('aria-invalid', 'true');
      schedule.setAttribute('aria-describedby', `${hint} schedule-msg`);
      result.dataset.outcome = 'error';
      $('need-summary').textContent = fill('need.error', { line });
      $('need-messages').replaceChildren();
      $('need-figure').hidden = true;
      $('need-table').hidden = true;
      return;
    }
    box.replaceChildren();
    schedule.removeAttribute('aria-invalid');
    schedule.setAttribute('aria-describedby', hint);
    const { decision, limits, peak, limitAtPeak } = last;
    const points = decision.details.points;
    const explained = engine.explain({ decision, lang: lang() });
    const above = limitAtPeak === null || compareDecimal(peak.amount, limitAtPeak) > 0;
    result.dataset.outcome = above ? 'above' : 'within';
    $('need-summary').textContent = limitAtPeak === null
      ? text('need.noLimit')
      : fill(above ? 'need.above' : 'need.within', { limit: money(limitAtPeak, 2) });
    $('need-messages').replaceChildren(...explained.messages.map((msg) => Object.assign(document.createElement('li'), { textContent: msg.text })));

    const limitOn = (date) => [...limits].reverse().find((l) => l.date <= date)?.amount ?? null;
    const firstDate = points[0].date;
    const lastDate = points[points.length - 1].date;
    const labels = {
      title: text('need.chartTitle'),
      desc: fill('need.chartDesc', {
        first: firstDate, last: lastDate, peak: money(peak.amount, 2), date: peak.date,
        limit: limitAtPeak === null ? text('need.none') : money(limitAtPeak, 2),
      }),
      limit: text('need.legendLimit'),
      peak: text('need.peak'),
    };
    $('need-figure').hidden = false;
    const width = Math.round(Math.min(640, Math.max(300, $('need-chart').clientWidth)));
    $('need-chart').replaceChildren(curveSvg({ points, limits, peak, labels, money, monthName, width }));

    const rows = points.map((p) => {
      const tr = document.createElement('tr');
      const th = Object.assign(document.createElement('th'), { scope: 'row', textContent: p.date });
      const out = Object.assign(document.createElement('td'), { textContent: money(p.outstanding.amount, 2) });
      if (p.date === peak.date) {
        tr.dataset.peak = 'true';
        out.append(' ', Object.assign(document.createElement('strong'), { className: 'peak-tag', textContent: `▲ ${text('need.peak')}` }));
      }
      const l = limitOn(p.date);
      const lim = Object.assign(document.createElement('td'), { textContent: l === null ? text('need.none') : money(l, 2) });
      tr.append(th, out, lim);
      return tr;
    });
    $('need-rows').replaceChildren(...rows);
    $('need-table').hidden = false;
  }

  async function draw() {
    const parsed = parseSchedule(schedule.value, currency);
    if (parsed.error) return showError(parsed.error.line, () => text('need.lineShape'));
    if (!parsed.deliveries.length) return showError(1, () => text('error.empty_value'));
    const e = await full();
    let decision;
    try {
      decision = e.peakOutstanding({ deliveries: parsed.deliveries });
    } catch (error) {
      // A typed error with the path of the delivery (deliveries[i]...): said on its line, in
      // the page's words for the codes a user can cause.
      const i = Number(/^deliveries\[(\d+)\]/.exec(error.field ?? '')?.[1] ?? 0);
      const key = `error.${error.code}`;
      return showError(parsed.lines[i] ?? 1, () => (text(key) !== key ? text(key) : error.message));
    }
    const points = decision.details.points;
    const peak = { amount: decision.amounts.peakOutstanding.amount, date: decision.reasons[0].params.date };
    // The limit in force on each date where it or the curve changes: the curve's dates and the
    // limit's event dates inside the range, each asked of the engine with the events up to it.
    const firstDate = points[0].date;
    const lastDate = points[points.length - 1].date;
    const dates = [...new Set([...points.map((p) => p.date), ...limitEvents.map((ev) => ev.date)
      .filter((dt) => dt > firstDate && dt <= lastDate)])].sort();
    const limitAt = (asOf) => e.limitState({ policy, events: limitEvents.filter((ev) => ev.date <= asOf), asOf })
      .details.amountInForce?.amount ?? null;
    const limits = dates.map((date) => ({ date, amount: limitAt(date) }))
      .filter((l, i, all) => i === 0 || l.amount !== all[i - 1].amount);
    last = { decision, limits, peak, limitAtPeak: limitAt(peak.date) };
    render();
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    draw();
  });
  // Ctrl+Enter (or Cmd+Enter) in the schedule draws, as the button does.
  schedule.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      draw();
    }
  });
  $('lang').addEventListener('change', render);
  // Drawn again at its new width when the window changes size (a phone turned, a zoom).
  let drawnWidth = null;
  new ResizeObserver(() => {
    const width = $('need-chart').clientWidth;
    if (last && !last.error && width !== drawnWidth) {
      drawnWidth = width;
      render();
    }
  }).observe($('need-chart'));
  return { draw };
}
