// The one PolicyPack: a process may serve only one, so nothing else builds it. Run by the Pulumi
// CLI (`pulumi preview --policy-pack policies`) or by `npm run policy`, which starts this file in a
// child process and talks to it as the CLI does.
import { PolicyPack } from "@pulumi/policy";
import { decodeInputsOnce, dispatchAnalyzeByType, readInputsDirectly } from "./kit";
import { ALL_RULES } from "./rules";

decodeInputsOnce();
readInputsDirectly();
dispatchAnalyzeByType();

new PolicyPack("hybrid-ai-infra", { policies: [...ALL_RULES] });
