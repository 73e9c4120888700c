/**
 * What the cooking domain needs from a cooker connection. AnovaClient implements it; the
 * domain depends on this interface only, never on ws or the wire format.
 */
import type { CloudStatus, CookerSnapshot, DeviceInfo, DeviceState } from './types';

export interface StartCommand {
  /** °C, already validated and rounded to 0.1. Sent as `unit:"C"`. */
  targetTempC: number;
  /** Seconds (the cloud counts seconds, never minutes); 0 = no timer. */
  timerSeconds: number;
}

export interface CommandAck {
  /** The requestId the cloud acknowledged with status "ok". */
  requestId: string;
}

export interface CookerPort {
  /** Cloud connection state (for /health and error mapping). */
  cloudStatus(): CloudStatus;
  /** Every cooker on the account, as last listed by the cloud. */
  devices(): DeviceInfo[];
  /** The selected cooker, or null when none is known yet. `online` is computed at call time. */
  selected(): CookerSnapshot | null;
  /**
   * Sends CMD_APC_START to the selected cooker and resolves on its "ok" RESPONSE.
   * Rejects with AnovaError: CLOUD_UNREACHABLE, ANOVA_AUTH_FAILED, DEVICE_OFFLINE, ANOVA_API_ERROR, TIMEOUT.
   * Commands to one cooker run one at a time, in call order.
   */
  startCook(cmd: StartCommand): Promise<CommandAck>;
  /** Sends CMD_APC_STOP to the selected cooker; same errors as startCook. */
  stopCook(): Promise<CommandAck>;
  /** Sends CMD_APC_SET_TEMPERATURE_UNIT (display preference only). */
  setTemperatureUnit(unit: 'C' | 'F'): Promise<CommandAck>;
  /** Subscribe to parsed states of any cooker (used to confirm commands). Returns an unsubscribe. */
  onState(listener: (state: DeviceState) => void): () => void;
  /**
   * Subscribe to the selected cooker going offline (silent beyond the staleness limit, or an
   * explicit offline flag) and coming back, while the cloud is connected. Returns an unsubscribe.
   */
  onOnlineChange(listener: (online: boolean) => void): () => void;
}
