// `npm run web`: Trailboard in a browser, without Electron. Starts the core thread on the data folder, serves
// the built renderer and the API on 127.0.0.1 (host.ts), and prints the address to open, token included, as
// the one line on stdout (everything else goes to stderr). SIGINT or SIGTERM closes the sockets and the core,
// which releases the data folder's lock; a second signal stops at once.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startCore, type CoreClient } from '../core/client';
import { startWebHost, type WebHost } from './host';
import { parseCommandLine, USAGE, UsageError, type WebHostCommandLine } from './options';

const say = (line: string): void => void process.stderr.write(`${line}\n`);

async function main(): Promise<number | undefined> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  let commandLine: WebHostCommandLine;
  try {
    commandLine = parseCommandLine(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    say(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  const { dataDir, port, rendererDir } = commandLine;
  if (!existsSync(join(rendererDir, 'index.html'))) {
    say(`Warning: no built renderer in ${rendererDir} (run npm run build); the API is served, the page is not.`);
  }

  let core: CoreClient;
  try {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    core = await startCore({ dataDir });
  } catch (error) {
    say(`Trailboard could not start on the data folder ${dataDir}: ${(error as Error).message}`);
    return 1;
  }
  let host: WebHost;
  try {
    host = await startWebHost({ core, rendererDir, port });
  } catch (error) {
    await core.close();
    say(`Trailboard could not listen on 127.0.0.1:${port}: ${(error as Error).message}`);
    return 1;
  }

  let isStopping = false;
  const stop = async (why: string, exitCode: number): Promise<void> => {
    if (isStopping) return;
    isStopping = true;
    say(`Stopping (${why})…`);
    await host.close();
    await core.close();
    say('Stopped; the data folder is released.');
    process.exit(exitCode);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (isStopping) process.exit(130);
      void stop(signal, 0);
    });
  }
  void core.exited.then((exit) => {
    if (isStopping) return;
    say(`The Trailboard core stopped unexpectedly (exit code ${exit.exitCode}${exit.error ? `: ${exit.error.message}` : ''}).`);
    void stop('the core stopped', 1);
  });

  process.stdout.on('error', () => undefined); // a reader that went away must not take the host down
  process.stdout.write(`${host.url}\n`);
  say(`Trailboard web host: data folder ${dataDir}. Open the address above in a browser; Ctrl+C stops it.`);
  return undefined;
}

main().then(
  (exitCode) => {
    if (exitCode !== undefined) process.exitCode = exitCode;
  },
  (error: unknown) => {
    say(`The Trailboard web host failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
