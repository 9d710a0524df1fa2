// Every rule case, for the completeness checks (each group's test file runs its own table).
import type { RuleCase } from '../helpers';
import { adminCases } from './admin';
import { adminTierCases } from './adminTiers';
import { documentCases } from './documents';
import { environmentCases } from './environments';
import { expectationCases } from './expectations';
import { policyTypesCases } from './policyTypes';
import { shapeCases } from './shape';
import { validationCases } from './validation';
import { workspaceCases } from './workspace';

export const ALL_CASES: readonly RuleCase[] = [
  ...validationCases,
  ...policyTypesCases,
  ...shapeCases,
  ...workspaceCases,
  ...documentCases,
  ...expectationCases,
  ...environmentCases,
  ...adminCases,
  ...adminTierCases,
];
