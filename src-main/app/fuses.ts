// Electron's fuses for the packaged app, as data, and the step that sets them on the packaged binary
// (called by scripts/after-pack.mjs, electron-builder's afterPack hook, which runs before signing).
//
// Fuses are switches compiled into the Electron binary; flipping them off removes whole features an
// attacker could use to run code as the app: running it as plain Node (ELECTRON_RUN_AS_NODE),
// NODE_OPTIONS, --inspect, loading the app from outside its (integrity-checked) asar, file:// privileges.
//
// This file is loaded by Node directly (type stripping) from the afterPack hook, outside the bundler: it
// may import packages but nothing of ours, and uses only erasable TypeScript (no enums of its own).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { flipFuses, FuseState, FuseV1Options, FuseVersion, getCurrentFuseWire, pathToFuseFile, type FuseV1Config } from '@electron/fuses';

export type FuseName = keyof typeof FuseV1Options;

/** Every fuse of the V1 wire, each set explicitly (the build fails if Electron adds one we do not set). */
export const FUSES = {
  RunAsNode: false,
  EnableCookieEncryption: true,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  LoadBrowserProcessSpecificV8Snapshot: false,
  GrantFileProtocolExtraPrivileges: false,
  WasmTrapHandlers: true,
} as const satisfies Record<FuseName, boolean>;

export type PackagedApp = {
  /** electron-builder's `appOutDir`. */
  appOutDir: string;
  /** `electronPlatformName`: darwin, mas, win32 or linux. */
  platform: string;
  /** The architecture's name (x64, arm64, …). */
  arch: string;
  /** Linux: the packager's `executableName`. */
  executableName: string;
  /** macOS and Windows: `appInfo.productFilename`. */
  productFilename: string;
};

/** The path @electron/fuses takes for a packaged app: the .app bundle, the .exe or the Linux binary. */
export function electronExecutable(app: PackagedApp): string {
  switch (app.platform) {
    case 'darwin':
    case 'mas':
      return join(app.appOutDir, `${app.productFilename}.app`);
    case 'win32':
      return join(app.appOutDir, `${app.productFilename}.exe`);
    default:
      return join(app.appOutDir, app.executableName);
  }
}

export type FuseOutcome = { isApplied: true; executable: string } | { isApplied: false; executable: string; reason: string };

/**
 * Sets FUSES on the packaged app's binary and reads them back. On a stand-in binary (no fuse wire in it,
 * as on machines where Electron cannot be downloaded) nothing is changed and the outcome says why.
 */
export async function applyFuses(app: PackagedApp, log: (line: string) => void = console.log): Promise<FuseOutcome> {
  const executable = electronExecutable(app);
  const binary = pathToFuseFile(executable);
  if (!existsSync(binary)) return skipped(executable, `no Electron binary at ${binary}`, log);
  try {
    await getCurrentFuseWire(executable);
  } catch (error) {
    return skipped(executable, `${binary} is not a real Electron executable (${error instanceof Error ? error.message : String(error)})`, log);
  }

  await flipFuses(executable, fuseConfig(app.platform === 'darwin' && app.arch === 'arm64'));

  const wire = await getCurrentFuseWire(executable);
  const wrong = fuseNames().filter((name) => wire[FuseV1Options[name]] !== (FUSES[name] ? FuseState.ENABLE : FuseState.DISABLE));
  if (wrong.length > 0) throw new Error(`fuses: ${wrong.join(', ')} did not take on ${binary}`);
  log(`fuses: set on ${binary}: ${describeFuses()}`);
  return { isApplied: true, executable };
}

/** FUSES as @electron/fuses takes them; every fuse of the wire is required to be set. */
export function fuseConfig(isAdHocSignedMac: boolean): FuseV1Config {
  return {
    version: FuseVersion.V1,
    strictlyRequireAllFuses: true,
    resetAdHocDarwinSignature: isAdHocSignedMac,
    [FuseV1Options.RunAsNode]: FUSES.RunAsNode,
    [FuseV1Options.EnableCookieEncryption]: FUSES.EnableCookieEncryption,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: FUSES.EnableNodeOptionsEnvironmentVariable,
    [FuseV1Options.EnableNodeCliInspectArguments]: FUSES.EnableNodeCliInspectArguments,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: FUSES.EnableEmbeddedAsarIntegrityValidation,
    [FuseV1Options.OnlyLoadAppFromAsar]: FUSES.OnlyLoadAppFromAsar,
    [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: FUSES.LoadBrowserProcessSpecificV8Snapshot,
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: FUSES.GrantFileProtocolExtraPrivileges,
    [FuseV1Options.WasmTrapHandlers]: FUSES.WasmTrapHandlers,
  };
}

export function fuseNames(): FuseName[] {
  return Object.keys(FUSES).filter(isFuseName);
}

function isFuseName(name: string): name is FuseName {
  return Object.hasOwn(FUSES, name);
}

/** One line: each fuse and its setting. */
export function describeFuses(): string {
  return fuseNames()
    .map((name) => `${name} ${FUSES[name] ? 'on' : 'off'}`)
    .join(', ');
}

function skipped(executable: string, reason: string, log: (line: string) => void): FuseOutcome {
  log(`fuses: skipped, ${reason}`);
  return { isApplied: false, executable, reason };
}
