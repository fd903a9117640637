import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { AppService, Decision } from './app.service';

@Controller()
export class AppController {
  constructor(private readonly appService: AppService) {}

  @Post('decideUnsubscribe')
  @HttpCode(200)
  decide(@Body() body: unknown, @Headers('content-type') contentType: string | undefined): Decision {
    return this.appService.decide(Buffer.isBuffer(body) ? body : Buffer.alloc(0), contentType);
  }
}
