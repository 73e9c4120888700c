/**
 * What the cloud has told us about the account: its cookers (from EVENT_APC_WIFI_LIST, or from a
 * state that arrived before the list), each cooker's latest state, and which one is selected.
 * Pure: time comes in as arguments, and each update returns what changed so the caller can log
 * and emit.
 */
import { type Selection, selectCooker } from './selection';
import type { DeviceInfo, DeviceState } from '../cooking/cooker';

export interface CookerRecord {
  state: DeviceState;
  /** Clock time the state arrived. */
  receivedAt: number;
}

export interface SelectionChange {
  previous: Selection;
  next: Selection;
}

export interface ListUpdate {
  /** False for a repeat of the list we already had. */
  changed: boolean;
  /** True for the first list ever received (even an empty one). */
  first: boolean;
  selection: SelectionChange;
}

export interface StateUpdate {
  /** The cooker this state introduced (not listed yet), else null. */
  added: DeviceInfo | null;
  selection: SelectionChange;
}

export class CookerDirectory {
  /** In list order, then cookers known only from their states. */
  private cookers = new Map<string, DeviceInfo>();
  private readonly records = new Map<string, CookerRecord>();
  /** Only a list tells "not on the account" or "several": states alone do not. */
  private listed = false;
  private current: Selection = { cooker: null, problem: null };

  constructor(private readonly configuredId: string | undefined) {}

  devices(): DeviceInfo[] {
    return [...this.cookers.values()].map((d) => ({ ...d }));
  }

  info(cookerId: string): DeviceInfo | null {
    const info = this.cookers.get(cookerId);
    return info ? { ...info } : null;
  }

  record(cookerId: string): CookerRecord | undefined {
    return this.records.get(cookerId);
  }

  selection(): Selection {
    return this.current;
  }

  /**
   * Applies an EVENT_APC_WIFI_LIST payload: the list replaces what we knew (invalid entries and
   * repeated ids are skipped). Null when the payload is not a list at all.
   */
  applyList(payload: unknown): ListUpdate | null {
    if (!Array.isArray(payload)) return null;
    const next = new Map<string, DeviceInfo>();
    for (const entry of payload) {
      const info = toDeviceInfo(entry);
      if (info && !next.has(info.cookerId)) next.set(info.cookerId, info);
    }
    const changed = JSON.stringify([...next.values()]) !== JSON.stringify([...this.cookers.values()]);
    const first = !this.listed;
    this.listed = true;
    this.cookers = next;
    for (const id of [...this.records.keys()]) if (!next.has(id)) this.records.delete(id);
    return { changed, first, selection: this.reselect() };
  }

  /** Stores a parsed state; a cooker nobody listed yet is known from the state itself (§5.7). */
  applyState(state: DeviceState, receivedAt: number): StateUpdate {
    this.records.set(state.cookerId, { state, receivedAt });
    let added: DeviceInfo | null = null;
    // Without a type no command could address it, so such a cooker waits for the list.
    if (!this.cookers.has(state.cookerId) && state.type !== '') {
      added = { cookerId: state.cookerId, type: state.type, name: `Anova cooker (${state.type})` };
      this.cookers.set(added.cookerId, added);
    }
    return { added: added && { ...added }, selection: this.reselect() };
  }

  private reselect(): SelectionChange {
    const previous = this.current;
    this.current = selectCooker({ devices: this.devices(), configuredId: this.configuredId, listed: this.listed });
    return { previous, next: this.current };
  }
}

function toDeviceInfo(entry: unknown): DeviceInfo | null {
  if (typeof entry !== 'object' || entry === null) return null;
  const e = entry as Record<string, unknown>;
  if (typeof e.cookerId !== 'string' || e.cookerId === '' || typeof e.type !== 'string' || e.type === '') return null;
  const info: DeviceInfo = {
    cookerId: e.cookerId,
    type: e.type,
    name: typeof e.name === 'string' && e.name !== '' ? e.name : `Anova cooker (${e.type})`,
  };
  if (typeof e.pairedAt === 'string') info.pairedAt = e.pairedAt;
  return info;
}
