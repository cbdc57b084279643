// Adapts the wasm-bindgen module to the facade's backend interface.
//
// The module is built with panic = "abort": a panic runs the hook (which keeps the message)
// and then traps with a WebAssembly.RuntimeError. Nothing unwinds, so the shadow-stack
// pointer is left where the panicking frame had moved it; it is reset here to its value
// between calls, which is what keeps the same instance usable after the failure.

import * as glue from '../wasm/bridle_wasm.js';
import { bridleError, fromBackendError } from './translate.js';

/** Instantiates the module synchronously from a `WebAssembly.Module` or its bytes. */
export function wasmBackendSync(moduleOrBytes) {
  return wasmBackend(glue.initSync({ module: moduleOrBytes }));
}

/** Instantiates the module from a URL, `Response`, bytes or `WebAssembly.Module`. */
export async function wasmBackendAsync(moduleOrPath) {
  return wasmBackend(await glue.default({ module_or_path: moduleOrPath }));
}

/** Bytes of the buffer in wasm memory that template values (and outputs) are written into. */
const SCRATCH_BYTES = 16 * 1024;
const OUTPUT_TOO_BIG = 0xffffffff;
// ignoreBOM: a leading U+FEFF in an output is content, not a byte-order mark to drop.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

function wasmBackend(exports) {
  const stackPointer = exports.__stack_pointer;
  const stackAtRest = stackPointer.value;
  const scratchAddress = glue.scratchReserve(SCRATCH_BYTES);
  let scratch = new Uint8Array(exports.memory.buffer, scratchAddress, SCRATCH_BYTES);
  return {
    name: 'wasm',
    version: glue.version,
    compileTemplate: glue.compileTemplate,
    templateVariables: glue.templateVariables,
    templateSyntax: glue.templateSyntax,
    renderSlots: glue.renderSlots,
    scratch() {
      // Growing wasm memory replaces its ArrayBuffer; the view must follow.
      if (scratch.buffer !== exports.memory.buffer) {
        scratch = new Uint8Array(exports.memory.buffer, scratchAddress, SCRATCH_BYTES);
      }
      return scratch;
    },
    renderScratch(handle, length) {
      const written = glue.renderScratch(handle, length);
      if (written === OUTPUT_TOO_BIG) return glue.takeOutput();
      return decoder.decode(this.scratch().subarray(0, written));
    },
    freeTemplate: glue.freeTemplate,
    liveTemplates: glue.liveTemplates,
    debugPanic: glue.debugPanic,
    memoryBytes: () => exports.memory.buffer.byteLength,
    translate(error) {
      if (error instanceof WebAssembly.RuntimeError) {
        stackPointer.value = stackAtRest;
        const panic = glue.takePanicMessage();
        const message = panic === undefined ? `internal error (wasm trap): ${error.message}` : panic;
        return bridleError('internal', message, { cause: error });
      }
      return fromBackendError(error);
    },
  };
}
