// Runs @doyensec/electronegativity (Electron security anti-patterns) on the Electron shell and judges
// its findings (a step of `npm test`, counted like lint):
//
//   HIGH                 fails, always (a HIGH finding cannot be suppressed);
//   MEDIUM               fails unless suppressed on its own line with a written reason:
//                          foo(); // eng-disable OPEN_EXTERNAL_JS_CHECK -- why this is safe here
//   LOW, INFORMATIONAL   listed, never fail.
// It also fails on an `eng-disable` without a reason (`-- ` and a few words), on one on a file's first line
// (electronegativity would apply it to the whole file), on one that suppresses nothing, and on a file
// electronegativity could not parse.
//
//   node scripts/electronegativity.mjs [--source DIR]... [--bundle FILE]...
//
// By default: --source src-main/app --bundle dist/main/app.mjs --bundle dist/main/preload.cjs. The bundles
// are what Electron runs (run `node scripts/build.mjs` first); their findings are traced back to the
// sources through the bundle's source map, where the suppressions are. Electronegativity scans only .js,
// .ts and .html names, so the files are scanned from a temporary copy; in that copy the sources'
// `eng-disable` comments are neutralised, so every finding is reported and judged here.
//
// Offline and deterministic: electronegativity would fetch translations and Electron's release list
// from the network; its HTTP client is replaced by one that fails at once (the English texts ship with
// it), and the release check (AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK, about the Electron version, not our
// code) is not run.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);

/** The suppression format: `eng-disable ID [ID…] -- reason` in a // or /* comment. */
const DIRECTIVE = /(?:\/\/|\/\*)[ \t]*eng-disable\b(.*)$/;
const MIN_REASON_LENGTH = 12;

function parseArguments(argv) {
  const sources = [];
  const bundles = [];
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined || (flag !== '--source' && flag !== '--bundle')) {
      throw new Error(`usage: node scripts/electronegativity.mjs [--source DIR]... [--bundle FILE]... (not understood: ${flag})`);
    }
    (flag === '--source' ? sources : bundles).push(resolve(value));
  }
  if (sources.length === 0 && bundles.length === 0) {
    sources.push(join(root, 'src-main', 'app'));
    bundles.push(join(root, 'dist', 'main', 'app.mjs'), join(root, 'dist', 'main', 'preload.cjs'));
  }
  return { sources, bundles };
}

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? (name === 'node_modules' ? [] : walk(full)) : [full];
  });
}

const shown = (file) => relative(root, file).split(sep).join('/') || file;

/** Every eng-disable directive of a source file: line, ids, reason (undefined when missing or too short). */
function directivesOf(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const found = [];
  lines.forEach((text, index) => {
    const directive = DIRECTIVE.exec(text);
    if (!directive) return;
    const body = (directive[1] ?? '').replace(/\*\/.*$/, '');
    const [idsPart = '', ...reasonParts] = body.split(/[ \t]--[ \t]/);
    const ids = idsPart.trim().split(/[ \t,]+/).filter(Boolean).map((id) => id.toLowerCase());
    const reason = reasonParts.join(' -- ').trim();
    found.push({ file, line: index + 1, ids, reason: reason.length >= MIN_REASON_LENGTH ? reason : undefined, isUsed: false });
  });
  return found;
}

/** Loads electronegativity with its HTTP client replaced by one that is always offline. */
function loadElectronegativity() {
  const packageDir = dirname(require.resolve('@doyensec/electronegativity/package.json'));
  const gotPath = require.resolve('got', { paths: [join(packageDir, 'dist')] });
  const offline = () => Promise.reject(new Error('electronegativity runs offline here'));
  offline.head = offline;
  offline.default = offline;
  require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: offline };
  return require(packageDir);
}

/** Where a finding in a staged bundle comes from, through the bundle's source map (if any). */
function traceBundle(bundle, line, column) {
  const mapFile = `${bundle}.map`;
  if (!existsSync(mapFile)) return { file: bundle, line };
  const map = new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')));
  const origin = map.findOrigin(line, (column ?? 0) + 1);
  if (!origin || !('fileName' in origin) || !origin.fileName) return { file: bundle, line };
  const fileName = origin.fileName.startsWith('file://') ? new URL(origin.fileName).pathname : resolve(dirname(bundle), origin.fileName);
  return { file: fileName, line: origin.lineNumber };
}

async function main() {
  const { sources, bundles } = parseArguments(process.argv.slice(2));
  const problems = [];
  const stage = mkdtempSync(join(tmpdir(), 'trailboard-electronegativity-'));
  /** staged relative path -> { original, isBundle } */
  const staged = new Map();
  const directives = [];
  try {
    sources.forEach((dir, index) => {
      if (!existsSync(dir)) throw new Error(`${dir} does not exist`);
      for (const file of walk(dir).filter((name) => /\.(ts|tsx|js|mjs|cjs|html)$/.test(name))) {
        const target = join(`s${index}`, relative(dir, file)).replace(/\.(mjs|cjs)$/, '.js');
        mkdirSync(dirname(join(stage, target)), { recursive: true });
        writeFileSync(join(stage, target), readFileSync(file, 'utf8').replaceAll('eng-disable', 'eng-checked'));
        staged.set(target, { original: file, isBundle: false });
        directives.push(...directivesOf(file));
      }
    });
    bundles.forEach((bundle, index) => {
      if (!existsSync(bundle)) throw new Error(`${shown(bundle)} is missing: run node scripts/build.mjs first`);
      const target = `b${index}.js`;
      cpSync(bundle, join(stage, target));
      staged.set(target, { original: bundle, isBundle: true });
    });

    const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
    const run = loadElectronegativity();
    const log = console.log;
    console.log = () => undefined; // its progress and "no translations" lines; findings are printed below
    let result;
    try {
      result = await run({
        input: stage,
        isRelative: true,
        electronVersionOverride: electronVersion,
        excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
      });
    } finally {
      console.log = log;
    }

    for (const error of result.errors.filter((each) => !each.tolerable)) {
      const file = staged.get(relative(stage, resolve(stage, error.file)))?.original ?? error.file;
      problems.push(`could not parse ${shown(file)}: ${error.message}`);
    }

    const findings = result.issues.map((issue) => {
      const stagedFile = staged.get(String(issue.file).split('/').join(sep));
      let place;
      if (!stagedFile) place = undefined; // a global finding ("N/A"): no line to suppress it on
      else if (stagedFile.isBundle) place = traceBundle(stagedFile.original, issue.location.line, issue.location.column);
      else place = { file: stagedFile.original, line: issue.location.line };
      const ids = [String(issue.id).toLowerCase(), String(issue.constructorName ?? '').toLowerCase()];
      const directive = place && directives.find((each) => each.file === place.file && each.line === place.line && each.ids.some((id) => ids.includes(id)));
      if (directive) directive.isUsed = true;
      return { issue, place, directive, bundle: stagedFile?.isBundle ? stagedFile.original : undefined };
    });

    const rows = [];
    for (const { issue, place, directive, bundle } of findings) {
      const severity = issue.severity.name;
      const where = place ? `${shown(place.file)}:${place.line}${bundle ? ` (in ${shown(bundle)})` : ''}` : 'the whole app';
      let verdict;
      if (severity === 'HIGH') {
        verdict = 'FAIL (high findings cannot be suppressed)';
        problems.push(`HIGH ${issue.id} at ${where}: ${issue.description}`);
      } else if (severity === 'MEDIUM' && !(directive && directive.reason)) {
        verdict = directive ? 'FAIL (suppressed without a reason)' : 'FAIL (not suppressed)';
        problems.push(`MEDIUM ${issue.id} at ${where} ${directive ? 'is suppressed without a written reason' : 'is not suppressed'}: ${issue.description}`);
      } else if (directive?.reason) {
        verdict = `suppressed: ${directive.reason}`;
      } else {
        verdict = 'noted';
      }
      rows.push(`  ${severity.padEnd(13)} ${String(issue.id).padEnd(26)} ${where.padEnd(36)} ${verdict}`);
    }

    for (const directive of directives) {
      const where = `${shown(directive.file)}:${directive.line}`;
      if (directive.ids.length === 0 || !directive.reason) {
        problems.push(`eng-disable at ${where} has no written reason: write "eng-disable CHECK_ID -- why it is safe here" (${MIN_REASON_LENGTH}+ characters)`);
      } else if (directive.line === 1) {
        problems.push(`eng-disable at ${where} is on the first line, where electronegativity applies it to the whole file: put it on the finding's line`);
      } else if (!directive.isUsed) {
        problems.push(`eng-disable at ${where} suppresses nothing (${directive.ids.join(', ')}): remove it`);
      }
    }

    const count = (name) => findings.filter(({ issue }) => issue.severity.name === name).length;
    const scanned = [...staged.values()].map((each) => shown(each.original));
    const { version } = require('@doyensec/electronegativity/package.json');
    process.stdout.write(`electronegativity ${version} on ${scanned.length} files (Electron ${electronVersion}): ${scanned.join(', ')}\n`);
    if (rows.length > 0) process.stdout.write(`${rows.join('\n')}\n`);
    const suppressed = findings.filter(({ issue, directive }) => issue.severity.name === 'MEDIUM' && directive?.reason).length;
    const summary = `${findings.length} findings: ${count('HIGH')} high, ${count('MEDIUM')} medium (${suppressed} suppressed with a reason), ${count('LOW') + count('INFORMATIONAL')} low or informational`;
    if (problems.length > 0) {
      process.stdout.write(`${problems.map((problem) => `✗ ${problem}`).join('\n')}\n${summary}: FAILED\n`);
      process.exitCode = 1;
    } else {
      process.stdout.write(`${summary}: ok\n`);
    }
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (error) {
  process.stderr.write(`electronegativity: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
