import * as pulumi from "@pulumi/pulumi";
import { RandomPassword } from "@pulumi/random/randomPassword";

/**
 * A tunnel's pre-shared key: 48 characters from the set AWS accepts (letters, digits, `.` and
 * `_`; 8-64 long; not starting with `0`), which Azure and strongSwan accept too. The random
 * provider draws it from the OS's CSPRNG and keeps it secret in state; the fixed first letter keeps
 * AWS's rule, and the other 47 characters carry about 280 bits. `source` is the random resource:
 * a connection that must be replaced when its key changes names it.
 */
export function createPresharedKey(
  name: string,
  parent: pulumi.Resource,
): { key: pulumi.Output<string>; source: RandomPassword } {
  const random = new RandomPassword(
    name,
    { length: 47, special: true, overrideSpecial: "._", minLower: 1, minUpper: 1, minNumeric: 1 },
    { parent, additionalSecretOutputs: ["result"] },
  );
  return { key: pulumi.secret(pulumi.interpolate`k${random.result}`), source: random };
}

/** Whether `key` is one AWS accepts as a tunnel pre-shared key. */
export function isAwsPresharedKey(key: string): boolean {
  return /^[A-Za-z1-9_.][A-Za-z0-9_.]{7,63}$/.test(key);
}
