/**
 * Which cooker the server drives, given the cookers known on the account. Pure.
 */
import type { DeviceInfo } from '../cooking/cooker';

export type SelectionProblem =
  | 'configured_not_found' // ANOVA_DEVICE_ID is set but no such cooker on the account
  | 'several_without_id' // several cookers and none configured: the first is used
  | 'no_cookers'; // the account lists no cooker at all

export interface Selection {
  cooker: DeviceInfo | null;
  problem: SelectionProblem | null;
}

export interface SelectionInput {
  /** Known cookers, in list order. */
  devices: DeviceInfo[];
  /** ANOVA_DEVICE_ID, if set. */
  configuredId?: string;
  /**
   * True once the cloud sent its device list. Before that the devices come only from states
   * (created lazily), so "not found" or "several" is not known yet and is not reported.
   */
  listed: boolean;
}

export function selectCooker({ devices, configuredId, listed }: SelectionInput): Selection {
  if (configuredId) {
    const match = devices.find((d) => d.cookerId === configuredId) ?? null;
    return { cooker: match, problem: match || !listed ? null : 'configured_not_found' };
  }
  if (devices.length === 0) return { cooker: null, problem: listed ? 'no_cookers' : null };
  const problem = devices.length > 1 && listed ? 'several_without_id' : null;
  return { cooker: devices[0], problem };
}
