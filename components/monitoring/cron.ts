// How long a CronJob's schedule can leave between two runs: a backup is stale once its last
// success is older than that (times a grace factor). Kubernetes reads five-field cron expressions
// (minute hour day-of-month month day-of-week) and the @hourly-style macros.

const MACROS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface Field {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** The value a name's index maps to (months count from 1). */
  nameBase?: number;
}

const FIELDS: Field[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTHS, nameBase: 1 },
  { name: "day of week", min: 0, max: 7, names: DAYS, nameBase: 0 },
];

/** The values one field allows, or the reason it allows none. */
function fieldValues(text: string, field: Field): Set<number> | string {
  const values = new Set<number>();
  const value = (token: string): number | undefined => {
    const named = field.names?.indexOf(token.toUpperCase()) ?? -1;
    if (named >= 0) return named + (field.nameBase ?? 0);
    return /^\d+$/.test(token) ? Number(token) : undefined;
  };
  for (const part of text.split(",")) {
    const [range = "", stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) return `${field.name} "${text}" has a bad step`;
    let from = field.min;
    let to = field.max;
    if (range !== "*" && range !== "?") {
      const [a = "", b] = range.split("-");
      const start = value(a);
      const end = b === undefined ? (stepText === undefined ? start : field.max) : value(b);
      if (start === undefined || end === undefined)
        return `${field.name} "${text}" is not a number, range or list`;
      from = start;
      to = end;
    }
    if (from < field.min || to > field.max || from > to)
      return `${field.name} "${text}" is outside ${field.min}-${field.max}`;
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

/**
 * The longest gap in seconds between two runs of `schedule`, over two years in UTC (long enough
 * for monthly and yearly schedules and leap days), or the reason the schedule cannot be read.
 */
export function longestCronGap(schedule: string): number | string {
  const expression = MACROS[schedule.trim()] ?? schedule.trim();
  const parts = expression.split(/\s+/);
  if (parts.length !== 5)
    return `"${schedule}" is not a cron schedule of five fields (minute hour day-of-month month day-of-week) or a macro such as @daily`;
  const fields: Set<number>[] = [];
  for (const [i, part] of parts.entries()) {
    const values = fieldValues(part, FIELDS[i] as Field);
    if (typeof values === "string") return `"${schedule}": ${values}`;
    fields.push(values);
  }
  const [minutes, hours, monthDays, months, weekDays] = fields as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  if (weekDays.has(7)) weekDays.add(0);
  // Standard cron: with both day fields restricted, a day matches when either does.
  const domAny = parts[2] === "*" || parts[2] === "?";
  const dowAny = parts[4] === "*" || parts[4] === "?";
  const runs: number[] = [];
  const start = Date.UTC(2026, 0, 1);
  for (let day = 0; day < 731; day++) {
    const date = new Date(start + day * 86_400_000);
    if (!months.has(date.getUTCMonth() + 1)) continue;
    const dom = monthDays.has(date.getUTCDate());
    const dow = weekDays.has(date.getUTCDay());
    const matches = domAny && dowAny ? true : domAny ? dow : dowAny ? dom : dom || dow;
    if (!matches) continue;
    for (const h of [...hours].sort((a, b) => a - b))
      for (const m of [...minutes].sort((a, b) => a - b))
        runs.push(date.getTime() / 1000 + h * 3600 + m * 60);
  }
  if (runs.length < 2) return `"${schedule}" runs less than twice in two years`;
  let longest = 0;
  for (let i = 1; i < runs.length; i++)
    longest = Math.max(longest, (runs[i] as number) - (runs[i - 1] as number));
  return longest;
}
