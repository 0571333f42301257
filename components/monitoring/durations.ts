import { z } from "zod";

// Durations as Prometheus writes them ("15m", "4h", "1h30m"), since rule files, promtool and the
// stack config all read that form; Azure's rule groups take ISO 8601 instead, converted here.

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
const DURATION = /^(\d+[wdhms])+$/;
const PART = /(\d+)([wdhms])/g;

/** Seconds in a Prometheus duration, or undefined when `text` is not one (units w, d, h, m, s, largest first). */
export function durationSeconds(text: string): number | undefined {
  if (!DURATION.test(text)) return undefined;
  let total = 0;
  let last = Number.POSITIVE_INFINITY;
  for (const [, count, unit] of text.matchAll(PART)) {
    const size = UNITS[unit as string] as number;
    // Prometheus refuses "30m1h": units go from the largest down, each once.
    if (size >= last) return undefined;
    last = size;
    total += Number(count) * size;
  }
  return total > 0 ? total : undefined;
}

/** The shortest Prometheus duration for a whole number of seconds: 5400 -> "1h30m". */
export function promDuration(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds <= 0) throw new RangeError(`${seconds} s is not a duration`);
  let rest = seconds;
  let out = "";
  for (const [unit, size] of Object.entries(UNITS).sort(([, a], [, b]) => b - a)) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return out;
}

/** ISO 8601 for a Prometheus duration, as Azure's rule groups want it: "4h" -> "PT4H", "1d" -> "P1D". */
export function isoDuration(text: string): string {
  const seconds = durationSeconds(text);
  if (seconds === undefined) throw new RangeError(`"${text}" is not a Prometheus duration such as 15m or 4h`);
  const days = Math.floor(seconds / 86_400);
  let rest = seconds % 86_400;
  const hours = Math.floor(rest / 3600);
  rest %= 3600;
  const minutes = Math.floor(rest / 60);
  const secs = rest % 60;
  const time = `${hours ? `${hours}H` : ""}${minutes ? `${minutes}M` : ""}${secs ? `${secs}S` : ""}`;
  return `P${days ? `${days}D` : ""}${time ? `T${time}` : ""}`;
}

/** A Prometheus duration between `min` and `max` seconds, as config and args take it. */
export function durationSchema(min: number, max: number) {
  return z.string().superRefine((text, ctx) => {
    const seconds = durationSeconds(text);
    if (seconds === undefined) {
      ctx.addIssue({
        code: "custom",
        message: `${JSON.stringify(text)} is not a duration such as 15m, 4h or 1h30m (units w, d, h, m, s, largest first)`,
      });
    } else if (seconds < min || seconds > max) {
      ctx.addIssue({
        code: "custom",
        message: `${JSON.stringify(text)} is ${seconds < min ? "shorter" : "longer"} than allowed: use ${promDuration(min)} to ${promDuration(max)}`,
      });
    }
  });
}
