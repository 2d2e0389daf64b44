/**
 * Counts the deliveries under way (a count, not a Set: no hashing per delivery) so shutdown can
 * wait for them before the store closes.
 */
export class InFlightDeliveries {
  private count = 0;
  /** The shutdown's wait for the deliveries under way, and what ends it. */
  private drain: { done: Promise<void>; resolve: () => void } | undefined;

  /** A delivery starts. */
  start(): void {
    this.count += 1;
  }

  /** A delivery ends; the last one ends the shutdown's wait. */
  end(): void {
    this.count -= 1;
    if (this.count === 0) this.drain?.resolve();
  }

  /** Resolves once no delivery is under way. */
  async settled(): Promise<void> {
    if (this.count > 0) {
      if (this.drain === undefined) {
        let resolve!: () => void;
        const done = new Promise<void>((settle) => (resolve = settle));
        this.drain = { done, resolve };
      }
      await this.drain.done;
    }
  }
}
