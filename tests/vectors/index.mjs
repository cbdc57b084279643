// Reads the shared vectors (tests/vectors/*.json) for the JS suites and the runtime tests.
// A template or expected of the form {repeat, times, then?} stands for repeat*times + then.

export function expand(value) {
  if (typeof value === 'string') return value;
  return value.repeat.repeat(value.times) + (value.then ?? '');
}

/** Runs one vector case with a `Template` class; returns `{ ok, problems }`. */
export function runCase(Template, syntax, testCase) {
  const problems = [];
  let output;
  let error;
  try {
    const template = Template.compile(expand(testCase.template), { syntax });
    if (testCase.variables && JSON.stringify(template.variables) !== JSON.stringify(testCase.variables)) {
      problems.push(`variables ${JSON.stringify(template.variables)} != ${JSON.stringify(testCase.variables)}`);
    }
    output = template.render(testCase.data);
    template.free();
  } catch (e) {
    error = e;
  }
  if (testCase.error === undefined) {
    if (error) problems.push(`unexpected error ${error.code}: ${error.message}`);
    else if (output !== expand(testCase.expected)) problems.push(`rendered ${JSON.stringify(output.slice(0, 200))}`);
  } else if (!error) {
    problems.push(`expected error ${testCase.error.code}, rendered ${JSON.stringify(output.slice(0, 200))}`);
  } else {
    for (const [key, want] of Object.entries(testCase.error)) {
      if (key === 'details') {
        for (const [k, v] of Object.entries(want)) {
          if (error.details?.[k] !== v) problems.push(`details.${k} ${JSON.stringify(error.details?.[k])} != ${JSON.stringify(v)}`);
        }
      } else if (error[key] !== want) {
        problems.push(`error.${key} ${JSON.stringify(error[key])} != ${JSON.stringify(want)} (${error.message})`);
      }
    }
  }
  return { ok: problems.length === 0, problems, output, error };
}
