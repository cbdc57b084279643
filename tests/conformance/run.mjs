// `npm run conformance`: one line per suite and backend, `conformance <suite> <backend>: <passed>/<total>`.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

if (process.argv[2] === '--child') {
  const bridle = await import('bridle');
  const { runSuites } = await import('./suites.mjs');
  for (const suite of runSuites(bridle)) console.log(`conformance ${suite.name} ${bridle.backend}: ${suite.passed}/${suite.total}`);
} else {
  for (const backend of ['native', 'wasm']) {
    process.stdout.write(execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child'], {
      cwd: fileURLToPath(new URL('.', import.meta.url)),
      env: { ...process.env, BRIDLE_BACKEND: backend },
      encoding: 'utf8',
    }));
  }
}
