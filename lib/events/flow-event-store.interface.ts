/** Placeholder: the event store contract (see the events folder). */
export interface FlowEventStore {
  /** Releases connections; optional. */
  close?(): Promise<void>;
}
