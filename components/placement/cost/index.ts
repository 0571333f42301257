// The cost terms of the objective, each a small pure file of one shape (`term.ts`), registered in
// `registry.ts` and compiled per input into the table every solver reads (`table.ts`).
export { compute } from "./compute";
export { datasetSources, egress, egressPerReplica } from "./egress";
export { hasMoved, move } from "./move";
export { COST_TERMS, type ReportedField } from "./registry";
export { CostTable, type NodeEntry, type PlacementEntry, type ReplicaEntry } from "./table";
export {
  type CostField,
  type CostTerm,
  type MipSink,
  type NodeTerm,
  type PlacementTerm,
  poolCost,
  poolCostDelta,
  type ReplicaTerm,
} from "./term";
