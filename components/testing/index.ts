// For consumers' unit tests (`hybrid-ai-infra/testing`): Pulumi mocks that answer like the clouds
// (ids, ARNs, endpoints, lookups), so programs built on these components run under
// `pulumi.runtime.setMocks`, and a recorder of every registered resource with its inputs.
export { ConfigError, type ConfigIssue } from "../validation";
export { decodeProperties, SECRET, secretPaths, UNKNOWN } from "./decode";
export {
  AZURE_INBOUND_IP,
  awsEndpointIp,
  DEFAULT_MOCK_CLOUD,
  MOCK_AZURE,
  type MockAksCluster,
  type MockCloud,
  type MockNodeGroup,
  RealisticMocks,
  type ReferencedStack,
} from "./mocks";
export { type RecordedResource, Recorder } from "./recorder";
export { type RealisticMocksOptions, setRealisticMocks } from "./set-mocks";
