// The rules of rendered environments (NPX09, NPX10): the workspaces are rendered with the real
// kubectl once, then each case reads its findings.
import { environmentCases, prepareEnvironmentCases } from './cases/environments';
import { runCases } from './helpers';

describe('rules: environments', function () {
  this.timeout(120000);
  before(prepareEnvironmentCases);
  runCases(environmentCases);
});
