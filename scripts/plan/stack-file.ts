import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseYamlFile } from "../../components/validation";

/** A stack's configuration as the Pulumi CLI would hand it to the program. */
export interface StackFile {
  project: string;
  stack: string;
  /** `namespace:key` -> value; structured values JSON-encoded, as the CLI passes them. */
  config: Record<string, string>;
  /** Keys whose values are secret; their values here are placeholders. */
  secretKeys: string[];
}

/** A stack that cannot be read: the message says which and what exists. */
export class StackFileError extends Error {
  override readonly name = "StackFileError";
}

/** The project name in `root/Pulumi.yaml`. */
export function readProjectName(root: string): string {
  const projectFile = join(root, "Pulumi.yaml");
  if (!existsSync(projectFile)) throw new StackFileError(`${projectFile} does not exist`);
  const project = parseYamlFile(projectFile, readFileSync(projectFile, "utf8")) as { name?: string };
  if (!project.name) throw new StackFileError(`${projectFile} has no project name`);
  return project.name;
}

/**
 * Reads `Pulumi.yaml` and the stack's `Pulumi.<stack>.yaml` from the project at `root`. Secure
 * values cannot be decrypted without the stack's secrets provider, so each becomes a placeholder
 * and its key is marked secret: the program sees a secret, just not the real one.
 */
export function readStackFile(root: string, stack: string): StackFile {
  const projectFile = join(root, "Pulumi.yaml");
  const project = parseYamlFile(projectFile, readFileSync(projectFile, "utf8")) as {
    name?: string;
    stackConfigDir?: string;
  };
  if (!project.name) throw new StackFileError(`${projectFile} has no project name`);
  const dir = join(root, project.stackConfigDir ?? ".");
  const file = join(dir, `Pulumi.${stack}.yaml`);
  if (!existsSync(file)) {
    const stacks = readdirSync(dir)
      .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
      .filter((s): s is string => Boolean(s));
    throw new StackFileError(
      `no stack "${stack}": ${file} does not exist; stacks here: ${stacks.join(", ") || "none"}`,
    );
  }
  const doc = (parseYamlFile(file, readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [rawKey, value] of Object.entries(doc.config ?? {})) {
    const key = rawKey.includes(":") ? rawKey : `${project.name}:${rawKey}`;
    const { plain, secret } = replaceSecure(value, key);
    config[key] = typeof plain === "string" ? plain : JSON.stringify(plain);
    if (secret) secretKeys.push(key);
  }
  return { project: project.name, stack, config, secretKeys };
}

function replaceSecure(value: unknown, key: string): { plain: unknown; secret: boolean } {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    if (Object.keys(record).length === 1 && typeof record.secure === "string") {
      return { plain: `[secure config ${key}: set with pulumi config set --secret]`, secret: true };
    }
    let secret = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) {
      const inner = replaceSecure(v, key);
      out[k] = inner.plain;
      secret ||= inner.secret;
    }
    return { plain: out, secret };
  }
  if (Array.isArray(value)) {
    const items = value.map((v) => replaceSecure(v, key));
    return { plain: items.map((i) => i.plain), secret: items.some((i) => i.secret) };
  }
  return { plain: value, secret: false };
}
