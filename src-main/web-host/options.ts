// The web host's command line: `node dist/main/web-host.mjs [--data-dir DIR] [--port N] [--renderer-dir DIR]`.
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export type WebHostCommandLine = {
  dataDir: string;
  port: number;
  rendererDir: string;
};

export const USAGE = `Usage: npm run web -- [--data-dir DIR] [--port N] [--renderer-dir DIR]

Serves Trailboard on http://127.0.0.1 (loopback only) and prints the address to open, with its access token.
  --data-dir DIR       the data folder (default: $TRAILBOARD_DATA_DIR, else ${defaultDataDir()})
  --port N             the port (default 0: a free one)
  --renderer-dir DIR   the built renderer (default: dist/renderer)
`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function parseCommandLine(args: readonly string[], env: NodeJS.ProcessEnv = process.env): WebHostCommandLine {
  let values: { 'data-dir'?: string | undefined; port?: string | undefined; 'renderer-dir'?: string | undefined };
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: { 'data-dir': { type: 'string' }, port: { type: 'string' }, 'renderer-dir': { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || values.port?.trim() === '') {
    throw new UsageError(`--port must be a whole number from 0 to 65535, not “${values.port ?? ''}”.`);
  }
  const dataDir = values['data-dir'] ?? nonEmpty(env['TRAILBOARD_DATA_DIR']) ?? defaultDataDir(env);
  return {
    dataDir: resolve(dataDir),
    port,
    rendererDir: resolve(values['renderer-dir'] ?? defaultRendererDir()),
  };
}

/** Where a person's data lives when nothing says otherwise: the platform's per-user data folder. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  switch (platform) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'Trailboard');
    case 'win32':
      return join(nonEmpty(env['APPDATA']) ?? join(home, 'AppData', 'Roaming'), 'Trailboard');
    default: {
      // XDG: $XDG_DATA_HOME when set to an absolute path, else ~/.local/share.
      const xdg = nonEmpty(env['XDG_DATA_HOME']);
      return join(xdg && isAbsolute(xdg) ? xdg : join(home, '.local', 'share'), 'Trailboard');
    }
  }
}

/** dist/renderer: beside dist/main/ when bundled, or the repository's when this file runs from source. */
function defaultRendererDir(): string {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith('.ts') ? fileURLToPath(new URL('../../dist/renderer', import.meta.url)) : fileURLToPath(new URL('../renderer', import.meta.url));
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
