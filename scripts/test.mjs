// `npm test` (and `npm run test:long`, which sets TRAILBOARD_LONG=1 for the tests to read):
//
//   1. build       node scripts/build.mjs (test children and benchmarks to dist/)
//   2. typecheck   tsc -b            } run side by side; their output is shown after all finish
//      lint        eslint .          }
//      electronegativity  node scripts/electronegativity.mjs (Electron security checks of src-main/app)
//   3. unit        vitest run, JSON report in test-results/vitest.json
//   4. e2e         playwright test, JSON report in test-results/playwright.json (once playwright.config.ts exists)
//
// It ends with the closing line CI reads, alone on the last line: `N passed, N failed` (`, N skipped` when
// any), summed over the runners' JSON reports. A failed build, typecheck, lint or electronegativity counts as 1 failed each;
// so does a runner that fails without a failing test in its report (a crash, an unhandled error, no report).
// Exits 1 when anything failed.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const resultsDir = join(root, 'test-results');
const bin = (name) => join(root, 'node_modules', '.bin', name);

/** @typedef {{ passed: number, failed: number, skipped: number, notes: string[] }} Tally */

/** Runs `node file ...args`. Output is inherited, or captured when `capture` is set. */
function run(file, args, { capture = false, env = {} } = {}) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [file, ...args], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => {
      output += `${error.message}\n`;
    });
    child.on('close', (code, signal) => resolve({ code: code ?? 1, signal, output, seconds: (Date.now() - started) / 1000 }));
  });
}

function heading(text) {
  process.stdout.write(`\n── ${text}\n`);
}

function describeExit(result) {
  return result.signal ? `killed by ${result.signal}` : `exit code ${result.code}`;
}

/** A step that passes or fails as a whole (build, typecheck, lint): a failure counts as 1 failed. */
function stepTally(name, result) {
  const isOk = result.code === 0 && !result.signal;
  return { passed: 0, failed: isOk ? 0 : 1, skipped: 0, notes: [`${name}: ${isOk ? 'ok' : `FAILED (${describeExit(result)})`}, ${result.seconds.toFixed(1)} s`] };
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

async function runVitest() {
  const report = join(resultsDir, 'vitest.json');
  rmSync(report, { force: true });
  heading('unit tests: vitest run');
  const result = await run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
  const json = readJson(report);
  if (!json) return { passed: 0, failed: 1, skipped: 0, notes: [`vitest: no report at ${report} (${describeExit(result)})`] };
  // A file that fails to load has no failing test, only a failed status: count it as 1 failed.
  const brokenFiles = (json.testResults ?? []).filter(
    (file) => file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed'),
  );
  const tally = {
    passed: json.numPassedTests ?? 0,
    failed: (json.numFailedTests ?? 0) + brokenFiles.length,
    skipped: (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0),
    notes: brokenFiles.map((file) => `vitest: ${file.name} failed to run: ${String(file.message ?? '').split('\n')[0]}`),
  };
  if (result.code !== 0 && tally.failed === 0) {
    tally.failed = 1;
    tally.notes.push(`vitest: ${describeExit(result)} with no failing test in its report (an unhandled error? see above)`);
  }
  tally.notes.unshift(`vitest: ${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped, ${result.seconds.toFixed(1)} s`);
  return tally;
}

async function runPlaywright() {
  // End-to-end tests arrive with the web host; until there is a config, there is nothing to run.
  if (!existsSync(join(root, 'playwright.config.ts'))) return { passed: 0, failed: 0, skipped: 0, notes: ['playwright: no playwright.config.ts yet, not run'] };
  const report = join(resultsDir, 'playwright.json');
  rmSync(report, { force: true });
  heading('end-to-end tests: playwright test');
  const result = await run(bin('playwright'), ['test', '--reporter=list,json'], {
    env: { PLAYWRIGHT_JSON_OUTPUT_FILE: report, PLAYWRIGHT_JSON_OUTPUT_NAME: report },
  });
  const stats = readJson(report)?.stats;
  if (!stats) return { passed: 0, failed: 1, skipped: 0, notes: [`playwright: no report at ${report} (${describeExit(result)})`] };
  const tally = {
    passed: (stats.expected ?? 0) + (stats.flaky ?? 0),
    failed: stats.unexpected ?? 0,
    skipped: stats.skipped ?? 0,
    notes: [],
  };
  if (result.code !== 0 && tally.failed === 0) {
    tally.failed = 1;
    tally.notes.push(`playwright: ${describeExit(result)} with no failing test in its report (see above)`);
  }
  tally.notes.unshift(`playwright: ${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped (${stats.flaky ?? 0} flaky), ${result.seconds.toFixed(1)} s`);
  return tally;
}

async function main() {
  mkdirSync(resultsDir, { recursive: true });
  if (process.env.TRAILBOARD_LONG === '1') process.stdout.write('Long run (TRAILBOARD_LONG=1): tests use their long loop counts.\n');

  /** @type {Tally[]} */
  const tallies = [];

  heading('build: node scripts/build.mjs');
  tallies.push(stepTally('build', await run(join(root, 'scripts', 'build.mjs'), [])));

  heading('typecheck (tsc -b), lint (eslint .) and electronegativity, side by side');
  const [typecheck, lint, electronegativity] = await Promise.all([
    run(bin('tsc'), ['-b'], { capture: true }),
    run(bin('eslint'), ['.'], { capture: true }),
    run(join(root, 'scripts', 'electronegativity.mjs'), [], { capture: true }),
  ]);
  for (const [name, result] of [['typecheck', typecheck], ['lint', lint], ['electronegativity', electronegativity]]) {
    if (result.output.trim() !== '') {
      heading(`${name} output`);
      process.stdout.write(result.output.endsWith('\n') ? result.output : `${result.output}\n`);
    }
    tallies.push(stepTally(name, result));
  }

  tallies.push(await runVitest());
  tallies.push(await runPlaywright());

  const sum = (key) => tallies.reduce((total, tally) => total + tally[key], 0);
  const passed = sum('passed');
  const failed = sum('failed');
  const skipped = sum('skipped');
  heading('summary');
  for (const note of tallies.flatMap((tally) => tally.notes)) process.stdout.write(`  ${note}\n`);
  process.stdout.write(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`);
  process.exitCode = failed > 0 ? 1 : 0;
}

await main();
