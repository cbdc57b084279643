// The message model through the public API, on the shared vectors (tests/vectors/messages.json,
// also run by core/tests/messages.rs): OpenAI ↔ Anthropic ↔ Gemini round trips, real provider
// request bodies, and validation errors with their codes and positions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { normalizeMessages, toAnthropic, fromAnthropic, toGemini, fromGemini, InvalidArgumentError } from 'bridle';

const vectors = JSON.parse(readFileSync(new URL('../vectors/messages.json', import.meta.url), 'utf8'));
const CALLS = { parseOpenai: normalizeMessages, toAnthropic, fromAnthropic, toGemini, fromGemini };

test('round trips: OpenAI → provider → OpenAI, and provider again', () => {
  let checks = 0;
  for (const c of vectors.roundTrips) {
    assert.deepEqual(normalizeMessages(c.openai), c.openai, `${c.name}: normalize`);
    checks++;
    for (const [provider, to, from] of [['anthropic', toAnthropic, fromAnthropic], ['gemini', toGemini, fromGemini]]) {
      // A vector without this provider's shape is one the provider cannot take (audio for
      // Anthropic): the errors section covers that.
      if (c[provider] === undefined) continue;
      assert.deepEqual(to(c.openai), c[provider], `${c.name}: to ${provider}`);
      const back = from(c[provider]);
      const key = `openaiFrom${provider[0].toUpperCase()}${provider.slice(1)}`;
      assert.deepEqual(back, c[key] ?? c.openai, `${c.name}: from ${provider}`);
      assert.deepEqual(to(back), c[`${provider}Again`] ?? c[provider], `${c.name}: ${provider} again`);
      checks += 3;
    }
  }
  console.log(`message round trips: ${vectors.roundTrips.length} cases, ${checks} checks`);
});

test('real provider request bodies read as OpenAI messages', () => {
  for (const c of vectors.providerInputs) {
    const out = c.anthropic !== undefined ? fromAnthropic(c.anthropic) : fromGemini(c.gemini);
    assert.deepEqual(out, c.openai, c.name);
  }
});

test('invalid messages are typed errors with the position of the bad one', () => {
  for (const c of vectors.errors) {
    assert.throws(() => CALLS[c.call](c.input), (e) => {
      assert.equal(e.code, c.code, `${c.name}: ${e.message}`);
      if (c.index !== undefined) assert.equal(e.details.index, c.index, c.name);
      return true;
    }, c.name);
  }
  assert.throws(() => toAnthropic('hi'), InvalidArgumentError);
});
