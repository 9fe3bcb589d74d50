// Inputs the node tests share (not a test file: `node --test` runs `*.test.mjs` only).

// A fixed-premium policy in EUR from 1 January 2026, Germany and France agreed.
export const policy = () => ({
  currency: 'EUR',
  insuranceYear: { start: '2026-01-01' },
  agreedCountries: ['DE', 'FR'],
  maxCreditPeriodDays: 120,
  maxExtensionPeriodDays: 60,
  waitingPeriodDays: 180,
  indemnityPercentage: '90',
  maximumLiability: { amount: '2000000.00', currency: 'EUR' },
  premium: { basis: 'fixed', fixedAmount: { amount: '5000', currency: 'EUR' } },
});
