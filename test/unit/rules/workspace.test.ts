// Rules that read the whole workspace: workloads, namespaces and Services in other files.
import { workspaceCases } from './cases/workspace';
import { runCases } from './helpers';

describe('rules: cross-file (workspace)', () => {
  runCases(workspaceCases);
});
