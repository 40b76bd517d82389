/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-explicit-any -- the simulated API handles Kubernetes wire JSON, whose shapes vary by kind */
import type { PodTemplate, Revision, WorkloadSpec } from './types.js';

export interface ContainerOptions {
  image: string;
  env?: Record<string, string>;
  /** Environment entries as written in the spec (valueFrom and the like), after `env`. */
  envEntries?: any[];
  /** The program (`sandbox.deckhand.dev/…` annotations without the prefix): exit-code, logs, memory… */
  program?: ProgramOptions;
  requests?: { cpu?: string; memory?: string };
  limits?: { cpu?: string; memory?: string };
  port?: number;
  readinessPath?: string;
}

export interface ProgramOptions {
  exitCode?: number;
  runSeconds?: number;
  logs?: string[];
  memory?: string;
  cpu?: string;
  listen?: string;
  startSeconds?: number;
}

/** The template annotations that describe a program (see controller/program.ts). */
export function programAnnotations(p: ProgramOptions): Record<string, string> {
  const a: Record<string, string> = {};
  const set = (key: string, value: string | number | undefined) => {
    if (value !== undefined) a[`sandbox.deckhand.dev/${key}`] = String(value);
  };
  set('exit-code', p.exitCode);
  set('run-seconds', p.runSeconds);
  set('logs', p.logs?.join('\n'));
  set('memory', p.memory);
  set('cpu', p.cpu);
  set('listen', p.listen);
  set('start-seconds', p.startSeconds);
  return a;
}

/** A pod template as the API server stores it after defaulting. */
export function podTemplate(app: string, container: ContainerOptions, extraLabels: Record<string, string> = {}): PodTemplate {
  const port = container.port ?? 8080;
  const resources: Record<string, unknown> = {};
  if (container.limits) resources.limits = container.limits;
  if (container.requests) resources.requests = container.requests;
  const annotations = container.program ? programAnnotations(container.program) : {};
  const env = [...Object.entries(container.env ?? {}).map(([name, value]) => ({ name, value })), ...(container.envEntries ?? [])];
  return {
    metadata: { labels: { app, ...extraLabels }, ...(Object.keys(annotations).length ? { annotations } : {}) },
    spec: {
      containers: [
        {
          name: app,
          image: container.image,
          ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }],
          ...(env.length ? { env } : {}),
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

export function deploymentWorkload(namespace: string, name: string, replicas: number, revisions: Revision[]): WorkloadSpec {
  return { kind: 'Deployment', namespace, name, replicas, revisions };
}
