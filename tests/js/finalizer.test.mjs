// Templates that are never freed explicitly are freed when collected (FinalizationRegistry).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

test('collected templates release their compiled form in the backend', () => {
  const script = `
    import { Template, _debug } from 'bridle';
    const before = _debug.liveTemplates();
    const kept = Template.compile('{kept}');
    for (let i = 0; i < 2000; i++) Template.compile('x{a}' + i).render({ a: '1' });
    const peak = _debug.liveTemplates();
    for (let round = 0; round < 20 && _debug.liveTemplates() > before + 1; round++) {
      globalThis.gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    console.log(JSON.stringify({ before, peak, after: _debug.liveTemplates(), kept: kept.render({ kept: 'ok' }) }));
  `;
  const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script],
    { cwd: new URL('.', import.meta.url), encoding: 'utf8', env: process.env });
  const { before, peak, after, kept } = JSON.parse(out);
  assert.ok(peak >= before + 1000, `peak ${peak}`);
  assert.equal(after, before + 1, `still live after GC: ${after - before}`);
  assert.equal(kept, 'ok');
});
