// The stack config's checks across fields and sites, in the order their problems are listed. Each
// is one named rule (like a placement filter); a new rule is one new entry here.
import type { Sites } from "../sites";
import {
  accessEntriesOnce,
  awsNames,
  awsResolverIpsFit,
  efaZones,
  imagesReachable,
  networkPolicySupport,
} from "./aws";
import { azureClusterRules, azureStorageRules, kmsVaultAcknowledged } from "./azure";
import type { CheckIssue, ConfigCheck } from "./check";
import { backupsCanRun, stagingCanHappen } from "./data";
import { datasetsHostedOnce, onPremStorageGiven } from "./datasets";
import { clusterPhaseReachesClusters } from "./deploy";
import { knownFacts, versionsHonourRenderedObjects } from "./facts";
import { monitoringStoresGiven } from "./monitoring";
import { networksDisjoint } from "./networks";
import { poolNamesUnique, someSite, storesNamedOnce, targetNamesDistinct } from "./sites";
import {
  awsEntryRangesFit,
  onPremPoolInNetwork,
  trafficImagesReachable,
  trafficZoneAnsweredLocally,
} from "./traffic";
import { linksJoinSites, linksOwnSlots } from "./vpn";

export type { CheckIssue, ConfigCheck } from "./check";
export { unstatedVersionNotice } from "./facts";

export const CONFIG_CHECKS: readonly ConfigCheck[] = [
  someSite,
  knownFacts,
  versionsHonourRenderedObjects,
  poolNamesUnique,
  kmsVaultAcknowledged,
  azureClusterRules,
  azureStorageRules,
  imagesReachable,
  awsNames,
  accessEntriesOnce,
  networkPolicySupport,
  linksJoinSites,
  linksOwnSlots,
  efaZones,
  networksDisjoint,
  datasetsHostedOnce,
  onPremStorageGiven,
  backupsCanRun,
  stagingCanHappen,
  storesNamedOnce,
  targetNamesDistinct,
  clusterPhaseReachesClusters,
  monitoringStoresGiven,
  trafficZoneAnsweredLocally,
  onPremPoolInNetwork,
  awsEntryRangesFit,
  awsResolverIpsFit,
  trafficImagesReachable,
];

/** Every problem every check finds. */
export function checkSites(sites: Sites): CheckIssue[] {
  return CONFIG_CHECKS.flatMap((c) => c.check(sites));
}
