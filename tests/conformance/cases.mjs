// How each public suite's cases run through Bridle's public API. Pure (no file access), so
// Node, the Chromium page and the workerd worker run the very same code on the cases they load.

/** 2025-07-10T12:00:00Z, the time the expected chat-template outputs were rendered with. */
export const HF_NOW = 1752148800;

/** Runs cases to counts: `run(case)` returns whether it passed and, if not, what happened. */
function tally(name, cases, run) {
  let passed = 0;
  const failures = [];
  for (const c of cases) {
    const { ok, label, output } = run(c);
    if (ok) passed++;
    else failures.push(`${label}: ${JSON.stringify(output).slice(0, 200)}`);
  }
  return { name, passed, total: cases.length, failures };
}

/** The output of `body()`, or the code and message of what it threw. */
function attempt(body) {
  try {
    return { output: body(), threw: false };
  } catch (error) {
    return { output: `${error.code}: ${error.message}`, threw: true };
  }
}

/** A spec's code object (`{__tag__: 'code', js}` or `{'!code': true, javascript}`) as a function. */
function evaluateCode(source, handlebars) {
  // Sloppy mode on purpose: one lambda counts its calls on the global object through `this`.
  // handlebars.js's spec helpers assert with its test harness's `equals`/`equal`.
  return new Function('Handlebars', 'equals', 'equal', `return (${source});`)(handlebars, assertEqual, assertEqual);
}

function assertEqual(actual, expected, message) {
  if (actual !== expected) throw new Error(message ?? `expected ${String(expected)}, got ${String(actual)}`);
}

/** `value` with every code object replaced by the function it holds (needs `eval`: not in Workers). */
export function withFunctions(value, handlebars) {
  if (Array.isArray(value)) return value.map((item) => withFunctions(item, handlebars));
  if (value === null || typeof value !== 'object') return value;
  if (value.__tag__ === 'code') return evaluateCode(value.js, handlebars);
  if (value['!code'] === true) return evaluateCode(value.javascript, handlebars);
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withFunctions(item, handlebars)]));
}

/** Whether a case holds code: a lambda or helper the runtime must evaluate. */
export function needsCode(value) {
  if (value === null || typeof value !== 'object') return false;
  if (value['!code'] === true || value.__tag__ === 'code') return true;
  return Object.values(value).some(needsCode);
}

/** Mustache spec cases (`{name, data, template, partials?, expected}`), with `escape: "html"`. */
export function runMustache(bridle, name, cases) {
  return tally(name, cases, (test) => {
    const { output } = attempt(() => bridle.render(test.template, withFunctions(test.data), {
      syntax: 'mustache', escape: 'html', partials: test.partials ?? {},
    }));
    return { ok: output === test.expected, label: `${test.file ?? ''} / ${test.name}`, output };
  });
}

/** Hugging Face chat-template cases (`{name, template, context, expected}`). */
export function runChatTemplates(bridle, cases) {
  return tally('hf-chat-templates', cases, (c) => {
    const { output } = attempt(() => bridle.render(c.template, c.context, { syntax: 'jinja', now: HF_NOW }));
    return { ok: output === c.expected, label: c.name, output };
  });
}

/** What handlebars.js offers the spec's helpers: `Handlebars.SafeString` and friends. */
export function handlebarsShim(bridle) {
  const escapes = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '`': '&#x60;', '=': '&#x3D;' };
  const escapeExpression = (value) => {
    if (value != null && typeof value.toHTML === 'function') return value.toHTML();
    if (value == null) return '';
    if (!value) return String(value);
    return String(value).replace(/[&<>"'`=]/g, (c) => escapes[c]);
  };
  return {
    SafeString: bridle.SafeString,
    escapeExpression,
    Utils: { escapeExpression },
    createFrame: (frame) => ({ ...frame, _parent: frame }),
  };
}

/** The handlebars.js compile options the spec uses, as Bridle options. */
function handlebarsOptions(compileOptions = {}) {
  // knownHelpers only speeds handlebars.js up; stringParams and trackIds are its internals.
  const { strict, noEscape, knownHelpers, stringParams, trackIds, ...flags } = compileOptions;
  return {
    syntax: 'handlebars',
    escape: noEscape ? 'none' : 'html',
    ...(strict === undefined ? {} : { strict }),
    handlebars: flags,
  };
}

/** Whether a handlebars.js spec case needs JavaScript (helpers, or functions in its data). */
export function isHandlebarsCodeCase(test) {
  return 'helpers' in test || needsCode(test);
}

/**
 * handlebars.js spec cases (`{description, it, template, data, partials?, helpers?,
 * compileOptions?, runtimeOptions?, expected | exception}`); helpers and data functions are
 * evaluated and registered through the public API. An `exception` case passes if it throws.
 */
export function runHandlebars(bridle, name, cases) {
  const shim = handlebarsShim(bridle);
  return tally(name, cases, (test) => {
    const { output, threw } = attempt(() => {
      const options = handlebarsOptions(test.compileOptions);
      if (test.partials) options.partials = test.partials;
      if (test.helpers) options.helpers = withFunctions(test.helpers, shim);
      const template = bridle.Template.compile(test.template, options);
      try {
        // handlebars.js's `template(context, { data })`: the first @data frame.
        const data = test.runtimeOptions?.data;
        const context = withFunctions(test.data, shim);
        return data && typeof data === 'object' ? template.render(context, { data: withFunctions(data, shim) }) : template.render(context);
      } finally {
        template.free();
      }
    });
    const ok = test.exception ? threw : output === test.expected;
    return { ok, label: `${test.file ?? ''} / ${test.description} / ${test.it}`, output };
  });
}

/** Structural equality of JSON values (key order aside). */
function sameJson(a, b) {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && sameJson(a[key], b[key]));
}

/**
 * Dotprompt spec groups (`{name, template, partials?, resolverPartials?, schemas?, data?,
 * tests: [{desc, data, options, expect}]}`), checked as google/dotprompt's own runner does: the
 * render without `raw` equals `expect` without `raw` (`ext`, `config`, `metadata` default to
 * `{}`), `raw` when `expect` has it, and `renderMetadata` equals `expect` without `messages`.
 */
export function runDotprompt(bridle, groups) {
  const cases = groups.flatMap((group) => (group.tests ?? []).map((test) => ({ group, test })));
  return tally('dotprompt', cases, ({ group, test }) => {
    const label = `${group.file ?? ''} / ${group.name} / ${test.desc ?? ''}`;
    const expected = (drop) => {
      const out = { ext: {}, config: {}, metadata: {}, ...test.expect };
      for (const key of drop) delete out[key];
      return out;
    };
    const pruned = ({ raw, ...rest }) => rest;
    const { output } = attempt(() => {
      const prompt = bridle.loadPrompt(group.template, {
        partials: { ...group.partials, ...group.resolverPartials },
        schemas: group.schemas ?? {},
      });
      try {
        const rendered = prompt.render({ ...group.data, ...test.data }, test.options ?? {});
        if ('raw' in test.expect && !sameJson(rendered.raw, test.expect.raw)) return { problem: 'raw', rendered };
        if (!sameJson(pruned(rendered), expected(['raw']))) return { problem: 'render', rendered };
        const metadata = prompt.renderMetadata(test.options ?? {});
        if (!sameJson(pruned(metadata), expected(['messages', 'raw']))) return { problem: 'renderMetadata', metadata };
        return 'ok';
      } finally {
        prompt.free();
      }
    });
    return { ok: output === 'ok', label, output };
  });
}

/** The value at a dotted path. */
function lookup(tree, path) {
  return path.split('.').reduce((value, key) => (value === undefined || value === null ? undefined : value[key]), tree);
}

/**
 * Prompty vectors (tests/vectors/prompty.json, checked against Prompty 2.1.0 by
 * scripts/prompty-reference.py): loadPrompt + render of each case compared with `expected`
 * (messages, front-matter values, or an error code with details).
 */
export function runPrompty(bridle, vectors) {
  return tally('prompty-vectors', vectors.cases, (c) => {
    const problem = promptyProblem(bridle, c);
    return { ok: problem === null, label: c.name, output: problem };
  });
}

function promptyProblem(bridle, c) {
  let prompt;
  let out;
  try {
    prompt = bridle.loadPrompt(c.source, { format: 'prompty', env: c.env ?? {}, files: c.files ?? {} });
    out = prompt.render(c.inputs);
  } catch (error) {
    if (c.expected.error === undefined) return `unexpected error ${error.code}: ${error.message}`;
    if (error.code !== c.expected.error) return `error ${error.code} (${error.message}) instead of ${c.expected.error}`;
    for (const [key, want] of Object.entries(c.expected.details ?? {})) {
      if (error.details?.[key] !== want) return `details.${key} is ${JSON.stringify(error.details?.[key])}, not ${JSON.stringify(want)}`;
    }
    return null;
  } finally {
    prompt?.free();
  }
  if (c.expected.error !== undefined) return `expected error ${c.expected.error}, got ${JSON.stringify(out.messages)}`;
  if (!sameJson(out.messages, c.expected.messages)) return `messages ${JSON.stringify(out.messages)}`;
  for (const [path, want] of Object.entries(c.expected.values ?? {})) {
    // The render carries the front matter's fields too.
    if (!sameJson(lookup(prompt.frontMatter, path), want)) return `${path} is ${JSON.stringify(lookup(prompt.frontMatter, path))}`;
    if (!sameJson(lookup(out, path), want)) return `render's ${path} is ${JSON.stringify(lookup(out, path))}`;
  }
  return null;
}
