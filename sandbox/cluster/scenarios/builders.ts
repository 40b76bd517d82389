/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-explicit-any -- the simulated API handles Kubernetes wire JSON, whose shapes vary by kind */
import { parseQuantity } from '../quantity.js';
import type { FaultRule, PodTemplate, Revision, WorkloadSpec } from './types.js';

export interface ContainerOptions {
  image: string;
  env?: Record<string, string>;
  requests?: { cpu?: string; memory?: string };
  limits?: { cpu?: string; memory?: string };
  port?: number;
  readinessPath?: string;
}

/** A pod template as the API server stores it after defaulting. */
export function podTemplate(app: string, container: ContainerOptions, extraLabels: Record<string, string> = {}): PodTemplate {
  const port = container.port ?? 8080;
  const resources: Record<string, unknown> = {};
  if (container.limits) resources.limits = container.limits;
  if (container.requests) resources.requests = container.requests;
  return {
    metadata: { labels: { app, ...extraLabels } },
    spec: {
      containers: [
        {
          name: app,
          image: container.image,
          ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }],
          ...(container.env ? { env: Object.entries(container.env).map(([name, value]) => ({ name, value })) } : {}),
          resources,
          ...(container.readinessPath
            ? {
                readinessProbe: {
                  httpGet: { path: container.readinessPath, port, scheme: 'HTTP' },
                  initialDelaySeconds: 5,
                  timeoutSeconds: 1,
                  periodSeconds: 10,
                  successThreshold: 1,
                  failureThreshold: 3,
                },
              }
            : {}),
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          imagePullPolicy: 'IfNotPresent',
        },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      securityContext: {},
      schedulerName: 'default-scheduler',
    },
  };
}

export function deploymentWorkload(
  namespace: string,
  name: string,
  replicas: number,
  revisions: Revision[],
  options: { faults?: FaultRule[]; logs?: string[] } = {},
): WorkloadSpec {
  return {
    kind: 'Deployment',
    namespace,
    name,
    replicas,
    revisions,
    ...(options.faults ? { faults: options.faults } : {}),
    logs: options.logs ?? defaultLogs(name),
  };
}

export function defaultLogs(name: string): string[] {
  return [
    `level=info msg="starting ${name}"`,
    'level=info msg="config loaded"',
    'level=info msg="listening on :8080"',
    'level=info msg="GET /healthz 200 (0.4ms)"',
  ];
}

function firstContainer(t: PodTemplate): any {
  return t.spec.containers[0] ?? {};
}

export function envOf(t: PodTemplate, name: string): string | undefined {
  const entry = (firstContainer(t).env ?? []).find((e: any) => e.name === name);
  return entry?.value;
}

export function imageOf(t: PodTemplate): string {
  return String(firstContainer(t).image ?? '');
}

/** Memory of the first container in bytes (limits or requests), undefined when unset. */
export function memoryOf(t: PodTemplate, kind: 'limits' | 'requests'): number | undefined {
  return parseQuantity(firstContainer(t).resources?.[kind]?.memory);
}

export const mi = 2 ** 20;
export const gi = 2 ** 30;
