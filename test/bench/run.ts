/**
 * `npm run bench [-- group...] [--json FILE]`: runs all benchmark groups, or those named, prints a table
 * (group, metric, value, unit, reference, ratio, target, meets) and optionally writes the rows as JSON.
 * Benchmarks report; they never assert. A missed target is shown as `meets: NO` and the exit code stays 0; only a
 * group that fails to run (an exception) makes the exit code 1, after the rows gathered so far are printed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { benchGroups } from './groups';
import type { BenchGroup } from './lib/group';
import { formatTable, makeRow, writeJson, type BenchRow } from './lib/report';
import { elapsedMs, nowNs } from './lib/measure';

type Options = { readonly groups: readonly BenchGroup[]; readonly jsonFile: string | undefined };

const USAGE = `usage: node --expose-gc dist/bench/run.mjs [group...] [--json FILE]
groups: ${benchGroups.map((group) => `${group.name} (${group.summary})`).join('; ')}`;

function parseArguments(argv: readonly string[]): Options {
  const names: string[] = [];
  let jsonFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i] ?? '';
    if (argument === '--json') {
      const file = argv[++i];
      if (!file) throw new UsageError('--json needs a file name');
      jsonFile = resolve(file);
    } else if (argument.startsWith('--json=')) {
      jsonFile = resolve(argument.slice('--json='.length));
    } else if (argument === '--help' || argument === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (argument.startsWith('-')) {
      throw new UsageError(`unknown option ${argument}`);
    } else {
      names.push(argument);
    }
  }
  const unknown = names.filter((name) => !benchGroups.some((group) => group.name === name));
  if (unknown.length > 0) throw new UsageError(`unknown group ${unknown.join(', ')}`);
  const groups = names.length === 0 ? benchGroups : benchGroups.filter((group) => names.includes(group.name));
  return { groups, jsonFile };
}

class UsageError extends Error {}

/** The machine's load, printed with each group: figures taken on a busy machine are noisier (ratios less so). */
function describeLoad(): string {
  const [oneMinute = 0] = loadavg();
  const cores = availableParallelism();
  const note = oneMinute > cores ? ' (busy machine: expect noisy figures)' : '';
  return `load average ${oneMinute.toFixed(2)} on ${cores} cores${note}`;
}

async function main(): Promise<number> {
  let options: Options;
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n${USAGE}`);
    return 2;
  }

  const rows: BenchRow[] = [];
  const failures: string[] = [];
  const started = nowNs();
  const tempRoot = mkdtempSync(join(tmpdir(), 'trailboard-bench-'));
  const removeTemp = (): void => rmSync(tempRoot, { recursive: true, force: true });
  const onSignal = (signal: NodeJS.Signals): void => {
    removeTemp();
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    for (const group of options.groups) {
      const tempDir = mkdtempSync(join(tempRoot, `${group.name}-`));
      const log = (message: string): void => {
        const seconds = (elapsedMs(started) / 1000).toFixed(1).padStart(6);
        console.error(`[bench ${seconds}s] ${group.name}: ${message}`);
      };
      log(`start (${group.summary}); ${describeLoad()}`);
      try {
        await group.run({ tempDir, log, record: (measurement) => rows.push(makeRow(group.name, measurement)) });
        log(`done; ${describeLoad()}`);
      } catch (error) {
        const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
        failures.push(`${group.name}: ${text}`);
        log(`FAILED: ${text}`);
      } finally {
        rmSync(tempDir, { recursive: true, force: true });
      }
    }
  } finally {
    removeTemp();
  }

  console.log(`\n${formatTable(rows)}`);
  const missed = rows.filter((row) => row.meets === false).length;
  const withTarget = rows.filter((row) => row.meets !== null).length;
  console.log(`\n${withTarget - missed} of ${withTarget} targets met; ${(elapsedMs(started) / 1000).toFixed(0)} s.`);
  if (options.jsonFile) {
    writeJson(options.jsonFile, rows);
    console.log(`rows written to ${options.jsonFile}`);
  }
  if (failures.length > 0) {
    console.error(`\n${failures.length} group(s) failed to run:\n${failures.join('\n')}`);
    return 1;
  }
  return 0;
}

// Exit as soon as the report is written: a group that leaves a handle open (a browser, a socket, a worker)
// must not keep the run, and the benchmark lock other runs wait on, alive.
process.exit(await main());
