import { Body, Controller, HttpCode, Post, StreamableFile } from '@nestjs/common';
import { AppService } from './app.service';

@Controller()
export class AppController {
  constructor(private readonly appService: AppService) {}

  @Post('download')
  @HttpCode(200)
  async download(@Body() body: any): Promise<StreamableFile> {
    const stream = await this.appService.open(body ? body.filename : undefined);
    return new StreamableFile(stream, { type: 'audio/mpeg' });
  }
}
