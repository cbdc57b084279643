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

function wasmBackend(exports) {
  const stackPointer = exports.__stack_pointer;
  const stackAtRest = stackPointer.value;
  return {
    name: 'wasm',
    compileTemplate: glue.compileTemplate,
    version: glue.version,
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
