import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type * as z from 'zod';
import { AppError } from '../../shared/errors.js';
import { Env, defaultAnthropicModel } from './env.js';
import { type ChannelConfig, type ClusterConfig, FileConfig } from './file.js';

export interface Config {
  env: Env;
  file: FileConfig;
  /** Path of the deckhand.yaml that was read, if any. */
  configPath: string | undefined;
  anthropicModel: string;
}

export interface LoadConfigOptions {
  cwd?: string;
  readFile?: (path: string) => string;
  fileExists?: (path: string) => boolean;
}

/** Name given to the cluster built from KUBECONFIG / KUBE_CONTEXT when deckhand.yaml lists none. */
export const defaultClusterName = 'default';

/**
 * Loads env and deckhand.yaml once. Throws one AppError('config_invalid') whose message
 * lists every problem found, so an operator fixes them all in one go.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: LoadConfigOptions = {}): Config {
  const cwd = options.cwd ?? process.cwd();
  const readFile = options.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  const fileExists = options.fileExists ?? existsSync;
  const problems: string[] = [];

  const envResult = Env.safeParse(env);
  if (!envResult.success) problems.push(...formatIssues(envResult.error.issues, 'env'));
  // Checked on the raw env so it is reported alongside every other env problem.
  if (!env.SLACK_APP_TOKEN?.trim() && !env.SLACK_SIGNING_SECRET?.trim()) {
    problems.push('env: SLACK_SIGNING_SECRET: required in HTTP mode (when SLACK_APP_TOKEN is not set)');
  }

  let configPath: string | undefined;
  let raw: unknown = {};
  const explicit = env.DECKHAND_CONFIG?.trim();
  if (explicit) {
    configPath = resolve(cwd, explicit);
    if (!fileExists(configPath)) problems.push(`DECKHAND_CONFIG: file not found: ${configPath}`);
  } else if (fileExists(resolve(cwd, 'deckhand.yaml'))) {
    configPath = resolve(cwd, 'deckhand.yaml');
  }
  if (configPath && fileExists(configPath)) {
    try {
      raw = parseYaml(readFile(configPath)) ?? {};
    } catch (err) {
      problems.push(`${configPath}: not valid YAML: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  const fileResult = FileConfig.safeParse(raw);
  if (!fileResult.success) problems.push(...formatIssues(fileResult.error.issues, configPath ?? 'deckhand.yaml'));

  if (envResult.success && fileResult.success) {
    const file = withDefaultCluster(fileResult.data, envResult.data);
    problems.push(...crossCheck(file, configPath ?? 'deckhand.yaml'));
    if (problems.length === 0) {
      return { env: envResult.data, file, configPath, anthropicModel: envResult.data.ANTHROPIC_MODEL ?? defaultAnthropicModel };
    }
  }
  throw new AppError('config_invalid', `invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`, {
    retryable: false,
    details: { problems },
  });
}

function formatIssues(issues: readonly z.core.$ZodIssue[], where: string): string[] {
  return issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return `${where}${path ? `: ${path}` : ''}: ${issue.message}`;
  });
}

function withDefaultCluster(file: FileConfig, env: Env): FileConfig {
  if (Object.keys(file.clusters).length > 0) return file;
  const cluster: ClusterConfig = { protectedNamespaces: [] };
  if (env.KUBE_CONTEXT) cluster.context = env.KUBE_CONTEXT;
  return { ...file, clusters: { [defaultClusterName]: cluster } };
}

function crossCheck(file: FileConfig, where: string): string[] {
  const problems: string[] = [];
  for (const [id, channel] of Object.entries(file.channels)) {
    if (!(channel.cluster in file.clusters)) {
      problems.push(`${where}: channels.${id}.cluster: unknown cluster "${channel.cluster}" (known: ${Object.keys(file.clusters).join(', ')})`);
    }
  }
  for (const [id, svc] of Object.entries(file.pagerduty.services)) {
    if (svc.cluster !== undefined && !(svc.cluster in file.clusters)) {
      problems.push(`${where}: pagerduty.services.${id}.cluster: unknown cluster "${svc.cluster}"`);
    }
  }
  return problems;
}

/**
 * Settings of a channel. A channel that deckhand.yaml does not list gets plan mode and
 * no namespaces: Deckhand may talk there but can never act from it.
 */
export function channelConfigOf(config: Pick<Config, 'file'>, channelId: string): ChannelConfig & { configured: boolean } {
  const configured = config.file.channels[channelId];
  if (configured) return { ...configured, configured: true };
  const firstCluster = Object.keys(config.file.clusters)[0] ?? defaultClusterName;
  return {
    mode: 'plan',
    cluster: firstCluster,
    namespaces: [],
    approvers: { users: [], groups: [] },
    yolo: { maxRisk: 'medium', minConfidence: 0.8, allowHigh: false },
    protectedNamespaces: [],
    deny: [],
    configured: false,
  };
}
