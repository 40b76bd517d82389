import type { Alert, Link, MemberAlert, Severity } from '../../incidents/model.js';
import { targetFromLabels } from '../target.js';
import { cleanText, titleOf, workloadHintOf } from '../title.js';
import type { AlertmanagerPayload } from './schema.js';

const zeroTime = '0001-01-01T00:00:00Z';

/** Turns one Alertmanager group notification into Deckhand's Alert (one incident per groupKey). Pure. */
export function normalizeAlertmanager(payload: AlertmanagerPayload, options: { deliveryId: string; now: string }): Alert {
  const labels = { ...payload.groupLabels, ...payload.commonLabels };
  const alertname = cleanText(labels.alertname) || undefined;
  const summary = cleanText(payload.commonAnnotations.summary) || cleanText(payload.commonAnnotations.description) || undefined;
  const firstMember = payload.alerts.map((a) => cleanText(a.labels.alertname)).find((name) => name !== '');
  const title = titleOf(alertname && summary ? `${alertname}: ${summary}` : (summary ?? alertname), [firstMember, workloadHintOf(labels)], 'Alertmanager');
  const members: MemberAlert[] = payload.alerts.map((a) => {
    const member: MemberAlert = { status: a.status, name: a.labels.alertname ?? alertname ?? 'alert', labels: a.labels };
    const memberSummary = a.annotations.summary ?? a.annotations.description;
    if (memberSummary !== undefined) member.summary = memberSummary;
    if (a.startsAt !== undefined) member.startsAt = a.startsAt;
    if (a.fingerprint !== undefined) member.fingerprint = a.fingerprint;
    return member;
  });
  return {
    source: 'alertmanager',
    externalId: payload.groupKey,
    deliveryId: options.deliveryId,
    eventType: `alertmanager.${payload.status}`,
    title,
    severity: severityOf(labels.severity),
    status: payload.status === 'firing' ? 'triggered' : 'resolved',
    retrigger: false,
    labels,
    target: targetFromLabels(labels),
    links: linksOf(payload),
    members,
    truncatedAlerts: payload.truncatedAlerts,
    occurredAt: occurredAtOf(payload) ?? options.now,
  };
}

function severityOf(label: string | undefined): Severity {
  switch (label?.toLowerCase()) {
    case 'critical':
    case 'page':
      return 'critical';
    case 'high':
    case 'error':
      return 'high';
    case 'info':
    case 'none':
      return 'info';
    default:
      return 'warning';
  }
}

function linksOf(payload: AlertmanagerPayload): Link[] {
  const links: Link[] = [];
  const first = payload.alerts[0];
  if (first?.generatorURL) links.push({ title: 'Prometheus', url: first.generatorURL });
  const runbook = payload.commonAnnotations.runbook_url ?? first?.annotations.runbook_url;
  if (runbook) links.push({ title: 'Runbook', url: runbook });
  if (payload.externalURL) links.push({ title: 'Alertmanager', url: payload.externalURL });
  return links;
}

/** Newest start (firing) or end (resolved) among the alerts: orders events of one group. */
function occurredAtOf(payload: AlertmanagerPayload): string | undefined {
  const times = payload.alerts
    .map((a) => (payload.status === 'resolved' && a.endsAt && a.endsAt !== zeroTime ? a.endsAt : a.startsAt))
    .filter((t): t is string => t !== undefined && t !== zeroTime && !Number.isNaN(Date.parse(t)));
  if (times.length === 0) return undefined;
  return times.reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b));
}
