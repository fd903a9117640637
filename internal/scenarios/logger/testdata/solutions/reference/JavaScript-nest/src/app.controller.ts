import { BadRequestException, Body, Controller, Get, Header, HttpCode, Post } from '@nestjs/common';
import { AppService } from './app.service';

@Controller()
export class AppController {
  constructor(private readonly appService: AppService) {}

  @Post('log')
  @HttpCode(200)
  addLog(@Body() body: any) {
    if (!body || typeof body !== 'object' || typeof body.message !== 'string') {
      throw new BadRequestException('a JSON body with a "message" string is required');
    }
    this.appService.append(body.message);
    return { status: 'logged' };
  }

  @Get('logs')
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @Header('X-Content-Type-Options', 'nosniff')
  getLogs(): string {
    return this.appService.readAll();
  }
}
