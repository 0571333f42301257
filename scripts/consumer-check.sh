#!/usr/bin/env bash
# What a product team gets from `npm install`: the packed tarball in a scratch project that needs
# only AWS and Kubernetes (no @pulumi/azure-native installed), and in one with AWS alone, every TypeScript block of the README
# compiled there (strict, nodenext), and the testing example run under the realistic mocks.
# Dependencies come from npm's cache where `npm ci` left them.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$root"
npm pack --silent --pack-destination "$work" > /dev/null
# What the registry shows: a license, and every source map's sources inside the package.
mkdir "$work/unpacked" && tar -xzf "$work"/hybrid-ai-infra-*.tgz -C "$work/unpacked"
[ -f "$work/unpacked/package/LICENSE" ] || { echo "consumer-check: the package has no LICENSE" >&2; exit 1; }
node -e '
  const { readdirSync, readFileSync, existsSync, statSync } = require("fs");
  const { join, dirname, resolve } = require("path");
  const walk = (d) => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
  const maps = walk(process.argv[1]).filter((f) => f.endsWith(".map"));
  const missing = maps.flatMap((m) => JSON.parse(readFileSync(m, "utf8")).sources.map((s) => resolve(dirname(m), s)).filter((s) => !existsSync(s)));
  if (missing.length > 0) { console.error(`consumer-check: ${missing.length} source map sources are not in the package, e.g. ${missing[0]}`); process.exit(1); }
  console.log(`consumer-check: ${maps.length} source maps, every source in the package`);
' "$work/unpacked/package"
# The platform stack the README's programs read through a StackReference: the dev plan's outputs.
npm run -s plan -- --stack dev --phase platform --json --no-policy --out "$work/platform.json"
cp stacks/workloads.dev.yaml "$work/workloads.yaml"
tarball="$(ls "$work"/hybrid-ai-infra-*.tgz)"
version() { node -p "require('$root/node_modules/$1/package.json').version"; }
pulumi="$(version @pulumi/pulumi)"
aws="$(version @pulumi/aws)"
kubernetes="$(version @pulumi/kubernetes)"
tls="$(version @pulumi/tls)"
typescript="$(version typescript)"
types_node="$(version @types/node)"
mkdir "$work/consumer"
cd "$work/consumer"
cat > package.json <<JSON
{
  "name": "consumer",
  "private": true,
  "type": "commonjs",
  "dependencies": {
    "hybrid-ai-infra": "file:$tarball",
    "@pulumi/pulumi": "$pulumi",
    "@pulumi/aws": "$aws",
    "@pulumi/kubernetes": "$kubernetes",
    "@pulumi/tls": "$tls"
  },
  "devDependencies": {
    "typescript": "$typescript",
    "@types/node": "$types_node"
  }
}
JSON
npm install --prefer-offline --no-audit --no-fund --loglevel=error > /dev/null
for azure in azure-native azuread; do
  if [ -e "node_modules/@pulumi/$azure" ]; then
    echo "consumer-check: an AWS-only consumer got @pulumi/$azure" >&2
    exit 1
  fi
done
# Every ```ts block of the README, one file each.
node -e '
  const text = require("fs").readFileSync(process.argv[1], "utf8");
  const blocks = [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  blocks.forEach((b, i) => require("fs").writeFileSync(`readme-${i}.ts`, b));
  console.log(`consumer-check: ${blocks.length} README blocks`);
' "$root/README.md"
cat > tsconfig.json <<'JSON'
{
  "compilerOptions": {
    "strict": true,
    "target": "ES2022",
    "module": "nodenext",
    "moduleResolution": "nodenext",
    "skipLibCheck": true,
    "types": ["node"],
    "outDir": "dist"
  },
  "include": ["readme-*.ts"]
}
JSON
npx tsc -p tsconfig.json
# And as Pulumi's stock TypeScript template compiles a program (pulumi/templates aws-typescript's
# tsconfig, byte for byte: classic node resolution through typesVersions, no esModuleInterop, no
# skipLibCheck, every declaration checked), with each TypeScript a user gets: 5.9 exactly as shipped;
# 6.x fails on the template's own `moduleResolution: node` (TS5107, nothing of ours) until the one
# setting the README names is added.
cat > tsconfig.template.json <<'JSON'
{
    "compilerOptions": {
        "strict": true,
        "outDir": "bin",
        "target": "es2020",
        "module": "commonjs",
        "moduleResolution": "node",
        "sourceMap": true,
        "experimentalDecorators": true,
        "pretty": true,
        "noFallthroughCasesInSwitch": true,
        "noImplicitReturns": true,
        "forceConsistentCasingInFileNames": true
    }
}
JSON
mkdir ts5 && (cd ts5 && npm init -y > /dev/null && npm install --prefer-offline --no-audit --no-fund --loglevel=error typescript@5.9 > /dev/null)
ts5/node_modules/.bin/tsc -p tsconfig.template.json --noEmit --pretty false
if npx tsc -p tsconfig.template.json --noEmit --pretty false > ts6.log; then
  echo "consumer-check: TypeScript $typescript accepted moduleResolution node; update the README's note" >&2
  exit 1
fi
if grep -v "error TS5107" ts6.log | grep -q "error TS"; then
  cat ts6.log >&2
  exit 1
fi
node -e '
  const c = JSON.parse(require("fs").readFileSync("tsconfig.template.json", "utf8"));
  c.compilerOptions.ignoreDeprecations = "6.0";
  require("fs").writeFileSync("tsconfig.template6.json", JSON.stringify(c));
'
npx tsc -p tsconfig.template6.json --noEmit
# An AWS-only program (issue 19.25): @pulumi/pulumi and @pulumi/aws alone, no @pulumi/kubernetes,
# compiled with the template's settings (no skipLibCheck: every declaration the aws entry reaches is
# checked, so one that names a @pulumi/kubernetes type fails here), then loaded.
mkdir "$work/aws-only"
cd "$work/aws-only"
cat > package.json <<JSON
{
  "name": "aws-only",
  "private": true,
  "type": "commonjs",
  "dependencies": {
    "hybrid-ai-infra": "file:$tarball",
    "@pulumi/pulumi": "$pulumi",
    "@pulumi/aws": "$aws"
  },
  "devDependencies": {
    "typescript": "$typescript",
    "@types/node": "$types_node"
  }
}
JSON
npm install --prefer-offline --no-audit --no-fund --loglevel=error > /dev/null
for absent in @pulumi/kubernetes @pulumi/azure-native; do
  if [ -e "node_modules/$absent" ]; then
    echo "consumer-check: an AWS-only consumer got $absent" >&2
    exit 1
  fi
done
cat > index.ts <<'TS'
import * as aws from "hybrid-ai-infra/aws";

const vpc = new aws.AwsVpc("net", { cidrBlock: "10.20.0.0/16", natGateways: "single" });
const eks = new aws.AwsPrivateCluster("eks", {
  network: vpc,
  kubernetesVersion: "1.35",
  admins: ["arn:aws:iam::123456789012:role/platform-admin"],
  nodeGroups: [{ name: "general", instanceTypes: ["m7i.xlarge"], minSize: 1, maxSize: 4 }],
  placement: { region: "eu-west-1", jurisdiction: "EU" },
});
const train = new aws.AwsGpuNodeGroup("train", {
  cluster: eks,
  instanceTypes: ["g6e.12xlarge"],
  maxSize: 4,
});
// The cluster phase's inputs as plain data: typed without @pulumi/kubernetes.
export const addons = [eks.addons, train.addons];
export const bucket = new aws.AwsEncryptedBucket("models", {}).bucketName;
TS
# The stock template with the one setting TypeScript 6 needs (the README's note), over index.ts alone.
cp "$work/consumer/tsconfig.template6.json" tsconfig.json
npx tsc -p tsconfig.json
node -e 'require("hybrid-ai-infra/aws"); const loaded = Object.keys(require.cache).filter((p) => p.includes("@pulumi/kubernetes")); if (loaded.length) { console.error("consumer-check: hybrid-ai-infra/aws loaded", loaded[0]); process.exit(1); }'
echo "consumer-check: an AWS-only consumer (no @pulumi/kubernetes) compiles under Pulumi's template settings and loads hybrid-ai-infra/aws"
cd "$work/consumer"
# The testing example runs on its own: realistic mocks, a bucket, the recorder.
testing="$(grep -l 'hybrid-ai-infra/testing' readme-*.ts | head -1)"
node "dist/${testing%.ts}.js"
# Every other block runs as a program under the realistic mocks, reading the dev platform's outputs.
cp "$work/workloads.yaml" workloads.yaml
cat > run-under-mocks.js <<'JS'
const { readFileSync } = require("node:fs");
const { resolve } = require("node:path");
const { setRealisticMocks } = require("hybrid-ai-infra/testing");
const [file, platformFile] = process.argv.slice(2);
(async () => {
  const outputs = JSON.parse(readFileSync(platformFile, "utf8")).outputs;
  const stacks = { "acme/hybrid-ai-infra/dev": { outputs, secretOutputNames: [] } };
  const recorder = await setRealisticMocks({ stack: "dev", stacks });
  const program = require(resolve(file));
  if (typeof program === "function") await program();
  await recorder.settle();
  const made = recorder.resources.filter((r) => r.custom).length;
  console.log(`consumer-check: ${file} declared ${made} resources under the mocks`);
  if (made === 0) process.exitCode = 1;
})().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
JS
for block in readme-*.ts; do
  [ "$block" = "$testing" ] && continue
  node run-under-mocks.js "dist/${block%.ts}.js" "$work/platform.json"
done
echo "consumer-check: the tarball installs without azure-native, the README compiles (nodenext, and Pulumi's stock template with TypeScript 5.9 as shipped and 6.x with ignoreDeprecations) and runs under the mocks; an AWS-only program needs no @pulumi/kubernetes"
