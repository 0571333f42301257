// The rules' machinery: how a rule is built and reads inputs (rule.ts, values.ts), type tokens
// (types.ts), address blocks and ports (cidr.ts, ports.ts), AWS policy documents
// (policy-document.ts), pods (pods.ts) and links between resources (stack.ts).

export { type AddonFacts, LIBRARY } from "../facts";
export * from "./cidr";
export * from "./classification";
export * from "./decode-once";
export * from "./dispatch";
export * from "./pods";
export * from "./policy-document";
export * from "./ports";
export * from "./rule";
export * from "./settings";
export * from "./stack";
export * from "./types";
export * from "./values";
export * from "./versions";
