// Pitfalls in policyTypes and in the shape of rules, peers and ports.
import { policyTypesCases } from './cases/policyTypes';
import { shapeCases } from './cases/shape';
import { runCases } from './helpers';

describe('rules: policyTypes pitfalls', () => {
  runCases(policyTypesCases);
});

describe('rules: shape of rules, peers and ports', () => {
  runCases(shapeCases);
});
