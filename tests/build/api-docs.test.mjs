// The API reference builds from index.d.ts with TypeDoc (typedoc.json, as scripts/api-docs.mjs
// runs it) without a single warning or error, has a page for every name the package exports,
// and its {@link}s go where they say: a bare name in a member's comment that is also a sibling
// member links to that member (TypeScript would resolve it to a same-named module export).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Application, LogLevel, ReflectionKind, TSConfigReader, TypeDocReader } from 'typedoc';
import { declaredExports } from '../runtimes/check.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dts = readFileSync(join(root, 'npm/bridle/index.d.ts'), 'utf8');

/** The page directory TypeDoc's default router gives each kind of top-level declaration. */
const PAGE_DIR = {
  [ReflectionKind.Class]: 'classes',
  [ReflectionKind.Function]: 'functions',
  [ReflectionKind.Variable]: 'variables',
  [ReflectionKind.Interface]: 'interfaces',
  [ReflectionKind.TypeAlias]: 'types',
};

/** Runs TypeDoc into `out` and returns the project and every warning and error it logged. */
async function buildReference(out) {
  const app = await Application.bootstrapWithPlugins(
    { options: join(root, 'typedoc.json'), out, logLevel: 'Warn' },
    [new TypeDocReader(), new TSConfigReader()],
  );
  const problems = [];
  const { logger } = app;
  const log = logger.log.bind(logger);
  logger.log = (message, level) => {
    if (level >= LogLevel.Warn) problems.push(message.replace(/\x1B\[\d+m/g, ''));
    log(message, level);
  };
  const clean = () => !logger.hasErrors() && !logger.hasWarnings();
  assert.ok(clean(), `typedoc.json: ${logger.errorCount} errors, ${logger.warningCount} warnings`);
  assert.equal(app.options.getValue('treatWarningsAsErrors'), true);
  assert.equal(app.options.getValue('validation').notExported, true);
  assert.equal(app.options.getValue('validation').invalidLink, true);
  const project = await app.convert();
  assert.ok(project, `TypeDoc could not convert index.d.ts:\n${problems.join('\n')}`);
  app.validate(project);
  if (clean()) await app.generateOutputs(project);
  return { project, problems: clean() ? problems : [...problems, `${logger.errorCount} errors, ${logger.warningCount} warnings`] };
}

/** Every `{@link}` in the project's comments, with the reflection whose comment holds it. */
function* links(project) {
  for (const reflection of Object.values(project.reflections)) {
    const comment = reflection.comment;
    if (!comment) continue;
    const parts = [...comment.summary, ...comment.blockTags.flatMap((tag) => tag.content)];
    for (const part of parts) if (part.kind === 'inline-tag' && part.tag === '@link') yield { reflection, part };
  }
}

test('TypeDoc documents every export of index.d.ts without a warning', { timeout: 60_000 }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'bridle-api-docs-'));
  try {
    const { project, problems } = await buildReference(out);
    assert.deepEqual(problems, [], 'TypeDoc warnings or errors');

    // Exports tagged @internal (test hooks) are left out of the reference (excludeInternal).
    const internal = declaredExports().filter((name) => new RegExp(`/\\*\\*\\s*@internal[^*]*\\*/\\s*export declare \\w+ ${name}\\b`).test(dts));
    assert.deepEqual(internal, ['_debug']);
    const names = declaredExports().filter((name) => !internal.includes(name));
    const missing = [];
    const undocumented = [];
    for (const name of names) {
      const reflection = project.getChildByName(name);
      const dir = reflection && PAGE_DIR[reflection.kind];
      const page = dir && join(out, dir, `${name}.html`);
      if (!page || !existsSync(page) || !readFileSync(page, 'utf8').includes(`<h1>`)) {
        missing.push(`${name} (${reflection ? ReflectionKind[reflection.kind] : 'no reflection'})`);
        continue;
      }
      const described = reflection.hasComment() || reflection.getAllSignatures().some((signature) => signature.hasComment());
      if (!described) undocumented.push(name);
    }
    assert.deepEqual(missing, [], 'exports without a page in the reference');
    for (const name of internal) assert.equal(project.getChildByName(name), undefined, `${name} is @internal`);

    // A bare {@link name} in a member's comment means the sibling member of that name, if there is one.
    const misdirected = [];
    let linkCount = 0;
    for (const { reflection, part } of links(project)) {
      linkCount++;
      assert.ok(part.target, `unresolved {@link ${part.text}} in ${reflection.getFriendlyFullName()}`);
      const member = reflection.kindOf(ReflectionKind.SomeSignature) ? reflection.parent : reflection;
      const sibling = !part.text.includes('.') && member.parent?.getChildByName?.(part.text.split('|')[0].trim());
      if (sibling && sibling !== member && sibling.parent === member.parent && part.target !== sibling) {
        misdirected.push(`{@link ${part.text}} in ${member.getFriendlyFullName()} goes to the ${ReflectionKind[part.target.kind]} ${part.target.getFriendlyFullName()}`);
      }
    }
    assert.deepEqual(misdirected, [], 'links that go to a module export instead of the sibling member');

    console.log(`API reference: ${names.length}/${names.length} runtime exports documented with a page `
      + `(${project.children.length} exported declarations in all, types and interfaces included; `
      + `${linkCount} {@link}s resolved; left out as @internal: ${internal.join(', ')})`);
    if (undocumented.length) console.log(`exports with a page but no doc comment (${undocumented.length}): ${undocumented.join(', ')}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
