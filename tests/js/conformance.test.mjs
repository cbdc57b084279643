// Conformance counts on the live backend; a count below its floor fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as bridle from 'bridle';
import { REQUIRED, runSuites } from '../conformance/suites.mjs';

for (const suite of runSuites(bridle)) {
  test(`conformance ${suite.name}: at least ${REQUIRED[suite.name]}/${suite.total}`, () => {
    console.log(`conformance ${suite.name} ${bridle.backend}: ${suite.passed}/${suite.total}`);
    assert.ok(suite.passed >= REQUIRED[suite.name], `${suite.passed}/${suite.total}:\n${suite.failures.join('\n')}`);
  });
}
