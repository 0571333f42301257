// The cost terms of the objective, each a small pure function.
export { poolComputeCost } from "./compute";
export { datasetSources, egressPerReplica } from "./egress";
export { hasMoved, movePenalty } from "./move";
