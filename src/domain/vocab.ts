/** The closed vocabularies of the domain model (DESIGN.md, "The nouns"). */
export const ORGANIZATION_KINDS = [
  'regulated',
  'parent',
  'subsidiary',
  'affiliate',
  'provider',
  'subcontractor',
  'regulator',
  'other',
] as const;
export const MEASURE_CATEGORIES = [
  'safety_management',
  'contractor_management',
  'governance',
  'user_communication',
] as const;
export const MEASURE_KINDS = ['emergency', 'permanent'] as const;
/**
 * A measure is `completed` when it is implemented, and `closed` only once its latest verification
 * found it effective with evidence attached (src/domain/verification-gate.ts).
 */
export const MEASURE_STATUSES = ['planned', 'in_progress', 'completed', 'closed', 'cancelled'] as const;
export const VERIFICATION_RESULTS = ['effective', 'partly_effective', 'ineffective'] as const;
export const RECURRENCES = ['none', 'monthly', 'quarterly', 'semiannual', 'annual'] as const;
export const SYSTEM_KINDS = [
  'network',
  'authentication',
  'soc',
  'data_store',
  'application',
  'endpoint',
  'collaboration',
  'other',
] as const;
export const CRITICALITIES = ['critical', 'high', 'medium', 'low'] as const;
export const ACCESS_VIAS = ['network_route', 'account', 'admin', 'api', 'physical'] as const;
/** How one system reaches another: a network route, a trust (a directory trusting another), accounts, admin rights, a data flow. */
export const LINK_VIAS = ['network_route', 'trust', 'account', 'admin', 'data_flow'] as const;
/** METI's supply-chain security rating: ★3 basic, ★4 standard, ★5 advanced. */
export const SECURITY_LEVELS = [3, 4, 5] as const;
export const RELATIONSHIP_SCOPES = [
  'internal_system_operation',
  'network_operation',
  'service_development',
  'service_infrastructure',
  'provider_systems_use',
  'soc',
  'customer_support',
  'sales',
  'other',
] as const;
export const DECISIONS = ['reduce', 'terminate', 'maintain', 'undecided'] as const;
export const RECORD_STATUSES = ['confirmed', 'possible', 'total'] as const;
export const DAMAGE_KINDS = ['phishing', 'unauthorized_login', 'fraud', 'spam', 'other'] as const;

export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];
export type MeasureCategory = (typeof MEASURE_CATEGORIES)[number];
export type MeasureKind = (typeof MEASURE_KINDS)[number];
export type MeasureStatus = (typeof MEASURE_STATUSES)[number];
export type VerificationResult = (typeof VERIFICATION_RESULTS)[number];
export type Decision = (typeof DECISIONS)[number];
