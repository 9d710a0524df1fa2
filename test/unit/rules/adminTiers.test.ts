// The pitfalls of the admin tiers (docs/semantics.md D.6): NPT01-NPT05.
import { adminTierCases } from './cases/adminTiers';
import { runCases } from './helpers';

describe('rules: admin tiers', () => {
  runCases(adminTierCases);
});
