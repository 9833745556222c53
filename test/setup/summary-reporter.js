'use strict';
// Prints the plain closing line 'N passed, N failed, N skipped' and repeats which dialects
// were skipped, so a skipped server can never hide in a green run.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skippedDialects = [];
    if (!process.env.KILN_TEST_PG_URL) skippedDialects.push('postgres');
    if (!process.env.KILN_TEST_MYSQL_URL) skippedDialects.push('mysql');
    if (skippedDialects.length) process.stdout.write(`\n[kiln tests] NOT RUN on: ${skippedDialects.join(', ')} (no server)\n`);
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`\ntests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`);
  }
}
module.exports = SummaryReporter;
