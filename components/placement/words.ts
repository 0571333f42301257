import type { RejectionCode } from "./types";

// How the engine writes numbers, money and lists inside its sentences, so every sentence reads alike.

/** A quantity with at most two decimals and no trailing zeros: 14.4, 0.25, 3. */
export function num(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** Dollars per hour as people read them: $0.42, $12.00; tiny amounts keep two significant digits. */
export function money(value: number): string {
  const abs = Math.abs(value);
  const digits = abs >= 0.01 || abs === 0 ? abs.toFixed(2) : abs.toPrecision(2);
  return `${value < 0 ? "-" : ""}$${digits}`;
}

/** A signed amount of money: +$0.42, -$1.10. */
export function signedMoney(value: number): string {
  return value < 0 ? money(value) : `+${money(value)}`;
}

/** `a, b, c and 2 more`. */
export function list(items: readonly string[], max = 5): string {
  if (items.length === 0) return "none";
  const shown = items.slice(0, max).join(", ");
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

/** `8 x H100` or `2 x A100 or H100` or `1 x GPU`. */
export function gpus(count: number, models: readonly string[] | null): string {
  return `${count} x ${models === null ? "GPU" : models.join(" or ")}`;
}

/** `4 CPU / 16 GiB`, with `/ 1 x A100` when GPUs are involved. */
export function shape(
  cpu: number,
  memoryGiB: number,
  gpu = 0,
  models: readonly string[] | null = null,
): string {
  const base = `${num(cpu)} CPU / ${num(memoryGiB)} GiB`;
  return gpu > 0 ? `${base} / ${gpus(gpu, models)}` : base;
}

/** `10%`. */
export function percent(share: number): string {
  return `${num(share * 100)}%`;
}

/** What a rejection code tells the user, as the last clause of a sentence that carries one. */
const CODE_WORDS: Record<RejectionCode, string> = {
  Unschedulable: "; a capacity change could fix this",
  UnschedulableAndUnresolvable: "; no capacity change can fix this",
};

/** `needs 8 x H100 per node; aws/p5 has 4 x H100; a capacity change could fix this`. */
export function withCode(sentence: string, code: RejectionCode): string {
  return sentence + CODE_WORDS[code];
}
