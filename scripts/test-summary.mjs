// Adds up the results that scripts/test.sh collected and prints "N passed, M failed".
// A suite that crashed before writing its report counts as one failure.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of readdirSync(dir)) {
  const text = readFileSync(join(dir, file), 'utf8');
  if (file.startsWith('gtest-')) {
    const report = JSON.parse(text);
    if (report.crashed) { failed += 1; continue; }
    const disabled = report.disabled ?? 0;
    failed += report.failures ?? 0;
    passed += (report.tests ?? 0) - (report.failures ?? 0) - disabled;
    skipped += disabled;
  } else if (file.endsWith('.tap')) {
    const count = (name) => Number((text.match(new RegExp(`^# ${name} (\\d+)`, 'm')) ?? [0, 0])[1]);
    passed += count('pass');
    failed += count('fail') + count('cancelled');
    skipped += count('skipped') + count('todo');
  } else if (file === 'vitest.json') {
    const report = JSON.parse(text);
    passed += report.numPassedTests ?? 0;
    failed += (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  }
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
