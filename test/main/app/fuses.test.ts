// The fuse settings as data, and the afterPack step that applies them: on a stand-in binary carrying a
// fuse wire (what @electron/fuses looks for in a real Electron) every fuse is set and reads back as
// configured; on a stub executable (no wire, as where Electron cannot be downloaded) nothing is touched
// and a one-line reason is logged.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyFuses, electronExecutable, FUSES, fuseConfig, fuseNames, type PackagedApp } from '../../../src-main/app/fuses';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'trailboard-fuses-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const linuxApp = (): PackagedApp => ({ appOutDir: dir, platform: 'linux', arch: 'x64', executableName: 'trailboard', productFilename: 'Trailboard' });

/** A file shaped like an Electron binary where it matters to @electron/fuses: the sentinel, then the wire. */
function binaryWithFuseWire(file: string, fuseCount: number): void {
  const sentinel = Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX');
  const wire = Buffer.alloc(fuseCount, FuseState.ENABLE); // Electron's defaults are mostly "on"
  writeFileSync(file, Buffer.concat([Buffer.from('\x7fELF…code…'), sentinel, Buffer.from([1, fuseCount]), wire, Buffer.from('…more code…')]));
}

describe('the fuse settings', () => {
  it('turn off running as Node, NODE_OPTIONS, inspect flags and file:// privileges; on cookie encryption and the asar checks', () => {
    expect(FUSES).toStrictEqual({
      RunAsNode: false,
      EnableCookieEncryption: true,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      LoadBrowserProcessSpecificV8Snapshot: false,
      GrantFileProtocolExtraPrivileges: false,
      WasmTrapHandlers: true,
    });
  });

  it('set every fuse @electron/fuses knows, each at its own place on the wire', () => {
    const known = Object.keys(FuseV1Options).filter((key) => Number.isNaN(Number(key)));
    expect(fuseNames().sort()).toEqual(known.sort());
    const config: Record<number, unknown> = fuseConfig(false);
    for (const name of fuseNames()) expect(config[FuseV1Options[name]]).toBe(FUSES[name]);
    expect(config).toMatchObject({ version: '1', strictlyRequireAllFuses: true, resetAdHocDarwinSignature: false });
  });

  it('find the binary electron-builder packaged on each platform', () => {
    const app = { appOutDir: '/out', arch: 'x64', executableName: 'trailboard', productFilename: 'Trailboard' };
    expect(electronExecutable({ ...app, platform: 'linux' })).toBe('/out/trailboard');
    expect(electronExecutable({ ...app, platform: 'win32' })).toBe('/out/Trailboard.exe');
    expect(electronExecutable({ ...app, platform: 'darwin' })).toBe('/out/Trailboard.app');
  });
});

describe('applyFuses', () => {
  it('sets every fuse on a binary with a fuse wire and reads them back', async () => {
    const executable = join(dir, 'trailboard');
    binaryWithFuseWire(executable, fuseNames().length);
    const lines: string[] = [];
    expect(await applyFuses(linuxApp(), (line) => lines.push(line))).toEqual({ isApplied: true, executable });
    const wire: Record<number, unknown> = await getCurrentFuseWire(executable);
    for (const name of fuseNames()) expect(wire[FuseV1Options[name]], name).toBe(FUSES[name] ? FuseState.ENABLE : FuseState.DISABLE);
    expect(lines).toEqual([expect.stringMatching(/^fuses: set on .*trailboard: RunAsNode off, .*GrantFileProtocolExtraPrivileges off/)]);
  });

  it('refuses a binary whose wire has fuses it does not know (a newer Electron) rather than leave one unset', async () => {
    binaryWithFuseWire(join(dir, 'trailboard'), fuseNames().length + 1);
    await expect(applyFuses(linuxApp(), () => undefined)).rejects.toThrow(/strictlyRequireAllFuses/);
  });

  it('skips a stub executable, leaves it as it was and logs one line saying why', async () => {
    const executable = join(dir, 'trailboard');
    writeFileSync(executable, '#!/bin/sh\necho "a stand-in for electron"\n', { mode: 0o755 });
    const lines: string[] = [];
    const outcome = await applyFuses(linuxApp(), (line) => lines.push(line));
    expect(outcome).toMatchObject({ isApplied: false, executable, reason: expect.stringContaining('is not a real Electron executable') });
    expect(readFileSync(executable, 'utf8')).toBe('#!/bin/sh\necho "a stand-in for electron"\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^fuses: skipped, .* is not a real Electron executable \(Could not find sentinel/);
    expect(lines[0]).not.toContain('\n');
  });

  it('skips when there is no binary at all', async () => {
    const lines: string[] = [];
    expect(await applyFuses(linuxApp(), (line) => lines.push(line))).toMatchObject({ isApplied: false, reason: expect.stringContaining('no Electron binary at') });
    expect(lines).toHaveLength(1);
  });
});
