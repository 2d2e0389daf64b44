import type {
  FlowApiDocumentaryVerification,
  FlowApiKycCheck,
  FlowApiSessionUser,
} from '../api/flow-api-session.js';

/** A test identity: what an emulated user "gives" as the steps pass. Every field optional. */
export type FlowEmulatorIdentity = Partial<FlowApiSessionUser>;

/**
 * The identity every emulated user has unless `users` in the options names another: plausible
 * and obviously fake (a 555-01xx phone, a documentation IP address, an SSN-shaped test number).
 */
export const DEFAULT_EMULATOR_IDENTITY: Readonly<FlowApiSessionUser> = Object.freeze({
  name: { first: 'Jordan', last: 'Tester' },
  email: null,
  phone: '+12025550143',
  address: {
    street: '100 Emulator Way',
    street2: null,
    city: 'Springfield',
    subdivision: 'IL',
    postal_code: '62701',
    country_code: 'US',
  },
  id_number: { value: '123456789', category: 'tax_id', type: 'us_ssn' },
  ip_address: '192.0.2.10',
  date_of_birth: '1990-01-01',
});

/** The user of a new session: every field null (not given yet), the e-mail of the create call. */
export function emptyUser(email: string | null): FlowApiSessionUser {
  return {
    name: null,
    email,
    phone: null,
    address: null,
    id_number: null,
    ip_address: null,
    date_of_birth: null,
  };
}

/** Which of the user's fields each step collects. */
const FIELDS_BY_STEP: Record<string, readonly (keyof FlowApiSessionUser)[]> = {
  accept_tos: ['ip_address'],
  verify_sms: ['phone'],
  kyc_check: ['name', 'address', 'id_number', 'date_of_birth'],
  documentary_verification: ['name', 'date_of_birth'],
};

/**
 * Copies into `user` what `step` collects from `identity` (every field when `step` is undefined:
 * a finished session has the whole identity). A field the identity sets to null stays null.
 */
export function collect(
  user: FlowApiSessionUser,
  identity: FlowApiSessionUser,
  step: string | undefined,
): void {
  const fields = step === undefined ? Object.keys(identity) : (FIELDS_BY_STEP[step] ?? []);
  for (const field of fields) {
    // A configured identity is plain data: a key that would reach the prototype is not copied.
    if (field === '__proto__' || field === 'constructor' || field === 'prototype') continue;
    if (field === 'email' && user.email !== null) continue;
    const value = identity[field];
    user[field] = value === null || typeof value !== 'object' ? value : structuredClone(value);
  }
}

/** `kyc_check` after the data check ran: every summary `match`, or `no_match` when it failed. */
export function kycCheck(passed: boolean): FlowApiKycCheck {
  const summary = passed ? 'match' : 'no_match';
  return {
    status: passed ? 'success' : 'failed',
    name: { summary },
    phone: { summary },
    address: { summary, type: 'residential', po_box: 'no' },
    id_number: { summary },
    date_of_birth: { summary },
  };
}

/** `documentary_verification` after the document check ran: one driver's licence, first attempt. */
export function documentaryVerification(passed: boolean): FlowApiDocumentaryVerification {
  const status = passed ? 'success' : 'failed';
  const verdict = passed ? 'match' : 'no_match';
  return {
    status,
    documents: [
      {
        status,
        attempt: 1,
        images: {
          original_front: null,
          original_back: null,
          cropped_front: null,
          cropped_back: null,
          face: null,
        },
        extracted_data: {
          category: 'drivers_license',
          id_number: 'EMU0000001',
          expiration_date: '2035-01-01',
          issuing_country: 'US',
        },
        analysis: {
          authenticity: verdict,
          image_quality: 'high',
          extracted_data: {
            name: verdict,
            date_of_birth: verdict,
            expiration_date: 'not_expired',
            issuing_country: verdict,
          },
        },
      },
    ],
  };
}
