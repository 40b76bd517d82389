import type { Analyzer } from '../types.js';
import { analyzeConfigError } from './config-error.js';
import { analyzeCpuSaturation } from './cpu-saturation.js';
import { analyzeCrashLoop } from './crash-loop.js';
import { analyzeCronJob } from './cronjob.js';
import { analyzeDaemonSetUnscheduled } from './daemonset-unscheduled.js';
import { analyzeEvictions } from './evictions.js';
import { analyzeFailedMount } from './failed-mount.js';
import { analyzeFailedRollout } from './failed-rollout.js';
import { analyzeFailingProbes } from './failing-probes.js';
import { analyzeHpaAtMax } from './hpa-at-max.js';
import { analyzeHpaUnable } from './hpa-unable.js';
import { analyzeImagePull } from './image-pull.js';
import { analyzeInsufficientResources } from './insufficient-resources.js';
import { analyzeJobFailed } from './job-failed.js';
import { analyzeMissingPullSecret } from './missing-pull-secret.js';
import { analyzeMissingServiceAccount } from './missing-service-account.js';
import { analyzeNodeAffinity } from './node-affinity.js';
import { analyzeNodeNotReady } from './node-not-ready.js';
import { analyzeNodePressure } from './node-pressure.js';
import { analyzeNodesCordoned } from './nodes-cordoned.js';
import { analyzeOomKilled } from './oom-killed.js';
import { analyzePdbBlocking } from './pdb-blocking.js';
import { analyzePodAntiAffinity } from './pod-anti-affinity.js';
import { analyzeProbePort } from './probe-port.js';
import { analyzeProbeTiming } from './probe-timing.js';
import { analyzePvcPending } from './pvc-pending.js';
import { analyzeQuotaExceeded } from './quota-exceeded.js';
import { analyzeReplicaMismatch } from './replica-mismatch.js';
import { analyzeServiceEndpoints } from './service-endpoints.js';
import { analyzeServiceTargetPort } from './service-target-port.js';
import { analyzeStatefulSetStuck } from './statefulset-stuck.js';
import { analyzeUnschedulable } from './unschedulable.js';
import { analyzeUntoleratedTaint } from './untolerated-taint.js';

/** Every built-in analyzer, most specific first (their findings are shown in this order). */
export const builtinAnalyzers: readonly Analyzer[] = [
  analyzeNodeNotReady,
  analyzeNodePressure,
  analyzeQuotaExceeded,
  analyzeMissingServiceAccount,
  // An OrderedReady set stuck on one pod is the headline; that pod's own cause follows.
  analyzeStatefulSetStuck,
  analyzeOomKilled,
  analyzeEvictions,
  analyzeProbeTiming,
  analyzeProbePort,
  analyzeCrashLoop,
  analyzeImagePull,
  analyzeMissingPullSecret,
  analyzeConfigError,
  analyzeFailedMount,
  analyzePvcPending,
  analyzeInsufficientResources,
  analyzeNodeAffinity,
  analyzeUntoleratedTaint,
  analyzePodAntiAffinity,
  analyzeNodesCordoned,
  analyzeUnschedulable,
  analyzeCpuSaturation,
  analyzeFailedRollout,
  analyzeDaemonSetUnscheduled,
  // A CronJob's failing runs head the Job's own failure (which quotes the log line).
  analyzeCronJob,
  analyzeJobFailed,
  analyzeServiceEndpoints,
  analyzeServiceTargetPort,
  analyzeFailingProbes,
  analyzeHpaUnable,
  analyzeHpaAtMax,
  analyzePdbBlocking,
  analyzeReplicaMismatch,
];
