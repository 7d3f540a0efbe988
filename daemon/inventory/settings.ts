/** The simulator's settings entity, with defaults for state dirs created before a setting existed. */
import { SETTINGS_ID } from './build.js';
import type { SimulatorSettings } from './model/entity.js';
import type { InventoryReader } from './registry.js';
import { DEFAULT_DELAYS } from './topology.js';

const DEFAULTS: SimulatorSettings = { type: 'SimulatorSettings', id: SETTINGS_ID, name: 'settings', delays: DEFAULT_DELAYS, hostFailuresToTolerate: 1, seed: 'pacific' };

export function simulatorSettings(inventory: InventoryReader): SimulatorSettings {
  const s = inventory.get('SimulatorSettings', SETTINGS_ID);
  return s ? { ...DEFAULTS, ...s, delays: { ...DEFAULT_DELAYS, ...s.delays } } : DEFAULTS;
}
