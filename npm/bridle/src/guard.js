// Guardrails over either backend. The core scans, redacts, restores and applies guard
// actions; this file adapts it to JavaScript: options checked alike for both backends, custom
// checks (sync or async JavaScript functions) run before the core resolves the actions, and
// results built lazily so a megabyte of redacted text is not paid for in finding objects no
// one reads.

import { call, describe, finalizerFor, invalidArgument, owned, unframe } from './facade.js';
import { bridleError } from './translate.js';

const SCANNER_NAMES = Object.freeze(['pii', 'secrets', 'injection', 'unicode', 'text', 'output']);
const ACTIONS = Object.freeze(['block', 'redact', 'fix', 'filter', 'warn', 'reask', 'noop']);
const REDACT_KEYS = Object.freeze(['style', 'maskChar', 'keepLast', 'hashKey', 'hashLength', 'styles']);
/** Scanner sets compiled by `scan`/`redact` for an options object, kept per backend (most recent 16). */
const CACHE_SIZE = 16;

/** Findings from the core's JSON, each with its `text` cut from the scanned string. */
function findingsFrom(json, scanned) {
  const findings = JSON.parse(json);
  for (const f of findings) f.text = scanned.slice(f.start, f.end);
  return findings;
}

function expectText(what, text) {
  if (typeof text !== 'string') throw invalidArgument(`${what} needs a string, not ${describe(text)}`);
  return text;
}

function expectObject(what, value) {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidArgument(`${what} must be an object, not ${describe(value)}`);
  return value;
}

/** Scan options as JSON for the core (which checks names and values). */
function scanJson(options) {
  const checked = expectObject('scan options', options);
  try {
    return JSON.stringify(checked);
  } catch (cause) {
    throw bridleError('invalid_argument', `scan options cannot be converted to JSON: ${cause.message}`, { cause });
  }
}

export function createGuardApi(getBackend) {
  const scanners = finalizerFor('scannerFree');
  const vaults = finalizerFor('vaultFree');
  const guards = finalizerFor('guardFree');
  const streams = finalizerFor('guardStreamFree');
  const cache = new Map();

  /** A compiled set of scanners (`{ pii, secrets, injection, unicode, text, output }`). */
  class Scanner {
    #owned;

    /**
     * Compiles the scanners once. Options name the scanners to run, each `true` or its
     * options; none (or `undefined`) means pii, secrets, injection and unicode with defaults.
     */
    constructor(options) {
      const json = options === undefined ? '' : scanJson(options);
      const backend = getBackend();
      const handle = call(backend, () => backend.scannerCompile(json));
      this.#owned = owned(this, backend, handle, 'scanner', scanners, (live) => backend.scannerFree(live));
    }

    /** The findings in `text`, sorted by start: `{ scanner, type, start, end, byteStart, byteEnd, text, score?, detail }`. */
    scan(text) {
      expectText('scan', text);
      return findingsFrom(this.#owned.call((backend, handle) => backend.scannerScan(handle, text)), text);
    }

    /**
     * `text` with the findings replaced (placeholders `<EMAIL_1>` by default; `style: 'mask'
     * | 'hash' | 'remove'`, `styles` per type): `{ text, findings, vault }`. Placeholders go
     * into `options.vault` (a new one if not given), so `vault.restore(answer)` puts the
     * values back.
     */
    redact(text, options) {
      expectText('redact', text);
      const { vault = new Vault(), ...style } = expectObject('redact options', options);
      if (!(vault instanceof Vault)) throw invalidArgument(`options.vault must be a Vault, not ${describe(vault)}`);
      const unknown = Object.keys(style).find((key) => !REDACT_KEYS.includes(key));
      if (unknown !== undefined) throw invalidArgument(`unknown redact option '${unknown}'`);
      const styleJson = Object.keys(style).length ? JSON.stringify(style) : '';
      const framed = this.#owned.call((backend, handle) => vaultCall(vault, (vaultHandle) => backend.scannerRedact(handle, text, styleJson, vaultHandle)));
      return new Redaction(framed, text, vault);
    }

    /** Releases the compiled scanners now; idempotent. */
    free() {
      this.#owned.free();
    }

    [Symbol.dispose]() {
      this.free();
    }
  }

  /** The result of a redaction; `findings` (spans in the original text) are built when read. */
  class Redaction {
    #json;
    #original;
    #findings = null;

    constructor(framed, original, vault) {
      const { text, json } = unframe(framed);
      /** The redacted text. */
      this.text = text;
      /** The vault holding the placeholders' values. */
      this.vault = vault;
      this.#json = json;
      this.#original = original;
    }

    /** The findings that were replaced, with spans in the original text. */
    get findings() {
      this.#findings ??= findingsFrom(this.#json, this.#original);
      return this.#findings;
    }

    toJSON() {
      return { text: this.text, findings: this.findings };
    }
  }

  const vaultOwners = new WeakMap();
  function vaultCall(vault, body) {
    return vaultOwners.get(vault).call((backend, handle) => body(handle));
  }

  /**
   * Placeholders and the values they stand for. Use one per conversation so a value keeps its
   * placeholder; carry it between stateless calls with `toJSON()`/`Vault.fromJSON()`, sealed
   * with AES-GCM by `seal(key)`/`Vault.open(sealed, key)`.
   */
  class Vault {
    #owned;

    constructor(json) {
      const backend = getBackend();
      const handle = json === undefined ? call(backend, () => backend.vaultNew()) : call(backend, () => backend.vaultFromJson(json));
      this.#owned = owned(this, backend, handle, 'vault', vaults, (live) => backend.vaultFree(live));
      vaultOwners.set(this, this.#owned);
    }

    /** A vault from `toJSON()`'s output (an object or its JSON text). */
    static fromJSON(json) {
      const text = typeof json === 'string' ? json : JSON.stringify(json ?? null);
      return new Vault(text);
    }

    /** `{ version: 1, entries: [[type, label, original], ...] }`. */
    toJSON() {
      return JSON.parse(this.#owned.call((backend, handle) => backend.vaultToJson(handle)));
    }

    /** The number of placeholders. */
    get size() {
      return this.#owned.call((backend, handle) => backend.vaultSize(handle));
    }

    /**
     * `text` with this vault's placeholders replaced by their values, also when a model wrote
     * them another way (`<email_1>`, `[EMAIL-1]`, `< EMAIL 1 >`, `&lt;EMAIL_1&gt;`). Placeholders the
     * vault does not hold stay as written.
     */
    restore(text) {
      return this.restoreDetailed(text).text;
    }

    /** {@link restore} with counts: `{ text, restored, unknown: [placeholders not in the vault] }`. */
    restoreDetailed(text) {
      expectText('restore', text);
      const { text: restored, json } = unframe(this.#owned.call((backend, handle) => backend.vaultRestore(handle, text)));
      return { text: restored, ...JSON.parse(json) };
    }

    /**
     * The vault encrypted with AES-256-GCM (WebCrypto): `key` is 32 bytes (a Uint8Array) or an
     * AES-GCM CryptoKey. Returns `bv1.<iv>.<ciphertext>` (base64url), safe to hand to a client.
     */
    async seal(key) {
      const cryptoKey = await aesKey(key, 'encrypt');
      const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
      const plain = new TextEncoder().encode(JSON.stringify(this.toJSON()));
      const sealed = new Uint8Array(await globalThis.crypto.subtle.encrypt({ name: 'AES-GCM', iv }, cryptoKey, plain));
      return `bv1.${base64url(iv)}.${base64url(sealed)}`;
    }

    /** A vault from {@link seal}'s output; a wrong key or tampered text is `invalid_argument`. */
    static async open(sealed, key) {
      expectText('Vault.open', sealed);
      const parts = sealed.split('.');
      if (parts.length !== 3 || parts[0] !== 'bv1') throw invalidArgument('not a sealed vault (expected bv1.<iv>.<data>)');
      const cryptoKey = await aesKey(key, 'decrypt');
      let plain;
      try {
        plain = await globalThis.crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64url(parts[1]) }, cryptoKey, fromBase64url(parts[2]));
      } catch (cause) {
        throw bridleError('invalid_argument', 'the sealed vault does not open with this key (wrong key or altered data)', { cause });
      }
      return Vault.fromJSON(new TextDecoder().decode(plain));
    }

    /** Releases the vault now; idempotent. */
    free() {
      this.#owned.free();
    }

    [Symbol.dispose]() {
      this.free();
    }
  }

  /** A scanner set for `options`, compiled once per distinct options (most recent kept). */
  function cachedScanner(options) {
    const backend = getBackend();
    const key = options === undefined ? '' : scanJson(options);
    let entry = cache.get(key);
    if (entry === undefined || entry.backend !== backend) {
      entry = { backend, scanner: new Scanner(options) };
      if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value);
    } else {
      cache.delete(key);
    }
    cache.set(key, entry);
    return entry.scanner;
  }

  /** The findings in `text` of the scanners `options` names (see {@link Scanner}). */
  function scan(text, options) {
    return cachedScanner(options).scan(text);
  }

  /**
   * Redacts `text`: `options` holds the scanner choice (`pii`, `secrets`, ...) and the
   * redaction options (`vault`, `style`, ...). Returns `{ text, findings, vault }`.
   */
  function redact(text, options) {
    const all = expectObject('redact options', options);
    const scanOptions = {};
    const rest = {};
    for (const [key, value] of Object.entries(all)) (SCANNER_NAMES.includes(key) ? scanOptions : rest)[key] = value;
    return cachedScanner(Object.keys(scanOptions).length ? scanOptions : undefined).redact(text, rest);
  }

  /** `text` with `vault`'s placeholders replaced by their values (see {@link Vault.restore}). */
  function restore(text, vault) {
    if (!(vault instanceof Vault)) throw invalidArgument(`restore needs a Vault, not ${describe(vault)}`);
    return vault.restore(text);
  }

  /**
   * Guard checks: each builder returns a check for {@link guard}, taking the scanner's
   * options plus `onFail`, `name`, `minScore`, `kinds` and `message`.
   */
  const checks = Object.freeze(Object.fromEntries([
    ...SCANNER_NAMES.map((scanner) => [scanner, (options = {}) => scannerCheck(scanner, options)]),
    ['custom', (name, fn, options = {}) => ({ ...expectObject('check options', options), name, check: fn })],
  ]));

  function scannerCheck(scanner, options) {
    const { onFail, name, minScore, kinds, message, ...scannerOptions } = expectObject(`${scanner} check options`, options);
    return { scanner, options: scannerOptions, onFail, name, minScore, kinds, message };
  }

  /**
   * A guard: `checks` are scanner checks (`checks.pii({ onFail: 'redact' })` or `{ scanner,
   * options, onFail }`) and custom checks (`{ name, check: (text) => result, onFail }`, sync or
   * async). `options.onFail` is the default action (`block`); `options.redact` the redaction
   * style.
   */
  function guard(list, options) {
    return new Guard(list, options);
  }

  class Guard {
    #owned;
    #custom;
    #names;

    constructor(list, options) {
      if (!Array.isArray(list)) throw invalidArgument(`guard needs a list of checks, not ${describe(list)}`);
      const { onFail, redact: redactOptions, ...unknown } = expectObject('guard options', options);
      const extra = Object.keys(unknown);
      if (extra.length) throw invalidArgument(`unknown guard option '${extra[0]}'`);
      if (onFail !== undefined && !ACTIONS.includes(onFail)) throw invalidArgument(`unknown action '${onFail}' (known: ${ACTIONS.join(', ')})`);
      this.#custom = [];
      const coreChecks = list.map((check, index) => {
        const item = expectObject(`check ${index}`, check);
        if (typeof item.check === 'function') {
          const { check: fn, name = `custom${index}`, onFail: action, minScore, kinds, message, ...rest } = item;
          const extraKey = Object.keys(rest)[0];
          if (extraKey !== undefined) throw invalidArgument(`unknown option '${extraKey}' of custom check '${name}'`);
          this.#custom.push({ index, fn, name });
          return clean({ external: true, name, onFail: action, minScore, kinds, message });
        }
        if (item.check !== undefined) throw invalidArgument(`check ${index}: 'check' must be a function, not ${describe(item.check)}`);
        return clean(item);
      });
      this.#names = coreChecks.map((c) => c.name ?? c.scanner);
      const json = JSON.stringify(clean({ checks: coreChecks, onFail, redact: redactOptions }));
      const backend = getBackend();
      const handle = call(backend, () => backend.guardCompile(json));
      this.#owned = owned(this, backend, handle, 'guard', guards, (live) => backend.guardFree(live));
    }

    /** The checks' names, in order. */
    get checkNames() {
      return this.#names.slice();
    }

    /**
     * Runs every check over `text` (custom checks may be async) and applies the actions:
     * resolves to `{ text, ok, findings, failures, reask, warnings, vault }`, or rejects with a
     * `GuardError` (`guard_blocked`) when a `block` check fails.
     */
    async check(text, options) {
      expectText('check', text);
      const externals = [];
      for (const { index, fn, name } of this.#custom) externals.push(externalResult(index, name, await fn(text), text));
      return this.#resolve(text, externals, options);
    }

    /** {@link check} without a promise; a custom check that returns one is an error. */
    checkSync(text, options) {
      expectText('checkSync', text);
      const externals = this.#custom.map(({ index, fn, name }) => {
        const result = fn(text);
        if (typeof result?.then === 'function') throw invalidArgument(`custom check '${name}' is async: use guard.check()`);
        return externalResult(index, name, result, text);
      });
      return this.#resolve(text, externals, options);
    }

    #resolve(text, externals, options) {
      const { vault = new Vault() } = expectObject('check options', options);
      if (!(vault instanceof Vault)) throw invalidArgument(`options.vault must be a Vault, not ${describe(vault)}`);
      const json = externals.length ? JSON.stringify(externals) : '';
      const framed = this.#owned.call((backend, handle) => vaultCall(vault, (v) => backend.guardRun(handle, text, json, v)));
      const { text: out, json: outcome } = unframe(framed);
      return guardResult(out, JSON.parse(outcome), text, vault);
    }

    /**
     * A stream checked by this guard's scanner checks: `push(chunk)` returns the text that is
     * safe to pass on (edited), holding back only what an unfinished match could still need;
     * `end()` returns the rest. A `block` failure throws `GuardError` and ends the stream.
     * Custom checks do not run on streams. Options: `vault`, `maxHold` (bytes, default 8192),
     * `context` (bytes of released text kept for context words, default 256).
     */
    stream(options) {
      return new GuardStream(this.#owned, options);
    }

    /** A `TransformStream` of text chunks through {@link stream}. */
    transform(options) {
      const stream = this.stream(options);
      return new TransformStream({
        transform(chunk, controller) {
          const out = stream.push(chunk);
          if (out) controller.enqueue(out);
        },
        flush(controller) {
          const out = stream.end();
          if (out) controller.enqueue(out);
        },
      });
    }

    /** Releases the guard now; idempotent. */
    free() {
      this.#owned.free();
    }

    [Symbol.dispose]() {
      this.free();
    }
  }

  class GuardStream {
    #owned;
    #vault;
    #findings = [];
    #failures = [];
    #received = '';
    #offset = 0;

    constructor(guardOwned, options) {
      const { vault = new Vault(), ...streamOptions } = expectObject('stream options', options);
      if (!(vault instanceof Vault)) throw invalidArgument(`options.vault must be a Vault, not ${describe(vault)}`);
      this.#vault = vault;
      const json = Object.keys(streamOptions).length ? JSON.stringify(streamOptions) : '';
      const handle = guardOwned.call((backend, guardHandle) => backend.guardStreamOpen(guardHandle, json));
      const backend = guardOwned.backend;
      this.#owned = owned(this, backend, handle, 'guard stream', streams, (live) => backend.guardStreamFree(live));
    }

    /** The vault the stream's placeholders go into. */
    get vault() {
      return this.#vault;
    }

    /** The findings in the text released so far (offsets in the whole stream). */
    get findings() {
      return this.#findings.slice();
    }

    /** The failures in the text released so far. */
    get failures() {
      return this.#failures.slice();
    }

    /** Adds a chunk; returns the text that can be passed on now. */
    push(chunk) {
      expectText('push', chunk);
      return this.#step(chunk, false);
    }

    /** Ends the stream; returns the rest. */
    end() {
      return this.#step('', true);
    }

    #step(chunk, last) {
      this.#received += chunk;
      const framed = this.#owned.call((backend, handle) => vaultCall(this.#vault, (v) => backend.guardStreamPush(handle, chunk, last, v)));
      const { text, json } = unframe(framed);
      const step = JSON.parse(json);
      const base = this.#findings.length;
      for (const f of step.findings) {
        f.text = this.#received.slice(f.start - this.#offset, f.end - this.#offset);
        this.#findings.push(f);
      }
      // Keep only what later findings can still reach (the core holds back at most maxHold).
      const keepFrom = Math.max(0, this.#received.length - 65536);
      if (keepFrom > 0) {
        this.#received = this.#received.slice(keepFrom);
        this.#offset += keepFrom;
      }
      const failures = step.failures.map((f) => ({ ...f, findings: f.findings.map((i) => this.#findings[base + i]) }));
      this.#failures.push(...failures);
      if (step.blocked) {
        this.#owned.free();
        throw blockedError(step.blockedMessage, failures, step.findings);
      }
      if (last) this.#owned.free();
      return text;
    }

    free() {
      this.#owned.free();
    }

    [Symbol.dispose]() {
      this.free();
    }
  }

  function guardResult(text, outcome, checked, vault) {
    for (const f of outcome.findings) f.text = checked.slice(f.start, f.end);
    const failures = outcome.failures.map((f) => ({ ...f, findings: f.findings.map((i) => outcome.findings[i]) }));
    if (outcome.blocked) throw blockedError(outcome.blockedMessage, failures.filter((f) => f.action === 'block'), outcome.findings);
    return {
      text,
      ok: failures.length === 0,
      findings: outcome.findings,
      failures,
      reask: failures.filter((f) => f.action === 'reask').map((f) => f.message),
      warnings: failures.filter((f) => f.action === 'warn').map((f) => f.message),
      vault,
    };
  }

  return { Scanner, Vault, scan, redact, restore, guard, Guard, checks };
}

/** The `GuardError` for block failures, with the core's message (checks and types, never values). */
function blockedError(message, failures, findings) {
  return bridleError('guard_blocked', message, { details: { failures, findings } });
}

/** A custom check's return value as the core reads it. */
function externalResult(index, name, result, text) {
  if (result === undefined || result === null || result === true) return { check: index, failed: false };
  if (result === false) return { check: index, failed: true };
  if (typeof result === 'string') return { check: index, failed: true, message: result };
  const findings = Array.isArray(result) ? result : result.findings;
  const entry = { check: index };
  if (!Array.isArray(result)) {
    if (typeof result !== 'object') throw invalidArgument(`custom check '${name}' returned ${describe(result)}; expected a boolean, a message, findings or { pass, message, findings }`);
    if (result.pass !== undefined) entry.failed = !result.pass;
    if (typeof result.message === 'string') entry.message = result.message;
  }
  if (findings !== undefined) {
    if (!Array.isArray(findings)) throw invalidArgument(`custom check '${name}': findings must be a list`);
    entry.findings = findings.map((f, i) => {
      if (!Number.isInteger(f?.start) || !Number.isInteger(f?.end) || f.start < 0 || f.end > text.length || f.start > f.end) {
        throw invalidArgument(`custom check '${name}': finding ${i} needs integer start <= end within the text (UTF-16 offsets)`);
      }
      return { type: String(f.type ?? 'CUSTOM'), start: f.start, end: f.end, score: f.score, detail: f.detail };
    });
  }
  return entry;
}

/** `value` without its undefined members (so JSON omits them and the core sees defaults). */
function clean(value) {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

async function aesKey(key, use) {
  if (globalThis.crypto?.subtle === undefined) throw bridleError('unsupported', 'sealing a vault needs WebCrypto (globalThis.crypto.subtle)');
  if (key instanceof Uint8Array) {
    if (key.length !== 32) throw invalidArgument(`a vault key must be 32 bytes, not ${key.length}`);
    return globalThis.crypto.subtle.importKey('raw', key, 'AES-GCM', false, [use]);
  }
  if (key?.type === 'secret' && key?.algorithm?.name === 'AES-GCM') return key;
  throw invalidArgument(`a vault key must be 32 bytes (Uint8Array) or an AES-GCM CryptoKey, not ${describe(key)}`);
}

function base64url(bytes) {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text) {
  let binary;
  try {
    binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  } catch (cause) {
    throw bridleError('invalid_argument', 'not a sealed vault (bad base64)', { cause });
  }
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
