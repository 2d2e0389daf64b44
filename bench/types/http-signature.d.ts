// The parts of http-signature (which ships no types) the benchmark calls.
declare module 'http-signature' {
  /** What `parseRequest` returns: the parsed parameters and the signing string it rebuilt. */
  export interface ParsedSignature {
    scheme: string;
    params: Record<string, unknown>;
    signingString: string;
    algorithm: string;
    keyId: string;
  }
  /** The request fields `parseRequest` reads. */
  export interface SignedRequestLike {
    method: string;
    url: string;
    httpVersion: string;
    headers: Record<string, string | string[] | undefined>;
  }
  /** The CommonJS export object (Node's ESM loader exposes it as the default export). */
  const httpSignature: {
    /** Parses the Authorization header and rebuilds the signing string; throws on a malformed one. */
    parseRequest(
      request: SignedRequestLike,
      options?: { headers?: string[]; clockSkew?: number; strict?: boolean },
    ): ParsedSignature;
    /** True when the parsed HMAC signature matches `secret`. */
    verifyHMAC(parsed: ParsedSignature, secret: string | Buffer): boolean;
  };
  export default httpSignature;
}
