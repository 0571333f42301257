import { compute } from "./compute";
import { egress } from "./egress";
import { move } from "./move";

// The terms of the objective, in the order the result reports them. A new term: its file, a line
// here, and its field in `PlacementResult["cost"]` (the result does not compile until every field
// there is some term's).

export const COST_TERMS = [compute, egress, move] as const;

/** The fields of `PlacementResult["cost"]` the registered terms fill. */
export type ReportedField = (typeof COST_TERMS)[number]["field"];
