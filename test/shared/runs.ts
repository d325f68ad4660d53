// How many cases a property test runs: a CI-sized count in `npm test`, the full count in
// `npm run test:long`. Prints the count so the report shows how many ran.
import { loopCount } from '../support/long';

export function propertyRuns(name: string, ci: number, long: number): number {
  const count = loopCount(ci, long);
  console.log(`${name}: ${count} runs`);
  return count;
}
