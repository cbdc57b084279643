// Hugging Face chat templates through the public API: built-in templates, a model's own
// source, options under JavaScript names, errors. The 53 real templates run in conformance.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyChatTemplate, chatTemplates, _debug, TemplateRenderError, InvalidArgumentError, TemplateSyntaxError } from 'bridle';

const conversation = [
  { role: 'user', content: 'Hi there' },
  { role: 'assistant', content: 'Hello!' },
  { role: 'user', content: 'What is 2+2?' },
];

test('the built-in templates are the core\'s', () => {
  assert.deepEqual([...chatTemplates], _debug.chatTemplateNames());
  assert.ok(Object.isFrozen(chatTemplates));
});

test('built-in templates render their model formats, with their own special tokens', () => {
  assert.equal(applyChatTemplate('chatml', { messages: conversation, addGenerationPrompt: true }),
    '<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n');
  assert.equal(applyChatTemplate('llama3', { messages: conversation.slice(0, 1) }),
    '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi there<|eot_id|>');
  assert.equal(applyChatTemplate('mistral', { messages: conversation.slice(0, 2) }), '<s>[INST] Hi there [/INST]Hello!</s>');
  assert.equal(applyChatTemplate('gemma', { messages: conversation.slice(0, 1), addGenerationPrompt: true, bosToken: '' }),
    '<start_of_turn>user\nHi there<end_of_turn>\n<start_of_turn>model\n');
});

test('a model\'s own template gets transformers\' variable names and any extra ones', () => {
  const source = "{{ bos_token }}{% for m in messages %}[{{ m.role }}:{{ m.content }}]{% endfor %}{% if add_generation_prompt %}>{% endif %}{{ enable_thinking }} {{ strftime_now('%Y') }}";
  const out = applyChatTemplate(source, { messages: conversation.slice(0, 1), addGenerationPrompt: true, bosToken: '<s>', enable_thinking: false, now: new Date('2025-07-10T00:00:00Z') });
  assert.equal(out, '<s>[user:Hi there]>False 2025');
});

test('the template\'s own errors and bad options are typed', () => {
  assert.throws(() => applyChatTemplate('mistral', { messages: [{ role: 'system', content: 'x' }] }),
    (e) => e instanceof TemplateRenderError && /alternate/.test(e.message));
  assert.throws(() => applyChatTemplate('{% for %}', { messages: [] }), TemplateSyntaxError);
  assert.throws(() => applyChatTemplate('chatml', {}), InvalidArgumentError);
  assert.throws(() => applyChatTemplate('chatml', { messages: 'hi' }), (e) => e.code === 'invalid_message');
  assert.throws(() => applyChatTemplate(42, { messages: [] }), InvalidArgumentError);
  assert.throws(() => applyChatTemplate('chatml'), InvalidArgumentError);
});
