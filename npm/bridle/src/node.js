// The Node entry: the native addon when it loads, the wasm module otherwise.
// BRIDLE_BACKEND=native|wasm forces one; BRIDLE_NATIVE_PATH and BRIDLE_WASM_PATH name the
// exact .node / .wasm file to load instead of the usual places.
// If nothing loads, the BackendLoadError's `cause` (an AggregateError) holds every attempt.

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createApi } from './facade.js';
import { nativeBackend } from './native-backend.js';
import { wasmBackendSync } from './wasm-backend.js';
import { BackendLoadError } from './errors.js';

const require = createRequire(import.meta.url);

/** The napi-rs name of this platform, e.g. `linux-x64-gnu`. */
function platformTriple() {
  const { platform, arch } = process;
  if (platform === 'linux') {
    const glibc = process.report?.getReport?.()?.header?.glibcVersionRuntime;
    return `linux-${arch}-${glibc ? 'gnu' : 'musl'}`;
  }
  if (platform === 'win32') return `win32-${arch}-msvc`;
  return `${platform}-${arch}`;
}

/** Where the addon may be: an explicit path alone, else a local build, else the platform package. */
function nativeCandidates() {
  if (process.env.BRIDLE_NATIVE_PATH) return [process.env.BRIDLE_NATIVE_PATH];
  const triple = platformTriple();
  return [fileURLToPath(new URL(`../native/bridle.${triple}.node`, import.meta.url)), `bridle-${triple}`];
}

function tryNative(attempts) {
  for (const candidate of nativeCandidates()) {
    try {
      return nativeBackend(require(candidate));
    } catch (error) {
      attempts.push(attemptError(`native addon ${candidate}`, error));
    }
  }
  return null;
}

function tryWasm(attempts) {
  const file = process.env.BRIDLE_WASM_PATH || fileURLToPath(new URL('../wasm/bridle_wasm_bg.wasm', import.meta.url));
  const guardFile = process.env.BRIDLE_GUARD_WASM_PATH || fileURLToPath(new URL('../wasm/bridle_guard_bg.wasm', import.meta.url));
  const modelFile = process.env.BRIDLE_MODEL_WASM_PATH || fileURLToPath(new URL('../wasm/bridle_model_bg.wasm', import.meta.url));
  const tokensFile = process.env.BRIDLE_TOKENS_WASM_PATH || fileURLToPath(new URL('../wasm/bridle_tokens_bg.wasm', import.meta.url));
  try {
    return wasmBackendSync(readFileSync(file), readFileSync(guardFile), readFileSync(modelFile), readFileSync(tokensFile));
  } catch (error) {
    attempts.push(attemptError(`wasm module ${file}`, error));
    return null;
  }
}

function attemptError(what, error) {
  // The first line is enough in the summary; the whole error stays in `cause`.
  const firstLine = String(error?.message ?? error).split('\n')[0];
  return new Error(`${what}: ${firstLine}`, { cause: error });
}

function loadBackend() {
  const wanted = process.env.BRIDLE_BACKEND || 'auto';
  const attempts = [];
  let live = null;
  if (wanted === 'native' || wanted === 'auto') live = tryNative(attempts);
  if (live === null && (wanted === 'wasm' || wanted === 'auto')) live = tryWasm(attempts);
  if (live !== null) return live;
  if (!['auto', 'native', 'wasm'].includes(wanted)) {
    attempts.push(new Error(`BRIDLE_BACKEND must be 'native', 'wasm' or 'auto', not '${wanted}'`));
  }
  const list = attempts.map((a) => `  - ${a.message}`).join('\n');
  throw new BackendLoadError(`bridle: no backend could be loaded (BRIDLE_BACKEND=${wanted}); tried:\n${list}`, {
    code: 'backend_unavailable',
    cause: new AggregateError(attempts, 'backend load attempts'),
  });
}

/**
 * A rank table from an installed registry package: js-tiktoken's rank object, else the
 * tiktoken package's `encoders/<name>.json` bytes. Nothing is fetched from the network.
 */
async function loadRanks(encoding) {
  const attempts = [];
  const name = encoding === 'gpt2' ? 'r50k_base' : encoding;
  try {
    return (await import(`js-tiktoken/ranks/${name}`)).default;
  } catch (error) {
    attempts.push(attemptError(`js-tiktoken/ranks/${name}`, error));
  }
  try {
    return readFileSync(require.resolve(`tiktoken/encoders/${name}.json`));
  } catch (error) {
    attempts.push(attemptError(`tiktoken/encoders/${name}.json`, error));
  }
  const list = attempts.map((a) => `  - ${a.message}`).join('\n');
  throw new BackendLoadError(
    `bridle: no rank table for ${encoding}: install js-tiktoken (or tiktoken), or pass options.ranks; tried:\n${list}`,
    { code: 'backend_unavailable', cause: new AggregateError(attempts, 'rank table attempts') },
  );
}

const live = loadBackend();

/** Which backend is live: 'native' or 'wasm'. */
export const backend = live.name;
/** The version of the Rust core. */
export const version = live.version();
export const {
  Template, render, applyChatTemplate, chatTemplates, loadPrompt, Prompt,
  normalizeMessages, toAnthropic, fromAnthropic, toGemini, fromGemini, chatPrompt, ChatPrompt, JsonStream, repairJson, extractJson, parseList, parseFields, parseTagged, TaggedStream, Schema, compileSchema, validate, Scanner, Vault, scan, redact, restore, guard, Guard, checks, openai, anthropic, gemini, scripted, Model, ModelStream,
  pipe, parallel, branch, route, map, assign, passthrough, withRetry, withFallbacks, modelStep, reask, toolLoop, record, Chain,
  Tokenizer, loadTokenizer, encodingForModel, estimateTokens, pack, _debug,
} = createApi(() => live, { env: process.env, loadRanks });
/** Resolve / return at once in Node, where the backend loads on import; kept for portable code. */
export async function init() {}
export function initSync() {}
export * from './errors.js';
export { SafeString } from './host.js';
