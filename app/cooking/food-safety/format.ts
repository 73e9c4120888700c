/** How food-safety messages write numbers, in one place so every message reads the same. */

/** "63.0 °C": one decimal, a space, °C. */
export function celsius(t: number): string {
  return `${t.toFixed(1)} °C`;
}

/** 45 → "45 min", 215 → "3 h 35 min", 240 → "4 h". */
export function duration(minutes: number): string {
  const whole = Math.round(minutes);
  if (whole < 60) return `${whole} min`;
  const hours = Math.floor(whole / 60);
  const rest = whole % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** "215 minutes (3 h 35 min)"; under an hour just "45 minutes". */
export function minutesWithHours(minutes: number): string {
  const unit = minutes === 1 ? 'minute' : 'minutes';
  return minutes < 60 ? `${minutes} ${unit}` : `${minutes} ${unit} (${duration(minutes)})`;
}

/**
 * Clock time of an epoch-ms instant, "19:42 UTC". The server knows no time zone of the person, so
 * it says UTC rather than guess; a chat assistant can convert it.
 */
export function clockUtc(epochMs: number): string {
  const d = new Date(epochMs);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${hh}:${mm} UTC`;
}
