/**
 * Standard 5-field cron schedules as the CronJob controller reads them (robfig/cron's standard
 * parser): minute, hour, day of month, month, day of week; `*`, lists, ranges, steps, month and
 * weekday names, and the @yearly/@monthly/@weekly/@daily/@midnight/@hourly macros. A leading
 * `TZ=` or `CRON_TZ=` is ignored: the sandbox schedules in UTC.
 */
export interface CronSchedule {
  next(afterMs: number): number;
}

const macros: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const monthNames = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const dayNames = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function parseField(field: string, min: number, max: number, names: string[] = [], nameBase = 0): { values: Set<number>; star: boolean } {
  const values = new Set<number>();
  const value = (s: string): number => {
    const i = names.indexOf(s.toLowerCase());
    const n = i >= 0 ? i + nameBase : Number(s);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`failed to parse int from ${s}`);
    return n;
  };
  for (const part of field.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`failed to parse int from ${stepText ?? ''}`);
    let lo: number;
    let hi: number;
    if (range === '*' || range === '?') [lo, hi] = [min, max];
    else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      [lo, hi] = [value(a), value(b)];
    } else {
      lo = value(range);
      hi = stepText === undefined ? lo : max;
    }
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return { values, star: field === '*' || field === '?' };
}

/** Parses a schedule; throws with robfig/cron's wording for what it rejects. */
export function parseCron(schedule: string): CronSchedule {
  let spec = schedule.trim().replace(/^(CRON_)?TZ=\S+\s+/, '');
  spec = macros[spec] ?? spec;
  const fields = spec.split(/\s+/);
  if (fields.length !== 5) throw new Error(`expected exactly 5 fields, found ${fields.length}: ${spec}`);
  const [m = '', h = '', dom = '', mon = '', dow = ''] = fields;
  const minute = parseField(m, 0, 59);
  const hour = parseField(h, 0, 23);
  const day = parseField(dom, 1, 31);
  const month = parseField(mon, 1, 12, monthNames, 1);
  const weekday = parseField(dow.replace(/\b7\b/g, '0'), 0, 6, dayNames);
  // Both day fields restricted: either may match (cron's OR); otherwise both must.
  const dayMatches = (d: Date): boolean => {
    const a = day.values.has(d.getUTCDate());
    const b = weekday.values.has(d.getUTCDay());
    return day.star || weekday.star ? a && b : a || b;
  };
  return {
    next(afterMs) {
      const d = new Date(Math.floor(afterMs / 60_000) * 60_000 + 60_000);
      // Five years of searching at most: a schedule like "0 0 30 2 *" never fires.
      const limit = afterMs + 5 * 366 * 86_400_000;
      while (d.getTime() <= limit) {
        if (!month.values.has(d.getUTCMonth() + 1)) {
          d.setUTCMonth(d.getUTCMonth() + 1, 1);
          d.setUTCHours(0, 0, 0, 0);
        } else if (!dayMatches(d)) {
          d.setUTCDate(d.getUTCDate() + 1);
          d.setUTCHours(0, 0, 0, 0);
        } else if (!hour.values.has(d.getUTCHours())) {
          d.setUTCHours(d.getUTCHours() + 1, 0, 0, 0);
        } else if (!minute.values.has(d.getUTCMinutes())) {
          d.setUTCMinutes(d.getUTCMinutes() + 1, 0, 0);
        } else return d.getTime();
      }
      return Number.POSITIVE_INFINITY;
    },
  };
}
