import { baseScenario } from './base.js';
import { cartScenario } from './cart-oomkilled.js';
import { checkoutScenario } from './checkout-crashloop.js';
import { frontendScenario } from './frontend-imagepull.js';
import { nodeNotReadyScenario } from './node-notready.js';
import { notificationsScenario } from './notifications-config.js';
import { paymentsScenario } from './payments-stuck-rollout.js';
import { reviewsScenario } from './reviews-no-endpoints.js';
import { searchScenario } from './search-pending.js';
import { shopHealthyScenario } from './shop-healthy.js';
import type { Scenario } from './types.js';

export type { Scenario } from './types.js';

/** Every selectable scenario. `base` is always loaded. Add a scenario: one file, one line here. */
export const scenarioCatalog: readonly Scenario[] = [
  nodeNotReadyScenario,
  checkoutScenario,
  cartScenario,
  frontendScenario,
  searchScenario,
  paymentsScenario,
  shopHealthyScenario,
  reviewsScenario,
  notificationsScenario,
];

export const scenarioNames: readonly string[] = scenarioCatalog.map((s) => s.name);

/** The base scenario plus the named ones (all when `names` is undefined); unknown names throw. */
export function selectScenarios(names?: readonly string[]): Scenario[] {
  if (!names) return [baseScenario, ...scenarioCatalog];
  const unknown = names.filter((n) => !scenarioNames.includes(n) && n !== 'base');
  if (unknown.length) throw new Error(`unknown sandbox scenario(s): ${unknown.join(', ')} (known: ${scenarioNames.join(', ')})`);
  return [baseScenario, ...scenarioCatalog.filter((s) => names.includes(s.name))];
}
