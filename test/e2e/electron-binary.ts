// Whether this machine has a real Electron binary for the `electron` project, found without running the
// electron package's index.js: in Electron 45 that file DOWNLOADS the binary when it is missing, which must
// never happen in a test run (and cannot, on machines that set ELECTRON_SKIP_BINARY_DOWNLOAD=1).
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type ElectronBinary = { isFound: true; path: string } | { isFound: false; reason: string };

/** The binary `require('electron')` would name, if it exists and is executable; else one line saying why not. */
export function findElectronBinary(env: NodeJS.ProcessEnv = process.env): ElectronBinary {
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { isFound: false, reason: 'the electron package is not installed' };
  }
  const pathFile = join(packageDir, 'path.txt');
  const relativePath = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = env['ELECTRON_OVERRIDE_DIST_PATH'];
  let binary: string;
  if (override) binary = join(override, relativePath || 'electron');
  else if (relativePath) binary = join(packageDir, 'dist', relativePath);
  else {
    const why = env['ELECTRON_SKIP_BINARY_DOWNLOAD'] ? ' (ELECTRON_SKIP_BINARY_DOWNLOAD)' : '';
    return { isFound: false, reason: `no Electron binary on this machine${why}` };
  }
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    return { isFound: false, reason: `no executable Electron binary at ${binary}` };
  }
  return { isFound: true, path: binary };
}
