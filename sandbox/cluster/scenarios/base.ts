import { deploymentWorkload, podTemplate } from './builders.js';
import type { Scenario } from './types.js';

const coreDnsLogs = ['.:53', '[INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5', 'CoreDNS-1.11.3', 'linux/amd64, go1.21.11, a6338e9'];
const kubeProxyLogs = ['I1121 10:00:00.000000       1 server_linux.go:66] "Using iptables proxy"', 'I1121 10:00:00.100000       1 shared_informer.go:320] Caches are synced for service config'];

/** Always present: two Ready nodes, the system namespaces and their healthy workloads. */
export const baseScenario: Scenario = {
  name: 'base',
  summary: 'two Ready nodes, default/hello, kube-system (coredns, kube-proxy), monitoring/node-exporter',
  nodes: [
    { name: 'node-1', ready: true, cpu: '4', memory: '8Gi', internalIP: '10.0.0.11', podCidr: '10.244.1.0/24' },
    { name: 'node-2', ready: true, cpu: '4', memory: '8Gi', internalIP: '10.0.0.12', podCidr: '10.244.2.0/24' },
  ],
  namespaces: ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'monitoring'],
  workloads: [
    deploymentWorkload('default', 'hello', 1, [
      { template: podTemplate('hello', { image: 'registry.example.com/demo/hello:1.0.0', requests: { cpu: '10m', memory: '16Mi' } }), replicas: 1, ageMinutes: 60 * 24 * 3 },
    ]),
    deploymentWorkload('kube-system', 'coredns', 2, [
      {
        template: podTemplate('coredns', { image: 'registry.k8s.io/coredns/coredns:v1.11.3', port: 53, requests: { cpu: '100m', memory: '70Mi' }, limits: { memory: '170Mi' }, readinessPath: '/ready', program: { logs: coreDnsLogs } }, { 'k8s-app': 'kube-dns' }),
        replicas: 2,
        ageMinutes: 60 * 24 * 30,
      },
    ]),
    {
      kind: 'DaemonSet',
      namespace: 'kube-system',
      name: 'kube-proxy',
      replicas: 0,
      revisions: [{ template: podTemplate('kube-proxy', { image: 'registry.k8s.io/kube-proxy:v1.32.4', port: 10249, program: { logs: kubeProxyLogs } }, { 'k8s-app': 'kube-proxy' }), replicas: 0, ageMinutes: 60 * 24 * 30 }],
    },
    {
      kind: 'DaemonSet',
      namespace: 'monitoring',
      name: 'node-exporter',
      replicas: 0,
      revisions: [{ template: podTemplate('node-exporter', { image: 'quay.io/prometheus/node-exporter:v1.8.2', port: 9100, requests: { cpu: '50m', memory: '32Mi' } }), replicas: 0, ageMinutes: 60 * 24 * 10 }],
    },
  ],
};
