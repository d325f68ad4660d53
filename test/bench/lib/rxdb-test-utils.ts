/**
 * Loads RxDB's own test utilities (`runPerformanceTests`, `averageSchema`, `averageSchemaData` from
 * 'rxdb/plugins/test-utils').
 *
 * That plugin imports two of RxDB's *dev* dependencies, `async-test-util` (wait, randomString) and `clone`, which
 * are not dependencies of rxdb and so are not installed with it. When they are missing, a module resolve hook
 * serves minimal stand-ins with the same behaviour for what the plugin calls, and the caller is told which. Once
 * the packages are installed (devDependencies async-test-util 2.5.0, clone 2.1.2) the real ones are used and the
 * hook is never registered.
 */
import { registerHooks } from 'node:module';
import type { RxJsonSchema, RxStorage } from 'rxdb';
import type { PerformanceTestConfig, PerformanceTestResult } from 'rxdb/plugins/test-utils';

const STAND_INS: Readonly<Record<string, string>> = {
  'async-test-util': [
    'export function wait(ms = 0) { return new Promise((resolve) => setTimeout(resolve, ms)); }',
    "export function randomString(length = 12, charset = 'abcdefghijklmnopqrstuvwxyz') {",
    "  let text = '';",
    '  for (let i = 0; i < length; i++) text += charset.charAt(Math.floor(Math.random() * charset.length));',
    '  return text;',
    '}',
  ].join('\n'),
  clone: 'export default function clone(value) { return structuredClone(value); }',
};

function isResolvable(specifier: string): boolean {
  try {
    import.meta.resolve(specifier);
    return true;
  } catch {
    return false;
  }
}

export type AverageDocument = { id: string; var1: string; var2: number; deep: object; list: object[] };

export type RxdbTestUtils = {
  readonly runPerformanceTests: (
    storage: RxStorage<unknown, unknown>,
    description: string,
    config?: PerformanceTestConfig,
  ) => Promise<PerformanceTestResult>;
  readonly averageSchema: () => RxJsonSchema<AverageDocument>;
  readonly averageSchemaData: (partial?: Partial<AverageDocument>) => AverageDocument;
  /** How the harness turns a metric's runs into its figure: drops the highest `stripHighestPercent` %, averages the rest. */
  readonly averageOfTimeValues: (times: number[], stripHighestPercent: number) => number;
  /** The packages replaced by stand-ins because they are not installed (empty when all are). */
  readonly standIns: readonly string[];
};

let loaded: Promise<RxdbTestUtils> | undefined;

export function loadRxdbTestUtils(): Promise<RxdbTestUtils> {
  loaded ??= (async () => {
    const missing = Object.keys(STAND_INS).filter((name) => !isResolvable(name));
    if (missing.length > 0) {
      registerHooks({
        resolve(specifier, context, nextResolve) {
          const source = missing.includes(specifier) ? STAND_INS[specifier] : undefined;
          if (source === undefined) return nextResolve(specifier, context);
          return { url: `data:text/javascript,${encodeURIComponent(source)}`, shortCircuit: true };
        },
      });
    }
    const utils = await import('rxdb/plugins/test-utils');
    return {
      runPerformanceTests: utils.runPerformanceTests as RxdbTestUtils['runPerformanceTests'],
      averageSchema: utils.averageSchema as unknown as RxdbTestUtils['averageSchema'],
      averageSchemaData: utils.averageSchemaData as unknown as RxdbTestUtils['averageSchemaData'],
      averageOfTimeValues: utils.averageOfTimeValues,
      standIns: missing,
    };
  })();
  return loaded;
}
