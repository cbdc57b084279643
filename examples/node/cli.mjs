#!/usr/bin/env node
// A small command line over bridle:
//   node examples/node/cli.mjs render <template-file> --data data.json [--syntax mustache]
//   node examples/node/cli.mjs tokens <file> [--encoding o200k_base]
//   node examples/node/cli.mjs scan <file>
// Exit code 0 on success; 1 on an error, printed to stderr as `code: message`.
// BRIDLE_BACKEND=native|wasm picks a backend; `tokens` reads the rank table from js-tiktoken.
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { render, loadTokenizer, scan, BridleError } from 'bridle';

const USAGE = 'usage: cli.mjs render <template-file> --data <data.json> [--syntax fstring|mustache|handlebars|jinja]\n' +
  '       cli.mjs tokens <file> [--encoding o200k_base|cl100k_base|p50k_base|p50k_edit|r50k_base]\n' +
  '       cli.mjs scan <file>';

class UsageError extends Error {
  code = 'usage';
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    if (error instanceof SyntaxError) throw Object.assign(new Error(`${file}: ${error.message}`), { code: 'invalid_json' });
    throw error;
  }
}

const commands = {
  render(file, { data, syntax }) {
    if (data === undefined) throw new UsageError('render needs --data <data.json>');
    const text = render(readFileSync(file, 'utf8'), readJson(data), { syntax: syntax ?? 'fstring' });
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  },
  async tokens(file, { encoding }) {
    const tokenizer = await loadTokenizer(encoding ?? 'o200k_base');
    try {
      console.log(`${tokenizer.count(readFileSync(file, 'utf8'), { disallowedSpecial: [] })} tokens (${tokenizer.encoding})`);
    } finally {
      tokenizer.free();
    }
  },
  scan(file) {
    const findings = scan(readFileSync(file, 'utf8'));
    for (const f of findings) console.log(`${f.start}-${f.end} ${f.scanner} ${f.type}${f.score === undefined ? '' : ` score=${f.score}`}`);
    console.log(`${findings.length} finding${findings.length === 1 ? '' : 's'}`);
  },
};

try {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { data: { type: 'string' }, syntax: { type: 'string' }, encoding: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(USAGE);
  } else {
    const [command, file, ...rest] = positionals;
    if (!Object.hasOwn(commands, command ?? '')) throw new UsageError(command ? `unknown command '${command}'\n${USAGE}` : USAGE);
    if (file === undefined || rest.length > 0) throw new UsageError(`${command} takes one file\n${USAGE}`);
    await commands[command](file, values);
  }
} catch (error) {
  // Bridle's errors carry a stable code; Node's (ENOENT, ERR_PARSE_ARGS_*) have their own.
  const code = error instanceof BridleError ? error.code : (error?.code ?? error?.name ?? 'error');
  const message = String(error?.message ?? error);
  process.stderr.write(`${message.startsWith(`${code}: `) ? '' : `${code}: `}${message}\n`);
  process.exitCode = 1;
}
