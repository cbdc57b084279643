// The entry for browsers, edge runtimes and anything else without a native addon: the wasm
// module, loaded by `await init()` (from the URL beside this file unless given a URL,
// Response, bytes or WebAssembly.Module) or `initSync(moduleOrBytes)`.

import { createApi } from './facade.js';
import { wasmBackendAsync, wasmBackendSync } from './wasm-backend.js';
import { bridleError } from './translate.js';

let live = null;
let loading = null;

function getBackend() {
  if (live === null) {
    throw bridleError('backend_unavailable', 'bridle: the wasm module is not loaded yet: call `await init()` first');
  }
  return live;
}

/** Which backend is live: 'wasm' once init has run, null before. */
export let backend = null;
export let version = null;

function settle(loaded) {
  live = loaded;
  backend = loaded.name;
  version = loaded.version();
}

/**
 * Loads the wasm modules; safe to call more than once. `input` is the main module's source;
 * `options.guard` the guardrails module's, `options.model` the model module's and
 * `options.tokens` the tokenizer module's (default: beside this file), or `false` to skip one
 * (then its API throws `backend_unavailable`).
 */
export function init(input, options) {
  if (loading === null) {
    const source = input ?? new URL('../wasm/bridle_wasm_bg.wasm', import.meta.url);
    const guard = options?.guard === false ? null : (options?.guard ?? new URL('../wasm/bridle_guard_bg.wasm', import.meta.url));
    const model = options?.model === false ? null : (options?.model ?? new URL('../wasm/bridle_model_bg.wasm', import.meta.url));
    const tokens = options?.tokens === false ? null : (options?.tokens ?? new URL('../wasm/bridle_tokens_bg.wasm', import.meta.url));
    loading = wasmBackendAsync(source, guard, model, tokens).then(settle, (error) => {
      loading = null;
      throw bridleError('backend_unavailable', `bridle: the wasm module failed to load: ${error?.message ?? error}`, {
        cause: error,
      });
    });
  }
  return loading;
}

/**
 * Loads the wasm module synchronously from a `WebAssembly.Module` or its bytes, and the
 * guardrails, model and tokenizer modules from theirs when given.
 */
export function initSync(moduleOrBytes, guardModuleOrBytes, modelModuleOrBytes, tokensModuleOrBytes) {
  if (live === null) {
    let loaded;
    try {
      loaded = wasmBackendSync(moduleOrBytes, guardModuleOrBytes, modelModuleOrBytes, tokensModuleOrBytes);
    } catch (error) {
      throw bridleError('backend_unavailable', `bridle: the wasm module failed to load: ${error?.message ?? error}`, { cause: error });
    }
    settle(loaded);
    loading = Promise.resolve();
  }
}

export const {
  Template, render, applyChatTemplate, chatTemplates, loadPrompt, Prompt,
  normalizeMessages, toAnthropic, fromAnthropic, toGemini, fromGemini, chatPrompt, ChatPrompt, JsonStream, repairJson, extractJson, parseList, parseFields, parseTagged, TaggedStream, Schema, compileSchema, validate, Scanner, Vault, scan, redact, restore, guard, Guard, checks, openai, anthropic, gemini, scripted, Model, ModelStream,
  pipe, parallel, branch, route, map, assign, passthrough, withRetry, withFallbacks, modelStep, reask, toolLoop, record, Chain,
  Tokenizer, loadTokenizer, encodingForModel, estimateTokens, pack, _debug,
} = createApi(getBackend);
export * from './errors.js';
export { SafeString } from './host.js';
