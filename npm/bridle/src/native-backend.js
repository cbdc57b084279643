// Adapts the Node-API addon to the facade's backend interface.

import { fromBackendError } from './translate.js';

/** Bytes of the buffer template values are written into (bigger values go as a string). */
const SCRATCH_BYTES = 16 * 1024;

export function nativeBackend(addon) {
  // One buffer per loaded addon; JavaScript is single-threaded per isolate, and the facade
  // writes it only after all user code (getters, toJSON) of a call has run.
  const scratch = new Uint8Array(SCRATCH_BYTES);
  // The addon keeps the buffer's address, so a render passes just two numbers.
  const { renderScratch } = addon.hotFunctions(scratch);
  return {
    name: 'native',
    version: addon.version,
    compileTemplate: addon.compileTemplate,
    templateVariables: addon.templateVariables,
    templateSyntax: addon.templateSyntax,
    renderSlots: addon.renderSlots,
    scratch: () => scratch,
    renderScratch,
    freeTemplate: addon.freeTemplate,
    liveTemplates: addon.liveTemplates,
    debugPanic: addon.debugPanic,
    memoryBytes: () => undefined,
    translate: fromBackendError,
  };
}
