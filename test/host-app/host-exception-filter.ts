import {
  Catch,
  HttpException,
  Inject,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

/** The body the host's global filter answers every HttpException with. */
export function hostFilterBody(status: number): { hostFilter: true; status: number } {
  return { hostFilter: true, status };
}

/** A host's global exception filter: its own body and header for every HttpException. */
@Catch(HttpException)
export class HostExceptionFilter implements ExceptionFilter {
  constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: HttpException, host: ArgumentsHost): void {
    const { httpAdapter } = this.adapterHost;
    const response: unknown = host.switchToHttp().getResponse();
    httpAdapter.setHeader(response, 'x-host-filter', 'yes');
    httpAdapter.reply(response, hostFilterBody(exception.getStatus()), exception.getStatus());
  }
}
