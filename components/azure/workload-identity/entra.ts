// The ranges are facts (components/facts/entra.ts), so the range check reads them without Pulumi.
export { ENTRA_ID_TOKEN_CIDRS } from "../../facts";
