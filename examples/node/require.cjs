// The same few calls as import.mjs, through CommonJS require: both print exactly the same.
// Run: node examples/node/require.cjs   (BRIDLE_BACKEND=native|wasm picks a backend)
const { backend, version, Template, render, applyChatTemplate, repairJson, redact, estimateTokens, scripted, TemplateRenderError } = require('bridle');

async function main() {
  console.log(`backend: ${backend}, core ${version}`);
  const prompt = Template.compile('Summarise {text} for {audience}.');
  console.log(`variables: ${prompt.variables.join(', ')}`);
  console.log(`render: ${prompt.render({ text: 'Rust is a language.', audience: 'a child' })}`);
  try {
    prompt.render({ text: 'no audience' });
  } catch (error) {
    if (!(error instanceof TemplateRenderError)) throw error;
    console.log(`error: ${error.code} ${error.details.variable} at ${error.line}:${error.column}`);
  }
  prompt.free();
  console.log(`mustache: ${render('{{#items}}[{{.}}]{{/items}}', { items: [1, 2, 3] }, { syntax: 'mustache' })}`);
  console.log(`chat template: ${JSON.stringify(applyChatTemplate('chatml', { messages: [{ role: 'user', content: 'Hi' }], addGenerationPrompt: true }))}`);
  const repaired = repairJson("{name: 'Ada', tags: ['x',],}");
  console.log(`repaired: ${repaired.json} (${repaired.repairs.map((r) => r.kind).join(', ')})`);
  console.log(`redacted: ${redact('Mail ana@example.com today', { pii: true }).text}`);
  console.log(`estimate: ${estimateTokens('Hello, world!').tokens} tokens`);
  const { text, usage } = await scripted([{ text: 'Hello from the scripted model', usage: { inputTokens: 3, outputTokens: 5 } }]).generate({ prompt: 'Hi' });
  console.log(`model: ${text} (${usage.totalTokens} tokens)`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
