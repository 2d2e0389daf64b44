/** The `NODE_ENV` words read as production, after trimming and lower-casing. */
const PRODUCTION_WORDS: ReadonlySet<string> = new Set(['production', 'prod']);

/**
 * The one reading of `NODE_ENV` shared by the module, the emulator, the CLI and the sample:
 * production when, trimmed and in lower case, it is `production` or `prod` (so ` Production `
 * counts too). Anything else, or unset, is not production.
 */
export function isProductionEnvironment(
  nodeEnv: string | undefined = process.env.NODE_ENV,
): boolean {
  return typeof nodeEnv === 'string' && PRODUCTION_WORDS.has(nodeEnv.trim().toLowerCase());
}
