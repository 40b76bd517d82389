import type { ChannelConfig, Route } from '../core/config/file.js';
import type { Alert } from '../core/incident.js';

/**
 * The channel an alert goes to: the first route whose every condition holds, else the
 * fallback (ALERT_CHANNEL), else the channel that looks after the alert's workload (its
 * cluster, and a namespace it names before one that allows `*`), else undefined. Route labels
 * are matched against the alert's labels plus its target (so `cluster`/`namespace` from a
 * PagerDuty service mapping count) and its normalised `severity`. Pure.
 */
export function routeAlert(alert: Alert, routes: readonly Route[], fallbackChannel: string | undefined, channels: Readonly<Record<string, ChannelConfig>> = {}): string | undefined {
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
  return fallbackChannel ?? channelOfWorkload(alert, channels);
}

/**
 * The channel whose cluster and namespaces cover the alert's target: with no route and no
 * ALERT_CHANNEL, a watched failure in `shop` goes to the channel that may act in `shop`. An
 * alert that names no cluster matches only when exactly one channel names its namespace (or,
 * none naming it, exactly one allows `*`).
 */
function channelOfWorkload(alert: Alert, channels: Readonly<Record<string, ChannelConfig>>): string | undefined {
  const { cluster, namespace } = alert.target;
  if (namespace === undefined) return undefined;
  const covering = (explicit: boolean) =>
    Object.entries(channels)
      .filter(([, c]) => (cluster === undefined || c.cluster === cluster) && (explicit ? c.namespaces.includes(namespace) : c.namespaces.includes('*')))
      .map(([id]) => id);
  const explicit = covering(true);
  const found = explicit.length > 0 ? explicit : covering(false);
  if (cluster === undefined && found.length !== 1) return undefined;
  return found[0];
}
