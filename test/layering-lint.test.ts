// The layering rule (scripts/eslint-layering.js) through the repository's real ESLint config: code placed
// at a path in each layer, linted as if it were there.
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

/** Layering messages for `code` linted as the file at `path`; fails the test on a parse error. */
async function layeringMessages(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  if (!result) throw new Error(`no lint result for ${path}`);
  const fatal = result.messages.filter((m) => m.fatal || m.ruleId === null);
  expect(fatal, `lint of ${path} must parse`).toEqual([]);
  return result.messages.filter((m) => m.ruleId === 'layering/imports').map((m) => m.message);
}

type Case = readonly [path: string, code: string];

const allowed: Case[] = [
  ['shared/fold/card.ts', `import { hlc } from '../hlc'; export const a = hlc;`],
  ['shared/events/catalogue.ts', `import { v7 } from 'uuid'; export const a = v7;`],
  ['shared/model/card.ts', `import type { RxJsonSchema } from 'rxdb'; export type S = RxJsonSchema<object>;`],
  ['shared/model/card.ts', `export type D = import('rxdb').RxDocument;`],
  ['shared/model/index.ts', `export type { RxJsonSchema } from 'rxdb';`],
  ['shared/node/logger.ts', `import { writeSync } from 'node:fs'; import { join } from 'path'; import { x } from '../errors'; export const a = [writeSync, join, x];`],
  ['shared/node/relay.ts', `import { y } from './ssrf'; import { request } from 'undici'; export const a = [y, request];`],
  ['src-renderer/lib/api.ts', `import type { Contract } from '../../shared/api/contract'; import { codes } from '../../shared/errors'; export const a: Contract = codes;`],
  ['src-renderer/features/board/Board.tsx', `import { useBoardStore } from '../../stores/board'; import { create } from 'zustand'; export const a = [useBoardStore, create];`],
  ['src-main/store/database.ts', `import { createRxDatabase } from 'rxdb'; import { DatabaseSync } from 'node:sqlite'; import { createLogger } from '../../shared/node/logger'; import { hlc } from '../../shared/hlc'; export const a = [createRxDatabase, DatabaseSync, createLogger, hlc];`],
  ['src-main/app/main.ts', `import { app } from 'electron'; import { ipcMain } from 'electron/main'; import { start } from '../core/start'; export const a = [app, ipcMain, start];`],
  ['src-server/http/routes.ts', `import { createServer } from 'node:http'; import { replicateRxCollection } from 'rxdb/plugins/replication'; import { createLogger } from '../../shared/node/logger'; export const a = [createServer, replicateRxCollection, createLogger];`],
  ['test/main/store/x.test.ts', `import { app } from 'electron'; import { a } from '../../../src-main/store/database'; import { b } from '../../../src-server/http/routes'; import { c } from '../../../src-renderer/lib/api'; export const z = [app, a, b, c];`],
  ['scripts/build.mjs', `import { build } from 'esbuild'; import { readFileSync } from 'node:fs'; export const a = [build, readFileSync];`],
];

const forbidden: ReadonlyArray<readonly [path: string, code: string, message: RegExp]> = [
  // shared/: pure code for every process
  ['shared/fold/card.ts', `import { createLogger } from '../node/logger'; export const a = createLogger;`, /^shared\/ may not import shared\/node\/logger \(shared\/node\)/],
  ['shared/hlc.ts', `import { now } from '../src-main/core/clock'; export const a = now;`, /may not import src-main\/core\/clock \(src-main\)/],
  ['shared/hlc.ts', `import { readFileSync } from 'node:fs'; export const a = readFileSync;`, /may not import the node module 'node:fs'/],
  ['shared/hlc.ts', `import { hrtime } from 'process'; export const a = hrtime;`, /the node module 'process'/],
  ['shared/api/contract.ts', `import { ipcRenderer } from 'electron'; export const a = ipcRenderer;`, /may not import 'electron' \(only src-main\/app\/ may\)/],
  ['shared/model/card.ts', `import { createRxDatabase } from 'rxdb'; export const a = createRxDatabase;`, /may not import 'rxdb' at run time/],
  ['shared/model/card.ts', `import { type RxJsonSchema } from 'rxdb'; export type S = RxJsonSchema<object>;`, /'rxdb' at run time/],
  ['shared/events/catalogue.ts', `import type { RxJsonSchema } from 'rxdb'; export type S = RxJsonSchema<object>;`, /'rxdb' at run time/],
  ['shared/events/catalogue.ts', `import { x } from '../../../elsewhere/x'; export const a = x;`, /\(outside\)/],
  // shared/node/: builds on shared/ only
  ['shared/node/relay.ts', `import { db } from '../../src-main/store/database'; export const a = db;`, /^shared\/node\/ may not import src-main\/store\/database/],
  ['shared/node/relay.ts', `import { app } from 'electron'; export const a = app;`, /'electron'/],
  // src-renderer/: shared/ only
  ['src-renderer/lib/api.ts', `import { createLogger } from '../../shared/node/logger'; export const a = createLogger;`, /^src-renderer\/ may not import shared\/node\/logger \(shared\/node\): the renderer talks to the core only through the API in shared\/\.$/],
  ['src-renderer/lib/api.ts', `import type { Handlers } from '../../src-main/api/handlers'; export type H = Handlers;`, /src-main\/api\/handlers \(src-main\)/],
  ['src-renderer/lib/api.ts', `import { routes } from '../../src-server/http/routes'; export const a = routes;`, /src-server\/http\/routes \(src-server\)/],
  ['src-renderer/lib/api.ts', `import { readFileSync } from 'node:fs'; export const a = readFileSync;`, /the node module 'node:fs'/],
  ['src-renderer/lib/api.ts', `import { join } from 'path'; export const a = join;`, /the node module 'path'/],
  ['src-renderer/lib/api.ts', `import { contextBridge } from 'electron'; export const a = contextBridge;`, /'electron'/],
  ['src-renderer/lib/api.ts', `import type { RxDocument } from 'rxdb'; export type D = RxDocument;`, /'rxdb'/],
  ['src-renderer/lib/api.ts', `export type D = import('rxdb/plugins/core').RxDocument;`, /'rxdb\/plugins\/core'/],
  ['src-renderer/lib/api.ts', `export const load = () => import('node:fs');`, /'node:fs'/],
  ['src-renderer/lib/api.ts', `export * from '../../src-main/api/handlers';`, /src-main\/api\/handlers/],
  ['src-renderer/lib/api.ts', `export { x } from '../../src-main/api/handlers';`, /src-main\/api\/handlers/],
  ['src-renderer/lib/api.ts', `import fs = require('fs'); export const a = fs;`, /the node module 'fs'/],
  // src-main/ and src-server/: never each other, never the renderer; electron only in src-main/app/
  ['src-main/store/database.ts', `import { app } from 'electron'; export const a = app;`, /^src-main\/store\/ may not import 'electron' \(only src-main\/app\/ may\)/],
  ['src-main/core/start.ts', `import { routes } from '../../src-server/http/routes'; export const a = routes;`, /src-server\/http\/routes \(src-server\)/],
  ['src-main/app/main.ts', `import { Board } from '../../src-renderer/features/board/Board'; export const a = Board;`, /src-renderer\/features\/board\/Board \(src-renderer\)/],
  ['src-server/http/routes.ts', `import { db } from '../../src-main/store/database'; export const a = db;`, /^src-server\/ may not import src-main\/store\/database \(src-main\)/],
  ['src-server/http/routes.ts', `import { api } from '../../src-renderer/lib/api'; export const a = api;`, /src-renderer\/lib\/api/],
  ['src-server/http/routes.ts', `import { app } from 'electron'; export const a = app;`, /'electron'/],
];

describe('layering lint rule', () => {
  it.each(allowed)('allows %s to import: %s', async (path, code) => {
    expect(await layeringMessages(path, code)).toEqual([]);
  });

  it.each(forbidden)('forbids in %s: %s', async (path, code, message) => {
    const messages = await layeringMessages(path, code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(message);
  });

  it('reports every forbidden import of a file, not only the first', async () => {
    const code = `import { a } from 'node:fs'; import { b } from '../../src-main/x'; import { c } from '../../shared/ok'; import { d } from 'electron'; export const z = [a, b, c, d];`;
    expect(await layeringMessages('src-renderer/lib/api.ts', code)).toHaveLength(3);
  });
});
