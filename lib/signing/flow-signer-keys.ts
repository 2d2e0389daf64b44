/** What {@link FlowSigner} reads from the module's resolved options (`FlowOptions` has it). */
export interface FlowSignerKeys {
  /** Every secret a verification tries, the current one (which signs) first. */
  readonly secrets: readonly string[];
}
