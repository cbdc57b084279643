// Differential test against LangChain.js itself (@langchain/core's interpolateFString) on
// seeded random templates and values: same output, or an error of the matching kind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { interpolateFString } from '@langchain/core/prompts';
import { Template } from 'bridle';
import { Rng } from '../../../shared/bench/workloads/rng.mjs';

const PIECES = ['{', '}', '{{', '}}', 'a', 'b', 'é', ' ', '\n', '😀', '{a}', '{b}', '{ a }', 'text'];
const VALUES = ['x', '', '{b}', 'é😀', 0, -1.5, 1e21, true, null, [1, 'two'], { k: [null] }];

test('agrees with @langchain/core interpolateFString on 5000 random cases', () => {
  const rng = new Rng(2024);
  let agree = 0;
  const disagreements = [];
  const total = 5000;
  for (let i = 0; i < total; i++) {
    let source = '';
    for (let n = rng.int(0, 8); n > 0; n--) source += rng.pick(PIECES);
    const data = {};
    if (rng.chance(0.8)) data.a = rng.pick(VALUES);
    if (rng.chance(0.8)) data.b = rng.pick(VALUES);
    if (rng.chance(0.2)) data[' a '] = rng.pick(VALUES);
    let expected;
    let expectedKind;
    try {
      expected = interpolateFString(source, data);
    } catch (e) {
      expectedKind = /Missing value/.test(e.message) ? 'missing_variable' : 'template_syntax';
    }
    let actual;
    let actualKind;
    try {
      actual = Template.compile(source).render(data);
    } catch (e) {
      actualKind = e.code;
    }
    if (actual === expected && actualKind === expectedKind) agree++;
    else disagreements.push({ source, data, expected, expectedKind, actual, actualKind });
  }
  console.log(`langchain f-string differential: ${agree}/${total} agree`);
  assert.deepEqual(disagreements.slice(0, 5), []);
});
