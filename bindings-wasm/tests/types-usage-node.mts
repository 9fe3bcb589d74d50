// Type-checked (never run) with tests/types-usage.ts: the package imported by its name from an
// ES module under Node (package.json "exports": node, import), as the README's snippet does.
// `init` is the default export in the node build too (a no-op there), so that code written for
// the browser build compiles and runs unchanged.
import init, { checkInsurability, call, initSync, type Decision, type ErrorCode } from 'delcredere';
import initFull, { limitState } from 'delcredere/full';

await init();
await initFull();
initSync();
const policy = { currency: 'EUR', maximumLiability: { amount: '2000000.00', currency: 'EUR' } } as const;
const decision: Decision = checkInsurability({
  policy,
  buyer: { legalName: 'Dupont SA', country: 'FR', entityKind: 'company' },
  receivable: { kind: 'goods', paymentTermsDays: 60 },
});
const state: Decision = limitState({ policy, events: [], asOf: '2026-03-01' });
const viaCall: Decision = call('limit_state', { policy, events: [], asOf: '2026-03-01' });
const code: ErrorCode = 'not_initialized';
// @ts-expect-error init() of the node build resolves to nothing, not the wasm exports
const exports: WebAssembly.Exports = await init();

export { decision, state, viaCall, code, exports };
