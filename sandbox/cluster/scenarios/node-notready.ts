import type { Scenario } from './types.js';

/** node-3's kubelet stopped posting status: Ready=Unknown and the unreachable taint. */
export const nodeNotReadyScenario: Scenario = {
  name: 'node-notready',
  summary: 'node-3 NotReady (kubelet stopped posting node status)',
  nodes: [{ name: 'node-3', ready: false, cpu: '4', memory: '8Gi', internalIP: '10.0.0.13', podCidr: '10.244.3.0/24' }],
  workloads: [],
};
