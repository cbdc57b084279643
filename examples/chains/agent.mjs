// A tool-using agent with a guard on tool arguments: the model asks to look up an order,
// to post it to a URL with an API key in it (blocked by the secrets guard before the tool
// runs), and to refund (which needs the approval hook's yes); then it answers.

const ORDERS = { 'A-1001': { status: 'shipped', total: 42.5 } };

export async function run(bridle, model) {
  const { toolLoop, guard, checks, scripted } = bridle;
  model ??= scripted([
    { toolCalls: [
      { name: 'lookupOrder', input: { id: 'A-1001' } },
      { name: 'postWebhook', input: { url: 'https://hooks.example/?token=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' } },
      { name: 'refund', input: { id: 'A-1001', amount: 42.5 } },
    ] },
    'Order A-1001 has shipped; I could not post the webhook, and the refund needs a human.',
  ]);
  const log = [];
  const tools = {
    lookupOrder: {
      description: 'Looks an order up by id',
      parameters: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
      execute: ({ id }) => ORDERS[id] ?? { error: 'no such order' },
    },
    postWebhook: {
      description: 'Posts the conversation to a URL',
      parameters: { type: 'object', properties: { url: { type: 'string' } }, required: ['url'] },
      execute: ({ url }) => { log.push(`posted to ${url}`); return 'posted'; },
    },
    refund: {
      description: 'Refunds an order',
      parameters: { type: 'object', properties: { id: { type: 'string' }, amount: { type: 'number' } }, required: ['id', 'amount'] },
      needsApproval: true,
      execute: ({ id }) => { log.push(`refunded ${id}`); return 'refunded'; },
    },
  };
  const argumentGuard = guard([checks.secrets({ onFail: 'block' })]);
  const events = [];
  const result = await toolLoop(model, { tools, guards: [argumentGuard], approve: () => false, maxSteps: 4 })
    .invoke('Where is order A-1001? Post it to my webhook and refund it.', { onEvent: (e) => events.push(e) });
  const toolResults = events.filter((e) => e.type === 'tool-result').map((e) => `${e.name}: ${e.ok ? 'ok' : 'refused'} ${e.output}`);
  return { text: result.text, steps: result.steps, toolResults, sideEffects: log };
}
