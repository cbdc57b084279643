// Adapts the wasm-bindgen module to the facade's backend interface.
//
// The module is built with panic = "abort": a panic runs the hook (which keeps the message)
// and then traps with a WebAssembly.RuntimeError. Nothing unwinds, so the shadow-stack
// pointer is left where the panicking frame had moved it; it is reset here to its value
// between calls, which is what keeps the same instance usable after the failure.

import * as glue from '../wasm/bridle_wasm.js';
import * as guardGlue from '../wasm/bridle_guard.js';
import * as modelGlue from '../wasm/bridle_model.js';
import * as tokensGlue from '../wasm/bridle_tokens.js';
import { bridleError, fromBackendError } from './translate.js';

/**
 * Instantiates the main module synchronously from a `WebAssembly.Module` or its bytes, and the
 * guardrails and model modules from theirs when given (without one, its API throws
 * `backend_unavailable`).
 */
export function wasmBackendSync(moduleOrBytes, guardModuleOrBytes, modelModuleOrBytes, tokensModuleOrBytes) {
  const side = (sideGlue, source) => (source === undefined || source === null ? null : sideGlue.initSync({ module: source }));
  return wasmBackend(
    glue.initSync({ module: moduleOrBytes }),
    side(guardGlue, guardModuleOrBytes),
    side(modelGlue, modelModuleOrBytes),
    side(tokensGlue, tokensModuleOrBytes),
  );
}

/** Instantiates the modules from URLs, `Response`s, bytes or `WebAssembly.Module`s (null skips a side module). */
export async function wasmBackendAsync(moduleOrPath, guardModuleOrPath, modelModuleOrPath, tokensModuleOrPath) {
  const side = (sideGlue, source) => (source === null || source === undefined ? null : sideGlue.default({ module_or_path: source }));
  const [main, guard, model, tokens] = await Promise.all([
    glue.default({ module_or_path: moduleOrPath }),
    side(guardGlue, guardModuleOrPath),
    side(modelGlue, modelModuleOrPath),
    side(tokensGlue, tokensModuleOrPath),
  ]);
  return wasmBackend(main, guard, model, tokens);
}

/** The guard module's functions the facade calls. */
const GUARD_FUNCTIONS = [
  'scannerCompile', 'scannerScan', 'scannerRedact', 'scannerFree', 'vaultNew', 'vaultFromJson', 'vaultToJson',
  'vaultSize', 'vaultRestore', 'vaultFree', 'guardCompile', 'guardRun', 'guardFree', 'guardStreamOpen',
  'guardStreamPush', 'guardStreamFree',
];

/** The model module's functions the facade calls (its HTTP client is `http` below). */
const MODEL_FUNCTIONS = [
  'modelNew', 'modelInfo', 'modelReserve', 'modelCalls', 'modelFree', 'callOpen', 'callInfo', 'callAttempt',
  'callResponse', 'callPush', 'callEnd', 'callScripted', 'callScriptedSteps', 'callRetryDelay', 'callFree',
  'chainCompile', 'chainFree', 'runStart', 'runTake', 'runResolve', 'runCancel', 'runTrace', 'runFree',
];

/** The tokenizer module's functions the facade calls. */
const TOKENS_FUNCTIONS = [
  'tokenizerLoad', 'tokenizerInfo', 'tokenizerEncode', 'tokenizerCount', 'tokenizerDecode', 'tokenizerDecodeBytes',
  'tokenizerCountMessages', 'tokenizerFree', 'estimateTokens', 'estimateMessages', 'encodingForModel', 'packerNew',
  'packerValues', 'packerObserve', 'packerReport', 'packerFree',
];

/**
 * A side module's functions (guardrails, models), each resetting that module's stack pointer
 * after a trap and reporting it as `internal` (the main module's `translate` knows only its own
 * stack). Without the module every function throws `backend_unavailable`.
 */
function sideFunctions(sideGlue, exports, names, what, file) {
  if (exports === null) {
    const missing = () => {
      throw bridleError('backend_unavailable', `bridle: the ${what} wasm module (${file}) is not loaded: pass it to init/initSync`);
    };
    // Freeing what was never made is harmless.
    return Object.fromEntries(names.map((name) => [name, name.endsWith('Free') ? () => {} : missing]));
  }
  const stackPointer = exports.__stack_pointer;
  const atRest = stackPointer.value;
  return Object.fromEntries(names.map((name) => {
    const fn = sideGlue[name];
    return [name, (...args) => {
      try {
        return fn(...args);
      } catch (error) {
        if (!(error instanceof WebAssembly.RuntimeError)) throw error;
        stackPointer.value = atRest;
        const panic = sideGlue.takePanicMessage();
        throw bridleError('internal', panic === undefined ? `internal error (wasm trap): ${error.message}` : panic, { cause: error });
      }
    }];
  }));
}

/** UTF-16 units of the scratch buffer in wasm memory at first; it grows when needed. */
const SCRATCH_UNITS = 8 * 1024;
// Flags in renderScratch's result (see bindings-wasm/src/template.rs).
const SCRATCH_MOVED = 0x80000000;
const OUTPUT_UTF16 = 0x40000000;
// ignoreBOM: a leading U+FEFF in an output is content, not a byte-order mark to drop.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** A string from UTF-16 units exactly, lone surrogates included (TextDecoder would replace them). */
function fromUnits(units) {
  let text = '';
  for (let at = 0; at < units.length; at += 8192) {
    text += String.fromCharCode.apply(null, units.subarray(at, at + 8192));
  }
  return text;
}

/** The `internal` error for a trap, with the panic's message if a panic caused it. */
function panicError(trap) {
  const panic = glue.takePanicMessage();
  const message = panic === undefined ? `internal error (wasm trap): ${trap.message}` : panic;
  return bridleError('internal', message, { cause: trap });
}

/** The model module's HTTP client (gloo-net over the global fetch) as an exchange. */
async function modelHttp(request, signal) {
  const exchange = new modelGlue.HttpExchange();
  let freed = false;
  const release = () => {
    if (!freed) {
      freed = true;
      exchange.cancel();
      exchange.free();
    }
  };
  try {
    const head = await exchange.send(request.url, JSON.stringify(request.headers), request.body, signal);
    return {
      status: head.status,
      headers: head.headers,
      read: async () => (freed ? null : (await exchange.read()) ?? null),
      cancel: release,
    };
  } catch (error) {
    release();
    throw error;
  }
}

function wasmBackend(exports, guardExports, modelExports, tokensExports) {
  const stackPointer = exports.__stack_pointer;
  const stackAtRest = stackPointer.value;
  let units = 0;
  let scratch = null;
  let bytes = null;
  const adopt = () => {
    const address = glue.scratchReserve(0, 0);
    units = glue.scratchUnits();
    scratch = new Uint16Array(exports.memory.buffer, address, units);
    bytes = new Uint8Array(exports.memory.buffer, address, units * 2);
    return scratch;
  };
  glue.scratchReserve(SCRATCH_UNITS, 0);
  adopt();
  // Growing wasm memory detaches the old ArrayBuffer, which empties every view of it.
  const view = () => (scratch.length === 0 ? adopt() : scratch);
  return {
    name: 'wasm',
    state: { writes: 0 },
    version: glue.version,
    compileTemplate: glue.compileTemplate,
    templateVariables: glue.templateVariables,
    templateSyntax: glue.templateSyntax,
    templateRenderSpotlit: glue.templateRenderSpotlit,
    templateIsSpotlit: glue.templateIsSpotlit,
    applyChatTemplate: glue.applyChatTemplate,
    chatTemplateNames: glue.chatTemplateNames,
    loadPrompt: glue.loadPrompt,
    promptFrontMatter: glue.promptFrontMatter,
    promptTemplate: glue.promptTemplate,
    renderPrompt: glue.renderPrompt,
    renderPromptMetadata: glue.renderPromptMetadata,
    freePrompt: glue.freePrompt,
    convertMessages: glue.convertMessages,
    compileChatPrompt: glue.compileChatPrompt,
    chatPromptVariables: glue.chatPromptVariables,
    renderChatPrompt: glue.renderChatPrompt,
    partialChatPrompt: glue.partialChatPrompt,
    freeChatPrompt: glue.freeChatPrompt,
    jsonStreamOpen: glue.jsonStreamOpen,
    jsonStreamPush: glue.jsonStreamPush,
    jsonStreamPushBytes: glue.jsonStreamPushBytes,
    jsonStreamEnd: glue.jsonStreamEnd,
    jsonStreamTakeOps: glue.jsonStreamTakeOps,
    jsonStreamFree: glue.jsonStreamFree,
    repairJson: glue.repairJson,
    extractJson: glue.extractJson,
    compileSchema: glue.compileSchema,
    schemaValidate: glue.schemaValidate,
    schemaValidateText: glue.schemaValidateText,
    freeSchema: glue.freeSchema,
    parseList: glue.parseList,
    parseFields: glue.parseFields,
    parseTagged: glue.parseTagged,
    taggedStreamOpen: glue.taggedStreamOpen,
    taggedStreamPush: glue.taggedStreamPush,
    taggedStreamEnd: glue.taggedStreamEnd,
    taggedStreamFree: glue.taggedStreamFree,
    templateReadsWholeData: glue.templateReadsWholeData,
    ...sideFunctions(guardGlue, guardExports, GUARD_FUNCTIONS, 'guardrails', 'bridle_guard_bg.wasm'),
    ...sideFunctions(modelGlue, modelExports, MODEL_FUNCTIONS, 'model', 'bridle_model_bg.wasm'),
    ...sideFunctions(tokensGlue, tokensExports, TOKENS_FUNCTIONS, 'tokenizer', 'bridle_tokens_bg.wasm'),
    http: modelExports === null ? () => Promise.reject(bridleError('backend_unavailable', 'bridle: the model wasm module (bridle_model_bg.wasm) is not loaded: pass it to init/initSync')) : modelHttp,
    scratch: view,
    scratchBytes() {
      view();
      return bytes;
    },
    growScratch(wanted, keep) {
      glue.scratchReserve(wanted, keep);
      return adopt();
    },
    renderScratch() {
      let result = glue.renderScratch();
      if (result >= SCRATCH_MOVED) {
        result -= SCRATCH_MOVED;
        adopt();
      } else {
        view();
      }
      if (result >= OUTPUT_UTF16) return fromUnits(scratch.subarray(0, result - OUTPUT_UTF16));
      return utf8.decode(bytes.subarray(0, result));
    },
    renderWithHost: glue.renderWithHost,
    renderBlock(token, inverse, context, data, host) {
      // Called from inside a render: a trap here unwinds only to this call, so the stack
      // pointer goes back to its value here, not to its value between calls.
      const stackHere = stackPointer.value;
      try {
        return glue.renderBlock(token, inverse, context, data, host);
      } catch (error) {
        if (!(error instanceof WebAssembly.RuntimeError)) throw error;
        stackPointer.value = stackHere;
        throw panicError(error);
      }
    },
    freeTemplate: glue.freeTemplate,
    liveTemplates: glue.liveTemplates,
    debugPanic: glue.debugPanic,
    memoryBytes: () => exports.memory.buffer.byteLength,
    translate(error) {
      if (error instanceof WebAssembly.RuntimeError) {
        stackPointer.value = stackAtRest;
        return panicError(error);
      }
      return fromBackendError(error);
    },
  };
}
