/**
 * The version of the fold. Change it whenever a reducer's result for the same events changes (a new
 * field, a fixed rule): projections carrying another foldVersion are rebuilt by replay.
 */
export const FOLD_VERSION = 1;
