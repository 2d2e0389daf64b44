import { Inject } from '@nestjs/common';
import { FLOW_OPTIONS } from '../flow.constants.js';

/** Injects the validated {@link FlowOptions}: `constructor(@InjectFlowOptions() options: FlowOptions)`. */
export const InjectFlowOptions = (): ParameterDecorator & PropertyDecorator => Inject(FLOW_OPTIONS);
