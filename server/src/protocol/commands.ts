// The editor commands that the server's answers name (the CodeLens above a policy) and that the
// client registers, with the arguments the server sends. Plain constants and types, no imports: the
// features layer and the client both take them from here.

/** "selects N workloads": [policyUri, workloads, position where the policy starts]. */
export const SHOW_SELECTED_COMMAND = 'netpolLens.showSelectedWorkloads';
/** "isolates … · allows …": [{ namespace }], the diagram of the policy's namespace. */
export const SHOW_DIAGRAM_COMMAND = 'netpolLens.showDiagram';

export interface CommandPosition {
  line: number;
  character: number;
}

/** A workload's location as SHOW_SELECTED_COMMAND carries it (plain JSON). */
export interface CommandLocation {
  uri: string;
  range: { start: CommandPosition; end: CommandPosition };
}
