// Pulumi-aware machinery every component uses: common args, tags, child names, protection.
export {
  CLASSIFICATIONS,
  type Common,
  type CommonArgs,
  childName,
  commonArgsShape,
  input,
  resolveCommon,
  statefulOptions,
} from "./common";
