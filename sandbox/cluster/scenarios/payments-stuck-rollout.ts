import { deploymentWorkload, podTemplate, type ProgramOptions } from './builders.js';
import type { Scenario } from './types.js';

const template = (tag: string, program: ProgramOptions) =>
  podTemplate('payments', { image: `registry.example.com/shop/payments:${tag}`, requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' }, readinessPath: '/ready', program });

const healthy: ProgramOptions = { logs: ['level=info msg="starting payments" version=3.0.4', 'level=info msg="ledger connected"', 'level=info msg="listening on :8080"'] };
/** 3.1.0 waits for its ledger database before it listens, and the ledger never answers: a day is "never" here. */
const waitsForLedger: ProgramOptions = {
  startSeconds: 86_400,
  logs: [
    'level=info msg="starting payments" version=3.1.0',
    'level=info msg="connecting to ledger" host=ledger-db.shop.svc:5432',
    'level=warn msg="ledger not reachable, retrying" err="dial tcp 10.96.0.42:5432: i/o timeout"',
  ],
};

/** A failed rollout: 3.1.0 never gets ready (it never listens), the deployment exceeds its progress deadline. */
export const paymentsScenario: Scenario = {
  name: 'payments-stuck-rollout',
  summary: 'shop/payments rollout to 3.1.0 stuck (readiness probe refused: it waits for its ledger), ProgressDeadlineExceeded',
  namespaces: ['shop'],
  workloads: [
    deploymentWorkload('shop', 'payments', 2, [
      { template: template('3.0.4', healthy), replicas: 2, ageMinutes: 60 * 24 * 4 },
      { template: template('3.1.0', waitsForLedger), replicas: 1, ageMinutes: 25 },
    ]),
  ],
};
