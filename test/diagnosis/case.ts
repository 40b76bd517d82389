import type { Action } from '../../src/decisions/actions/catalog.js';
import type { GatherTarget } from '../../src/analysis/gather.js';
import type { World } from './world.js';

/**
 * One row of "What Deckhand recognises without an LLM": a failure built through the sandbox's
 * API (plain specs and `sandbox.deckhand.dev/` annotations, as a user would), and what the
 * built-in analyzers must say about it.
 */
export interface DiagnosisCase {
  /** The failure kind, as the table shows it. */
  title: string;
  /** What the finding quotes (for the README). */
  evidence: string;
  /** The catalog proposal or the manual fix (for the README). */
  remedy: string;
  build(world: World): Promise<GatherTarget>;
  expect: {
    analyzer: string;
    kind: string;
    object: string;
    /** The proposal that cures it; without one the finding must carry a manual fix and nothing is proposed by its analyzer. */
    proposal?: Partial<Action> & { type: Action['type'] };
    /** Text the finding's summary or evidence must contain. */
    says?: string;
  };
}
