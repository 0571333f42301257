import { RCLONE_EXIT_CODES, RCLONE_UNHASHED_NOTICE } from "../../facts";

// The two programs a data copy Job runs in the rclone image (busybox sh, awk, shuf; the lab runs
// them with dash and coreutils): POSIX shell around rclone, every step's failure fatal. They take
// their settings from the environment the Job sets (none secret) and log JSON lines beside
// rclone's own `--use-json-log` stats, so one log query follows a copy.
//
// copy.sh (backups and staging):
//   1. copy (backups, additive) or sync (staging, a mirror) SOURCE to DESTINATION in batches of
//      BATCH bytes (`--max-transfer`, exit 8 = batch done, go on), progress every STATS; a rerun
//      after an interruption copies only what is missing or torn;
//   2. manifest: the MD5 of every source object, from stored hashes, and for objects that have
//      none (SSE-KMS objects other tools wrote, multipart uploads) from their bytes;
//   3. verify: DESTINATION against the manifest by stored hashes; the objects rclone could not
//      check by hash (`N hashes could not be checked`, which rclone counts as matches and exits 0
//      on) are compared by their bytes; any difference or missing object fails the Job;
//   4. backups only: the manifest is written beside the backup (MANIFEST), for the restore drill.
// drill.sh (restore drills): fetch the manifest, restore a random SAMPLE of its objects to scratch
// space, compare their MD5s with the manifest, fail naming every object that differs or is gone.

const UNHASHED = RCLONE_UNHASHED_NOTICE;
const BATCH_DONE = RCLONE_EXIT_CODES.transferLimit;

/** Shell parameter expansions, written apart so the templates below hold no `${...}` of their own. */
const JOB = "$" + "{JOB_NAME:-copy}";
const WORK_DEFAULT = "$" + "{WORK:-/work}";

/** What both scripts start with: strict mode, JSON log lines, helpers. */
const PRELUDE = String.raw`set -eu
WORK="${WORK_DEFAULT}"
mkdir -p "$WORK"
json() { printf '%s' "$1" | tr '\n\t' '  ' | sed 's/\\/\\\\/g; s/"/\\"/g'; }
say() { printf '{"level":"notice","source":"hybrid-ai-infra","job":"%s","msg":"%s","time":"%s"}\n' "$(json "${JOB}")" "$(json "$1")" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >&2; }
fail() { printf '{"level":"error","source":"hybrid-ai-infra","job":"%s","msg":"%s","time":"%s"}\n' "$(json "${JOB}")" "$(json "$1")" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >&2; exit 1; }
# rclone md5sum lines are "<32 hex or blanks>  <path>"; a blank hash means the store keeps none.
names_without_hash() { awk 'substr($0, 1, 32) !~ /^[0-9a-f]+$/ { print substr($0, 35) }' "$1"; }
with_hash() { awk 'substr($0, 1, 32) ~ /^[0-9a-f]+$/' "$1"; }
# The lines of manifest $1 whose path is listed in file $2.
lines_for() { awk 'NR == FNR { want[$0] = 1; next } (substr($0, 35) in want)' "$2" "$1"; }
# First lines of a list, for messages.
first() { head -n 10 "$1" | awk 'NR > 1 { printf ", " } { printf "%s", $0 }'; }
`;

/** The backup and staging program. */
export const COPY_SCRIPT = `#!/bin/sh
# hybrid-ai-infra data copy: SOURCE to DESTINATION (MODE backup or staging), every object verified
# by MD5. Settings from the environment: SOURCE, DESTINATION, MODE, MANIFEST (backups), BATCH,
# PHASES (default "copy verify"), and rclone's own RCLONE_* flags (transfers, bandwidth, stats).
${PRELUDE}: "\${SOURCE:?SOURCE is not set}" "\${DESTINATION:?DESTINATION is not set}" "\${MODE:?MODE is not set}"
BATCH="\${BATCH:-50G}"
PHASES="\${PHASES:-copy verify}"
case "$MODE" in
  backup) VERB=copy; : "\${MANIFEST:?MANIFEST is not set}" ;;
  staging) VERB=sync ;;
  *) fail "MODE is $MODE; backup or staging" ;;
esac

copy() {
  batch=0
  while :; do
    batch=$((batch + 1))
    say "$MODE batch $batch: $VERB $SOURCE to $DESTINATION, up to $BATCH"
    set +e
    rclone "$VERB" "$SOURCE" "$DESTINATION" --max-transfer "$BATCH" --cutoff-mode soft
    code=$?
    set -e
    [ "$code" -eq 0 ] && break
    # ${BATCH_DONE}: the batch reached --max-transfer; the next one lists again and goes on.
    [ "$code" -eq ${BATCH_DONE} ] || fail "$VERB failed in batch $batch (rclone exit $code); a rerun resumes where it stopped"
  done
  say "$MODE: $VERB complete after $batch batch(es)"
}

manifest() {
  rclone md5sum "$SOURCE" --output-file "$WORK/source.md5"
  names_without_hash "$WORK/source.md5" > "$WORK/source.unhashed"
  with_hash "$WORK/source.md5" > "$WORK/manifest.md5"
  if [ -s "$WORK/source.unhashed" ]; then
    say "$(wc -l < "$WORK/source.unhashed") source object(s) have no stored MD5: hashing their bytes"
    rclone md5sum "$SOURCE" --download --files-from "$WORK/source.unhashed" --output-file "$WORK/source.read.md5"
    with_hash "$WORK/source.read.md5" >> "$WORK/manifest.md5"
  fi
  total=$(wc -l < "$WORK/source.md5")
  hashed=$(wc -l < "$WORK/manifest.md5")
  [ "$hashed" -eq "$total" ] || fail "manifest: $hashed of $total source objects have an MD5"
  say "manifest: $total object(s) of $SOURCE, each with its MD5"
}

verify() {
  [ -f "$WORK/manifest.md5" ] || manifest
  total=$(wc -l < "$WORK/manifest.md5")
  : > "$WORK/differ"; : > "$WORK/missing"
  set +e
  rclone check --checkfile MD5 "$WORK/manifest.md5" "$DESTINATION" --one-way \\
    --differ "$WORK/differ" --missing-on-dst "$WORK/missing" 2> "$WORK/check.log"
  code=$?
  set -e
  cat "$WORK/check.log" >&2
  if [ "$code" -ne 0 ] || [ -s "$WORK/differ" ] || [ -s "$WORK/missing" ]; then
    fail "verify: $(wc -l < "$WORK/differ") object(s) differ from the source ($(first "$WORK/differ")), $(wc -l < "$WORK/missing") missing ($(first "$WORK/missing")) in $DESTINATION (rclone exit $code)"
  fi
  if grep -q "${UNHASHED}" "$WORK/check.log"; then
    # rclone counted these as matches without comparing anything: compare their bytes.
    rclone md5sum "$DESTINATION" --output-file "$WORK/destination.md5"
    names_without_hash "$WORK/destination.md5" > "$WORK/destination.unhashed"
    lines_for "$WORK/manifest.md5" "$WORK/destination.unhashed" > "$WORK/unhashed.md5"
    say "verify: $(wc -l < "$WORK/destination.unhashed") object(s) have no MD5 in $DESTINATION: comparing their bytes"
    set +e
    rclone check --checkfile MD5 "$WORK/unhashed.md5" "$DESTINATION" --one-way --download \\
      --files-from "$WORK/destination.unhashed" --differ "$WORK/differ" 2> "$WORK/check.log"
    code=$?
    set -e
    cat "$WORK/check.log" >&2
    if [ "$code" -ne 0 ] || [ -s "$WORK/differ" ] || grep -q "${UNHASHED}" "$WORK/check.log"; then
      fail "verify: $(wc -l < "$WORK/differ") object(s) differ from the source by their bytes ($(first "$WORK/differ")) in $DESTINATION (rclone exit $code)"
    fi
  fi
  say "verify: all $total object(s) of $SOURCE are in $DESTINATION with the same MD5"
}

for phase in $PHASES; do
  case "$phase" in
    copy) copy ;;
    verify) manifest; verify ;;
    *) fail "unknown phase $phase" ;;
  esac
done
if [ "$MODE" = backup ] && [ -f "$WORK/manifest.md5" ]; then
  rclone copyto "$WORK/manifest.md5" "$MANIFEST"
  say "backup: manifest of $(wc -l < "$WORK/manifest.md5") object(s) written to $MANIFEST"
fi
say "$MODE of $SOURCE to $DESTINATION done"
`;

/** The restore drill program. */
export const DRILL_SCRIPT = `#!/bin/sh
# hybrid-ai-infra restore drill: reads a random sample of a backup back and compares it with the
# manifest the backup wrote. Settings: BACKUP (remote:path of the backup), MANIFEST, SAMPLE.
${PRELUDE}: "\${BACKUP:?BACKUP is not set}" "\${MANIFEST:?MANIFEST is not set}"
SAMPLE="\${SAMPLE:-25}"
rm -f "$WORK/manifest.md5"
# rclone copyto of a missing object exits 0 having copied nothing: the file's absence is the error.
rclone copyto "$MANIFEST" "$WORK/manifest.md5" || true
[ -s "$WORK/manifest.md5" ] || fail "drill: cannot read the manifest $MANIFEST; has the backup ever completed?"
total=$(wc -l < "$WORK/manifest.md5")
[ "$total" -gt 0 ] || fail "drill: the manifest $MANIFEST lists no object"
awk '{ print substr($0, 35) }' "$WORK/manifest.md5" | shuf -n "$SAMPLE" > "$WORK/sample"
lines_for "$WORK/manifest.md5" "$WORK/sample" > "$WORK/sample.md5"
picked=$(wc -l < "$WORK/sample")
say "drill: restoring $picked of $total object(s) from $BACKUP"
rm -rf "$WORK/restore"
set +e
# Each download is checked against the backup's stored MD5 where it has one ("corrupted on transfer").
rclone copy "$BACKUP" "$WORK/restore" --files-from "$WORK/sample" --no-traverse 2> "$WORK/restore.log"
code=$?
set -e
cat "$WORK/restore.log" >&2
: > "$WORK/differ"; : > "$WORK/missing"
set +e
rclone check --checkfile MD5 "$WORK/sample.md5" "$WORK/restore" --one-way \\
  --differ "$WORK/differ" --missing-on-dst "$WORK/missing" 2> "$WORK/check.log"
check=$?
set -e
cat "$WORK/check.log" >&2
restored=$(find "$WORK/restore" -type f 2> /dev/null | wc -l)
if [ "$code" -ne 0 ] || [ "$check" -ne 0 ] || [ -s "$WORK/differ" ] || [ -s "$WORK/missing" ] || [ "$restored" -ne "$picked" ]; then
  fail "RESTORE DRILL FAILED for $BACKUP: $(wc -l < "$WORK/differ") restored object(s) differ from the manifest ($(first "$WORK/differ")), $(wc -l < "$WORK/missing") missing ($(first "$WORK/missing")); $restored of $picked restored (rclone exits $code, $check)"
fi
rm -rf "$WORK/restore"
say "drill: $picked of $total object(s) restored from $BACKUP match the manifest"
`;
