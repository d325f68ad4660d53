// A small local ESLint plugin with one rule, `layering/imports`: it reads folder names and keeps imports
// flowing downward between Trailboard's runtimes (the same idea as VS Code's layering rule).
//
//   shared/          pure code for every process: imports only shared/ (never shared/node), no node:*,
//                    no electron, no rxdb at run time (`import type` from rxdb is allowed in shared/model/)
//   shared/node/     the node part of shared: shared/ and shared/node/, node:* allowed
//   src-renderer/    the UI: shared/ only (not shared/node), no node:*, no electron, no rxdb
//   src-main/        shared/, shared/node/ and itself; never src-server/ or src-renderer/
//   src-server/      shared/, shared/node/ and itself; never src-main/ or src-renderer/
//   electron         only from src-main/app/
//   test/, scripts/, files at the top      anything
//
// Type-only imports follow the same rules (a UI whose types come from the core is coupled to it), except
// the one exception above. With `verbatimModuleSyntax`, only `import type` / `export type` and
// `import('x').T` type queries are erased, so `import { type X }` counts as a run-time import.
//
// The rule classifies files by their path relative to `root` (option; defaults to ESLint's cwd).
import { builtinModules } from 'node:module';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

const nodeBuiltins = new Set(builtinModules);

/** Which layer a repository-relative path (forward slashes) belongs to. */
export function layerOf(repoPath) {
  const p = repoPath.startsWith('./') ? repoPath.slice(2) : repoPath;
  if (p.startsWith('../') || p === '..') return { layer: 'outside', sub: '' };
  if (p === 'shared/node' || p.startsWith('shared/node/')) return { layer: 'shared/node', sub: '' };
  if (p.startsWith('shared/')) return { layer: 'shared', sub: p.slice('shared/'.length).split('/')[0] ?? '' };
  for (const layer of ['src-main', 'src-renderer', 'src-server', 'test', 'scripts']) {
    if (p.startsWith(`${layer}/`)) return { layer, sub: p.slice(layer.length + 1).split('/')[0] ?? '' };
  }
  return { layer: 'top', sub: '' };
}

/** What an import specifier names: one of our layers, a node builtin, electron, rxdb, or another package. */
function targetOf(specifier, fromFile, root) {
  if (specifier.startsWith('.') || isAbsolute(specifier)) {
    const abs = resolve(dirname(fromFile), specifier);
    const repoPath = relative(root, abs).split(sep).join('/');
    return { kind: 'ours', ...layerOf(repoPath), path: repoPath };
  }
  const name = packageName(specifier);
  if (specifier.startsWith('node:') || nodeBuiltins.has(name)) return { kind: 'node', name: specifier };
  if (name === 'electron') return { kind: 'electron', name: specifier };
  if (name === 'rxdb') return { kind: 'rxdb', name: specifier };
  return { kind: 'package', name: specifier };
}

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

const ourLayersAllowed = {
  shared: ['shared'],
  'shared/node': ['shared', 'shared/node'],
  'src-renderer': ['shared', 'src-renderer'],
  'src-main': ['shared', 'shared/node', 'src-main'],
  'src-server': ['shared', 'shared/node', 'src-server'],
};

const reasons = {
  shared: 'shared/ is pure code for every process',
  'shared/node': 'shared/node/ builds only on shared/',
  'src-renderer': 'the renderer talks to the core only through the API in shared/',
  'src-main': 'src-main/ builds on shared/ and shared/node/ only',
  'src-server': 'src-server/ builds on shared/ and shared/node/ only',
};

/**
 * Returns undefined when `from` may import `target`, else a short description of what is forbidden.
 * `isTypeOnly` is true for imports erased at compile time.
 */
export function verdict(from, target, isTypeOnly) {
  const allowed = ourLayersAllowed[from.layer];
  if (!allowed) return undefined; // test/, scripts/, top-level files: anything goes
  switch (target.kind) {
    case 'ours':
      return allowed.includes(target.layer) ? undefined : `${target.path} (${target.layer})`;
    case 'node':
      return from.layer === 'shared' || from.layer === 'src-renderer' ? `the node module '${target.name}'` : undefined;
    case 'electron':
      return from.layer === 'src-main' && from.sub === 'app' ? undefined : `'${target.name}' (only src-main/app/ may)`;
    case 'rxdb':
      if (from.layer === 'src-renderer') return `'${target.name}'`;
      if (from.layer === 'shared') {
        return isTypeOnly && from.sub === 'model' ? undefined : `'${target.name}' at run time (shared/model/ may use \`import type\`)`;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** @type {import('eslint').Rule.RuleModule} */
const importsRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Keep imports flowing downward between shared/, shared/node/, src-main/, src-renderer/ and src-server/.' },
    schema: [{ type: 'object', properties: { root: { type: 'string' } }, additionalProperties: false }],
    messages: {
      forbidden: '{{layer}} may not import {{target}}: {{reason}}.',
    },
  },
  create(context) {
    const root = context.options[0]?.root ?? context.cwd;
    const file = context.filename;
    if (!isAbsolute(file)) return {}; // <input> or <text>: nothing to place
    const from = layerOf(relative(root, file).split(sep).join('/'));
    if (!ourLayersAllowed[from.layer]) return {};

    function check(node, sourceNode, isTypeOnly) {
      if (!sourceNode || sourceNode.type !== 'Literal' || typeof sourceNode.value !== 'string') return;
      const target = targetOf(sourceNode.value, file, root);
      const problem = verdict(from, target, isTypeOnly);
      if (problem) {
        const layer = from.layer === 'src-main' && from.sub ? `src-main/${from.sub}/` : `${from.layer}/`;
        context.report({ node: sourceNode, messageId: 'forbidden', data: { layer, target: problem, reason: reasons[from.layer] } });
      }
    }

    return {
      ImportDeclaration: (node) => check(node, node.source, node.importKind === 'type'),
      ExportNamedDeclaration: (node) => check(node, node.source, node.exportKind === 'type'),
      ExportAllDeclaration: (node) => check(node, node.source, node.exportKind === 'type'),
      ImportExpression: (node) => check(node, node.source, false),
      TSImportType: (node) => check(node, node.source, true),
      TSExternalModuleReference: (node) => check(node, node.expression, node.parent?.importKind === 'type'),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') check(node, node.arguments[0], false);
      },
    };
  },
};

export const layeringPlugin = {
  meta: { name: 'trailboard-layering', version: '1.0.0' },
  rules: { imports: importsRule },
};
