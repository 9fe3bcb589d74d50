// Puts a guard around every function wasm-bindgen exports, for one output directory of
// build.sh:   node guard.mjs <pkg-dir> <cjs|esm>
//
// WebAssembly cannot unwind on wasm32-unknown-unknown: a trap (an abort, a stack overflow, a
// bug in the glue) leaves the instance in an undefined state. A panic does not trap: the
// binding's panic hook throws the typed `internal` error itself (src/lib.rs). The guard turns
// what escapes a call into the package's typed error and gives the next call a fresh
// instance (wasm-bindgen's `__wbg_reset_state`, from `--experimental-reset-state-function`):
//   - a `WebAssembly.RuntimeError` or `RangeError` (trap, stack overflow): reset, then throw a
//     `DelcredereError` with code `internal` whose `cause` is the original;
//   - a `DelcredereError` with code `internal` (a panic, or a bug reported by the core):
//     reset, then rethrow it;
//   - anything else (the typed errors of bad input): rethrown as is, nothing reset.
// Every `DelcredereError` leaves as an instance of the class `DelcredereError` this module
// exports (a subclass of `Error`), so that `e instanceof DelcredereError` holds.
//
// wasm-bindgen's module becomes `delcredere_wasm_bindgen.js`; `delcredere_wasm.js` is
// generated here from the names that module exports (so it cannot miss a function).
// `__wbg_reset_state` and the binding's `start` (the panic hook, run by wasm-bindgen itself)
// stay internal: neither is exported nor declared.
//   - web (esm): the default export `init()` and `initSync()` are wasm-bindgen's, wrapped to
//     note that the module is ready: a function called before them throws a
//     `DelcredereError` with code `not_initialized` that says to call `await init()`, instead
//     of a TypeError from inside the glue.
//   - node (cjs): the module is ready when required, and `init()` (the default export) and
//     `initSync()` are no-ops, so that code written for the web build (`import init from
//     'delcredere'; await init();`) runs unchanged in Node. `delcredere_wasm.mjs` (with
//     `delcredere_wasm.d.mts`) is the ES module Node's `import` gets (package.json "exports"):
//     Node's default import of a CommonJS module would be the whole `module.exports`.
// The declarations lose rustdoc's link brackets ([`Type`] becomes `Type`): a TypeScript user
// reads them as text.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dir, kind] = process.argv.slice(2);
if (!dir || !['cjs', 'esm'].includes(kind)) {
  console.error('usage: node guard.mjs <pkg-dir> <cjs|esm>');
  process.exit(2);
}
const NAME = 'delcredere_wasm';
const RAW = `${NAME}_bindgen.js`;
const RESET = '__wbg_reset_state';
const START = 'start';
const UNGUARDED = new Set(['default', 'initSync', RESET, START]);

const pkg = resolve(dir);
renameSync(join(pkg, `${NAME}.js`), join(pkg, RAW));
const raw = kind === 'cjs'
  ? createRequire(import.meta.url)(join(pkg, RAW))
  : await import(pathToFileURL(join(pkg, RAW)).href);
if (typeof raw[RESET] !== 'function') {
  throw new Error(`${RAW} has no ${RESET}: run wasm-bindgen with --experimental-reset-state-function`);
}
// Classes (the engine, in the builds with every op) are not called but constructed: they get
// a subclass of their own below, not the function guard.
const isClass = (f) => /^class[\s{]/.test(Function.prototype.toString.call(f));
const names = Object.keys(raw)
  .filter((n) => typeof raw[n] === 'function' && !UNGUARDED.has(n) && !isClass(raw[n]))
  .sort();
if (names.length === 0) throw new Error(`${RAW} exports no function`);
const classes = Object.keys(raw).filter((n) => typeof raw[n] === 'function' && isClass(raw[n]));
if (classes.some((c) => c !== 'Engine')) throw new Error(`${RAW}: a class other than Engine: ${classes}`);

// coverFigures in front of the class's own (src/lib.rs): a plain delivery, an object of
// exactly `amount` (an object of exactly `amount` and `currency`, strings), `date` (a string),
// `paymentTermsDays` (a number) and perhaps `endOfMonth` (a boolean), neither object iterable,
// their keys as Object.entries gives them (what serde-wasm-bindgen reads), goes into the
// engine in one call, its strings packed into one (`figures_text` in src/lib.rs), and the
// answer comes back as one string, unpacked here into the object method cover_figures
// answers. JS only reads and packs: every check is the core's. Anything else, and every
// error, goes the class's own way, where the core reads the delivery itself: answers and
// errors are the method's.
const COVER_FIGURES = `
const generalCoverFigures = Engine.prototype.coverFigures;
const coverFiguresParts = RawEngine.prototype.__coverFiguresParts;
/** Whether serde-wasm-bindgen reads \`value\` as an object, by Object.entries. */
function plainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(Symbol.iterator in value);
}
/** A plain delivery's parts: [amount, currency, date and asOf in one text; paymentTermsDays;
 *  endOfMonth], or undefined for anything else. */
function deliveryParts(delivery, asOf) {
  if (!plainObject(delivery)) return undefined;
  const keys = Object.keys(delivery);
  let endOfMonth = false;
  for (const key of keys) {
    if (key === 'endOfMonth') endOfMonth = true;
    else if (key !== 'amount' && key !== 'date' && key !== 'paymentTermsDays') return undefined;
  }
  if (keys.length !== (endOfMonth ? 4 : 3)) return undefined;
  const money = delivery.amount;
  const date = delivery.date;
  const terms = delivery.paymentTermsDays;
  if (endOfMonth) endOfMonth = delivery.endOfMonth;
  if (typeof date !== 'string' || typeof terms !== 'number' || typeof endOfMonth !== 'boolean' || !plainObject(money)) {
    return undefined;
  }
  const moneyKeys = Object.keys(money);
  if (moneyKeys.length !== 2 || !moneyKeys.includes('amount') || !moneyKeys.includes('currency')) return undefined;
  const amount = money.amount;
  const currency = money.currency;
  if (typeof amount !== 'string' || typeof currency !== 'string') return undefined;
  return [amount + '\\n' + currency + '\\n' + date + '\\n' + asOf, terms, endOfMonth];
}
/** Method cover_figures' answer from the text of __coverFiguresParts: covered and uncovered
 *  amount and currency, the limit's if there is one, the cover type, 1 or 0. */
function coverFiguresAnswer(text) {
  // indexOf and slice, not split: V8 splits a string it has not seen before in its runtime.
  const p = [];
  for (let from = 0; ;) {
    const end = text.indexOf(' ', from);
    if (end < 0) {
      p.push(text.slice(from));
      break;
    }
    p.push(text.slice(from, end));
    from = end + 1;
  }
  const n = p.length;
  const answer = {
    covered: { amount: p[0], currency: p[1] },
    uncovered: { amount: p[2], currency: p[3] },
    coverType: p[n - 2],
  };
  if (n === 8) answer.limit = { amount: p[4], currency: p[5] };
  answer.excludedByOverdue = p[n - 1] === '1';
  return answer;
}
Engine.prototype.coverFigures = function coverFigures(buyer, delivery, asOf) {
  let parts;
  try {
    if (typeof buyer === 'string' && typeof asOf === 'string') parts = deliveryParts(delivery, asOf);
  } catch {
    parts = undefined; // a getter or a proxy that throws: the general read meets it again
  }
  if (parts !== undefined) {
    if (this[GENERATION] !== generation) throw lost();
    let text;
    try {
      text = coverFiguresParts.call(this, buyer, parts[0], parts[1], parts[2]);
    } catch (e) {
      throw afterFailure(e);
    }
    if (text !== undefined) return coverFiguresAnswer(text);
  }
  return generalCoverFigures.call(this, buyer, delivery, asOf);
};
`;

// The engine: its methods come from the core's table (engineMethods(), read here once from
// the built module), each a JS method that makes its arguments into the method's input object
// and runs it by name through the class's own `call`. The web build is instantiated here from
// its .wasm to read the table.
let engineJs = '';
let engineTs = '';
if (classes.includes('Engine')) {
  if (kind === 'esm') raw.initSync({ module: readFileSync(join(pkg, `${NAME}_bg.wasm`)) });
  const table = raw.engineMethods();
  const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
  const proto = raw.Engine.prototype;
  // The fast path of coverFigures (below) is internal: not a method of the package's class.
  const PARTS = '__coverFiguresParts';
  const own = Object.getOwnPropertyNames(proto).filter((n) => n !== 'constructor' && n !== PARTS);
  const parts = Object.getOwnPropertyNames(proto).includes(PARTS);
  const statics = Object.getOwnPropertyNames(raw.Engine).filter((n) => typeof raw.Engine[n] === 'function' && !n.startsWith('__'));
  const generated = table.filter((m) => !own.includes(camel(m.name)));
  const missing = table.filter((m) => own.includes(camel(m.name))).map((m) => m.name);
  engineJs = `
/** The engine: wasm-bindgen's class, its calls guarded. An engine made before the instance
 *  was reset (after an internal failure) is lost: its calls throw \`internal\`; restore it
 *  from a snapshot. */
const RawEngine = raw.Engine;
const GENERATION = Symbol('generation');
function lost() {
  const error = new DelcredereError('internal error: this engine was lost when the WebAssembly instance was reset after an internal failure; restore it from a snapshot');
  error.code = 'internal';
  error.field = '';
  return error;
}
function adopt(engine) {
  Object.setPrototypeOf(engine, Engine.prototype);
  engine[GENERATION] = generation;
  return engine;
}
class Engine extends RawEngine {
  constructor(...args) {
    if (!ready) throw notInitialized('Engine');
    try {
      super(...args);
    } catch (e) {
      throw afterFailure(e);
    }
    this[GENERATION] = generation;
  }
${statics.map((n) => `  static ${n}(...args) { return adopt(guard(RawEngine.${n}, 'Engine.${n}')(...args)); }`).join('\n')}
}
for (const name of ${JSON.stringify(own)}) {
  const d = Object.getOwnPropertyDescriptor(RawEngine.prototype, name);
  const wrap = (f) => function (...args) {
    if (this[GENERATION] !== generation) throw lost();
    try {
      return f.apply(this, args);
    } catch (e) {
      throw afterFailure(e);
    }
  };
  if (typeof d.value === 'function') d.value = wrap(d.value);
  if (d.get) d.get = wrap(d.get);
  Object.defineProperty(Engine.prototype, name, d);
}
${parts ? COVER_FIGURES : ''}
// The methods of the core's table (${missing.join(', ')} are the class's own).
${generated.map((m) => {
  const ps = m.params.map((p) => p.name);
  return `Engine.prototype.${camel(m.name)} = function ${camel(m.name)}(${ps.join(', ')}) {
  return this.call(${JSON.stringify(m.name)}, { ${ps.join(', ')} });
};`;
}).join('\n')}
`;
  engineTs = `
/** The methods of the core's table of engine methods (\`engineMethods()\`). */
export interface Engine {
${generated.map((m) => {
  const ps = m.params.map((p) => `${p.name}${p.optional ? '?' : ''}: ${p.tsType}`).join(', ');
  return `    /** ${m.doc.trim()} */\n    ${camel(m.name)}(${ps}): ${m.output};`;
}).join('\n')}
}
`;
}

const guard = (ready) => `
/** Whether the WebAssembly module is instantiated: in the web build, once \`init()\` or \`initSync()\` ran. */
let ready = ${ready};

/** What every function throws: an Error with the core's stable \`code\`, the \`field\` path
 *  into the input and, for \`invalid_policy\`, \`problems\`. */
class DelcredereError extends Error {}
Object.defineProperty(DelcredereError.prototype, 'name', { value: 'DelcredereError', writable: true, configurable: true });

/** The engine's errors (built inside as plain Errors named DelcredereError) as instances of the class. */
function typed(e) {
  if (e instanceof Error && e.name === 'DelcredereError' && !(e instanceof DelcredereError)) {
    Object.setPrototypeOf(e, DelcredereError.prototype);
  }
  return e;
}

/** The error of a function of the web build called before init(). */
function notInitialized(name) {
  const error = new DelcredereError(\`\${name}: the WebAssembly module is not loaded yet: call \\\`await init()\\\` (the default export of 'delcredere') once before any other function of the web build\`);
  error.code = 'not_initialized';
  error.field = '';
  return error;
}

/** A fresh instance for the next call, after a call went wrong inside (see guard.mjs). */
function afterFailure(e) {
  const trap = e instanceof WebAssembly.RuntimeError || e instanceof RangeError;
  if (!trap && !(e instanceof Error && e.name === 'DelcredereError' && e.code === 'internal')) return typed(e);
  raw.${RESET}();
  generation += 1;
  if (!trap) return typed(e);
  const error = new DelcredereError(\`internal error: \${e.name}: \${e.message}\`, { cause: e });
  error.code = 'internal';
  error.field = '';
  return error;
}

/** How many times the instance was reset: an engine of an earlier instance is lost. */
let generation = 0;

function guard(f, name) {
  return function (...args) {
    if (!ready) throw notInitialized(name);
    try {
      return f(...args);
    } catch (e) {
      throw afterFailure(e);
    }
  };
}
`;

const header = `/* @ts-self-types="./${NAME}.d.ts" */
// Generated by bindings-wasm/guard.mjs: every function of wasm-bindgen's ${RAW}, guarded so
// that a failure inside the engine is a DelcredereError with code "internal" and the next call
// gets a fresh WebAssembly instance.
`;
let out;
if (kind === 'cjs') {
  out = `${header}'use strict';
const raw = require('./${RAW}');
${guard(true)}
exports.DelcredereError = DelcredereError;
${names.map((n) => `exports.${n} = guard(raw.${n}, '${n}');`).join('\n')}
${engineJs}${engineJs ? 'exports.Engine = Engine;' : ''}
/** A no-op in Node, where the module is ready when loaded: for code shared with the web build. */
exports.default = async function init() {};
/** A no-op in Node, where the module is ready when loaded: for code shared with the web build. */
exports.initSync = function initSync() {};
`;
  // The ES module Node's \`import\` gets: the same functions (one instance), and init() as the
  // default export.
  writeFileSync(join(pkg, `${NAME}.mjs`), `// Generated by bindings-wasm/guard.mjs: the ES module face of ${NAME}.js (CommonJS) for
// Node's \`import\`, with the no-op init() as its default export.
import cjs from './${NAME}.js';
export const { DelcredereError, initSync, ${names.join(', ')}${engineJs ? ', Engine' : ''} } = cjs;
export default cjs.default;
`);
} else {
  out = `${header}import * as raw from './${RAW}';
${guard(false)}
/** wasm-bindgen's init(): loads the WebAssembly module; call it (awaited) once before any other function. */
export default async function init(...args) {
  const output = await raw.default(...args);
  ready = true;
  return output;
}
/** wasm-bindgen's initSync(): instantiates the module from its bytes or a compiled module. */
export function initSync(...args) {
  const output = raw.initSync(...args);
  ready = true;
  return output;
}
export { DelcredereError };
${names.map((n) => `export const ${n} = /*#__PURE__*/ guard(raw.${n}, '${n}');`).join('\n')}
${engineJs}${engineJs ? 'export { Engine };' : ''}
`;
}
writeFileSync(join(pkg, `${NAME}.js`), out);

const dts = join(pkg, `${NAME}.d.ts`);
const declaration = `export function ${RESET}(): void;\n`;
let types = readFileSync(dts, 'utf8');
if (!types.includes(declaration)) throw new Error(`${dts}: no declaration of ${RESET}`);
types = types.replace(declaration, '');
// The binding's start() is declared by no version that skips it; drop it if one does.
types = types.replace(/(\/\*\*(?:(?!\*\/)[\s\S])*\*\/\n)?export function start\(\): void;\n/, '');
// rustdoc's intra-doc links, [`Type`] or [`text`](path), read as `Type` in an editor.
types = types.replace(/\[(`[^`\]]+`)\](\([^)\s]*\))?/g, '$1');
types += engineTs;
if (kind === 'cjs') {
  types += `
/** A no-op in Node, where the module is ready when loaded: \`import init from 'delcredere'; await init();\` runs unchanged in Node and in the browser. */
export default function init(module_or_path?: unknown): Promise<void>;
/** A no-op in Node, where the module is ready when loaded. */
export function initSync(module?: unknown): void;
`;
  writeFileSync(join(pkg, `${NAME}.d.mts`), types);
}
writeFileSync(dts, types);
console.log(`guard.mjs: ${names.length} functions guarded in ${dir}/${NAME}.js`);
