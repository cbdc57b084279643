// Python's Jinja2, configured as transformers renders chat templates (jinja_reference.py), as one
// long-lived subprocess: cases go in as JSON lines, results come back as JSON lines.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The venv tests/differential/setup-python.sh makes. */
export const PYTHON = fileURLToPath(new URL('../../.tools/py/bin/python', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./jinja_reference.py', import.meta.url));

export const pythonAvailable = () => existsSync(PYTHON);

export class PythonJinja {
  #child;
  #pending = new Map();
  #next = 0;
  #failure = null;

  constructor() {
    this.#child = spawn(PYTHON, [SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.#child.on('error', (error) => this.#fail(error));
    this.#child.on('exit', (code) => this.#fail(new Error(`jinja_reference.py exited with ${code}`)));
    createInterface({ input: this.#child.stdout }).on('line', (line) => {
      const result = JSON.parse(line);
      this.#pending.get(result.id)?.(result);
      this.#pending.delete(result.id);
    });
  }

  #fail(error) {
    this.#failure ??= error;
    for (const [id, resolve] of this.#pending) resolve({ id, ok: false, kind: 'ProcessError', message: error.message });
    this.#pending.clear();
  }

  /**
   * Renders `cases` (`{ template, context, now, flags? }`) to `{ ok, output }` or
   * `{ ok: false, kind, message }`, in order.
   */
  renderAll(cases) {
    return Promise.all(cases.map((c) => new Promise((resolve) => {
      const id = this.#next++;
      if (this.#failure) return resolve({ ok: false, kind: 'ProcessError', message: this.#failure.message });
      this.#pending.set(id, resolve);
      this.#child.stdin.write(`${JSON.stringify({ id, template: c.template, context: c.context, now: c.now, flags: c.flags ?? [] })}\n`);
    })));
  }

  close() {
    this.#child.stdin.end();
  }
}
