// The engine's prepared cover check through the node build of the npm package, beside
// `cargo bench -p delcredere --bench engine` (issue #23: within 2x native):
//   node benches/wasm/engine_cover.mjs [iterations] [buyers]
// Build first: sh bindings-wasm/build.sh (pkg-node, optimised for speed).
//
// The engine is the criterion bench's, smaller: the policy of benches/support/events.rs and
// `buyers` buyers (default 1,000: a setup of 10,000 is more than the 16 MB an input may be)
// `D-00000`... with their 100 events each (a limit of 50,000 applied and
// granted, 49 invoices and 49 payments of the same amounts, 30 days later), loaded with
// Engine.load. The check is criterion's: buyer D-04242 (D-00042 with fewer than 4,243 buyers), a
// delivery of 10,000.00 EUR on 2026-06-15 at 60 days, asked on 2026-06-15; the cover is
// prepared by the first call, so every timed call is a prepared check, as in criterion.
//
// The prepared check costs the same whatever the number of buyers (a lookup of the key, then
// the figures). Two figures: `coverFigures` (JS objects in, a JS object of decimal strings
// out: compare with criterion's `engine/cover_figures_json`, the same method natively on JSON
// text, and `engine/cover_figures_by_key`, the check alone) and `call("cover_figures", ...)`
// (the table's general way).
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';

const require = createRequire(import.meta.url);
const { Engine } = require('../../bindings-wasm/pkg-node/delcredere_wasm.js');

const n = Number(process.argv[2] ?? 200000);
const buyers = Number(process.argv[3] ?? 1000);

const eur = (cents) => ({ amount: (cents / 100).toFixed(2), currency: 'EUR' });
const day = (d) => new Date(Date.UTC(2026, 0, 2 + d)).toISOString().slice(0, 10);
const key = (b) => `D-${String(b).padStart(5, '0')}`;

const policy = {
  currency: 'EUR', insuranceYear: { start: '2026-01-01' }, agreedCountries: ['DE'],
  maxCreditPeriodDays: 120, maxExtensionPeriodDays: 60, waitingPeriodDays: 180,
  indemnityPercentage: '90', maximumLiability: { amount: '2000000', currency: 'EUR' },
  premium: { basis: 'fixed', fixedAmount: { amount: '5000', currency: 'EUR' } },
};

// benches/support/events.rs `buyer_events(seed)`.
function buyerEvents(seed) {
  const events = [
    { type: 'limitApplied', id: 'a', date: day(0), requestedAmount: eur(5000000), paymentTermsDays: 60 },
    { type: 'limitGranted', id: 'g', date: day(1), amount: eur(5000000) },
  ];
  for (let k = 0; k < 49; k++) {
    const cents = 100000 + ((seed * 7919 + k * 104729) % 900000);
    events.push({ type: 'invoiceIssued', id: `i${k}`, date: day(2 + k * 5), reference: `INV-${k}`,
      amount: eur(cents), paymentTermsDays: 30 });
    events.push({ type: 'paymentReceived', id: `p${k}`, date: day(2 + k * 5 + 30), amount: eur(cents) });
  }
  return events;
}

const t0 = process.hrtime.bigint();
const setup = { policy, buyers: [] };
for (let b = 0; b < buyers; b++) {
  setup.buyers.push({
    id: key(b),
    buyer: { legalName: `Müller ${b} GmbH`, legalForm: 'GmbH', registrationNumber: `HRB ${b}`, country: 'DE',
      entityKind: 'company' },
    events: buyerEvents(b),
  });
}
const engine = Engine.load(setup);
const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;

const buyer = key(buyers > 4242 ? 4242 : Math.min(42, buyers - 1));
const delivery = { amount: { amount: '10000.00', currency: 'EUR' }, date: '2026-06-15', paymentTermsDays: 60 };
const asOf = '2026-06-15';
const input = { buyer, delivery, asOf };

function time(label, once) {
  const first = once();
  const expected = JSON.stringify(first);
  for (let i = 0; i < 20000; i++) once(); // warm up the JIT and the allocator
  const rounds = [];
  for (let round = 0; round < 5; round++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) once();
    rounds.push(Number(process.hrtime.bigint() - t) / n);
  }
  if (JSON.stringify(once()) !== expected) throw new Error(`${label}: answer changed`);
  rounds.sort((a, b) => a - b);
  console.log(`${label}: ${rounds[0].toFixed(0)} ns per check (best of 5 rounds of ${n}; median ${rounds[2].toFixed(0)}); ${expected}`);
}

console.log(`node ${process.version}; ${buyers} buyers, ${buyers * 100} events loaded in ${loadMs.toFixed(0)} ms; ` +
  `load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
time('Engine.coverFigures (WASM)', () => engine.coverFigures(buyer, delivery, asOf));
time('Engine.call("cover_figures") (WASM)', () => engine.call('cover_figures', input));
