import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { AppService, CompileResult } from './app.service';

@Controller()
export class AppController {
  constructor(private readonly appService: AppService) {}

  @Post('compile')
  @HttpCode(200)
  compile(@Body() body: any): Promise<CompileResult> {
    return this.appService.compile(body ? body.fileName : undefined, body ? body.fileContent : undefined);
  }
}
