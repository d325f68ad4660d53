// The API between the renderer and the core, in one import: `import { type Call, parseInput } from '…/shared/api'`.
export * from './contract';
export * from './inputs';
