// What the API server rejects (docs/semantics.md A.9, A.10) and the field-level pitfalls checked with it.
import { validationCases } from './cases/validation';
import { runCases } from './helpers';

describe('rules: API-server validation', () => {
  runCases(validationCases);
});
