import loadHighs, { type Highs } from "highs";

// One HiGHS runtime for the whole benchmark run (loading compiles the wasm once).

let runtime: Promise<Highs> | null = null;

export function highs(): Promise<Highs> {
  runtime ??= loadHighs();
  return runtime;
}

/** A number as CPLEX LP text accepts it. */
export function lpNum(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(12).replace(/0+$/, "").replace(/\.$/, "");
}
