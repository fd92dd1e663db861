export { MockSandbox, parsePrefer, validationProblem } from './MockSandbox';
export type {
  MockPreferences,
  MockProducts,
  MockSandboxOptions,
  MockSandboxRequest,
  MockSandboxResponse,
  SampleRequest,
  ValidationIssue,
} from './MockSandbox';
export { MockState } from './MockState';
export type { MockStateOptions } from './MockState';
export {
  DEFAULT_TARGET_LIMITS,
  buildTarget,
  encodePathSegment,
} from './buildTarget';
export type {
  BuildTargetInput,
  BuiltRequest,
  ParamValue,
  TargetLimits,
} from './buildTarget';
export {
  embeddedIPv4,
  nonPublicReason,
  resolveAndCheckHost,
} from './hostCheck';
export type {
  CheckedHost,
  HostCheckOptions,
  HostLookup,
  ResolvedAddress,
} from './hostCheck';
export { SandboxCaller, shellQuote, toCurl } from './SandboxCaller';
export type { SandboxCallerOptions, SandboxResponse } from './SandboxCaller';
export { prepareOperations, sanitizeSpec } from './prepareOperations';
export type { HttpOperation } from './prepareOperations';
