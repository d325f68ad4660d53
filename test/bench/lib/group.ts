/** What a benchmark group is and what the harness hands it. One group per file in test/bench/groups/. */
import type { Measurement } from './report';

export type BenchContext = {
  /** A fresh folder for this group's files; the harness deletes it when the group ends (even on failure). */
  readonly tempDir: string;
  /** Adds a result row (printed in the final table and written to --json). Never assert: record and go on. */
  readonly record: (measurement: Measurement) => void;
  /** Progress for the person watching, on stderr with the elapsed time; the table goes to stdout. */
  readonly log: (message: string) => void;
};

export type BenchGroup = {
  /** The name given on the command line: `npm run bench -- <name>`. */
  readonly name: string;
  readonly summary: string;
  readonly run: (context: BenchContext) => Promise<void>;
};
