// writeFileAtomically: the file is replaced whole, and a write that fails leaves the old file and no temporary.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomically } from '../../../shared/node/atomic-file';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'trailboard-atomic-'));
  folders.push(folder);
  return folder;
}

describe('writeFileAtomically', () => {
  it('creates the file, then replaces it whole, leaving nothing beside it', () => {
    const folder = tempFolder();
    const path = join(folder, 'state.json');
    writeFileAtomically(path, '{"v":1}');
    expect(readFileSync(path, 'utf8')).toBe('{"v":1}');
    writeFileAtomically(path, '{"v":2,"more":true}');
    expect(readFileSync(path, 'utf8')).toBe('{"v":2,"more":true}');
    expect(readdirSync(folder)).toEqual(['state.json']);
  });

  it('throws when the file cannot be replaced, keeping the old one and removing its temporary', () => {
    const folder = tempFolder();
    // A folder where the file should be: the temporary is written, the rename over a directory fails.
    const path = join(folder, 'taken');
    mkdirSync(path);
    writeFileSync(join(path, 'inside'), 'kept');
    expect(() => writeFileAtomically(path, 'new')).toThrow();
    expect(readdirSync(folder)).toEqual(['taken']);
    expect(readFileSync(join(path, 'inside'), 'utf8')).toBe('kept');
  });
});
