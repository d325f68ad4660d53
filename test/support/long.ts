// Long loops (crash kills, fault seeds, fuzz counts) run a CI-sized count in `npm test` and the full count
// in `npm run test:long`, which sets TRAILBOARD_LONG=1. Tests print how many ran.

/** True in `npm run test:long` (TRAILBOARD_LONG=1). */
export function isLongRun(): boolean {
  return process.env['TRAILBOARD_LONG'] === '1';
}

/** `long` in a long run, else `ci`. */
export function loopCount(ci: number, long: number): number {
  return isLongRun() ? long : ci;
}
