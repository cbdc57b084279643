// The checks every runtime runs on its own copy of Bridle (Chromium page, workerd, Node):
// the shared vectors, a panic that must become `internal` and leave the module usable, and one
// sample render that must come out byte-identical everywhere.
import { runCase } from '../vectors/index.mjs';

export const SAMPLE = {
  source: 'Hello {name}! {{literal}} {data} — {emoji}',
  data: { name: 'Zoë', data: { n: [1, 2.5, 1e21], ok: true, none: null }, emoji: '😀' },
  expected: 'Hello Zoë! {literal} {"n":[1,2.5,1e+21],"ok":true,"none":null} — 😀',
};

/** Runs mustache spec cases (each {name, data, template, partials?, expected}); the count passed. */
function runMustache(bridle, cases) {
  let passed = 0;
  for (const test of cases) {
    try {
      const out = bridle.render(test.template, test.data, { syntax: 'mustache', escape: 'html', partials: test.partials ?? {} });
      if (out === test.expected) passed++;
    } catch {
      // counted as a failure
    }
  }
  return passed;
}

/** Runs Hugging Face chat-template cases ({template, context, expected}); the count passed. */
function runChatTemplates(bridle, cases) {
  let passed = 0;
  for (const c of cases) {
    try {
      // 2025-07-10T12:00:00Z, the time the expected outputs were rendered with.
      if (bridle.render(c.template, c.context, { syntax: 'jinja', now: 1752148800 }) === c.expected) passed++;
    } catch {
      // counted as a failure
    }
  }
  return passed;
}

export function runSuite(bridle, vectors, mustacheCases = [], chatCases = []) {
  const cases = vectors.cases.map((testCase) => {
    const { ok, problems } = runCase(bridle.Template, vectors.syntax, testCase);
    return { name: testCase.name, ok, problems };
  });
  let panic = null;
  try {
    bridle._debug.panic('runtime check');
  } catch (error) {
    panic = { name: error.name, code: error.code, isBridleError: error instanceof bridle.BridleError };
  }
  return {
    backend: bridle.backend,
    exports: Object.keys(bridle).filter((key) => key !== 'default').sort(),
    passed: cases.filter((c) => c.ok).length,
    mustache: { passed: runMustache(bridle, mustacheCases), total: mustacheCases.length },
    chat: { passed: runChatTemplates(bridle, chatCases), total: chatCases.length },
    failures: cases.filter((c) => !c.ok),
    panic,
    afterPanic: bridle.render('after {x}', { x: 'panic' }),
    sample: bridle.render(SAMPLE.source, SAMPLE.data),
  };
}
