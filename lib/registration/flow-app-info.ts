/**
 * Token of what one FlowModule registration knows about the running app: its validated options
 * and the app's global prefix. The testing helpers read it with `app.get()`, so they need no Nest
 * import of their own.
 */
export const FLOW_APP_INFO = Symbol('FLOW_APP_INFO');

/** The value behind {@link FLOW_APP_INFO}. */
export interface FlowAppInfo {
  /** The registration's options (secret, apiKey, receiver path). */
  readonly options: {
    readonly apiSecret: string;
    readonly apiKey?: string;
    readonly webhook: { readonly path?: string };
  };
  /** The app's global prefix at the time of the call ('' when none). */
  globalPrefix(): string;
}
