// Messages about documents and objects, and the file-level NPX messages.
import { documentCases } from './cases/documents';
import { runCases } from './helpers';

describe('rules: documents and files', () => {
  runCases(documentCases);
});
