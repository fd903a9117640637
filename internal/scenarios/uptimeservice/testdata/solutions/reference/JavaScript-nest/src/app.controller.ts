import { BadRequestException, Body, Controller, HttpCode, Post } from '@nestjs/common';
import { AppService, ServiceStatus } from './app.service';

function nonEmpty(v: unknown): v is string {
  return typeof v === 'string' && v !== '' && v.length <= 1000;
}

@Controller()
export class AppController {
  constructor(private readonly appService: AppService) {}

  @Post('heartbeat')
  @HttpCode(200)
  async heartbeat(@Body() body: any) {
    if (!body || !nonEmpty(body.serviceId) || !nonEmpty(body.token)) {
      throw new BadRequestException({ error: 'serviceId and token are required' });
    }
    await this.appService.heartbeat(body.serviceId, body.token);
    return { message: 'Heartbeat registered successfully.' };
  }

  @Post('services')
  @HttpCode(200)
  services(@Body() body: any): Promise<ServiceStatus[]> {
    if (!body || typeof body.token !== 'string') throw new BadRequestException({ error: 'token is required' });
    return this.appService.services(body.token);
  }
}
