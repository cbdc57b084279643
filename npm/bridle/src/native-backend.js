// Adapts the Node-API addon to the facade's backend interface.

import { fromBackendError } from './translate.js';

/** UTF-16 units of the scratch buffer at first; it grows when a render needs more. */
const SCRATCH_UNITS = 8 * 1024;

/** Where the state shared by every facade over one loaded addon is kept on it. */
const SHARED = Symbol.for('bridle.native.shared');

export function nativeBackend(addon) {
  // One scratch buffer per loaded addon, whose address the addon keeps, so a render call
  // passes no arguments. Node loads an addon once per thread even when both the ESM and the
  // CommonJS entry use it, so the buffer and the write counter live on the addon itself.
  const shared = (addon[SHARED] ??= { scratch: new Uint16Array(SCRATCH_UNITS), state: { writes: 0 } });
  addon.adoptScratch(shared.scratch);
  const { renderScratch } = addon.hotFunctions();
  return {
    name: 'native',
    state: shared.state,
    version: addon.version,
    compileTemplate: addon.compileTemplate,
    templateVariables: addon.templateVariables,
    templateSyntax: addon.templateSyntax,
    templateRenderSpotlit: addon.templateRenderSpotlit,
    templateIsSpotlit: addon.templateIsSpotlit,
    applyChatTemplate: addon.applyChatTemplate,
    chatTemplateNames: addon.chatTemplateNames,
    loadPrompt: addon.loadPrompt,
    promptFrontMatter: addon.promptFrontMatter,
    promptTemplate: addon.promptTemplate,
    renderPrompt: addon.renderPrompt,
    renderPromptMetadata: addon.renderPromptMetadata,
    freePrompt: addon.freePrompt,
    convertMessages: addon.convertMessages,
    compileChatPrompt: addon.compileChatPrompt,
    chatPromptVariables: addon.chatPromptVariables,
    renderChatPrompt: addon.renderChatPrompt,
    partialChatPrompt: addon.partialChatPrompt,
    freeChatPrompt: addon.freeChatPrompt,
    jsonStreamOpen: addon.jsonStreamOpen,
    jsonStreamPush: addon.jsonStreamPush,
    jsonStreamPushBytes: addon.jsonStreamPushBytes,
    jsonStreamEnd: addon.jsonStreamEnd,
    jsonStreamTakeOps: addon.jsonStreamTakeOps,
    jsonStreamFree: addon.jsonStreamFree,
    repairJson: addon.repairJson,
    extractJson: addon.extractJson,
    compileSchema: addon.compileSchema,
    schemaValidate: addon.schemaValidate,
    schemaValidateText: addon.schemaValidateText,
    freeSchema: addon.freeSchema,
    parseList: addon.parseList,
    parseFields: addon.parseFields,
    parseTagged: addon.parseTagged,
    taggedStreamOpen: addon.taggedStreamOpen,
    taggedStreamPush: addon.taggedStreamPush,
    taggedStreamEnd: addon.taggedStreamEnd,
    taggedStreamFree: addon.taggedStreamFree,
    scannerCompile: addon.scannerCompile,
    scannerScan: addon.scannerScan,
    scannerRedact: addon.scannerRedact,
    scannerFree: addon.scannerFree,
    vaultNew: addon.vaultNew,
    vaultFromJson: addon.vaultFromJson,
    vaultToJson: addon.vaultToJson,
    vaultSize: addon.vaultSize,
    vaultRestore: addon.vaultRestore,
    vaultFree: addon.vaultFree,
    guardCompile: addon.guardCompile,
    guardRun: addon.guardRun,
    guardFree: addon.guardFree,
    guardStreamOpen: addon.guardStreamOpen,
    guardStreamPush: addon.guardStreamPush,
    guardStreamFree: addon.guardStreamFree,
    templateReadsWholeData: addon.templateReadsWholeData,
    modelNew: addon.modelNew,
    modelInfo: addon.modelInfo,
    modelReserve: addon.modelReserve,
    modelCalls: addon.modelCalls,
    modelFree: addon.modelFree,
    callOpen: addon.callOpen,
    callInfo: addon.callInfo,
    callAttempt: addon.callAttempt,
    callResponse: addon.callResponse,
    callPush: addon.callPush,
    callEnd: addon.callEnd,
    callScripted: addon.callScripted,
    callScriptedSteps: addon.callScriptedSteps,
    callRetryDelay: addon.callRetryDelay,
    callFree: addon.callFree,
    chainCompile: addon.chainCompile,
    chainFree: addon.chainFree,
    runStart: addon.runStart,
    runTake: addon.runTake,
    runResolve: addon.runResolve,
    runCancel: addon.runCancel,
    runTrace: addon.runTrace,
    runFree: addon.runFree,
    tokenizerLoad: addon.tokenizerLoad,
    tokenizerInfo: addon.tokenizerInfo,
    tokenizerEncode: addon.tokenizerEncode,
    tokenizerCount: addon.tokenizerCount,
    tokenizerDecode: addon.tokenizerDecode,
    tokenizerDecodeBytes: addon.tokenizerDecodeBytes,
    tokenizerCountMessages: addon.tokenizerCountMessages,
    tokenizerFree: addon.tokenizerFree,
    estimateTokens: addon.estimateTokens,
    estimateMessages: addon.estimateMessages,
    encodingForModel: addon.encodingForModel,
    packerNew: addon.packerNew,
    packerValues: addon.packerValues,
    packerObserve: addon.packerObserve,
    packerReport: addon.packerReport,
    packerFree: addon.packerFree,
    /** The addon's HTTP client (reqwest) as an exchange; the signal cancels it at any point. */
    async http(request, signal) {
      const exchange = new addon.HttpExchange();
      const cancel = () => exchange.cancel();
      signal.addEventListener('abort', cancel, { once: true });
      if (signal.aborted) cancel();
      try {
        const head = await exchange.send(request.url, JSON.stringify(request.headers), request.body);
        return {
          status: head.status,
          headers: head.headers,
          read: async () => (await exchange.read()) ?? null,
          cancel() {
            signal.removeEventListener('abort', cancel);
            exchange.cancel();
          },
        };
      } catch (error) {
        signal.removeEventListener('abort', cancel);
        throw error;
      }
    },
    scratch: () => shared.scratch,
    scratchBytes() {
      if (shared.bytes?.buffer !== shared.scratch.buffer) {
        shared.bytes = new Uint8Array(shared.scratch.buffer, shared.scratch.byteOffset, shared.scratch.byteLength);
      }
      return shared.bytes;
    },
    growScratch(units, keep) {
      const grown = new Uint16Array(Math.max(units, shared.scratch.length * 2));
      grown.set(shared.scratch.subarray(0, keep));
      addon.adoptScratch(grown);
      shared.scratch = grown;
      return grown;
    },
    renderScratch,
    renderWithHost: addon.renderWithHost,
    renderBlock: addon.renderBlock,
    freeTemplate: addon.freeTemplate,
    liveTemplates: addon.liveTemplates,
    debugPanic: addon.debugPanic,
    memoryBytes: () => undefined,
    translate: fromBackendError,
  };
}
