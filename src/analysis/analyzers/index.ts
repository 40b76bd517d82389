import type { Analyzer } from '../types.js';
import { analyzeConfigError } from './config-error.js';
import { analyzeCrashLoop } from './crash-loop.js';
import { analyzeFailedRollout } from './failed-rollout.js';
import { analyzeFailingProbes } from './failing-probes.js';
import { analyzeHpaAtMax } from './hpa-at-max.js';
import { analyzeImagePull } from './image-pull.js';
import { analyzeNodeNotReady } from './node-not-ready.js';
import { analyzeOomKilled } from './oom-killed.js';
import { analyzeReplicaMismatch } from './replica-mismatch.js';
import { analyzeUnschedulable } from './unschedulable.js';

/** Every built-in analyzer, most specific first (their findings are shown in this order). */
export const builtinAnalyzers: readonly Analyzer[] = [
  analyzeNodeNotReady,
  analyzeOomKilled,
  analyzeCrashLoop,
  analyzeImagePull,
  analyzeConfigError,
  analyzeUnschedulable,
  analyzeFailedRollout,
  analyzeFailingProbes,
  analyzeHpaAtMax,
  analyzeReplicaMismatch,
];
