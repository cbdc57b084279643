// The names index.d.ts exports, and the names a TypeScript file imports from 'bridle', read with
// the TypeScript parser. The examples test asserts that examples/typescript/index.ts imports every
// public export (its tsconfig's noUnusedLocals then makes tsc fail on any import it does not use).
// Run: node tests/examples/dts-exports.mjs [index.d.ts] [index.ts]  (prints the names, then any missing)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const parse = (file) => ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
const exported = (node) => ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Export;
const internal = (node) => ts.getJSDocTags(node).some((tag) => tag.tagName.text === 'internal');

/** Every name index.d.ts exports (types, interfaces, classes, functions, constants), sorted; `@internal` ones only with `includeInternal`. */
export function dtsExports(file, { includeInternal = false } = {}) {
  const names = new Set();
  for (const statement of parse(file).statements) {
    if (!exported(statement) || (!includeInternal && internal(statement))) continue;
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) names.add(declaration.name.getText());
    } else if (statement.name) {
      names.add(statement.name.text);
    } else if (ts.isExportDeclaration(statement) || ts.isExportAssignment(statement)) {
      throw new Error(`${file}: re-exports are not read by this script: ${statement.getText()}`);
    }
  }
  return [...names].sort();
}

/**
 * Exported interfaces, types and classes declared more than once. Two `export interface X` merge
 * silently into one type that has every member of both (functions may overload; nothing else should).
 */
export function mergedDeclarations(file) {
  const seen = new Map();
  for (const statement of parse(file).statements) {
    if (!exported(statement) || ts.isFunctionDeclaration(statement) || !statement.name) continue;
    seen.set(statement.name.text, (seen.get(statement.name.text) ?? 0) + 1);
  }
  return [...seen].filter(([, count]) => count > 1).map(([name]) => name);
}

/** The names a TypeScript file imports from `module` (the exported names, before any `as`). */
export function importedNames(file, module = 'bridle') {
  const names = new Set();
  for (const statement of parse(file).statements) {
    if (!ts.isImportDeclaration(statement) || statement.moduleSpecifier.text !== module) continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) names.add((element.propertyName ?? element.name).text);
    }
  }
  return [...names].sort();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dts = process.argv[2] ?? fileURLToPath(new URL('../../npm/bridle/index.d.ts', import.meta.url));
  const example = process.argv[3] ?? fileURLToPath(new URL('../../examples/typescript/index.ts', import.meta.url));
  const names = dtsExports(dts);
  const imported = new Set(importedNames(example));
  const missing = names.filter((name) => !imported.has(name));
  console.log(`${names.length} exports: ${names.join(' ')}`);
  console.log(missing.length === 0 ? `${example} imports every one` : `missing from ${example}: ${missing.join(' ')}`);
  process.exitCode = missing.length === 0 ? 0 : 1;
}
