/** The `user` block of {@link FlowSignatureResponse}, passed as-is to `new Flow({ user })`. */
export interface FlowSignatureUser {
  /** The current user's customer reference, exactly as signed. */
  customerReference: string;
  /** `base64(HMAC-SHA256(apiSecret, customerReference))`. */
  signature: string;
  /** Present only when the resolver supplied one; pre-fills Flow's e-mail field. */
  email?: string;
}

/**
 * What the signature route answers: exactly the object the browser passes to `new Flow(...)`.
 * Nothing in it is secret.
 */
export interface FlowSignatureResponse {
  /** The publishable key (`live_publishable_key_…`). */
  publishableKey: string;
  /** The Flow template id (`flwtmp_…`). */
  templateId: string;
  /** The signed identity of the user the request belongs to. */
  user: FlowSignatureUser;
}
