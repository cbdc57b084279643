// Tokens: the tiktoken-compatible tokenizer, message counting, estimates and budget packing
// (`bridle::tokens`). The rank table is bytes the caller supplies (or, in Node, read from a
// registry package that ships it); nothing is downloaded.

import { call, describe, finalizerFor, invalidArgument, owned } from './facade.js';

/** The special-token policy as the core takes it: a mode, and JSON for the custom case. */
function policyArgs(options) {
  if (options === undefined || options === null) return [0, ''];
  if (typeof options !== 'object') throw invalidArgument(`encode options must be an object, not ${describe(options)}`);
  const { allowedSpecial, disallowedSpecial, ...rest } = options;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) throw invalidArgument(`unknown encode option '${unknown}'`);
  if (allowedSpecial === undefined && disallowedSpecial === undefined) return [0, ''];
  if (allowedSpecial === 'all' && disallowedSpecial === undefined) return [1, ''];
  const isEmpty = (set) => Array.isArray(set) && set.length === 0;
  if ((allowedSpecial === undefined || isEmpty(allowedSpecial)) && isEmpty(disallowedSpecial)) return [2, ''];
  return [3, JSON.stringify({ allowed: allowedSpecial ?? null, disallowed: disallowedSpecial ?? null })];
}

function expectText(what, text) {
  if (typeof text !== 'string') throw invalidArgument(`${what} takes a string, not ${describe(text)}`);
}

function idsOf(ids) {
  if (ids instanceof Uint32Array) return ids;
  if (Array.isArray(ids) || ArrayBuffer.isView(ids)) {
    const out = new Uint32Array(ids.length);
    for (let i = 0; i < ids.length; i++) {
      const id = Number(ids[i]);
      if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) throw invalidArgument(`token ids must be whole numbers, not ${ids[i]} at index ${i}`);
      out[i] = id;
    }
    return out;
  }
  throw invalidArgument(`decode takes an array or Uint32Array of token ids, not ${describe(ids)}`);
}

const utf8 = new TextEncoder();

/**
 * Rank-table bytes from what a caller may hold: bytes (`Uint8Array`, `ArrayBuffer`), a
 * `Response`, or a js-tiktoken / tiktoken rank object (`{ pat_str, special_tokens, bpe_ranks }`).
 * Returns `{ bytes, encoding }` (the encoding when the object tells it).
 */
async function ranksFrom(source, fetchUrl) {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (typeof Response === 'function' && source instanceof Response) return new Uint8Array(await source.arrayBuffer());
  if (source instanceof URL || typeof source === 'string') return fetchUrl(source);
  return ranksSync(source);
}

function ranksSync(source) {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  if (source !== null && typeof source === 'object' && typeof source.bpe_ranks === 'string') return utf8.encode(source.bpe_ranks);
  throw invalidArgument(
    `ranks must be the bytes of a rank table (Uint8Array, ArrayBuffer), a Response, a URL, or a js-tiktoken/tiktoken rank object, not ${describe(source)}`,
  );
}

/** p50k_base and p50k_edit share a rank table: the object's special tokens tell them apart. */
function encodingOf(source, options) {
  if (options?.encoding !== undefined) {
    if (typeof options.encoding !== 'string') throw invalidArgument(`options.encoding must be a string, not ${describe(options.encoding)}`);
    return options.encoding;
  }
  const specials = source?.special_tokens;
  if (specials && specials['<|fim_prefix|>'] === 50281) return 'p50k_edit';
  return '';
}

export function createTokensApi(getBackend, { Template, ChatPrompt, chatPrompt, normalizeMessages, loadRanks = null }) {
  const tokenizers = finalizerFor('tokenizerFree');
  const packers = finalizerFor('packerFree');
  const CONSTRUCT = Symbol('construct');

  class Tokenizer {
    #owned;
    #info = null;

    constructor(token, table, encoding) {
      if (token !== CONSTRUCT) throw invalidArgument('use Tokenizer.fromRanks(ranks) or await loadTokenizer(encoding) to create a tokenizer');
      const backend = getBackend();
      const handle = call(backend, () => backend.tokenizerLoad(table, encoding));
      this.#owned = owned(this, backend, handle, 'tokenizer', tokenizers, (live) => backend.tokenizerFree(live));
    }

    /**
     * A tokenizer from a rank table the caller holds: its bytes (`.tiktoken` file, tiktoken's
     * `encoders/*.json`), or a js-tiktoken / tiktoken rank object. `options.encoding` names it
     * (`o200k_base`, `cl100k_base`, `p50k_base`, `p50k_edit`, `r50k_base`); without it the
     * table's size tells.
     */
    static fromRanks(ranks, options) {
      return new Tokenizer(CONSTRUCT, ranksSync(ranks), encodingOf(ranks, options));
    }

    #details() {
      this.#info ??= JSON.parse(this.#owned.call((backend, handle) => backend.tokenizerInfo(handle)));
      return this.#info;
    }

    /** The encoding's name, e.g. `o200k_base`. */
    get encoding() {
      return this.#details().encoding;
    }

    /** One more than the highest token id, special tokens included. */
    get vocabSize() {
      return this.#details().vocabSize;
    }

    /** The special tokens and their ids. */
    get specialTokens() {
      return { ...this.#details().specialTokens };
    }

    /**
     * The token ids of `text`. Special tokens as tiktoken treats them: by default one in the
     * text is an error (`SpecialTokenError`); `allowedSpecial: 'all' | [...]` encodes it as its
     * id, `disallowedSpecial: []` lets it through as ordinary text.
     */
    encode(text, options) {
      expectText('encode', text);
      const [mode, custom] = policyArgs(options);
      return this.#owned.call((backend, handle) => backend.tokenizerEncode(handle, text, mode, custom));
    }

    /** How many tokens `text` has (the same options as `encode`). */
    count(text, options) {
      expectText('count', text);
      const [mode, custom] = policyArgs(options);
      return this.#owned.call((backend, handle) => backend.tokenizerCount(handle, text, mode, custom));
    }

    /** The text of token ids; bytes that do not form UTF-8 (a split character) become U+FFFD. */
    decode(ids) {
      const array = idsOf(ids);
      return this.#owned.call((backend, handle) => backend.tokenizerDecode(handle, array));
    }

    /** The bytes of token ids. */
    decodeBytes(ids) {
      const array = idsOf(ids);
      return this.#owned.call((backend, handle) => backend.tokenizerDecodeBytes(handle, array));
    }

    /**
     * The tokens a chat request's messages take in OpenAI's format, with the documented
     * overhead (3 per message, 1 per name, 3 for the reply): `{ tokens, perMessage, exact }`.
     * `exact` is false when a part has no documented rule (tool calls, images of unknown size).
     */
    countMessages(messages) {
      const json = JSON.stringify(normalizeMessages(messages));
      return JSON.parse(this.#owned.call((backend, handle) => backend.tokenizerCountMessages(handle, json)));
    }

    /** `pack(options)` with this tokenizer counting: see `pack`. */
    pack(options) {
      return pack({ ...options, tokenizer: this });
    }

    /** Releases the rank table now; idempotent. */
    free() {
      this.#owned.free();
    }

    [Symbol.dispose]() {
      this.free();
    }

    /** @internal the live handle, for packers. */
    static handleOf(tokenizer) {
      return tokenizer.#owned.call((_backend, handle) => handle);
    }
  }

  /**
   * A tokenizer for an encoding (`o200k_base` ...) or an OpenAI model name (`gpt-4o`).
   * `options.ranks` is the rank table: bytes, a `Response`, a URL to fetch, or a js-tiktoken /
   * tiktoken rank object. Without it, Node reads the table from an installed registry package
   * (`js-tiktoken`, else `tiktoken`); elsewhere `ranks` is required.
   */
  async function loadTokenizer(name, options = {}) {
    if (typeof name !== 'string') throw invalidArgument(`loadTokenizer takes an encoding or model name, not ${describe(name)}`);
    const encoding = KNOWN.includes(name) ? name : encodingForModel(name);
    if (encoding === undefined) {
      throw invalidArgument(`'${name}' is neither an encoding (${KNOWN.join(', ')}) nor an OpenAI model with a known encoding`);
    }
    let source = options.ranks;
    if (source === undefined) {
      if (loadRanks === null) {
        throw invalidArgument(
          `loadTokenizer('${name}') needs options.ranks here: the rank table's bytes, a Response or URL of it, or the rank object of js-tiktoken/ranks/${encoding}`,
        );
      }
      source = await loadRanks(encoding);
    }
    const table = await ranksFrom(source, async (url) => {
      const response = await fetch(url);
      if (!response.ok) throw invalidArgument(`fetching the rank table ${url} answered HTTP ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    });
    return new Tokenizer(CONSTRUCT, table, encoding);
  }

  const KNOWN = ['o200k_base', 'cl100k_base', 'p50k_base', 'p50k_edit', 'r50k_base', 'gpt2'];

  /** The encoding of an OpenAI model name (`gpt-4o` → `o200k_base`), or undefined. */
  function encodingForModel(model) {
    if (typeof model !== 'string') throw invalidArgument(`encodingForModel takes a model name, not ${describe(model)}`);
    const backend = getBackend();
    return call(backend, () => backend.encodingForModel(model)) || undefined;
  }

  /**
   * An estimate of the tokens of a text, or of a message list (OpenAI's per-message overhead
   * included), for models without a public tokenizer: `{ tokens, estimate: true }`.
   */
  function estimateTokens(input) {
    const backend = getBackend();
    if (typeof input === 'string') return { tokens: call(backend, () => backend.estimateTokens(input)), estimate: true };
    const json = JSON.stringify(normalizeMessages(input));
    const { tokens, perMessage } = JSON.parse(call(backend, () => backend.estimateMessages(json)));
    return { tokens, perMessage, estimate: true };
  }

  const SECTION_KEYS = ['name', 'value', 'trim', 'priority', 'keep', 'minTokens', 'field'];

  function sectionsOf(sections, data) {
    const list = Array.isArray(sections)
      ? sections
      : sections !== null && typeof sections === 'object'
        ? Object.entries(sections).map(([name, section]) => ({ name, ...section }))
        : null;
    if (list === null) throw invalidArgument(`options.sections must be an array or an object of sections, not ${describe(sections)}`);
    return list.map((section, index) => {
      const unknown = Object.keys(section).find((key) => !SECTION_KEYS.includes(key));
      if (unknown !== undefined) throw invalidArgument(`unknown option '${unknown}' in section ${section.name ?? index}`);
      return section.value === undefined ? { ...section, value: data?.[section.name] ?? null } : section;
    });
  }

  /** The prompt as something with `render(data)`, and whether it renders messages. */
  function promptOf(prompt) {
    if (prompt === undefined || prompt === null) return null;
    if (prompt instanceof ChatPrompt) return { render: (data) => prompt.render(data), messages: true };
    if (prompt instanceof Template) return { render: (data) => prompt.render(data), messages: false };
    if (typeof prompt === 'string') {
      const template = Template.compile(prompt);
      return { render: (data) => template.render(data), messages: false, free: () => template.free() };
    }
    if (Array.isArray(prompt)) {
      const compiled = chatPrompt(prompt);
      return { render: (data) => compiled.render(data), messages: true, free: () => compiled.free?.() };
    }
    throw invalidArgument(`options.prompt must be a ChatPrompt, a Template, a template string or chat entries, not ${describe(prompt)}`);
  }

  const PACK_KEYS = ['prompt', 'data', 'sections', 'maxTokens', 'reserve', 'tokenizer'];

  /**
   * Packs a prompt into `maxTokens - reserve`: sections (data values with a trim rule and a
   * priority) are cut, lowest priority first, until the rendered prompt's exact count fits.
   * Returns `{ messages | text, values, tokens, fits, budget, overflow, trimmed, sections, estimated }`.
   * Without a `tokenizer` the counts are estimates (and `estimated` says so).
   */
  function pack(options) {
    if (options === null || typeof options !== 'object') throw invalidArgument(`pack takes an options object, not ${describe(options)}`);
    const unknown = Object.keys(options).find((key) => !PACK_KEYS.includes(key));
    if (unknown !== undefined) throw invalidArgument(`unknown pack option '${unknown}'`);
    const { prompt, data = {}, sections, maxTokens, reserve, tokenizer } = options;
    if (tokenizer !== undefined && !(tokenizer instanceof Tokenizer)) {
      throw invalidArgument(`options.tokenizer must be a Tokenizer, not ${describe(tokenizer)}`);
    }
    const list = sectionsOf(sections, data);
    const renderer = promptOf(prompt);
    const backend = getBackend();
    const spec = JSON.stringify({ maxTokens, reserve, sections: list });
    const handle = call(backend, () => backend.packerNew(spec, tokenizer === undefined ? undefined : Tokenizer.handleOf(tokenizer)));
    const countMessages = (messages) => (tokenizer === undefined ? estimateTokens(messages).tokens : tokenizer.countMessages(messages).tokens);
    const countText = (text) => (tokenizer === undefined ? estimateTokens(text).tokens : tokenizer.count(text, { disallowedSpecial: [] }));
    try {
      for (;;) {
        const values = JSON.parse(call(backend, () => backend.packerValues(handle)));
        let output;
        let tokens;
        if (renderer === null) {
          output = list.flatMap((section) => {
            const value = values[section.name];
            if (!Array.isArray(value)) throw invalidArgument(`without a prompt, every section must be a list of messages; '${section.name}' is not`);
            return value;
          });
          tokens = countMessages(output);
        } else {
          output = renderer.render({ ...data, ...values });
          tokens = renderer.messages ? countMessages(output) : countText(output);
        }
        if (call(backend, () => backend.packerObserve(handle, tokens))) {
          const report = JSON.parse(call(backend, () => backend.packerReport(handle)));
          const rendered = renderer === null || renderer.messages ? { messages: output } : { text: output };
          return { ...rendered, values, ...report };
        }
      }
    } finally {
      backend.packerFree(handle);
      renderer?.free?.();
    }
  }

  return { Tokenizer, loadTokenizer, encodingForModel, estimateTokens, pack };
}

