// The entry for Cloudflare Workers (the `workerd` condition), where `.wasm` files are imported
// as compiled modules: workerd refuses to compile wasm from bytes at run time, so the module
// is imported and instantiated synchronously, and no init() is needed.

import wasmModule from '../wasm/bridle_wasm_bg.wasm';
import guardModule from '../wasm/bridle_guard_bg.wasm';
import modelModule from '../wasm/bridle_model_bg.wasm';
import tokensModule from '../wasm/bridle_tokens_bg.wasm';
import { createApi } from './facade.js';
import { wasmBackendSync } from './wasm-backend.js';

const live = wasmBackendSync(wasmModule, guardModule, modelModule, tokensModule);

export const backend = live.name;
export const version = live.version();
export const {
  Template, render, applyChatTemplate, chatTemplates, loadPrompt, Prompt,
  normalizeMessages, toAnthropic, fromAnthropic, toGemini, fromGemini, chatPrompt, ChatPrompt, JsonStream, repairJson, extractJson, parseList, parseFields, parseTagged, TaggedStream, Schema, compileSchema, validate, Scanner, Vault, scan, redact, restore, guard, Guard, checks, openai, anthropic, gemini, scripted, Model, ModelStream,
  pipe, parallel, branch, route, map, assign, passthrough, withRetry, withFallbacks, modelStep, reask, toolLoop, record, Chain,
  Tokenizer, loadTokenizer, encodingForModel, estimateTokens, pack, _debug,
} = createApi(() => live);
/** Resolve / return at once: the module loads on import; kept for portable code. */
export async function init() {}
export function initSync() {}
export * from './errors.js';
export { SafeString } from './host.js';
