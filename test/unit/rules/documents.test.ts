// Messages about documents and objects, and the file-level NPX messages.
import { documentCases } from './cases/documents';
import { expectationCases } from './cases/expectations';
import { runCases } from './helpers';

describe('rules: documents and files', () => {
  runCases(documentCases);
});

describe('rules: connectivity expectations', () => {
  runCases(expectationCases);
});
