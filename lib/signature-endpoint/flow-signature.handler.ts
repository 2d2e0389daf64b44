import {
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { FLOW_OPTIONS } from '../flow.constants.js';
import { FlowSigner } from '../signing/flow-signer.js';
import { InvalidCustomerReferenceError } from '../signing/invalid-customer-reference.error.js';
import type { FlowSignatureResponse } from './flow-signature-response.js';
import { defaultCustomerReference } from './default-customer-reference.js';
import { readCustomerIdentity } from './read-customer-identity.js';
import type { FlowSignatureRouteSettings } from './signature-endpoint-options.js';

/** The generic refusal for a principal whose reference the signer will not sign. */
export const UNSIGNABLE_REFERENCE_MESSAGE = 'No Flow signature can be issued for this user.';

/**
 * The logic of the current-user signature route, shared by every per-call controller class.
 * It reads the reference only through the configured resolver (the authenticated principal);
 * the query, body, params and headers are never passed to anything that signs.
 */
@Injectable()
export class FlowSignatureHandler {
  private readonly logger = new Logger('FlowSignatureEndpoint');

  constructor(
    @Inject(FlowSigner) protected readonly signer: FlowSigner,
    @Inject(FLOW_OPTIONS) protected readonly options: FlowSignatureRouteSettings,
  ) {}

  /** Answers the Flow configuration, signed for the user `request` belongs to. */
  async currentUserFlowConfig(request: unknown): Promise<FlowSignatureResponse> {
    const endpoint = this.options.signatureEndpoint;
    // The route and the resolved options come from the same static block; this is a safety net.
    if (!endpoint) throw new NotFoundException();
    const reading = readCustomerIdentity(await endpoint.customerReference(request));
    if ('problem' in reading) {
      const source =
        endpoint.customerReference === defaultCustomerReference
          ? 'the default resolver, request.user.id,'
          : 'signatureEndpoint.customerReference';
      this.logger.warn(
        `GET ${endpoint.path}: the guards let the request through, but no customer reference was ` +
          `resolved (${source} ${reading.problem}). Make the guard set request.user with an id, or pass ` +
          'signatureEndpoint.customerReference that reads your principal. Answered 401.',
      );
      throw new UnauthorizedException();
    }
    if (reading.emailLeftOut !== undefined) {
      // The reason only: the address is personal data.
      this.logger.warn(
        `GET ${endpoint.path}: the principal's e-mail was left out of the answer (reason: ` +
          `${reading.emailLeftOut}); Flow asks the user for it.`,
      );
    }
    const { customerReference, email } = reading.identity;
    let signature: string;
    try {
      signature = this.signer.sign(customerReference);
    } catch (error) {
      if (!(error instanceof InvalidCustomerReferenceError)) throw error;
      // The reason code only: the reference itself may be personal data or an attack string.
      this.logger.warn(
        `GET ${endpoint.path}: the resolved customer reference was refused by the signer ` +
          `(reason: ${error.reason}). Use a stable database id without control characters. Answered 403.`,
      );
      throw new ForbiddenException(UNSIGNABLE_REFERENCE_MESSAGE);
    }
    return {
      // Both are required by option validation whenever the route is enabled.
      publishableKey: this.options.publishableKey as string,
      templateId: this.options.templateId as string,
      user:
        email === undefined
          ? { customerReference, signature }
          : { customerReference, signature, email },
    };
  }
}
