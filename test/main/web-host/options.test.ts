// The web host's command line: where the data folder is, which port, which renderer folder.
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir, parseCommandLine, UsageError } from '../../../src-main/web-host/options';

describe('the web host command line', () => {
  it('takes the data folder from --data-dir, else TRAILBOARD_DATA_DIR, else the platform default', () => {
    const env = { TRAILBOARD_DATA_DIR: '/srv/trailboard', XDG_DATA_HOME: '/home/ann/.data' };
    expect(parseCommandLine(['--data-dir', 'here'], env).dataDir).toBe(resolve('here'));
    expect(parseCommandLine(['--data-dir=/tmp/x'], env).dataDir).toBe('/tmp/x');
    expect(parseCommandLine([], env).dataDir).toBe('/srv/trailboard');
    expect(parseCommandLine([], { TRAILBOARD_DATA_DIR: ' ' }).dataDir).toBe(defaultDataDir({ TRAILBOARD_DATA_DIR: ' ' }));
  });

  it('defaults to the per-user data folder of each platform (XDG on Linux)', () => {
    expect(defaultDataDir({}, 'linux', '/home/ann')).toBe('/home/ann/.local/share/Trailboard');
    expect(defaultDataDir({ XDG_DATA_HOME: '/data/ann' }, 'linux', '/home/ann')).toBe('/data/ann/Trailboard');
    expect(defaultDataDir({ XDG_DATA_HOME: 'relative' }, 'linux', '/home/ann')).toBe('/home/ann/.local/share/Trailboard');
    expect(defaultDataDir({}, 'darwin', '/Users/ann')).toBe('/Users/ann/Library/Application Support/Trailboard');
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ann')).toBe(
      join('C:\\Users\\ann\\AppData\\Roaming', 'Trailboard'),
    );
  });

  it('takes a port from 0 (any free one, the default) to 65535 and refuses anything else', () => {
    expect(parseCommandLine([], {}).port).toBe(0);
    expect(parseCommandLine(['--port', '8123'], {}).port).toBe(8123);
    for (const bad of ['-1', '65536', '80.5', 'http', '']) {
      expect(() => parseCommandLine(['--port', bad], {}), bad).toThrow(UsageError);
    }
    expect(() => parseCommandLine(['--host', '0.0.0.0'], {})).toThrow(UsageError);
    expect(() => parseCommandLine(['extra'], {})).toThrow(UsageError);
  });

  it('serves dist/renderer unless told another folder', () => {
    expect(parseCommandLine([], {}).rendererDir).toBe(resolve(import.meta.dirname, '../../../dist/renderer'));
    expect(parseCommandLine(['--renderer-dir', '/tmp/fixture'], {}).rendererDir).toBe('/tmp/fixture');
  });
});
