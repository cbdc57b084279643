// Bridle from TypeScript (strict): every export of index.d.ts, in a type position or a call,
// with the scripted model (no key, no network). An ES module: in a project of your own set
// `"type": "module"` in package.json (or name the file index.mts).
//   Check: npx tsc -p examples/typescript   Run: npx tsc -p examples/typescript --noEmit false --outDir out && node out/index.js
// tests/examples/node.test.mjs checks that it imports (and, with noUnusedLocals, uses) every
// export of index.d.ts, type checks it, compiles it and runs it on both backends.
import {
  // Templates
  type Syntax, type Helper, type HelperOptions, type TemplateOptions, type SourceSpan, type TemplateData, type RenderOptions,
  SafeString, Template, render,
  // Chat templates and prompt files
  type ChatTemplateOptions, type BuiltinChatTemplate, applyChatTemplate, chatTemplates,
  type PromptyOptions, type LoadPromptOptions, type PromptMessage, type RenderedPrompt, type RenderedPromptyPrompt, Prompt, loadPrompt,
  // Messages and chat prompts
  type ContentPart, type ChatToolCall, type ChatMessage, normalizeMessages, toAnthropic, fromAnthropic, toGemini, fromGemini,
  type ChatPromptEntry, ChatPrompt, chatPrompt,
  // Structured output
  type JsonValue, type JsonPath, type JsonChange, type RepairKind, type Repair, type RepairedJson, repairJson, extractJson, parseList, parseFields,
  type TaggedOptions, type TaggedSection, type TaggedEvent, parseTagged, TaggedStream,
  type SchemaViolation, type ValidationResult, type StandardSchemaLike, type JsonSchema, type SchemaOptions, type StructuredParseOptions,
  Schema, compileSchema, validate, type JsonStreamOptions, type JsonStreamStep, JsonStream,
  // Guardrails
  type ScannerName, type Finding, type PiiOptions, type SecretOptions, type InjectionOptions, type ScanOptions, type RedactStyleOptions,
  type RedactOptions, type Redaction, Scanner, type VaultJson, Vault, scan, redact, restore,
  type GuardAction, type CheckOptions, type ScannerCheck, type CustomFinding, type CustomCheckResult, type CustomCheck, checks,
  type GuardFinding, type GuardFailure, type GuardResult, type GuardOptions, type GuardStreamOptions, type GuardStream, Guard, guard,
  // Backend
  backend, version, type WasmSource, init, initSync,
  // Tokens
  type EncodingName, type TiktokenRanks, type RankSource, type EncodeOptions, type MessageCount, Tokenizer, loadTokenizer, encodingForModel,
  estimateTokens, type PackSection, type PackOptions, type PackCut, type PackResult, pack,
  // Models
  type RetryOptions, type ModelOptions, type OpenAIOptions, type AnthropicOptions, type GeminiOptions, type ToolDefinition, type GenerateOptions,
  type Usage, type ToolCall, type FinishReason, type Completion, type StreamEvent, ModelStream, Model, type ScriptedCall, type ScriptedReply,
  openai, anthropic, gemini, scripted,
  // Chains
  type Step, type ChainEvent, type TraceSpan, type RunOptions, Chain, pipe, parallel, branch, route, map, assign, passthrough, withRetry,
  withFallbacks, modelStep, reask, type ToolLoopResult, toolLoop, record,
  // Errors
  type ErrorCode, type BridleErrorFields, BridleError, TemplateSyntaxError, TemplateRenderError, InvalidArgumentError, UnsupportedError,
  LimitExceededError, JsonParseError, SchemaError, InternalError, GuardError, BackendLoadError, ModelError, AuthError, RateLimitError,
  ContextLengthError, ContentFilterError, ServerError, NetworkError, TimeoutError, AbortedError, BadResponseError, BadRequestError,
  SpecialTokenError,
} from 'bridle';

const show = (label: string, value: unknown): void => console.log(`${label}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);

// ---------------------------------------------------------------------------------------------
// Node loads the backend on import, so init() resolves at once. A page or an edge runtime loads
// the wasm module first: `await init(source)` (a URL, a Response, bytes) or `initSync(bytes)`.
await init();
if (backend === null) {
  const source: WasmSource = await fetch('/bridle/bridle_wasm_bg.wasm');
  initSync(new Uint8Array(await (source as Response).arrayBuffer()));
}
const live: 'native' | 'wasm' | null = backend;
const core: string | null = version;
show('backend', `${live} (core ${core})`);

// ---------------------------------------------------------------------------------------------
// Templates
const syntax: Syntax = 'mustache';
const shout: Helper = function (this: unknown, text: unknown, options: HelperOptions) {
  return new SafeString(`<b>${String(text).toUpperCase()}${options.hash.mark ?? ''}</b>`);
};
const options: TemplateOptions = { syntax: 'handlebars', escape: 'html', helpers: { shout } };
const data: TemplateData = { name: 'Ada & co' };
const renderOptions: RenderOptions = { data: { greeting: 'Hi' } };
const hello: Template = Template.compile('{{@greeting}} {{shout name mark="!"}} {{name}}', options);
show('handlebars', hello.render(data, renderOptions));
hello.free();
show('mustache', render('{{#items}}[{{.}}]{{/items}}', { items: [1, 2] }, { syntax }));
const spotlit = Template.compile('Summarise: {doc}', { untrusted: ['doc'] });
const { text: spotText, spans } = spotlit.renderSpotlit({ doc: 'ignore me' });
const span: SourceSpan = spans[0]!;
show('spotlit', `${spotText} (${span.variable} at ${span.start}..${span.end})`);
spotlit.free();

// ---------------------------------------------------------------------------------------------
// Chat templates and prompt files
const builtin: BuiltinChatTemplate = chatTemplates.includes('chatml') ? 'chatml' : 'llama3';
const chatOptions: ChatTemplateOptions = { messages: [{ role: 'user', content: 'Hi' }], addGenerationPrompt: true };
show('chat template', JSON.stringify(applyChatTemplate(builtin, chatOptions)));

const dotprompt = `---
model: googleai/gemini-2.5-flash
input:
  schema:
    question: string
---
{{role "system"}}
Be brief.
{{role "user"}}
{{question}}`;
const loadOptions: LoadPromptOptions = { partials: {} };
const prompt: Prompt<RenderedPrompt> = loadPrompt(dotprompt, loadOptions);
const rendered: RenderedPrompt = prompt.render({ input: { question: 'Why is the sky blue?' } });
const messages: PromptMessage[] = rendered.messages;
show('dotprompt', messages.map((m) => `${m.role}: ${m.content.map((part) => ('text' in part ? part.text.trim() : '')).join('')}`).join(' | '));
prompt[Symbol.dispose]();

const prompty = '---\nname: greet\ninputs:\n  name:\n    type: string\n    default: ${env:USER_NAME}\n---\nsystem:\nBe kind.\n\nuser:\nHello, I am {{name}}.';
const promptyOptions: PromptyOptions = { env: { USER_NAME: 'Ada' } };
const promptyFile: Prompt<RenderedPromptyPrompt> = loadPrompt(prompty, { format: 'prompty', ...promptyOptions });
show('prompty', promptyFile.render().messages);
promptyFile.free();

// ---------------------------------------------------------------------------------------------
// Messages and chat prompts
const part: ContentPart = { type: 'text', text: 'Weather in Oslo?' };
const call: ChatToolCall = { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } };
const conversation: ChatMessage[] = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: [part] },
  { role: 'assistant', content: null, tool_calls: [call] },
  { role: 'tool', tool_call_id: 'call_1', content: '-3 °C' },
];
const normal = normalizeMessages(conversation);
show('anthropic round trip', fromAnthropic(toAnthropic(normal)).length);
show('gemini round trip', fromGemini(toGemini(normal)).length);

const entries: ChatPromptEntry[] = [['system', 'You answer questions about {topic}.'], { placeholder: 'history', optional: true }, ['user', '{question}']];
const chat: ChatPrompt = chatPrompt(entries);
show('chat prompt', chat.partial({ topic: 'rockets' }).render({ question: 'How high?' }));
show('chat prompt variables', chat.variables);
chat.free();

// ---------------------------------------------------------------------------------------------
// Structured output
const repaired: RepairedJson = repairJson("{name: 'Ada', tags: ['x',],}");
const kinds: RepairKind[] = repaired.repairs.map((r: Repair) => r.kind);
show('repaired', `${repaired.json} (${kinds.join(', ')})`);
const found: RepairedJson<{ answer: number }>[] = extractJson<{ answer: number }>('First {"answer": 1}, then {answer: 2,}.', { all: true });
show('extracted', found.map((f) => f.value.answer));
show('list', parseList('1. one\n2. two\n3. three'));
show('fields', parseFields('name: Ada\nrole: engineer'));
const tagOptions: TaggedOptions = { tags: ['answer'] };
const sections: TaggedSection[] = parseTagged('<think>hmm</think><answer>42</answer>', tagOptions);
show('tagged', sections.map((s) => `${s.tag}=${s.content}`));
const tagged = new TaggedStream(tagOptions); // or `using tagged = ...` with lib esnext.disposable
const tagEvents: TaggedEvent[] = [...tagged.push('<answer>4'), ...tagged.push('2</answer>'), ...tagged.end()];
show('tagged stream', tagEvents.map((e) => e.type).join(','));
tagged[Symbol.dispose]();

type Person = { name: string; age: number };
const personSchema: JsonSchema = {
  type: 'object',
  properties: { name: { type: 'string' }, age: { type: 'integer' } },
  required: ['name', 'age'],
  additionalProperties: false,
};
const schemaOptions: SchemaOptions = { draft: '2020-12' };
const people: Schema<Person> = compileSchema<Person>(personSchema, schemaOptions);
const parseOptions: StructuredParseOptions = { extract: true, repair: true };
const ada: Person = people.parse("Sure! ```json\n{name: 'Ada', age: 36,}\n```", parseOptions);
show('parsed', ada);
const result: ValidationResult = validate({ name: 'Ada', age: 'old' }, people);
const violation: SchemaViolation | undefined = result.errors[0];
show('violation', `${violation?.path} ${violation?.keyword}: ${violation?.message}`);
const safe = people.safeParse('{"name": "Ada"}');
show('safeParse', safe.success ? 'ok' : safe.error.code);

// A Standard Schema (zod 4 and others); this one is written by hand.
type Even = { n: number };
const even: StandardSchemaLike<Even> = {
  '~standard': {
    version: 1,
    vendor: 'example',
    validate: (value: unknown) => ((value as Even).n % 2 === 0 ? { value: value as Even } : { issues: [{ message: 'n must be even', path: ['n'] }] }),
    jsonSchema: { input: () => ({ type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] }) },
  },
};
const evens: Schema<Even> = compileSchema(even);
show('standard schema', ['{"n": 4}', '{"n": 3}', '{"n": "4"}'].map((text) => {
  const parsed = evens.safeParse(text);
  return parsed.success ? parsed.value.n : parsed.error.message;
}));

const streamOptions: JsonStreamOptions = { schema: personSchema, extract: true };
const stream = new JsonStream<Person>(streamOptions);
const paths: JsonPath[] = [];
for (const chunk of ['Here: {"na', 'me": "Ad', 'a", "age": 3', '6}']) {
  const step: JsonStreamStep<Person> = stream.push(chunk);
  step.changes.forEach((change: JsonChange) => paths.push(change.path));
}
const person: Person = stream.end();
show('streamed', `${JSON.stringify(person)} after ${paths.length} changes, valid: ${stream.validation?.valid}`);
stream.free();
let last: JsonValue | undefined;
for await (const step of JsonStream.parse(['[1, ', '2]'])) if (step.done) last = step.value;
show('JsonStream.parse', last);

// ---------------------------------------------------------------------------------------------
// Guardrails
const family: ScannerName = 'pii';
const pii: PiiOptions = { types: ['EMAIL'] };
const secrets: SecretOptions = { entropy: false };
const injection: InjectionOptions = { threshold: 0.5 };
const scanOptions: ScanOptions = { [family]: pii, secrets, injection };
const findings: Finding[] = scan('Mail ana@example.com', scanOptions);
show('scan', findings.map((f) => `${f.scanner}:${f.type}@${f.start}`));
const style: RedactStyleOptions = { style: 'mask', keepLast: 4 };
const scanner = new Scanner({ pii: true });
const masked: Redaction = scanner.redact('Card 4111 1111 1111 1111', style);
show('masked', masked.text);
const vault = new Vault();
const redactOptions: RedactOptions = { vault };
const redaction: Redaction = scanner.redact('Mail ana@example.com', redactOptions);
show('redacted', `${redaction.text} → ${restore('Wrote to <EMAIL_1>.', vault)}`);
scanner[Symbol.dispose]();
const saved: VaultJson = vault.toJSON();
show('vault', `${Vault.fromJSON(saved).size} placeholder(s), restored: ${redact('ana@example.com', { pii: true }).vault.restore('<EMAIL_1>')}`);
const key = new Uint8Array(32).fill(7);
show('sealed vault reopened', (await Vault.open(await vault.seal(key), key)).restore('<EMAIL_1>'));

const action: GuardAction = 'redact';
const checkOptions: CheckOptions = { onFail: action };
const piiCheck: ScannerCheck = checks.pii({ ...checkOptions, types: ['EMAIL'] });
const noRockets: CustomCheck = checks.custom('no-rockets', (text: string): CustomCheckResult => {
  const at = text.indexOf('rocket');
  const hits: CustomFinding[] = at < 0 ? [] : [{ type: 'ROCKET', start: at, end: at + 6 }];
  return hits.length === 0 ? true : { pass: false, message: 'no rockets', findings: hits };
}, { onFail: 'warn' });
const guardOptions: GuardOptions = { onFail: 'block' };
const outputGuard: Guard = guard([piiCheck, noRockets, checks.secrets(), checks.injection(), checks.unicode(), checks.text({ banned: ['darn'] }), checks.output({ refusal: true })], guardOptions);
const checked: GuardResult = await outputGuard.check('Email ana@example.com about the rocket.');
const firstFinding: GuardFinding | undefined = checked.findings[0];
const failures: GuardFailure[] = checked.failures;
show('guard', `${checked.text} (${failures.map((f) => `${f.check}:${f.action}`).join(', ')}; first: ${firstFinding?.check}; warnings: ${checked.warnings.join(', ')})`);
const guardStreamOptions: GuardStreamOptions = { maxHold: 1024 };
const guarded: GuardStream = outputGuard.stream(guardStreamOptions);
const out = guarded.push('Write to bob@exa') + guarded.push('mple.org now.') + guarded.end();
show('guarded stream', out);
guarded.free();
outputGuard.free();

// ---------------------------------------------------------------------------------------------
// Tokens: the rank table comes from the installed js-tiktoken package.
const encoding: EncodingName | undefined = encodingForModel('gpt-4o');
const tokenizer: Tokenizer = await loadTokenizer(encoding ?? 'o200k_base');
const encodeOptions: EncodeOptions = { allowedSpecial: 'all' };
const ids = tokenizer.encode('Hello, world!<|endoftext|>', encodeOptions);
show('encode', `${tokenizer.encoding}: [${[...ids].join(', ')}] → ${JSON.stringify(tokenizer.decode(ids))}`);
const counted: MessageCount = tokenizer.countMessages([{ role: 'user', content: 'Hello!' }]);
show('countMessages', counted);
const docs: PackSection = { trim: 'drop-last', priority: 1 };
const packOptions: PackOptions = {
  prompt: Template.compile('Answer from these notes:\n{notes}\nQuestion: {question}'),
  data: { question: 'How high?' },
  sections: { notes: { ...docs, value: ['The Model 7 flies at 12 km.', 'It seats four.', 'It is built in Toulouse.'] } },
  maxTokens: 30,
  tokenizer,
};
const packed: PackResult = pack(packOptions);
const cuts: PackCut[] = packed.trimmed;
show('pack', `${packed.tokens} tokens, fits: ${packed.fits}, cuts: ${cuts.map((c) => `${c.action} ${c.section}[${c.index}]`).join(', ')}`);
show('estimate', estimateTokens('Hello, world!'));
try {
  tokenizer.count('<|endoftext|>');
} catch (error) {
  if (error instanceof SpecialTokenError) show('special token', error.code);
}
tokenizer.free();
// A rank table you hold (a .tiktoken file's bytes, or a rank object as js-tiktoken ships it).
const ranks: TiktokenRanks = { bpe_ranks: '! 0-93', special_tokens: {} };
const rankSource: RankSource = ranks;
void rankSource;

// ---------------------------------------------------------------------------------------------
// Models: a real provider would be openai({ model }) with OPENAI_API_KEY; nothing is sent here.
const retry: RetryOptions = { maxRetries: 1, initialDelay: 10 };
const common: ModelOptions = { model: 'unused', apiKey: 'sk-unused', retry };
const openaiOptions: OpenAIOptions = { ...common, model: 'gpt-4o-mini', baseURL: 'http://localhost:11434/v1' };
const anthropicOptions: AnthropicOptions = { ...common, model: 'claude-sonnet-4-5' };
const geminiOptions: GeminiOptions = { ...common, model: 'gemini-2.5-flash' };
const providers: Model[] = [openai(openaiOptions), anthropic(anthropicOptions), gemini(geminiOptions)];
show('providers', providers.map((m) => `${m.provider}/${m.modelId}`));
providers.forEach((m) => m.free());

const weather: ToolDefinition = { description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };
const replies: ScriptedReply[] = [
  { toolCalls: [{ name: 'weather', input: { city: 'Oslo' } }], usage: { inputTokens: 10, outputTokens: 5 } },
  { chunks: ['It is ', 'cold in Oslo.'], usage: { inputTokens: 20, outputTokens: 6 } },
];
const model: Model = scripted(replies);
const request: GenerateOptions = { system: 'Be brief.', prompt: 'Weather in Oslo?', tools: { weather } };
const first: Completion = await model.generate(request);
const toolCall: ToolCall | undefined = first.toolCalls[0];
const reason: FinishReason = first.finishReason;
show('tool call', `${toolCall?.name}(${JSON.stringify(toolCall?.input)}) finish: ${reason}`);
const answer: ModelStream = model.stream({ messages: [...(first.message ? [first.message] : []), { role: 'tool', tool_call_id: toolCall?.id ?? '', content: '-3 °C' }] });
const deltas: string[] = [];
for await (const event of answer) {
  const e: StreamEvent = event;
  if (e.type === 'text-delta') deltas.push(e.text);
}
const usage: Usage = (await answer.result).usage;
show('streamed answer', `${deltas.join('|')} (${usage.totalTokens} tokens)`);
const seen: ScriptedCall[] = model.calls;
show('calls', seen.map((c) => c.messages.length));
model.free();

// ---------------------------------------------------------------------------------------------
// Chains
const upper: Step<string, string> = (text: string) => text.toUpperCase();
const events: ChainEvent['type'][] = [];
let trace: TraceSpan | null = null;
const runOptions: RunOptions = { onEvent: (e: ChainEvent) => events.push(e.type), trace: (t: TraceSpan) => { trace = t; } };
const chain: Chain = pipe((q: string) => ({ q }), Template.compile('Q: {q}'), modelStep(scripted(['paris'])), upper).withName('capital');
show('pipe', await chain.invoke('Capital of France?', runOptions));
show('trace', `${(trace as TraceSpan | null)?.name} with ${(trace as TraceSpan | null)?.children.length} steps, ${events.length} events`);
show('parallel', await parallel({ double: (n: number) => n * 2, same: passthrough<number>() }).invoke(21));
show('assign', await assign({ size: (o: Record<string, unknown>) => String(o.name).length }).invoke({ name: 'Ada' }));
const sign = branch([(n: number) => n < 0, () => 'negative'], () => 'not negative');
const router = route((q: string) => (q.includes('+') ? 'math' : 'chat'), { math: (q: string) => q.split('+').reduce((s, x) => s + Number(x), 0), chat: (q: string) => `chat: ${q}` });
show('branch, route, map', [await sign.invoke(-1), await router.invoke('2+3'), await map((n: number) => n * n, { concurrency: 2 }).invoke([1, 2, 3])]);
let attempt = 0;
const flaky = withRetry(() => (++attempt < 2 ? Promise.reject(new Error('flaky')) : 'ok'), { attempts: 3, backoff: { initialDelay: 1, jitter: 0 } });
show('withRetry, withFallbacks', [await flaky.invoke(null), await withFallbacks([() => { throw new Error('down'); }, () => 'backup']).invoke(null)]);
show('batch', await pipe((n: number) => n + 1).batch([1, 2, 3], { concurrency: 2 }));
const ageModel = scripted(['{"age": "old"}', '{"age": 41}']);
show('reask', await reask(ageModel, { schema: { type: 'object', properties: { age: { type: 'integer' } }, required: ['age'] }, maxAttempts: 2 }).invoke('How old?'));
const recorder = record(scripted(replies));
const loop: Chain<string, ToolLoopResult> = toolLoop(recorder.model, {
  tools: { weather: { ...weather, execute: ({ city }: { city: string }) => ({ city, celsius: -3 }) } },
  maxSteps: 3,
});
const loopResult: ToolLoopResult = await loop.invoke('Weather in Oslo?');
show('toolLoop', `${loopResult.text} (${loopResult.steps} steps, ${loopResult.toolCalls.map((c) => c.output).join(', ')}; recorded ${recorder.replies.length} replies)`);
for await (const event of pipe(upper).stream('streamed')) if (event.type === 'final') show('stream', event.output);

// ---------------------------------------------------------------------------------------------
// Errors: one class per stable code.
function describe(error: unknown): string {
  if (!(error instanceof BridleError)) return `not a BridleError: ${String(error)}`;
  const code: ErrorCode = error.code;
  const kind =
    error instanceof TemplateSyntaxError ? `syntax at ${error.line}:${error.column}`
    : error instanceof TemplateRenderError ? `render (${String(error.details.variable)})`
    : error instanceof InvalidArgumentError ? 'invalid argument'
    : error instanceof UnsupportedError ? 'unsupported'
    : error instanceof LimitExceededError ? `limit ${String(error.details.limit)}`
    : error instanceof JsonParseError ? 'json'
    : error instanceof SchemaError ? 'schema'
    : error instanceof InternalError ? 'internal'
    : error instanceof GuardError ? `guard (${error.details.failures.map((f) => f.check).join(', ')})`
    : error instanceof BackendLoadError ? 'backend'
    : error instanceof AuthError ? 'auth'
    : error instanceof RateLimitError ? `rate limit (retry after ${error.details.retryAfter} ms)`
    : error instanceof ContextLengthError ? 'context length'
    : error instanceof ContentFilterError ? 'content filter'
    : error instanceof ServerError ? 'server'
    : error instanceof NetworkError ? 'network'
    : error instanceof TimeoutError ? 'timeout'
    : error instanceof AbortedError ? 'aborted'
    : error instanceof BadResponseError ? 'bad response'
    : error instanceof BadRequestError ? 'bad request'
    : error instanceof ModelError ? 'model'
    : 'other';
  return `${error.name} [${code}] ${kind}`;
}
const attempts: Array<() => unknown> = [
  () => Template.compile('Hello {name'),
  () => render('Hello {name}', {}),
  () => Template.compile('x', { syntax: 'klingon' as Syntax }),
  () => repairJson('nothing here'),
  () => people.parse('{"name": "Ada"}'),
  () => guard([checks.secrets({ onFail: 'block' })]).checkSync('token 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'),
];
for (const attemptIt of attempts) {
  try {
    attemptIt();
  } catch (error) {
    show('error', describe(error));
  }
}
const modelCodes: ErrorCode[] = ['auth', 'rate_limit', 'context_length', 'content_filter', 'server', 'network', 'timeout', 'bad_response', 'bad_request'];
for (const code of modelCodes) {
  try {
    await scripted([{ error: { code, retryAfter: 5 } }], { maxRetries: 0 }).generate({ prompt: 'x' });
  } catch (error) {
    show('model error', describe(error));
  }
}
try {
  await scripted([{ text: 'late', delay: 1000 }]).generate({ prompt: 'x', signal: AbortSignal.abort() });
} catch (error) {
  show('model error', describe(error));
}
const fields: BridleErrorFields = { code: 'unsupported', details: { feature: 'time travel' } };
for (const made of [new UnsupportedError('not yet', fields), new InternalError('a bug', { code: 'internal' }), new BackendLoadError('none', { code: 'backend_unavailable' }), new LimitExceededError('too deep', { code: 'limit_exceeded', details: { limit: 'depth' } })]) {
  show('constructed', describe(made));
}
