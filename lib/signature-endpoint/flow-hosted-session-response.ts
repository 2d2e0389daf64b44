/** What the hosted-session route answers: the current user's Cognito-hosted Flow page. */
export interface FlowHostedSessionResponse {
  /** `flwses_…`: the session, e.g. to match later webhooks. */
  sessionId: string;
  /** The Cognito-hosted page to open in a WebView or a browser tab. */
  shareableUrl: string;
  /** True when this call created the session, false when it already existed for this user. */
  created: boolean;
}
