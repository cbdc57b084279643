// Adapts the Node-API addon to the facade's backend interface.

import { fromBackendError } from './translate.js';

export function nativeBackend(addon) {
  return {
    name: 'native',
    compileTemplate: addon.compileTemplate,
    version: addon.version,
    debugPanic: addon.debugPanic,
    memoryBytes: () => undefined,
    translate: fromBackendError,
  };
}
