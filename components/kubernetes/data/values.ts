import { z } from "zod";

// The values a data copy takes from config, checked before anything is declared: a CronJob
// schedule (the five fields Kubernetes accepts), an rclone bandwidth limit (a rate or a
// timetable), and a batch size. Each is refused with what would be valid.

const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day of week", min: 0, max: 7 },
] as const;

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/** The value of one cron atom (a number, or a month or day name), or NaN. */
function atom(text: string, field: number): number {
  const upper = text.toUpperCase();
  if (field === 3 && MONTHS.includes(upper)) return MONTHS.indexOf(upper) + 1;
  if (field === 4 && DAYS.includes(upper)) return DAYS.indexOf(upper);
  return /^\d+$/.test(text) ? Number(text) : Number.NaN;
}

/** What is wrong with one field of a cron expression, or undefined. */
function fieldProblem(text: string, field: number): string | undefined {
  const { name, min, max } = FIELDS[field] as (typeof FIELDS)[number];
  for (const part of text.split(",")) {
    const [range = "", step] = part.split("/");
    if (step !== undefined && !/^[1-9]\d*$/.test(step))
      return `${name} "${part}" has step "${step}"; a step is a positive number`;
    if (range === "*" || (range === "?" && (field === 2 || field === 4))) continue;
    const bounds = range.split("-");
    if (bounds.length > 2) return `${name} "${part}" is not a number, a range a-b or *`;
    for (const b of bounds) {
      const v = atom(b, field);
      if (Number.isNaN(v) || v < min || v > max) return `${name} "${b}" is not within ${min}-${max}`;
    }
    if (bounds.length === 2 && atom(bounds[0] ?? "", field) > atom(bounds[1] ?? "", field))
      return `${name} range "${range}" runs backwards`;
  }
  return undefined;
}

/** What is wrong with a five-field cron expression (as a CronJob's schedule takes it), or undefined. */
export function cronProblem(expression: string): string | undefined {
  if (/^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/.test(expression)) return undefined;
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5)
    return `has ${fields.length} field(s); a schedule has five (minute hour day-of-month month day-of-week), e.g. "0 2 * * *" for 02:00 UTC daily`;
  for (let i = 0; i < 5; i++) {
    const problem = fieldProblem(fields[i] ?? "", i);
    if (problem) return problem;
  }
  return undefined;
}

/** A CronJob schedule, in UTC. */
export const cronScheduleSchema = z.string().superRefine((value, ctx) => {
  const problem = cronProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const pad = (n: string) => n.padStart(2, "0");

/** A schedule in words for the plan: "daily at 02:00 UTC", "weekly on Sunday at 03:00 UTC", or the expression. */
export function describeSchedule(expression: string): string {
  const words: Record<string, string> = {
    "@hourly": "hourly",
    "@daily": "daily at 00:00 UTC",
    "@midnight": "daily at 00:00 UTC",
    "@weekly": "weekly on Sunday at 00:00 UTC",
    "@monthly": "monthly on day 1 at 00:00 UTC",
  };
  if (words[expression]) return words[expression];
  const [m = "", h = "", dom = "", mon = "", dow = ""] = expression.trim().split(/\s+/);
  const at = /^\d+$/.test(m) && /^\d+$/.test(h) ? `at ${pad(h)}:${pad(m)} UTC` : undefined;
  if (at && dom === "*" && mon === "*" && dow === "*") return `daily ${at}`;
  if (at && dom === "*" && mon === "*" && /^\d$/.test(dow)) {
    const day = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][
      Number(dow)
    ];
    return `weekly on ${day} ${at}`;
  }
  if (at && /^\d+$/.test(dom) && mon === "*" && dow === "*") return `monthly on day ${dom} ${at}`;
  if (/^\d+$/.test(m) && h === "*" && dom === "*" && mon === "*" && dow === "*")
    return `hourly at :${pad(m)}`;
  return `on cron "${expression}" (UTC)`;
}

const RATE = String.raw`(off|\d+(\.\d+)?[BKMGTP]?(:\d+(\.\d+)?[BKMGTP]?)?)`;
const SLOT = String.raw`((Mon|Tue|Wed|Thu|Fri|Sat|Sun)-)?([01]\d|2[0-3]):[0-5]\d,${RATE}`;

/** An rclone `--bwlimit`: a rate (`50M`, `1.5G`, `10M:100k` up:down, `off`) or a timetable (`08:00,10M 19:00,off`). */
export const bandwidthSchema = z
  .string()
  .regex(
    new RegExp(`^(${RATE}|${SLOT}( ${SLOT})*)$`, "i"),
    'is not an rclone bandwidth limit: a rate in bytes per second such as "50M" or "1.5G", or a timetable such as "08:00,10M 19:00,off"',
  );

/** A batch size for `--max-transfer`: bytes with a suffix, e.g. `50G`. */
export const batchSizeSchema = z
  .string()
  .regex(/^\d+(\.\d+)?[KMGTP]$/i, 'is not a size such as "50G" (K, M, G, T or P, powers of 1024)');
