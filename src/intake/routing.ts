import type { Route } from '../core/config/file.js';
import type { Alert } from '../core/incident.js';

/**
 * The channel an alert goes to: the first route whose every condition holds, else the
 * fallback (ALERT_CHANNEL), else undefined. Route labels are matched against the alert's
 * labels plus its target (so `cluster`/`namespace` from a PagerDuty service mapping count)
 * and its normalised `severity`.
 */
export function routeAlert(alert: Alert, routes: readonly Route[], fallbackChannel: string | undefined): string | undefined {
  const labels: Record<string, string | undefined> = { ...alert.target, ...alert.labels };
  labels.severity ??= alert.severity;
  for (const route of routes) {
    const { match } = route;
    if (match.source !== undefined && match.source !== alert.source) continue;
    if (match.severity !== undefined && !match.severity.includes(alert.severity)) continue;
    if (match.pagerdutyService !== undefined && match.pagerdutyService !== alert.service?.id) continue;
    if (!Object.entries(match.labels).every(([name, value]) => labels[name] === value)) continue;
    return route.channel;
  }
  return fallbackChannel;
}
