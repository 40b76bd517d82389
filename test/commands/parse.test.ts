import { describe, expect, it } from 'vitest';
import { parseK8sCommand, subcommands, type ParsedCommand } from '../../src/commands/parse.js';

describe('parseK8sCommand', () => {
  const table: [string, ParsedCommand][] = [
    ['', { kind: 'help' }],
    ['   ', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['HELP', { kind: 'help' }],
    ['--help', { kind: 'help' }],
    ['status', { kind: 'status' }],
    ['clusters', { kind: 'clusters' }],
    ['ask why is checkout crashing', { kind: 'ask', question: 'why is checkout crashing' }],
    ['ask why is checkout crashing in namespace shop', { kind: 'ask', question: 'why is checkout crashing in namespace shop', namespace: 'shop' }],
    ['ask  logs of web -n shop on cluster prod', { kind: 'ask', question: 'logs of web -n shop on cluster prod', namespace: 'shop', cluster: 'prod' }],
    ['ask events --namespace=payments --cluster=staging', { kind: 'ask', question: 'events --namespace=payments --cluster=staging', namespace: 'payments', cluster: 'staging' }],
    ['ask is the cluster ok', { kind: 'ask', question: 'is the cluster ok' }],
    ['ask', { kind: 'invalid', subcommand: 'ask', message: expect.stringContaining('Ask a question') as unknown as string }],
    ['mode', { kind: 'mode' }],
    ['mode plan', { kind: 'mode', mode: 'plan' }],
    ['mode APPROVAL', { kind: 'mode', mode: 'approval' }],
    ['mode yolo', { kind: 'mode', mode: 'yolo' }],
    ['mode turbo', { kind: 'invalid', subcommand: 'mode', message: expect.stringContaining('plan, approval, yolo') as unknown as string }],
    ['pause', { kind: 'pause' }],
    ['pause prod', { kind: 'pause', cluster: 'prod' }],
    ['resume', { kind: 'resume' }],
    ['resume prod extra', { kind: 'invalid', subcommand: 'resume', message: expect.stringContaining('/k8s resume') as unknown as string }],
    ['audit', { kind: 'audit', limit: 10 }],
    ['audit 25', { kind: 'audit', limit: 25 }],
    ['audit 0', { kind: 'invalid', subcommand: 'audit', message: expect.stringContaining('1 to 50') as unknown as string }],
    ['audit 500', { kind: 'invalid', subcommand: 'audit', message: expect.stringContaining('1 to 50') as unknown as string }],
    ['audit inc-42abc', { kind: 'audit', incidentId: 'inc-42abc', limit: 50 }],
    ['audit <script>', { kind: 'invalid', subcommand: 'audit', message: expect.stringContaining('not an incident id') as unknown as string }],
    ['deploy web', { kind: 'unknown', subcommand: 'deploy' }],
    ['Restart', { kind: 'unknown', subcommand: 'Restart' }],
  ];

  it.each(table)('parses %j', (text, expected) => {
    expect(parseK8sCommand(text)).toEqual(expected);
  });

  it('documents every subcommand it parses', () => {
    for (const name of Object.keys(subcommands)) {
      expect(parseK8sCommand(name === 'ask' ? 'ask x' : name).kind).toBe(name);
    }
  });
});
