import { checkSites } from "./checks";
import { platformConfigFields } from "./fields";
import { sitesOf } from "./sites";

/**
 * The whole configuration of one environment: every field, then the checks across fields and sites
 * (./checks), run on the site model. Zod runs them whenever the fields are whole enough to read
 * (a field's own refinement failing does not stop them), so every problem is reported at once.
 */
export const platformConfigSchema = platformConfigFields.superRefine((config, ctx) => {
  for (const { path, message } of checkSites(sitesOf(config)))
    ctx.addIssue({ code: "custom", path: [...path], message });
});
